import { randomBytes } from 'node:crypto';
import type { Db } from '../client.js';
import type { SqlPool } from '../sql.js';

/** A webhook as its owner sees it (the secret only at creation). */
export interface WebhookRow {
  id: string;
  apiKeyId: string;
  url: string;
  kinds: string[];
  states: string[];
  createdAt: Date;
}

export interface WebhookDeliveryRow {
  id: string;
  webhookId: string | null;
  jobId: string;
  eventId: string;
  event: string;
  url: string;
  attempt: number;
  status: number | null;
  durationMs: number;
  error: string | null;
  createdAt: Date;
}

/** A signing secret: `whsec_` + 43 base64url characters (256 bits). */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

const visible = { id: true, apiKeyId: true, url: true, kinds: true, states: true, createdAt: true } as const;

/** A new webhook of an API key; its secret is returned here only. */
export async function createWebhook(
  db: Db,
  input: { apiKeyId: string; url: string; kinds?: string[]; states?: string[] },
): Promise<WebhookRow & { secret: string }> {
  const secret = newWebhookSecret();
  const row = await db.webhook.create({
    data: { apiKeyId: input.apiKeyId, url: input.url, kinds: [...new Set(input.kinds ?? [])], states: [...new Set(input.states ?? [])], secret },
    select: visible,
  });
  return { ...row, secret };
}

/** An API key's webhooks, newest first. */
export function listWebhooks(db: Db, apiKeyId: string): Promise<WebhookRow[]> {
  return db.webhook.findMany({ where: { apiKeyId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: visible, take: 1000 });
}

/** One webhook of an API key (another key's webhook is not found). */
export function getWebhook(db: Db, apiKeyId: string, id: string): Promise<WebhookRow | null> {
  return db.webhook.findFirst({ where: { id, apiKeyId }, select: visible });
}

/** Deletes a key's webhook and its delivery log; false when the key has no such webhook. */
export async function deleteWebhook(db: Db, apiKeyId: string, id: string): Promise<boolean> {
  const own = await db.webhook.findFirst({ where: { id, apiKeyId }, select: { id: true } });
  if (!own) return false;
  await db.$transaction([db.webhookDelivery.deleteMany({ where: { webhookId: id } }), db.webhook.deleteMany({ where: { id, apiKeyId } })]);
  return true;
}

/** Webhooks (with their secrets) of these API keys: the dispatcher's lookup for a batch of events. */
export async function webhooksOfKeys(pool: SqlPool, apiKeyIds: readonly string[]): Promise<Array<WebhookRow & { secret: string }>> {
  if (apiKeyIds.length === 0) return [];
  const res = await pool.query<WebhookRow & { secret: string }>(
    `SELECT "id", "apiKeyId", "url", "kinds", "states", "secret", "createdAt" FROM "Webhook" WHERE "apiKeyId" = ANY($1::text[])`,
    [apiKeyIds],
  );
  return res.rows;
}

/** The secret of a webhook, or of a key's job callbacks (webhookId null); null when gone. */
export async function signingSecret(pool: SqlPool, target: { webhookId: string } | { apiKeyId: string }): Promise<string | null> {
  const res =
    'webhookId' in target
      ? await pool.query<{ secret: string }>(`SELECT "secret" FROM "Webhook" WHERE "id" = $1`, [target.webhookId])
      : await pool.query<{ secret: string }>(`SELECT "secret" FROM "CallbackSecret" WHERE "apiKeyId" = $1`, [target.apiKeyId]);
  return res.rows[0]?.secret ?? null;
}

/** Makes or replaces the secret a key's job callbacks are signed with; returned here only. */
export async function rotateCallbackSecret(db: Db, apiKeyId: string): Promise<{ secret: string; createdAt: Date }> {
  const secret = newWebhookSecret();
  const row = await db.callbackSecret.upsert({
    where: { apiKeyId },
    create: { apiKeyId, secret },
    update: { secret, createdAt: new Date() },
  });
  return { secret, createdAt: row.createdAt };
}

/** Logs one delivery attempt. */
export async function recordDelivery(pool: SqlPool, d: Omit<WebhookDeliveryRow, 'id' | 'createdAt'>): Promise<void> {
  await pool.query(
    `INSERT INTO "WebhookDelivery" ("id", "webhookId", "jobId", "eventId", "event", "url", "attempt", "status", "durationMs", "error")
     VALUES (gen_random_uuid()::text, $1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [d.webhookId, d.jobId, d.eventId, d.event, d.url, d.attempt, d.status, d.durationMs, d.error],
  );
}

/** A webhook's delivery attempts, newest first (`before`: the createdAt/id of the last one of the previous page). */
export function listDeliveries(
  db: Db,
  where: { webhookId: string } | { jobId: string; callbacksOnly: true },
  options: { limit: number; before?: { createdAt: Date; id: string } },
): Promise<WebhookDeliveryRow[]> {
  const base = 'webhookId' in where ? { webhookId: where.webhookId } : { jobId: where.jobId, webhookId: null };
  const after = options.before
    ? { OR: [{ createdAt: { lt: options.before.createdAt } }, { createdAt: options.before.createdAt, id: { lt: options.before.id } }] }
    : {};
  return db.webhookDelivery.findMany({ where: { ...base, ...after }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: options.limit });
}

/** One delivery attempt by id (a page cursor). */
export function getDelivery(db: Db, id: string): Promise<WebhookDeliveryRow | null> {
  return db.webhookDelivery.findUnique({ where: { id } });
}

/** What the dispatcher needs of each job: its key, its callback URL, its result or error. */
export async function jobsForDispatch(
  pool: SqlPool,
  ids: readonly string[],
): Promise<
  Array<{ id: string; kind: string; apiKeyId: string | null; callbackUrl: string | null; state: string; attempts: number; result: unknown; error: unknown }>
> {
  if (ids.length === 0) return [];
  const res = await pool.query(
    `SELECT "id", "kind", "apiKeyId", "options"->>'callbackUrl' AS "callbackUrl", "state", "attempts", "result", "error" FROM "Job" WHERE "id" = ANY($1::text[])`,
    [ids],
  );
  return res.rows;
}
