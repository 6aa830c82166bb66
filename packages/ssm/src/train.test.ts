import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { Rng } from './model/rng.js';
import { loadMamba4Rec } from './model/weights.js';
import { scoreTopK } from './score.js';
import { lengthBatches, type Samples, type TrainOptions, trainMamba4Rec, trainingTargetsPerEpoch } from './train.js';

/** Each user walks the cycle i → i + 1 (mod nItems) from a random start, with 10% random jumps. */
function cycleData(seed: number, users = 200, nItems = 50): { sequences: Int32Array[]; nItems: number } {
  const rng = new Rng(seed);
  const sequences: Int32Array[] = [];
  for (let u = 0; u < users; u++) {
    const len = 12 + rng.int(12);
    let cur = 1 + rng.int(nItems);
    const seq = new Int32Array(len);
    for (let i = 0; i < len; i++) {
      seq[i] = cur;
      cur = rng.next() < 0.1 ? 1 + rng.int(nItems) : (cur % nItems) + 1;
    }
    sequences.push(seq);
  }
  return { sequences, nItems };
}

const small: TrainOptions = { model: { hiddenSize: 16, dState: 8, maxLen: 20 }, batchSize: 32, seed: 3 };

let backend = '';
beforeAll(async () => {
  backend = await initBackend();
});

