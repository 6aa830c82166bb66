import { beforeAll, describe, expect, it } from 'vitest';
import type { KilnNative } from './native-api.js';
import { useNative, simdLevels, skipNative } from './testing/native.js';
import * as ref from './testing/reference.js';
import { randn, relErr, rng } from './testing/reference.js';

const ops = ['gelu', 'silu', 'softplus'] as const;

describe.skipIf(skipNative)('conv1d, layerNorm, activations, softmax cross-entropy', () => {
  const getNative = useNative();
  let native: KilnNative;
  beforeAll(() => {
    native = getNative();
  });

  describe.each(simdLevels())('%s', (simd) => {
    beforeAll(() => {
      expect(native.setSimd(simd)).toBe(simd);
    });

    it.each([
      [9, 3, 19, 4],
      [1, 1, 1, 4],
      [2, 5, 128, 4], // kernel longer than the sequence
      [30, 2, 33, 1],
    ])('conv1d L=%i B=%i D=%i K=%i forward and backward', (L, B, D, K) => {
      const rand = rng(L + B + D + K);
      const x = randn(rand, L * B * D);
      const w = randn(rand, K * D, 0.5);
      const bias = randn(rand, D);
      const y = new Float32Array(L * B * D);
      native.conv1dForward(L, B, D, K, x, w, bias, y);
      expect(relErr(y, ref.conv1dForward(L, B, D, K, x, w, bias))).toBeLessThanOrEqual(1e-4);
      const dy = randn(rand, L * B * D);
      const got = { dx: new Float32Array(L * B * D).fill(Number.NaN), dw: new Float32Array(K * D).fill(9), dbias: new Float32Array(D).fill(9) };
      native.conv1dBackward(L, B, D, K, x, w, dy, got.dx, got.dw, got.dbias);
      const want = ref.conv1dBackward(L, B, D, K, x, w, dy);
      for (const k of ['dx', 'dw', 'dbias'] as const) expect(relErr(got[k], want[k]), k).toBeLessThanOrEqual(1e-4);
    });

    it.each([
      [7, 64, 1e-12],
      [1, 5, 1e-5],
      [33, 17, 1e-12],
    ])('layerNorm rows=%i H=%i eps=%s forward and backward', (rows, H, eps) => {
      const rand = rng(rows * H);
      const x = randn(rand, rows * H, 2).map((v, i) => v + (i % 3));
      const gamma = randn(rand, H).map((v) => 1 + 0.2 * v);
      const beta = randn(rand, H, 0.1);
      const y = new Float32Array(rows * H);
      const mean = new Float32Array(rows);
      const rstd = new Float32Array(rows);
      native.layerNormForward(rows, H, x, gamma, beta, eps, y, mean, rstd);
      const f = ref.layerNormForward(rows, H, x, gamma, beta, eps);
      expect(relErr(y, f.y), 'y').toBeLessThanOrEqual(1e-4);
      expect(relErr(mean, f.mean), 'mean').toBeLessThanOrEqual(1e-4);
      expect(relErr(rstd, f.rstd), 'rstd').toBeLessThanOrEqual(1e-4);
      const dy = randn(rand, rows * H);
      const got = { dx: new Float32Array(rows * H), dgamma: new Float32Array(H).fill(9), dbeta: new Float32Array(H).fill(9) };
      native.layerNormBackward(rows, H, x, gamma, dy, mean, rstd, got.dx, got.dgamma, got.dbeta);
      const b = ref.layerNormBackward(rows, H, x, gamma, dy, eps);
      for (const k of ['dx', 'dgamma', 'dbeta'] as const) expect(relErr(got[k], b[k]), k).toBeLessThanOrEqual(1e-4);
    });

    it.each(ops)('%s forward and backward, over the whole float range', (op) => {
      const rand = rng(op.length);
      // dense around 0, plus the tails (large |x| where exp under/overflows)
      const xs = [...randn(rand, 4001, 3), 0, -0, 1e-8, -1e-8, 1e-30, 15, -15, 30, -30, 80, -80, 100, -100, 1e4, -1e4];
      const x = Float32Array.from(xs);
      const n = x.length;
      const y = new Float32Array(n);
      native.activationForward(op, n, x, y);
      const want = Float64Array.from(x, (v) => ref.activation(op, v));
      expect(relErr(y, want), 'forward').toBeLessThanOrEqual(1e-4);
      const dy = randn(rand, n);
      const dx = new Float32Array(n);
      native.activationBackward(op, n, x, dy, dx);
      expect(
        relErr(
          dx,
          Float64Array.from(x, (v, i) => dy[i]! * ref.activationGrad(op, v)),
        ),
        'backward',
      ).toBeLessThanOrEqual(1e-4);
      // elementwise relative accuracy where the value is not tiny
      for (let i = 0; i < n; i++) {
        if (Math.abs(want[i]!) > 1e-30) expect(Math.abs(y[i]! - want[i]!) / Math.abs(want[i]!), `${op}(${x[i]})`).toBeLessThanOrEqual(1e-4);
      }
    });

    it('gelu keeps relative accuracy in its negative tail', () => {
      const x = Float32Array.from({ length: 200 }, (_, i) => -3 - i * 0.04); // −3 … −11
      const y = new Float32Array(x.length);
      native.activationForward('gelu', x.length, x, y);
      for (let i = 0; i < x.length; i++) {
        const want = ref.activation('gelu', x[i]!);
        expect(Math.abs(y[i]! - want) / Math.abs(want), `gelu(${x[i]})`).toBeLessThanOrEqual(1e-4);
      }
    });
  });

  describe.each([
    ['blas', true],
    ['own kernel', false],
  ] as const)('softmaxCrossEntropy (%s sgemm)', (_name, blas) => {
    beforeAll(() => {
      native.setBlas(blas);
    });

    it.each([
      [37, 29, 11],
      [1, 1, 3],
      [1, 5, 1],
      [1100, 53, 8], // several row blocks; one block fully ignored below
    ])('T=%i V=%i H=%i: loss and gradients, ignored rows, padding class 0', (T, V, H) => {
      const rand = rng(T * V + H);
      const h = randn(rand, T * H);
      const E = randn(rand, V * H, 0.7);
      const targets = Int32Array.from({ length: T }, (_, i) => (i % 7 === 3 ? -1 : i % 5 === 0 ? 0 : Math.floor(rand() * V)));
      if (T > 1024) targets.fill(-1, 512, 1024);
      const want = ref.softmaxCrossEntropy(T, V, H, h, E, targets);
      const dh = new Float32Array(T * H).fill(Number.NaN);
      const dE = new Float32Array(V * H).fill(Number.NaN);
      const loss = native.softmaxCrossEntropy(T, V, H, h, E, targets, dh, dE);
      expect(Math.abs(loss - want.loss) / Math.max(Math.abs(want.loss), 1e-6)).toBeLessThanOrEqual(1e-4);
      expect(relErr(dh, want.dh), 'dh').toBeLessThanOrEqual(1e-4);
      expect(relErr(dE, want.dE), 'dE').toBeLessThanOrEqual(1e-4);
      // rows ignored have zero gradient
      for (let r = 0; r < T; r++) if (targets[r] === -1) expect(dh.subarray(r * H, (r + 1) * H).every((v) => v === 0)).toBe(true);
      // loss alone, and each gradient alone, agree
      expect(native.softmaxCrossEntropy(T, V, H, h, E, targets, null, null)).toBeCloseTo(loss, 5);
      const dhOnly = new Float32Array(T * H);
      native.softmaxCrossEntropy(T, V, H, h, E, targets, dhOnly, null);
      expect(relErr(dhOnly, want.dh)).toBeLessThanOrEqual(1e-4);
    });

    it('every row ignored: loss 0, zero gradients', () => {
      const [T, V, H] = [4, 6, 3];
      const dh = new Float32Array(T * H).fill(5);
      const dE = new Float32Array(V * H).fill(5);
      const loss = native.softmaxCrossEntropy(T, V, H, randn(rng(1), T * H), randn(rng(2), V * H), new Int32Array(T).fill(-1), dh, dE);
      expect(loss).toBe(0);
      expect([...dh, ...dE].every((v) => v === 0)).toBe(true);
    });

    it('model shape slice (V = 3417, H = 64) with large logits stays finite and exact', () => {
      const [T, V, H] = [40, 3417, 64];
      const rand = rng(42);
      const h = randn(rand, T * H, 3);
      const E = randn(rand, V * H, 3); // logits of order ±100
      const targets = Int32Array.from({ length: T }, (_, i) => (i === 0 ? 0 : Math.floor(rand() * V)));
      const want = ref.softmaxCrossEntropy(T, V, H, h, E, targets);
      const dh = new Float32Array(T * H);
      const dE = new Float32Array(V * H);
      const loss = native.softmaxCrossEntropy(T, V, H, h, E, targets, dh, dE);
      expect(Math.abs(loss - want.loss) / want.loss).toBeLessThanOrEqual(1e-4);
      expect(relErr(dh, want.dh)).toBeLessThanOrEqual(1e-4);
      expect(relErr(dE, want.dE)).toBeLessThanOrEqual(1e-4);
    });
  });
});
