/**
 * The native QUBO annealer (@kiln/kernels annealQubo) per mode: flip throughput on G-set G1 and the
 * time to reach the best-known value on G-set, OR-Library bqp and the Loihi MIS-100 workloads.
 * Prints figures only; never asserts a time.
 *
 *   npx tsx bench/anneal-kernel.mts                 (quick: G1, bqp{50,100,250}-1, the 5 MIS graphs)
 *   npx tsx bench/anneal-kernel.mts --all --seeds 10 (every instance of /work/shared/data/qubo)
 *
 * Options: --data DIR, --only NAME[,NAME…] (G-set stem, `<bqp stem>-<k>`, MIS file stem), --all,
 * --modes sa,loihi,tabu, --seeds N (default 5), --threads T, --throughput-ms MS (default 1000 per
 * mode), --limit-gset / --limit-bqp / --limit-mis MS (time limit of one run, default 1000/200/50).
 * Each run: restarts until the best-known energy (target) or the limit. "kernel" = timeToBestMs
 * inside the kernel; "call" = wall time of the awaited call (N-API + thread pool included).
 * The last line is one JSON object.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type AnnealMode, annealQubo, loadNative, nativeStatus } from '@kiln/kernels';
import { type CsrQubo, type Graph, cutValue, graphFromEdges, maxCutQubo, misQubo, parseBqp, parseGset, repairIndependentSet, toCsr } from '@kiln/qubo';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '/work/shared/data/qubo' },
    only: { type: 'string' },
    all: { type: 'boolean', default: false },
    modes: { type: 'string', default: 'sa,loihi,tabu' },
    seeds: { type: 'string', default: '5' },
    threads: { type: 'string' },
    'throughput-ms': { type: 'string', default: '1000' },
    'limit-gset': { type: 'string', default: '1000' },
    'limit-bqp': { type: 'string', default: '200' },
    'limit-mis': { type: 'string', default: '50' },
  },
});

if (!loadNative()) {
  console.error(`native addon not available: ${nativeStatus().reason}`);
  process.exit(2);
}
const dataDir = values.data;
const modes = values.modes.split(',') as AnnealMode[];
const seeds = Number(values.seeds);
const threads = values.threads === undefined ? undefined : Number(values.threads);
const bestKnown = JSON.parse(readFileSync(join(dataDir, 'best-known.json'), 'utf8')) as Record<string, { kind: string; value: number }>;

interface Instance {
  name: string;
  kind: 'maxcut' | 'bqp' | 'mis';
  csr: CsrQubo;
  target: number;
  graph?: Graph;
}

function misGraph(file: string): Graph {
  const rows = readFileSync(file, 'utf8')
    .trim()
    .split(/\r?\n/)
    .map((l) => l.trim().split(/\s+/).map(Number));
  const edges: Array<[number, number]> = [];
  rows.forEach((r, i) => {
    r.forEach((v, j) => {
      if (v && j > i) edges.push([i, j]);
    });
  });
  return graphFromEdges(rows.length, edges);
}

function load(name: string): Instance {
  const known = bestKnown[name];
  if (!known) throw new Error(`${name}: not in best-known.json`);
  if (/^G\d+$/.test(name)) {
    const graph = parseGset(readFileSync(join(dataDir, 'gset', `${name}.txt`), 'utf8'));
    return { name, kind: 'maxcut', csr: toCsr(maxCutQubo(graph)), target: -known.value, graph };
  }
  const bqp = /^(bqp\d+)-(\d+)$/.exec(name);
  if (bqp) {
    const hit = parseBqp(readFileSync(join(dataDir, 'orlib', `${bqp[1]}.txt`), 'utf8')).find((p) => p.index === Number(bqp[2]));
    if (!hit) throw new Error(`${name}: no such problem`);
    return { name, kind: 'bqp', csr: toCsr(hit.problem), target: -known.value };
  }
  const graph = misGraph(join(dataDir, 'mis', `${name}.txt`));
  return { name, kind: 'mis', csr: toCsr(misQubo(graph)), target: -known.value, graph };
}

function names(): string[] {
  if (values.only) return values.only.split(',');
  if (values.all) {
    const gset = readdirSync(join(dataDir, 'gset'))
      .map((f) => f.replace(/\.txt$/, ''))
      .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
    const bqp = ['bqp50', 'bqp100', 'bqp250'].flatMap((s) => Array.from({ length: 10 }, (_, k) => `${s}-${k + 1}`));
    const mis = readdirSync(join(dataDir, 'mis'))
      .map((f) => f.replace(/\.txt$/, ''))
      .sort();
    return [...gset, ...bqp, ...mis];
  }
  return ['G1', 'bqp50-1', 'bqp100-1', 'bqp250-1', ...[0, 1, 2, 3, 4].map((k) => `mis-uniform-100-0.05-${k}`)];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[Math.floor((s.length - 1) / 2)] as number);
};
const fmt = (ms: number): string => (Number.isFinite(ms) ? (ms < 10 ? ms.toFixed(2) : ms.toFixed(0)) : '—');
const summary: Record<string, unknown> = {};

// 1. Throughput on G1: each mode runs `throughput-ms` with restarts (no target).
{
  const g1 = load('G1');
  const ms = Number(values['throughput-ms']);
  console.log(`G1 (n ${g1.csr.n}, ${g1.csr.col.length / 2} edges): throughput over ${ms} ms per mode, ${threads ?? 'all'} threads`);
  const tp: Record<string, unknown> = {};
  for (const mode of modes) {
    const r = await annealQubo(g1.csr, { mode, seed: 1, threads, timeLimitMs: ms, restarts: true });
    const perS = (r.flipAttempts / r.elapsedMs) * 1e3;
    const extra = mode === 'tabu' ? ` (${((r.sweeps / r.elapsedMs) * 1e3).toExponential(2)} iterations/s; attempts = candidates evaluated)` : '';
    console.log(
      `  ${mode.padEnd(5)} ${perS.toExponential(2)} flip attempts/s${extra}, best cut ${cutValue(g1.graph!, r.state)} (${r.threads} threads, ${r.simd})`,
    );
    tp[mode] = { flipAttemptsPerS: perS, iterationsPerS: (r.sweeps / r.elapsedMs) * 1e3, bestCut: -r.energy };
  }
  summary.throughputG1 = tp;
}

// 2. Time to the best-known value.
const limits = { maxcut: Number(values['limit-gset']), bqp: Number(values['limit-bqp']), mis: Number(values['limit-mis']) };
const rows: Record<string, Record<string, unknown>> = {};
console.log(
  `\ntime to best-known (ms; median / max over ${seeds} seeds; hits/seeds; limit per run: G-set ${limits.maxcut}, bqp ${limits.bqp}, MIS ${limits.mis})`,
);
console.log(`${'instance'.padEnd(22)}${modes.map((m) => `${m} kernel · call · hits`.padEnd(34)).join('')}`);
for (const name of names()) {
  if (!existsSync(dataDir)) break;
  const inst = load(name);
  const cells: string[] = [];
  rows[name] = {};
  for (const mode of modes) {
    const kernel: number[] = [];
    const call: number[] = [];
    let hits = 0;
    for (let seed = 0; seed < seeds; seed++) {
      const t0 = performance.now();
      const r = await annealQubo(inst.csr, { mode, seed, threads, timeLimitMs: limits[inst.kind], restarts: true, target: inst.target });
      const wall = performance.now() - t0;
      if (r.reachedTarget) hits++;
      kernel.push(r.reachedTarget ? r.timeToBestMs : Number.POSITIVE_INFINITY);
      call.push(r.reachedTarget ? wall : Number.POSITIVE_INFINITY);
    }
    const cell = `${fmt(median(kernel))}/${fmt(Math.max(...kernel))} · ${fmt(median(call))} · ${hits}/${seeds}`;
    cells.push(cell.padEnd(34));
    rows[name][mode] = { kernelMedianMs: median(kernel), kernelMaxMs: Math.max(...kernel), callMedianMs: median(call), hits, seeds };
  }
  console.log(`${name.padEnd(22)}${cells.join('')}`);
}

// 3. MIS: is the best state after a 1 ms run an independent set (Intel's "feasible within 1 ms")?
const misNames = names().filter((n) => n.startsWith('mis'));
if (misNames.length > 0) {
  console.log(`\nMIS: best state of a 1 ms run (restarts), feasible runs / ${seeds} seeds, median set size, median call ms`);
  const feas: Record<string, unknown> = {};
  for (const mode of modes) {
    const parts: string[] = [];
    for (const name of misNames) {
      const inst = load(name);
      let ok = 0;
      const sizes: number[] = [];
      const calls: number[] = [];
      for (let seed = 0; seed < seeds; seed++) {
        const t0 = performance.now();
        const r = await annealQubo(inst.csr, { mode, seed: 1000 + seed, threads, timeLimitMs: 1, restarts: true });
        calls.push(performance.now() - t0);
        const { feasible } = repairIndependentSet(inst.graph!, r.state);
        if (feasible) ok++;
        sizes.push(r.state.reduce((a, b) => a + b, 0));
      }
      parts.push(`${ok}/${seeds} |S| ${median(sizes)} ${fmt(median(calls))}ms`);
      feas[`${mode}:${name}`] = { feasible: ok, seeds, medianSize: median(sizes), medianCallMs: median(calls) };
    }
    console.log(`  ${mode.padEnd(5)} ${parts.join(' | ')}`);
  }
  summary.misFeasible1ms = feas;
}
summary.timeToTarget = rows;
console.log(JSON.stringify(summary));
