import type { AnnealMode } from '@kiln/kernels';
import { AUTO_RULE, type AutoRuleTable } from './auto-rule.js';
import { AUTO_CANDIDATES, type AutoCandidate, SHAPE_CLASSES, type ShapeClass } from './auto-types.js';
import type { ProblemShape } from './shape.js';

export { AUTO_CANDIDATES, type AutoCandidate, SHAPE_CLASSES, type ShapeClass };

/** What a caller asks for: one of the native kernel's modes, or `auto` (a rule by problem shape). */
export type SolveMode = 'auto' | KernelMode;
/** The algorithms themselves: @kiln/kernels' annealQubo modes. */
export type KernelMode = AnnealMode;
export const SOLVE_MODES: readonly SolveMode[] = ['auto', 'sa', 'loihi', 'tabu', 'multispin', 'memetic'];

/** One search of a plan, run by the native kernel on its own threads. */
export interface PlanMember {
  mode: KernelMode;
  threads: number;
  /**
   * sa: sweeps of each anneal; with `grow`, the anneals come in rounds (one anneal per replica)
   * whose length doubles each round up to `maxSweeps`. loihi: steps per temperature cycle. tabu:
   * stall iterations. Absent: the kernel's default.
   */
  sweeps?: number;
  grow?: boolean;
  maxSweeps?: number;
  /**
   * sa: start at hotScale × dwave-neal's hot β (capped at half the cold β) instead of neal's hot
   * end, which is set by the largest possible flip and wastes most of an anneal on few-valued
   * problems with a few high-degree variables.
   */
  hotScale?: number;
}

/** How solve() runs a problem on the native engine: one member, or a portfolio of two sharing a stop flag. */
export interface SolvePlan {
  members: PlanMember[];
  /** Which rule fired (auto) or 'explicit'. */
  rule: AutoRule | 'explicit';
  /** One sentence: why. */
  reason: string;
}

export type AutoRule = ShapeClass | 'tiny';

export function shapeClass(shape: ProblemShape): ShapeClass {
  if (shape.distinctCouplings > 8) return 'graded-weights';
  if (shape.penaltyForm) return 'penalty-form';
  if (shape.maxDegree <= 4) return 'regular-sparse';
  if (shape.avgDegree <= 16) return 'sparse';
  return 'dense';
}

/** auto's sa and multispin: the first anneal's length (sweeps; penalty form: penaltySweeps), the cap of the doubling, and the hot-end factor. */
export const AUTO_SA = { sweeps: 1000, penaltySweeps: 250, maxSweeps: 64_000, hotScale: 30 } as const;

/**
 * A candidate as a plan member (threads filled in by the plan). "Doubling" sa and multispin: rounds
 * of one anneal per replica, 1000 sweeps (penalty form: 250), then 2000, 4000, … up to 64,000, so
 * easy instances finish in short anneals and hard ones get the long anneals they need; β starts at
 * 30 × dwave-neal's hot end (capped at half the cold end).
 */
export function candidateMember(c: AutoCandidate, cls: ShapeClass | 'tiny'): Omit<PlanMember, 'threads'> {
  const sweeps = cls === 'penalty-form' ? AUTO_SA.penaltySweeps : AUTO_SA.sweeps;
  if (c === 'sa' || c === 'multispin') return { mode: c, sweeps, grow: true, maxSweeps: AUTO_SA.maxSweeps, hotScale: AUTO_SA.hotScale };
  return { mode: c };
}

/**
 * `auto`: picks the kernel mode(s) from the problem's shape class by the table in auto-rule.ts,
 * which bench/qubo-rule.ts writes from measurements on Kiln's own generated set (never by hand; its
 * evidence is in docs/adr/0010-qubo-solver-modes.md). A class the measurements did not cover gets
 * the table's portfolio for unseen shapes. multispin needs couplings of one magnitude: on any other
 * problem its place goes to sa, its scalar twin. n ≤ 16 is tabu on one thread (every mode finds
 * the optimum at once; tabu has no schedule). A portfolio splits the threads (first member ⌈T/2⌉,
 * second ⌊T/2⌋); with one thread only its first member runs.
 */
export function planAuto(shape: ProblemShape, threads: number, rule: AutoRuleTable = AUTO_RULE): SolvePlan {
  const T = Math.max(1, threads);
  if (shape.n <= 16) return { members: [{ mode: 'tabu', threads: 1 }], rule: 'tiny', reason: `n = ${shape.n} ≤ 16: tabu on one thread` };
  const cls = shapeClass(shape);
  const entry = rule.classes[cls];
  const picked = (entry?.members ?? rule.unseen).map((c): AutoCandidate => (c === 'multispin' && shape.distinctCouplings !== 1 ? 'sa' : c));
  const members: PlanMember[] =
    picked.length < 2 || T < 2
      ? [{ ...candidateMember(picked[0] as AutoCandidate, cls), threads: T }]
      : [
          { ...candidateMember(picked[0] as AutoCandidate, cls), threads: Math.ceil(T / 2) },
          { ...candidateMember(picked[1] as AutoCandidate, cls), threads: Math.floor(T / 2) },
        ];
  const what = members.map((m) => m.mode).join(' + ');
  const why = entry
    ? `measured best on ${entry.instances} generated instances of this class`
    : 'no measurements of this class: the portfolio for unseen shapes';
  return { members, rule: cls, reason: `${describe(cls, shape)}: ${what} (${why})` };
}

function describe(cls: ShapeClass, s: ProblemShape): string {
  if (cls === 'graded-weights') return `${s.distinctCouplings >= 65 ? '65+' : s.distinctCouplings} distinct |J| values (graded weights)`;
  if (cls === 'penalty-form') return 'h ≤ 0, J ≥ max |h| > 0, few values (MIS-like penalty form)';
  if (cls === 'regular-sparse') return 'few weight values, every degree ≤ 4 (grid/torus-like)';
  return `few weight values, average degree ${s.avgDegree.toFixed(1)} ${cls === 'sparse' ? '≤' : '>'} 16`;
}
