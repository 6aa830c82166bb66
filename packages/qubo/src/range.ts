import { QuboValidationError } from './errors.js';
import type { QuboProblem } from './types.js';

/**
 * The largest coefficient magnitude Kiln accepts. Energies and local fields are sums of up to
 * millions of terms in double precision, and the annealers' temperatures come from the largest
 * field (β_hot = ln 2 / max field): with |w| ≤ 1e12 and at most 1e7 terms no sum can leave the
 * exactly-ordered range of a double by overflow, and β stays a positive normal number. Beyond it
 * (e.g. ±1e308) sums overflow to ±∞ and β to 0, and no annealer can run.
 */
export const MAX_ABS_COEFFICIENT = 1e12;
/** The largest |offset|, for the same reason. */
export const MAX_ABS_OFFSET = 1e15;

/** Throws KILN_ERR_QUBO_RANGE when a coefficient or the offset is out of range (see MAX_ABS_COEFFICIENT). */
export function assertCoefficientRange(problem: QuboProblem): void {
  const w = problem.terms.w;
  for (let k = 0; k < w.length; k++) {
    const a = Math.abs(w[k] as number);
    if (a > MAX_ABS_COEFFICIENT) {
      throw new QuboValidationError(
        'KILN_ERR_QUBO_RANGE',
        `term ${k} (x${problem.terms.i[k]}·x${problem.terms.j[k]}) has |w| = ${a}, above the limit of ${MAX_ABS_COEFFICIENT}: scale the problem down`,
        { term: k, limit: MAX_ABS_COEFFICIENT },
      );
    }
  }
  if (Math.abs(problem.offset) > MAX_ABS_OFFSET) {
    throw new QuboValidationError('KILN_ERR_QUBO_RANGE', `|offset| = ${Math.abs(problem.offset)} is above the limit of ${MAX_ABS_OFFSET}`, {
      field: 'offset',
      limit: MAX_ABS_OFFSET,
    });
  }
}
