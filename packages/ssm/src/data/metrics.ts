export type RankMetrics = Record<string, number>;

/**
 * Full-ranking metrics with one positive per user, averaged over users (rank is 1-based):
 * `hr@K` = 1[rank ≤ K], `ndcg@K` = 1/log2(rank + 1), `mrr@K` = 1/rank, all 0 beyond K.
 * Keys: `hr@5, ndcg@5, mrr@5, hr@10, ...` in the order of `ks`. No ranks → every metric 0.
 */
export function rankMetrics(ranks: Int32Array | readonly number[], ks: readonly number[] = [5, 10, 20]): RankMetrics {
  const out: RankMetrics = {};
  const n = ranks.length;
  for (const k of ks) {
    let hr = 0;
    let ndcg = 0;
    let mrr = 0;
    for (let i = 0; i < n; i++) {
      const r = ranks[i] as number;
      if (!(r >= 1)) throw new RangeError(`rank must be ≥ 1, got ${r}`);
      if (r <= k) {
        hr += 1;
        ndcg += 1 / Math.log2(r + 1);
        mrr += 1 / r;
      }
    }
    out[`hr@${k}`] = n > 0 ? hr / n : 0;
    out[`ndcg@${k}`] = n > 0 ? ndcg / n : 0;
    out[`mrr@${k}`] = n > 0 ? mrr / n : 0;
  }
  return out;
}

/** Items that do not take part in a ranking: a set, or a list of dense ids. */
export type ExcludedItems = ReadonlySet<number> | Int32Array | readonly number[];

/**
 * 1-based rank of `target` among `scores` (index = dense item id; index 0 is padding and never
 * counts). Ties count PESSIMISTICALLY: rank = 1 + #{j ≠ target : score[j] ≥ score[target]}, so a
 * model that scores everything equally ranks the target last, never first. Items in `exclude` never
 * count (the target itself is never excluded). A NaN target score ranks last.
 */
export function rankOfTarget(scores: Float32Array | Float64Array, target: number, exclude?: ExcludedItems): number {
  if (!(target >= 1 && target < scores.length)) {
    throw new RangeError(`target ${target} outside 1..${scores.length - 1}`);
  }
  const st = scores[target] as number;
  let excluded: Uint8Array | undefined;
  if (exclude !== undefined) {
    excluded = new Uint8Array(scores.length);
    for (const j of exclude as Iterable<number>) if (j > 0 && j < scores.length) excluded[j] = 1;
    excluded[target] = 0;
  }
  let rank = 1;
  const nan = Number.isNaN(st);
  for (let j = 1; j < scores.length; j++) {
    if (j === target || excluded?.[j]) continue;
    if (nan || (scores[j] as number) >= st) rank++;
  }
  return rank;
}
