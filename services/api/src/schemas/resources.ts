import { type JobKind, JobOptions, jobCatalog, jobKinds, jobStates, ModelConfig } from '@kiln/contracts';
import { z } from 'zod';
import { Timestamp } from './common.js';

const int = () => z.number().int();
const Metrics = z.record(z.string(), z.number());

export const JobError = z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() });

function jobOf<K extends JobKind>(kind: K) {
  const def = jobCatalog[kind];
  return z.object({
    id: z.string(),
    kind: z.literal(kind),
    state: z.enum(jobStates),
    progress: def.progress.nullable().describe('The latest progress report (live from the queue while the job runs).'),
    attempts: int().describe('Attempts started so far.'),
    result: def.result.nullable(),
    error: JobError.nullable().describe('Why the last attempt failed (kept while a retry waits).'),
    payload: def.payload.describe('What was queued: references resolved, every default filled in.'),
    options: JobOptions,
    cancelRequested: z.boolean(),
    createdAt: Timestamp,
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
  });
}

/** A job as the API shows it: one variant per kind of the catalog. */
export const Job = z
  .discriminatedUnion(
    'kind',
    jobKinds.map(jobOf) as unknown as [ReturnType<typeof jobOf<'ssm.train'>>, ReturnType<typeof jobOf<'ssm.score'>>, ReturnType<typeof jobOf<'qubo.solve'>>],
  )
  .meta({ id: 'Job' });
export type Job = z.infer<typeof Job>;

export const Submitted = z.object({ id: z.string(), kind: z.enum(jobKinds as [JobKind, ...JobKind[]]), state: z.enum(jobStates) }).meta({ id: 'SubmittedJob' });

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last.') });

export const Dataset = z
  .object({
    id: z.uuid(),
    name: z.string(),
    format: z.string(),
    kcore: int(),
    users: int(),
    items: int(),
    interactions: int(),
    rawInteractions: int(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Dataset' });

export const DatasetCreated = Dataset.extend({ droppedInteractions: int().describe('Interactions removed by the k-core filter and de-duplication.') }).meta({
  id: 'DatasetCreated',
});

export const EpochSummary = z.object({
  epoch: int(),
  loss: z.number(),
  valid: Metrics,
  seconds: z.number(),
  trainSeconds: z.number().optional(),
  validSeconds: z.number().optional(),
  trainTargets: int().optional(),
  lr: z.number().optional(),
});

export const Model = z
  .object({
    id: z.uuid(),
    name: z.string(),
    version: int(),
    datasetId: z.string(),
    jobId: z.string(),
    config: z.object({ ...ModelConfig.shape, nItems: int() }),
    metrics: z.object({ valid: Metrics, test: Metrics, testMasked: Metrics.optional() }),
    backend: z.string(),
    parameters: int(),
    bestEpoch: int(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Model' });

export const ModelDetail = Model.extend({ epochs: z.array(EpochSummary) }).meta({ id: 'ModelDetail' });

export const Epochs = z.object({
  backend: z.string().nullable(),
  bestEpoch: int().nullable(),
  items: z.array(EpochSummary.extend({ trainSeconds: z.number(), validSeconds: z.number() })),
});

export const Recommendations = z.object({
  items: z.array(
    z.object({
      user: z.string(),
      items: z.array(z.object({ item: z.string(), score: z.number(), rank: int() })),
    }),
  ),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last.'),
  next: z.string().nullable().describe('The next page (path and query), or null on the last.'),
});

export const QuboProblemSummary = z
  .object({
    id: z.uuid(),
    name: z.string(),
    format: z.string(),
    kind: z.enum(['qubo', 'maxcut', 'mis']),
    sense: z.enum(['min', 'max']),
    n: int(),
    numTerms: int(),
    offset: z.number(),
    meta: z.unknown(),
    createdAt: Timestamp,
  })
  .meta({ id: 'QuboProblem' });

const UploadedProblem = z.object({
  id: z.uuid(),
  name: z.string(),
  format: z.string(),
  kind: z.enum(['qubo', 'maxcut', 'mis']),
  sense: z.enum(['min', 'max']),
  n: int(),
  terms: int(),
  offset: z.number(),
});

export const QuboProblemsCreated = UploadedProblem.extend({
  count: int().describe('Problems stored (a bqp file holds several).'),
  problems: z.array(UploadedProblem),
}).meta({ id: 'QuboProblemsCreated' });

export const QuboSolutionSummary = z
  .object({
    id: z.uuid(),
    jobId: z.string(),
    problemId: z.string().nullable(),
    kind: z.string(),
    n: int(),
    energy: z.number(),
    value: z.number(),
    feasible: z.boolean(),
    timeToBestMs: z.number(),
    elapsedMs: z.number(),
    flipAttempts: z.number(),
    mode: z.string(),
    createdAt: Timestamp,
  })
  .meta({ id: 'QuboSolutionSummary' });

export const QuboSolution = QuboSolutionSummary.extend({
  assignment: z.string().describe("One '0' or '1' per variable."),
  spins: z.array(int()).optional().describe('An Ising problem: s_i = 2x_i − 1 per variable (−1 or +1); energies are in Ising terms.'),
  numSamples: int().describe('Distinct states in the sample set (GET /v1/qubo/solutions/{jobId}/samples): 1 unless numReads > 1.'),
  params: z.record(z.string(), z.unknown()).describe('What ran: the params, engine, plan (rule, reason, each member’s figures).'),
  trace: z.array(z.object({ tMs: z.number(), energy: z.number() })).describe('Best energy over time.'),
}).meta({ id: 'QuboSolution' });

export const QuboSampleOut = z
  .object({
    rank: int().describe('0 is the best.'),
    assignment: z.string().describe("One '0' or '1' per variable."),
    spins: z.array(int()).optional().describe('An Ising problem: the spins (−1 or +1).'),
    energy: z.number(),
    numOccurrences: int().describe('How many replicas ended in this state (the best state counts 1 when none did).'),
  })
  .meta({ id: 'QuboSample' });

export const QueueInfo = z
  .object({
    name: z.string(),
    kind: z.enum(jobKinds as [JobKind, ...JobKind[]]),
    paused: z.boolean(),
    counts: z.object({ waiting: int(), active: int(), delayed: int(), prioritized: int(), completed: int(), failed: int(), paused: int() }),
  })
  .meta({ id: 'Queue' });
