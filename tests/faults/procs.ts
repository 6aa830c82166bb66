/**
 * The processes the fault suite owns: a Redis server (AOF everysec), a Postgres cluster (initdb +
 * pg_ctl, as the `postgres` user when running as root), a TCP proxy between the workers and Redis
 * (the network cut), and Kiln's services as supervised child processes (a killed one is restarted
 * after a short delay, as docker compose's `restart: unless-stopped` would). Everything is on its
 * own ports and temp dir, so the machine's shared Redis (6379) and Postgres (5432) are untouched.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
} from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = new URL('../../', import.meta.url).pathname;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- cleanup, even on failure -----------------------------------------------------------------

const exitHooks = new Set<() => void>();
let exitInstalled = false;

/** Registers a synchronous last-resort cleanup (run on process exit, last registered first); returns its remover. */
export function onExitSync(f: () => void): () => void {
  exitHooks.add(f);
  if (!exitInstalled) {
    exitInstalled = true;
    process.on('exit', runExitHooks);
  }
  return () => exitHooks.delete(f);
}

export function runExitHooks(): void {
  for (const f of [...exitHooks].reverse()) {
    exitHooks.delete(f);
    try {
      f();
    } catch {
      // best effort: the rest still run
    }
  }
}

/** A free TCP port on 127.0.0.1 (bound, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A temp dir (removed on exit unless `keep`), readable by the postgres user. */
export function makeTempDir(keep: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-faults-'));
  chmodSync(dir, 0o755);
  if (!keep) onExitSync(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Sends one inline command to a Redis port; resolves with the first reply line. */
function redisCommand(port: number, command: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let buf = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error('timeout'));
    }, timeoutMs);
    s.on('connect', () => s.write(`${command}\r\n`));
    s.on('data', (d) => {
      buf += d.toString();
      const end = buf.indexOf('\r\n');
      if (end >= 0) {
        clearTimeout(timer);
        s.destroy();
        resolve(buf.slice(0, end));
      }
    });
    s.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

// ---- Redis --------------------------------------------------------------------------------------

/**
 * redis-server on its own port and dir, append-only file fsynced every second. A SIGKILL of the
 * process alone loses nothing Redis answered (its writes are in the OS page cache); what
 * `appendfsync everysec` may lose is the last second before a machine crash. `kill(loseMs)`
 * reproduces that: it cuts the append-only file back to its size `loseMs` before the kill
 * (sampled every 50 ms); Redis loads the shortened file (`aof-load-truncated yes`, its default).
 */
export class RedisServer {
  child: ChildProcess | undefined;
  private readonly dir: string;
  private samples: Array<{ at: number; file: string; size: number }> = [];
  private sampler: NodeJS.Timeout | undefined;

  constructor(
    readonly port: number,
    base: string,
  ) {
    this.dir = join(base, 'redis');
    mkdirSync(this.dir, { recursive: true });
    onExitSync(() => {
      clearInterval(this.sampler);
      this.child?.kill('SIGKILL');
    });
  }

  /** The append-only file Redis is writing now (the manifest's last `type i` entry). */
  private incrFile(): string | undefined {
    try {
      const manifest = readFileSync(join(this.dir, 'appendonlydir', 'appendonly.aof.manifest'), 'utf8');
      const incr = manifest
        .split('\n')
        .map((l) => /^file (\S+) seq \d+ type i/.exec(l)?.[1])
        .filter((x): x is string => !!x)
        .at(-1);
      return incr ? join(this.dir, 'appendonlydir', incr) : undefined;
    } catch {
      return undefined;
    }
  }

