#!/usr/bin/env node
// Kiln's entry point for `npm run setup`, `npm start`, `npm test`, `npm run worker` and `npm run demo`.
// Plain Node with no dependencies: on a fresh clone it is the one thing that can run before
// `npm install`. Every set-up step checks first and is skipped when already done.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { supervise } from './supervise.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const stateDir = join(root, '.kiln');
const env = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/kiln',
  // Each native anneal holds a libuv pool thread while it runs (an N-API AsyncWorker): the default
  // pool of 4 would cap worker-qubo at 4 anneals at once on a bigger machine. Read at the pool's first
  // use, which module loading makes, so it must be set in the process's environment.
  UV_THREADPOOL_SIZE: String(Math.max(4, availableParallelism() + 2)),
  ...process.env,
};

const say = (msg) => console.log(`[kiln] ${msg}`);
const fail = (msg) => {
  console.error(`[kiln] ERROR: ${msg}`);
  process.exit(1);
};

function run(cmd, args, options = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...env, ...options.env }, ...options });
  if (res.error) fail(`${cmd} ${args.join(' ')}: ${res.error.message}`);
  if (res.status !== 0 && !options.allowFail) fail(`${cmd} ${args.join(' ')} exited with ${res.status}`);
  return res.status === 0;
}

const which = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).stdout.trim() || null;
const sha = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

