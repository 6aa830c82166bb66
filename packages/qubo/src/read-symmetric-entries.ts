import { checkSize } from './limits.js';
import type { LineReader } from './text-lines.js';
import type { QuboProblem } from './types.js';
import type { ValidateOptions } from './validate.js';

/**
 * Reads one symmetric-matrix QUBO block shared by the bqp and Biq Mac `.sparse` formats: a header
 * `n count`, then `count` lines `i j q` (1-based) of a symmetric Q listed once per pair, so an
 * off-diagonal entry stands for q_ij and q_ji. Energy terms are `sign`·q on the diagonal and
 * `sign`·2q off it (sign −1 turns a maximisation into Kiln's minimisation).
 */
export function readSymmetricEntries(
  r: LineReader,
  format: string,
  header: string,
  countName: string,
  sign: 1 | -1,
  options: ValidateOptions,
): Pick<QuboProblem, 'n' | 'terms'> {
  const head = r.next(header, 2);
  const n = r.int(head, 0, 'n', 1, Number.MAX_SAFE_INTEGER);
  const count = r.int(head, 1, countName, 0, Number.MAX_SAFE_INTEGER);
  checkSize(format, n, count, head.line, options);
  const terms = { i: new Int32Array(count), j: new Int32Array(count), w: new Float64Array(count) };
  for (let k = 0; k < count; k++) {
    const l = r.next('entry "i j q"', 3);
    const i = r.int(l, 0, 'i', 1, n, true) - 1;
    const j = r.int(l, 1, 'j', 1, n, true) - 1;
    const q = r.num(l, 2, 'q');
    terms.i[k] = i;
    terms.j[k] = j;
    terms.w[k] = sign * (i === j ? q : 2 * q);
  }
  return { n, terms };
}
