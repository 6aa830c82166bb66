import type { z } from 'zod';

/** The worker services; each runs the kinds that name it, through a handler table typed over them. */
export type WorkerName = 'ssm' | 'qubo';

/**
 * One job kind, declared once. Everything else is typed over these declarations: the API's
 * `prepare` table (request → payload), each worker's `handlers` table (payload → result, with
 * progress), the queues, the OpenAPI document and the typed client.
 */
export interface JobDefinition<
  W extends WorkerName = WorkerName,
  Req extends z.ZodType = z.ZodType,
  Pay extends z.ZodType = z.ZodType,
  Res extends z.ZodType = z.ZodType,
  Prog extends z.ZodType = z.ZodType,
> {
  /** The BullMQ queue that carries this kind (one queue per kind). */
  readonly queue: string;
  /** The worker service that runs it. */
  readonly worker: W;
  readonly description: string;
  /** What a client sends in `POST /v1/jobs` (`payload`): references by id or inline, defaults optional. */
  readonly request: Req;
  /** What is queued: references resolved and checked, every default filled in. The worker parses it again. */
  readonly payload: Pay;
  /** What the handler returns (the job row's `result`). */
  readonly result: Res;
  /** What the handler reports while it runs (the job row's and BullMQ's `progress`). */
  readonly progress: Prog;
  /** Attempts in all (first run included) and the first retry's delay (then exponential). */
  readonly retry: { readonly attempts: number; readonly backoffMs: number };
  /** Wall-clock budget of one attempt. */
  readonly limits: { readonly timeoutMs: number };
}

/** Declares a job kind (keeps its literal types for the mapped tables built over the catalog). */
export function defineJob<W extends WorkerName, Req extends z.ZodType, Pay extends z.ZodType, Res extends z.ZodType, Prog extends z.ZodType>(
  definition: JobDefinition<W, Req, Pay, Res, Prog>,
): JobDefinition<W, Req, Pay, Res, Prog> {
  return Object.freeze(definition);
}
