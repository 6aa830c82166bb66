/**
 * auto's rule, learned from measurements: every candidate search auto may choose (sa, multispin,
 * tabu, memetic, loihi, as auto would configure them) is run on Kiln's own generated QUBO set, and
 * for each shape class the single search or the portfolio of two that reaches the instances' best
 * values soonest becomes auto's choice. Writes packages/qubo/src/auto-rule.ts (the table planAuto
 * reads) and the evidence table of docs/adr/0010-qubo-solver-modes.md (between its auto-rule
 * markers). The shared G-set, bqp and MIS files are never used here: they stay the independent check.
 *
 *   npm run bench:qubo:rule -- [--time S] [--seeds K] [--max-n N] [--parallel P] [--dry-run]
 *
 * Training instances: the set's Max-Cut graphs and Beasley-style bqp files with n ≤ --max-n (default
 * 2000), MIS QUBOs (@kiln/qubo's misQubo, the penalty form) of its 800-node random-1%, biplanar,
 * planar and torus graphs, and small ones made by the same generator (bqp at n = 100 and 250, random,
 * planar and torus graphs of 200-250 nodes, MIS of random graphs with 100-200 nodes). Each candidate runs on one thread, seeds 1..2K, --time S seconds each
 * (default 2 s, K = 2), no target; P runs at a time (default 2: one per core). An instance's
 * reference is the lowest energy any run found (or its best-known.json value, if lower); a run's
 * time to it is read from its trace (a miss counts as 10·S, PAR10).
 *
 * A configuration on 2 threads is scored from the 1-thread runs as two independent searches would
 * run it: a single search c takes the sooner of c's runs with seeds 2j−1 and 2j; a portfolio (a, b)
 * the sooner of a's run with seed 2j−1 and b's with seed 2j. A class's score for a configuration is
 * the mean over its instances and the K pairs of log₁₀(seconds to the reference). Per class the
 * single search with the lowest score wins, unless a portfolio beats it by more than two standard
 * errors of the paired log-time differences (then the best such portfolio); shapes of a class no instance covered get the
 * configuration with the lowest score over all instances. multispin takes couplings of one
 * magnitude only; on other instances its place is taken by sa's runs, as planAuto does.
 * The LAST line printed is JSON: {"bench":"qubo-rule", classes: {class: {members, score, ...}}, ...}.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadNative, nativeStatus } from '@kiln/kernels';
import {
  AUTO_CANDIDATES,
  type AutoCandidate,
  candidateMember,
  misQubo,
  parseGset,
  problemShape,
  type QuboProblem,
  SHAPE_CLASSES,
  type ShapeClass,
  shapeClass,
  solve,
  toCsr,
} from '@kiln/qubo';
import { parseBestKnown } from './qubo-set/best-known.js';
import { prepare } from './qubo-set/prepare.js';
import { bqpText, gsetText } from './qubo-set/formats.js';
import { type BqpFileSpec, buildBqp, buildGraph, type GraphSpec, type SetFile, setFiles } from './qubo-set/qubo-set.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values } = parseArgs({
  options: {
    time: { type: 'string', default: '2' },
    seeds: { type: 'string', default: '2' },
    'max-n': { type: 'string', default: '2000' },
    parallel: { type: 'string', default: '2' },
    'dry-run': { type: 'boolean', default: false },
  },
});
const seconds = Number(values.time);
const pairs = Number(values.seeds);
const maxN = Number(values['max-n']);
const parallel = Number(values.parallel);
if (!(seconds > 0) || !(Number.isInteger(pairs) && pairs >= 1) || !(maxN > 0) || !(Number.isInteger(parallel) && parallel >= 1)) {
  console.error('bad options: --time > 0, --seeds ≥ 1, --max-n > 0, --parallel ≥ 1');
  process.exit(2);
}
if (!loadNative()) {
  console.error(`the native addon is not loaded (${nativeStatus().reason}): the rule measures the native kernel's modes; build @kiln/kernels first`);
  process.exit(2);
}

interface Instance {
  name: string;
  problem: QuboProblem;
  cls: ShapeClass;
  oneMagnitude: boolean;
  /** best-known.json's value as an energy (all are maximisations: energy = −value), if any. */
  known?: number;
}

