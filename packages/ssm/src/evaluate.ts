import * as tf from '@tensorflow/tfjs-core';
import { rankOfTarget } from './data/metrics.js';
import type { Mamba4Rec } from './model/mamba4rec.js';

/**
 * Scores every item for each input history (its last maxLen items), in batches of users sorted by
 * history length (less padding). Calls `consume(index, scores)` once per non-empty input with the
 * [nItems + 1] scores (index 0 = padding, meaningless); `scores` is reused after the call returns.
 */
export function forEachScoreRow(
  model: Mamba4Rec,
  inputs: readonly Int32Array[],
  options: { batchSize: number; signal?: AbortSignal },
  consume: (index: number, scores: Float32Array) => void,
): void {
  const { maxLen, nItems } = model.config;
  const V = nItems + 1;
  const order = inputs
    .map((seq, i) => ({ i, len: Math.min(seq.length, maxLen) }))
    .filter((e) => e.len > 0)
    .sort((a, b) => a.len - b.len || a.i - b.i);
  const tableT = tf.tidy(() => tf.transpose(model.p('item_embedding')));
  try {
    for (let b0 = 0; b0 < order.length; b0 += options.batchSize) {
      if (options.signal?.aborted) {
        const err = new Error('scoring aborted');
        err.name = 'AbortError';
        throw err;
      }
      const part = order.slice(b0, b0 + options.batchSize);
      const b = part.length;
      const L = part.reduce((m, e) => Math.max(m, e.len), 0);
      const ids = new Int32Array(L * b);
      const positions = new Int32Array(b);
      part.forEach((e, j) => {
        const seq = inputs[e.i] as Int32Array;
        const from = seq.length - e.len;
        for (let t = 0; t < e.len; t++) ids[t * b + j] = seq[from + t] as number;
        positions[j] = (e.len - 1) * b + j;
      });
      const scores = tf.tidy(() => {
        const h = model.forward(tf.tensor2d(ids, [L, b], 'int32'), { positions: tf.tensor1d(positions, 'int32') });
        return tf.matMul(h, tableT);
      });
      const flat = scores.dataSync() as Float32Array;
      scores.dispose();
      part.forEach((e, j) => {
        consume(e.i, flat.subarray(j * V, (j + 1) * V));
      });
    }
  } finally {
    tableT.dispose();
  }
}

/**
 * 1-based ranks of `targets[i]` given `inputs[i]` under full ranking (padding never counts, ties
 * pessimistic, see rankOfTarget). `excludeSeen` removes the items of the input history (all of it,
 * not only the last maxLen) from the ranking.
 */
export function evaluateRanks(
  model: Mamba4Rec,
  inputs: readonly Int32Array[],
  targets: readonly number[],
  options: { batchSize: number; excludeSeen?: boolean; signal?: AbortSignal },
): Int32Array {
  const ranks = new Int32Array(inputs.length);
  const V = model.config.nItems + 1;
  forEachScoreRow(model, inputs, options, (i, scores) => {
    ranks[i] = rankOfTarget(scores, targets[i] as number, options.excludeSeen ? (inputs[i] as Int32Array) : undefined);
  });
  // An empty history has no hidden state: it ranks last.
  inputs.forEach((seq, i) => {
    if (seq.length === 0) ranks[i] = V - 1;
  });
  return ranks;
}

/**
 * {@link evaluateRanks} without and with `excludeSeen` from one scoring pass (the test metrics
 * need both): `ranks` ranks every item, `masked` leaves out the items of each input history.
 */
export function evaluateRanksBoth(
  model: Mamba4Rec,
  inputs: readonly Int32Array[],
  targets: readonly number[],
  options: { batchSize: number; signal?: AbortSignal },
): { ranks: Int32Array; masked: Int32Array } {
  const ranks = new Int32Array(inputs.length);
  const masked = new Int32Array(inputs.length);
  const V = model.config.nItems + 1;
  forEachScoreRow(model, inputs, options, (i, scores) => {
    const target = targets[i] as number;
    ranks[i] = rankOfTarget(scores, target);
    masked[i] = rankOfTarget(scores, target, inputs[i] as Int32Array);
  });
  inputs.forEach((seq, i) => {
    if (seq.length === 0) {
      ranks[i] = V - 1;
      masked[i] = V - 1;
    }
  });
  return { ranks, masked };
}
