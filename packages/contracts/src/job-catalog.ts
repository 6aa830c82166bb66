import { z } from 'zod';
import { defineJob, type WorkerName } from './define-job.js';
import { QuboSolvePayload, QuboSolveProgress, QuboSolveRequest, QuboSolveResult } from './jobs/qubo.js';
import {
  SsmPrimePayload,
  SsmPrimeProgress,
  SsmPrimeRequest,
  SsmPrimeResult,
  SsmScorePayload,
  SsmScoreProgress,
  SsmScoreRequest,
  SsmScoreResult,
  SsmTrainPayload,
  SsmTrainProgress,
  SsmTrainRequest,
  SsmTrainResult,
} from './jobs/ssm.js';

/**
 * Every job Kiln runs, declared once (docs/adding-a-job-kind.md). The API's `prepare` table, each
 * worker's `handlers` table, the queues and the OpenAPI document are typed over this object.
 */
export const jobCatalog = {
  'ssm.train': defineJob({
    queue: 'ssm-train',
    worker: 'ssm',
    description: 'Train a Mamba4Rec model on a dataset; stores a versioned model with its metrics.',
    request: SsmTrainRequest,
    payload: SsmTrainPayload,
    result: SsmTrainResult,
    progress: SsmTrainProgress,
    retry: { attempts: 3, backoffMs: 5_000 },
    limits: { timeoutMs: 6 * 60 * 60 * 1000 },
  }),
  'ssm.score': defineJob({
    queue: 'ssm-score',
    worker: 'ssm',
    description: "Write every requested user's top-K next items from a trained model.",
    request: SsmScoreRequest,
    payload: SsmScorePayload,
    result: SsmScoreResult,
    progress: SsmScoreProgress,
    retry: { attempts: 3, backoffMs: 5_000 },
    limits: { timeoutMs: 60 * 60 * 1000 },
  }),
  'ssm.prime': defineJob({
    queue: 'ssm-prime',
    worker: 'ssm',
    description: "Compute and store every user's online state (the model's recurrent state after their history) for online recommendations.",
    request: SsmPrimeRequest,
    payload: SsmPrimePayload,
    result: SsmPrimeResult,
    progress: SsmPrimeProgress,
    retry: { attempts: 3, backoffMs: 5_000 },
    limits: { timeoutMs: 60 * 60 * 1000 },
  }),
  'qubo.solve': defineJob({
    queue: 'qubo-solve',
    worker: 'qubo',
    description: 'Minimise a QUBO with the native annealer (sa, loihi, tabu or auto); stores the best assignment.',
    request: QuboSolveRequest,
    payload: QuboSolvePayload,
    result: QuboSolveResult,
    progress: QuboSolveProgress,
    retry: { attempts: 3, backoffMs: 2_000 },
    limits: { timeoutMs: 2 * 60 * 60 * 1000 },
  }),
};

type Catalog = typeof jobCatalog;
export type JobKind = keyof Catalog;
export const jobKinds = Object.keys(jobCatalog) as JobKind[];

/** What a client sends as a kind's `payload` (defaults optional). */
export type JobRequest<K extends JobKind> = z.input<Catalog[K]['request']>;
/** The request after the API's schema parse (what `prepare` receives). */
export type ParsedJobRequest<K extends JobKind> = z.output<Catalog[K]['request']>;
/** What is queued and what the worker's handler receives. */
export type JobPayload<K extends JobKind> = z.output<Catalog[K]['payload']>;
/** What the kind's handler returns. */
export type JobResult<K extends JobKind> = z.output<Catalog[K]['result']>;
/** What the kind's handler reports while it runs. */
export type JobProgress<K extends JobKind> = z.output<Catalog[K]['progress']>;
/** The kinds one worker service runs. */
export type JobKindsOf<W extends WorkerName> = { [K in JobKind]: Catalog[K]['worker'] extends W ? K : never }[JobKind];

export function isJobKind(value: unknown): value is JobKind {
  return typeof value === 'string' && Object.hasOwn(jobCatalog, value);
}

export function kindsOfWorker<W extends WorkerName>(worker: W): JobKindsOf<W>[] {
  return jobKinds.filter((k) => jobCatalog[k].worker === worker) as JobKindsOf<W>[];
}

/** The job states Kiln reports; they mirror BullMQ's plus `cancelled`. */
export const jobStates = ['waiting', 'delayed', 'active', 'completed', 'failed', 'cancelled'] as const;
export type JobState = (typeof jobStates)[number];

/** How to run a job (any kind): priority, delay, attempts. */
export const JobOptions = z
  .object({
    priority: z.number().int().min(0).max(2_097_151).optional().describe('BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1.'),
    delayMs: z
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 3600 * 1000)
      .optional()
      .describe('Run no earlier than this many ms from now.'),
    attempts: z.number().int().min(1).max(50).optional().describe("Attempts in all (default: the kind's)."),
    callbackUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .max(2048)
      .optional()
      .describe(
        "POSTed the job's final state (completed, failed, cancelled), signed with the submitting key's callback secret (`POST /v1/webhooks/callback-secret`; header `Kiln-Signature`, docs/adr/0019).",
      ),
  })
  .strict();
export type JobOptions = z.infer<typeof JobOptions>;
