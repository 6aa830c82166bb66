import { SsmTrainRequest } from '@kiln/contracts';
import { describe, expect, it } from 'vitest';
import { applyParams, expandSearch, type SearchSpec, searchIssues, searchableFields, seededRandom, spaceSize } from './space.js';

describe('search space: fields from the ssm.train contract', () => {
  it('knows every model.* and training.* field of the contract, and nothing else', () => {
    const names = [...searchableFields().keys()];
    expect(names).toContain('training.lr');
    expect(names).toContain('model.dropout');
    expect(names).toContain('model.hiddenSize');
    expect(names).toContain('training.crops'); // optional in the payload, searchable all the same
    expect(names.every((n) => n.startsWith('model.') || n.startsWith('training.'))).toBe(true);
    expect(names).not.toContain('datasetId');
  });

  it('names each bad field and value', () => {
    const issues = searchIssues(
      {
        'training.foo': [1],
        'training.lr': [0.001, 2, 0.001],
        'model.dropout': { min: 0.1, max: 0.95 },
        'model.hiddenSize': [16.5],
        'training.lrSchedule': ['cosine', 'linear'],
      },
      'random',
    );
    const fields = issues.map((i) => i.field);
    expect(fields).toEqual([
      'search["training.foo"]',
      'search["training.lr"][1]',
      'search["training.lr"][2]',
      'search["model.dropout"]["max"]',
      'search["model.hiddenSize"][0]',
      'search["training.lrSchedule"][1]',
    ]);
    expect(issues[1]?.message).toMatch(/\(0, 1\]/);
    expect(issues[2]?.message).toMatch(/twice/);
    expect(issues[3]?.message).toMatch(/\[0, 0\.9\]/);
  });

  it('refuses an empty search, ranges in a grid or on a non-numeric field, min > max and log ranges from 0', () => {
    expect(searchIssues({}, 'grid').map((i) => i.field)).toEqual(['search']);
    expect(searchIssues({ 'model.dropout': [] }, 'grid')).toEqual([{ field: 'search["model.dropout"]', message: expect.stringMatching(/empty/) }]);
    expect(searchIssues({ 'training.lr': { min: 0.001, max: 0.01 } }, 'grid')[0]?.message).toMatch(/grid takes a list/);
    expect(searchIssues({ 'training.lrSchedule': { min: 0, max: 1 } }, 'random')[0]?.field).toBe('search["training.lrSchedule"]');
    expect(searchIssues({ 'model.dropout': { min: 0.5, max: 0.1 } }, 'random')[0]?.message).toMatch(/above max/);
    expect(searchIssues({ 'model.dropout': { min: 0, max: 0.5, log: true } }, 'random')[0]?.field).toBe('search["model.dropout"]["log"]');
    expect(searchIssues({ 'training.lr': { min: 0.0001, max: 0.01, log: true }, 'model.dropout': [0, 0.5] }, 'random')).toEqual([]);
  });
});

describe('grid expansion', () => {
  const spec: SearchSpec = { 'training.lr': [0.001, 0.002], 'model.dropout': [0.1, 0.2, 0.3] };

  it('is the cartesian product, fields by name, the last varying fastest', () => {
    const { trials, spaceSize: size, truncated } = expandSearch(spec, { strategy: 'grid', seed: 0 });
    expect(size).toBe(6);
    expect(truncated).toBe(false);
    expect(trials).toEqual([
      { 'model.dropout': 0.1, 'training.lr': 0.001 },
      { 'model.dropout': 0.1, 'training.lr': 0.002 },
      { 'model.dropout': 0.2, 'training.lr': 0.001 },
      { 'model.dropout': 0.2, 'training.lr': 0.002 },
      { 'model.dropout': 0.3, 'training.lr': 0.001 },
      { 'model.dropout': 0.3, 'training.lr': 0.002 },
    ]);
    // The order of the JSON's keys does not matter.
    const swapped = expandSearch({ 'model.dropout': [0.1, 0.2, 0.3], 'training.lr': [0.001, 0.002] }, { strategy: 'grid', seed: 0 });
    expect(swapped.trials).toEqual(trials);
  });

  it('is truncated to the budget, in the same order, and says so', () => {
    const full = expandSearch(spec, { strategy: 'grid', seed: 0 }).trials;
    const cut = expandSearch(spec, { strategy: 'grid', maxTrials: 4, seed: 0 });
    expect(cut.truncated).toBe(true);
    expect(cut.spaceSize).toBe(6);
    expect(cut.trials).toEqual(full.slice(0, 4));
    // A grid far larger than any budget stays cheap: only the first 64 points are made.
    const huge: SearchSpec = Object.fromEntries(
      ['model.hiddenSize', 'model.dState', 'model.maxLen', 'training.batchSize', 'training.maxEpochs', 'training.patience'].map((f) => [
        f,
        Array.from({ length: 40 }, (_, i) => i + 4),
      ]),
    );
    const big = expandSearch(huge, { strategy: 'grid', seed: 0 });
    expect(big.trials).toHaveLength(64);
    expect(big.truncated).toBe(true);
    expect(big.spaceSize).toBe(40 ** 6);
  });
});

