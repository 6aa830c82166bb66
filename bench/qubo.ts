/**
 * QUBO benchmark: every instance of a data directory solved by @kiln/qubo's solve() (the native
 * kernel when the addon is loaded, else the JS engine), several seeds each, against the best-known
 * values. Prints figures only; never asserts a time.
 *
 *   npm run bench:qubo -- --data ../shared/data/qubo [--time 10] [--seeds 10] [--only G1,bqp50-1]
 *
 * Data directory (any directory laid out like /work/shared/data/qubo):
 *   gset/<name>.txt    G-set graphs (`n m`, then `i j w`), solved as Max-Cut; instance `<name>`
 *   orlib/<stem>.txt   OR-Library bqp files; problem k is instance `<stem>-<k>` (maximise)
 *   mis/<name>.txt     0/1 adjacency matrices, solved as maximum independent set (Intel's form,
 *                      wDiag 1, wOff 8; the value is the size of the repaired set)
 *   sparse/<name>.sparse  Biq Mac `.sparse` QUBOs (minimise)
 *   best-known.json    optional: { "<instance>": { "kind", "sense": "max" | "min", "value" } };
 *                      instances without an entry get an empty best known (and no target).
 *                      Other fields and keys starting with `_` are ignored. When DIR has none,
 *                      the one beside DIR is read (bench/qubo-set keeps its references beside
 *                      the generated instances/); --best-known FILE names another.
 *
 * Each run = solve(problem, { mode, seed, timeLimitMs: --time, restarts: true, target }) where the
 * target is the best-known value as an energy, so a run stops at the best-known value or at its
 * time limit. Seeds 1..--seeds.
 *
 * Columns: best found = the best value over the seeds; gap % = (best known − best found) /
 * |best known| (sign flipped for minimisation); time to best = the kernel's time from its own start
 * (after the CSR is built) to the best-known value (median over seeds, a failed seed counting as
 * ∞); without a best-known value, the median time to each run's best. success 1 s / 10 s = seeds
 * that reached the best-known value within 1 s / 10 s of kernel time (a run never goes past
 * --time, so with --time 1 both columns count the same runs). The JS engine's times count from the
 * call, thread start-up included.
 * TTS99 = time to target with 99% confidence from the empirical time-to-target distribution:
 * min over t of t·ln(0.01)/ln(1 − p(t)), p(t) = fraction of seeds that reached the target by t
 * (taken at the observed success times; = t where p(t) = 1; ∞ when no seed succeeded).
 * flips/s (per instance) = flip attempts / wall time of the solve() calls (tabu counts candidate
 * moves evaluated). mode = the kernel mode that found each run's best (a portfolio's winner), with
 * counts. MIS instances also get `feasible_1ms`: the fraction of seeds whose 1 ms run (time limit
 * 1 ms from the call, no target) returned an independent set. The headline flips_per_s is a
 * dedicated run: sa on G1 (else the first G-set graph), all replicas (16 per thread) on all cores,
 * restarts, no target, for --throughput-ms (default 1000) split between sa and multispin (alternated,
 * two runs each): flip attempts / kernel time of each and their ratio (flips_per_s is sa's).
 *
 * Options: --data DIR (default ../shared/data/qubo from the repository root), --time S per run
 * (default 10), --seeds N (default 10), --only NAME[,NAME…], --mode auto|sa|loihi|tabu|multispin|memetic (default
 * auto), --plan a[+b] (auto's candidates as auto configures them, instead of --mode), --threads T, --engine auto|native|js, --throughput-ms MS (0 skips it), --best-known FILE. The LAST line is one
 * JSON object: {"bench":"qubo","flips_per_s":…,"instances":[{"name","best_known","best",
 * "median_time_to_best_s","success_1s","success_10s","tts99_s","gap_pct","mode","seeds",…}, …]}.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadNative, nativeStatus } from '@kiln/kernels';
import {
  type Graph,
  graphFromEdges,
  maxCutQubo,
  misQubo,
  parseBiqMacSparse,
  parseBqp,
  parseGset,
  AUTO_CANDIDATES,
  type AutoCandidate,
  planAuto,
  type PlanMember,
  problemShape,
  type QuboProblem,
  SOLVE_MODES,
  type SolveMode,
  solve,
  toCsr,
} from '@kiln/qubo';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/qubo' },
    time: { type: 'string', default: '10' },
    seeds: { type: 'string', default: '10' },
    only: { type: 'string' },
    mode: { type: 'string', default: 'auto' },
    plan: { type: 'string' },
    threads: { type: 'string' },
    engine: { type: 'string', default: 'auto' },
    'throughput-ms': { type: 'string', default: '1000' },
    'best-known': { type: 'string' },
  },
});

const dataDir = resolve(values.data);
if (!existsSync(dataDir)) {
  console.error(`no data directory ${dataDir}`);
  process.exit(2);
}
const timeLimitMs = Number(values.time) * 1000;
const seeds = Number(values.seeds);
const mode = values.mode as SolveMode;
const threads = values.threads === undefined ? undefined : Number(values.threads);
const engine = values.engine as 'auto' | 'native' | 'js';
// --plan a[+b]: run auto's candidate(s) as auto would configure them for the instance's shape class,
// on every thread (a portfolio splits them as planAuto does), instead of --mode: for comparing a
// class's choice with another configuration in the same run.
const planNames = values.plan?.split('+').map((s) => s.trim()) as AutoCandidate[] | undefined;
if (
  !(timeLimitMs > 0) ||
  !(Number.isInteger(seeds) && seeds >= 1) ||
  !SOLVE_MODES.includes(mode) ||
  !['auto', 'native', 'js'].includes(engine) ||
  (planNames && (planNames.length > 2 || !planNames.every((c) => AUTO_CANDIDATES.includes(c))))
) {
  console.error(
    `bad options: --time > 0, --seeds ≥ 1, --mode ${SOLVE_MODES.join('|')}, --plan one or two of ${AUTO_CANDIDATES.join(', ')} joined by +, --engine auto|native|js`,
  );
  process.exit(2);
}
function planOf(problem: QuboProblem): PlanMember[] | undefined {
  if (!planNames) return undefined;
  // auto's own planning with a table that has only this configuration (its "unseen" entry).
  return planAuto(problemShape(toCsr(problem)), threads ?? availableParallelism(), { generated: '--plan', classes: {}, unseen: planNames }).members;
}

interface Known {
  kind?: string;
  sense?: 'max' | 'min';
  value: number;
}
const knownFile = values['best-known']
  ? resolve(values['best-known'])
  : ([join(dataDir, 'best-known.json'), join(dataDir, '..', 'best-known.json')].find((f) => existsSync(f)) ?? join(dataDir, 'best-known.json'));
if (values['best-known'] && !existsSync(knownFile)) {
  console.error(`no best-known file ${knownFile}`);
  process.exit(2);
}
const bestKnown: Record<string, Known> = existsSync(knownFile) ? (JSON.parse(readFileSync(knownFile, 'utf8')) as Record<string, Known>) : {};

interface Instance {
  name: string;
  load(): QuboProblem;
}

const read = (...parts: string[]): string => readFileSync(join(dataDir, ...parts), 'utf8');
const files = (dir: string, ext: string): string[] =>
  existsSync(join(dataDir, dir))
    ? readdirSync(join(dataDir, dir))
        .filter((f) => f.endsWith(ext))
        .map((f) => f.slice(0, -ext.length))
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    : [];

function misGraph(text: string): Graph {
  const rows = text
    .trim()
    .split(/\r?\n/)
    .map((l) => l.trim().split(/\s+/).map(Number));
  const edges: Array<[number, number]> = [];
  rows.forEach((row, i) => {
    if (row.length !== rows.length) throw new Error(`row ${i + 1} has ${row.length} entries, expected ${rows.length}`);
    row.forEach((a, j) => {
      if (a !== 0 && j > i) edges.push([i, j]);
    });
  });
  return graphFromEdges(rows.length, edges);
}

function instances(): Instance[] {
  const out: Instance[] = [];
  for (const g of files('gset', '.txt')) out.push({ name: g, load: () => maxCutQubo(parseGset(read('gset', `${g}.txt`))) });
  for (const stem of files('orlib', '.txt')) {
    const header = read('orlib', `${stem}.txt`).trim().split(/\s+/, 1)[0];
    let cache: ReturnType<typeof parseBqp> | undefined;
    for (let k = 1; k <= Number(header); k++) {
      out.push({
        name: `${stem}-${k}`,
        load: () => {
          cache ??= parseBqp(read('orlib', `${stem}.txt`));
          const hit = cache.find((p) => p.index === k);
          if (!hit) throw new Error(`${stem}-${k}: the file has ${cache.length} problems`);
          return hit.problem;
        },
      });
    }
  }
  for (const m of files('mis', '.txt')) out.push({ name: m, load: () => misQubo(misGraph(read('mis', `${m}.txt`))) });
  for (const s of files('sparse', '.sparse')) out.push({ name: s, load: () => parseBiqMacSparse(read('sparse', `${s}.sparse`)) });
  return out;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** TTS99 from per-seed times to target (∞ = not reached); see the header. */
