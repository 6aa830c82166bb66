import * as tf from '@tensorflow/tfjs-core';
import { initBackend, createMamba4Rec, Rng, evaluateRanks } from './src/index.js';
import { tiedSoftmaxCrossEntropy } from './src/model/ops.js';
await initBackend('cpu');
const m = createMamba4Rec({ nItems: 9, hiddenSize: 8, dState: 4, maxLen: 6 }, { seed: 1 });
let n0 = tf.memory().numTensors;
const ids = tf.tensor2d([1, 4, 2, 5, 3, 0, 4, 0], [4, 2], 'int32');
const positions = tf.tensor1d([0, 1, 2, 3, 4, 6], 'int32');
const targets = tf.tensor1d([2, 5, 3, 6, 4, 9], 'int32');
n0 = tf.memory().numTensors;
tf.tidy(() => m.forward(ids, { positions }));
console.log('forward', tf.memory().numTensors - n0);
const g = tf.variableGrads(
  () => tiedSoftmaxCrossEntropy(m.forward(ids, { training: true, rng: new Rng(1), positions }), m.p('item_embedding'), targets),
  m.trainableVariables,
);
g.value.dispose();
Object.values(g.grads).forEach((t) => t.dispose());
console.log('grads', tf.memory().numTensors - n0);
const opt = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
const c = opt.minimize(
  () => tiedSoftmaxCrossEntropy(m.forward(ids, { training: true, rng: new Rng(1), positions }), m.p('item_embedding'), targets),
  true,
  m.trainableVariables,
);
c?.dispose();
console.log('minimize', tf.memory().numTensors - n0);
opt.dispose();
console.log('opt dispose', tf.memory().numTensors - n0);
evaluateRanks(m, [Int32Array.from([1, 2, 3])], [4], { batchSize: 4 });
console.log('eval', tf.memory().numTensors - n0);
