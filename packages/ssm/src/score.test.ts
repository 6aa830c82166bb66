import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { forEachScoreRow } from './evaluate.js';
import { createMamba4Rec } from './model/mamba4rec.js';
import { scoreTopK, topK } from './score.js';

beforeAll(async () => {
  await initBackend();
});

describe('topK', () => {
  it('orders by score then id, skips padding and excluded items', () => {
    const scores = Float32Array.from([99, 0.1, 0.7, 0.7, 0.9, -1, 0.2]);
    const excluded = new Uint8Array(7);
    expect(Array.from(topK(scores, 3).items)).toEqual([4, 2, 3]);
    excluded[4] = 1;
    const t = topK(scores, 10, excluded);
    expect(Array.from(t.items)).toEqual([2, 3, 6, 1, 5]);
    expect(Array.from(t.scores)).toEqual(Array.from(Float32Array.from([0.7, 0.7, 0.2, 0.1, -1])));
  });
});

describe('scoreTopK', () => {
  it('returns the K best items in descending order, honouring excludeSeen, without leaks', () => {
    const model = createMamba4Rec({ nItems: 40, hiddenSize: 8, dState: 4, maxLen: 6 }, { seed: 1 });
    const inputs = [
      Int32Array.from([3, 5, 7]),
      Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), // longer than maxLen: the last 6 are used
      Int32Array.from([]),
      Int32Array.from([40]),
    ];
    const before = tf.memory().numTensors;
    const plain = scoreTopK(model, inputs, { k: 5, excludeSeen: false, batchSize: 3 });
    const masked = scoreTopK(model, inputs, { k: 5, excludeSeen: true, batchSize: 2 });
    const full = new Map<number, Float32Array>();
    forEachScoreRow(model, inputs, { batchSize: 4 }, (i, s) => full.set(i, s.slice()));
    expect(tf.memory().numTensors).toBe(before);

    expect(plain).toHaveLength(4);
    expect(plain[2]?.items).toHaveLength(0);
    inputs.forEach((seq, i) => {
      if (seq.length === 0) return;
      const scores = full.get(i) as Float32Array;
      for (const [res, exclude] of [
        [plain[i], false],
        [masked[i], true],
      ] as const) {
        const items = Array.from(res?.items ?? []);
        expect(items).toHaveLength(5);
        expect(items).not.toContain(0);
        if (exclude) for (const s of seq) expect(items).not.toContain(s);
        const sc = Array.from(res?.scores ?? []);
        for (let j = 1; j < sc.length; j++) expect(sc[j - 1]).toBeGreaterThanOrEqual(sc[j] as number);
        // Scores are the model's, and nothing outside the list (and allowed) beats the K-th.
        items.forEach((item, j) => {
          expect(sc[j]).toBeCloseTo(scores[item] as number, 5);
        });
        const kth = sc[4] as number;
        for (let item = 1; item <= 40; item++) {
          if (items.includes(item) || (exclude && seq.includes(item))) continue;
          expect(scores[item]).toBeLessThanOrEqual(kth);
        }
      }
    });
    // Only the last maxLen items matter.
    const tail = scoreTopK(model, [Int32Array.from([5, 6, 7, 8, 9, 10])], { k: 5, excludeSeen: false });
    expect(Array.from(tail[0]?.items ?? [])).toEqual(Array.from(plain[1]?.items ?? []));
    model.dispose();
  });
});