function tts99(times: number[]): number {
  const ok = times.filter(Number.isFinite).sort((a, b) => a - b);
  let best = Number.POSITIVE_INFINITY;
  ok.forEach((t, k) => {
    const p = (k + 1) / times.length;
    best = Math.min(best, p >= 1 ? t : (t * Math.log(0.01)) / Math.log(1 - p));
  });
  return best;
}

const fmtS = (s: number): string => (Number.isFinite(s) ? (s < 0.01 ? `${(s * 1000).toFixed(2)}ms` : s < 10 ? `${s.toFixed(3)}s` : `${s.toFixed(1)}s`) : '—');
const jsonNum = (x: number, digits = 6): number | null => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : null);

const native = loadNative();
console.log(
  `qubo bench: ${dataDir}${existsSync(knownFile) ? ` (best known: ${knownFile})` : ''}, --time ${values.time} s, --seeds ${seeds}, --mode ${mode}, engine ${engine === 'js' || !native ? `js${native ? '' : ` (${nativeStatus().reason})`}` : 'native'}, threads ${threads ?? 'all'}`,
);

// 1. Throughput on G1 (or the first G-set graph), all replicas on all cores, no target: sa and the
// bit-parallel multispin in the same run, alternated (sa, multispin, sa, multispin) so that a change
// in the machine's load hits both; each mode's figure is the mean of its two runs.
let flipsPerS: number | null = null;
let multispinPerS: number | null = null;
const throughputMs = Number(values['throughput-ms']);
const all = instances();
const tpInstance = all.find((i) => i.name === 'G1') ?? all.find((i) => /^G\d+$/.test(i.name)) ?? all[0];
if (throughputMs > 0 && tpInstance) {
  const problem = tpInstance.load();
  const rates: Record<'sa' | 'multispin', number[]> = { sa: [], multispin: [] };
  const modes: Array<'sa' | 'multispin'> = native && engine !== 'js' ? ['sa', 'multispin', 'sa', 'multispin'] : ['sa'];
  for (const m of modes) {
    const r = await solve(problem, { mode: m, engine, seed: 1, threads, timeLimitMs: throughputMs / 2, restarts: true });
    const kernelMs = r.computeMs / Math.max(1, r.threads);
    const perS = (r.flipAttempts / kernelMs) * 1000;
    rates[m].push(perS);
    console.log(
      `throughput: ${tpInstance.name}, ${r.mode}, ${r.replicas} replicas on ${r.threads} threads (${r.engine}), ${(kernelMs / 1000).toFixed(2)} s: ${perS.toExponential(2)} flip attempts/s`,
    );
  }
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  flipsPerS = mean(rates.sa);
  if (rates.multispin.length > 0) {
    multispinPerS = mean(rates.multispin);
    console.log(
      `throughput: multispin ${multispinPerS.toExponential(2)} vs sa ${flipsPerS.toExponential(2)} flip attempts/s: ${(multispinPerS / flipsPerS).toFixed(1)}×`,
    );
  }
}

