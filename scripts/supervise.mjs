// A small process supervisor for `npm start` (plain Node, no dependencies): runs each service as
// a child, prefixes its output, and restarts one that dies, with backoff (1 s, 2 s, 4 s … 30 s;
// back to 1 s once it has stayed up for a minute), while the others keep serving. In production
// the orchestrator does this (docker compose `restart`, Kubernetes); this only covers a checkout.
import { spawn } from 'node:child_process';

/**
 * @param {Array<{ name: string, command: string, args: string[] }>} services
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, out?: NodeJS.WritableStream, err?: NodeJS.WritableStream,
 *           say?: (msg: string) => void, minBackoffMs?: number, maxBackoffMs?: number, stableMs?: number }} options
 * @returns {{ stop(): Promise<void>, children: Map<string, import('node:child_process').ChildProcess>, restarts: Map<string, number> }}
 */
export function supervise(services, options = {}) {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const say = options.say ?? ((m) => err.write(`[kiln] ${m}\n`));
  const minBackoff = options.minBackoffMs ?? 1000;
  const maxBackoff = options.maxBackoffMs ?? 30_000;
  const stable = options.stableMs ?? 60_000;
  const children = new Map();
  const restarts = new Map();
  const timers = new Set();
  let stopping = false;

  const relay = (stream, to, prefix) => {
    let buf = '';
    stream.on('data', (d) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop();
      for (const line of lines) to.write(`${prefix} ${line}\n`);
    });
  };

  const start = (s, backoff) => {
    const startedAt = Date.now();
    const child = spawn(s.command, s.args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.set(s.name, child);
    const prefix = `${s.name.padEnd(11)}|`;
    relay(child.stdout, out, prefix);
    relay(child.stderr, err, prefix);
    child.on('exit', (code, signal) => {
      if (stopping) return;
      const next = Date.now() - startedAt >= stable ? minBackoff : Math.min(maxBackoff, backoff * 2);
      const wait = Date.now() - startedAt >= stable ? minBackoff : backoff;
      restarts.set(s.name, (restarts.get(s.name) ?? 0) + 1);
      say(`${s.name} exited (${signal ?? code}); restarting it in ${(wait / 1000).toFixed(0)} s (the others keep serving)`);
      const t = setTimeout(() => {
        timers.delete(t);
        if (!stopping) start(s, next);
      }, wait);
      timers.add(t);
    });
  };
  for (const s of services) start(s, minBackoff);

  return {
    children,
    restarts,
    /** SIGTERM to every child (a graceful stop), SIGKILL after 15 s. */
    stop() {
      stopping = true;
      for (const t of timers) clearTimeout(t);
      const alive = [...children.values()].filter((c) => c.exitCode === null && c.signalCode === null);
      return new Promise((resolve) => {
        if (alive.length === 0) return resolve();
        let left = alive.length;
        const kill = setTimeout(() => {
          for (const c of alive) if (c.exitCode === null) c.kill('SIGKILL');
        }, 15_000);
        kill.unref();
        for (const c of alive) {
          c.once('exit', () => {
            if (--left === 0) {
              clearTimeout(kill);
              resolve();
            }
          });
          c.kill('SIGTERM');
        }
      });
    },
  };
}
