import { forEachScoreRow } from './evaluate.js';
import type { Mamba4Rec } from './model/mamba4rec.js';
import { type TopK, topK } from './top-k.js';

export { type TopK, topK } from './top-k.js';

export interface ScoreTopKOptions {
  k: number;
  /** Never return items of the user's input history. */
  excludeSeen: boolean;
  /** Users per forward pass (default 256). */
  batchSize?: number;
  signal?: AbortSignal;
}

/**
 * Top-K recommendations for each history (the last maxLen items are used). Items are ordered by
 * descending score, ties by ascending id; padding (0) and, with `excludeSeen`, the history's items
 * are never returned. An empty history returns no items.
 */
export function scoreTopK(model: Mamba4Rec, inputs: readonly Int32Array[], options: ScoreTopKOptions): TopK[] {
  const k = options.k;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const out: TopK[] = inputs.map(() => ({ items: new Int32Array(0), scores: new Float32Array(0) }));
  const V = model.config.nItems + 1;
  const excluded = new Uint8Array(V);
  forEachScoreRow(model, inputs, { batchSize: options.batchSize ?? 256, signal: options.signal }, (i, scores) => {
    const seq = inputs[i] as Int32Array;
    if (options.excludeSeen) for (const item of seq) if (item > 0 && item < V) excluded[item] = 1;
    out[i] = topK(scores, k, excluded);
    if (options.excludeSeen) for (const item of seq) if (item > 0 && item < V) excluded[item] = 0;
  });
  return out;
}
