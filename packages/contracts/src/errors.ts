/**
 * Kiln's error codes are data: each has an HTTP status (where it crosses the API), whether a
 * retry can help, and a description. docs/errors.md lists the same table; a test keeps them equal.
 */
export const errorCodes = {
  KILN_ERR_VALIDATION: { status: 400, retryable: false, description: 'A request field is missing or invalid; `details.issues` names each field.' },
  KILN_ERR_MEDIA_TYPE: { status: 415, retryable: false, description: 'The request body has a content type this operation does not accept.' },
  KILN_ERR_BODY_TOO_LARGE: { status: 413, retryable: false, description: 'The request body is larger than the configured limit.' },
  KILN_ERR_UNAUTHENTICATED: {
    status: 401,
    retryable: false,
    description: 'No API key, or one that is unknown or revoked: send `Authorization: Bearer <key>` (the dashboard: log in).',
  },
  KILN_ERR_FORBIDDEN: { status: 403, retryable: false, description: "The API key's scopes do not allow this operation (read, submit, admin)." },
  KILN_ERR_CSRF: { status: 403, retryable: false, description: "The dashboard session's CSRF token is missing or wrong (reload the page)." },
  KILN_ERR_RATE_LIMITED: { status: 429, retryable: true, description: 'Too many requests for this API key; `retry-after` says when to try again.' },
  KILN_ERR_HEADERS_TOO_LARGE: { status: 431, retryable: false, description: 'The request headers are larger than the server accepts.' },
  KILN_ERR_RESOURCE_LIMIT: {
    status: 400,
    retryable: false,
    description: "The job would need more memory or time than a worker has (e.g. a model too large for the training worker's budget); `details` says how much.",
  },
  KILN_ERR_DATASET_TOO_SMALL: {
    status: 400,
    retryable: false,
    description: 'Too few users or interactions to split into training, validation and test (leave-one-out needs users with at least 3 items).',
  },
  KILN_ERR_QUBO_RANGE: {
    status: 400,
    retryable: false,
    description: 'A QUBO coefficient is too large in magnitude (energies and temperatures would overflow); `details` says the limit.',
  },
  KILN_ERR_NOT_FOUND: { status: 404, retryable: false, description: 'The named resource (job, dataset, model, problem, queue) does not exist.' },
  KILN_ERR_CONFLICT: { status: 409, retryable: false, description: 'The operation does not fit the resource state (e.g. retrying a running job).' },
  KILN_ERR_IDEMPOTENCY_CONFLICT: { status: 409, retryable: false, description: 'The Idempotency-Key was already used for a job with another kind or payload.' },
  KILN_ERR_IN_USE: {
    status: 409,
    retryable: false,
    description:
      'The resource cannot be deleted while something uses it (a model trained on the dataset, an unfinished job); `details.models` and `details.jobs` name them.',
  },
  KILN_ERR_DATASET_PARSE: {
    status: 400,
    retryable: false,
    description: 'A row of an uploaded interaction log is malformed; `details.line` names it. Nothing was stored.',
  },
  KILN_ERR_DATASET_EMPTY: { status: 400, retryable: false, description: 'No interactions are left after parsing and k-core filtering.' },
  KILN_ERR_QUBO_PARSE: { status: 400, retryable: false, description: 'An uploaded QUBO or graph file is malformed; `details.line` names the line.' },
  KILN_ERR_QUBO_INDEX: { status: 400, retryable: false, description: 'A QUBO term refers to a variable outside 0..n-1.' },
  KILN_ERR_QUBO_NONFINITE: { status: 400, retryable: false, description: 'A QUBO weight or offset is NaN or infinite.' },
  KILN_ERR_QUBO_TOO_LARGE: { status: 400, retryable: false, description: 'The QUBO has more variables or terms than the configured limit.' },
  KILN_ERR_DATASET_UNKNOWN: { status: 404, retryable: false, description: 'A job names a dataset that does not exist.' },
  KILN_ERR_MODEL_UNKNOWN: { status: 404, retryable: false, description: 'A job names a model that does not exist.' },
  KILN_ERR_ITEM_UNKNOWN: {
    status: 400,
    retryable: false,
    description:
      "An online event names an item the model's dataset does not have; `details.field` names the first (`items[i]`), `details.unknown` lists them. Nothing was applied.",
  },
  KILN_ERR_PROBLEM_UNKNOWN: { status: 404, retryable: false, description: 'A job names a QUBO problem that does not exist.' },
  KILN_ERR_PAYLOAD_INVALID: {
    status: 400,
    retryable: false,
    description: 'A job payload failed the catalog schema (at the API, or again at the worker, where it is fatal).',
  },
  KILN_ERR_MODEL_NONFINITE: { status: 500, retryable: false, description: 'Training produced NaN or Inf weights or loss.' },
  KILN_ERR_JOB_CANCELLED: { status: 409, retryable: false, description: 'The job was cancelled by a user before it finished.' },
  KILN_ERR_UNAVAILABLE: { status: 503, retryable: true, description: 'Redis or Postgres is not reachable; the operation can be retried.' },
  KILN_ERR_TIMEOUT: { status: 504, retryable: false, description: 'The job exceeded its time limit (not retried: it would likely time out again).' },
  KILN_ERR_INTERNAL: { status: 500, retryable: true, description: 'An unexpected error; the job is retried with backoff up to its attempts.' },
  KILN_ERR_DASHBOARD_UPSTREAM: { status: 502, retryable: true, description: 'The dashboard could not reach the Kiln API.' },
  KILN_ERR_WEBHOOK_URL: {
    status: 400,
    retryable: false,
    description:
      'A webhook or callback URL is refused: not http(s), or a private, loopback or link-local address the API is set not to call (KILN_WEBHOOK_PRIVATE).',
  },
} as const satisfies Record<string, { status: number; retryable: boolean; description: string }>;

