import { QuboValidationError } from './errors.js';
import type { Graph } from './types.js';

/** Builds a Graph from 0-based edges `[u, v]` (weight 1) or `[u, v, w]`. Throws QuboValidationError on a bad vertex or weight. */
export function graphFromEdges(n: number, edges: ReadonlyArray<readonly [number, number] | readonly [number, number, number]>): Graph {
  if (!Number.isInteger(n) || n < 1) throw new QuboValidationError('KILN_ERR_QUBO_PARSE', `n must be a positive integer, got ${n}`, { field: 'n' });
  const m = edges.length;
  const u = new Int32Array(m);
  const v = new Int32Array(m);
  const w = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const e = edges[k] as readonly number[];
    const a = e[0] as number;
    const b = e[1] as number;
    const wt = e[2] ?? 1;
    for (const [field, x] of [
      ['u', a],
      ['v', b],
    ] as const) {
      if (!Number.isInteger(x) || x < 0 || x >= n) {
        throw new QuboValidationError('KILN_ERR_QUBO_INDEX', `edge ${k}: ${field} = ${x} is not a vertex in 0..${n - 1}`, { term: k, field });
      }
    }
    if (!Number.isFinite(wt)) throw new QuboValidationError('KILN_ERR_QUBO_NONFINITE', `edge ${k}: weight ${wt} is not finite`, { term: k, field: 'w' });
    u[k] = a;
    v[k] = b;
    w[k] = wt;
  }
  return { n, edges: { u, v, w } };
}

/** Adjacency lists (CSR, both directions, self-loops dropped, parallel edges kept). */
export function adjacency(graph: Graph): { ptr: Int32Array; adj: Int32Array } {
  const { n } = graph;
  const { u, v } = graph.edges;
  const deg = new Int32Array(n + 1);
  for (let k = 0; k < u.length; k++) {
    const a = u[k] as number;
    const b = v[k] as number;
    if (a === b) continue;
    deg[a + 1] = (deg[a + 1] as number) + 1;
    deg[b + 1] = (deg[b + 1] as number) + 1;
  }
  for (let i = 0; i < n; i++) deg[i + 1] = (deg[i + 1] as number) + (deg[i] as number);
  const ptr = deg;
  const fill = ptr.slice(0, n);
  const adj = new Int32Array(ptr[n] as number);
  for (let k = 0; k < u.length; k++) {
    const a = u[k] as number;
    const b = v[k] as number;
    if (a === b) continue;
    const pa = fill[a] as number;
    fill[a] = pa + 1;
    adj[pa] = b;
    const pb = fill[b] as number;
    fill[b] = pb + 1;
    adj[pb] = a;
  }
  return { ptr, adj };
}
