import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '@kiln/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describeFetchError } from './fetch-error.js';
import { SCOPES, type Scope, type Session, type SessionStore } from './session.js';

export interface AuthOptions {
  store: SessionStore;
  /** The API's base URL (origin plus optional path prefix). */
  api: URL;
  /** Mark the cookie `Secure` and name it `__Host-kiln_session` (the dashboard is reached over https). */
  cookieSecure: boolean;
  /**
   * The origin browsers use (`https://kiln.example.com`), when a reverse proxy in front rewrites the
   * Host header. Unset: an Origin or Referer must name the Host the request was sent to.
   */
  publicOrigin?: string;
  /** Timeout of the login check against the API. */
  timeoutMs: number;
}

/** Methods that change state: they need the CSRF token, a same-origin Origin/Referer, and (for `/api`) more than `read`. */
export const isUnsafeMethod = (method: string): boolean => method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';

/** An API key as pasted: visible ASCII, no spaces. */
const KEY_PATTERN = /^[\x21-\x7e]{1,512}$/;

const sessions = new WeakMap<FastifyRequest, Session | null>();

/**
 * Logging in and out, the session cookie, and the CSRF checks. The browser only ever holds a random
 * session id (HttpOnly, SameSite=Strict); the API key stays in the session store.
 */
export class DashboardAuth {
  readonly cookieName: string;

  constructor(private readonly options: AuthOptions) {
    this.cookieName = options.cookieSecure ? '__Host-kiln_session' : 'kiln_session';
  }

  /** The request's session, looked up once per request (which restarts its idle timer); null when none. */
  async sessionOf(request: FastifyRequest): Promise<Session | null> {
    const cached = sessions.get(request);
    if (cached !== undefined) return cached;
    const id = request.cookies[this.cookieName];
    let session: Session | null = null;
    if (typeof id === 'string' && id !== '') {
      try {
        session = await this.options.store.get(id);
      } catch (error) {
        throw new AppError('KILN_ERR_UNAVAILABLE', 'the dashboard session store (Redis) is not reachable', { cause: error });
      }
    }
    sessions.set(request, session);
    return session;
  }