const bestKnownFile = join(here, 'qubo-set', 'best-known.json');
const known = existsSync(bestKnownFile) ? parseBestKnown(readFileSync(bestKnownFile, 'utf8')) : undefined;
const instances: Instance[] = [];
const add = (name: string, problem: QuboProblem, knownValue?: number): void => {
  const shape = problemShape(toCsr(problem));
  if (shape.n <= 16) return;
  instances.push({
    name,
    problem,
    cls: shapeClass(shape),
    oneMagnitude: shape.distinctCouplings === 1,
    ...(knownValue !== undefined ? { known: -knownValue } : {}),
  });
};
const misSources = new Set(['random-800-1pct-p1', 'biplanar-800-p1', 'planar-800-pm1', 'torus-800-pm1']);
// Below the set's sizes, so that the rule also sees the small problems users queue: the same
// generator's families at n = 100-250 (bqp at 10%, random graphs at 5% and 10%, a planar graph,
// a 10 × 20 torus), and MIS QUBOs of small random graphs. Seeds far from the set's.
const small: SetFile[] = [
  ...[100, 250].map((n): SetFile => {
    const spec: BqpFileSpec = { kind: 'bqp', stem: `small-kbqp${n}`, n, densityPct: 10, maxAbs: 100, seeds: [n * 100 + 91, n * 100 + 92] };
    return { path: '', spec, text: () => bqpText(buildBqp(spec)) };
  }),
  ...(
    [
      { kind: 'maxcut', name: 'small-random-200-10pct-p1', family: 'random', n: 200, weights: '+1', seed: 9101, densityPct: 10 },
      { kind: 'maxcut', name: 'small-random-200-5pct-pm1', family: 'random', n: 200, weights: '±1', seed: 9102, densityPct: 5 },
      { kind: 'maxcut', name: 'small-planar-250-pm1', family: 'planar', n: 250, weights: '±1', seed: 9103, densityPct: 99 },
      { kind: 'maxcut', name: 'small-torus-200-pm1', family: 'torus', n: 200, weights: '±1', seed: 9104, rows: 10, cols: 20 },
    ] satisfies GraphSpec[]
  ).map((spec): SetFile => ({ path: '', spec, text: () => gsetText(buildGraph(spec).graph, buildGraph(spec).weights) })),
];
for (const [n, pct, seed] of [
  [100, 5, 9201],
  [150, 4, 9202],
  [200, 3, 9203],
] as const) {
  const spec: GraphSpec = { kind: 'maxcut', name: `small-mis-${n}-${pct}pct`, family: 'random', n, weights: '+1', seed, densityPct: pct };
  add(spec.name, misQubo(parseGset(gsetText(buildGraph(spec).graph, buildGraph(spec).weights))));
}
for (const file of small) for (const p of prepare(file)) add(p.name, p.problem);
for (const file of setFiles().filter((f) => f.spec.n <= maxN)) {
  for (const p of prepare(file)) {
    const entry = known?.[p.name];
    add(p.name, p.problem, entry && typeof entry === 'object' && 'value' in entry ? (entry.value as number) : undefined);
    if (misSources.has(p.name)) add(`mis-${p.name.replace(/-p?m?1$/, '')}`, misQubo(parseGset(file.text())));
  }
}

const runsPer = 2 * pairs;
const jobs: Array<{ inst: Instance; cand: AutoCandidate; seed: number }> = [];
for (const inst of instances) {
  for (const cand of AUTO_CANDIDATES) {
    if (cand === 'multispin' && !inst.oneMagnitude) continue;
    for (let seed = 1; seed <= runsPer; seed++) jobs.push({ inst, cand, seed });
  }
}
const byClass = new Map<ShapeClass, Instance[]>();
for (const inst of instances) byClass.set(inst.cls, [...(byClass.get(inst.cls) ?? []), inst]);
console.log(
  `qubo-rule: ${instances.length} generated instances (${[...byClass].map(([c, l]) => `${c} ${l.length}`).join(', ')}), ${AUTO_CANDIDATES.length} candidates, ${runsPer} seeds × ${seconds} s on 1 thread, ${parallel} at a time: ${jobs.length} runs ≈ ${((jobs.length * seconds) / parallel / 60).toFixed(1)} min`,
);
if (values['dry-run']) process.exit(0);

