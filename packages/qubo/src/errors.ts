export type QuboErrorCode = 'KILN_ERR_QUBO_INDEX' | 'KILN_ERR_QUBO_NONFINITE' | 'KILN_ERR_QUBO_TOO_LARGE' | 'KILN_ERR_QUBO_PARSE' | 'KILN_ERR_QUBO_RANGE';

/** Where a validation error was found: the 1-based `line` of a text file, the 0-based `term` of a term list, the `field` name. */
export interface QuboErrorDetails {
  line?: number;
  term?: number;
  field?: string;
  [key: string]: unknown;
}

/**
 * A QUBO or graph input that cannot be accepted (malformed, out of range, non-finite, too large).
 * Classify it by `name`/`code`: it may cross a thread boundary, where `instanceof` fails.
 */
export class QuboValidationError extends Error {
  override readonly name = 'QuboValidationError';
  readonly code: QuboErrorCode;
  readonly details: QuboErrorDetails;

  constructor(code: QuboErrorCode, message: string, details: QuboErrorDetails = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

export function isQuboValidationError(error: unknown): error is QuboValidationError {
  return (error as { name?: unknown } | null)?.name === 'QuboValidationError';
}
