/**
 * Text forms the existing parsers read (@kiln/qubo's parseGset and parseBqp): rudy/G-set graphs
 * (`n m`, then `i j w`, 1-based) and OR-Library bqp files (the number of problems, then per
 * problem `n nnz` and `i j q`, 1-based, i ≤ j). LF line ends, no trailing blanks: the G-set's
 * CRLF and trailing spaces come from its distribution, not from rudy, and the parsers take both.
 */
import type { BqpMatrix, EdgeList } from './families.js';

/** A rudy/G-set file: header `n m`, then one `i j w` line per edge (1-based, i < j). */
export function gsetText(g: EdgeList, w: Int8Array): string {
  const m = g.u.length;
  if (g.v.length !== m || w.length !== m) throw new RangeError(`gsetText: ${m} edges but ${g.v.length} ends and ${w.length} weights`);
  const lines = new Array<string>(m + 1);
  lines[0] = `${g.n} ${m}`;
  for (let k = 0; k < m; k++) lines[k + 1] = `${g.u[k]! + 1} ${g.v[k]! + 1} ${w[k]!}`;
  return `${lines.join('\n')}\n`;
}

/** An OR-Library bqp file holding `problems` in order (instance `<stem>-<k>` is the k-th, 1-based). */
export function bqpText(problems: readonly BqpMatrix[]): string {
  const lines: string[] = [String(problems.length)];
  for (const p of problems) {
    lines.push(`${p.n} ${p.q.length}`);
    for (let k = 0; k < p.q.length; k++) lines.push(`${p.i[k]! + 1} ${p.j[k]! + 1} ${p.q[k]!}`);
  }
  return `${lines.join('\n')}\n`;
}
