import { z } from 'zod';
import { type ErrorCode, errorCodes } from './errors.js';

/** One field that failed validation: `field` is its dotted path in the request (`payload.training.lr`, `query.limit`). */
export const ValidationIssue = z.object({ field: z.string(), message: z.string() });

/** The body of every error the API (and the dashboard) returns; docs/errors.md lists the codes. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z.unknown().optional().describe('Validation errors: `{ issues: [{ field, message }] }`; parse errors: `{ line }`; others vary.'),
    }),
  })
  .meta({ id: 'Error', description: 'An error: `{ error: { code, message, details? } }`.' });
export type ErrorBody = z.infer<typeof ErrorBody>;
