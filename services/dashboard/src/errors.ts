/**
 * Error codes the dashboard itself produces. Everything else under `/api/*` is the Kiln API's own
 * response, passed through unchanged. Every code here is listed in docs/errors.md.
 */
export const DashboardErrorCode = {
  /** The Kiln API could not be reached (connection refused, reset, DNS) or broke off mid-response. */
  KILN_ERR_DASHBOARD_UPSTREAM: { status: 502 },
  /** The Kiln API did not answer within the proxy timeout. */
  KILN_ERR_DASHBOARD_UPSTREAM_TIMEOUT: { status: 504 },
  /** A proxied path tried to leave the API base path (`..` segments). */
  KILN_ERR_DASHBOARD_BAD_PATH: { status: 400 },
  /** No static file or route at this path. */
  KILN_ERR_DASHBOARD_NOT_FOUND: { status: 404 },
  /** The request could not be read (body too large, malformed). */
  KILN_ERR_DASHBOARD_BAD_REQUEST: { status: 400 },
  /** Any other failure inside the dashboard server. */
  KILN_ERR_DASHBOARD_INTERNAL: { status: 500 },
} as const satisfies Record<string, { status: number }>;

export type DashboardErrorCode = keyof typeof DashboardErrorCode;

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: DashboardErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
