import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { resolveMamba4RecConfig } from '../model/config.js';
import { createMamba4Rec, parameterShapes } from '../model/mamba4rec.js';
import { tiedSoftmaxCrossEntropy } from '../model/ops.js';
import { Rng } from '../model/rng.js';
import { randn, relErr, runOn } from '../testing/compare.js';
import { kilnTestMode } from '../testing/native-gate.js';
import type { KilnBackend } from './kiln-backend.js';
import { kilnKernelNames } from './register.js';

/**
 * The `kiln` backend's own kernels (matMul, broadcasts, sums, gathers, splits …) against the `cpu`
 * backend's kernels, and one whole training step of a small Mamba4Rec against `cpu`.
 */
const gate = kilnTestMode();

describe.runIf(gate.mode === 'fail')('kiln backend', () => {
  it('needs the native addon', () => {
    throw new Error(gate.mode === 'fail' ? gate.reason : '');
  });
});

describe.runIf(gate.mode === 'run')('kiln backend kernels vs cpu', () => {
  const rng = new Rng(7);
  const t = (shape: number[], scale = 1) =>
    tf.tensor(
      randn(
        rng,
        shape.reduce((a, b) => a * b, 1),
        scale,
      ),
      shape,
      'float32',
    );

  beforeAll(async () => {
    expect(await initBackend('kiln')).toBe('kiln');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  /** Builds inputs once (as arrays), runs `f` on cpu and on kiln, and compares every output. */
  async function same(label: string, make: () => tf.Tensor[], f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[], tol = 1e-5): Promise<void> {
    const inputs = await runOn('cpu', make);
    const shapes = tf.tidy(() => make().map((x) => x.shape));
    const dtypes = tf.tidy(() => make().map((x) => x.dtype));
    const run = () => {
      const xs = inputs.map((v, i) => tf.tensor(dtypes[i] === 'int32' ? Int32Array.from(v) : v, shapes[i], dtypes[i]));
      const out = f(...xs);
      return Array.isArray(out) ? out : [out];
    };
    const want = await runOn('cpu', run);
    const before = tf.memory().numTensors;
    const got = await runOn('kiln', run);
    expect(tf.memory().numTensors, `${label}: leaked tensors`).toBe(before);
    expect(got.length, label).toBe(want.length);
    want.forEach((w, i) => {
      expect(relErr(got[i] as Float32Array, w), `${label} output ${i}`).toBeLessThanOrEqual(tol);
    });
  }

  it('registers every cpu kernel, and its own ones', () => {
    const kiln = new Set(tf.getKernelsForBackend('kiln').map((k) => k.kernelName));
    for (const k of tf.getKernelsForBackend('cpu')) expect(kiln.has(k.kernelName), k.kernelName).toBe(true);
    for (const name of kilnKernelNames()) expect(tf.getKernel(name, 'kiln')?.kernelFunc, name).toBeDefined();
  });

  it('matMul: transposes, batches, broadcast batches, degenerate sizes, and a fallback', async () => {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      await same(
        `matMul ${ta} ${tb}`,
        () => [t(ta ? [7, 5] : [5, 7]), t(tb ? [3, 7] : [7, 3])],
        (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, ta, tb),
      );
      await same(
        `batched ${ta} ${tb}`,
        () => [t(ta ? [4, 7, 5] : [4, 5, 7]), t(tb ? [4, 3, 7] : [4, 7, 3])],
        (a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D, ta, tb),
      );
    }
    await same(
      'broadcast a',
      () => [t([1, 5, 7]), t([4, 7, 3])],
      (a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D),
    );
    await same(
      'broadcast b',
      () => [t([2, 2, 5, 7]), t([7, 3])],
      (a, b) => tf.matMul(a as tf.Tensor, b as tf.Tensor),
    );
    await same(
      '1×1×1',
      () => [t([1, 1]), t([1, 1])],
      (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    );
    await same(
      'K = 0',
      () => [tf.zeros([3, 0]), tf.zeros([0, 4])],
      (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    );
    await same(
      'partial broadcast (cpu fallback)',
      () => [t([2, 1, 5, 7]), t([1, 3, 7, 2])],
      (a, b) => tf.matMul(a as tf.Tensor, b as tf.Tensor),
    );
  });

  it('fused matMul + bias, and its gradient', async () => {
    const withGrads = (bias: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => {
      const f = (x: tf.Tensor, w: tf.Tensor, c: tf.Tensor) => tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: c });
      const y = f(a, b, bias);
      return [
        y,
        ...tf.grads((x, w, c) => tf.sum(tf.mul(f(x as tf.Tensor, w as tf.Tensor, c as tf.Tensor), tf.range(0, y.size).reshape(y.shape))))([a, b, bias]),
      ];
    };
    await same(
      'row bias',
      () => [t([6]), t([9, 4]), t([4, 6])],
      (c, a, b) => withGrads(c as tf.Tensor, a as tf.Tensor, b as tf.Tensor),
    );
    await same(
      'full bias',
      () => [t([9, 6]), t([9, 4]), t([4, 6])],
      (c, a, b) => withGrads(c as tf.Tensor, a as tf.Tensor, b as tf.Tensor),
    );
    await same(
      'column bias',
      () => [t([9, 1]), t([9, 4]), t([4, 6])],
      (c, a, b) => withGrads(c as tf.Tensor, a as tf.Tensor, b as tf.Tensor),
    );
    await same(
      'relu (cpu fallback)',
      () => [t([6]), t([9, 4]), t([4, 6])],
      (c, a, b) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c, activation: 'relu' }),
    );
  });

  it('Add / Sub / Mul / RealDiv with every broadcast shape, and fallbacks', async () => {
    const ops = [tf.add, tf.sub, tf.mul, tf.div] as const;
    const pairs: Array<[number[], number[]]> = [
      [
        [4, 5],
        [4, 5],
      ],
      [[4, 5], [5]],
      [[5], [4, 5]],
      [
        [4, 5],
        [4, 1],
      ],
      [
        [4, 1],
        [1, 5],
      ],
      [[4, 5], []],
      [[], [3, 2]],
      [
        [2, 3, 4],
        [3, 4],
      ],
      [
        [2, 3, 4],
        [2, 1, 4],
      ],
      [[1], [1]],
    ];
    for (const op of ops) {
      for (const [sa, sb] of pairs) {
        await same(
          `${op.name} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`,
          () => [t(sa), tf.add(tf.abs(t(sb)), 0.5)],
          (a, b) => op(a as tf.Tensor, b as tf.Tensor),
        );
      }
    }
    // Large enough for the addon's kernel (NATIVE_MIN_ELEMENTS) rather than the JS loop.
    const large: Array<[number[], number[]]> = [
      [
        [130, 64],
        [130, 64],
      ],
      [[130, 64], [64]],
      [[64], [130, 64]],
      [
        [130, 64],
        [130, 1],
      ],
      [
        [130, 1],
        [1, 64],
      ],
      [[130, 64], []],
      [[], [130, 64]],
      [
        [3, 50, 64],
        [50, 64],
      ],
      [
        [1, 9000],
        [1, 9000],
      ],
      [[9001], [1]],
      [
        [1, 5000],
        [1, 1],
      ],
    ];
    for (const op of ops) {
      for (const [sa, sb] of large) {
        await same(
          `${op.name} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`,
          () => [t(sa), tf.add(tf.abs(t(sb)), 0.5)],
          (a, b) => op(a as tf.Tensor, b as tf.Tensor),
        );
      }
    }
    await same(
      'int32 (cpu fallback)',
      () => [tf.tensor1d([1, 2, 3], 'int32'), tf.tensor1d([4, 5, 6], 'int32')],
      (a, b) => tf.add(a as tf.Tensor, b as tf.Tensor),
    );
  });

  it('Sum over leading, trailing and other axes', async () => {
    const cases: Array<[number[], number | number[], boolean]> = [
      [[6, 5], 0, false],
      [[6, 5], 1, false],
      [[6, 5], -1, true],
      [[2, 3, 4], [0, 1], false],
      [[2, 3, 4], [1, 2], true],
      [[2, 3, 4], 1, false],
      [[2, 3, 4], [0, 2], false],
      [[2, 3, 4], [0, 1, 2], false],
      [[1, 3], 0, false],
      [[0, 3], 0, false],
    ];
    for (const [shape, axis, keepDims] of cases) {
      await same(
        `sum ${JSON.stringify(shape)} ${JSON.stringify(axis)}`,
        () => [t(shape)],
        (x) => tf.sum(x as tf.Tensor, axis, keepDims),
        1e-5,
      );
    }
  });

  it('gathers rows, scatters them back (duplicates add up), and rejects bad ids', async () => {
    const ids = [3, 0, 9, 3, 3, 5, 1];
    await same(
      'gather',
      () => [t([10, 4]), tf.tensor1d(ids, 'int32')],
      (x, i) => tf.gather(x as tf.Tensor, i as tf.Tensor1D),
    );
    await same(
      'gather 2-D ids',
      () => [t([10, 2, 3]), tf.tensor2d([1, 2, 3, 9, 9, 0], [2, 3], 'int32')],
      (x, i) => tf.gather(x as tf.Tensor, i as tf.Tensor),
    );
    await same(
      'gather axis 1 (cpu fallback)',
      () => [t([3, 10]), tf.tensor1d([1, 7], 'int32')],
      (x, i) => tf.gather(x as tf.Tensor, i as tf.Tensor1D, 1),
    );
    await same(
      'scatterND',
      () => [tf.tensor2d(ids, [ids.length, 1], 'int32'), t([ids.length, 4])],
      (i, u) => tf.scatterND(i as tf.Tensor, u as tf.Tensor, [10, 4]),
    );
    // Large enough for the addon's row copies / scatter-adds (and their thread split over columns).
    const many = Array.from({ length: 3000 }, (_, r) => (r * 7919) % 50);
    for (const H of [1, 4, 64, 200]) {
      await same(
        `gather ${many.length}×${H}`,
        () => [t([50, H]), tf.tensor1d(many, 'int32')],
        (x, i) => tf.gather(x as tf.Tensor, i as tf.Tensor1D),
      );
      await same(
        `scatterND ${many.length}×${H}`,
        () => [tf.tensor2d(many, [many.length, 1], 'int32'), t([many.length, H])],
        (i, u) => tf.scatterND(i as tf.Tensor, u as tf.Tensor, [50, H]),
      );
    }
    await tf.setBackend('kiln');
    expect(() => tf.tidy(() => tf.gather(tf.zeros([3, 2]), tf.tensor1d([3], 'int32')))).toThrow(/index/);
    expect(() => tf.tidy(() => tf.gather(tf.zeros([3, 4096]), tf.tensor1d([0, 3], 'int32')))).toThrow(/GatherV2: index 3 is not in \[0, 2\]/);
    expect(() => tf.tidy(() => tf.scatterND(tf.tensor2d([0, 5], [2, 1], 'int32'), tf.ones([2, 4096]), [3, 4096]))).toThrow(/ScatterNd: index 5/);
    expect(() => tf.tidy(() => tf.scatterND(tf.tensor2d([-1], [1, 1], 'int32'), tf.ones([1, 2]), [3, 2]))).toThrow();
  });

  it('split, concat and slice by block copies', async () => {
    for (const axis of [0, 1, 2]) {
      await same(
        `split axis ${axis}`,
        () => [t([3, 4, 5])],
        (x) =>
          tf.split(
            x as tf.Tensor,
            [1, 2, (x as tf.Tensor).shape[axis] as number].map((v, i) => (i === 2 ? v - 3 : v)),
            axis,
          ),
      );
      await same(
        `concat axis ${axis}`,
        () => [t([3, 4, 5]), t([3, 4, 5])],
        (a, b) => tf.concat([a as tf.Tensor, b as tf.Tensor], axis),
      );
    }
    for (const axis of [0, 1, 2]) {
      await same(
        `split axis ${axis}, large`,
        () => [t([20, 30, 40])],
        (x) => tf.split(x as tf.Tensor, [3, 7, ((x as tf.Tensor).shape[axis] as number) - 10], axis),
      );
      await same(
        `concat axis ${axis}, large`,
        () => [t([20, 30, 40]), t([20, 30, 40])],
        (a, b) => tf.concat([a as tf.Tensor, b as tf.Tensor], axis),
      );
    }
    await same(
      "x_proj's split (4 / 32 / 32 columns)",
      () => [t([30, 50, 68])],
      (x) => tf.split(x as tf.Tensor, [4, 32, 32], 2),
    );
    await same(
      'split in 2',
      () => [t([2, 6])],
      (x) => tf.split(x as tf.Tensor, 2, 1),
    );
    await same(
      'concat with an empty piece',
      () => [t([2, 3]), tf.zeros([2, 0]), t([2, 1])],
      (a, b, c) => tf.concat([a as tf.Tensor, b as tf.Tensor, c as tf.Tensor], 1),
    );
    const slices: Array<[number[], number[], number[]]> = [
      [
        [4, 5, 6],
        [0, 0, 0],
        [4, 5, 6],
      ],
      [
        [4, 5, 6],
        [1, 0, 0],
        [2, 5, 6],
      ],
      [
        [4, 5, 6],
        [0, 0, 2],
        [4, 5, 3],
      ],
      [
        [4, 5, 6],
        [1, 2, 3],
        [2, 2, 2],
      ],
      [
        [4, 5, 6],
        [0, 1, 0],
        [-1, 3, -1],
      ],
      [[7], [3], [0]],
    ];
    for (const [shape, begin, size] of slices) {
      await same(
        `slice ${JSON.stringify([shape, begin, size])}`,
        () => [t(shape)],
        (x) => tf.slice(x as tf.Tensor, begin, size),
      );
    }
  });

  it('never recycles a buffer that dataSync() handed out', async () => {
    await tf.setBackend('kiln');
    const a = tf.ones([300, 100]);
    const y = tf.add(a, a);
    const seen = y.dataSync();
    y.dispose();
    const z = tf.tidy(() => tf.mul(tf.add(a, a), 3));
    expect(seen[0]).toBe(2);
    expect(seen[seen.length - 1]).toBe(2);
    expect(z.dataSync()[0]).toBe(6);
    const stats = (tf.backend() as KilnBackend).poolStats();
    expect(stats.pooledBytes).toBeGreaterThanOrEqual(0);
    tf.dispose([a, z]);
  });
});

