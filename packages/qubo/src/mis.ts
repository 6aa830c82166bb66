import { assertPositive } from './assert.js';
import type { Graph, QuboProblem } from './types.js';

export interface MisQuboOptions {
  /** Reward per chosen vertex: Q_ii = −wDiag (default 1). */
  wDiag?: number;
  /** Penalty per edge with both ends chosen (default 8); must exceed 2·wDiag. */
  wOff?: number;
}

/**
 * Maximum independent set as a QUBO to minimise (Intel's Loihi penalty form): Q_ii = −wDiag for each
 * vertex, and each edge adds wOff·x_u·x_v in total (Q_uv = Q_vu = wOff/2). With wOff > 2·wDiag every
 * single-flip local minimum is a maximal independent set, and energy = −wDiag·|S| there.
 * Edge weights are ignored; self-loops are dropped.
 */
export function misQubo(graph: Graph, options: MisQuboOptions = {}): QuboProblem {
  const wDiag = options.wDiag ?? 1;
  const wOff = options.wOff ?? 8;
  assertPositive(wDiag, 'wDiag');
  assertPositive(wOff, 'wOff');
  if (!(wOff > 2 * wDiag)) throw new RangeError(`misQubo: wOff (${wOff}) must exceed 2·wDiag (${2 * wDiag})`);
  const { n } = graph;
  const { u, v } = graph.edges;
  let m = 0;
  for (let k = 0; k < u.length; k++) if (u[k] !== v[k]) m++;
  const ti = new Int32Array(m + n);
  const tj = new Int32Array(m + n);
  const tw = new Float64Array(m + n);
  let t = 0;
  for (let k = 0; k < u.length; k++) {
    if (u[k] === v[k]) continue;
    ti[t] = u[k] as number;
    tj[t] = v[k] as number;
    tw[t] = wOff;
    t++;
  }
  for (let i = 0; i < n; i++, t++) {
    ti[t] = i;
    tj[t] = i;
    tw[t] = -wDiag;
  }
  return { n, terms: { i: ti, j: tj, w: tw }, offset: 0, kind: 'mis', sense: 'max', graph };
}
