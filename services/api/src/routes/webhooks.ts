import { AppError, type JobKind, jobKinds, jobStates } from '@kiln/contracts';
import { createWebhook, deleteWebhook, getDelivery, getJob, getWebhook, listDeliveries, listWebhooks, rotateCallbackSecret, type WebhookRow } from '@kiln/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { checkWebhookUrl } from '../events/address-policy.js';
import { errorResponses, IdParams, iso, Timestamp } from '../schemas/common.js';

const Webhook = z
  .object({
    id: z.string(),
    url: z.string(),
    kinds: z.array(z.string()).describe('Job kinds it is sent for (empty: every kind).'),
    states: z.array(z.string()).describe('Job states it is sent for (default: completed, failed, cancelled).'),
    createdAt: Timestamp,
  })
  .meta({ id: 'Webhook' });

const WebhookCreated = Webhook.extend({
  secret: z.string().describe('The signing secret (`Kiln-Signature`): shown here only.'),
}).meta({ id: 'WebhookCreated' });

const WebhookDelivery = z
  .object({
    id: z.string(),
    webhookId: z.string().nullable(),
    jobId: z.string(),
    eventId: z.string(),
    event: z.string().describe('job.<state>'),
    url: z.string(),
    attempt: z.number().int(),
    status: z.number().int().nullable().describe("The receiver's HTTP status (null: no answer)."),
    durationMs: z.number(),
    error: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'WebhookDelivery' });

const CreateWebhook = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048),
    kinds: z
      .array(z.enum(jobKinds as [JobKind, ...JobKind[]]))
      .max(20)
      .optional()
      .describe('Job kinds to send (default: every kind).'),
    states: z.array(z.enum(jobStates)).max(10).optional().describe('Job states to send (default: completed, failed, cancelled).'),
  })
  .strict()
  .meta({ id: 'CreateWebhook' });

const present = (w: WebhookRow) => ({ id: w.id, url: w.url, kinds: w.kinds, states: w.states, createdAt: iso(w.createdAt) });

