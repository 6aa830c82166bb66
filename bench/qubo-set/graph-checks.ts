/**
 * Structural checks on generated graphs, shared by the QUBO set's tests: simple and sorted,
 * degrees, connectivity, and a planarity certificate for rudy's stacked triangulations.
 */
import type { EdgeList } from './families.js';

/** Throws unless every edge has 0 ≤ u < v < n and the edges are strictly increasing in (u, v) (so no repeats). */
export function assertSimpleSorted(g: EdgeList): void {
  for (let k = 0; k < g.u.length; k++) {
    const u = g.u[k]!;
    const v = g.v[k]!;
    if (!(u >= 0 && u < v && v < g.n)) throw new Error(`edge ${k} = (${u}, ${v}) is not 0 ≤ u < v < ${g.n}`);
    if (k > 0 && (g.u[k - 1]! > u || (g.u[k - 1] === u && g.v[k - 1]! >= v))) throw new Error(`edge ${k} = (${u}, ${v}) is out of order or repeated`);
  }
}

export function degrees(g: EdgeList): Int32Array {
  const d = new Int32Array(g.n);
  for (let k = 0; k < g.u.length; k++) {
    d[g.u[k]!]!++;
    d[g.v[k]!]!++;
  }
  return d;
}

function adjacency(g: EdgeList): Array<Set<number>> {
  const adj = Array.from({ length: g.n }, () => new Set<number>());
  for (let k = 0; k < g.u.length; k++) {
    adj[g.u[k]!]!.add(g.v[k]!);
    adj[g.v[k]!]!.add(g.u[k]!);
  }
  return adj;
}

/** Whether every vertex is reachable from vertex 0. */
export function isConnected(g: EdgeList): boolean {
  const adj = adjacency(g);
  const seen = new Uint8Array(g.n);
  const stack = [0];
  seen[0] = 1;
  let reached = 1;
  while (stack.length > 0) {
    const x = stack.pop()!;
    for (const y of adj[x]!) {
      if (seen[y]) continue;
      seen[y] = 1;
      reached++;
      stack.push(y);
    }
  }
  return reached === g.n;
}

/**
 * Whether g is a stacked triangulation grown from the triangle 0-1-2 (so planar): peel vertices
 * other than 0, 1, 2 of degree 3 whose neighbours are pairwise adjacent until only the triangle is
 * left, and no triangle is the neighbourhood of two peeled vertices. Read backwards, the peeling
 * inserts each vertex into a triangle that received no vertex before; in a stacked triangulation
 * such a triangle is a face (a separating triangle got the first vertex inside it), so every
 * insertion keeps the graph planar.
 */
export function isStackedTriangulation(g: EdgeList): boolean {
  if (g.n < 3) return false;
  const adj = adjacency(g);
  const alive = new Uint8Array(g.n).fill(1);
  const used = new Set<string>();
  const queue: number[] = [];
  for (let x = 3; x < g.n; x++) if (adj[x]!.size === 3) queue.push(x);
  let left = g.n;
  while (queue.length > 0) {
    const x = queue.pop()!;
    if (!alive[x] || adj[x]!.size !== 3) continue;
    const [a, b, c] = [...adj[x]!] as [number, number, number];
    if (!(adj[a]!.has(b) && adj[a]!.has(c) && adj[b]!.has(c))) continue;
    const key = [a, b, c].sort((p, q) => p - q).join(',');
    if (used.has(key)) return false;
    used.add(key);
    alive[x] = 0;
    left--;
    for (const y of [a, b, c]) {
      adj[y]!.delete(x);
      if (y >= 3 && adj[y]!.size === 3) queue.push(y);
    }
    adj[x]!.clear();
  }
  return left === 3 && adj[0]!.has(1) && adj[0]!.has(2) && adj[1]!.has(2) && adj[0]!.size === 2 && adj[1]!.size === 2 && adj[2]!.size === 2;
}

/** Whether every edge of `sub` is an edge of `g`. */
export function isSubgraph(sub: EdgeList, g: EdgeList): boolean {
  const keys = new Set<number>();
  for (let k = 0; k < g.u.length; k++) keys.add(g.u[k]! * g.n + g.v[k]!);
  for (let k = 0; k < sub.u.length; k++) if (!keys.has(sub.u[k]! * g.n + sub.v[k]!)) return false;
  return sub.n === g.n;
}
