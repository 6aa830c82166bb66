import { assertInteger } from './assert.js';
import { toCsr } from './csr.js';
import { energy, isCsr } from './energy.js';
import { applyFlip, localFields } from './local-fields.js';
import type { CsrQubo, QuboProblem } from './types.js';

/** Exact minimum by Gray-code enumeration (2^n states, O(degree) each); n ≤ 24. Ties keep the first state found. */
export function bruteForce(problem: QuboProblem | CsrQubo): { x: Uint8Array; energy: number } {
  const csr = isCsr(problem) ? problem : toCsr(problem);
  const { n, rowPtr, col, val } = csr;
  assertInteger(n, 'n', 1, 24);
  const x = new Uint8Array(n);
  const field = localFields(csr, x);
  let e = csr.offset;
  let best = e;
  let bestX = x.slice();
  const total = 2 ** n;
  for (let k = 1; k < total; k++) {
    const i = 31 - Math.clz32(k & -k);
    e += applyFlip(rowPtr, col, val, field, x, i);
    if (e < best - 1e-9) {
      best = e;
      bestX = x.slice();
    }
  }
  return { x: bestX, energy: energy(csr, bestX) };
}
