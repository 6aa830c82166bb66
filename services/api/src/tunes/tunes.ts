import { randomInt, randomUUID } from 'node:crypto';
import { AppError, errorCodeOf, jobStates, type ParsedJobRequest, SsmTrainRequest } from '@kiln/contracts';
import { endTune, getTune, insertTune, type TuneRow, type TuneTrialRow, tuneStates } from '@kiln/db';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { cancelJobById } from '../pipelines/pipelines.js';
import { idFromKey } from '../pipelines/submit.js';
import { PrepareScope, preparePayload } from '../prepare.js';
import { iso, isoOrNull } from '../schemas/common.js';
import { applyParams, checkSearch, expandSearch, MAX_TRIALS, paramsText, type SearchSpec, type TrialParams } from './space.js';

/** What a tune optimises: the validation NDCG@10 of each trial's model at its best epoch. */
export const OBJECTIVE = 'valid.ndcg@10';
export const MAX_PARALLELISM = 16;

const Metrics = z.record(z.string(), z.number());

const SearchRangeSchema = z
  .object({
    min: z.number(),
    max: z.number(),
    log: z.boolean().optional().describe('Draw log-uniformly (min > 0), as for learning rates.'),
  })
  .strict()
  .meta({ id: 'SearchRange', description: 'A numeric range, drawn from by strategy "random" (integer fields get whole numbers).' });

const SearchValues = z
  .array(z.union([z.number(), z.string(), z.boolean()]))
  .max(MAX_TRIALS)
  .describe('The values to try (one at least; each one the contract accepts for the field).');

export const TuneBase = SsmTrainRequest.pick({ name: true, preset: true, model: true, training: true }).meta({
  id: 'TuneBase',
  description:
    'The ssm.train request every trial starts from (its `model` and `training` settings, `preset`, the model `name`); a searched field overrides it.',
});

export const TuneBody = z
  .object({
    name: z.string().min(1).max(200).optional().describe('A label for lists.'),
    datasetId: z.uuid().describe('The dataset every trial trains on (POST /v1/datasets).'),
    base: TuneBase.optional(),
    search: z
      .record(z.string().min(1).max(100), z.union([SearchValues, SearchRangeSchema]))
      .describe(
        'The fields to search, by name (`model.<field>` or `training.<field>` of the ssm.train payload), each a list of values or (strategy "random") a `{ min, max, log? }` range within what the contract accepts for it: `{ "training.lr": { "min": 0.0005, "max": 0.005, "log": true }, "model.dropout": [0.1, 0.2, 0.3] }`.',
      ),
    strategy: z
      .enum(['grid', 'random'])
      .default('grid')
      .describe(
        'grid: the cartesian product of the lists (fields by name, the last varying fastest), its first `maxTrials` points; random: `maxTrials` seeded draws.',
      ),
    maxTrials: z
      .number()
      .int()
      .min(1)
      .max(MAX_TRIALS)
      .optional()
      .describe(`The budget: trials at most (required for random; a grid defaults to all its points, up to ${MAX_TRIALS}).`),
    parallelism: z.number().int().min(1).max(MAX_PARALLELISM).default(1).describe('Trials run at once.'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional()
      .describe('Seeds the random draws (default: drawn at create, and shown): the same search, budget and seed give the same trials.'),
  })
  .strict()
  .meta({ id: 'CreateTune' });
export type TuneBody = z.output<typeof TuneBody>;

const ErrorShape = z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() });
export const trialStates = ['pending', ...jobStates] as const;

const TuneTrial = z
  .object({
    index: z.number().int(),
    params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).describe("This trial's values of the searched fields."),
    state: z.enum(trialStates).describe("pending until its job is submitted, then its job's state (cancelled: not run, its tune was cancelled)."),
    jobId: z.string().nullable(),
    modelId: z.string().nullable().describe('The model its training stored.'),
    objective: z.number().nullable().describe("Validation NDCG@10 at the model's best epoch (what the tune maximises)."),
    valid: Metrics.nullable().describe("The model's validation metrics at its best epoch."),
    test: Metrics.nullable().describe('Its test metrics (for display only: trials are compared on validation).'),
    error: ErrorShape.nullable(),
    endedAt: z.string().nullable(),
  })
  .meta({ id: 'TuneTrial' });