// 1. Dependencies ---------------------------------------------------------------------------
function installDependencies() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && existsSync(tsx) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  say('installing dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

// 2. Prisma client ---------------------------------------------------------------------------
function generatePrismaClient() {
  const schema = join(root, 'prisma', 'schema.prisma');
  const stamp = join(stateDir, 'prisma-schema.sha256');
  const client = join(root, 'packages', 'db', 'src', 'generated', 'prisma', 'client.ts');
  const want = sha(schema);
  if (existsSync(client) && existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return;
  say('generating the Prisma client');
  // The client needs no engine (driver adapter); the CLI only insists that an engine file exists.
  run(join(root, 'node_modules', '.bin', 'prisma'), ['generate'], { env: { PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' } });
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(stamp, want);
}

// 3. Redis and Postgres ----------------------------------------------------------------------
function reachable(url, fallbackPort) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: u.hostname || '127.0.0.1', port: Number(u.port || fallbackPort) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitReachable(url, port, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await reachable(url, port)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

const isLocal = (url) => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(new URL(url).hostname);

async function ensureRedis() {
  if (await reachable(env.REDIS_URL, 6379)) return;
  const how = `start one with:\n    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no\n  or point REDIS_URL at a running Redis (now ${env.REDIS_URL}).`;
  const bin = which('redis-server');
  if (!isLocal(env.REDIS_URL) || !bin) fail(`Redis is not reachable at ${env.REDIS_URL}; ${how}`);
  const port = new URL(env.REDIS_URL).port || '6379';
  const dir = join(stateDir, 'redis');
  mkdirSync(dir, { recursive: true });
  say(`Redis is not reachable at ${env.REDIS_URL}: starting a local redis-server (data in .kiln/redis)`);
  run(bin, ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', port, '--dir', dir, '--appendonly', 'yes', '--logfile', join(dir, 'redis.log')]);
  if (!(await waitReachable(env.REDIS_URL, 6379, 15))) fail(`started redis-server but ${env.REDIS_URL} still does not answer; see .kiln/redis/redis.log`);
}

async function ensurePostgres() {
  if (await reachable(env.DATABASE_URL, 5432)) return;
  const how =
    'start it with:\n    pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n  or point DATABASE_URL at a running Postgres (now ' +
    env.DATABASE_URL +
    ').';
  if (!isLocal(env.DATABASE_URL)) fail(`Postgres is not reachable at ${env.DATABASE_URL}; ${how}`);
  // A cluster installed by the system packages: start it.
  if (which('pg_ctlcluster') && existsSync('/etc/postgresql')) {
    say('Postgres is not reachable: starting the system cluster (pg_ctlcluster)');
    const versions = spawnSync('ls', ['/etc/postgresql'], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
    for (const v of versions) run('pg_ctlcluster', ['--skip-systemctl-redirect', v, 'main', 'start'], { allowFail: true });
    if (await waitReachable(env.DATABASE_URL, 5432, 20)) return;
  }
  // Else a private cluster under .kiln/postgres (initdb refuses to run as root).
  const initdb = which('initdb');
  const pgCtl = which('pg_ctl');
  if (initdb && pgCtl && process.getuid?.() !== 0) {
    const data = join(stateDir, 'postgres');
    const port = new URL(env.DATABASE_URL).port || '5432';
    if (!existsSync(join(data, 'PG_VERSION'))) {
      say('initialising a local Postgres cluster in .kiln/postgres');
      run(initdb, ['-D', data, '-U', 'postgres', '--auth=trust']);
    }
    say('starting the local Postgres cluster');
    run(pgCtl, ['-D', data, '-l', join(data, 'server.log'), '-o', `-p ${port} -k /tmp -c listen_addresses=127.0.0.1`, 'start']);
    if (await waitReachable(env.DATABASE_URL, 5432, 20)) return;
  }
  fail(`Postgres is not reachable at ${env.DATABASE_URL}; ${how}`);
}

// 4. Database and migrations ----------------------------------------------------------------
function migrateDatabase() {
  run(tsx, [join(root, 'scripts', 'migrate.ts')]);
}

// 5. Chromium for the dashboard's browser test (optional; setup only) -------------------------
function ensureChromium() {
  if (existsSync('/usr/bin/chromium') || process.env.KILN_SKIP_CHROMIUM) return;
  if (process.getuid?.() !== 0 || !which('apt-get')) {
    say('Chromium is not installed: the dashboard browser test will be skipped (install the Debian package `chromium`).');
    return;
  }
  say('installing Chromium for the dashboard browser test (apt-get install chromium)');
  const ok =
    run('apt-get', ['update', '-qq'], { allowFail: true }) &&
    run('apt-get', ['install', '-y', '-qq', 'chromium'], { allowFail: true, env: { DEBIAN_FRONTEND: 'noninteractive' } });
  if (!ok) say('could not install Chromium: the browser test will be skipped');
}

// 6. clang-format for the C++ format check of `npm test` (optional; setup only) -------------------
function ensureClangFormat() {
  if (which('clang-format') || process.env.CLANG_FORMAT) return;
  if (process.getuid?.() !== 0 || !which('apt-get')) {
    say('clang-format is not installed: the C++ format check will be skipped (install the Debian package `clang-format`).');
    return;
  }
  say('installing clang-format for the C++ format check (apt-get install clang-format)');
  const ok =
    run('apt-get', ['update', '-qq'], { allowFail: true }) &&
    run('apt-get', ['install', '-y', '-qq', 'clang-format'], { allowFail: true, env: { DEBIAN_FRONTEND: 'noninteractive' } });
  if (!ok) say('could not install clang-format: the C++ format check will be skipped');
}

async function setup({ chromium, clangFormat }) {
  installDependencies();
  generatePrismaClient();
  // Native kernels (packages/kernels): skipped when unchanged; a failed build only falls back to JS.
  run(process.execPath, [join(root, 'packages/kernels/scripts/build.mjs')]);
  await ensureRedis();
  await ensurePostgres();
  migrateDatabase();
  if (chromium) ensureChromium();
  if (clangFormat) ensureClangFormat();
}

// Commands -----------------------------------------------------------------------------------
function startAll() {
  // `node --import tsx`, one process per service: the supervisor's signals reach the service
  // itself (the `tsx` launcher would put a second process in between).
  const services = [
    { name: 'api', file: 'services/api/src/main.ts' },
    { name: 'worker-ssm', file: 'services/worker-ssm/src/main.ts' },
    { name: 'worker-qubo', file: 'services/worker-qubo/src/main.ts' },
    { name: 'dashboard', file: 'services/dashboard/src/main.ts' },
  ].map((s) => ({ name: s.name, command: process.execPath, args: ['--import', 'tsx', join(root, s.file)] }));
  // A service that dies is restarted with backoff; the others keep serving (scripts/supervise.mjs).
  const supervisor = supervise(services, { env, cwd: root, say });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    say('stopping (running jobs go back to the queue)');
    await supervisor.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const apiPort = env.PORT ?? '8080';
  const dashPort = env.DASHBOARD_PORT ?? '8081';
  say(`API        http://127.0.0.1:${apiPort}   (OpenAPI: http://127.0.0.1:${apiPort}/docs)`);
  say(`Dashboard  http://127.0.0.1:${dashPort}`);
  say('Workers    worker-ssm, worker-qubo   (a service that dies is restarted; Ctrl-C stops everything)');
}

// One more worker process against any REDIS_URL / DATABASE_URL: a machine joins by running it.
const workerKinds = { qubo: 'services/worker-qubo/src/main.ts', ssm: 'services/worker-ssm/src/main.ts' };

async function runWorker(kind) {
  const file = workerKinds[kind];
  if (!file) fail(`unknown worker ${kind ?? '(none)'}: use \`npm run worker -- qubo\` or \`npm run worker -- ssm\``);
  // Installs only what is missing: several workers started at once on one machine must not run
  // `npm ci` side by side (each would delete node_modules under the others). After pulling a new
  // package-lock.json, run `npm run setup` once.
  if (!existsSync(tsx)) installDependencies();
  generatePrismaClient();
  if (kind === 'ssm') run(process.execPath, [join(root, 'packages/kernels/scripts/build.mjs')]);
  // A joining worker uses the platform's Redis and Postgres: it never starts local ones.
  for (const [name, url, port, variable] of [
    ['Redis', env.REDIS_URL, 6379, 'REDIS_URL'],
    ['Postgres', env.DATABASE_URL, 5432, 'DATABASE_URL'],
  ]) {
    if (!(await reachable(url, port))) fail(`${name} is not reachable at ${url}: set ${variable} to the platform's ${name} (the one its API uses)`);
  }
  say(`worker-${kind} joining ${env.REDIS_URL.replace(/\/\/[^@/]*@/, '//***@')} (Ctrl-C hands its running jobs back)`);
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, file)], { cwd: root, env, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const command = process.argv[2];
switch (command) {
  case 'setup':
    await setup({ chromium: true, clangFormat: true });
    say('set-up complete');
    break;
  case 'start':
    await setup({ chromium: false });
    // The first admin key, printed once, when the database has none (scripts/keys.ts).
    run(tsx, [join(root, 'scripts', 'keys.ts'), 'first-run']);
    startAll();
    break;
  case 'test': {
    await setup({ chromium: false });
    run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json', '--noEmit']);
    run(join(root, 'node_modules', '.bin', 'biome'), ['check', '.']);
    run(process.execPath, [join(root, 'scripts', 'check-cpp-format.mjs')]);
    const report = join(stateDir, 'vitest-report.json');
    const ok = run(
      join(root, 'node_modules', '.bin', 'vitest'),
      ['run', '--reporter=default', `--outputFile.json=${report}`, '--reporter=json', ...process.argv.slice(3)],
      { allowFail: true },
    );
    // One plain closing line, whatever reads the log.
    try {
      const r = JSON.parse(readFileSync(report, 'utf8'));
      const skipped = r.numPendingTests + r.numTodoTests;
      console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
    } catch {
      console.log('tests: 0 passed, 1 failed');
    }
    if (!ok) fail('tests failed');
    break;
  }
  case 'worker':
    await runWorker(process.argv[3]);
    break;
  case 'demo':
    installDependencies();
    run(tsx, [join(root, 'scripts', 'demo.ts'), ...process.argv.slice(3)]);
    break;
  default:
    fail(`unknown command ${command ?? '(none)'}: use setup, start, test, worker or demo`);
}
