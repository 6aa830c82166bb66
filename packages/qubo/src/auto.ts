import type { ProblemShape } from './shape.js';

/** What a caller asks for: one of the native kernel's modes, or `auto` (a rule by problem shape). */
export type SolveMode = 'auto' | KernelMode;
/** The algorithms themselves (see @kiln/kernels' annealQubo). */
export type KernelMode = 'sa' | 'loihi' | 'tabu' | 'multispin' | 'memetic';
export const SOLVE_MODES: readonly SolveMode[] = ['auto', 'sa', 'loihi', 'tabu', 'multispin', 'memetic'];
/** Modes that anneal along a β schedule (the others, tabu and memetic, take none). */
export const isScheduled = (mode: KernelMode): boolean => mode === 'sa' || mode === 'loihi' || mode === 'multispin';

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

export type AutoRule = 'graded-weights' | 'penalty-form' | 'regular-sparse' | 'sparse' | 'dense' | 'tiny';

/** auto's sa: the first anneal's length (sweeps; penalty form: penaltySweeps), the cap of the doubling, and the hot-end factor. */
export const AUTO_SA = { sweeps: 1000, penaltySweeps: 250, maxSweeps: 64_000, hotScale: 30 } as const;

/**
 * `auto`: picks the kernel mode(s) from the problem's shape; docs/adr/0010-qubo-solver-modes.md
 * has the measurements behind each branch. In order:
 *
 * 1. tiny (n ≤ 16): tabu on one thread (every mode finds the optimum at once; tabu has no schedule).
 * 2. graded weights (more than 8 distinct |J| values, e.g. OR-Library bqp): tabu on every thread.
 *    Steepest-descent tabu reached every bqp50/100/250 optimum in ≤ 1.2 ms, 3–30× sooner than sa.
 * 3. penalty form (h ≤ 0, J_ij ≥ max(|h_i|, |h_j|) > 0, few values: MIS in Intel's form): the
 *    doubling sa below from 250 sweeps: the MIS-100 maxima in a median 0.25–2.2 ms (kernel sa with
 *    neal's β range and 1000-sweep anneals: 0.85–3.2 ms), and every 1 ms run feasible.
 * 4. few weight values, every degree ≤ 4 (tori, grids: G11–G13): a portfolio of loihi (its
 *    refractory parallel updates won G11) and the doubling sa below (which won G12, G13).
 * 5. few weight values, average degree ≤ 16 (sparse: the planar G14–G21): the doubling sa on every
 *    thread. A tabu member cost more than it gave here (G15: 2/5 instead of 4/5 within 1 s).
 * 6. few weight values, denser (random graphs G1–G10, G43–G47): a portfolio of the doubling sa and
 *    tabu, which wins a third to a half of the runs on the dense random graphs (G2, G10, G46).
 *
 * "Doubling sa": rounds of one anneal per replica, 1000 sweeps, then 2000, 4000, … up to 64,000,
 * so easy instances finish in short anneals and hard ones get the long anneals they need; β starts
 * at 30 × dwave-neal's hot end (capped at half the cold end). Neal's hot end accepts the largest
 * possible flip with p = ½, so on Max-Cut graphs with a few high-degree vertices most of an anneal
 * was spent where every move is accepted; ×30 cut the flips to the target 2–10× on G13, G15, G21,
 * G47 and never lost more than 2× (G10).
 * A portfolio splits the threads (first member ⌈T/2⌉, second ⌊T/2⌋); with one thread only its first
 * member runs.
 */
export function planAuto(shape: ProblemShape, threads: number): SolvePlan {
  const T = Math.max(1, threads);
  const split = (a: PlanMember, b: Omit<PlanMember, 'threads'>): PlanMember[] =>
    T < 2
      ? [{ ...a, threads: 1 }]
      : [
          { ...a, threads: Math.ceil(T / 2) },
          { ...b, threads: Math.floor(T / 2) },
        ];
  const sa: PlanMember = { mode: 'sa', threads: T, sweeps: AUTO_SA.sweeps, grow: true, maxSweeps: AUTO_SA.maxSweeps, hotScale: AUTO_SA.hotScale };
  const saText = `sa (doubling anneals from ${AUTO_SA.sweeps} sweeps, hot end ×${AUTO_SA.hotScale})`;
  if (shape.n <= 16) return { members: [{ mode: 'tabu', threads: 1 }], rule: 'tiny', reason: `n = ${shape.n} ≤ 16: tabu on one thread` };
  if (shape.distinctCouplings > 8) {
    return {
      members: [{ mode: 'tabu', threads: T }],
      rule: 'graded-weights',
      reason: `${shape.distinctCouplings >= 65 ? '65+' : shape.distinctCouplings} distinct |J| values (graded weights): tabu`,
    };
  }
  if (shape.penaltyForm) {
    return {
      members: [{ ...sa, sweeps: AUTO_SA.penaltySweeps }],
      rule: 'penalty-form',
      reason: `h ≤ 0, J ≥ max |h| > 0, few values (MIS-like penalty form): sa (doubling anneals from ${AUTO_SA.penaltySweeps} sweeps, hot end ×${AUTO_SA.hotScale})`,
    };
  }
  if (shape.maxDegree <= 4) {
    return {
      members: split({ mode: 'loihi', threads: T }, sa),
      rule: 'regular-sparse',
      reason: `few weight values, every degree ≤ 4 (grid/torus-like): loihi${T < 2 ? '' : ` + ${saText}`}`,
    };
  }
  if (shape.avgDegree <= 16) {
    return { members: [sa], rule: 'sparse', reason: `few weight values, average degree ${shape.avgDegree.toFixed(1)} ≤ 16: ${saText}` };
  }
  return {
    members: split(sa, { mode: 'tabu' }),
    rule: 'dense',
    reason: `few weight values, average degree ${shape.avgDegree.toFixed(1)} > 16: ${saText}${T < 2 ? '' : ' + tabu'}`,
  };
}