  private sample(): void {
    const file = this.incrFile();
    if (!file) return;
    try {
      const now = Date.now();
      this.samples.push({ at: now, file, size: statSync(file).size });
      while (this.samples.length > 0 && (this.samples[0] as { at: number }).at < now - 10_000) this.samples.shift();
    } catch {
      // the file is being replaced (a rewrite): next time
    }
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--daemonize',
      'no',
      '--maxmemory-policy',
      'noeviction',
      '--logfile',
      join(this.dir, 'redis.log'),
    ];
    this.child = spawn('redis-server', args, { stdio: 'ignore' });
    const started = Date.now();
    for (;;) {
      try {
        if ((await redisCommand(this.port, 'PING')) === '+PONG') {
          this.samples = [];
          clearInterval(this.sampler);
          this.sampler = setInterval(() => this.sample(), 50);
          this.sampler.unref();
          return;
        }
      } catch {
        // not up yet
      }
      if (this.child.exitCode !== null) throw new Error(`redis-server exited (${this.child.exitCode}); see ${join(this.dir, 'redis.log')}`);
      if (Date.now() - started > 30_000) throw new Error('redis-server did not answer PING within 30 s');
      await sleep(50);
    }
  }

  /**
   * SIGKILL; with `loseMs`, the append-only file is then cut back to its size `loseMs` before the
   * kill (the writes an fsync-every-second file loses in a crash). Returns the bytes cut.
   */
  async kill(loseMs = 0): Promise<number> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return 0;
    const at = Date.now();
    this.sample();
    clearInterval(this.sampler);
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
    if (loseMs <= 0) return 0;
    const file = this.incrFile();
    const before = [...this.samples].reverse().find((x) => x.at <= at - loseMs && x.file === file);
    if (!file || !before) return 0;
    const size = statSync(file).size;
    if (size <= before.size) return 0;
    truncateSync(file, before.size);
    return size - before.size;
  }
}

// ---- Postgres -----------------------------------------------------------------------------------

function postgresBin(): string | undefined {
  const fromEnv = process.env.KILN_PG_BIN;
  if (fromEnv && existsSync(join(fromEnv, 'pg_ctl'))) return fromEnv;
  try {
    const bin = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(join(bin, 'pg_ctl')) && existsSync(join(bin, 'initdb'))) return bin;
  } catch {
    // no pg_config on PATH
  }
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(base, v, 'bin', 'pg_ctl'))) return join(base, v, 'bin');
  return undefined;
}

function redisBinOnPath(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Why the suite cannot run here (no server binaries), or undefined. */
export function missingBinaries(): string | undefined {
  if (!postgresBin()) return 'PostgreSQL server binaries (initdb, pg_ctl) not found';
  if (!redisBinOnPath()) return 'redis-server not found on PATH';
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root, but there is no postgres user to run initdb/pg_ctl as';
    }
  }
  return undefined;
}

/** A Postgres cluster of its own: initdb on a temp dir, pg_ctl on another port. */
export class PgCluster {
  private readonly bin: string;
  private readonly home: string;
  private readonly data: string;
  private readonly asRoot = process.getuid?.() === 0;

