import {
  AppError,
  type ErrorCode,
  errorCodeOf,
  errorCodes,
  isUnavailableError,
  type JobKind,
  type JobKindsOf,
  type JobPayload,
  type JobProgress,
  type JobResult,
  jobCatalog,
  kindsOfWorker,
  type WorkerName,
} from '@kiln/contracts';
import { DelayedError, type Job, Queue, type Telemetry, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { JobEventLog, type JobEventLogOptions, type NewJobEvent } from './job-events.js';
import { type QueueInfo, queueInfo } from './queues.js';
import { checkPrefixForCluster, createRedis, kilnKeys, type RedisClient } from './redis.js';

/** What a handler gets for one attempt of one job. */
export interface JobContext<K extends JobKind> {
  id: string;
  kind: K;
  payload: JobPayload<K>;
  attempt: number;
  /** Aborted when the job is cancelled, times out, or the worker shuts down. Honour it. */
  signal: AbortSignal;
  log: Logger;
  /**
   * Reports progress (the kind's declared shape) to BullMQ and to the lifecycle hooks (the job row).
   * `{ withResult: true }`: the last report, written with the result in the same statement instead
   * of on its own (a sub-millisecond job then costs no progress write).
   */
  progress(value: JobProgress<K>, options?: { withResult?: boolean }): Promise<void>;
}

/**
 * Thrown by a handler that cannot start the job now (its compute slots are busy): the harness
 * hands the job back to the queue at once, without spending an attempt, for any worker to take.
 */
export class HandBack extends Error {
  override readonly name = 'KilnHandBack';
}

/** Runs one attempt of one job of kind K and returns the kind's declared result. */
export type JobHandler<K extends JobKind> = (ctx: JobContext<K>) => Promise<JobResult<K>>;

/**
 * A worker service's handlers: one per kind of the catalog that names this worker. A kind without
 * a handler, or a handler whose result or progress has the wrong shape, fails the type check.
 */
export type JobHandlers<W extends WorkerName> = { [K in JobKindsOf<W>]: JobHandler<K> };

/** Where the harness reports a job's lifecycle (the worker services write the job rows here). */
export interface LifecycleHooks {
  /**
   * The job is starting. Resolves with the row's ending when the job already ended there (a re-run
   * of a job whose completion was written before its worker died, or one cancelled meanwhile): the
   * harness then does not run it again.
   */
  onActive?(id: string, attempt: number): Promise<PriorEnding | undefined>;
  onProgress?(id: string, progress: unknown): Promise<void>;
  onCompleted?(id: string, result: unknown, progress?: unknown): Promise<void>;
  onFailed?(id: string, error: { code: ErrorCode; message: string; details?: unknown }, final: boolean, attempts: number): Promise<void>;
  onCancelled?(id: string): Promise<void>;
  /** The job went back to the queue without finishing (shutdown, or handed back): its row waits again. */
  onHandedBack?(id: string): Promise<void>;
}

/** How one attempt of a job ended in the harness (metrics). */
export type JobOutcome = 'completed' | 'failed' | 'cancelled' | 'handed_back';

/**
 * Where the harness reports what it sees, for metrics and traces: @kiln/telemetry's `jobObserver()`
 * gives one (prom-client, OpenTelemetry), so the harness itself depends on neither. Every member is
 * optional; without an observer nothing is measured.
 */
export interface JobObserver {
  /** BullMQ's `telemetry` option for the workers (bullmq-otel): each job's `process` span continues its producer's trace. */
  readonly bullmq?: Telemetry;
  /**
   * Runs `fn` in a span named `name`, a child of the active one and active while `fn` runs;
   * `isFailure` tells whether a thrown error means the span failed.
   */
  span?<T>(name: string, attributes: Record<string, string | number>, fn: () => Promise<T>, isFailure?: (error: unknown) => boolean): Promise<T>;
  /** A job starts for the first time, `waitSeconds` after it was added (less its delay). */
  jobStarted?(kind: JobKind, waitSeconds: number): void;
  /** One attempt ended, `seconds` after it started (row writes included). Called once per attempt. */
  jobEnded?(kind: JobKind, outcome: JobOutcome, seconds: number): void;
  /** A completed job's result was written (hooks.onCompleted) in `seconds`. */
  resultWritten?(kind: JobKind, seconds: number): void;
  /** BullMQ's stalled-job check of this worker found a job of `queue` whose worker died or lost its lock, and put it back. */
  jobStalled?(queue: string): void;
}

/** One queue of this worker as seen at a moment (metrics): the producer's QueueInfo. */
export type WorkerQueueInfo = QueueInfo;

/** How a job already ended in its row. */
export type PriorEnding = { state: 'completed'; result: unknown } | { state: 'cancelled' } | { state: 'failed' };

export interface WorkerHarnessOptions<W extends WorkerName> {
  /** The worker service: the harness consumes the queue of every kind of the catalog that names it. */
  worker: W;
  handlers: JobHandlers<W>;
  redisUrl: string;
  prefix: string;
  /** Jobs run at once per kind (default 1 each). */
  concurrency?: Partial<Record<JobKindsOf<W>, number>>;
  hooks?: LifecycleHooks;
  log: Logger;
  /** How long a job's lock lives without renewal (a dead worker's job is retried after it). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** How long a job waits before it goes again when Postgres or Redis was unreachable (default 2,000 ms). */
  unavailableDelayMs?: number;
  /** Metrics and traces (see JobObserver). */
  observer?: JobObserver;
  /** The job event log (job-events.ts: SSE and webhooks read it): written after each lifecycle hook; false: not written. */
  events?: JobEventLogOptions | false;
}

/** A cancellation ends the job with this code (an UnrecoverableError whose message starts with it). */
const CANCELLED = 'KILN_ERR_JOB_CANCELLED';

function outcomeOf(error: unknown): JobOutcome {
  if (error instanceof DelayedError) return 'handed_back';
  if (error instanceof UnrecoverableError && error.message.startsWith(CANCELLED)) return 'cancelled';
  return 'failed';
}

/** Hand-backs and cancellations end an attempt without it having failed. */
const isFailure = (error: unknown) => outcomeOf(error) === 'failed';

/** Serialisable error info, classified by code (errors cross thread and process boundaries). */
export function describeError(error: unknown): { code: ErrorCode; message: string; details?: unknown; retryable: boolean } {
  const code = errorCodeOf(error) ?? 'KILN_ERR_INTERNAL';
  const e = error as { message?: string; details?: unknown; retryable?: boolean; name?: string } | null;
  const retryable = typeof e?.retryable === 'boolean' ? e.retryable : errorCodes[code].retryable;
  return { code, message: e?.message ?? String(error), ...(e?.details !== undefined ? { details: e.details } : {}), retryable };
}

/**
 * Runs a worker service's handlers under BullMQ with Kiln's lifecycle, one BullMQ worker per kind:
 * parse the payload again (a parse failure is fatal), report active/progress/completed/failed to
 * the hooks, abort on cancel, time out, check the result against the catalog, classify errors
 * (fatal → UnrecoverableError, the rest retried with backoff), and on shutdown hand running jobs
 * back to the queue without spending an attempt.
 */
export class WorkerHarness<W extends WorkerName> {
  readonly kinds: JobKindsOf<W>[];
  private readonly workers = new Map<JobKind, Worker>();
  private readonly connections: RedisClient[] = [];
  private readonly subscriber: RedisClient;
  private readonly flags: RedisClient;
  private readonly observer: JobObserver | undefined;
  private readonly events: JobEventLog | undefined;
  /** Queues read for queueInfo() (made on its first call). */
  private countQueues?: Map<JobKind, Queue>;
  private shuttingDown = false;

  constructor(private readonly options: WorkerHarnessOptions<W>) {
    this.kinds = kindsOfWorker(options.worker);
    this.observer = options.observer;
    // Cancel-flag checks of concurrent jobs go out in one write (auto-pipelining).
    checkPrefixForCluster(options.redisUrl, options.prefix);
    this.flags = createRedis(options.redisUrl, 'worker', { enableAutoPipelining: true });
    this.subscriber = createRedis(options.redisUrl, 'subscriber');
    // Without listeners a dropped connection is an unhandled 'error' event; ioredis reconnects by itself.
    if (options.events !== false) this.events = new JobEventLog(this.flags, options.prefix, options.events ?? {});
    for (const [name, c] of [
      ['flags', this.flags],
      ['subscriber', this.subscriber],
    ] as const)
      c.on('error', (err) => options.log.warn({ err: err.message, connection: name }, 'redis connection error'));
    for (const kind of this.kinds) {
      const connection = createRedis(options.redisUrl, 'worker');
      this.connections.push(connection);
      const queue = jobCatalog[kind].queue;
      const worker = new Worker(queue, (job, token, signal) => this.run(kind, job, token, signal), {
        connection,
        prefix: options.prefix,
        concurrency: options.concurrency?.[kind] ?? 1,
        lockDuration: options.lockDurationMs ?? 30_000,
        stalledInterval: options.stalledIntervalMs ?? 30_000,
        maxStalledCount: 2,
        // After a lost Redis connection, ask again each second (not BullMQ's 15 s) so work resumes soon after Redis does.
        runRetryDelay: 1_000,
        autorun: false,
        ...(this.observer?.bullmq ? { telemetry: this.observer.bullmq } : {}),
      });
      worker.on('error', (err) => options.log.error({ err, kind }, 'worker error'));
      worker.on('stalled', (jobId) => {
        options.log.warn({ jobId, queue }, 'stalled job put back in its queue (its worker died or lost the lock)');
        this.observer?.jobStalled?.(queue);
      });
      this.workers.set(kind, worker);
    }
    const channel = kilnKeys.cancelChannel(options.prefix);
    this.subscriber.on('message', (ch, message) => {
      if (ch !== channel) return;
      try {
        const { jobId } = JSON.parse(message) as { jobId: string };
        for (const worker of this.workers.values()) if (worker.cancelJob(jobId, 'cancelled')) options.log.info({ jobId }, 'cancel requested');
      } catch (err) {
        options.log.warn({ err }, 'bad cancel message');
      }
    });
    void this.subscriber.subscribe(channel).catch((err) => options.log.error({ err }, 'cannot subscribe to cancel channel'));
  }

  /** The BullMQ worker of one kind (tests and diagnostics). */
  worker(kind: JobKindsOf<W>): Worker {
    return this.workers.get(kind) as Worker;
  }

  /** Jobs of `kind` this process takes at once (BullMQ's concurrency, changeable while running). */
  setConcurrency(kind: JobKindsOf<W>, concurrency: number): void {
    const worker = this.workers.get(kind);
    if (worker && worker.concurrency !== concurrency) worker.concurrency = concurrency;
  }

  /** Starts consuming every kind (resolves when the workers are running). */
  async start(): Promise<void> {
    for (const [kind, worker] of this.workers) void worker.run().catch((err) => this.options.log.error({ err, kind }, 'worker stopped'));
    await Promise.all([...this.workers.values()].map((w) => w.waitUntilReady()));
  }

  /** Each of this worker's queues: job counts per state, paused (one BullMQ read per queue; metrics at scrape time). */
  async queueInfo(): Promise<WorkerQueueInfo[]> {
    this.countQueues ??= new Map(
      this.kinds.map((kind) => {
        const q = new Queue(jobCatalog[kind].queue, { connection: this.flags, prefix: this.options.prefix, skipWaitingForReady: true });
        q.on('error', () => undefined);
        return [kind, q];
      }),
    );
    return Promise.all([...this.countQueues].map(([kind, q]) => queueInfo(kind, q)));
  }

  /** Resolves when Redis answers (readiness). */
  async ping(): Promise<void> {
    await this.flags.ping();
  }

  /** One attempt, measured and traced when there is an observer. */
  private async run<K extends JobKindsOf<W>>(kind: K, job: Job, token: string | undefined, bullSignal: AbortSignal | undefined): Promise<unknown> {
    const observer = this.observer;
    if (!observer) return this.process(kind, job, token, bullSignal);
    const started = performance.now();
    // The first start only: a later one (a retry, a hand-back) waited for its backoff or for a slot, not in the queue.
    if (job.attemptsStarted <= 1 && job.processedOn) observer.jobStarted?.(kind, Math.max(0, job.processedOn - job.timestamp - (job.delay || 0)) / 1000);
    let outcome: JobOutcome = 'failed';
    try {
      const attributes = { 'kiln.job.id': job.id ?? '', 'kiln.job.kind': kind, 'kiln.job.attempt': job.attemptsMade + job.stalledCounter + 1 };
      const result = await (observer.span
        ? observer.span(`handle ${kind}`, attributes, () => this.process(kind, job, token, bullSignal), isFailure)
        : this.process(kind, job, token, bullSignal));
      outcome = 'completed';
      return result;
    } catch (error) {
      outcome = outcomeOf(error);
      throw error;
    } finally {
      observer.jobEnded?.(kind, outcome, (performance.now() - started) / 1000);
    }
  }

  /** Publishes a job's events after its row was written; a lost event is logged, never fails the job (the row stays the truth). */
  private async emit(kind: JobKind, id: string, events: Array<Omit<NewJobEvent, 'jobId' | 'kind'>>, log: Logger): Promise<void> {
    if (!this.events) return;
    try {
      await this.events.publish(events.map((e) => ({ ...e, jobId: id, kind })));
    } catch (err) {
      log.warn({ err }, 'job event not published');
    }
  }

  /** A Postgres write of the job's row, as a child span of the job's. */
  private write<T>(name: string, id: string, fn: () => Promise<T>): Promise<T> {
    const observer = this.observer;
    return observer?.span ? observer.span(name, { 'kiln.job.id': id, 'db.system.name': 'postgresql' }, fn) : fn();
  }

  private async process<K extends JobKindsOf<W>>(kind: K, job: Job, token: string | undefined, bullSignal: AbortSignal | undefined): Promise<unknown> {
    const { hooks = {}, log: baseLog } = this.options;
    const def = jobCatalog[kind];
    const handler = this.options.handlers[kind] as unknown as JobHandler<K>;
    const id = job.id ?? '';
    // Attempts started, hand-backs aside: failed attempts (attemptsMade) plus restarts after a worker
    // died mid-job (stalledCounter: BullMQ's stalled-job check re-queues those without counting them).
    // Not job.attemptsStarted: it also counts every hand-back (shutdown, HandBack), which spends no attempt.
    const attempt = job.attemptsMade + job.stalledCounter + 1;
    const log = baseLog.child({ queue: def.queue, jobName: job.name, jobId: id, attempt });
    const maxAttempts = job.opts.attempts ?? 1;

    // A store that cannot be reached is nobody's fault: the job waits and goes again, no attempt spent.
    const waitForStore = async (error: unknown, during: string): Promise<never> => {
      const delay = this.options.unavailableDelayMs ?? 2_000;
      log.warn({ err: error, delayMs: delay }, `a store is unreachable (${during}): job handed back to the queue`);
      await job.moveToDelayed(Date.now() + delay, token);
      await Promise.resolve(hooks.onHandedBack?.(id)).catch(() => undefined);
      await this.emit(kind, id, [{ type: 'state', data: { state: 'waiting', attempt } }], log);
      throw new DelayedError();
    };

    const fail = async (error: unknown, forceFinal: boolean): Promise<never> => {
      const info = describeError(error);
      const final = forceFinal || !info.retryable || attempt >= maxAttempts;
      log[final ? 'error' : 'warn']({ err: error, code: info.code, final }, 'job attempt failed');
      try {
        if (hooks.onFailed) {
          const error = { code: info.code, message: info.message, ...(info.details !== undefined ? { details: info.details } : {}) };
          await this.write('db job.failed', id, async () => hooks.onFailed?.(id, error, final, attempt));
        }
        await this.emit(
          kind,
          id,
          [{ type: 'state', data: { state: final ? 'failed' : 'delayed', attempt, error: { code: info.code, message: info.message } } }],
          log,
        );
      } catch (hookError) {
        // The failure could not be recorded: go again later rather than leave the row saying active.
        if (isUnavailableError(hookError)) return waitForStore(hookError, 'recording a failure');
        throw hookError;
      }
      if (final) throw new UnrecoverableError(`${info.code}: ${info.message}`);
      throw error instanceof Error ? error : new Error(info.message);
    };

    const parsed = def.payload.safeParse(job.data);
    if (!parsed.success) {
      return fail(new AppError('KILN_ERR_PAYLOAD_INVALID', `payload does not match ${kind}: ${parsed.error.message}`, { details: parsed.error.issues }), true);
    }
    if (await this.flags.exists(kilnKeys.cancelFlag(this.options.prefix, id))) {
      await hooks.onCancelled?.(id);
      await this.emit(kind, id, [{ type: 'state', data: { state: 'cancelled', attempt } }], log);
      log.info('cancelled before it started');
      throw new UnrecoverableError(`${CANCELLED}: cancelled by user`);
    }
    let prior: PriorEnding | undefined;
    try {
      if (hooks.onActive) prior = await this.write('db job.active', id, async () => hooks.onActive?.(id, attempt));
    } catch (error) {
      if (isUnavailableError(error)) return waitForStore(error, 'marking the job active');
      throw error;
    }
    if (prior?.state === 'completed') {
      log.info('already completed: its stored result stands, the job is not run again');
      return prior.result;
    }
    if (prior?.state === 'cancelled') {
      log.info('cancelled before it started');
      throw new UnrecoverableError(`${CANCELLED}: cancelled by user`);
    }
    await this.emit(kind, id, [{ type: 'state', data: { state: 'active', attempt } }], log);
    // Per-job lines at debug: at thousands of jobs a second they would cost more than the jobs.
    log.debug('job started');

    const timeout = AbortSignal.timeout(def.limits.timeoutMs);
    const signal = AbortSignal.any([...(bullSignal ? [bullSignal] : []), timeout]);
    const started = performance.now();
    let result: JobResult<K>;
    let finalProgress: unknown;
    try {
      result = await handler({
        id,
        kind,
        payload: parsed.data as JobPayload<K>,
        attempt,
        signal,
        log,
        progress: async (value, opts) => {
          if (opts?.withResult) {
            finalProgress = value;
            return;
          }
          await job.updateProgress(value as object);
          await hooks.onProgress?.(id, value);
          await this.emit(kind, id, [{ type: 'progress', data: { progress: value } }], log);
        },
      });
    } catch (error) {
      const handBack = async (why: string): Promise<never> => {
        // Back to the queue without spending an attempt; another worker (or this one later) runs it.
        log[this.shuttingDown ? 'warn' : 'debug'](why);
        await job.moveToDelayed(Date.now(), token);
        await hooks.onHandedBack?.(id);
        await this.emit(kind, id, [{ type: 'state', data: { state: 'waiting', attempt } }], log);
        throw new DelayedError();
      };
      if ((error as Error | null)?.name === 'KilnHandBack') return handBack('job handed back to the queue: no compute slot free');
      if (signal.aborted) {
        if (bullSignal?.aborted && this.shuttingDown) return handBack('worker shutting down: job handed back to the queue');
        if (bullSignal?.aborted) {
          await hooks.onCancelled?.(id);
          await this.emit(kind, id, [{ type: 'state', data: { state: 'cancelled', attempt } }], log);
          log.info('job cancelled');
          throw new UnrecoverableError(`${CANCELLED}: cancelled by user`);
        }
        return fail(new AppError('KILN_ERR_TIMEOUT', `job exceeded its ${def.limits.timeoutMs} ms time limit`), true);
      }
      if (isUnavailableError(error)) return waitForStore(error, 'running the job');
      return fail(error, false);
    }
    // The declared result shape is checked here too: a handler bug must not store a malformed result.
    const checked = def.result.safeParse(result);
    if (!checked.success) {
      return fail(
        new AppError('KILN_ERR_INTERNAL', `the ${kind} handler returned a result that does not match the catalog: ${checked.error.message}`, {
          retryable: false,
        }),
        true,
      );
    }
    // The result is in hand: while the store is down, keep it (and the job's lock) and try again
    // rather than throw the work away. Shutdown or cancel ends the wait; the job then goes back.
    for (let wait = 250; ; wait = Math.min(wait * 2, 4_000)) {
      try {
        if (hooks.onCompleted) {
          const writing = performance.now();
          await this.write('db job.completed', id, async () => hooks.onCompleted?.(id, checked.data, finalProgress));
          this.observer?.resultWritten?.(kind, (performance.now() - writing) / 1000);
        }
        break;
      } catch (error) {
        if (!isUnavailableError(error)) throw error;
        if (this.shuttingDown || signal.aborted) return waitForStore(error, 'recording the result');
        log.warn({ err: error, retryInMs: wait }, 'a store is unreachable: the result waits to be written');
        await new Promise((r) => setTimeout(r, wait));
      }
    }
    await this.emit(
      kind,
      id,
      [
        ...(finalProgress !== undefined ? [{ type: 'progress' as const, data: { progress: finalProgress } }] : []),
        { type: 'result', data: { result: checked.data } },
        { type: 'state', data: { state: 'completed', attempt } },
      ],
      log,
    );
    log.debug({ ms: Math.round(performance.now() - started) }, 'job completed');
    return checked.data;
  }

  /** Graceful stop: take no new jobs, hand running ones back to the queue, close connections. */
  async close(): Promise<void> {
    this.shuttingDown = true;
    for (const worker of this.workers.values()) worker.cancelAllJobs('shutdown');
    await Promise.all([...this.workers.values()].map((w) => w.close()));
    await Promise.all([...(this.countQueues?.values() ?? [])].map((q) => q.close().catch(() => undefined)));
    await this.subscriber.quit().catch(() => undefined);
    await Promise.all([this.flags, ...this.connections].map((c) => c.quit().catch(() => undefined)));
  }
}