/** Per run: the final energy and the (ms, energy) points at which its best improved. */
const traces = new Map<string, { energy: number; trace: Array<{ tMs: number; energy: number }> }>();
const key = (name: string, cand: AutoCandidate, seed: number): string => `${name}|${cand}|${seed}`;
let done = 0;
const started = Date.now();
async function worker(): Promise<void> {
  for (;;) {
    const job = jobs.shift();
    if (!job) return;
    const { inst, cand, seed } = job;
    const r = await solve(inst.problem, {
      plan: [{ ...candidateMember(cand, inst.cls), threads: 1 }],
      seed,
      timeLimitMs: seconds * 1000,
      restarts: true,
      engine: 'native',
      threads: 1,
    });
    traces.set(key(inst.name, cand, seed), { energy: r.energy, trace: r.trace });
    done++;
    if (done % 20 === 0) process.stdout.write(`  ${done} runs, ${((Date.now() - started) / 60_000).toFixed(1)} min\n`);
  }
}
await Promise.all(Array.from({ length: parallel }, () => worker()));

// References and times to them.
const miss = 10 * seconds;
const reference = new Map<string, number>();
for (const inst of instances) {
  let best = inst.known ?? Number.POSITIVE_INFINITY;
  for (const [k, t] of traces) if (k.startsWith(`${inst.name}|`)) best = Math.min(best, t.energy);
  reference.set(inst.name, best);
}
const timeTo = (inst: Instance, cand: AutoCandidate, seed: number): number => {
  const c = cand === 'multispin' && !inst.oneMagnitude ? 'sa' : cand;
  const run = traces.get(key(inst.name, c, seed));
  const ref = reference.get(inst.name) as number;
  const hit = run?.trace.find((p) => p.energy <= ref + 1e-9);
  return hit ? Math.max(hit.tMs, 0.1) / 1000 : miss;
};

type Config = readonly [AutoCandidate] | readonly [AutoCandidate, AutoCandidate];
const configs: Config[] = [
  ...AUTO_CANDIDATES.map((c) => [c] as const),
  ...AUTO_CANDIDATES.flatMap((a) => AUTO_CANDIDATES.filter((b) => b !== a).map((b) => [a, b] as const)),
];
/** Seconds to the reference of each (instance, pair j) for a configuration on 2 threads. */
const times = (config: Config, list: Instance[]): number[] =>
  list.flatMap((inst) =>
    Array.from({ length: pairs }, (_, j) => Math.min(timeTo(inst, config[0], 2 * j + 1), timeTo(inst, config[1] ?? config[0], 2 * j + 2))),
  );
const score = (ts: number[]): number => ts.reduce((a, t) => a + Math.log10(t), 0) / ts.length;
const median = (ts: number[]): number => [...ts].sort((a, b) => a - b)[Math.floor((ts.length - 1) / 2)] as number;
/**
 * The best single search (lowest score), unless a portfolio beats it by more than the noise: its
 * mean log-time difference to the single search over the same (instance, pair) cells must be below
 * −2 standard errors. A portfolio halves each member's threads, so a near tie goes to the single
 * search (measured: penalty form, multispin + sa −1.339 against sa −1.325 on the training set,
 * yet 2.3× slower than sa alone on MIS-100 in the same run).
 */
const best = (list: Instance[]) => {
  let single: { config: Config; score: number } | undefined;
  for (const config of configs.filter((c) => c.length === 1)) {
    const sc = score(times(config, list));
    if (!single || sc < single.score - 1e-9) single = { config, score: sc };
  }
  const base = single as { config: Config; score: number };
  const baseTimes = times(base.config, list).map(Math.log10);
  let win = base;
  for (const config of configs.filter((c) => c.length === 2)) {
    const d = times(config, list).map((t, k) => Math.log10(t) - (baseTimes[k] as number));
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, d.length - 1));
    const significant = mean < -2 * (sd / Math.sqrt(d.length));
    const sc = score(times(config, list));
    if (significant && sc < win.score - 1e-9) win = { config, score: sc };
  }
  return win;
};