export const Tune = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    state: z
      .enum(tuneStates)
      .describe('queued (no trial has started), running, completed (every trial ended and one at least scored), failed (every trial failed) or cancelled.'),
    datasetId: z.string(),
    strategy: z.enum(['grid', 'random']),
    objective: z.literal(OBJECTIVE).describe('What is maximised: validation NDCG@10 (ties: the lower trial index).'),
    base: z.record(z.string(), z.unknown()),
    search: z.record(z.string(), z.unknown()),
    maxTrials: z.number().int(),
    parallelism: z.number().int(),
    seed: z.number().int().nullable().describe('The random draws\u2019 seed (null for a grid).'),
    space: z.object({
      size: z.number().int().nullable().describe('Combinations of the lists (null when a field is a range).'),
      trials: z.number().int(),
      truncated: z.boolean().describe('A grid larger than the budget: only its first `maxTrials` points are tried.'),
    }),
    counts: z.object({
      pending: z.number().int(),
      running: z.number().int(),
      completed: z.number().int(),
      failed: z.number().int(),
      cancelled: z.number().int(),
    }),
    best: z
      .object({
        trial: z.number().int(),
        modelId: z.string().nullable().describe('The best model (GET /v1/models/{id}).'),
        objective: z.number(),
        params: z.record(z.string(), z.unknown()),
        test: Metrics.nullable(),
      })
      .nullable()
      .describe('The best trial once the tune ended (for a cancelled tune: the best of the trials that completed).'),
    error: ErrorShape.nullable(),
    trials: z.array(TuneTrial),
    createdAt: z.string(),
    endedAt: z.string().nullable(),
  })
  .meta({ id: 'Tune' });
export type Tune = z.infer<typeof Tune>;

const fieldError = (code: 'KILN_ERR_VALIDATION', field: string, message: string) =>
  new AppError(code, `${field}: ${message}`, { details: { issues: [{ field, message }] } });

/** The Idempotency-Key of a tune's trial: its job id derives from it. */
export const trialKey = (tuneId: string, idx: number) => `~tune:${tuneId}:${idx}`;

/** The ssm.train request of a trial: the tune's base, its params over it. */
export function trialRequest(t: { datasetId: string; base: unknown }, params: TrialParams): Record<string, unknown> {
  const base = (t.base ?? {}) as z.infer<typeof TuneBase>;
  const r = applyParams(base as { model?: Record<string, unknown>; training?: Record<string, unknown> }, params);
  return { ...r, datasetId: t.datasetId };
}

/** A preparer's error for trial `i`, named by the body's fields (the dataset as `datasetId`, anything else with the trial's params). */
function asTrialError(error: unknown, i: number, params: TrialParams): unknown {
  const code = errorCodeOf(error);
  if (!(error instanceof AppError) || !code) return error;
  if (code === 'KILN_ERR_DATASET_UNKNOWN')
    return new AppError(code, error.message.replace(/^payload\.datasetId/, 'datasetId'), { cause: error, details: { field: 'datasetId' } });
  const details = (error.details ?? {}) as Record<string, unknown>;
  const field = `trials[${i}]`;
  return new AppError(code, `${field} (${paramsText(params)}): ${error.message}`, {
    cause: error,
    details: { ...details, trial: i, params, issues: [{ field, message: error.message }] },
  });
}

/**
 * Creates a tune: checks the search against the ssm.train contract, expands it into trials and
 * prepares every trial's payload as `POST /v1/jobs` would (an unknown dataset, a trial too large
 * for the workers' memory: refused before anything is written), then writes the tune and its
 * trials. The advancer submits them. With `key` the tune's id derives from it: a second create
 * under it returns the first (`created: false`).
 */
export async function createTune(
  ctx: ApiContext,
  body: TuneBody,
  o: { key?: string; apiKeyId?: string | undefined } = {},
): Promise<{ id: string; created: boolean; tune: TuneRow }> {
  const id = o.key ? idFromKey('tune', o.key) : randomUUID();
  if (o.key) {
    const existing = await getTune(ctx.db, id);
    if (existing) return { id, created: false, tune: replayOf(existing, body) };
  }
  const spec = body.search as SearchSpec;
  checkSearch(spec, body.strategy);
  if (body.strategy === 'random' && body.maxTrials === undefined)
    throw fieldError('KILN_ERR_VALIDATION', 'maxTrials', `a random search needs a budget (1..${MAX_TRIALS} trials)`);
  const seed = body.seed ?? (body.strategy === 'random' ? randomInt(0, 2 ** 31 - 1) : 0);
  const expansion = expandSearch(spec, { strategy: body.strategy, maxTrials: body.maxTrials, seed });
  const scope = new PrepareScope(ctx);
  for (const [i, params] of expansion.trials.entries()) {
    const request = trialRequest({ datasetId: body.datasetId, base: body.base }, params);
    const parsed = SsmTrainRequest.safeParse(request);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((x) => ({ field: `trials[${i}].${x.path.join('.')}`, message: x.message }));
      throw new AppError('KILN_ERR_VALIDATION', issues.map((x) => `${x.field}: ${x.message}`).join('; '), { details: { issues } });
    }
    try {
      await preparePayload('ssm.train', parsed.data as ParsedJobRequest<'ssm.train'>, scope);
    } catch (error) {
      throw asTrialError(error, i, params);
    }
  }
  const { created } = await insertTune(ctx.db, {
    id,
    ...(body.name ? { name: body.name } : {}),
    datasetId: body.datasetId,
    base: body.base ?? {},
    search: body.search,
    strategy: body.strategy,
    maxTrials: body.maxTrials ?? expansion.trials.length,
    parallelism: body.parallelism,
    seed,
    spaceSize: expansion.spaceSize,
    ...(o.key ? { idempotencyKey: o.key } : {}),
    ...(o.apiKeyId ? { apiKeyId: o.apiKeyId } : {}),
    trials: expansion.trials,
  });
  const tune = await getTune(ctx.db, id);
  if (!tune) throw new AppError('KILN_ERR_CONFLICT', `tune ${id} is being created by another request`);
  return { id, created, tune: created ? tune : replayOf(tune, body) };
}

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x,
  );