describe.runIf(gate.mode === 'run')('one training step of a small Mamba4Rec, kiln vs cpu', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each([1, 2])('%i layer(s): the loss and every parameter gradient match (≤ 1e-4)', async (numLayers) => {
    expect(await initBackend('kiln')).toBe('kiln');
    const config = { nItems: 40, hiddenSize: 16, dState: 8, maxLen: 12, numLayers, dropout: 0.2 };
    // Time-major ids [L = 9, batch = 4]: rows right-padded to lengths 9, 5, 1 and 7.
    const lengths = [9, 5, 1, 7];
    const L = 9;
    const b = lengths.length;
    const rng = new Rng(11);
    const ids = new Int32Array(L * b);
    const positions: number[] = [];
    const targets: number[] = [];
    for (let t = 0; t < L; t++) {
      for (let j = 0; j < b; j++) {
        if (t >= (lengths[j] as number)) continue;
        ids[t * b + j] = 1 + rng.int(40);
        positions.push(t * b + j);
        targets.push(1 + rng.int(40));
      }
    }
    const step = () => {
      const model = createMamba4Rec(config, { seed: 5 });
      try {
        const idsT = tf.tensor2d(ids, [L, b], 'int32');
        const posT = tf.tensor1d(positions, 'int32');
        const tgtT = tf.tensor1d(targets, 'int32');
        const vars = model.trainableVariables;
        const { value, grads } = tf.variableGrads(
          () => tiedSoftmaxCrossEntropy(model.forward(idsT, { training: true, rng: new Rng(3), positions: posT }), model.p('item_embedding'), tgtT),
          vars,
        );
        return [value, ...vars.map((v) => grads[v.name] as tf.Tensor)];
      } finally {
        model.dispose();
      }
    };
    const before = tf.memory().numTensors;
    const want = await runOn('cpu', step);
    const got = await runOn('kiln', step);
    expect(tf.memory().numTensors).toBe(before);
    expect(got.length).toBe(want.length);
    const names = ['loss', ...parameterShapes(resolveMamba4RecConfig(config)).map(([name]) => name)];
    want.forEach((w, i) => {
      expect(relErr(got[i] as Float32Array, w), names[i]).toBeLessThanOrEqual(1e-4);
    });
  });
});
