import { describe, expect, it } from 'vitest';
import { dataRule, lengthPercentile99, SPARSE_BELOW, SPARSE_DROPOUT, SPARSE_EPOCHS, TARGETS_PER_BATCH } from './data-preset.js';
import { TRAINING_DEFAULTS } from './training-config.js';
import { MAMBA4REC_DEFAULTS } from './model/config.js';

describe('defaults from the data (dataRule, issue 15)', () => {
  it("gives a dense, long-sequence data set (ML-1M's shape) exactly ADR 11's preset", () => {
    const rule = dataRule({ users: 6040, items: 3416, interactions: 999_611, lengthP99: 1_100 });
    expect(rule.model).toEqual({ maxLen: MAMBA4REC_DEFAULTS.maxLen, dropout: MAMBA4REC_DEFAULTS.dropout });
    expect(rule.training).toEqual({ batchSize: TRAINING_DEFAULTS.batchSize, maxEpochs: TRAINING_DEFAULTS.maxEpochs });
  });

  it('sizes a sparse data set by its lengths: maxLen from the 99th percentile, batches of about TARGETS_PER_BATCH targets', () => {
    // Toys' shape: 19,412 users, 167,597 interactions (8.6 each), p99 length 40.
    const rule = dataRule({ users: 19_412, items: 11_924, interactions: 167_597, lengthP99: 40 });
    expect(rule.model.maxLen).toBe(50);
    const trainLen = 167_597 / 19_412 - 2;
    expect(rule.training.batchSize).toBe(Math.round(TARGETS_PER_BATCH / trainLen));
    expect(rule.training.batchSize * trainLen).toBeCloseTo(TARGETS_PER_BATCH, -1);
    expect(rule.reasons).toHaveLength(3);
    for (const r of rule.reasons) expect(r).toMatch(/^(maxLen|batchSize|dropout)/);
  });

  it('stays within its bounds at the extremes, and longer sequences never get larger batches', () => {
    const tiny = dataRule({ users: 3, items: 5, interactions: 9, lengthP99: 3 });
    expect(tiny.model.maxLen).toBe(50);
    expect(tiny.training.batchSize).toBe(Math.min(1024, Math.round(TARGETS_PER_BATCH / 1)));
    const huge = dataRule({ users: 10, items: 5, interactions: 100_000, lengthP99: 20_000 });
    expect(huge.model.maxLen).toBe(200);
    expect(huge.training.batchSize).toBe(32);
    let last = Number.POSITIVE_INFINITY;
    for (let mean = 3; mean < 400; mean += 7) {
      const r = dataRule({ users: 100, items: 50, interactions: 100 * mean, lengthP99: 3 * mean });
      expect(r.training.batchSize).toBeLessThanOrEqual(last);
      last = r.training.batchSize;
      expect(r.model.maxLen).toBeGreaterThanOrEqual(50);
      expect(r.model.maxLen).toBeLessThanOrEqual(200);
      expect(r.model.maxLen % 10).toBe(0);
    }
  });

  it('switches from the sparse to the dense settings at SPARSE_BELOW training items per user', () => {
    const at = (trainLen: number) => dataRule({ users: 100, items: 50, interactions: 100 * (trainLen + 2), lengthP99: 60 });
    expect(at(SPARSE_BELOW)).toMatchObject({ model: { dropout: 0.2 }, training: { maxEpochs: 40 } });
    const sparse = at(SPARSE_BELOW - 1);
    expect(sparse).toMatchObject({ model: { dropout: SPARSE_DROPOUT }, training: { maxEpochs: SPARSE_EPOCHS } });
    expect(sparse.reasons[2]).toMatch(/sparse/);
    expect(at(SPARSE_BELOW).reasons[2]).toMatch(/dense/);
  });

  it("takes the 99th percentile by nearest rank, as Postgres' percentile_disc does", () => {
    expect(lengthPercentile99([])).toBe(0);
    expect(lengthPercentile99([7])).toBe(7);
    const xs = Array.from({ length: 200 }, (_, i) => 200 - i); // 200..1
    expect(lengthPercentile99(xs)).toBe(198);
    expect(lengthPercentile99(Array.from({ length: 100 }, (_, i) => i + 1))).toBe(99);
  });
});
