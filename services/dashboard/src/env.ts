import { envVars } from '@kiln/config';
import { z } from 'zod';

/** Treat an empty variable (`FOO=` in a compose file) as unset, so its default applies. */
const unsetIfEmpty = (value: unknown): unknown => (value === '' ? undefined : value);

/**
 * The dashboard's environment. This file is the only one in the service that reads `process.env`.
 *
 * - `DASHBOARD_PORT`: TCP port to listen on (default 8081; 0 picks a free port).
 * - `DASHBOARD_HOST`: interface to bind (default 127.0.0.1; use 0.0.0.0 in a container).
 * - `KILN_API_URL`: base URL of the Kiln producer API that `/api/*` is proxied to (default http://127.0.0.1:8080).
 * - `REDIS_URL`: Redis that holds the login sessions, shared by every dashboard replica (default redis://127.0.0.1:6379).
 * - `KILN_QUEUE_PREFIX`: key prefix; sessions live under `${prefix}:dashboard:session:` (default kiln).
 * - `DASHBOARD_PUBLIC_URL`: the URL browsers use, when a reverse proxy in front rewrites the Host header; state-changing requests must come from its origin (default: unset, the Host header's).
 * - `DASHBOARD_COOKIE_SECURE`: mark the session cookie `Secure` (and name it `__Host-kiln_session`); set it when browsers reach the dashboard over https (default: true when DASHBOARD_PUBLIC_URL is https, else false).
 * - `DASHBOARD_SESSION_IDLE_MINUTES`: a session ends after this long without a request (default 720 = 12 h).
 * - `DASHBOARD_SESSION_MAX_HOURS`: and at the latest this long after login (default 168 = 7 days).
 * - `LOG_LEVEL`: pino level (default info).
 */
export const DashboardEnv = z
  .object({
    DASHBOARD_PORT: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(65_535).default(8081)),
    DASHBOARD_HOST: z.preprocess(unsetIfEmpty, z.string().min(1).default('127.0.0.1')),
    KILN_API_URL: z.preprocess(unsetIfEmpty, z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default('http://127.0.0.1:8080')),
    REDIS_URL: z.preprocess(unsetIfEmpty, envVars.REDIS_URL),
    KILN_QUEUE_PREFIX: z.preprocess(unsetIfEmpty, envVars.KILN_QUEUE_PREFIX),
    DASHBOARD_PUBLIC_URL: z.preprocess(unsetIfEmpty, z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
    DASHBOARD_COOKIE_SECURE: z.preprocess(
      unsetIfEmpty,
      z
        .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
        .optional()
        .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1' || v === 'yes')),
    ),
    DASHBOARD_SESSION_IDLE_MINUTES: z.preprocess(
      unsetIfEmpty,
      z.coerce
        .number()
        .int()
        .min(1)
        .max(30 * 24 * 60)
        .default(720),
    ),
    DASHBOARD_SESSION_MAX_HOURS: z.preprocess(
      unsetIfEmpty,
      z.coerce
        .number()
        .int()
        .min(1)
        .max(365 * 24)
        .default(168),
    ),
    LOG_LEVEL: z.preprocess(unsetIfEmpty, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  })
  .transform((env) => ({
    port: env.DASHBOARD_PORT,
    host: env.DASHBOARD_HOST,
    apiUrl: env.KILN_API_URL.replace(/\/+$/, ''),
    redisUrl: env.REDIS_URL,
    keyPrefix: env.KILN_QUEUE_PREFIX,
    publicUrl: env.DASHBOARD_PUBLIC_URL,
    cookieSecure: env.DASHBOARD_COOKIE_SECURE ?? env.DASHBOARD_PUBLIC_URL?.startsWith('https:') ?? false,
    sessionIdleSeconds: env.DASHBOARD_SESSION_IDLE_MINUTES * 60,
    sessionMaxSeconds: env.DASHBOARD_SESSION_MAX_HOURS * 3600,
    logLevel: env.LOG_LEVEL,
  }));

export type DashboardEnv = z.output<typeof DashboardEnv>;

/** Parses the environment; throws one readable error listing every bad variable. */
export function loadDashboardEnv(env: NodeJS.ProcessEnv = process.env): DashboardEnv {
  const parsed = DashboardEnv.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid dashboard environment:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
