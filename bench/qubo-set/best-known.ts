/**
 * bench/qubo-set/best-known.json: the set's reference values, in the form bench/qubo.ts reads
 * (`{ "<instance>": { "kind", "sense", "value" } }`, the form of ../shared/data/qubo/best-known.json)
 * with what the references need beside it: the instance's shape, the file's sha256, and the run
 * that found the value. Top-level keys starting with `_` are not instances: `_note` says how the
 * values were obtained, `_runs` lists every reference run.
 *
 * The one rule: a stored value is only ever replaced by a better one for the same file (same
 * sha256); a tie keeps the run that found it first. A changed file (another sha256) is another
 * instance: its old entry goes.
 */

/** One instance's reference. `value`: the cut for Max-Cut, the file's (maximised) objective for bqp. */
export interface BestKnownEntry {
  kind: 'maxcut' | 'bqp';
  sense: 'max';
  value: number;
  family: 'random' | 'biplanar' | 'planar' | 'torus' | 'dense';
  n: number;
  /** Graphs: edges. */
  m?: number;
  /** bqp: stored entries of the upper triangle (diagonal included). */
  nnz?: number;
  /** Graphs: 100·m / (n(n−1)/2); bqp: 100·nnz / (n(n+1)/2). */
  densityPct: number;
  weights: string;
  /** sha256 of the instance's file (a bqp file holds two instances). */
  sha256: string;
  /** The mode asked for in the run that found `value`; `kernelMode` the kernel mode that did (a portfolio's winner). */
  foundBy: string;
  kernelMode: string;
  seed: number;
  /** Kernel time from its start to `value` in that run. */
  timeToBestS: number;
  /** The run: time limit per solve, seeds per mode, modes, how many of its solves reached `value`, when, how. */
  seconds: number;
  seeds: number;
  /** Comma-separated. */
  modes: string;
  runsAtValue: number;
  runs: number;
  date: string;
  command: string;
}

/** One reference run, as listed in `_runs`. */
export interface ReferenceRun {
  date: string;
  command: string;
  seconds: number;
  seeds: number;
  /** Comma-separated. */
  modes: string;
  threads: number;
  machine: string;
  instances: number;
  /** Instances whose entry this run created or improved. */
  improved: string[];
}

export interface BestKnownFile {
  _note: string;
  _runs: ReferenceRun[];
  [instance: string]: BestKnownEntry | ReferenceRun[] | string;
}

export const BEST_KNOWN_NOTE =
  "Reference values of Kiln's generated QUBO set (bench/qubo-set; npm run gen:qubo-set writes the instances): " +
  "for each instance the best value any of Kiln's solver modes found (@kiln/qubo solve() on the native kernel, modes auto, sa, loihi and tabu, " +
  'each with restarts until its time limit, no target), by npm run bench:qubo-set:reference. Not proven optima. ' +
  'value: the cut (Max-Cut, the gset/ graphs) or the maximised objective sum q_ii x_i + 2 sum_{i<j} q_ij x_i x_j (the orlib/ kbqp files). ' +
  'An entry is only ever replaced by a better value for the same file (sha256); a tie keeps the first run that found it. ' +
  'Each entry names its run (date, command, seconds per solve, seeds per mode, mode and seed that found it); _runs lists every run. ' +
  'Values from runs of a few seconds are likely below the optimum on the larger instances: refresh them with longer runs.';

/** An empty file: the note and no runs. */
export function emptyBestKnown(): BestKnownFile {
  return { _note: BEST_KNOWN_NOTE, _runs: [] };
}

/** Parses a stored file (throws on a malformed one rather than overwrite it). */
export function parseBestKnown(text: string): BestKnownFile {
  const raw = JSON.parse(text) as Record<string, unknown>;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('best-known.json must hold an object');
  const out = emptyBestKnown();
  if (Array.isArray(raw._runs)) out._runs = raw._runs as ReferenceRun[];
  for (const [name, e] of Object.entries(raw)) {
    if (name.startsWith('_')) continue;
    const entry = e as Partial<BestKnownEntry>;
    if (typeof entry !== 'object' || entry === null || typeof entry.value !== 'number' || typeof entry.sha256 !== 'string' || entry.sense !== 'max')
      throw new Error(`best-known.json: entry ${name} lacks a numeric value, a sha256 or sense "max"`);
    out[name] = entry as BestKnownEntry;
  }
  return out;
}

export type MergeOutcome = 'new' | 'improved' | 'kept' | 'replaced';

/**
 * The entry to store for `name` given the stored one and this run's: this run's when there is
 * none, when its file differs ('replaced') or when its value is higher ('improved'); else the
 * stored one ('kept', ties included).
 */
export function mergeEntry(stored: BestKnownEntry | undefined, found: BestKnownEntry): { entry: BestKnownEntry; outcome: MergeOutcome } {
  if (!stored) return { entry: found, outcome: 'new' };
  if (stored.sha256 !== found.sha256) return { entry: found, outcome: 'replaced' };
  if (found.value > stored.value) return { entry: found, outcome: 'improved' };
  return { entry: stored, outcome: 'kept' };
}

/** The file's text: `_note`, `_runs`, then the instances in `order` (others after, by name); indented by one space like ../shared/data/qubo/best-known.json. */
export function bestKnownText(file: BestKnownFile, order: readonly string[]): string {
  const out: Record<string, unknown> = { _note: BEST_KNOWN_NOTE, _runs: file._runs };
  const names = Object.keys(file).filter((k) => !k.startsWith('_'));
  const ranked = [...order.filter((n) => names.includes(n)), ...names.filter((n) => !order.includes(n)).sort()];
  for (const n of ranked) out[n] = file[n];
  return `${JSON.stringify(out, null, 1)}\n`;
}
