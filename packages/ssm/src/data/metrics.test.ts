import { describe, expect, it } from 'vitest';
import { leaveOneOut, testInput } from './leave-one-out.js';
import { rankMetrics, rankOfTarget } from './metrics.js';

describe('rankMetrics', () => {
  it('matches a hand-computed case', () => {
    // ranks 1, 3, 8, 15, 40
    const m = rankMetrics([1, 3, 8, 15, 40], [5, 10, 20]);
    expect(m['hr@5']).toBeCloseTo(2 / 5, 12);
    expect(m['ndcg@5']).toBeCloseTo((1 + 1 / 2) / 5, 12); // 1/log2(2) = 1, 1/log2(4) = 0.5
    expect(m['mrr@5']).toBeCloseTo((1 + 1 / 3) / 5, 12);
    expect(m['hr@10']).toBeCloseTo(3 / 5, 12);
    expect(m['ndcg@10']).toBeCloseTo((1 + 0.5 + 1 / Math.log2(9)) / 5, 12);
    expect(m['mrr@10']).toBeCloseTo((1 + 1 / 3 + 1 / 8) / 5, 12);
    expect(m['hr@20']).toBeCloseTo(4 / 5, 12);
    expect(m['ndcg@20']).toBeCloseTo((1 + 0.5 + 1 / Math.log2(9) + 0.25) / 5, 12); // log2(16) = 4
    expect(m['mrr@20']).toBeCloseTo((1 + 1 / 3 + 1 / 8 + 1 / 15) / 5, 12);
    expect(Object.keys(m)).toEqual(['hr@5', 'ndcg@5', 'mrr@5', 'hr@10', 'ndcg@10', 'mrr@10', 'hr@20', 'ndcg@20', 'mrr@20']);
  });
});

describe('rankOfTarget', () => {
  const scores = Float32Array.from([100, 0.5, 0.9, 0.5, 0.1, 0.5]); // index 0 = padding
  it('ignores padding and counts ties pessimistically', () => {
    expect(rankOfTarget(scores, 2)).toBe(1); // padding's 100 never counts
    expect(rankOfTarget(scores, 1)).toBe(4); // 0.9 above, two ties at 0.5 counted against it
    expect(rankOfTarget(scores, 3)).toBe(4);
    expect(rankOfTarget(scores, 4)).toBe(5);
    expect(rankOfTarget(Float32Array.from([0, 1, 1, 1]), 2)).toBe(3);
  });
  it('drops excluded items but never the target', () => {
    expect(rankOfTarget(scores, 1, [2, 3])).toBe(2);
    expect(rankOfTarget(scores, 1, new Set([1, 2, 3, 5]))).toBe(1);
  });
});

describe('leaveOneOut', () => {
  it('splits train / valid / test and skips short sequences', () => {
    const [a, b] = leaveOneOut([Int32Array.from([5, 6, 7, 8]), Int32Array.from([1, 2])]);
    expect(Array.from(a?.train ?? [])).toEqual([5, 6]);
    expect(a?.validTarget).toBe(7);
    expect(a?.testTarget).toBe(8);
    expect(Array.from(testInput(a as NonNullable<typeof a>))).toEqual([5, 6, 7]);
    expect(Array.from(b?.train ?? [])).toEqual([1, 2]);
    expect(b?.validTarget).toBe(0);
    expect(b?.testTarget).toBe(0);
  });
});
