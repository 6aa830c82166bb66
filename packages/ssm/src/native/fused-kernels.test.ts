import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { causalConv1d, dropout, gelu, layerNorm, silu, softplus, tiedSoftmaxCrossEntropy } from '../model/ops.js';
import { Rng } from '../model/rng.js';
import { selectiveScanTimeMajor } from '../model/selective-scan.js';
import { randn, relErr, runOn, valueAndGrads } from '../testing/compare.js';
import { kilnTestMode } from '../testing/native-gate.js';

/**
 * Every fused kernel of the `kiln` backend and its gradient against the composite reference of the
 * same op, computed on the `cpu` backend (which has no fused kernels): relative error ≤ 1e-4 on
 * random inputs, including edge shapes (length 1, batch 1, ignored rows).
 */
const gate = kilnTestMode();
const TOL = 1e-4;

/** Runs the same op on cpu (composite) and kiln (fused): outputs and every input gradient agree. */
async function expectSameOnBoth(label: string, op: (...xs: tf.Tensor[]) => tf.Tensor, inputs: Array<[Float32Array, number[]]>, tol = TOL): Promise<void> {
  const want = await runOn('cpu', () => valueAndGrads(op, inputs));
  const before = tf.memory().numTensors;
  const got = await runOn('kiln', () => valueAndGrads(op, inputs));
  expect(tf.memory().numTensors, `${label}: leaked tensors`).toBe(before);
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => {
    const what = i === 0 ? 'value' : `gradient ${i - 1}`;
    expect(relErr(got[i] as Float32Array, w), `${label} ${what}`).toBeLessThanOrEqual(tol);
  });
}

describe.runIf(gate.mode === 'fail')('kiln fused kernels', () => {
  it('need the native addon', () => {
    throw new Error(gate.mode === 'fail' ? gate.reason : '');
  });
});

