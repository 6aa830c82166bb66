import type { CsrQubo } from './types.js';

/**
 * Default inverse-temperature range, dwave-neal's rule adapted to the 0/1 form.
 * Flipping x_i changes the energy by ±f_i with f_i = h_i + Σ_j J_ij x_j, so
 * |ΔE_i| ≤ |h_i| + Σ_j |J_ij| (in the ±1 Ising form the flip costs 2·(…), hence neal's factor 2).
 * - hot:  β = ln 2 / max_i(|h_i| + Σ_j |J_ij|) — the largest possible uphill flip is accepted with p ≥ 1/2;
 * - cold: β = ln(100·n) / min nonzero |coefficient| — the smallest uphill step is accepted with
 *   p = 1/(100·n), i.e. about 1% per sweep at the end.
 * An all-zero problem gets [1, 1]. If cold ≤ hot (tiny problems), cold is raised to 10·hot.
 */
export function defaultBetaRange(csr: CsrQubo): [number, number] {
  const { n, rowPtr, val, h } = csr;
  let maxField = 0;
  let minCoef = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const hi = Math.abs(h[i] as number);
    let s = hi;
    if (hi > 0 && hi < minCoef) minCoef = hi;
    const end = rowPtr[i + 1] as number;
    for (let k = rowPtr[i] as number; k < end; k++) {
      const a = Math.abs(val[k] as number);
      s += a;
      if (a > 0 && a < minCoef) minCoef = a;
    }
    if (s > maxField) maxField = s;
  }
  if (maxField === 0 || !Number.isFinite(minCoef)) return [1, 1];
  const hot = Math.LN2 / maxField;
  let cold = Math.log(100 * Math.max(n, 1)) / minCoef;
  if (!(cold > hot)) cold = 10 * hot;
  return [hot, cold];
}