  async endSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    sessions.set(request, null);
    const id = request.cookies[this.cookieName];
    if (typeof id !== 'string' || id === '') return;
    try {
      await this.options.store.destroy(id);
    } catch (error) {
      throw new AppError('KILN_ERR_UNAVAILABLE', 'the dashboard session store (Redis) is not reachable', { cause: error });
    }
    reply.clearCookie(this.cookieName, this.cookieOptions());
  }

  /**
   * Why a state-changing request must be refused (null: it may go on): an Origin or Referer that is
   * present must name this dashboard, and, with a session, `x-csrf-token` must be its token.
   */
  csrfProblem(request: FastifyRequest, session: Session | null): string | null {
    const host = request.headers.host;
    const { publicOrigin } = this.options;
    for (const name of ['origin', 'referer'] as const) {
      const value = request.headers[name];
      if (value === undefined) continue;
      const ours = publicOrigin === undefined ? sameHost(value, host) : originOf(value) === publicOrigin;
      if (!ours) return `a state-changing request from another site (${name}: ${value.slice(0, 100)}) is refused`;
    }
    if (session === null) return null;
    const token = request.headers['x-csrf-token'];
    if (typeof token !== 'string' || token === '') return 'the x-csrf-token header is missing (reload the page)';
    if (!sameSecret(token, session.csrfToken)) return 'the x-csrf-token header does not match this session (reload the page)';
    return null;
  }

  /** Asks the API who a key is (`GET /v1/auth/me`). */
  async whoIs(key: string): Promise<{ keyId: string; keyName: string; scopes: Scope[] }> {
    const basePath = this.options.api.pathname.replace(/\/+$/, '');
    const url = new URL(`${basePath}/v1/auth/me`, this.options.api.origin);
    let response: Response;
    let body: unknown;
    try {
      response = await fetch(url, {
        headers: { accept: 'application/json', authorization: `Bearer ${key}` },
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      body = await response.json().catch(() => null);
    } catch (error) {
      throw new AppError('KILN_ERR_DASHBOARD_UPSTREAM', `Kiln API at ${this.options.api.origin} is unreachable: ${describeFetchError(error)}`);
    }
    if (response.status === 401) throw new AppError('KILN_ERR_UNAUTHENTICATED', 'This API key was not accepted: it is unknown or revoked.');
    if (response.status === 429) throw new AppError('KILN_ERR_RATE_LIMITED', 'The Kiln API is rate limiting this key; try again in a minute.');
    const me = body as { id?: unknown; name?: unknown; scopes?: unknown } | null;
    if (response.status !== 200 || typeof me?.id !== 'string' || typeof me.name !== 'string' || !Array.isArray(me.scopes)) {
      throw new AppError('KILN_ERR_DASHBOARD_UPSTREAM', `Kiln API answered ${response.status} to GET /v1/auth/me`);
    }
    const scopes = SCOPES.filter((s) => (me.scopes as unknown[]).includes(s));
    if (!scopes.includes('read')) throw new AppError('KILN_ERR_FORBIDDEN', 'This API key cannot read: the dashboard needs at least the read scope.');
    return { keyId: me.id, keyName: me.name, scopes };
  }

  cookieOptions() {
    return { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: this.options.cookieSecure };
  }

  /** `POST /login`, `POST /logout`, `GET /session`. */
  routes = async (app: FastifyInstance): Promise<void> => {
    const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

    app.post('/login', { bodyLimit: 4096 }, async (request, reply) => {
      const problem = this.csrfProblem(request, null);
      if (problem !== null) throw new AppError('KILN_ERR_CSRF', problem);
      const raw = (request.body as { key?: unknown } | null)?.key;
      const key = typeof raw === 'string' ? raw.trim() : '';
      if (!KEY_PATTERN.test(key)) throw new AppError('KILN_ERR_VALIDATION', 'Paste an API key: printable characters without spaces, up to 512.');
      const who = await this.whoIs(key).catch((error: unknown) => {
        request.log.info({ code: (error as AppError).code }, 'dashboard login refused');
        throw error;
      });
      // A new id on every login: a cookie planted before login is worth nothing after it.
      await this.endSession(request, reply);
      let session: Session;
      try {
        session = await this.options.store.create(key, who);
      } catch (error) {
        throw new AppError('KILN_ERR_UNAVAILABLE', 'the dashboard session store (Redis) is not reachable', { cause: error });
      }
      request.log.info({ keyId: who.keyId, keyName: who.keyName, scopes: who.scopes }, 'dashboard login');
      reply.setCookie(this.cookieName, session.id, this.cookieOptions());
      return noStore(reply).send({ name: who.keyName, scopes: who.scopes });
    });

    app.post('/logout', async (request, reply) => {
      const session = await this.sessionOf(request);
      const problem = this.csrfProblem(request, session);
      if (problem !== null) throw new AppError('KILN_ERR_CSRF', problem);
      await this.endSession(request, reply);
      if (session !== null) request.log.info({ keyId: session.keyId, keyName: session.keyName }, 'dashboard logout');
      return noStore(reply).code(204).send();
    });

    app.get('/session', async (request, reply) => {
      const session = await this.sessionOf(request);
      if (session === null) throw new AppError('KILN_ERR_UNAUTHENTICATED', 'not logged in to the dashboard');
      return noStore(reply).send({ keyId: session.keyId, name: session.keyName, scopes: session.scopes, csrfToken: session.csrfToken });
    });
  };
}

/** Does `value` (an Origin or Referer) name the host the request was sent to? `null` and other schemes do not. */
function sameHost(value: string, host: string | undefined): boolean {
  if (host === undefined || host === '') return false;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    return new URL(`${url.protocol}//${host}`).host === url.host;
  } catch {
    return false;
  }
}

function originOf(value: string): string | null {
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}