describe('trainMamba4Rec', () => {
  it('learns a sequential pattern far above random, without leaking tensors', async () => {
    const data = cycleData(1);
    const before = tf.memory().numTensors;
    const reports: number[] = [];
    const result = await trainMamba4Rec(data, { ...small, maxEpochs: 6, onEpoch: (e) => void reports.push(e.epoch) });
    expect(tf.memory().numTensors).toBe(before);
    // Random ranking: NDCG@10 ≈ 0.07 on 50 items. The next item is predictable ~90% of the time.
    expect(result.valid['ndcg@10']).toBeGreaterThan(0.5);
    expect(result.test['ndcg@10']).toBeGreaterThan(0.5);
    expect(result.test['hr@10']).toBeGreaterThan(0.7);
    expect(result.testMasked['ndcg@10']).toBeGreaterThan(0.5);
    expect(reports).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.epochs[0]?.loss).toBeGreaterThan(result.epochs[5]?.loss ?? Number.POSITIVE_INFINITY);
    expect(result.epochs[result.bestEpoch - 1]?.valid).toEqual(result.valid);
    expect(result.backend).toBe(backend);
    expect(result.parameters).toBeGreaterThan(0);
    expect(result.epochs[0]?.trainTargets).toBe(trainingTargetsPerEpoch(data, { maxLen: 20 }));

    // The returned weights reproduce the test metrics' model: scoring works from them.
    const model = loadMamba4Rec(result.config, result.weights);
    const top = scoreTopK(model, [Int32Array.from([7, 8, 9, 10])], { k: 5, excludeSeen: true });
    expect(Array.from(top[0]?.items ?? [])).toContain(11);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reproduces metrics and weights with the same seed', async () => {
    const data = cycleData(2, 60, 30);
    const opts: TrainOptions = { ...small, maxEpochs: 2 };
    const a = await trainMamba4Rec(data, opts);
    const b = await trainMamba4Rec(data, opts);
    expect(b.test).toEqual(a.test);
    expect(b.epochs.map((e) => e.loss)).toEqual(a.epochs.map((e) => e.loss));
    expect(Buffer.from(b.weights).equals(Buffer.from(a.weights))).toBe(true);
    const c = await trainMamba4Rec(data, { ...opts, seed: 4 });
    expect(Buffer.from(c.weights).equals(Buffer.from(a.weights))).toBe(false);
  });

  it('stops early after `patience` epochs without a validation gain and keeps the best epoch', async () => {
    const data = cycleData(3, 40, 20);
    const result = await trainMamba4Rec(data, { ...small, lr: 0, maxEpochs: 10, patience: 2 });
    // lr 0: the validation metric never changes, so epoch 1 stays best and training stops at epoch 3.
    expect(result.epochs).toHaveLength(3);
    expect(result.bestEpoch).toBe(1);
  });

  it('trains with the per-prefix (RecBole) objective and honours maxTrainTargets', async () => {
    const data = cycleData(4, 60, 30);
    const total = trainingTargetsPerEpoch(data, { objective: 'per-prefix', maxLen: 20 });
    expect(total).toBe(data.sequences.reduce((n, s) => n + s.length - 3, 0));
    const result = await trainMamba4Rec(data, { ...small, objective: 'per-prefix', maxEpochs: 1, maxTrainTargets: 100 });
    expect(result.epochs[0]?.trainTargets).toBeGreaterThanOrEqual(100);
    expect(result.epochs[0]?.trainTargets).toBeLessThan(total);
  });

  it('anneals the learning rate to zero over maxEpochs with the cosine schedule', async () => {
    const data = cycleData(4, 60);
    const cosine = await trainMamba4Rec(data, { ...small, lr: 0.004, lrSchedule: 'cosine', maxEpochs: 4, patience: 10 });
    const rates = cosine.epochs.map((e) => e.lr);
    expect(rates).toHaveLength(4);
    for (let i = 1; i < rates.length; i++) expect(rates[i]).toBeLessThan(rates[i - 1] as number);
    expect(rates[0]).toBeLessThan(0.004);
    expect(rates[0]).toBeGreaterThan(0.003); // after a quarter of the steps: 0.004·(1 + cos(π/4))/2 ≈ 0.0034
    expect(rates[3]).toBeLessThan((rates[0] as number) / 10); // the last epoch ends near zero
    const constant = await trainMamba4Rec(data, { ...small, lr: 0.004, lrSchedule: 'constant', maxEpochs: 2, patience: 10 });
    expect(constant.epochs.map((e) => e.lr)).toEqual([0.004, 0.004]);
  });

  it('trains with random batches too', async () => {
    const data = cycleData(6, 80, 30);
    const result = await trainMamba4Rec(data, { ...small, batching: 'random', maxEpochs: 4 });
    expect(result.epochs[0]?.trainTargets).toBe(trainingTargetsPerEpoch(data, { maxLen: 20 }));
    expect(result.valid['ndcg@10']).toBeGreaterThan(0.3);
  });

  it('throws an AbortError when aborted, without leaking tensors', async () => {
    const data = cycleData(5, 60, 30);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const run = trainMamba4Rec(data, {
      ...small,
      maxEpochs: 50,
      signal: controller.signal,
      onBatch: (done) => {
        if (done === 1) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('lengthBatches', () => {
  it('uses every window once, groups similar lengths under the token budget, and varies with the seed', () => {
    const rng = new Rng(1);
    const count = 500;
    const start = new Int32Array(count);
    const end = Int32Array.from({ length: count }, () => 1 + rng.int(200));
    const samples: Samples = { user: new Int32Array(count), start, end, count, targets: end.reduce((a, b) => a + b, 0) };
    const batches = lengthBatches(samples, 4000, new Rng(2));
    const seen = new Int32Array(count);
    for (const batch of batches) {
      const lengths = Array.from(batch, (s) => end[s] as number);
      const max = Math.max(...lengths);
      expect(batch.length === 1 || max * batch.length <= 4000).toBe(true);
      for (const s of batch) seen[s] = (seen[s] as number) + 1;
    }
    expect(Array.from(seen).every((n) => n === 1)).toBe(true);
    // Sorted by length before cutting: batches do not overlap in length (ties aside).
    const ranges = batches.map((b) => [Math.min(...Array.from(b, (s) => end[s] as number)), Math.max(...Array.from(b, (s) => end[s] as number))] as const);
    for (const [lo, hi] of ranges)
      for (const [lo2, hi2] of ranges) expect(hi <= lo2 || hi2 <= lo || (lo === lo2 && hi === hi2) || lo === hi || lo2 === hi2).toBe(true);
    const again = lengthBatches(samples, 4000, new Rng(2));
    expect(again.map((b) => Array.from(b))).toEqual(batches.map((b) => Array.from(b)));
    const other = lengthBatches(samples, 4000, new Rng(3));
    expect(other.map((b) => Array.from(b))).not.toEqual(batches.map((b) => Array.from(b)));
  });

  it('caps the samples per batch (per-prefix: batchSize prefixes of similar length, none padded to a long one)', () => {
    const rng = new Rng(4);
    const count = 300;
    const end = Int32Array.from({ length: count }, () => 1 + rng.int(50));
    const samples: Samples = { user: new Int32Array(count), start: new Int32Array(count), end, count, targets: count };
    const batches = lengthBatches(samples, Number.POSITIVE_INFINITY, new Rng(5), 64);
    expect(batches.map((b) => b.length).sort((a, b) => b - a)).toEqual([64, 64, 64, 64, 44]);
    const all = batches.flatMap((b) => Array.from(b)).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: count }, (_, i) => i));
    // Padded positions: the longest in each batch × its size. Random batches of 64 out of lengths
    // 1..50 nearly always hold a 50 (so ≈ 300 × 50); sorted ones pay about the real positions.
    const padded = batches.reduce((sum, b) => sum + b.length * Math.max(...Array.from(b, (s) => end[s] as number)), 0);
    const real = end.reduce((a, b) => a + b, 0);
    expect(padded).toBeLessThan(1.25 * real);
    expect(padded).toBeLessThan(0.7 * count * Math.max(...Array.from(end)));
  });
});
