import type { CsrQubo } from './types.js';

/**
 * The local fields f_i = h_i + Σ_j J_ij x_j: flipping x_i changes the energy by
 * ΔE_i = (1 − 2x_i)·f_i. Written into `out` when given.
 */
export function localFields(csr: CsrQubo, x: Uint8Array, out: Float64Array = new Float64Array(csr.n)): Float64Array {
  const { n, rowPtr, col, val, h } = csr;
  for (let i = 0; i < n; i++) {
    let f = h[i] as number;
    const end = rowPtr[i + 1] as number;
    for (let k = rowPtr[i] as number; k < end; k++) if (x[col[k] as number] === 1) f += val[k] as number;
    out[i] = f;
  }
  return out;
}

/** Flips x_i in place and updates the neighbours' fields in O(degree); returns the energy change. */
export function applyFlip(rowPtr: Int32Array, col: Int32Array, val: Float64Array, field: Float64Array, x: Uint8Array, i: number): number {
  const xi = x[i] as number;
  const f = field[i] as number;
  const delta = xi === 1 ? -f : f;
  x[i] = xi ^ 1;
  const end = rowPtr[i + 1] as number;
  if (xi === 0) {
    for (let k = rowPtr[i] as number; k < end; k++) {
      const j = col[k] as number;
      field[j] = (field[j] as number) + (val[k] as number);
    }
  } else {
    for (let k = rowPtr[i] as number; k < end; k++) {
      const j = col[k] as number;
      field[j] = (field[j] as number) - (val[k] as number);
    }
  }
  return delta;
}
