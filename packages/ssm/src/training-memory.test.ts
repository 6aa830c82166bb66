import { describe, expect, it } from 'vitest';
import { estimateTrainingMemory, trainingMemoryProblem } from './training-memory.js';

const MiB = 2 ** 20;
const ml1m = { nItems: 3416, dataset: { users: 6040, interactions: 1_000_209 } };

describe('estimateTrainingMemory', () => {
  it("puts ML-1M's default job near its measured peak (about 1 GB), well inside the default 4 GB budget", () => {
    const e = estimateTrainingMemory(ml1m);
    expect(e.bytes / MiB).toBeGreaterThan(1000);
    expect(e.bytes / MiB).toBeLessThan(1600);
    expect(Object.values(e.parts).reduce((a, b) => a + b, 0)).toBeCloseTo(e.bytes);
    expect(trainingMemoryProblem(ml1m, 4096 * MiB)).toBeUndefined();
  });

  it('grows with the batch, the width, the depth, the window and the items', () => {
    const base = estimateTrainingMemory(ml1m).bytes;
    for (const bigger of [
      { ...ml1m, training: { batchSize: 256 } },
      { ...ml1m, model: { hiddenSize: 128 } },
      { ...ml1m, model: { numLayers: 2 } },
      { ...ml1m, model: { dState: 64 } },
      { ...ml1m, model: { expand: 4 } },
      { ...ml1m, nItems: 100_000 },
    ])
      expect(estimateTrainingMemory(bigger).bytes, JSON.stringify(bigger)).toBeGreaterThan(base);
    expect(estimateTrainingMemory({ ...ml1m, model: { maxLen: 50 } }).bytes).toBeLessThan(base);
    // Without the dataset's size, the worst case: every window maxLen long, 256 users per evaluation batch.
    expect(estimateTrainingMemory({ nItems: 3416 }).bytes).toBeGreaterThanOrEqual(base - 50 * MiB);
  });

  it('says the estimate, the budget and what to reduce when a job does not fit', () => {
    const wide = trainingMemoryProblem({ ...ml1m, model: { hiddenSize: 1024, numLayers: 4 }, training: { batchSize: 1024 } }, 4096 * MiB);
    expect(wide?.message).toMatch(/^training would need about \d+ MB, more than the 4096 MB a worker-ssm job may use \(KILN_SSM_MEMORY_MB\): /);
    expect(wide?.message).toContain('reduce training.batchSize');
    expect(wide?.details.estimateBytes).toBeGreaterThan(4096 * MiB);
    const items = trainingMemoryProblem(
      { nItems: 5_000_000, model: { hiddenSize: 256, maxLen: 20 }, dataset: { users: 100_000, interactions: 2_000_000 } },
      4096 * MiB,
    );
    expect(items?.message).toContain('item embedding');
    const evaluation = trainingMemoryProblem({ ...ml1m, model: { hiddenSize: 512, numLayers: 4 }, training: { batchSize: 8 } }, 4096 * MiB);
    expect(evaluation?.message).toContain('evaluation');
  });

  it('rejects a config the model would reject', () => {
    expect(() => estimateTrainingMemory({ nItems: 10, model: { hiddenSize: 0 } })).toThrow(RangeError);
  });
});
