import { type JobKind, type JobOptions, jobCatalog, jobKinds } from '@kiln/contracts';
import { Queue, type Telemetry } from 'bullmq';
import { JobEventLog, type JobEventLogOptions } from './job-events.js';
import { checkPrefixForCluster, createRedis, kilnKeys, type RedisClient } from './redis.js';

export interface KilnQueuesOptions {
  /** The job event log (job-events.ts): enqueues, retries and cancels are published to it. */
  events?: JobEventLogOptions;
  redisUrl: string;
  /** BullMQ key prefix (a `{hash-tag}` on Redis Cluster). */
  prefix: string;
  /** BullMQ's telemetry (bullmq-otel, from @kiln/telemetry when tracing is on): each add records a producer span whose context the job carries to its worker. */
  telemetry?: Telemetry;
  /** Finished jobs are dropped from Redis after this many days (the API's KILN_RETENTION_DAYS); default: completed 7 days, failed 30. */
  retentionDays?: number;
}

export interface QueueInfo {
  name: string;
  kind: JobKind;
  paused: boolean;
  counts: Record<'waiting' | 'active' | 'delayed' | 'prioritized' | 'completed' | 'failed' | 'paused', number>;
}

export type BullState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'prioritized' | 'waiting-children' | 'unknown';

/** The producer's side: one BullMQ queue per job kind of the catalog, on one shared connection. */
export class KilnQueues {
  readonly prefix: string;
  readonly redis: RedisClient;
  private readonly queues: Map<JobKind, Queue>;
  /** Job events (SSE, webhooks): this producer publishes its own state changes (queued, cancelled) here. */
  readonly events: JobEventLog;
  /** How long BullMQ keeps finished jobs. */
  private readonly keepSeconds: { completed: number; failed: number };

  constructor(options: KilnQueuesOptions) {
    checkPrefixForCluster(options.redisUrl, options.prefix);
    this.prefix = options.prefix;
    const days = options.retentionDays;
    this.keepSeconds = days ? { completed: days * 24 * 3600, failed: days * 24 * 3600 } : { completed: 7 * 24 * 3600, failed: 30 * 24 * 3600 };
    this.redis = createRedis(options.redisUrl, 'producer');
    // A lost connection is reported by the commands that fail on it (a 503 at the API) and by
    // /readyz; ioredis reconnects by itself. Without a listener it would print every attempt.
    this.redis.on('error', () => undefined);
    this.events = new JobEventLog(this.redis, options.prefix, options.events ?? {});
    this.queues = new Map(
      jobKinds.map((kind) => {
        const q = new Queue(jobCatalog[kind].queue, {
          connection: this.redis,
          prefix: options.prefix,
          skipWaitingForReady: true,
          ...(options.telemetry ? { telemetry: options.telemetry } : {}),
        });
        q.on('error', () => undefined);
        return [kind, q];
      }),
    );
  }

  queue(kind: JobKind): Queue {
    const q = this.queues.get(kind);
    if (!q) throw new Error(`no queue for ${kind}`);
    return q;
  }

  kindOfQueue(name: string): JobKind | undefined {
    return jobKinds.find((k) => jobCatalog[k].queue === name);
  }

  /** Adds a job under Kiln's id (BullMQ dedupes by id: adding the same id twice keeps one job). */
  async enqueue(kind: JobKind, id: string, payload: unknown, options: JobOptions = {}): Promise<void> {
    await this.queue(kind).add(kind, payload, this.jobOptions(kind, id, options));
    await this.queued(kind, [{ id, options }]);
  }

  /** A queued job's state event (waiting, or delayed); a lost event is not an error: the row stays the truth. */
  private async queued(kind: JobKind, jobs: ReadonlyArray<{ id: string; options?: JobOptions }>): Promise<void> {
    await this.events
      .publish(jobs.map((j) => ({ jobId: j.id, kind, type: 'state' as const, data: { state: j.options?.delayMs ? 'delayed' : 'waiting', attempt: 0 } })))
      .catch(() => undefined);
  }

