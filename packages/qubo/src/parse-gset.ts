import { checkSize } from './limits.js';
import { LineReader, textLines } from './text-lines.js';
import type { Graph } from './types.js';
import type { ValidateOptions } from './validate.js';

/**
 * Parses a G-set / rudy graph: line 1 `n m`, then m lines `i j w` (1-based vertices, undirected).
 * CRLF line ends and trailing blanks are fine. Returns 0-based edges. Bad input throws
 * QuboValidationError naming the 1-based line (KILN_ERR_QUBO_PARSE; KILN_ERR_QUBO_INDEX for a vertex
 * outside 1..n; KILN_ERR_QUBO_NONFINITE for an infinite weight; KILN_ERR_QUBO_TOO_LARGE over the limits).
 */
export function parseGset(text: string, options: ValidateOptions = {}): Graph {
  const r = new LineReader(textLines(text, ['#']), 'gset');
  const head = r.next('header "n m"', 2);
  const n = r.int(head, 0, 'n', 1, Number.MAX_SAFE_INTEGER);
  const m = r.int(head, 1, 'm', 0, Number.MAX_SAFE_INTEGER);
  checkSize('gset', n, m, head.line, options);
  const u = new Int32Array(m);
  const v = new Int32Array(m);
  const w = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const l = r.next('edge "i j w"', 3);
    u[k] = r.int(l, 0, 'i', 1, n, true) - 1;
    v[k] = r.int(l, 1, 'j', 1, n, true) - 1;
    w[k] = r.num(l, 2, 'w');
  }
  r.end();
  return { n, edges: { u, v, w } };
}
