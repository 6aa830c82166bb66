import { AppError, errorCodeOf, errorCodes, isUnavailableError } from '@kiln/contracts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { drainRequest } from './read-body.js';

type Issue = { field: string; message: string };
const prefixOf: Record<string, string> = { body: '', querystring: 'query', params: 'params', headers: 'headers' };

function issuesError(issues: Issue[], prefix: string, code: 'KILN_ERR_VALIDATION' | 'KILN_ERR_PAYLOAD_INVALID'): AppError {
  const summary = issues.map((i) => `${i.field || '(body)'}: ${i.message}`).join('; ');
  return new AppError(code, `invalid ${prefix || 'request'}: ${summary}`, { details: { issues } });
}

const join = (prefix: string, path: readonly PropertyKey[]) => [prefix, ...path.map(String)].filter(Boolean).join('.');

/** A zod failure as a 400 naming each field (`prefix` is where the parsed value sits in the request). */
export function validationError(error: z.ZodError, prefix: string, code: 'KILN_ERR_VALIDATION' | 'KILN_ERR_PAYLOAD_INVALID' = 'KILN_ERR_VALIDATION'): AppError {
  return issuesError(
    error.issues.map((i) => ({ field: join(prefix, i.path), message: i.message })),
    prefix,
    code,
  );
}

/** Fastify's schema validation failed (the zod type provider): the same 400, naming each field; payload fields get KILN_ERR_PAYLOAD_INVALID. */
function requestValidationError(error: FastifyError): AppError {
  const prefix = prefixOf[error.validationContext ?? 'body'] ?? '';
  const issues = (error.validation ?? []).map((v) => ({
    field: join(prefix, v.instancePath.split('/').filter(Boolean)),
    message: v.message ?? 'invalid',
  }));
  const inPayload = (field: string) => field.split('.').includes('payload');
  const code = prefix === '' && issues.length > 0 && issues.every((i) => inPayload(i.field)) ? 'KILN_ERR_PAYLOAD_INVALID' : 'KILN_ERR_VALIDATION';
  return issuesError(issues, prefix, code);
}

/** Fastify's error handler: every error leaves as `{ error: { code, message, details? } }`. */
export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const fe = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(error)) error = requestValidationError(fe);
  const code = errorCodeOf(error);
  if (code === 'KILN_ERR_BODY_TOO_LARGE') {
    // The client may still be sending: answer, then drain (a capped amount) and close, so it reads the 413 instead of a reset.
    void reply.header('connection', 'close');
    drainRequest(request.raw);
  }
  if (code) {
    const e = error as AppError;
    const status = errorCodes[code].status;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    void reply.status(status).send({ error: { code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) } });
    return;
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    void reply.header('connection', 'close');
    drainRequest(request.raw);
    void reply.status(413).send({ error: { code: 'KILN_ERR_BODY_TOO_LARGE', message: fe.message } });
    return;
  }
  if (fe.statusCode === 415) {
    void reply.status(415).send({ error: { code: 'KILN_ERR_MEDIA_TYPE', message: fe.message } });
    return;
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    void reply.status(400).send({ error: { code: 'KILN_ERR_VALIDATION', message: fe.message } });
    return;
  }
  if (isUnavailableError(error)) {
    request.log.error({ err: error }, 'dependency unavailable');
    void reply.status(503).send({ error: { code: 'KILN_ERR_UNAVAILABLE', message: 'Redis or Postgres is not reachable; retry later' } });
    return;
  }
  request.log.error({ err: error }, 'unexpected error');
  void reply.status(500).send({ error: { code: 'KILN_ERR_INTERNAL', message: 'internal error' } });
}
