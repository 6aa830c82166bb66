import { QuboValidationError } from './errors.js';
import type { QuboInput, QuboProblem } from './types.js';
import { DEFAULT_MAX_N, type ValidateOptions, validateAndBuild } from './validate.js';

/**
 * An Ising problem over spins s ∈ {−1, +1}ⁿ: E(s) = Σ_i h_i s_i + Σ_k J_k s_{i_k} s_{j_k} + offset.
 * `h` as an array (index i) or an object `{ "i": h_i }`; `J` as `[i, j, J_ij]` triples (0-based,
 * either order; repeats add up; i = j is the constant J_ii, since s_i² = 1). `n` defaults to one
 * more than the largest index named.
 */
export interface IsingInput {
  n?: number;
  h?: number[] | Record<string, number>;
  J?: Array<[number, number, number]>;
  offset?: number;
}

const bad = (field: string, message: string, code: 'KILN_ERR_QUBO_PARSE' | 'KILN_ERR_QUBO_INDEX' | 'KILN_ERR_QUBO_NONFINITE' = 'KILN_ERR_QUBO_PARSE') =>
  new QuboValidationError(code, `${field}: ${message}`, { field });

function index(v: unknown, field: string, maxN: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= maxN)
    throw bad(field, `must be an integer in 0..${maxN - 1}, got ${String(v)}`, 'KILN_ERR_QUBO_INDEX');
  return v;
}
function finite(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw bad(field, `must be a finite number, got ${String(v)}`, typeof v === 'number' ? 'KILN_ERR_QUBO_NONFINITE' : 'KILN_ERR_QUBO_PARSE');
  return v;
}

/**
 * The QUBO with the same energy at x = (s + 1)/2, i.e. s = 2x − 1:
 * h_i s_i = 2h_i x_i − h_i and J s_i s_j = 4J x_i x_j − 2J x_i − 2J x_j + J, so the QUBO has
 * Q_ii = 2h_i − 2Σ_j J_ij, Q_ij = 4J_ij and offset Σ(J) − Σ(h) + offset: E_QUBO(x) = E_Ising(s) for every x,
 * so energies of the QUBO are reported in Ising terms. Validated like any QUBO (limits, ranges).
 */
export function isingToQubo(input: IsingInput, options: ValidateOptions = {}): QuboProblem {
  if (input === null || typeof input !== 'object') throw bad('', 'an Ising problem must be an object { h, J, n?, offset? }');
  const maxN = options.maxN ?? DEFAULT_MAX_N;
  const hs: Array<[number, number]> = [];
  if (Array.isArray(input.h)) {
    for (let i = 0; i < input.h.length; i++) hs.push([index(i, `h[${i}]`, maxN), finite(input.h[i], `h[${i}]`)]);
  } else if (input.h !== undefined) {
    if (input.h === null || typeof input.h !== 'object') throw bad('h', 'must be an array or an object { "i": h_i }');
    for (const [k, v] of Object.entries(input.h)) hs.push([index(/^\d+$/.test(k) ? Number(k) : Number.NaN, `h.${k}`, maxN), finite(v, `h.${k}`)]);
  }
  const J = input.J ?? [];
  if (!Array.isArray(J)) throw bad('J', 'must be an array of [i, j, J_ij]');
  let offset = input.offset === undefined ? 0 : finite(input.offset, 'offset');
  let n = input.n ?? 0;
  for (const [i] of hs) n = Math.max(n, i + 1);
  const pairs: Array<[number, number, number]> = [];
  J.forEach((t, k) => {
    if (!Array.isArray(t) || t.length !== 3) throw bad(`J[${k}]`, 'must be [i, j, J_ij]');
    const i = index(t[0], `J[${k}][0]`, maxN);
    const j = index(t[1], `J[${k}][1]`, maxN);
    const w = finite(t[2], `J[${k}][2]`);
    n = Math.max(n, i + 1, j + 1);
    pairs.push([i, j, w]);
  });
  if (input.n !== undefined && (!Number.isInteger(input.n) || input.n < 1 || input.n < n))
    throw bad('n', `must be an integer ≥ 1 and above every index, got ${String(input.n)}`);
  if (n < 1) throw bad('h', 'the problem names no spin');
  const linear = new Float64Array(n);
  for (const [i, v] of hs) {
    linear[i] = (linear[i] as number) + 2 * v;
    offset -= v;
  }
  const terms: QuboInput['terms'] = [];
  for (const [i, j, w] of pairs) {
    offset += w;
    if (i === j) continue;
    linear[i] = (linear[i] as number) - 2 * w;
    linear[j] = (linear[j] as number) - 2 * w;
    terms.push([i, j, 4 * w]);
  }
  linear.forEach((v, i) => {
    if (v !== 0) terms.push([i, i, v]);
  });
  return validateAndBuild({ n, terms, offset }, options);
}

/** The spins of an assignment: s_i = 2x_i − 1. */
export function spinsOf(x: Uint8Array): Int8Array {
  return Int8Array.from(x, (b) => 2 * b - 1);
}

/** E(s) of an Ising problem, straight from its definition (for checks). */
export function isingEnergy(input: IsingInput, s: ArrayLike<number>): number {
  let e = input.offset ?? 0;
  if (Array.isArray(input.h)) {
    for (let i = 0; i < input.h.length; i++) e += (input.h[i] as number) * (s[i] as number);
  } else for (const [k, v] of Object.entries(input.h ?? {})) e += v * (s[Number(k)] as number);
  for (const [i, j, w] of input.J ?? []) e += w * (s[i] as number) * (s[j] as number);
  return e;
}

/** Whether a JSON problem is in Ising form (it has `h` or `J`) rather than QUBO form (`terms`). */
export function isIsingInput(input: unknown): input is IsingInput {
  return input !== null && typeof input === 'object' && !('terms' in input) && ('h' in input || 'J' in input);
}
