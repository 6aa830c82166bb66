import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { supervise } from '../../scripts/supervise.mjs';

// npm start's supervisor with real child processes: a service that dies comes back, the others
// are untouched, and stop() ends them all.
describe('the npm start supervisor', () => {
  it('restarts a dead service with backoff while the others keep running, and stops them all', async () => {
    const lines: string[] = [];
    const sink = new PassThrough();
    sink.on('data', (d) => lines.push(String(d)));
    const s = supervise(
      [
        { name: 'crasher', command: process.execPath, args: ['-e', 'console.log("up"); setTimeout(() => process.exit(3), 50)'] },
        { name: 'steady', command: process.execPath, args: ['-e', 'console.log("up"); setInterval(() => {}, 1000)'] },
      ],
      { out: sink, err: sink, say: (m) => lines.push(`[kiln] ${m}\n`), minBackoffMs: 20, maxBackoffMs: 80, stableMs: 60_000 },
    );
    const steadyPid = s.children.get('steady')?.pid;
    while ((s.restarts.get('crasher') ?? 0) < 3) await new Promise((r) => setTimeout(r, 20));
    expect(s.children.get('steady')?.pid).toBe(steadyPid);
    expect(s.children.get('steady')?.exitCode).toBeNull();
    expect(s.restarts.get('steady') ?? 0).toBe(0);
    await s.stop();
    for (const c of s.children.values()) expect(c.exitCode !== null || c.signalCode !== null).toBe(true);
    const text = lines.join('');
    expect(text).toContain('crasher exited (3); restarting it in');
    expect(text).toContain('crasher    | up');
    expect(text).toContain('steady     | up');
  });
});
