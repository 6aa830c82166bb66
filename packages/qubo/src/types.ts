import type { NativeQuboProblem } from '@kiln/kernels';
/** An undirected, edge-weighted graph with 0-based vertices; edge k joins `u[k]` and `v[k]` with weight `w[k]`. */
export interface Graph {
  n: number;
  edges: { u: Int32Array; v: Int32Array; w: Float64Array };
}

/**
 * A quadratic unconstrained binary optimisation problem over x ∈ {0,1}^n:
 * E(x) = Σ_k w_k · x_{i_k} · x_{j_k} + offset. A term with i == j is linear (x_i² = x_i).
 * Terms may repeat, in either order: they add up. Energy is always MINIMISED; `sense: 'max'` only
 * says that the user-facing objective is −energy (OR-Library bqp files).
 */
export interface QuboProblem {
  n: number;
  terms: { i: Int32Array; j: Int32Array; w: Float64Array };
  offset: number;
  kind: 'qubo' | 'maxcut' | 'mis';
  sense: 'min' | 'max';
  /** The source graph for 'maxcut' and 'mis' problems. */
  graph?: Graph;
}

/**
 * The canonical, merged form the annealer works on: E(x) = Σ_i h_i x_i + Σ_{i<j} J_ij x_i x_j + offset.
 * Row i of (rowPtr, col, val) lists J_ij for each j ≠ i with J_ij ≠ 0, columns ascending; every pair
 * is stored in both rows, so the matrix is exactly symmetric.
 */
export type CsrQubo = NativeQuboProblem;

/** One term of the JSON form: `[i, j, w]` or `{ i, j, w }` (0-based indices). */
export type QuboTermInput = [number, number, number] | { i: number; j: number; w: number };

/** The JSON form of a QUBO, as accepted by the API. */
export interface QuboInput {
  n: number;
  terms: QuboTermInput[];
  offset?: number;
}
