import { ErrorBody, type ErrorCode, errorCodes } from '@kiln/contracts';
import { z } from 'zod';

/** An ISO-8601 timestamp (the API sends dates as strings). */
export const Timestamp = z.iso.datetime({ offset: true });
export const iso = (d: Date): string => d.toISOString();
export const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** A resource id in a path. */
export const IdParams = z.object({ id: z.string().min(1).max(100) });

/** The responses an operation can fail with, each `{ error: { code, message, details? } }`. */
const errorDescriptions: Record<number, string> = {
  400: 'Invalid input: `details.issues` names each field.',
  401: 'No API key, or an unknown or revoked one.',
  403: "The key's scopes do not allow this operation.",
  429: 'Too many requests for this key: retry after `retry-after` seconds.',
  404: 'The named resource does not exist.',
  409: 'Conflicts with the resource state or an earlier request under the same Idempotency-Key.',
  413: 'The body is larger than the configured limit.',
  415: 'The content type is not accepted.',
  500: 'An unexpected error.',
  502: 'The upstream answered badly.',
  503: 'Redis or Postgres is not reachable: retry later.',
};

/**
 * An authenticated operation's error responses: these statuses, and 400 (a malformed URL or
 * parameter can reach any route), 401, 403, 429, 500, 503 always. POST routes also get 413 and
 * 415 (app.ts adds them: every body can be too large or of the wrong type).
 */
export function errorResponses<S extends number>(...statuses: S[]): Record<S, typeof ErrorBody> {
  return responsesFor([...statuses, 400, 401, 403, 429, 500, 503] as S[]);
}

/** A public operation's (health, readiness, metrics): 400 (a malformed URL), 500 and 503. */
export function publicErrorResponses(): Record<400 | 500 | 503, typeof ErrorBody> {
  return responsesFor([400, 500, 503]);
}

/** The error responses every operation that reads a body may answer. */
export const bodyErrorResponses = (): Record<413 | 415, typeof ErrorBody> => responsesFor([413, 415]);

function responsesFor<S extends number>(statuses: S[]): Record<S, typeof ErrorBody> {
  const out = {} as Record<S, typeof ErrorBody>;
  for (const s of [...new Set(statuses)].sort((a, b) => a - b)) out[s] = ErrorBody.describe(errorDescriptions[s] ?? 'An error.') as typeof ErrorBody;
  return out;
}

/** The statuses the codes map to (a test checks that every code's status is declared where it can occur). */
export const statusOf = (code: ErrorCode): number => errorCodes[code].status;