// 2. Every instance over the seeds.
const wanted = values.only
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const chosen = wanted ? wanted.map((w) => all.find((i) => i.name === w) ?? { name: w, load: () => missing(w) }) : all;
function missing(name: string): never {
  throw new Error(`${name}: no such instance in ${dataDir}`);
}

const header = ['instance', 'best known', 'best found', 'gap %', 'median ttb', 'ok ≤1s', 'ok ≤10s', 'TTS99', 'flips/s', 'mode'];
const widths = [26, 11, 11, 8, 11, 7, 8, 10, 9, 20];
const row = (cells: string[]): string => cells.map((c, k) => (k === 0 ? c.padEnd(widths[k] as number) : c.padStart(widths[k] as number))).join(' ');
console.log(row(header));

const results: Array<Record<string, unknown>> = [];
for (const inst of chosen) {
  const problem = inst.load();
  const known = bestKnown[inst.name];
  const sense: 'max' | 'min' = known?.sense ?? (problem.kind === 'qubo' && problem.sense === 'min' ? 'min' : 'max');
  // The user-facing value is −energy for 'max' (cut, bqp objective, MIS size with wDiag 1), the energy for 'min'.
  const target = known ? (sense === 'max' ? -known.value : known.value) : undefined;
  const toTarget: number[] = [];
  const toBest: number[] = [];
  const modes: Record<string, number> = {};
  let best = sense === 'max' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  let flips = 0;
  let wallMs = 0;
  let infeasible = 0;
  let rule = '';
  for (let seed = 1; seed <= seeds; seed++) {
    const t0 = performance.now();
    const plan = planOf(problem);
    const r = await solve(problem, {
      mode,
      engine,
      seed,
      threads,
      timeLimitMs,
      restarts: true,
      ...(target !== undefined ? { target } : {}),
      ...(plan ? { plan } : {}),
    });
    wallMs += performance.now() - t0;
    flips += r.flipAttempts;
    rule = r.plan.rule;
    const value = r.value;
    best = sense === 'max' ? Math.max(best, value) : Math.min(best, value);
    if (!r.feasible) infeasible++;
    const reached = known !== undefined && (sense === 'max' ? value >= known.value : value <= known.value);
    toTarget.push(reached ? r.timeToBestMs / 1000 : Number.POSITIVE_INFINITY);
    toBest.push(r.timeToBestMs / 1000);
    const m = `${r.mode}${r.engine === 'js' ? '(js)' : ''}`;
    modes[m] = (modes[m] ?? 0) + 1;
  }
  // MIS: is the best state of a 1 ms run (from the call) already an independent set?
  let feasible1ms: number | undefined;
  if (problem.kind === 'mis') {
    feasible1ms = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const plan = planOf(problem);
      const r = await solve(problem, { mode, engine, seed: 1000 + seed, threads, timeLimitMs: 1, restarts: true, ...(plan ? { plan } : {}) });
      if (r.feasible) feasible1ms++;
    }
  }
  const medianTtb = known ? median(toTarget) : median(toBest);
  const ok1 = toTarget.filter((t) => t <= 1).length;
  const ok10 = toTarget.filter((t) => t <= 10).length;
  const tts = known ? tts99(toTarget) : Number.POSITIVE_INFINITY;
  const gap = known ? ((sense === 'max' ? known.value - best : best - known.value) / Math.abs(known.value || 1)) * 100 : Number.NaN;
  const perS = (flips / wallMs) * 1000;
  const modeText = Object.entries(modes)
    .sort((a, b) => b[1] - a[1])
    .map(([m, c]) => (Object.keys(modes).length === 1 ? m : `${m} ${c}`))
    .join(', ');
  console.log(
    row([
      inst.name,
      known ? String(known.value) : '',
      String(best) + (infeasible ? '*' : ''),
      known ? gap.toFixed(3) : '',
      fmtS(medianTtb),
      known ? `${ok1}/${seeds}` : '',
      known ? `${ok10}/${seeds}` : '',
      known ? fmtS(tts) : '',
      perS.toExponential(1),
      modeText,
    ]) + (feasible1ms !== undefined ? `  feasible after 1 ms: ${feasible1ms}/${seeds}` : ''),
  );
  results.push({
    name: inst.name,
    best_known: known ? known.value : null,
    best,
    median_time_to_best_s: jsonNum(medianTtb),
    success_1s: known ? ok1 / seeds : null,
    success_10s: known ? ok10 / seeds : null,
    tts99_s: known ? jsonNum(tts) : null,
    gap_pct: known ? jsonNum(gap, 4) : null,
    seeds,
    flips_per_s: jsonNum(perS, 3),
    mode: modeText,
    rule,
    ...(infeasible ? { infeasible_runs: infeasible } : {}),
    ...(feasible1ms !== undefined ? { feasible_1ms: feasible1ms / seeds } : {}),
  });
}
if (results.some((r) => r.infeasible_runs)) console.log('* some runs returned an infeasible state (the value is that of the repaired set)');

console.log(
  JSON.stringify({
    bench: 'qubo',
    flips_per_s: flipsPerS === null ? null : Math.round(flipsPerS),
    flips_per_s_multispin: multispinPerS === null ? null : Math.round(multispinPerS),
    multispin_vs_sa: multispinPerS === null || flipsPerS === null ? null : Number((multispinPerS / flipsPerS).toFixed(2)),
    time_limit_s: timeLimitMs / 1000,
    seeds,
    mode,
    instances: results,
  }),
);
