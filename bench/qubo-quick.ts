/**
 * Quick QUBO benchmark: solves real instances with @kiln/qubo's parallel annealer and compares with
 * the best-known values. Prints figures only; never asserts a time.
 *
 *   npx tsx bench/qubo-quick.ts --data /work/shared/data/qubo --only G1,bqp50-1 --time 2
 *
 * Options: --data DIR (gset/, orlib/, mis/, best-known.json), --only NAME[,NAME…] (G-set stem, `<bqp
 * file stem>-<k>`, or MIS file stem; default G1,bqp50-1), --time S per instance (default 2),
 * --threads T, --sweeps N (per anneal, default 1000), --seed S (default 1), --no-target (run the
 * full time even after reaching the best-known value). The last line is one JSON object.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type QuboProblem, graphFromEdges, maxCutQubo, misQubo, parseBqp, parseGset, solve } from '@kiln/qubo';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '/work/shared/data/qubo' },
    only: { type: 'string', default: 'G1,bqp50-1' },
    time: { type: 'string', default: '2' },
    threads: { type: 'string' },
    sweeps: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    'no-target': { type: 'boolean', default: false },
  },
});

const dataDir = values.data;
if (!existsSync(dataDir)) {
  console.error(`no data directory ${dataDir}`);
  process.exit(2);
}
const bestKnown = JSON.parse(readFileSync(join(dataDir, 'best-known.json'), 'utf8')) as Record<string, { kind: string; sense: string; value: number }>;

function load(name: string): QuboProblem {
  if (/^G\d+$/.test(name)) return maxCutQubo(parseGset(readFileSync(join(dataDir, 'gset', `${name}.txt`), 'utf8')));
  const bqp = /^(bqp\d+)-(\d+)$/.exec(name);
  if (bqp) {
    const all = parseBqp(readFileSync(join(dataDir, 'orlib', `${bqp[1]}.txt`), 'utf8'));
    const hit = all.find((p) => p.index === Number(bqp[2]));
    if (!hit) throw new Error(`${name}: the file has ${all.length} problems`);
    return hit.problem;
  }
  const misFile = join(dataDir, 'mis', `${name}.txt`);
  if (existsSync(misFile)) {
    // 0/1 adjacency matrix, one row per line
    const rows = readFileSync(misFile, 'utf8')
      .trim()
      .split(/\r?\n/)
      .map((l) => l.trim().split(/\s+/).map(Number));
    const edges: Array<[number, number]> = [];
    for (const [i, row] of rows.entries()) {
      for (const [j, a] of row.entries()) if (a !== 0 && j > i) edges.push([i, j]);
    }
    return misQubo(graphFromEdges(rows.length, edges));
  }
  throw new Error(`unknown instance ${name}`);
}

const timeLimitMs = Number(values.time) * 1000;
const threads = values.threads === undefined ? undefined : Number(values.threads);
const instances: Array<{ name: string; best_known: number | null; best: number; gap_pct: number | null; time_to_best_s: number; flips_per_s: number }> = [];
let totalFlips = 0;
let totalComputeS = 0;
let threadsUsed = 0;

for (const name of values.only
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)) {
  const problem = load(name);
  const known = bestKnown[name]?.value ?? null;
  // The user-facing value is −energy for every kind here (cut, bqp objective, MIS size with wDiag = 1).
  const target = known !== null && !values['no-target'] ? -known : undefined;
  const r = await solve(problem, { timeLimitMs, restarts: true, sweeps: Number(values.sweeps), seed: Number(values.seed), threads, target });
  threadsUsed = r.threads;
  const flipsPerS = r.flipAttempts / (r.computeMs / r.threads / 1000);
  totalFlips += r.flipAttempts;
  totalComputeS += r.computeMs / r.threads / 1000;
  const best = r.evaluation.value;
  const gap = known === null ? null : (100 * (known - best)) / Math.abs(known);
  console.log(
    `${name.padEnd(12)} n=${String(problem.n).padStart(5)}  best ${best} / known ${known ?? '?'}${gap === null ? '' : ` (gap ${gap.toFixed(3)}%)`}` +
      `  time-to-best ${(r.timeToBestMs / 1000).toFixed(3)} s  elapsed ${(r.elapsedMs / 1000).toFixed(2)} s  anneals ${r.anneals}` +
      `  ${(flipsPerS / 1e6).toFixed(1)} M flip attempts/s on ${r.threads} threads (${(flipsPerS / r.threads / 1e6).toFixed(1)} M/s per thread)` +
      `${r.evaluation.feasible ? '' : '  INFEASIBLE (repaired)'}`,
  );
  instances.push({ name, best_known: known, best, gap_pct: gap, time_to_best_s: r.timeToBestMs / 1000, flips_per_s: Math.round(flipsPerS) });
}

console.log(
  JSON.stringify({
    bench: 'qubo-quick',
    threads: threadsUsed,
    flips_per_s: Math.round(totalFlips / totalComputeS),
    flips_per_s_per_thread: Math.round(totalFlips / totalComputeS / Math.max(1, threadsUsed)),
    instances,
  }),
);
