import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { createRedis } from '@kiln/queue';

type Redis = ReturnType<typeof createRedis>;

/** The API's key scopes, expanded (`admin` lists all three, as `GET /v1/auth/me` answers). */
export type Scope = 'read' | 'submit' | 'admin';
export const SCOPES: readonly Scope[] = ['read', 'submit', 'admin'];

/** What the dashboard knows about a logged-in user: the API key's identity, never its secret. */
export interface SessionInfo {
  keyId: string;
  keyName: string;
  scopes: Scope[];
  /** Sent back in `x-csrf-token` on every state-changing request. */
  csrfToken: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface Session extends SessionInfo {
  /** The cookie value: 256 random bits, base64url. */
  id: string;
  /** The API key the proxy sends upstream as `Authorization: Bearer`. Never leaves the server. */
  apiKey: string;
}

/** What Redis holds: the API key is encrypted with a key derived from the session id. */
interface Stored extends SessionInfo {
  v: 1;
  /** base64url(iv ‖ tag ‖ ciphertext), AES-256-GCM. */
  secret: string;
}

export interface SessionStoreOptions {
  redis: Redis;
  /** `KILN_QUEUE_PREFIX`; keys are `${prefix}:dashboard:session:<sha-256 of the id>`. */
  prefix: string;
  /** A session ends after this long without a request. */
  idleSeconds: number;
  /** And at the latest this long after login. */
  maxSeconds: number;
}

const ID_BYTES = 32;
const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Server-side sessions in Redis, shared by every dashboard replica. The cookie carries only a
 * random id; Redis holds the key's identity, the CSRF token and the API key encrypted under a key
 * derived from that id. So neither the cookie alone (no data) nor a copy of Redis alone (no ids:
 * entries are named by the id's hash) gives anyone the API key.
 */
export class SessionStore {
  constructor(private readonly options: SessionStoreOptions) {}

  async create(apiKey: string, who: { keyId: string; keyName: string; scopes: Scope[] }): Promise<Session> {
    const id = randomBytes(ID_BYTES).toString('base64url');
    const info: SessionInfo = { ...who, csrfToken: randomBytes(32).toString('base64url'), createdAt: Date.now() };
    const redisKey = this.redisKey(id);
    const stored: Stored = { v: 1, ...info, secret: seal(id, redisKey, apiKey) };
    await this.options.redis.set(redisKey, JSON.stringify(stored), 'EX', Math.min(this.options.idleSeconds, this.options.maxSeconds));
    return { id, apiKey, ...info };
  }

  /** The session with this id, its idle timer restarted; null when unknown, expired or malformed. */
  async get(id: string): Promise<Session | null> {
    if (!ID_PATTERN.test(id)) return null;
    const redisKey = this.redisKey(id);
    const { redis, idleSeconds, maxSeconds } = this.options;
    const raw = await redis.getex(redisKey, 'EX', idleSeconds);
    if (raw === null) return null;
    let stored: Stored;
    try {
      stored = JSON.parse(raw) as Stored;
    } catch {
      return null;
    }
    const endsAt = stored.createdAt + maxSeconds * 1000;
    const now = Date.now();
    if (stored.v !== 1 || now >= endsAt) {
      await redis.del(redisKey);
      return null;
    }
    // The idle timer may not reach past the absolute end.
    if (now + idleSeconds * 1000 > endsAt) await redis.pexpireat(redisKey, endsAt);
    const apiKey = open(id, redisKey, stored.secret);
    if (apiKey === null) return null;
    const { keyId, keyName, scopes, csrfToken, createdAt } = stored;
    return { id, apiKey, keyId, keyName, scopes: scopes.filter((s) => SCOPES.includes(s)), csrfToken, createdAt };
  }

  async destroy(id: string): Promise<void> {
    if (ID_PATTERN.test(id)) await this.options.redis.del(this.redisKey(id));
  }

  /** The Redis key of a session id (exported for tests that look at the TTL). */
  redisKey(id: string): string {
    return `${this.options.prefix}:dashboard:session:${createHash('sha256').update(`kiln-dashboard-session\0${id}`).digest('hex')}`;
  }
}

function keyOf(id: string): Buffer {
  return Buffer.from(hkdfSync('sha256', id, 'kiln-dashboard-session', 'api-key-encryption', 32));
}

function seal(id: string, aad: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(id), iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

function open(id: string, aad: string, sealed: string): string | null {
  try {
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', keyOf(id), bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
