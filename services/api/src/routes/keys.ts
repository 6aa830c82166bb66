import { AppError } from '@kiln/contracts';
import { API_KEY_SCOPES, type ApiKeyRow, createApiKey, getApiKey, listApiKeys, revokeApiKey } from '@kiln/db';
import { afterCursor, locationOf, Paged, pageOf, pageQuery } from '../paging.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { errorResponses, iso, isoOrNull } from '../schemas/common.js';

const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().describe("The key's first characters, to tell keys apart."),
    scopes: z.array(z.enum(API_KEY_SCOPES)),
    createdAt: z.iso.datetime({ offset: true }),
    lastUsedAt: z.iso.datetime({ offset: true }).nullable(),
    revokedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: 'ApiKey' });

const present = (k: ApiKeyRow) => ({
  ...k,
  scopes: k.scopes.filter((s): s is (typeof API_KEY_SCOPES)[number] => (API_KEY_SCOPES as readonly string[]).includes(s)),
  createdAt: iso(k.createdAt),
  lastUsedAt: isoOrNull(k.lastUsedAt),
  revokedAt: isoOrNull(k.revokedAt),
});

/** Who am I, and API key management (admin). */
export const keyRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/v1/auth/me',
    {
      config: { auth: 'read' },
      schema: {
        tags: ['auth'],
        operationId: 'whoAmI',
        summary: 'The calling API key: id, name and scopes',
        response: { 200: z.object({ id: z.string(), name: z.string(), scopes: z.array(z.enum(API_KEY_SCOPES)) }), ...errorResponses(401) },
      },
    },
    async (req) => {
      const p = req.principal;
      if (!p) throw new AppError('KILN_ERR_UNAUTHENTICATED', 'no API key');
      return { id: p.id, name: p.name, scopes: API_KEY_SCOPES.filter((s) => p.scopes.has(s)) };
    },
  );

  app.post(
    '/v1/keys',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['auth'],
        operationId: 'createKey',
        summary: 'Create an API key (its secret is in this answer only)',
        description: 'Scopes: `read` (every GET), `submit` (uploads, jobs, cancel, retry; implies read), `admin` (queues and keys; implies all).',
        body: z.object({ name: z.string().min(1).max(100), scopes: z.array(z.enum(API_KEY_SCOPES)).min(1) }).strict(),
        response: { 201: ApiKey.extend({ key: z.string().describe('The key itself: shown once, store it now.') }), ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const created = await createApiKey(ctx.db, req.body);
      req.log.info({ keyId: created.id, name: created.name, scopes: created.scopes, by: req.principal?.id }, 'API key created');
      return reply
        .status(201)
        .header('location', locationOf('/v1/keys', created.id))
        .send({ ...present(created), key: created.key });
    },
  );

  app.get(
    '/v1/keys',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['auth'],
        operationId: 'listKeys',
        summary: 'API keys (never their secrets), newest first (paged: follow `next`)',
        querystring: z.object(pageQuery(100)),
        response: { 200: Paged(ApiKey), ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const { limit } = req.query;
      const rows = await listApiKeys(ctx.db, { limit: limit + 1, ...afterCursor(req.query.cursor) });
      return pageOf(req, reply, rows, limit, present);
    },
  );

  app.get(
    '/v1/keys/:id',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['auth'],
        operationId: 'getKey',
        summary: 'One API key (never its secret)',
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 200: ApiKey, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const row = await getApiKey(ctx.db, req.params.id);
      if (!row) throw new AppError('KILN_ERR_NOT_FOUND', `no API key ${req.params.id}`);
      return present(row);
    },
  );

  app.post(
    '/v1/keys/:id/revoke',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['auth'],
        operationId: 'revokeKey',
        summary: 'Revoke an API key (it stops working within seconds on every replica)',
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 200: ApiKey, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const row = await revokeApiKey(ctx.db, req.params.id);
      if (!row) throw new AppError('KILN_ERR_NOT_FOUND', `no API key ${req.params.id}`);
      ctx.forgetKey(row.id);
      req.log.info({ keyId: row.id, by: req.principal?.id }, 'API key revoked');
      return present(row);
    },
  );
};