export const webhookRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const owner = (req: { principal?: { id: string } }) => req.principal?.id ?? 'local';

  app.post(
    '/v1/webhooks',
    {
      config: { auth: 'submit' },
      schema: {
        tags: ['webhooks'],
        operationId: 'createWebhook',
        summary: "Send this key's jobs' state changes to a URL",
        description:
          'A POST to `url` for every state change (of the `kinds` and `states` named; default: every kind, the final states) of the jobs this key submits, signed with the secret returned here (once): header `Kiln-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. A delivery that fails (no 2xx) is retried with exponential backoff, 6 attempts; `GET /v1/webhooks/{id}/deliveries` logs every attempt.',
        body: CreateWebhook,
        response: { 201: WebhookCreated, ...errorResponses(400) },
      },
    },
    async (req, reply) => {
      checkWebhookUrl(req.body.url, ctx.webhooks.policy);
      const created = await createWebhook(ctx.db, { apiKeyId: owner(req), url: req.body.url, kinds: req.body.kinds ?? [], states: req.body.states ?? [] });
      return reply
        .status(201)
        .header('location', `/v1/webhooks/${created.id}`)
        .send({ ...present(created), secret: created.secret });
    },
  );

  app.get(
    '/v1/webhooks',
    {
      config: { auth: 'read' },
      schema: {
        tags: ['webhooks'],
        operationId: 'listWebhooks',
        summary: "This key's webhooks",
        response: { 200: z.object({ items: z.array(Webhook) }), ...errorResponses(400) },
      },
    },
    async (req) => ({ items: (await listWebhooks(ctx.db, owner(req))).map(present) }),
  );

  app.delete(
    '/v1/webhooks/:id',
    {
      config: { auth: 'submit' },
      schema: {
        tags: ['webhooks'],
        operationId: 'deleteWebhook',
        summary: 'Delete a webhook and its delivery log',
        params: IdParams,
        response: { 204: z.void().describe('Deleted.'), ...errorResponses(400, 404) },
      },
    },
    async (req, reply) => {
      if (!(await deleteWebhook(ctx.db, owner(req), req.params.id))) throw new AppError('KILN_ERR_NOT_FOUND', `no webhook ${req.params.id}`);
      return reply.status(204).send();
    },
  );

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      config: { auth: 'read' },
      schema: {
        tags: ['webhooks'],
        operationId: 'listWebhookDeliveries',
        summary: "A webhook's delivery attempts, newest first",
        params: IdParams,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          cursor: z.string().max(100).optional().describe("The previous page's nextCursor."),
        }),
        response: { 200: z.object({ items: z.array(WebhookDelivery), nextCursor: z.string().nullable() }), ...errorResponses(400, 404) },
      },
    },
    async (req) => {
      const hook = await getWebhook(ctx.db, owner(req), req.params.id);
      if (!hook) throw new AppError('KILN_ERR_NOT_FOUND', `no webhook ${req.params.id}`);
      let before: { createdAt: Date; id: string } | undefined;
      if (req.query.cursor !== undefined) {
        const at = await getDelivery(ctx.db, req.query.cursor);
        if (!at || at.webhookId !== hook.id)
          throw new AppError('KILN_ERR_VALIDATION', 'query.cursor: not a cursor of this list (use nextCursor from the previous page)', {
            details: { issues: [{ field: 'query.cursor', message: 'unknown cursor' }] },
          });
        before = { createdAt: at.createdAt, id: at.id };
      }
      const rows = await listDeliveries(ctx.db, { webhookId: hook.id }, { limit: req.query.limit + 1, ...(before ? { before } : {}) });
      const items = rows.slice(0, req.query.limit);
      return {
        items: items.map((d) => ({ ...d, createdAt: iso(d.createdAt) })),
        nextCursor: rows.length > req.query.limit ? (items.at(-1)?.id ?? null) : null,
      };
    },
  );

  app.get(
    '/v1/jobs/:id/deliveries',
    {
      config: { auth: 'read' },
      schema: {
        tags: ['webhooks'],
        operationId: 'listCallbackDeliveries',
        summary: "A job's callbackUrl delivery attempts, newest first (its submitting key, or an admin)",
        params: IdParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
        response: { 200: z.object({ items: z.array(WebhookDelivery) }), ...errorResponses(400, 404) },
      },
    },
    async (req) => {
      const job = await getJob(ctx.db, req.params.id);
      // Another key's job is not found: its callback URL is the submitter's business.
      if (!job || (job.apiKeyId !== owner(req) && !req.principal?.scopes.has('admin'))) throw new AppError('KILN_ERR_NOT_FOUND', `no job ${req.params.id}`);
      const rows = await listDeliveries(ctx.db, { jobId: job.id, callbacksOnly: true }, { limit: req.query.limit });
      return { items: rows.map((d) => ({ ...d, createdAt: iso(d.createdAt) })) };
    },
  );

  app.post(
    '/v1/webhooks/callback-secret',
    {
      config: { auth: 'submit' },
      schema: {
        tags: ['webhooks'],
        operationId: 'rotateCallbackSecret',
        summary: "Make (or replace) the secret this key's job callbacks are signed with",
        description:
          "A job submitted with `options.callbackUrl` gets its final state POSTed there, signed like a webhook with its submitting key's callback secret. The secret is shown here only; calling again replaces it (deliveries from then on use the new one). Without one, callbacks are not sent (the attempt is logged).",
        response: { 201: z.object({ secret: z.string(), createdAt: Timestamp }).meta({ id: 'CallbackSecret' }), ...errorResponses(400) },
      },
    },
    async (req, reply) => {
      const made = await rotateCallbackSecret(ctx.db, owner(req));
      return reply.status(201).send({ secret: made.secret, createdAt: iso(made.createdAt) });
    },
  );
};