  /**
   * Adds many jobs of one kind in one round trip (BullMQ's addBulk: one MULTI), each under Kiln's id.
   * A job's `traceMetadata` (@kiln/telemetry's traceMetadata) ties it to its own submitter's trace
   * rather than to the trace active here (jobs of several requests written together).
   */
  async enqueueMany(kind: JobKind, jobs: ReadonlyArray<{ id: string; payload: unknown; options?: JobOptions; traceMetadata?: string }>): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue(kind).addBulk(
      jobs.map((j) => ({
        name: kind,
        data: j.payload,
        opts: { ...this.jobOptions(kind, j.id, j.options ?? {}), ...(j.traceMetadata ? { telemetry: { metadata: j.traceMetadata } } : {}) },
      })),
    );
    await this.queued(kind, jobs);
  }

  private jobOptions(kind: JobKind, id: string, options: JobOptions) {
    const def = jobCatalog[kind];
    return {
      jobId: id,
      attempts: options.attempts ?? def.retry.attempts,
      backoff: { type: 'exponential', delay: def.retry.backoffMs },
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
      ...(options.delayMs !== undefined ? { delay: options.delayMs } : {}),
      removeOnComplete: { age: this.keepSeconds.completed, count: 10_000 },
      removeOnFail: { age: this.keepSeconds.failed, count: 10_000 },
    };
  }

  async state(kind: JobKind, id: string): Promise<{ state: BullState; progress: unknown; attemptsMade: number } | null> {
    const job = await this.queue(kind).getJob(id);
    if (!job) return null;
    return { state: (await job.getState()) as BullState, progress: job.progress, attemptsMade: job.attemptsMade };
  }

  /**
   * Cancels a job. A job not yet running is removed from its queue (`removed: true`); a running one
   * gets a cancel flag and a message on the cancel channel, and its worker aborts it cooperatively.
   */
  async cancel(kind: JobKind, id: string): Promise<{ removed: boolean; running: boolean }> {
    await this.redis.set(kilnKeys.cancelFlag(this.prefix, id), '1', 'EX', 7 * 24 * 3600);
    const job = await this.queue(kind).getJob(id);
    const cancelled = () =>
      this.events.publish([{ jobId: id, kind, type: 'state', data: { state: 'cancelled', attempt: job?.attemptsMade ?? 0 } }]).catch(() => undefined);
    if (!job) {
      await cancelled();
      return { removed: false, running: false };
    }
    const state = await job.getState();
    if (state === 'active') {
      await this.redis.publish(kilnKeys.cancelChannel(this.prefix), JSON.stringify({ jobId: id }));
      return { removed: false, running: true };
    }
    if (state === 'completed' || state === 'failed') return { removed: false, running: false };
    try {
      await job.remove();
      await cancelled();
      return { removed: true, running: false };
    } catch {
      // It became active between the two calls: cancel it where it runs.
      await this.redis.publish(kilnKeys.cancelChannel(this.prefix), JSON.stringify({ jobId: id }));
      return { removed: false, running: true };
    }
  }

  /** Runs a failed job again, or re-adds one that was removed (cancelled while waiting). */
  async retry(kind: JobKind, id: string, payload: unknown, options: JobOptions = {}): Promise<void> {
    await this.redis.del(kilnKeys.cancelFlag(this.prefix, id));
    const job = await this.queue(kind).getJob(id);
    if (job && (await job.getState()) === 'failed') {
      await job.retry('failed', { resetAttemptsMade: true });
      await this.queued(kind, [{ id }]);
      return;
    }
    if (job) await job.remove();
    await this.enqueue(kind, id, payload, options);
  }

  async info(): Promise<QueueInfo[]> {
    return Promise.all(jobKinds.map((kind) => queueInfo(kind, this.queue(kind))));
  }

  async ping(): Promise<boolean> {
    return (await this.redis.ping()) === 'PONG';
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.redis.disconnect();
  }
}

/** One queue's counts by state and whether it is paused (the API's /v1/queues, every /metrics). */
export async function queueInfo(kind: JobKind, q: Queue): Promise<QueueInfo> {
  const [counts, paused] = await Promise.all([q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'), q.isPaused()]);
  return {
    name: q.name,
    kind,
    paused,
    counts: {
      waiting: counts.waiting ?? 0,
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      prioritized: counts.prioritized ?? 0,
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
      // BullMQ 6 keeps a paused queue's jobs in its wait list: those are the ones the pause holds.
      paused: paused ? (counts.waiting ?? 0) + (counts.prioritized ?? 0) : 0,
    },
  };
}