describe.runIf(gate.mode === 'run')('kiln fused kernels vs the composite reference on cpu', () => {
  const rng = new Rng(2024);
  beforeAll(async () => {
    expect(await initBackend('kiln')).toBe('kiln');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each([[[1, 8]], [[37, 64]], [[3, 5, 16]]])('layerNorm %j', async (shape) => {
    const H = shape[shape.length - 1] as number;
    const n = shape.reduce((a, b) => a * b, 1);
    const gamma = Float32Array.from(randn(rng, H, 0.3), (v) => 1 + v);
    await expectSameOnBoth('layerNorm', (x, g, b) => layerNorm(x as tf.Tensor, g as tf.Tensor1D, b as tf.Tensor1D), [
      [randn(rng, n, 2), shape],
      [gamma, [H]],
      [randn(rng, H), [H]],
    ]);
  });

  it.each(['gelu', 'silu', 'softplus'] as const)('%s, including large |x|', async (name) => {
    const f = { gelu, silu, softplus }[name];
    const x = Float32Array.from([...randn(rng, 997, 3), -30, -12, -1e-3, 0, 1e-3, 12, 30]);
    await expectSameOnBoth(name, (t) => f(t as tf.Tensor), [[x, [x.length]]]);
    await expectSameOnBoth(`${name} (one value)`, (t) => f(t as tf.Tensor), [[Float32Array.of(0.7), [1]]]);
  });

  it.each([
    [1, 1, 3, 4],
    [7, 2, 5, 4],
    [9, 3, 16, 1],
    [2, 4, 8, 3],
  ])('causalConv1d L=%i batch=%i channels=%i K=%i', async (L, B, D, K) => {
    await expectSameOnBoth('causalConv1d', (x, w, b) => causalConv1d(x as tf.Tensor3D, w as tf.Tensor2D, b as tf.Tensor1D), [
      [randn(rng, L * B * D), [L, B, D]],
      [randn(rng, K * D, 0.5), [K, D]],
      [randn(rng, D), [D]],
    ]);
  });

  /** Scan inputs in the model's ranges: Δ = softplus(·) > 0, A = −exp(·) < 0. */
  function scanInputs(L: number, B: number, D: number, N: number): Array<[Float32Array, number[]]> {
    const delta = Float32Array.from(randn(rng, L * B * D), (v) => Math.log1p(Math.exp(v - 0.5)));
    const A = Float32Array.from(randn(rng, D * N, 0.5), (v) => -Math.exp(v));
    return [
      [randn(rng, L * B * D), [L, B, D]],
      [delta, [L, B, D]],
      [A, [D, N]],
      [randn(rng, L * B * N), [L, B, N]],
      [randn(rng, L * B * N), [L, B, N]],
      [randn(rng, D), [D]],
    ];
  }

  it.each([
    [1, 1, 1, 1, undefined],
    [1, 3, 5, 4, undefined],
    [13, 1, 20, 4, undefined],
    [13, 3, 20, 4, 1],
    [13, 3, 17, 4, 5],
    [13, 2, 16, 8, 64],
    [64, 2, 33, 32, undefined],
  ])('selective scan L=%i batch=%i dInner=%i dState=%i chunk=%s', async (L, B, D, N, chunkSteps) => {
    await expectSameOnBoth(
      'selectiveScan',
      (x, dt, A, Bm, Cm, Ds) =>
        selectiveScanTimeMajor(x as tf.Tensor3D, dt as tf.Tensor3D, A as tf.Tensor2D, Bm as tf.Tensor3D, Cm as tf.Tensor3D, Ds as tf.Tensor1D, { chunkSteps }),
      scanInputs(L, B, D, N),
    );
  });

  it.each([
    ['one row', [3], 11, 8],
    ['50 rows', Array.from({ length: 50 }, (_, i) => (i * 7) % 37), 37, 16],
    ['rows ignored (−1)', [4, -1, 2, -1, -1, 9, 0], 12, 8],
    ['every row ignored', [-1, -1, -1], 5, 4],
  ])('tiedSoftmaxCrossEntropy: %s', async (_label, targets, V, H) => {
    const T = targets.length;
    const h = randn(rng, T * H);
    const table = randn(rng, V * H, 0.5);
    // The targets tensor lives outside the differentiated function (as in training).
    const run = () => {
      const tgt = tf.tensor1d(Int32Array.from(targets), 'int32');
      return valueAndGrads(
        (hh, tt) => tiedSoftmaxCrossEntropy(hh as tf.Tensor2D, tt as tf.Tensor2D, tgt),
        [
          [h, [T, H]],
          [table, [V, H]],
        ],
      );
    };
    const want = await runOn('cpu', run);
    const got = await runOn('kiln', run);
    want.forEach((w, i) => {
      expect(relErr(got[i] as Float32Array, w), `output ${i}`).toBeLessThanOrEqual(TOL);
    });
    if (targets.every((t) => t < 0)) expect(Array.from(got[0] as Float32Array)).toEqual([0]);
  });

  it('dropout draws the same mask as the reference and passes gradients through it', async () => {
    for (const [n, rate] of [
      [1, 0.2],
      [33 * 7, 0.2],
      [1000, 0.5],
    ] as const) {
      await expectSameOnBoth('dropout', (x) => dropout(x as tf.Tensor, rate, new Rng(n)), [[randn(rng, n), [n]]], 0);
    }
    // The addon's kernel from 4096 values on. Same mask; the fused kernels (JS and native alike)
    // scale x by the kept factor in double, the reference multiplies by its float32 value: ≤ 1 ulp.
    for (const [n, rate] of [
      [4097, 0.2],
      [20_001, 0.1],
      [70_000, 0.5],
    ] as const) {
      await expectSameOnBoth('dropout', (x) => dropout(x as tf.Tensor, rate, new Rng(n)), [[randn(rng, n), [n]]], 1e-6);
    }
  });

  it("the addon's dropout is Rng.dropoutInto bit for bit, and leaves the stream where it would", () => {
    const native = (tf.engine().findBackend('kiln') as unknown as { native: import('@kiln/kernels').KilnNative }).native;
    for (const n of [1, 2, 3, 4096, 4097, 65_537, 100_000]) {
      for (const rate of [0.2, 0.5, 0.999, 1]) {
        const x = randn(rng, n);
        x[0] = -(x[0] as number); // signs of zeros must match too
        const want = { mask: new Float32Array(n), y: new Float32Array(n) };
        const ref = new Rng(n + 7);
        ref.dropoutInto(rate, want.mask, x, want.y);
        const got = { mask: new Float32Array(n).fill(9), y: new Float32Array(n).fill(9) };
        const gen = new Rng(n + 7);
        const { state, threshold, keep } = gen.takeDropoutStream(rate, n);
        native.dropout(n, state, threshold, keep, x, got.mask, got.y);
        expect(Buffer.from(got.mask.buffer).equals(Buffer.from(want.mask.buffer)), `mask n=${n} rate=${rate}`).toBe(true);
        expect(Buffer.from(got.y.buffer).equals(Buffer.from(want.y.buffer)), `y n=${n} rate=${rate}`).toBe(true);
        expect(gen.nextUint32(), `stream after n=${n}`).toBe(ref.nextUint32());
      }
    }
  });
});
