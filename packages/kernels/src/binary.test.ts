import { beforeAll, describe, expect, it } from 'vitest';
import type { KilnNative } from './native-api.js';
import { requireNative, skipNative } from './testing/native.js';
import { randn, relErr, rng } from './testing/reference.js';

/** binary(op, outer, inner, A, soA, siA, B, soB, siB, out) against a float64 loop. */
describe.skipIf(skipNative)('binary (elementwise add/sub/mul/div with [outer, inner] broadcasts)', () => {
  let native: KilnNative;
  beforeAll(() => {
    native = requireNative();
  });

  const apply = (op: number, a: number, b: number) => (op === 0 ? a + b : op === 1 ? a - b : op === 2 ? a * b : a / b);
  const reference = (op: number, outer: number, inner: number, A: Float32Array, soA: number, siA: number, B: Float32Array, soB: number, siB: number) => {
    const out = new Float64Array(outer * inner);
    for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) out[o * inner + i] = apply(op, A[o * soA + i * siA]!, B[o * soB + i * siB]!);
    return out;
  };
  /** Operand of an [outer, inner] view: full (so = inner, si = 1), row (0, 1), column (1, 0), scalar (0, 0). */
  const layouts = { full: [1, 1], row: [0, 1], column: [1, 0], scalar: [0, 0] } as const;
  const operand = (kind: keyof typeof layouts, outer: number, inner: number): [number, number, number] => {
    const [o, i] = layouts[kind];
    const so = o === 1 ? (i === 1 ? inner : 1) : 0;
    return [so, i, (o ? outer : 1) * (i ? inner : 1)];
  };

  const sizes: Array<[number, number]> = [
    [1, 1],
    [1, 7],
    [7, 1],
    [3, 5],
    [1, 50_000], // one long row, split between threads
    [50_000, 1],
    [257, 129],
    [1024, 64],
  ];
  const kinds = Object.keys(layouts) as Array<keyof typeof layouts>;
  for (const [outer, inner] of sizes) {
    it(`${outer}×${inner}, every op and operand layout`, () => {
      const rand = rng(outer * 31 + inner);
      for (let op = 0; op < 4; op++) {
        for (const ka of kinds) {
          for (const kb of kinds) {
            const [soA, siA, na] = operand(ka, outer, inner);
            const [soB, siB, nb] = operand(kb, outer, inner);
            const A = randn(rand, na);
            const B = Float32Array.from(randn(rand, nb), (v) => Math.abs(v) + 0.5);
            const out = new Float32Array(outer * inner).fill(Number.NaN);
            native.binary(op as 0 | 1 | 2 | 3, outer, inner, A, soA, siA, B, soB, siB, out);
            expect(relErr(out, reference(op, outer, inner, A, soA, siA, B, soB, siB)), `op ${op} ${ka} ${kb}`).toBeLessThanOrEqual(1e-6);
          }
        }
      }
    });
  }

  it('writes in place when out is one of the same-shape operands', () => {
    const rand = rng(5);
    const n = 40_000;
    const A = randn(rand, n);
    const B = randn(rand, n);
    const want = reference(2, 1, n, A, 0, 1, B, 0, 1);
    native.binary(2, 1, n, A, 0, 1, B, 0, 1, A);
    expect(relErr(A, want)).toBeLessThanOrEqual(1e-6);
    const bias = randn(rand, 64);
    const C = randn(rand, 1000 * 64);
    const want2 = reference(0, 1000, 64, C, 64, 1, bias, 0, 1);
    native.binary(0, 1000, 64, C, 64, 1, bias, 0, 1, C);
    expect(relErr(C, want2)).toBeLessThanOrEqual(1e-6);
  });

  it('empty sizes are no-ops; bad arguments throw before running', () => {
    const z = new Float32Array(0);
    expect(() => native.binary(0, 0, 5, z, 5, 1, z, 5, 1, z)).not.toThrow();
    const a = new Float32Array(6);
    expect(() => native.binary(4 as 0, 2, 3, a, 3, 1, a, 3, 1, a)).toThrow(RangeError);
    expect(() => native.binary(0, 2, 3, a, 3, 2, a, 3, 1, a)).toThrow(RangeError);
    expect(() => native.binary(0, 2, 4, a, 4, 1, a, 0, 0, new Float32Array(8))).toThrow(/A has 6 elements, needs 8/);
    expect(() => native.binary(0, 2, 3, a, 3, 1, a, 3, 1, new Float32Array(5))).toThrow(/out has 5 elements/);
    expect(() => native.binary(0, 2, 3, a, 3, 1, new Int32Array(6) as unknown as Float32Array, 3, 1, a)).toThrow(TypeError);
  });
});
