import { checkSize } from './limits.js';
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
  const head = r.next('header "n m"', 2);
  const n = r.int(head, 0, 'n', 1, Number.MAX_SAFE_INTEGER);
  const m = r.int(head, 1, 'm', 0, Number.MAX_SAFE_INTEGER);
  checkSize('sparse', n, m, head.line, options);
  const ti = new Int32Array(m);
  const tj = new Int32Array(m);
  const tw = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const l = r.next('entry "i j q"', 3);
    const i = r.int(l, 0, 'i', 1, n, true) - 1;
    const j = r.int(l, 1, 'j', 1, n, true) - 1;
    const q = r.num(l, 2, 'q');
    ti[k] = i;
    tj[k] = j;
    tw[k] = i === j ? q : 2 * q;
  }
  r.end();
  return { n, terms: { i: ti, j: tj, w: tw }, offset: 0, kind: 'qubo', sense: 'min' };
}
