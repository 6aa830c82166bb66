import { QuboValidationError } from './errors.js';
import type { QuboInput, QuboProblem } from './types.js';
import { type ValidateOptions, validateAndBuild } from './validate.js';

/** Parses the JSON form `{ "n": 3, "terms": [[0, 1, -2], { "i": 2, "j": 2, "w": 1 }], "offset": 0 }` (text or an already-parsed object). */
export function parseQuboJson(input: string | QuboInput, options: ValidateOptions = {}): QuboProblem {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      const message = (error as Error).message;
      const pos = /position (\d+)/.exec(message);
      const line = pos ? input.slice(0, Number(pos[1])).split('\n').length : undefined;
      throw new QuboValidationError(
        'KILN_ERR_QUBO_PARSE',
        `QUBO JSON does not parse${line === undefined ? '' : ` (line ${line})`}: ${message}`,
        line === undefined ? {} : { line },
      );
    }
  }
  return validateAndBuild(value as QuboInput, options);
}
