import type { Graph, QuboProblem } from './types.js';

/**
 * Max-Cut as a QUBO to minimise: Σ_edges w_uv (2 x_u x_v − x_u − x_v), so cut(x) = −energy(x).
 * Terms: one (u, v, 2w) per edge, then one merged diagonal term per vertex. Self-loops never cut: dropped.
 */
export function maxCutQubo(graph: Graph): QuboProblem {
  const { n } = graph;
  const { u, v, w } = graph.edges;
  const diag = new Float64Array(n);
  let m = 0;
  for (let k = 0; k < u.length; k++) if (u[k] !== v[k]) m++;
  const ti = new Int32Array(m + n);
  const tj = new Int32Array(m + n);
  const tw = new Float64Array(m + n);
  let t = 0;
  for (let k = 0; k < u.length; k++) {
    const a = u[k] as number;
    const b = v[k] as number;
    if (a === b) continue;
    const wt = w[k] as number;
    ti[t] = a;
    tj[t] = b;
    tw[t] = 2 * wt;
    t++;
    diag[a] = (diag[a] as number) - wt;
    diag[b] = (diag[b] as number) - wt;
  }
  for (let i = 0; i < n; i++, t++) {
    ti[t] = i;
    tj[t] = i;
    tw[t] = diag[i] as number;
  }
  return { n, terms: { i: ti, j: tj, w: tw }, offset: 0, kind: 'maxcut', sense: 'max', graph };
}

/** The cut of a 0/1 assignment: the summed weight of edges with exactly one end in {i : x_i = 1}. */
export function cutValue(graph: Graph, x: Uint8Array): number {
  const { u, v, w } = graph.edges;
  let cut = 0;
  for (let k = 0; k < u.length; k++) if (x[u[k] as number] !== x[v[k] as number]) cut += w[k] as number;
  return cut;
}
