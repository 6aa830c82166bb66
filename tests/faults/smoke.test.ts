import { describe, expect, it, onTestFinished } from 'vitest';
import { missingBinaries, runExitHooks } from './procs.js';
import { runFaultSuite, smokeOptions } from './suite.js';

// The fault suite's short run inside `npm test` (the long one: `npm run test:faults`). Its own
// Redis, Postgres, API and workers on other ports (never the shared 6379/5432), one injection of
// every fault kind, in the forms the platform survives today:
//
// - worker_kill: only worker-ssm in the middle of a training, after a checkpoint (it resumes).
//   EXCLUDED: killing a worker-qubo under load. A job whose completion reached Postgres but not yet
//   Redis would run again after the lock expires and rewrite its finished row (completion guard
//   'any' in packages/db/src/repos/job-writes.ts). The window is a Redis round trip, not seen in
//   the long runs so far, but a flake here when it comes; the long run kills every worker-qubo.
// - redis_restart: a plain SIGKILL + restart on the append-only file (loses nothing Redis answered).
//   EXCLUDED: the lost last second of `appendfsync everysec` (redisLoseMs). Completions lost from
//   Redis re-run finished jobs and rewrite their results (the same completion guard).
// - pg_outage: 2.5 s. EXCLUDED: 10 s. Jobs in flight spend their 3 attempts (backoff 2 s + 4 s) on
//   the outage and end failed with a retryable code, or stay `waiting` for ever when not even their
//   start was written (the reconciler syncs BullMQ's endings to `active` rows only).
// - partition: 1 s, shorter than the 5 s lock. EXCLUDED: cuts longer than the lock. A job whose lock
//   expired during the cut finishes, then runs again; its finished row is rewritten.
// - api_kill, pg_restart: as in the long run.
const missing = missingBinaries();

describe.skipIf(missing !== undefined)(`fault suite, smoke${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('loses, doubles and sticks no acknowledged job through one fault of each kind', { timeout: 300_000 }, async () => {
    // A test runner that stops this worker (a timeout, Ctrl-C) must not leave Postgres, Redis or services behind.
    const onSignal = (sig: NodeJS.Signals) => {
      runExitHooks();
      process.exit(sig === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    onTestFinished(() => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    });
    const lines: string[] = [];
    // KILN_FAULTS_KEEP=1 keeps the temp dir (service logs, data) for a post-mortem.
    const report = await runFaultSuite({ ...smokeOptions, keep: process.env.KILN_FAULTS_KEEP === '1', say: (line) => lines.push(line) });
    const summary = `${lines.join('\n')}\n${report.table}\n${report.json}`;
    if (report.lost + report.duplicated + report.stuck > 0 || report.problems.length > 0) console.error(summary);
    expect(report.json.startsWith('{"bench":"faults"'), summary).toBe(true);
    expect(Object.values(report.faults), summary).toEqual([1, 1, 1, 1, 1, 1]);
    expect(report.acknowledged, summary).toBe(report.jobs);
    expect(report.jobs, summary).toBeGreaterThanOrEqual(150);
    expect({ lost: report.lost, duplicated: report.duplicated, stuck: report.stuck }, summary).toEqual({ lost: 0, duplicated: 0, stuck: 0 });
    expect(report.completed + report.failedFatal, summary).toBe(report.acknowledged);
    expect(report.problems, summary).toEqual([]);
    // The training killed mid-run resumed from its checkpoint (the note says so; a retrain from scratch is a `resume` problem above).
    expect(report.faultLog.find((f) => f.kind === 'worker_kill')?.note ?? '', summary).toMatch(/resumed from its epoch-\d+ checkpoint/);
  });
});
