import * as tf from '@tensorflow/tfjs-core';
import { initBackend, trainMamba4Rec, countParameters, Rng } from './src/index.js';
const be = await initBackend(process.argv[2] as 'cpu' | 'wasm' | undefined);
console.log('backend', be, countParameters({ nItems: 3416 }));
const rng = new Rng(1);
const nItems = 50;
const seqs: Int32Array[] = [];
for (let u = 0; u < 200; u++) {
  const len = 15 + rng.int(10);
  let cur = 1 + rng.int(nItems);
  const s: number[] = [];
  for (let i = 0; i < len; i++) {
    s.push(cur);
    cur = rng.next() < 0.1 ? 1 + rng.int(nItems) : (cur % nItems) + 1;
  }
  seqs.push(Int32Array.from(s));
}
const before = tf.memory().numTensors;
const t = Date.now();
const r = await trainMamba4Rec(
  { sequences: seqs, nItems },
  {
    model: { hiddenSize: 16, dState: 8, maxLen: 20 },
    maxEpochs: 8,
    batchSize: 32,
    seed: 3,
    onEpoch: (e) => console.log(e.epoch, e.loss.toFixed(4), e.valid['ndcg@10']?.toFixed(4), e.trainSeconds.toFixed(2), e.validSeconds.toFixed(2)),
  },
);
console.log(Date.now() - t, 'ms', r.test, r.testMasked, r.bestEpoch, r.parameters, tf.memory().numTensors - before);