export type ErrorCode = keyof typeof errorCodes;

export interface AppErrorOptions {
  details?: unknown;
  cause?: unknown;
  retryable?: boolean;
}

/** The one error type Kiln throws on purpose. Classify by `code`, never by `instanceof` alone. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: unknown;
  readonly status: number;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? errorCodes[code].retryable;
    this.details = options.details;
    this.status = errorCodes[code].status;
  }

  toJSON(): { code: ErrorCode; message: string; details?: unknown } {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCodes, value);
}

/** The code of any error-like value: an AppError, or an error from another layer that carries a Kiln code. */
export function errorCodeOf(error: unknown): ErrorCode | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return isErrorCode(code) ? code : undefined;
}

const unavailableCodes = new Set([
  // The network: the server is down, restarting, or the connection dropped.
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  // Postgres: shutting down (admin, crash, fast), cannot connect now, too many connections.
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08006',
  // Prisma: cannot reach the server, the server closed the connection, the pool timed out.
  'P1001',
  'P1002',
  'P1017',
  'P2024',
]);
const unavailableMessage =
  /Connection is closed|Connection terminated|terminating connection|the database system is (shutting down|starting up|in recovery mode)|Stream isn't writeable|max retries per request|Can't reach database server|Client has encountered a connection error/i;

/**
 * True when an error says a store (Postgres, Redis) is unreachable right now rather than that the
 * work is wrong: the work should wait and go again, not spend an attempt or fail the request.
 */
export function isUnavailableError(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | null, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && unavailableCodes.has(e.code)) return true;
    if (typeof e.message === 'string' && unavailableMessage.test(e.message)) return true;
    // Prisma's driver adapter wraps the pg error: its original code sits in `meta`.
    const meta = (e as { meta?: { driverAdapterError?: { cause?: { originalCode?: string; kind?: string } } } }).meta;
    const original = meta?.driverAdapterError?.cause;
    if (original && ((original.originalCode && unavailableCodes.has(original.originalCode)) || original.kind === 'DatabaseNotReachable')) return true;
  }
  return false;
}
