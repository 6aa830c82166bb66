import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { jobsForDispatch, recordDelivery, signingSecret, type SqlPool, webhooksOfKeys } from '@kiln/db';
import { createRedis, eventKeys, type JobEvent, parseEntry, type RedisClient } from '@kiln/queue';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import { guardedLookup, type PrivateAddressPolicy, refusal } from './address-policy.js';

/** The BullMQ queue of webhook deliveries (under the API's queue prefix). */
export const WEBHOOKS_QUEUE = 'webhooks';
const GROUP = 'webhooks';
const finalStates = ['completed', 'failed', 'cancelled'];

/** `Kiln-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>` (Stripe's scheme). */
export function signatureHeader(secret: string, body: string, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

export interface WebhookOptions {
  /** Which addresses may be called (default: loopback: see address-policy.ts). */
  privateAddresses?: PrivateAddressPolicy;
  /** Attempts per delivery (default 6), with exponential backoff from `backoffMs` (default 10 s: 10 s, 20 s, 40 s, …). */
  attempts?: number;
  backoffMs?: number;
  /** One attempt's time limit (default 10 s). */
  timeoutMs?: number;
  /** Deliveries at once in this process (default 16). */
  concurrency?: number;
  /** Run the dispatcher and the delivery worker in this process (default true). */
  deliver?: boolean;
}

/** One delivery: where, what, signed with which secret. */
interface Delivery {
  webhookId: string | null;
  apiKeyId: string;
  jobId: string;
  eventId: string;
  event: string;
  url: string;
  body: string;
}

/** The body of a delivery: the event, and the job as it ended (or is now). */
function bodyOf(e: JobEvent, job: { id: string; kind: string; attempts: number; result: unknown; error: unknown }): string {
  const state = String(e.data.state);
  return JSON.stringify({
    id: e.id,
    type: `job.${state}`,
    createdAt: new Date(Number(e.id.split('-')[0])).toISOString(),
    data: {
      job: {
        id: job.id,
        kind: job.kind,
        state,
        attempt: (e.data.attempt as number | undefined) ?? job.attempts,
        ...(state === 'completed' ? { result: job.result ?? null } : {}),
        ...(e.data.error ? { error: e.data.error } : state === 'failed' || state === 'cancelled' ? { error: job.error ?? null } : {}),
      },
    },
  });
}

/**
 * Webhooks (docs/adr/0019): a dispatcher reads the job event log as one consumer of a Redis consumer
 * group (several API replicas share the log, each event dispatched once), matches each state event
 * to its job's callbackUrl and its key's webhooks, and queues one delivery per target on the
 * BullMQ queue `webhooks` (job id `<event>_<target>`: a re-read event is not queued twice); the
 * delivery worker POSTs it signed, logs every attempt in Postgres, and BullMQ retries with backoff.
 */
export class WebhookService {
  readonly queue: Queue;
  private worker: Worker | undefined;
  private reader: RedisClient | undefined;
  private closed = false;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly consumer = `api-${randomUUID().slice(0, 8)}`;
  readonly policy: PrivateAddressPolicy;

  constructor(private readonly o: { redis: RedisClient; redisUrl: string; prefix: string; sql: SqlPool; log: FastifyBaseLogger } & WebhookOptions) {
    this.policy = o.privateAddresses ?? 'loopback';
    this.queue = new Queue(WEBHOOKS_QUEUE, { connection: o.redis, prefix: o.prefix, skipWaitingForReady: true });
    this.queue.on('error', () => undefined);
  }

  async start(): Promise<void> {
    if (this.o.deliver === false) return;
    const key = eventKeys.all(this.o.prefix);
    // Redis may be down at boot: the loop makes the group when it can.
    await this.ensureGroup(key).catch(() => undefined);
    this.reader = createRedis(this.o.redisUrl, 'subscriber');
    this.reader.on('error', () => undefined);
    const connection = createRedis(this.o.redisUrl, 'worker');
    connection.on('error', () => undefined);
    this.worker = new Worker(WEBHOOKS_QUEUE, (job) => this.deliver(job.data as Delivery, job.attemptsMade + 1, job.opts.attempts ?? 1), {
      connection,
      prefix: this.o.prefix,
      concurrency: this.o.concurrency ?? 16,
    });
    this.worker.on('error', (err) => this.o.log.warn({ err }, 'webhook worker error'));
    this.worker.on('closed', () => void connection.quit().catch(() => undefined));
    this.loopDone = this.loop(key);
  }

  /** The consumer group of the log (from its end when new: events before the first API started are not sent). */
  private async ensureGroup(key: string): Promise<void> {
    await this.o.redis.xgroup('CREATE', key, GROUP, '$', 'MKSTREAM').catch((err: Error) => {
      if (!String(err.message).includes('BUSYGROUP')) throw err;
    });
  }

  /** Reads the log as this consumer: its own unacknowledged events first, others' stale ones now and then, then new ones. */
  private async loop(key: string): Promise<void> {
    const reader = this.reader as RedisClient;
    let nextClaim = 0;
    while (!this.closed) {
      try {
        let entries: Array<[string, string[]]> = [];
        if (Date.now() >= nextClaim) {
          nextClaim = Date.now() + 30_000;
          // Events a dead replica read but never acknowledged (idle for a minute).
          const claimed = (await reader.xautoclaim(key, GROUP, this.consumer, 60_000, '0-0', 'COUNT', 200)) as [string, Array<[string, string[]]>];
          entries = (claimed[1] ?? []).filter((e) => Array.isArray(e?.[1]));
        }
        if (entries.length === 0) {
          const res = (await reader.xreadgroup('GROUP', GROUP, this.consumer, 'COUNT', 200, 'BLOCK', 2_000, 'STREAMS', key, '>')) as Array<
            [string, Array<[string, string[]]>]
          > | null;
          entries = res?.[0]?.[1] ?? [];
        }
        if (entries.length === 0) continue;
        await this.dispatch(entries.map(parseEntry));
        await this.o.redis.xack(key, GROUP, ...entries.map((e) => e[0]));
      } catch (err) {
        if (this.closed) return;
        if (String((err as Error).message).includes('NOGROUP')) {
          await this.ensureGroup(key).catch(() => undefined);
          continue;
        }
        this.o.log.warn({ err }, 'webhook dispatcher: reading the event log failed; retrying');
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  }

  private async dispatch(events: JobEvent[]): Promise<void> {
    const states = events.filter((e) => e.type === 'state');
    if (states.length === 0) return;
    const jobs = new Map((await jobsForDispatch(this.o.sql, [...new Set(states.map((e) => e.jobId))])).map((j) => [j.id, j]));
    const keys = [...new Set([...jobs.values()].flatMap((j) => (j.apiKeyId ? [j.apiKeyId] : [])))];
    const hooks = await webhooksOfKeys(this.o.sql, keys);
    const deliveries: Array<{ name: string; data: Delivery; opts: { jobId: string } }> = [];
    for (const e of states) {
      const job = jobs.get(e.jobId);
      if (!job?.apiKeyId) continue;
      const state = String(e.data.state);
      const body = bodyOf(e, job);
      const base = { apiKeyId: job.apiKeyId, jobId: job.id, eventId: e.id, event: `job.${state}`, body };
      const safeId = e.id.replace('-', '.');
      if (job.callbackUrl && finalStates.includes(state)) {
        deliveries.push({ name: 'callback', data: { ...base, webhookId: null, url: job.callbackUrl }, opts: { jobId: `${safeId}_callback` } });
      }
      for (const h of hooks) {
        if (h.apiKeyId !== job.apiKeyId) continue;
        if (h.kinds.length > 0 && !h.kinds.includes(job.kind)) continue;
        if (!(h.states.length > 0 ? h.states : finalStates).includes(state)) continue;
        deliveries.push({ name: 'webhook', data: { ...base, webhookId: h.id, url: h.url }, opts: { jobId: `${safeId}_${h.id}` } });
      }
    }
    if (deliveries.length === 0) return;
    const attempts = this.o.attempts ?? 6;
    const backoff = { type: 'exponential', delay: this.o.backoffMs ?? 10_000 };
    await this.queue.addBulk(
      deliveries.map((d) => ({
        ...d,
        opts: { ...d.opts, attempts, backoff, removeOnComplete: { age: 24 * 3600, count: 10_000 }, removeOnFail: { age: 7 * 24 * 3600, count: 10_000 } },
      })),
    );
  }

  /** One attempt: sign, POST, log. A non-2xx answer or a network error throws (BullMQ retries it). */
  private async deliver(d: Delivery, attempt: number, attempts: number): Promise<string> {
    const secret = await signingSecret(this.o.sql, d.webhookId ? { webhookId: d.webhookId } : { apiKeyId: d.apiKeyId });
    if (!secret) {
      if (d.webhookId) return 'webhook deleted'; // deleted meanwhile: nothing to deliver, nothing to log
      await recordDelivery(this.o.sql, {
        webhookId: null,
        jobId: d.jobId,
        eventId: d.eventId,
        event: d.event,
        url: d.url,
        attempt,
        status: null,
        durationMs: 0,
        error: 'the submitting key has no callback secret (POST /v1/webhooks/callback-secret): not sent',
      });
      throw new UnrecoverableError('no callback secret');
    }
    const started = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      status = await this.post(d.url, d.body, {
        'content-type': 'application/json',
        'user-agent': 'Kiln-Webhooks/1',
        'kiln-signature': signatureHeader(secret, d.body),
        'kiln-event-id': d.eventId,
        'kiln-delivery-attempt': String(attempt),
      });
      if (status < 200 || status >= 300) error = `answered ${status}`;
    } catch (err) {
      error = (err as Error).message;
    }
    const durationMs = performance.now() - started;
    await recordDelivery(this.o.sql, {
      webhookId: d.webhookId,
      jobId: d.jobId,
      eventId: d.eventId,
      event: d.event,
      url: d.url,
      attempt,
      status,
      durationMs,
      error,
    });
    if (error) {
      // An address the policy refuses stays refused: no retry.
      const refused = error.startsWith('refused:');
      this.o.log[attempt >= attempts || refused ? 'warn' : 'debug']({ url: d.url, attempt, error }, 'webhook delivery failed');
      throw refused ? new UnrecoverableError(error) : new Error(error);
    }
    return `delivered: ${status}`;
  }

  private post(url: string, body: string, headers: Record<string, string>): Promise<number> {
    const u = new URL(url);
    const lib = u.protocol === 'https:' ? https : http;
    const timeoutMs = this.o.timeoutMs ?? 10_000;
    // An address literal is connected to without a lookup: checked here, before any connection.
    const host = u.hostname.replace(/^\[|\]$/g, '');
    const why = isIP(host) ? refusal(host, this.policy) : null;
    if (why) return Promise.reject(new Error(`refused: ${why} (KILN_WEBHOOK_PRIVATE=${this.policy})`));
    return new Promise((resolve, reject) => {
      const req = lib.request(
        u,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          lookup: guardedLookup(this.policy) as unknown as typeof import('node:dns').lookup,
          timeout: timeoutMs,
        },
        (res) => {
          // The answer's body is not kept: read and dropped (at most what arrives before the timeout).
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.reader?.disconnect();
    await this.loopDone.catch(() => undefined);
    await this.worker?.close().catch(() => undefined);
    await this.queue.close().catch(() => undefined);
  }
}
