import { z } from 'zod';

/** Treat an empty variable (`FOO=` in a compose file) as unset, so its default applies. */
const unsetIfEmpty = (value: unknown): unknown => (value === '' ? undefined : value);

/**
 * The dashboard's environment. This file is the only one in the service that reads `process.env`.
 *
 * - `DASHBOARD_PORT`: TCP port to listen on (default 8081; 0 picks a free port).
 * - `DASHBOARD_HOST`: interface to bind (default 127.0.0.1; use 0.0.0.0 in a container).
 * - `KILN_API_URL`: base URL of the Kiln producer API that `/api/*` is proxied to (default http://127.0.0.1:8080).
 * - `LOG_LEVEL`: pino level (default info).
 */
export const DashboardEnv = z
  .object({
    DASHBOARD_PORT: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(65_535).default(8081)),
    DASHBOARD_HOST: z.preprocess(unsetIfEmpty, z.string().min(1).default('127.0.0.1')),
    KILN_API_URL: z.preprocess(unsetIfEmpty, z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default('http://127.0.0.1:8080')),
    LOG_LEVEL: z.preprocess(unsetIfEmpty, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  })
  .transform((env) => ({
    port: env.DASHBOARD_PORT,
    host: env.DASHBOARD_HOST,
    apiUrl: env.KILN_API_URL.replace(/\/+$/, ''),
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
