import { getNextMillis, type Job, Queue, type RepeatOptions, Worker } from 'bullmq';
import { createRedis, type RedisClient } from './redis.js';

/** When a schedule fires: a cron expression (with an optional IANA time zone), or every N milliseconds. */
export interface ScheduleRepeat {
  cron?: string | null;
  everyMs?: number | null;
  tz?: string | null;
}

/** One firing of a schedule: its id and the time it was due (ms since the epoch, the same on every retry). */
export interface ScheduleFiring {
  scheduleId: string;
  at: number;
}

export interface KilnSchedulesOptions {
  redisUrl: string;
  prefix: string;
  /** The producer connection to share (KilnQueues.redis); the consumer opens its own blocking one. */
  connection: RedisClient;
}

/** The BullMQ queue whose job schedulers fire Kiln's schedules (one scheduler per schedule, same id). */
export const SCHEDULES_QUEUE = 'schedules';

/** BullMQ's repeat options; a cron expression without a time zone is read in UTC (not the process's local zone). */
const repeatOf = (r: ScheduleRepeat): Omit<RepeatOptions, 'key'> => (r.cron ? { pattern: r.cron, tz: r.tz || 'UTC' } : { every: r.everyMs ?? 0 });

/**
 * Why a repeat cannot be scheduled (a message naming `cron`, `everyMs` or `tz`), or null. Cron
 * expressions are parsed by cron-parser through BullMQ's own `getNextMillis`, so what passes here
 * is what the scheduler accepts.
 */
export function repeatProblem(r: ScheduleRepeat): { field: 'cron' | 'everyMs' | 'tz'; message: string } | null {
  if ((r.cron ? 1 : 0) + (r.everyMs ? 1 : 0) !== 1) return { field: 'cron', message: 'give exactly one of cron or everyMs' };
  if (r.tz) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: r.tz });
    } catch {
      return { field: 'tz', message: `not an IANA time zone: ${r.tz}` };
    }
    if (!r.cron) return { field: 'tz', message: 'tz applies to cron schedules only' };
  }
  if (r.cron) {
    let next: number | undefined;
    try {
      next = getNextMillis(Date.now(), repeatOf(r));
    } catch (error) {
      return { field: 'cron', message: `not a cron expression: ${(error as Error).message}` };
    }
    if (next === undefined || !Number.isFinite(next)) return { field: 'cron', message: 'the cron expression never fires' };
  }
  return null;
}

/** The firing's due time: BullMQ names a scheduler's jobs `repeat:<schedulerId>:<millis>`. */
function firingTime(job: Job): number {
  const tail = Number(String(job.id).split(':').pop());
  if (Number.isFinite(tail) && tail > 0) return tail;
  return (job.opts as { prevMillis?: number }).prevMillis ?? job.timestamp + (job.opts.delay ?? 0);
}

/**
 * Kiln's schedules in BullMQ: `upsert` (re)creates a schedule's job scheduler, `remove` deletes it
 * (pause, delete), `consume` runs a worker that hands each firing to `fire`. Redis keeps the
 * schedulers across restarts; every API process may consume: BullMQ gives each firing to one of
 * them, and `fire` must be idempotent per (scheduleId, at) for the rare re-run of a stalled one.
 */
export class KilnSchedules {
  readonly queue: Queue;
  private worker: Worker | undefined;
  private workerConnection: RedisClient | undefined;

  constructor(private readonly options: KilnSchedulesOptions) {
    this.queue = new Queue(SCHEDULES_QUEUE, { connection: options.connection, prefix: options.prefix, skipWaitingForReady: true });
    this.queue.on('error', () => undefined);
  }

  async upsert(scheduleId: string, repeat: ScheduleRepeat): Promise<void> {
    await this.queue.upsertJobScheduler(scheduleId, repeatOf(repeat), {
      name: 'schedule.fire',
      data: { scheduleId },
      opts: {
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 1000 },
      },
    });
  }

  async remove(scheduleId: string): Promise<void> {
    await this.queue.removeJobScheduler(scheduleId);
  }

  /** The next firing time of a schedule's scheduler, or null when Redis holds none. */
  async next(scheduleId: string): Promise<number | null> {
    const s = await this.queue.getJobScheduler(scheduleId);
    return s ? (s.next ?? null) : null;
  }

  /** Consumes firings in this process until `close()`. */
  consume(fire: (firing: ScheduleFiring) => Promise<void>, opts: { concurrency?: number; onError?: (err: unknown) => void } = {}): void {
    if (this.worker) return;
    const connection = createRedis(this.options.redisUrl, 'worker');
    connection.on('error', () => undefined);
    this.workerConnection = connection;
    this.worker = new Worker(
      SCHEDULES_QUEUE,
      async (job: Job<{ scheduleId: string }>) => {
        await fire({ scheduleId: job.data.scheduleId, at: firingTime(job) });
      },
      { connection, prefix: this.options.prefix, concurrency: opts.concurrency ?? 4 },
    );
    this.worker.on('error', (err) => opts.onError?.(err));
    this.worker.on('failed', (_job, err) => opts.onError?.(err));
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.close();
    this.workerConnection?.disconnect();
    this.workerConnection = undefined;
    await this.queue.close();
  }
}
