import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { relErr } from '../testing/compare.js';
import { Adam } from './adam.js';
import { Rng } from './rng.js';

describe('Adam', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it("follows tfjs's tf.train.adam step for step", () => {
    const rng = new Rng(1);
    const init = [Float32Array.from({ length: 37 }, () => rng.normal()), Float32Array.from({ length: 6 }, () => rng.normal())];
    const target = Float32Array.from({ length: 37 }, () => rng.normal());
    const before = tf.memory().numTensors;
    const ours = init.map((v, i) => tf.tidy(() => tf.variable(tf.tensor(v), true, `ours${i}`)));
    const theirs = init.map((v, i) => tf.tidy(() => tf.variable(tf.tensor(v), true, `theirs${i}`)));
    const loss = (vars: tf.Variable[]) => () =>
      tf.add(tf.sum(tf.square(tf.sub(vars[0] as tf.Variable, tf.tensor(target)))), tf.sum(tf.pow(vars[1] as tf.Variable, 4))) as tf.Scalar;
    const adam = new Adam({ lr: 0.05 });
    const reference = tf.train.adam(0.05, 0.9, 0.999, 1e-8);
    for (let step = 0; step < 25; step++) {
      const { value, grads } = tf.variableGrads(loss(ours), ours);
      adam.step(ours, grads);
      value.dispose();
      tf.dispose(grads);
      reference.minimize(loss(theirs), false, theirs);
    }
    ours.forEach((v, i) => {
      expect(relErr(v.dataSync(), (theirs[i] as tf.Variable).dataSync())).toBeLessThan(1e-5);
    });
    reference.dispose();
    tf.dispose([...ours, ...theirs]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
