import { defaultAnnealBetaRange } from '@kiln/kernels';
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
  // One rule for both engines: the native annealer's wrapper owns it (this package depends on it).
  return defaultAnnealBetaRange(csr);
}
