import { z } from 'zod';

/**
 * Mamba4Rec hyper-parameters; every field defaults to the paper's ML-1M configuration (hidden 64,
 * one layer, d_state 32, d_conv 4, expand 2, dropout 0.2, max length 200).
 */
export const ModelParams = z
  .object({
    hiddenSize: z.number().int().min(4).max(1024).default(64),
    numLayers: z.number().int().min(1).max(8).default(1),
    dState: z.number().int().min(1).max(256).default(32),
    dConv: z.number().int().min(1).max(16).default(4),
    expand: z.number().int().min(1).max(8).default(2),
    dropout: z.number().min(0).max(0.9).default(0.2),
    maxLen: z.number().int().min(2).max(1000).default(200),
  })
  .strict();
export type ModelParams = z.infer<typeof ModelParams>;

/**
 * Training settings. Defaults: Kiln's ML-1M preset (docs/adr/0011): all-position cross-entropy,
 * batches of 32 windows, Adam at 2e-3 falling to 0 along a cosine over 40 epochs, early stop after
 * 10 epochs without a validation NDCG@10 gain. The paper's own run is `{ lr: 1e-3, lrSchedule:
 * 'constant', batchSize: 256, maxEpochs: 300 }`.
 */
export const TrainingParams = z
  .object({
    lr: z.number().positive().max(1).default(2e-3),
    lrSchedule: z.enum(['constant', 'cosine']).default('cosine'),
    batchSize: z.number().int().min(1).max(65536).default(32),
    maxEpochs: z.number().int().min(1).max(1000).default(40),
    patience: z.number().int().min(1).max(1000).default(10),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(42),
    objective: z.enum(['all-position', 'per-prefix']).default('all-position'),
  })
  .strict();
export type TrainingParams = z.infer<typeof TrainingParams>;

export const SsmTrain = z
  .object({
    version: z.literal(1).default(1),
    datasetId: z.uuid(),
    name: z.string().min(1).max(200).optional(),
    model: ModelParams.default(ModelParams.parse({})),
    training: TrainingParams.default(TrainingParams.parse({})),
  })
  .strict();
export type SsmTrain = z.infer<typeof SsmTrain>;

export const SsmScore = z
  .object({
    version: z.literal(1).default(1),
    modelId: z.uuid(),
    users: z.union([z.literal('all'), z.array(z.string().min(1).max(200)).min(1).max(1_000_000)]).default('all'),
    k: z.number().int().min(1).max(1000).default(10),
    excludeSeen: z.boolean().default(true),
  })
  .strict();
export type SsmScore = z.infer<typeof SsmScore>;

/** A QUBO inline: minimise Σ w·x_i·x_j + offset over binary x; `[i, j, w]` or `{ i, j, w }` terms, 0-based. */
export const QuboProblemInput = z
  .object({
    n: z.number().int().min(1),
    terms: z.array(z.union([z.tuple([z.number(), z.number(), z.number()]), z.object({ i: z.number(), j: z.number(), w: z.number() }).strict()])),
    offset: z.number().default(0),
  })
  .strict();
export type QuboProblemInput = z.infer<typeof QuboProblemInput>;

/**
 * How a qubo.solve job anneals. `mode`: 'auto' (default: picked by problem shape, possibly a
 * portfolio of two modes), or one native kernel mode ('sa' sequential-sweep Metropolis, 'loihi'
 * Loihi-style parallel updates, 'tabu' tabu search). `sweeps`, `betaStart`, `betaEnd`, `schedule`:
 * absent = the mode's (or auto's) own choice; `sweeps` is per anneal (sa), per temperature cycle
 * (loihi) or the stall limit (tabu). `target`: stop once the energy is ≤ target.
 */
export const QuboSolveParams = z
  .object({
    mode: z.enum(['auto', 'sa', 'loihi', 'tabu']).default('auto'),
    timeLimitMs: z.number().int().min(1).max(3_600_000).default(10_000),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(1),
    replicas: z.number().int().min(1).max(4096).optional(),
    sweeps: z.number().int().min(1).max(10_000_000).optional(),
    betaStart: z.number().positive().optional(),
    betaEnd: z.number().positive().optional(),
    schedule: z.enum(['geometric', 'linear']).optional(),
    restarts: z.boolean().default(true),
    target: z.number().optional(),
  })
  .strict();
export type QuboSolveParams = z.infer<typeof QuboSolveParams>;

export const QuboSolve = z
  .object({
    version: z.literal(1).default(1),
    problemId: z.uuid().optional(),
    problem: QuboProblemInput.optional(),
    params: QuboSolveParams.default(QuboSolveParams.parse({})),
  })
  .strict()
  .refine((p) => (p.problemId === undefined) !== (p.problem === undefined), {
    message: 'give exactly one of problemId or problem',
    path: ['problemId'],
  });
export type QuboSolve = z.infer<typeof QuboSolve>;

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  /** BullMQ queue that carries this kind. */
  readonly queue: string;
  readonly payload: S;
  readonly attempts: number;
  readonly backoffMs: number;
  /** Wall-clock budget of one attempt. */
  readonly timeoutMs: number;
  readonly description: string;
}

/** Every job Kiln runs, declared once: the API, the workers and the dashboard import these entries. */
export const jobCatalog = {
  'ssm.train': {
    queue: 'ssm-train',
    payload: SsmTrain,
    attempts: 3,
    backoffMs: 5_000,
    timeoutMs: 6 * 60 * 60 * 1000,
    description: 'Train a Mamba4Rec model on a dataset; stores a versioned model with its metrics.',
  },
  'ssm.score': {
    queue: 'ssm-score',
    payload: SsmScore,
    attempts: 3,
    backoffMs: 5_000,
    timeoutMs: 60 * 60 * 1000,
    description: "Write every requested user's top-K next items from a trained model.",
  },
  'qubo.solve': {
    queue: 'qubo-solve',
    payload: QuboSolve,
    attempts: 3,
    backoffMs: 2_000,
    timeoutMs: 2 * 60 * 60 * 1000,
    description: 'Minimise a QUBO by parallel simulated annealing; stores the best assignment.',
  },
} as const satisfies Record<string, JobDefinition>;

export type JobKind = keyof typeof jobCatalog;
export const jobKinds = Object.keys(jobCatalog) as JobKind[];
export type JobPayload<K extends JobKind> = z.infer<(typeof jobCatalog)[K]['payload']>;
export type JobPayloadInput<K extends JobKind> = z.input<(typeof jobCatalog)[K]['payload']>;

export function isJobKind(value: unknown): value is JobKind {
  return typeof value === 'string' && Object.hasOwn(jobCatalog, value);
}

/** The job states Kiln reports; they mirror BullMQ's plus `cancelled`. */
export const jobStates = ['waiting', 'delayed', 'active', 'completed', 'failed', 'cancelled'] as const;
export type JobState = (typeof jobStates)[number];

export const JobOptions = z
  .object({
    priority: z.number().int().min(0).max(2_097_152).optional(),
    delayMs: z
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 3600 * 1000)
      .optional(),
    attempts: z.number().int().min(1).max(50).optional(),
  })
  .strict();
export type JobOptions = z.infer<typeof JobOptions>;
