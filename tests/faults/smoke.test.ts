import { describe, expect, it, onTestFinished } from 'vitest';
import { missingBinaries, runExitHooks } from './procs.js';
import { runFaultSuite, smokeOptions } from './suite.js';

// The fault suite's short run inside `npm test` (the long one: `npm run test:faults`). Its own
// Redis, Postgres, API and workers on other ports (never the shared 6379/5432), every fault kind in
// its long-run form (smokeOptions in suite.ts): a worker-ssm killed mid-training after a checkpoint
// and a worker-qubo killed under load, an API killed with submits in flight, Redis SIGKILLed with
// its last second of writes lost, Postgres restarted and stopped for 7 s, the workers cut off from
// Redis for longer than their locks.
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
    expect(report.faults, summary).toEqual({ worker_kill: 2, api_kill: 1, redis_restart: 1, pg_restart: 1, pg_outage: 1, partition: 1 });
    expect(report.acknowledged, summary).toBe(report.jobs);
    expect(report.jobs, summary).toBeGreaterThanOrEqual(150);
    expect({ lost: report.lost, duplicated: report.duplicated, stuck: report.stuck }, summary).toEqual({ lost: 0, duplicated: 0, stuck: 0 });
    expect(report.completed + report.failedFatal, summary).toBe(report.acknowledged);
    expect(report.problems, summary).toEqual([]);
    // The training killed mid-run resumed from its checkpoint (the note says so; a retrain from scratch is a `resume` problem above).
    expect(report.faultLog.find((f) => f.kind === 'worker_kill')?.note ?? '', summary).toMatch(/resumed from its epoch-\d+ checkpoint/);
  });
});
