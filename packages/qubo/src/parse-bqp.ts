import { readSymmetricEntries } from './read-symmetric-entries.js';
import { LineReader, textLines } from './text-lines.js';
import type { QuboProblem } from './types.js';
import type { ValidateOptions } from './validate.js';

/**
 * Parses an OR-Library bqp file (Beasley): line 1 = number of problems; each problem is `n nnz`
 * then nnz lines `i j q` (1-based, upper triangle with diagonal). The file's objective is
 * MAXIMISE f(x) = Σ_i q_ii x_i + 2 Σ_{i<j} q_ij x_i x_j: an off-diagonal entry given once counts twice.
 * Each problem becomes a minimisation with energy = −f (terms (i,i,−q_ii) and (i,j,−2q_ij)) and
 * `sense: 'max'`, so `evaluate(p, x).value` = f(x). `index` is the 1-based position in the file
 * (instance name `<file stem>-<index>`).
 */
export function parseBqp(text: string, options: ValidateOptions = {}): Array<{ problem: QuboProblem; index: number }> {
  const r = new LineReader(textLines(text), 'bqp');
  const head = r.next('the number of problems', 1);
  const count = r.int(head, 0, 'count', 1, 1_000_000);
  const out: Array<{ problem: QuboProblem; index: number }> = [];
  for (let p = 1; p <= count; p++) {
    const { n, terms } = readSymmetricEntries(r, 'bqp', `header "n nnz" of problem ${p}`, 'nnz', -1, options);
    out.push({ problem: { n, terms, offset: 0, kind: 'qubo', sense: 'max' }, index: p });
  }
  r.end();
  return out;
}
