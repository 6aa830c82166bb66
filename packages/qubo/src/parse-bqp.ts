import { checkSize } from './limits.js';
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
    const ph = r.next(`header "n nnz" of problem ${p}`, 2);
    const n = r.int(ph, 0, 'n', 1, Number.MAX_SAFE_INTEGER);
    const nnz = r.int(ph, 1, 'nnz', 0, Number.MAX_SAFE_INTEGER);
    checkSize('bqp', n, nnz, ph.line, options);
    const ti = new Int32Array(nnz);
    const tj = new Int32Array(nnz);
    const tw = new Float64Array(nnz);
    for (let k = 0; k < nnz; k++) {
      const l = r.next('entry "i j q"', 3);
      const i = r.int(l, 0, 'i', 1, n, true) - 1;
      const j = r.int(l, 1, 'j', 1, n, true) - 1;
      const q = r.num(l, 2, 'q');
      ti[k] = i;
      tj[k] = j;
      tw[k] = i === j ? -q : -2 * q;
    }
    out.push({ problem: { n, terms: { i: ti, j: tj, w: tw }, offset: 0, kind: 'qubo', sense: 'max' }, index: p });
  }
  r.end();
  return out;
}