  constructor(
    readonly port: number,
    base: string,
  ) {
    const bin = postgresBin();
    if (!bin) throw new Error('PostgreSQL server binaries not found');
    this.bin = bin;
    this.home = join(base, 'pg');
    this.data = join(this.home, 'data');
    mkdirSync(this.home, { recursive: true });
    if (this.asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(this.home, uid, gid);
    }
    // A cluster left running by a failed run would keep its port and dir: stop it on exit.
    onExitSync(() => {
      if (existsSync(join(this.data, 'postmaster.pid'))) this.runSync('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', '-t', '20', 'stop']);
    });
  }

  url(database = 'kiln'): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  private command(tool: string, args: string[]): [string, string[]] {
    const path = join(this.bin, tool);
    return this.asRoot ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
  }

  private runSync(tool: string, args: string[]): void {
    const [cmd, argv] = this.command(tool, args);
    execFileSync(cmd, argv, { stdio: 'ignore', cwd: this.home });
  }

  private run(tool: string, args: string[]): Promise<void> {
    const [cmd, argv] = this.command(tool, args);
    return new Promise((resolve, reject) => {
      const c = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'], cwd: this.home });
      let err = '';
      c.stderr?.on('data', (d) => {
        err += d;
      });
      c.on('error', reject);
      c.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${tool} ${args.join(' ')} exited ${code}: ${err.trim().slice(-500)}`))));
    });
  }

  async init(): Promise<void> {
    await this.run('initdb', ['-D', this.data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-instructions', '--no-sync']);
    const conf = [
      `port = ${this.port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${this.home}'`,
      // 2 APIs and 3 workers hold two pools each (Prisma and plain pg), plus the suite's own.
      'max_connections = 400',
      'shared_buffers = 64MB',
      "log_min_messages = 'warning'",
    ].join('\n');
    appendFileSync(join(this.data, 'postgresql.conf'), `\n# kiln fault suite\n${conf}\n`);
  }

  start(): Promise<void> {
    return this.run('pg_ctl', ['-D', this.data, '-l', join(this.home, 'postgres.log'), '-w', '-t', '60', 'start']);
  }

  /** `pg_ctl stop -m fast`: sessions are disconnected, in-flight statements fail. */
  stop(): Promise<void> {
    return this.run('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  }

  restart(): Promise<void> {
    return this.run('pg_ctl', ['-D', this.data, '-l', join(this.home, 'postgres.log'), '-m', 'fast', '-w', '-t', '60', 'restart']);
  }

  async destroy(): Promise<void> {
    if (existsSync(join(this.data, 'postmaster.pid')))
      await this.run('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', '-t', '20', 'stop']).catch(() => undefined);
  }
}

// ---- the network cut ----------------------------------------------------------------------------

/**
 * A TCP proxy in front of Redis for the workers. `cut(ms)` destroys every connection and refuses
 * new ones (accepted, then destroyed at once) for `ms`; when Redis itself goes away, the client side
 * of each pair is closed too, as a real network path would show it.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly pairs = new Set<[Socket, Socket]>();
  private cutUntil = 0;

  constructor(
    readonly port: number,
    private readonly upstreamPort: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  start(): Promise<void> {
    this.server = createServer((client) => {
      if (Date.now() < this.cutUntil) {
        client.destroy();
        return;
      }
      const upstream = connect(this.upstreamPort, '127.0.0.1');
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      const close = () => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close);
      upstream.on('error', close);
      client.on('close', close);
      upstream.on('close', close);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    const server = this.server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  /** Drops every connection and refuses new ones for `ms`. */
  cut(ms: number): void {
    this.cutUntil = Date.now() + ms;
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
  }

  get connections(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    this.cut(Number.MAX_SAFE_INTEGER / 2);
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

// ---- Kiln's services, supervised ----------------------------------------------------------------

export interface ServiceSpec {
  name: string;
  /** Source file under the repository, e.g. services/api/src/main.ts. */
  file: string;
  env: Record<string, string>;
}

/**
 * One Kiln service as a child process. It runs as `node --import tsx <file>`, not through the
 * `tsx` launcher: the launcher runs the service in a second process that a SIGKILL of the launcher
 * would leave running. When it exits and was not being stopped, it is started again after
 * `restartDelayMs` (the orchestrator's `restart: unless-stopped`), and that is said.
 */
export class Service {
  child: ChildProcess | undefined;
  starts = 0;
  /** Exits the suite did not cause (a crash): name, code/signal, time. */
  readonly unexpectedExits: Array<{ at: number; how: string }> = [];
  lastStartAt = 0;
  private stopping = false;
  private expectExit = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly started = new Set<(at: number) => void>();

  constructor(
    readonly spec: ServiceSpec,
    private readonly logDir: string,
    private readonly say: (msg: string) => void,
    private readonly restartDelayMs = 1000,
  ) {
    onExitSync(() => this.child?.kill('SIGKILL'));
  }

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    const log = openSync(join(this.logDir, `${this.spec.name}.log`), 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, this.spec.file)], {
      cwd: repoRoot,
      env: { ...process.env, ...this.spec.env },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    this.child = child;
    this.starts++;
    this.lastStartAt = Date.now();
    for (const f of this.started) f(this.lastStartAt);
    this.started.clear();
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      const how = signal ?? `exit ${code}`;
      if (this.stopping) return;
      if (!this.expectExit) {
        this.unexpectedExits.push({ at: Date.now(), how });
        this.say(`${this.spec.name} exited by itself (${how}); see ${join(this.logDir, `${this.spec.name}.log`)}`);
      }
      this.expectExit = false;
      this.say(`${this.spec.name} exited (${how}); the orchestrator restarts it in ${(this.restartDelayMs / 1000).toFixed(1)} s (restart: unless-stopped)`);
      this.restartTimer = setTimeout(() => {
        if (!this.stopping) this.start();
      }, this.restartDelayMs);
    });
  }

  /** Resolves when the service has been started again after the current (or next) exit. */
  nextStart(): Promise<number> {
    return new Promise((r) => this.started.add(r));
  }

  /** SIGKILL (a crash the suite causes): the supervisor restarts it. */
  async kill(): Promise<void> {
    const c = this.child;
    if (!c || !this.alive) return;
    this.expectExit = true;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  }

  /** A graceful stop (SIGTERM, then SIGKILL after `graceMs`), not restarted. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const c = this.child;
    if (!c || !this.alive) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    const t = setTimeout(() => c.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(t);
  }
}
