import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { countParameters, createMamba4Rec, type Mamba4Rec, parameterShapes } from './mamba4rec.js';
import { tiedSoftmaxCrossEntropy } from './ops.js';
import { Rng } from './rng.js';
import { loadMamba4Rec, serializeWeights } from './weights.js';

let tensorsBefore = 0;

beforeAll(async () => {
  await initBackend('cpu');
});

afterEach(() => {
  expect(tf.memory().numTensors).toBe(tensorsBefore);
});

function setup(): void {
  tensorsBefore = tf.memory().numTensors;
}

/** Replaces every parameter with O(1) random values so that every gradient is far from zero. */
function randomise(model: Mamba4Rec, seed: number): void {
  const rng = new Rng(seed);
  const values = new Map<string, Float32Array>();
  for (const [name, v] of model.params) {
    const a = new Float32Array(v.size);
    for (let i = 0; i < a.length; i++) {
      if (name.endsWith('A_log')) a[i] = rng.next() - 0.5;
      else if (name.endsWith('gamma')) a[i] = 1 + 0.3 * rng.normal();
      else a[i] = 0.5 * rng.normal();
    }
    values.set(name, a);
  }
  model.assign(values);
}

describe('Mamba4Rec', () => {
  it('has 290,944 parameters on the ML-1M configuration', () => {
    setup();
    expect(countParameters({ nItems: 3416 })).toBe(290944);
    const model = createMamba4Rec({ nItems: 3416 }, { seed: 1 });
    expect(model.parameterCount()).toBe(290944);
    expect(model.p('item_embedding').shape).toEqual([3417, 64]);
    expect(model.p('layers.0.mamba.x_proj').shape).toEqual([128, 4 + 32 + 32]);
    model.dispose();
  });

  it('initialises as Mamba4Rec does', () => {
    setup();
    const model = createMamba4Rec({ nItems: 3416 }, { seed: 2 });
    const stats = (name: string) => {
      const v = model.p(name).dataSync();
      let s = 0;
      let s2 = 0;
      let max = 0;
      for (const x of v) {
        s += x;
        s2 += x * x;
        max = Math.max(max, Math.abs(x));
      }
      return { mean: s / v.length, std: Math.sqrt(s2 / v.length - (s / v.length) ** 2), max };
    };
    expect(stats('item_embedding').std).toBeCloseTo(0.02, 3);
    expect(stats('layers.0.mamba.in_proj').std).toBeCloseTo(0.02, 3);
    expect(stats('layers.0.mamba.dt_proj.bias').max).toBe(0);
    expect(stats('layers.0.ffn.b1').max).toBe(0);
    const conv = stats('layers.0.mamba.conv.weight');
    expect(conv.max).toBeLessThanOrEqual(0.5);
    expect(conv.std).toBeCloseTo(0.5 / Math.sqrt(3), 1);
    const aLog = model.p('layers.0.mamba.A_log').dataSync();
    expect(aLog[0]).toBeCloseTo(0, 6);
    expect(aLog[31]).toBeCloseTo(Math.log(32), 5);
    expect(aLog[32]).toBeCloseTo(0, 6);
    expect(stats('layers.0.mamba.D')).toMatchObject({ mean: 1, max: 1 });
    expect(stats('emb_ln.gamma').mean).toBe(1);
    model.dispose();
  });

  it('is causal: right padding and later items do not change earlier outputs', () => {
    setup();
    const model = createMamba4Rec({ nItems: 20, hiddenSize: 8, dState: 4, maxLen: 10 }, { seed: 3 });
    randomise(model, 4);
    const out = tf.tidy(() => {
      // Two time-major batches: [L=3, b=1] and the same prefix with two more items.
      const short = model.forward(tf.tensor2d([5, 9, 2], [3, 1], 'int32')).dataSync();
      const long = model.forward(tf.tensor2d([5, 9, 2, 0, 17], [5, 1], 'int32')).dataSync();
      const picked = model.forward(tf.tensor2d([5, 9, 2, 0, 17], [5, 1], 'int32'), { positions: tf.tensor1d([2, 0], 'int32') }).dataSync();
      return { short, long, picked };
    });
    for (let i = 0; i < 24; i++) expect(out.long[i]).toBeCloseTo(out.short[i] as number, 5);
    for (let i = 0; i < 8; i++) {
      expect(out.picked[i]).toBeCloseTo(out.short[16 + i] as number, 5);
      expect(out.picked[8 + i]).toBeCloseTo(out.short[i] as number, 5);
    }
    model.dispose();
  });

  it.each([1, 2])("has the Mamba block's (and the whole model's) gradients right: %s layer(s) vs central differences", (numLayers) => {
    setup();
    const model = createMamba4Rec({ nItems: 6, hiddenSize: 4, dState: 3, dConv: 3, maxLen: 5, numLayers, dropout: 0 }, { seed: 9 });
    randomise(model, 10 + numLayers);
    // Time-major [L=5, batch=2]; second sequence right-padded.
    const ids = tf.tensor2d([3, 1, 6, 2, 1, 5, 4, 0, 2, 0], [5, 2], 'int32');
    const positions = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 8], 'int32');
    const targets = tf.tensor1d([6, 2, 1, 5, 4, 3, 2, 1], 'int32');
    const lossFn = () => tiedSoftmaxCrossEntropy(model.forward(ids, { positions }), model.p('item_embedding'), targets);
    const { value, grads } = tf.variableGrads(lossFn, model.trainableVariables);
    const analytic = new Map(model.trainableVariables.map((v) => [v.name, (grads[v.name] as tf.Tensor).dataSync()]));
    value.dispose();
    tf.dispose(grads);
    const values = model.snapshot();
    const eps = 1e-2;
    const evalLoss = () => tf.tidy(() => lossFn().dataSync()[0] as number);
    let checked = 0;
    for (const [name, shape] of parameterShapes(model.config)) {
      const base = values.get(name) as Float32Array;
      const variable = model.params.get(name) as tf.Variable;
      const g = analytic.get(variable.name) as Float32Array;
      const size = shape.reduce((a, b) => a * b, 1);
      let maxErr = 0;
      let scale = 1e-3;
      for (let i = 0; i < size; i++) {
        const orig = base[i] as number;
        base[i] = orig + eps;
        tf.tidy(() => variable.assign(tf.tensor(base, shape)));
        const up = evalLoss();
        base[i] = orig - eps;
        tf.tidy(() => variable.assign(tf.tensor(base, shape)));
        const down = evalLoss();
        base[i] = orig;
        const numeric = (up - down) / (2 * eps);
        maxErr = Math.max(maxErr, Math.abs(numeric - (g[i] as number)));
        scale = Math.max(scale, Math.abs(numeric));
        checked++;
      }
      tf.tidy(() => variable.assign(tf.tensor(base, shape)));
      if (process.env.KILN_DEBUG_GRADS) console.log(name, maxErr / scale, scale);
      expect(maxErr / scale, name).toBeLessThan(2e-2);
    }
    expect(checked).toBe(model.parameterCount());
    ids.dispose();
    positions.dispose();
    targets.dispose();
    model.dispose();
  });

  it('round-trips weights through serializeWeights / loadMamba4Rec', () => {
    setup();
    const config = { nItems: 12, hiddenSize: 8, dState: 4, maxLen: 6, numLayers: 2 };
    const model = createMamba4Rec(config, { seed: 5 });
    const blob = serializeWeights(model);
    const loaded = loadMamba4Rec(config, blob);
    for (const [name, v] of model.params) {
      expect(Array.from((loaded.params.get(name) as tf.Variable).dataSync()), name).toEqual(Array.from(v.dataSync()));
    }
    expect(() => loadMamba4Rec({ ...config, hiddenSize: 16 }, blob)).toThrow(/weights/);
    expect(() => loadMamba4Rec(config, blob.subarray(0, blob.length - 4))).toThrow(/truncated/);
    model.dispose();
    loaded.dispose();
  });
});
