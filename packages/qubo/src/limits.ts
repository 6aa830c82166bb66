import { QuboValidationError } from './errors.js';
import { DEFAULT_MAX_N, DEFAULT_MAX_TERMS, type ValidateOptions } from './validate.js';

/** Applies the size limits to a parsed header (n variables, m entries) before anything is allocated. */
export function checkSize(what: string, n: number, m: number, line: number, options: ValidateOptions): void {
  const maxN = options.maxN ?? DEFAULT_MAX_N;
  const maxTerms = options.maxTerms ?? DEFAULT_MAX_TERMS;
  if (n > maxN)
    throw new QuboValidationError('KILN_ERR_QUBO_TOO_LARGE', `${what} line ${line}: n = ${n} exceeds the limit of ${maxN} variables`, {
      line,
      field: 'n',
      limit: maxN,
    });
  if (m > maxTerms)
    throw new QuboValidationError('KILN_ERR_QUBO_TOO_LARGE', `${what} line ${line}: ${m} entries exceed the limit of ${maxTerms}`, {
      line,
      field: 'm',
      limit: maxTerms,
    });
}