interface ClassResult {
  members: AutoCandidate[];
  instances: number;
  score: number;
  medianS: number;
  hits: string;
  singles: Record<string, { score: number; medianS: number; hits: string }>;
}
const hitsOf = (ts: number[]): string => `${ts.filter((t) => t < miss).length}/${ts.length}`;
const classes: Partial<Record<ShapeClass, ClassResult>> = {};
for (const cls of SHAPE_CLASSES) {
  const list = byClass.get(cls);
  if (!list) continue;
  const w = best(list);
  const singles: ClassResult['singles'] = {};
  for (const c of AUTO_CANDIDATES) {
    const ts = times([c], list);
    singles[c] = { score: Number(score(ts).toFixed(3)), medianS: Number(median(ts).toFixed(3)), hits: hitsOf(ts) };
  }
  const ts = times(w.config, list);
  classes[cls] = {
    members: [...w.config],
    instances: list.length,
    score: Number(w.score.toFixed(3)),
    medianS: Number(median(ts).toFixed(3)),
    hits: hitsOf(ts),
    singles,
  };
}
const overall = best(instances);
const date = new Date().toISOString().slice(0, 10);
const command = `npm run bench:qubo:rule -- ${process.argv.slice(2).join(' ')}`.trim();

// packages/qubo/src/auto-rule.ts: the table planAuto reads.
const table = Object.entries(classes)
  .map(([c, r]) => `    ${/^[a-z]+$/.test(c) ? c : `'${c}'`}: { members: [${r.members.map((m) => `'${m}'`).join(', ')}], instances: ${r.instances} },`)
  .join('\n');
writeFileSync(
  join(root, 'packages', 'qubo', 'src', 'auto-rule.ts'),
  `// Generated by \`${command}\` (bench/qubo-rule.ts) on ${date} from measurements on Kiln's
// generated QUBO set; do not edit by hand. The evidence is in docs/adr/0010-qubo-solver-modes.md.
import type { AutoCandidate, ShapeClass } from './auto-types.js';

export interface AutoRuleEntry {
  /** One member, or a portfolio of two sharing the threads and the stop flag. */
  members: readonly AutoCandidate[];
  /** Generated instances of the class behind the choice. */
  instances: number;
}

export interface AutoRuleTable {
  generated: string;
  classes: Partial<Record<ShapeClass, AutoRuleEntry>>;
  /** For a class without measurements: the configuration that did best over all instances. */
  unseen: readonly AutoCandidate[];
}

export const AUTO_RULE: AutoRuleTable = {
  generated: '${date}: ${command}',
  classes: {
${table}
  },
  unseen: [${overall.config.map((m) => `'${m}'`).join(', ')}],
};
`,
);

// The ADR's evidence table, between its markers.
const adrFile = join(root, 'docs', 'adr', '0010-qubo-solver-modes.md');
const begin = '<!-- auto-rule:begin -->';
const end = '<!-- auto-rule:end -->';
const head = `| class | instances | auto's choice | median s to reference | reached | ${AUTO_CANDIDATES.map((c) => `${c} (score · median s · reached)`).join(' | ')} |`;
const rows = Object.entries(classes).map(
  ([c, r]) =>
    `| ${c} | ${r.instances} | ${r.members.join(' + ')} | ${r.medianS} | ${r.hits} | ${AUTO_CANDIDATES.map((k) => {
      const s = r.singles[k];
      return s ? `${s.score} · ${s.medianS} · ${s.hits}` : '—';
    }).join(' | ')} |`,
);
const block = [
  begin,
  `Generated by \`${command}\` on ${date} (${instances.length} instances of the generated set, ${runsPer} seeds × ${seconds} s per candidate on 1 thread; score = mean log₁₀ seconds to the reference on 2 threads, a miss counting ${miss} s). Unseen classes: ${overall.config.join(' + ')}.`,
  '',
  head,
  `|${' --- |'.repeat(5 + AUTO_CANDIDATES.length)}`,
  ...rows,
  end,
].join('\n');
if (existsSync(adrFile)) {
  const adr = readFileSync(adrFile, 'utf8');
  const a = adr.indexOf(begin);
  const b = adr.indexOf(end);
  writeFileSync(adrFile, a >= 0 && b > a ? `${adr.slice(0, a)}${block}${adr.slice(b + end.length)}` : `${adr.trimEnd()}\n\n${block}\n`);
}

for (const [c, r] of Object.entries(classes))
  console.log(`${c.padEnd(16)} ${r.members.join(' + ').padEnd(20)} median ${r.medianS} s, reached ${r.hits}, score ${r.score}`);
console.log(JSON.stringify({ bench: 'qubo-rule', date, seconds, seeds: runsPer, instances: instances.length, classes, unseen: overall.config }));
