import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { leaveOneOut, testInput } from './data/leave-one-out.js';
import { evaluateRanksBoth } from './evaluate.js';
import { createMamba4Rec } from './model/mamba4rec.js';
import { Rng } from './model/rng.js';
import { loadMamba4Rec } from './model/weights.js';
import { trainMamba4Rec } from './train.js';

/**
 * The evaluation protocol (RecBole's, docs in README "Accuracy"): leave-one-out, the test input is
 * the training items followed by the validation item, every item ranked, ties pessimistic, masked
 * metrics leave the input history out of the ranking.
 */

beforeAll(async () => {
  await initBackend();
});

/** Random walks over a small catalogue with a mild sequential pattern. */
function walks(seed: number, users: number, nItems: number): Int32Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: users }, () => {
    const len = 4 + rng.int(10);
    const seq = new Int32Array(len);
    let cur = 1 + rng.int(nItems);
    for (let i = 0; i < len; i++) {
      seq[i] = cur;
      cur = rng.next() < 0.5 ? (cur % nItems) + 1 : 1 + rng.int(nItems);
    }
    return seq;
  });
}

describe('evaluation protocol', () => {
  it('ranks a tie of every item pessimistically, and masked ranking drops the history (hand-computed)', () => {
    const nItems = 12;
    const model = createMamba4Rec({ nItems, hiddenSize: 8, dState: 4, maxLen: 10 }, { seed: 1 });
    // A zero embedding table scores every item 0: the target ties with all 11 others.
    const zeros = model.snapshot();
    (zeros.get('item_embedding') as Float32Array).fill(0);
    model.assign(zeros);
    const inputs = [Int32Array.from([1, 2, 3]), Int32Array.from([4, 4, 5, 6, 7])];
    const targets = [9, 10];
    const { ranks, masked } = evaluateRanksBoth(model, inputs, targets, { batchSize: 2 });
    // Unmasked: 11 others tie with the target → rank 12 (last), never 1.
    expect(Array.from(ranks)).toEqual([12, 12]);
    // Masked: user 0 loses items 1, 2, 3 → 8 others → rank 9; user 1 loses 4, 5, 6, 7 → rank 8.
    expect(Array.from(masked)).toEqual([9, 8]);
    model.dispose();
  });

  it('reports test metrics equal to a by-hand ranking of the trained weights on train + validation item', async () => {
    const nItems = 30;
    const sequences = walks(7, 60, nItems);
    const result = await trainMamba4Rec({ sequences, nItems }, { model: { hiddenSize: 16, dState: 8, maxLen: 8 }, batchSize: 16, maxEpochs: 2, seed: 5 });
    const model = loadMamba4Rec(result.config, result.weights);
    const splits = leaveOneOut(sequences);
    const ks = [5, 10, 20];
    const sums = { plain: new Map<string, number>(), masked: new Map<string, number>() };
    let users = 0;
    for (const split of splits) {
      if (split.testTarget === 0) continue;
      users++;
      const input = testInput(split);
      expect(input[input.length - 1]).toBe(split.validTarget);
      const window = input.slice(-result.config.maxLen);
      // Scores of every item from the last hidden state, one user at a time.
      const scores = tf.tidy(() => {
        const h = model.forward(tf.tensor2d(window, [window.length, 1], 'int32'), { positions: tf.tensor1d([window.length - 1], 'int32') });
        return tf.matMul(h, model.p('item_embedding'), false, true).dataSync() as Float32Array;
      });
      const t = split.testTarget;
      const seen = new Set(input);
      let plain = 1;
      let hidden = 1;
      for (let j = 1; j <= nItems; j++) {
        if (j === t || (scores[j] as number) < (scores[t] as number)) continue;
        plain++;
        if (!seen.has(j)) hidden++;
      }
      for (const [which, rank] of [
        ['plain', plain],
        ['masked', hidden],
      ] as const) {
        for (const k of ks) {
          const m = sums[which];
          const hit = rank <= k ? 1 : 0;
          m.set(`hr@${k}`, (m.get(`hr@${k}`) ?? 0) + hit);
          m.set(`ndcg@${k}`, (m.get(`ndcg@${k}`) ?? 0) + hit / Math.log2(rank + 1));
          m.set(`mrr@${k}`, (m.get(`mrr@${k}`) ?? 0) + hit / rank);
        }
      }
    }
    expect(users).toBe(60);
    for (const [key, sum] of sums.plain) expect(result.test[key]).toBeCloseTo(sum / users, 6);
    for (const [key, sum] of sums.masked) expect(result.testMasked[key]).toBeCloseTo(sum / users, 6);
    // The model learned something, so masking changes the picture (the metrics are not degenerate).
    expect(result.testMasked['hr@10']).toBeGreaterThanOrEqual(result.test['hr@10'] as number);
    model.dispose();
  });
});
