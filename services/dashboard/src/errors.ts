import { type ErrorCode, errorCodes } from '@kiln/contracts';

/**
 * The dashboard answers with the same error envelope and the same code table as the API
 * (`@kiln/contracts` errorCodes, listed in docs/errors.md). Codes it produces itself:
 * - KILN_ERR_UNAUTHENTICATED (401): no session (or a wrong key at login).
 * - KILN_ERR_CSRF (403): a state-changing request without the session's x-csrf-token, or from another origin.
 * - KILN_ERR_FORBIDDEN (403): a viewer (read-only key) tried to change something.
 * - KILN_ERR_DASHBOARD_UPSTREAM (502): the Kiln API is unreachable, broke off, or timed out.
 * - KILN_ERR_UNAVAILABLE (503): the session store (Redis) is unreachable.
 * - KILN_ERR_VALIDATION (400): a proxied path that is not plain (`//`, `..`, encoded slashes or backslashes, control characters), or a malformed request.
 * - KILN_ERR_NOT_FOUND (404): no such file or route, or a path the proxy does not forward (only /api/v1/… and /api/healthz).
 * - KILN_ERR_BODY_TOO_LARGE (413): a proxied body over the limit.
 * - KILN_ERR_INTERNAL (500): anything else.
 * Every other error under `/api/*` is the API's own response, passed through unchanged.
 */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** The HTTP status of a code, from the shared table. */
export function statusOf(code: ErrorCode): number {
  return errorCodes[code].status;
}
