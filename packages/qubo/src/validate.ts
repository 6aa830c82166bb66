import { QuboValidationError } from './errors.js';
import { assertCoefficientRange } from './range.js';
import type { QuboInput, QuboProblem } from './types.js';

export interface ValidateOptions {
  /** Largest accepted number of variables (default 100,000). */
  maxN?: number;
  /** Largest accepted number of terms (default 10,000,000). */
  maxTerms?: number;
}

export const DEFAULT_MAX_N = 100_000;
export const DEFAULT_MAX_TERMS = 10_000_000;

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return value === null ? 'null' : typeof value;
}

/**
 * Checks the JSON form of a QUBO and builds the typed problem (kind 'qubo', sense 'min').
 * Terms are kept as given (0-based, either order, duplicates allowed): they add up, and `toCsr`
 * is the one place that merges them. Throws QuboValidationError:
 * KILN_ERR_QUBO_PARSE (wrong shape), KILN_ERR_QUBO_INDEX (index not an integer in 0..n-1),
 * KILN_ERR_QUBO_NONFINITE (NaN/Inf weight or offset), KILN_ERR_QUBO_TOO_LARGE (n > maxN, terms > maxTerms),
 * KILN_ERR_QUBO_RANGE (|w| > MAX_ABS_COEFFICIENT or |offset| > MAX_ABS_OFFSET).
 */
export function validateAndBuild(input: QuboInput, options: ValidateOptions = {}): QuboProblem {
  const maxN = options.maxN ?? DEFAULT_MAX_N;
  const maxTerms = options.maxTerms ?? DEFAULT_MAX_TERMS;
  if (input === null || typeof input !== 'object') {
    throw new QuboValidationError('KILN_ERR_QUBO_PARSE', 'QUBO must be an object { n, terms, offset? }', { field: '' });
  }
  const { n, terms } = input;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new QuboValidationError('KILN_ERR_QUBO_PARSE', `n must be a positive integer, got ${describe(n)}`, { field: 'n' });
  }
  if (n > maxN) throw new QuboValidationError('KILN_ERR_QUBO_TOO_LARGE', `n = ${n} exceeds the limit of ${maxN} variables`, { field: 'n', limit: maxN });
  if (!Array.isArray(terms)) throw new QuboValidationError('KILN_ERR_QUBO_PARSE', 'terms must be an array', { field: 'terms' });
  if (terms.length > maxTerms) {
    throw new QuboValidationError('KILN_ERR_QUBO_TOO_LARGE', `${terms.length} terms exceed the limit of ${maxTerms}`, { field: 'terms', limit: maxTerms });
  }
  const offset = input.offset ?? 0;
  if (typeof offset !== 'number' || !Number.isFinite(offset)) {
    const code = typeof offset === 'number' ? 'KILN_ERR_QUBO_NONFINITE' : 'KILN_ERR_QUBO_PARSE';
    throw new QuboValidationError(code, `offset must be a finite number, got ${describe(offset)}`, { field: 'offset' });
  }
  const m = terms.length;
  const ti = new Int32Array(m);
  const tj = new Int32Array(m);
  const tw = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const t: unknown = terms[k];
    let i: unknown;
    let j: unknown;
    let w: unknown;
    if (Array.isArray(t)) {
      if (t.length !== 3)
        throw new QuboValidationError('KILN_ERR_QUBO_PARSE', `terms[${k}] must be [i, j, w], got ${t.length} entries`, { term: k, field: `terms[${k}]` });
      [i, j, w] = t as unknown[];
    } else if (t !== null && typeof t === 'object') {
      ({ i, j, w } = t as { i?: unknown; j?: unknown; w?: unknown });
    } else {
      throw new QuboValidationError('KILN_ERR_QUBO_PARSE', `terms[${k}] must be [i, j, w] or { i, j, w }, got ${describe(t)}`, {
        term: k,
        field: `terms[${k}]`,
      });
    }
    for (const [name, idx] of [
      ['i', i],
      ['j', j],
    ] as const) {
      if (typeof idx !== 'number') {
        throw new QuboValidationError('KILN_ERR_QUBO_PARSE', `terms[${k}].${name} must be a number, got ${describe(idx)}`, {
          term: k,
          field: `terms[${k}].${name}`,
        });
      }
      if (!Number.isInteger(idx) || idx < 0 || idx >= n) {
        throw new QuboValidationError('KILN_ERR_QUBO_INDEX', `terms[${k}].${name} = ${idx} is not a variable index in 0..${n - 1}`, {
          term: k,
          field: `terms[${k}].${name}`,
        });
      }
    }
    if (typeof w !== 'number') {
      throw new QuboValidationError('KILN_ERR_QUBO_PARSE', `terms[${k}].w must be a number, got ${describe(w)}`, { term: k, field: `terms[${k}].w` });
    }
    if (!Number.isFinite(w)) {
      throw new QuboValidationError('KILN_ERR_QUBO_NONFINITE', `terms[${k}].w = ${w} is not finite`, { term: k, field: `terms[${k}].w` });
    }
    ti[k] = i as number;
    tj[k] = j as number;
    tw[k] = w;
  }
  const problem: QuboProblem = { n, terms: { i: ti, j: tj, w: tw }, offset, kind: 'qubo', sense: 'min' };
  assertCoefficientRange(problem);
  return problem;
}
