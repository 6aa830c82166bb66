import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '@kiln/contracts';
import { type ApiKeyScope, findApiKeyByHash, hashApiKey, touchApiKey } from '@kiln/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiContext } from './context.js';

/** Who is calling: an API key's id, name and scopes (`admin` implies `submit`, which implies `read`). */
export interface Principal {
  id: string;
  name: string;
  scopes: ReadonlySet<ApiKeyScope>;
}

/** What a route needs: a scope, or nothing (health, readiness). */
export type RouteAuth = ApiKeyScope | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope the route needs; default: `read` for GET, `submit` otherwise. */
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export interface AuthOptions {
  /** Default true. Off only for a local experiment: every request then acts as an admin. */
  enabled?: boolean;
  /** A key of ≥ 32 characters from the environment, accepted as an admin key (deployments, tests). */
  bootstrapAdminKey?: string;
  /** Require a `read` key for /metrics (default: open, like /healthz and /readyz). */
  metricsRequireKey?: boolean;
}

const implied: Record<ApiKeyScope, ApiKeyScope[]> = { admin: ['admin', 'submit', 'read'], submit: ['submit', 'read'], read: ['read'] };
export const expandScopes = (scopes: readonly string[]): Set<ApiKeyScope> => new Set(scopes.flatMap((s) => (s in implied ? implied[s as ApiKeyScope] : [])));

const ANONYMOUS_ADMIN: Principal = { id: 'local', name: 'auth disabled', scopes: expandScopes(['admin']) };

/**
 * API keys: `Authorization: Bearer <key>` on every route but health and readiness. The key's
 * SHA-256 is looked up (cached 5 s, so a revoked key stops working within 5 s on every replica);
 * a route's `config.auth` names the scope it needs. Runs before the body is read, so an
 * unauthenticated upload is refused without being received.
 */
export function registerAuth(app: FastifyInstance, ctx: ApiContext, options: AuthOptions): { forget(keyId: string): void } {
  const enabled = options.enabled ?? true;
  const bootstrap = options.bootstrapAdminKey;
  if (bootstrap !== undefined && bootstrap.length < 32) throw new Error('the bootstrap admin key must have at least 32 characters');
  const bootstrapHash = bootstrap ? createHash('sha256').update(bootstrap).digest() : undefined;
  const cache = new Map<string, { principal: Principal | null; at: number }>();
  const touched = new Map<string, number>();

  async function principalOf(key: string): Promise<Principal | null> {
    if (bootstrapHash) {
      const h = createHash('sha256').update(key).digest();
      if (timingSafeEqual(h, bootstrapHash)) return { id: 'bootstrap', name: 'KILN_BOOTSTRAP_ADMIN_KEY', scopes: expandScopes(['admin']) };
    }
    const hash = hashApiKey(key);
    const hit = cache.get(hash);
    const now = Date.now();
    if (hit && now - hit.at < 5_000) return hit.principal;
    const row = await findApiKeyByHash(ctx.db, hash);
    const principal = row ? { id: row.id, name: row.name, scopes: expandScopes(row.scopes) } : null;
    cache.set(hash, { principal, at: now });
    if (cache.size > 10_000) cache.delete(cache.keys().next().value as string);
    // Last use, at most once a minute per key.
    if (row && now - (touched.get(row.id) ?? 0) > 60_000) {
      touched.set(row.id, now);
      void touchApiKey(ctx.db, row.id).catch(() => undefined);
    }
    return principal;
  }

  app.addHook('onRequest', async (req: FastifyRequest) => {
    const config = req.routeOptions.config;
    let need: RouteAuth | undefined = config?.auth;
    if (need === undefined) {
      // Routes outside the API: the docs are public, unknown paths 404 anyway.
      if (!req.routeOptions.url || req.routeOptions.url.startsWith('/docs')) return;
      need = req.method === 'GET' || req.method === 'HEAD' ? 'read' : 'submit';
    }
    if (need === 'none') return;
    if (!enabled) {
      req.principal = ANONYMOUS_ADMIN;
      return;
    }
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw new AppError('KILN_ERR_UNAUTHENTICATED', 'an API key is required: Authorization: Bearer <key>');
    const principal = await principalOf(match[1] as string);
    if (!principal) throw new AppError('KILN_ERR_UNAUTHENTICATED', 'unknown or revoked API key');
    req.principal = principal;
    if (!principal.scopes.has(need)) {
      throw new AppError('KILN_ERR_FORBIDDEN', `this operation needs the '${need}' scope; the key has ${[...principal.scopes].join(', ')}`, {
        details: { need, scopes: [...principal.scopes] },
      });
    }
  });

  return {
    /** A revoked key stops working here at once (other replicas: within the 5 s cache). */
    forget(keyId: string) {
      for (const [hash, entry] of cache) if (entry.principal?.id === keyId) cache.delete(hash);
    },
  };
}
