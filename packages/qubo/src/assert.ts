import type { CsrQubo } from './types.js';

/** Programmer-error guards for numeric entry points (bad options, wrong-length vectors): they throw RangeError/TypeError. */
export function assertInteger(value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
}

export function assertFinite(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${String(value)}`);
}

export function assertPositive(value: unknown, name: string): asserts value is number {
  assertFinite(value, name);
  if (value <= 0) throw new RangeError(`${name} must be > 0, got ${value}`);
}

/** x must be a Uint8Array of length n holding only 0 and 1. */
export function assertBinaryVector(x: unknown, n: number, name = 'x'): asserts x is Uint8Array {
  if (!(x instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  if (x.length !== n) throw new RangeError(`${name} has length ${x.length}, expected n = ${n}`);
  for (let i = 0; i < n; i++) {
    if ((x[i] as number) > 1) throw new RangeError(`${name}[${i}] = ${x[i]} is not binary`);
  }
}

export function assertCsr(csr: CsrQubo): void {
  assertInteger(csr.n, 'csr.n', 0);
  if (csr.rowPtr.length !== csr.n + 1 || csr.h.length !== csr.n) throw new RangeError('csr: rowPtr must have n+1 entries and h n entries');
  const nnz = csr.rowPtr[csr.n] as number;
  if (csr.col.length < nnz || csr.val.length < nnz) throw new RangeError('csr: col/val shorter than rowPtr[n]');
}
