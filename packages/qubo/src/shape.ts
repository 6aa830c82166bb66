import type { CsrQubo } from './types.js';

/** What `auto` looks at: the structure of the merged QUBO, computed in one O(n + nnz) pass. */
export interface ProblemShape {
  n: number;
  /** Couplings J_ij ≠ 0 with i < j. */
  couplings: number;
  /** Mean, least and largest number of couplings per variable. */
  avgDegree: number;
  minDegree: number;
  maxDegree: number;
  /** Distinct |J_ij| values, counted up to 65 (G-set Max-Cut and MIS: 1; OR-Library bqp: 60–100). */
  distinctCouplings: number;
  /** Signs of the couplings. */
  couplingSigns: 'positive' | 'negative' | 'mixed' | 'none';
  /**
   * Every h_i ≤ 0 and every J_ij ≥ max(|h_i|, |h_j|) > 0: a reward per chosen variable and a
   * coupling that is a conflict penalty outweighing either reward (MIS in Intel's form, set
   * packing). Max-Cut with positive weights has h ≤ 0, J > 0 too, but J_ij = 2w < |h_i| = Σ w.
   */
  penaltyForm: boolean;
}

const DISTINCT_CAP = 65;

export function problemShape(csr: CsrQubo): ProblemShape {
  const { n, rowPtr, col, val, h } = csr;
  let minDegree = Number.POSITIVE_INFINITY;
  let maxDegree = 0;
  let pos = 0;
  let neg = 0;
  const values = new Set<number>();
  let conflicts = true;
  for (let i = 0; i < n; i++) {
    const a = rowPtr[i] as number;
    const b = rowPtr[i + 1] as number;
    minDegree = Math.min(minDegree, b - a);
    maxDegree = Math.max(maxDegree, b - a);
    for (let k = a; k < b; k++) {
      const v = val[k] as number;
      if (v > 0) pos++;
      else neg++;
      if (values.size < DISTINCT_CAP) values.add(Math.abs(v));
      if (conflicts && !(v >= -(h[i] as number) && v >= -(h[col[k] as number] as number))) conflicts = false;
    }
  }
  let hNonPositive = true;
  for (let i = 0; i < n && hNonPositive; i++) if ((h[i] as number) > 0) hNonPositive = false;
  const nnz = rowPtr[n] as number;
  return {
    n,
    couplings: nnz / 2,
    avgDegree: n > 0 ? nnz / n : 0,
    minDegree: n > 0 ? minDegree : 0,
    maxDegree,
    distinctCouplings: values.size,
    couplingSigns: nnz === 0 ? 'none' : neg === 0 ? 'positive' : pos === 0 ? 'negative' : 'mixed',
    penaltyForm: hNonPositive && neg === 0 && nnz > 0 && conflicts,
  };
}
