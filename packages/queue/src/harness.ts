import { AppError, type ErrorCode, errorCodeOf, errorCodes, type JobKind, type JobPayload, jobCatalog } from '@kiln/contracts';
import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createRedis, kilnKeys } from './redis.js';

/** What a handler gets for one attempt of one job. */
export interface JobContext<K extends JobKind> {
  id: string;
  kind: K;
  payload: JobPayload<K>;
  attempt: number;
  /** Aborted when the job is cancelled, times out, or the worker shuts down. Honour it. */
  signal: AbortSignal;
  log: Logger;
  /** Reports progress to BullMQ and to the lifecycle hooks (the job row). */
  progress(value: Record<string, unknown>): Promise<void>;
}

/** Where the harness reports a job's lifecycle (the worker services write the job rows here). */
export interface LifecycleHooks {
  onActive?(id: string, attempt: number): Promise<void>;
  onProgress?(id: string, progress: unknown): Promise<void>;
  onCompleted?(id: string, result: unknown): Promise<void>;
  onFailed?(id: string, error: { code: ErrorCode; message: string; details?: unknown }, final: boolean, attempts: number): Promise<void>;
  onCancelled?(id: string): Promise<void>;
}

export interface WorkerHarnessOptions<K extends JobKind> {
  kind: K;
  redisUrl: string;
  prefix: string;
  concurrency?: number;
  handler: (ctx: JobContext<K>) => Promise<unknown>;
  hooks?: LifecycleHooks;
  log: Logger;
  /** How long a job's lock lives without renewal (a dead worker's job is retried after it). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

/** Serialisable error info, classified by code (errors cross thread and process boundaries). */
export function describeError(error: unknown): { code: ErrorCode; message: string; details?: unknown; retryable: boolean } {
  const code = errorCodeOf(error) ?? 'KILN_ERR_INTERNAL';
  const e = error as { message?: string; details?: unknown; retryable?: boolean; name?: string } | null;
  const retryable = typeof e?.retryable === 'boolean' ? e.retryable : errorCodes[code].retryable;
  return { code, message: e?.message ?? String(error), ...(e?.details !== undefined ? { details: e.details } : {}), retryable };
}

/**
 * Runs one job kind's handler under BullMQ with Kiln's lifecycle: parse the payload again (a parse
 * failure is fatal), report active/progress/completed/failed to the hooks, abort on cancel, time
 * out, classify errors (fatal → UnrecoverableError, the rest retried with backoff), and on
 * shutdown hand running jobs back to the queue without spending an attempt.
 */
export class WorkerHarness<K extends JobKind> {
  readonly worker: Worker;
  private readonly subscriber: Redis;
  private readonly redis: Redis;
  private shuttingDown = false;

  constructor(private readonly options: WorkerHarnessOptions<K>) {
    const def = jobCatalog[options.kind];
    this.redis = createRedis(options.redisUrl, 'worker');
    this.subscriber = createRedis(options.redisUrl, 'subscriber');
    this.worker = new Worker(def.queue, (job, token, signal) => this.process(job, token, signal), {
      connection: this.redis,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 1,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      maxStalledCount: 2,
      autorun: false,
    });
    this.worker.on('error', (err) => options.log.error({ err }, 'worker error'));
    const channel = kilnKeys.cancelChannel(options.prefix);
    this.subscriber.on('message', (ch, message) => {
      if (ch !== channel) return;
      try {
        const { jobId } = JSON.parse(message) as { jobId: string };
        if (this.worker.cancelJob(jobId, 'cancelled')) options.log.info({ jobId }, 'cancel requested');
      } catch (err) {
        options.log.warn({ err }, 'bad cancel message');
      }
    });
    void this.subscriber.subscribe(channel).catch((err) => options.log.error({ err }, 'cannot subscribe to cancel channel'));
  }

  /** Starts consuming (resolves when the worker is running). */
  async start(): Promise<void> {
    void this.worker.run().catch((err) => this.options.log.error({ err }, 'worker stopped'));
    await this.worker.waitUntilReady();
  }

  private async process(job: Job, token: string | undefined, bullSignal: AbortSignal | undefined): Promise<unknown> {
    const { kind, hooks = {}, log: baseLog } = this.options;
    const def = jobCatalog[kind];
    const id = job.id ?? '';
    const attempt = job.attemptsMade + 1;
    const log = baseLog.child({ queue: def.queue, jobName: job.name, jobId: id, attempt });
    const maxAttempts = job.opts.attempts ?? 1;

    const fail = async (error: unknown, forceFinal: boolean): Promise<never> => {
      const info = describeError(error);
      const final = forceFinal || !info.retryable || attempt >= maxAttempts;
      log[final ? 'error' : 'warn']({ err: error, code: info.code, final }, 'job attempt failed');
      await hooks.onFailed?.(id, { code: info.code, message: info.message, ...(info.details !== undefined ? { details: info.details } : {}) }, final, attempt);
      if (final) throw new UnrecoverableError(`${info.code}: ${info.message}`);
      throw error instanceof Error ? error : new Error(info.message);
    };

    const parsed = def.payload.safeParse(job.data);
    if (!parsed.success) {
      return fail(new AppError('KILN_ERR_PAYLOAD_INVALID', `payload does not match ${kind}: ${parsed.error.message}`, { details: parsed.error.issues }), true);
    }
    if (await this.redis.exists(kilnKeys.cancelFlag(this.options.prefix, id))) {
      await hooks.onCancelled?.(id);
      log.info('cancelled before it started');
      throw new UnrecoverableError('KILN_ERR_JOB_CANCELLED: cancelled by user');
    }
    await hooks.onActive?.(id, attempt);
    log.info('job started');

    const timeout = AbortSignal.timeout(def.timeoutMs);
    const signal = AbortSignal.any([...(bullSignal ? [bullSignal] : []), timeout]);
    const started = performance.now();
    try {
      const result = await this.options.handler({
        id,
        kind,
        payload: parsed.data as JobPayload<K>,
        attempt,
        signal,
        log,
        progress: async (value) => {
          await job.updateProgress(value);
          await hooks.onProgress?.(id, value);
        },
      });
      await hooks.onCompleted?.(id, result);
      log.info({ ms: Math.round(performance.now() - started) }, 'job completed');
      return result;
    } catch (error) {
      if (signal.aborted) {
        if (bullSignal?.aborted && this.shuttingDown) {
          // Hand the job back without spending an attempt; another worker (or this one after restart) runs it.
          log.warn('worker shutting down: job handed back to the queue');
          await job.moveToDelayed(Date.now(), token);
          throw new DelayedError();
        }
        if (bullSignal?.aborted) {
          await hooks.onCancelled?.(id);
          log.info('job cancelled');
          throw new UnrecoverableError('KILN_ERR_JOB_CANCELLED: cancelled by user');
        }
        return fail(new AppError('KILN_ERR_TIMEOUT', `job exceeded its ${def.timeoutMs} ms time limit`), true);
      }
      return fail(error, false);
    }
  }

  /** Graceful stop: take no new jobs, hand running ones back to the queue, close connections. */
  async close(): Promise<void> {
    this.shuttingDown = true;
    this.worker.cancelAllJobs('shutdown');
    await this.worker.close();
    await this.subscriber.quit().catch(() => undefined);
    await this.redis.quit().catch(() => undefined);
  }
}