describe('random expansion', () => {
  const spec: SearchSpec = { 'training.lr': { min: 1e-4, max: 1e-2, log: true }, 'model.hiddenSize': { min: 8, max: 64 }, 'model.dropout': [0, 0.1, 0.2] };

  it('draws maxTrials trials, the same for the same seed, others for another', () => {
    const a = expandSearch(spec, { strategy: 'random', maxTrials: 10, seed: 42 });
    const b = expandSearch(spec, { strategy: 'random', maxTrials: 10, seed: 42 });
    const c = expandSearch(spec, { strategy: 'random', maxTrials: 10, seed: 43 });
    expect(a.trials).toHaveLength(10);
    expect(a.trials).toEqual(b.trials);
    expect(a.trials).not.toEqual(c.trials);
    expect(a.spaceSize).toBeNull();
  });

  it('stays in range: integers whole, log draws spread over the decades, every trial a valid ssm.train request', () => {
    const { trials } = expandSearch(spec, { strategy: 'random', maxTrials: 64, seed: 7 });
    const lrs = trials.map((t) => t['training.lr'] as number);
    expect(Math.min(...lrs)).toBeGreaterThanOrEqual(1e-4);
    expect(Math.max(...lrs)).toBeLessThanOrEqual(1e-2);
    // Log-uniform: about half the draws below the geometric mean 1e-3 (a uniform draw would put ~9% there).
    const below = lrs.filter((x) => x < 1e-3).length;
    expect(below).toBeGreaterThan(16);
    expect(below).toBeLessThan(48);
    for (const t of trials) {
      expect(Number.isInteger(t['model.hiddenSize'])).toBe(true);
      expect(t['model.hiddenSize']).toBeGreaterThanOrEqual(8);
      expect(t['model.hiddenSize']).toBeLessThanOrEqual(64);
      expect([0, 0.1, 0.2]).toContain(t['model.dropout']);
      const request = applyParams({ training: { maxEpochs: 1 } }, t);
      expect(SsmTrainRequest.safeParse({ datasetId: '00000000-0000-4000-8000-000000000000', ...request }).success).toBe(true);
      expect(request.training.maxEpochs).toBe(1);
    }
  });

  it('gives each point of a finite space once when the budget covers it', () => {
    const small: SearchSpec = { 'training.lrSchedule': ['constant', 'cosine'], 'model.numLayers': [1, 2] };
    expect(spaceSize(small)).toBe(4);
    const { trials } = expandSearch(small, { strategy: 'random', maxTrials: 10, seed: 1 });
    expect(trials).toHaveLength(4);
    expect(new Set(trials.map((t) => JSON.stringify(t))).size).toBe(4);
    // Within a budget smaller than the space, no trial repeats either.
    const big: SearchSpec = { 'model.numLayers': [1, 2, 3, 4], 'model.expand': [1, 2, 3, 4] };
    const some = expandSearch(big, { strategy: 'random', maxTrials: 12, seed: 5 }).trials;
    expect(new Set(some.map((t) => JSON.stringify(t))).size).toBe(12);
  });

  it('the generator is a deterministic function of its seed', () => {
    const a = seededRandom(9);
    const b = seededRandom(9);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
