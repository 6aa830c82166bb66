import { readSymmetricEntries } from './read-symmetric-entries.js';
import { LineReader, textLines } from './text-lines.js';
import type { QuboProblem } from './types.js';
import type { ValidateOptions } from './validate.js';

/**
 * Parses a Biq Mac `.sparse` QUBO: optional `#` comment lines, header `n m`, then m lines `i j q`
 * (1-based). The objective is MINIMISE xᵀQx with Q symmetric: an entry (i,j), i ≠ j, also sets
 * (j,i), so it contributes 2·q·x_i·x_j; a diagonal entry contributes q·x_i. List each pair once
 * (entries that repeat a pair add up). Result: kind 'qubo', sense 'min'.
 */
export function parseBiqMacSparse(text: string, options: ValidateOptions = {}): QuboProblem {
  const r = new LineReader(textLines(text, ['#']), 'sparse');
  const { n, terms } = readSymmetricEntries(r, 'sparse', 'header "n m"', 'm', 1, options);
  r.end();
  return { n, terms, offset: 0, kind: 'qubo', sense: 'min' };
}
