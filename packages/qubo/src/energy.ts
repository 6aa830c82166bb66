import { assertBinaryVector } from './assert.js';
import type { CsrQubo, QuboProblem } from './types.js';

export function isCsr(p: QuboProblem | CsrQubo): p is CsrQubo {
  return 'rowPtr' in p;
}

/** E(x) for a problem (summing its term list) or a CSR (Σ h_i x_i + Σ_{i<j} J_ij x_i x_j + offset). */
export function energy(p: QuboProblem | CsrQubo, x: Uint8Array): number {
  assertBinaryVector(x, p.n);
  if (isCsr(p)) {
    const { n, rowPtr, col, val, h } = p;
    let e = p.offset;
    for (let i = 0; i < n; i++) {
      if (x[i] === 0) continue;
      e += h[i] as number;
      const end = rowPtr[i + 1] as number;
      for (let k = rowPtr[i] as number; k < end; k++) {
        const j = col[k] as number;
        if (j > i && x[j] === 1) e += val[k] as number;
      }
    }
    return e;
  }
  const { i: ti, j: tj, w: tw } = p.terms;
  let e = p.offset;
  for (let k = 0; k < ti.length; k++) {
    if (x[ti[k] as number] === 1 && x[tj[k] as number] === 1) e += tw[k] as number;
  }
  return e;
}
