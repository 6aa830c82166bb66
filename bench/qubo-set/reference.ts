/**
 * Reference values for Kiln's generated QUBO set: every instance solved by every solver mode Kiln
 * has, the best value kept in bench/qubo-set/best-known.json (best-known.ts has the format and the
 * rule: an entry only ever improves).
 *
 *   npm run bench:qubo-set:reference -- [--time S] [--seeds K] [--modes auto,sa,loihi,tabu]
 *       [--only NAME[,NAME…]] [--min-n N] [--max-n N] [--threads T] [--out FILE]
 *
 * Each instance is made in memory by the same code as `npm run gen:qubo-set` and read back with
 * the existing parsers (parseGset, parseBqp), so it is exactly the file bench/qubo.ts reads; its
 * sha256 goes into the entry. Per instance, for each mode and seeds 1..K: @kiln/qubo's solve()
 * on the native kernel, `{ mode, seed, timeLimitMs: S·1000, restarts: true }`, no target (each
 * solve runs its whole budget), all threads unless --threads. The value of each solve is checked
 * against the state it returned (the cut recomputed from the graph, the bqp objective from the
 * energy). The file is rewritten after every instance, so a stopped run keeps what it finished.
 * Budget: instances × modes × K × S seconds (printed first). Defaults: --time 5, --seeds 2, all
 * four modes, every instance. Needs the native addon (the JS engine has sa only).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadNative, nativeStatus } from '@kiln/kernels';
import { SOLVE_MODES, type SolveMode, solve } from '@kiln/qubo';
import { type BestKnownEntry, bestKnownText, emptyBestKnown, mergeEntry, parseBestKnown, type ReferenceRun } from './best-known.js';
import { prepare } from './prepare.js';
import { instanceNames, setFiles } from './qubo-set.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    time: { type: 'string', default: '5' },
    seeds: { type: 'string', default: '2' },
    modes: { type: 'string', default: SOLVE_MODES.join(',') },
    only: { type: 'string' },
    'min-n': { type: 'string' },
    'max-n': { type: 'string' },
    threads: { type: 'string' },
    out: { type: 'string' },
  },
});

const seconds = Number(values.time);
const seeds = Number(values.seeds);
const modes = values.modes.split(',').map((s) => s.trim()) as SolveMode[];
const minN = values['min-n'] === undefined ? 0 : Number(values['min-n']);
const maxN = values['max-n'] === undefined ? Number.POSITIVE_INFINITY : Number(values['max-n']);
const threads = values.threads === undefined ? undefined : Number(values.threads);
const outFile = resolve(values.out ?? join(here, 'best-known.json'));
if (
  !(seconds > 0) ||
  !(Number.isInteger(seeds) && seeds >= 1) ||
  modes.length === 0 ||
  !modes.every((m) => SOLVE_MODES.includes(m)) ||
  !(minN >= 0) ||
  !(maxN > 0) ||
  (threads !== undefined && !(Number.isInteger(threads) && threads >= 1))
) {
  console.error(`bad options: --time > 0, --seeds ≥ 1, --modes from ${SOLVE_MODES.join(',')}, --min-n ≥ 0, --max-n > 0, --threads ≥ 1`);
  process.exit(2);
}
if (!loadNative()) {
  console.error(`the native addon is not loaded (${nativeStatus().reason}): references need every kernel mode; build @kiln/kernels first`);
  process.exit(2);
}

const wanted = values.only
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const chosen = (name: string): boolean => !wanted || wanted.includes(name);
const files = setFiles().filter((f) => f.spec.n >= minN && f.spec.n <= maxN && instanceNames(f.spec).some(chosen));
const allNames = setFiles().flatMap((f) => instanceNames(f.spec));
const unknown = wanted?.filter((w) => !allNames.includes(w)) ?? [];
if (unknown.length > 0) {
  console.error(`no such instance in the set: ${unknown.join(', ')}`);
  process.exit(2);
}
const count = files.reduce((s, f) => s + instanceNames(f.spec).filter(chosen).length, 0);
if (count === 0) {
  console.error('no instance of the set passes --only / --min-n / --max-n');
  process.exit(2);
}

const stored = existsSync(outFile) ? parseBestKnown(readFileSync(outFile, 'utf8')) : emptyBestKnown();
const date = new Date().toISOString();
const command = `npm run bench:qubo-set:reference -- ${process.argv.slice(2).join(' ')}`.trim();
const cpu = cpus();
const run: ReferenceRun = {
  date,
  command,
  seconds,
  seeds,
  modes: modes.join(','),
  threads: threads ?? cpu.length,
  machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}`,
  instances: count,
  improved: [],
};
stored._runs.push(run);

const save = (): void => {
  const tmp = `${outFile}.tmp`;
  writeFileSync(tmp, bestKnownText(stored, allNames));
  renameSync(tmp, outFile);
};

const budget = count * modes.length * seeds * seconds;
console.log(
  `qubo-set reference: ${count} instances × ${modes.length} modes (${modes.join(', ')}) × ${seeds} seeds × ${seconds} s ≈ ${(budget / 60).toFixed(1)} min on ${run.threads} thread${run.threads === 1 ? '' : 's'} → ${relative(process.cwd(), outFile)}`,
);
const widths = [26, 6, 8, 9, 9, ...modes.map(() => 9), 16, 9];
const row = (cells: string[]): string => cells.map((c, k) => (k === 0 ? c.padEnd(widths[k] as number) : c.padStart(widths[k] as number))).join(' ');
console.log(row(['instance', 'n', 'm/nnz', 'stored', 'found', ...modes, 'by', 'outcome']));

for (const file of files) {
  for (const inst of prepare(file).filter((p) => chosen(p.name))) {
    let best: { value: number; mode: SolveMode; kernelMode: string; seed: number; timeToBestS: number } | undefined;
    const perMode: Record<string, number> = {};
    const results: number[] = [];
    for (const mode of modes) {
      for (let seed = 1; seed <= seeds; seed++) {
        const r = await solve(inst.problem, { mode, seed, timeLimitMs: seconds * 1000, restarts: true, engine: 'native', ...(threads ? { threads } : {}) });
        const check = inst.valueOf(r.x);
        if (check !== r.value) throw new Error(`${inst.name}, ${mode}, seed ${seed}: solve reported ${r.value}, its state gives ${check}`);
        results.push(r.value);
        perMode[mode] = Math.max(perMode[mode] ?? Number.NEGATIVE_INFINITY, r.value);
        if (!best || r.value > best.value) best = { value: r.value, mode, kernelMode: r.mode, seed, timeToBestS: Number((r.timeToBestMs / 1000).toFixed(3)) };
      }
    }
    if (!best) continue;
    const { kind, sense, ...shape } = inst.entry;
    const found: BestKnownEntry = {
      kind,
      sense,
      value: best.value,
      ...shape,
      foundBy: best.mode,
      kernelMode: best.kernelMode,
      seed: best.seed,
      timeToBestS: best.timeToBestS,
      seconds,
      seeds,
      modes: modes.join(','),
      runsAtValue: results.filter((v) => v === best.value).length,
      runs: results.length,
      date,
      command,
    };
    const before = stored[inst.name] as BestKnownEntry | undefined;
    const { entry, outcome } = mergeEntry(before, found);
    stored[inst.name] = entry;
    if (outcome !== 'kept') run.improved.push(inst.name);
    save();
    console.log(
      row([
        inst.name,
        String(inst.entry.n),
        String(inst.entry.m ?? inst.entry.nnz),
        before ? String(before.value) : '',
        String(best.value),
        ...modes.map((m) => String(perMode[m])),
        `${best.mode}${best.mode === 'auto' ? `→${best.kernelMode}` : ''} s${best.seed}`,
        outcome === 'replaced' ? 'replaced (file changed)' : outcome,
      ]),
    );
  }
}
save();
console.log(`${run.improved.length} of ${count} entries new or improved; ${relative(process.cwd(), outFile)} written`);
