import { type JobPayload, type JobRequest, jobCatalog, jobKinds, TRAINING_PRESET_NAMES } from '@kiln/contracts';
import { type SolveParams, SOLVE_DEFAULTS, solveParams } from '@kiln/qubo';
import {
  MAMBA4REC_DEFAULTS,
  type ModelConfig,
  resolveTrainingConfig,
  SCORE_DEFAULTS,
  type ScoreConfig,
  TRAINING_DEFAULTS,
  TRAINING_PRESETS,
  type TrainingConfig,
  type TrainingPreset,
} from '@kiln/ssm/config';
import { describe, expect, expectTypeOf, it } from 'vitest';

// The job catalog's schemas describe options that the compute packages own. These checks tie the
// two: the types must be equal (tsc runs on this file in `npm test`), and the packages' defaults
// must be valid payloads.
describe('the job catalog against the packages that own the options', () => {
  it('ssm.train: model and training are ssm’s ModelConfig and TrainingConfig', () => {
    expectTypeOf<JobPayload<'ssm.train'>['model']>().toEqualTypeOf<ModelConfig>();
    // `batching` came after payload version 1, so it is optional in a payload (absent = the library default).
    expectTypeOf<Required<JobPayload<'ssm.train'>['training']>>().toEqualTypeOf<TrainingConfig>();
    expectTypeOf<NonNullable<JobRequest<'ssm.train'>['training']>>().toEqualTypeOf<Partial<TrainingConfig>>();
    expectTypeOf<NonNullable<JobRequest<'ssm.train'>['model']>>().toEqualTypeOf<Partial<ModelConfig>>();
    expectTypeOf<(typeof TRAINING_PRESET_NAMES)[number]>().toEqualTypeOf<TrainingPreset>();
    expect([...TRAINING_PRESET_NAMES].sort()).toEqual(Object.keys(TRAINING_PRESETS).sort());

    for (const preset of TRAINING_PRESET_NAMES) {
      const payload = { version: 1, datasetId: crypto.randomUUID(), model: MAMBA4REC_DEFAULTS, training: resolveTrainingConfig({}, preset) };
      expect(jobCatalog['ssm.train'].payload.parse(payload)).toEqual(payload);
    }
    expect(resolveTrainingConfig()).toEqual(TRAINING_DEFAULTS);
  });

  it('ssm.score: k and excludeSeen are ssm’s ScoreConfig', () => {
    expectTypeOf<Pick<JobPayload<'ssm.score'>, 'k' | 'excludeSeen'>>().toEqualTypeOf<ScoreConfig>();
    const payload = { version: 1, modelId: crypto.randomUUID(), users: 'all', ...SCORE_DEFAULTS };
    expect(jobCatalog['ssm.score'].payload.parse(payload)).toEqual(payload);
  });

  it('qubo.solve: params are qubo’s SolveParams, SOLVE_DEFAULTS fill them', () => {
    expectTypeOf<JobPayload<'qubo.solve'>['params']>().toEqualTypeOf<SolveParams>();
    expectTypeOf<NonNullable<JobRequest<'qubo.solve'>['params']>>().toEqualTypeOf<Partial<SolveParams>>();
    const payload = { version: 1, problemId: crypto.randomUUID(), params: solveParams() };
    expect(payload.params).toEqual(SOLVE_DEFAULTS);
    expect(jobCatalog['qubo.solve'].payload.parse(payload)).toEqual(payload);
  });

  it('gives every kind its own queue', () => {
    const queues = jobKinds.map((k) => jobCatalog[k].queue);
    expect(new Set(queues).size).toBe(queues.length);
  });
});
