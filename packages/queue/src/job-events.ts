import type { RedisClient } from './redis.js';

/** What an event says: a progress report, a state change, or a completed job's result. */
export type JobEventType = 'progress' | 'state' | 'result';

/** One event of a job, as published (the id is given by Redis). */
export interface NewJobEvent {
  jobId: string;
  kind: string;
  type: JobEventType;
  /** state: `{ state, attempt, error? }`; progress: `{ progress }`; result: `{ result }`. */
  data: Record<string, unknown>;
}

/** One event as read back: its stream id (`<ms>-<seq>`, usable as an SSE `Last-Event-ID`). */
export interface JobEvent extends NewJobEvent {
  id: string;
}

export const finalStates = ['completed', 'failed', 'cancelled'] as const;

/** A state event that ends its job (completed, failed, cancelled). */
export const isFinalEvent = (e: Pick<JobEvent, 'type' | 'data'>): boolean =>
  e.type === 'state' && (finalStates as readonly string[]).includes(String(e.data.state));

/** The Redis keys of the event log (under the queue prefix, so on a cluster they share its hash tag). */
export const eventKeys = {
  /** Every job's events, in the order they happened (trimmed to about `maxLen`). */
  all: (prefix: string) => `${prefix}:kiln:events`,
  /** One job's events (the same ids as in `all`), expiring `jobTtlMs` after its last event. */
  job: (prefix: string, jobId: string) => `${prefix}:kiln:events:job:${jobId}`,
};

/** Compares two stream ids (`<ms>-<seq>`) numerically. */
export function compareEventIds(a: string, b: string): number {
  const [am = '0', as = '0'] = a.split('-');
  const [bm = '0', bs = '0'] = b.split('-');
  const d = BigInt(am) - BigInt(bm);
  if (d !== 0n) return d < 0n ? -1 : 1;
  const e = BigInt(as) - BigInt(bs);
  return e === 0n ? 0 : e < 0n ? -1 : 1;
}

/** A well-formed stream id (what a Last-Event-ID must be to resume from). */
export const isEventId = (s: string): boolean => /^\d{1,20}-\d{1,20}$/.test(s);

// One event: XADD to the log of every job, then the same id to the job's own stream, which expires
// a while after its last event. One script, so both streams always hold the same id.
const ADD = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 't', ARGV[4], 'j', ARGV[5], 'k', ARGV[6], 'd', ARGV[7])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], id, 't', ARGV[4], 'j', ARGV[5], 'k', ARGV[6], 'd', ARGV[7])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return id`;

type WithAdd = RedisClient & {
  kilnEventAdd(all: string, job: string, maxLen: number, jobMaxLen: number, ttlMs: number, t: string, j: string, k: string, d: string): Promise<string>;
};

export interface JobEventLogOptions {
  /** About how many events the log of every job keeps (default 100,000). */
  maxLen?: number;
  /** About how many events one job's stream keeps (default 10,000). */
  jobMaxLen?: number;
  /** A job's stream expires this long after its last event (default 7 days, as BullMQ keeps completed jobs). */
  jobTtlMs?: number;
}

type Entry = [id: string, fields: string[]];

export function parseEntry([id, fields]: Entry): JobEvent {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i] as string] = fields[i + 1] as string;
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(f.d ?? '{}') as Record<string, unknown>;
  } catch {
    data = {};
  }
  return { id, jobId: f.j ?? '', kind: f.k ?? '', type: (f.t ?? 'state') as JobEventType, data };
}

/**
 * Kiln's job event log in Redis streams (docs/adr/0019): written where a job's state changes (the
 * worker harness after each row write, the producer on enqueue, retry and cancel), read by the
 * API's Server-Sent Events and the webhook dispatcher.
 */
export class JobEventLog {
  private readonly maxLen: number;
  private readonly jobMaxLen: number;
  private readonly jobTtlMs: number;

  constructor(
    readonly redis: RedisClient,
    readonly prefix: string,
    options: JobEventLogOptions = {},
  ) {
    this.maxLen = options.maxLen ?? 100_000;
    this.jobMaxLen = options.jobMaxLen ?? 10_000;
    this.jobTtlMs = options.jobTtlMs ?? 7 * 24 * 3600 * 1000;
    if (typeof (redis as unknown as Partial<WithAdd>).kilnEventAdd !== 'function') redis.defineCommand('kilnEventAdd', { numberOfKeys: 2, lua: ADD });
  }

  /** Appends events in order (one round trip); resolves with their ids. */
  async publish(events: readonly NewJobEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    const r = this.redis as unknown as WithAdd;
    return Promise.all(
      events.map((e) =>
        r.kilnEventAdd(
          eventKeys.all(this.prefix),
          eventKeys.job(this.prefix, e.jobId),
          this.maxLen,
          this.jobMaxLen,
          this.jobTtlMs,
          e.type,
          e.jobId,
          e.kind,
          JSON.stringify(e.data),
        ),
      ),
    );
  }

  /** Events of one job (or of every job) after `afterId` (exclusive; '0' for all), oldest first. */
  async range(jobId: string | null, afterId: string, count = 1000): Promise<JobEvent[]> {
    const key = jobId === null ? eventKeys.all(this.prefix) : eventKeys.job(this.prefix, jobId);
    const start = afterId === '0' ? '-' : `(${afterId}`;
    const entries = (await this.redis.xrange(key, start, '+', 'COUNT', count)) as Entry[];
    return entries.map(parseEntry);
  }

  /** The newest events of a job (newest first). */
  async latest(jobId: string | null, count = 1): Promise<JobEvent[]> {
    const key = jobId === null ? eventKeys.all(this.prefix) : eventKeys.job(this.prefix, jobId);
    return ((await this.redis.xrevrange(key, '+', '-', 'COUNT', count)) as Entry[]).map(parseEntry);
  }
}