/** A replay under a used Idempotency-Key must be the same request (as for jobs and pipelines): else 409. */
function replayOf(existing: TuneRow, body: TuneBody): TuneRow {
  const asked = canonical({
    name: body.name ?? null,
    datasetId: body.datasetId,
    base: body.base ?? {},
    search: body.search,
    strategy: body.strategy,
    parallelism: body.parallelism,
    ...(body.maxTrials !== undefined ? { maxTrials: body.maxTrials } : {}),
    ...(body.seed !== undefined ? { seed: body.seed } : {}),
  });
  const stored = canonical({
    name: existing.name,
    datasetId: existing.datasetId,
    base: existing.base,
    search: existing.search,
    strategy: existing.strategy,
    parallelism: existing.parallelism,
    ...(body.maxTrials !== undefined ? { maxTrials: existing.maxTrials } : {}),
    ...(body.seed !== undefined ? { seed: existing.seed } : {}),
  });
  if (asked !== stored) throw new AppError('KILN_ERR_IDEMPOTENCY_CONFLICT', `this Idempotency-Key already made tune ${existing.id} from another request`);
  return existing;
}

const ENDED = ['completed', 'failed', 'cancelled'];

/** Cancels a tune: it ends at once, its trials without a job never run, and its running trials' jobs are cancelled as `POST /v1/jobs/:id/cancel` does. */
export async function cancelTune(ctx: ApiContext, row: TuneRow): Promise<boolean> {
  if (ENDED.includes(row.state)) return false;
  await endTune(ctx.db, row.id, 'cancelled', { error: { code: 'KILN_ERR_JOB_CANCELLED', message: 'cancelled by user' } });
  for (const trial of row.trials) if (trial.jobId && trial.state === 'submitted') await cancelJobById(ctx, trial.jobId, 'its tune was cancelled');
  return true;
}

type TrialOut = Tune['trials'][number];

function trialState(t: TuneTrialRow): TrialOut['state'] {
  if (t.state === 'pending') return 'pending';
  if (t.state === 'submitted') return t.job?.state ?? 'waiting';
  return t.state;
}

const metricsOf = (m: unknown, which: 'valid' | 'test') => {
  const v = (m as Record<string, unknown> | null)?.[which];
  return v && typeof v === 'object' ? (v as Record<string, number>) : null;
};

/** The tune as the API shows it. A queued tune is `running` as soon as one of its jobs has left the queue. */
export function presentTune(row: TuneRow): Tune {
  const trials: TrialOut[] = row.trials.map((t) => ({
    index: t.idx,
    params: t.params as TrialOut['params'],
    state: trialState(t),
    jobId: t.jobId,
    modelId: t.modelId,
    objective: t.objective,
    valid: metricsOf(t.metrics, 'valid'),
    test: metricsOf(t.metrics, 'test'),
    error: (t.error as TrialOut['error']) ?? null,
    endedAt: isoOrNull(t.endedAt),
  }));
  const counts = { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0 };
  for (const t of trials) {
    if (t.state === 'pending') counts.pending++;
    else if (t.state === 'completed' || t.state === 'failed' || t.state === 'cancelled') counts[t.state]++;
    else counts.running++;
  }
  const started = trials.some((t) => t.state !== 'pending' && t.state !== 'waiting' && t.state !== 'delayed');
  const bestTrial = row.bestTrial === null ? undefined : trials[row.bestTrial];
  return {
    id: row.id,
    name: row.name,
    state: row.state === 'queued' && started ? 'running' : row.state,
    datasetId: row.datasetId,
    strategy: row.strategy as Tune['strategy'],
    objective: OBJECTIVE,
    base: (row.base ?? {}) as Record<string, unknown>,
    search: (row.search ?? {}) as Record<string, unknown>,
    maxTrials: row.maxTrials,
    parallelism: row.parallelism,
    seed: row.strategy === 'random' ? row.seed : null,
    space: { size: row.spaceSize, trials: trials.length, truncated: row.strategy === 'grid' && row.spaceSize !== null && row.spaceSize > trials.length },
    counts,
    best:
      bestTrial && row.bestObjective !== null
        ? { trial: bestTrial.index, modelId: row.bestModelId, objective: row.bestObjective, params: bestTrial.params, test: bestTrial.test }
        : null,
    error: (row.error as Tune['error']) ?? null,
    trials,
    createdAt: iso(row.createdAt),
    endedAt: isoOrNull(row.endedAt),
  };
}
