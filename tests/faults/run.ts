/**
 * The long fault run: `npm run test:faults [-- --qubo 2000 --score 40 --train 5 --each 3 --seed 1 --keep]`.
 *
 * Starts its own Redis, Postgres, 2 APIs, 2 worker-qubo and a worker-ssm (tests/faults/suite.ts),
 * submits the ledger while injecting every fault `--each` times, waits for quiescence, checks every
 * acknowledged job and prints the fault table, the recovery times, the problems found, and as the
 * last line one JSON object. Exits 1 when a job was lost, duplicated or stuck. `--keep` keeps the
 * temp dir (service logs, Postgres and Redis data) for a post-mortem; `--only a,b` limits the
 * fault kinds; `--no-preload` drops the burst of solves sent before each fault; `--smoke` runs the smoke test's settings (tests/faults/smoke.test.ts) instead.
 */
import { parseArgs } from 'node:util';
import { runExitHooks } from './procs.js';
import { defaultOptions, type FaultKind, faultKinds, runFaultSuite, smokeOptions } from './suite.js';

const { values } = parseArgs({
  options: {
    qubo: { type: 'string', default: String(defaultOptions.qubo) },
    score: { type: 'string', default: String(defaultOptions.score) },
    train: { type: 'string', default: String(defaultOptions.train) },
    each: { type: 'string', default: '3' },
    only: { type: 'string' },
    apis: { type: 'string', default: String(defaultOptions.apis) },
    'qubo-workers': { type: 'string', default: String(defaultOptions.quboWorkers) },
    'pg-outage-ms': { type: 'string', default: String(defaultOptions.pgOutageMs) },
    'partition-ms': { type: 'string', default: String(defaultOptions.partitionMs) },
    'redis-lose-ms': { type: 'string', default: String(defaultOptions.redisLoseMs) },
    'gap-ms': { type: 'string', default: String(defaultOptions.gapMs) },
    seed: { type: 'string', default: String(defaultOptions.seed) },
    keep: { type: 'boolean', default: false },
    'no-preload': { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
  },
});

const only = values.only ? (values.only.split(',') as FaultKind[]) : [...faultKinds];
for (const k of only) if (!faultKinds.includes(k)) throw new Error(`--only: unknown fault ${k} (one of ${faultKinds.join(', ')})`);
const each = Number(values.each);

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.once(sig, () => {
    console.error(`[faults] ${sig}: stopping everything the suite started`);
    runExitHooks();
    process.exit(130);
  });

const report = await runFaultSuite(
  values.smoke
    ? { ...smokeOptions, keep: values.keep }
    : {
        qubo: Number(values.qubo),
        score: Number(values.score),
        train: Number(values.train),
        apis: Number(values.apis),
        quboWorkers: Number(values['qubo-workers']),
        faults: Object.fromEntries(only.map((k) => [k, each])),
        pgOutageMs: Number(values['pg-outage-ms']),
        partitionMs: Number(values['partition-ms']),
        redisLoseMs: Number(values['redis-lose-ms']),
        gapMs: Number(values['gap-ms']),
        seed: Number(values.seed),
        preload: !values['no-preload'],
        keep: values.keep,
      },
);
console.log(report.table);
console.log(`\nrun time ${report.seconds.toFixed(0)} s`);
console.log(report.json);
process.exitCode = report.lost + report.duplicated + report.stuck > 0 ? 1 : 0;
