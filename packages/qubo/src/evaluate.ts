import { assertBinaryVector } from './assert.js';
import { energy } from './energy.js';
import { adjacency } from './graph.js';
import { cutValue } from './max-cut.js';
import type { Graph, QuboProblem } from './types.js';

export interface Evaluation {
  energy: number;
  /** The problem-level objective: cut (maxcut), repaired set size (mis), −energy (sense 'max'), else energy. */
  value: number;
  /** Whether x itself satisfies the problem's constraints (only MIS has any). */
  feasible: boolean;
  /** MIS: the repaired independent set. */
  repaired?: Uint8Array;
  /** MIS: size of the repaired set. */
  setSize?: number;
  /** Max-Cut: cut weight computed from the graph. */
  cut?: number;
}

/** Problem-level view of an assignment; see Evaluation for what `value` means per kind. */
export function evaluate(problem: QuboProblem, x: Uint8Array): Evaluation {
  assertBinaryVector(x, problem.n);
  const e = energy(problem, x);
  if (problem.kind === 'maxcut') {
    const cut = problem.graph ? cutValue(problem.graph, x) : 0 - e;
    return { energy: e, value: cut, feasible: true, cut };
  }
  if (problem.kind === 'mis') {
    const graph = problem.graph ?? conflictGraph(problem);
    const { repaired, feasible } = repairIndependentSet(graph, x);
    let size = 0;
    for (let i = 0; i < repaired.length; i++) size += repaired[i] as number;
    return { energy: e, value: size, feasible, repaired, setSize: size };
  }
  return { energy: e, value: problem.sense === 'max' ? 0 - e : e, feasible: true };
}

/** A MIS problem without its graph: vertices conflict where the merged coupling is positive. */
function conflictGraph(problem: QuboProblem): Graph {
  const { i, j, w } = problem.terms;
  const u: number[] = [];
  const v: number[] = [];
  for (let k = 0; k < i.length; k++) {
    if (i[k] !== j[k] && (w[k] as number) > 0) {
      u.push(i[k] as number);
      v.push(j[k] as number);
    }
  }
  return { n: problem.n, edges: { u: Int32Array.from(u), v: Int32Array.from(v), w: new Float64Array(u.length).fill(1) } };
}

/**
 * Turns any 0/1 vector into a maximal independent set: repeatedly drop the chosen vertex with the
 * most chosen neighbours (ties: lowest index), then add, in index order, every vertex with no chosen
 * neighbour. `feasible` says whether x was independent to begin with. O((n + m) log m).
 */
export function repairIndependentSet(graph: Graph, x: Uint8Array): { repaired: Uint8Array; feasible: boolean } {
  const { n } = graph;
  const { ptr, adj } = adjacency(graph);
  const s = x.slice();
  const conflicts = new Int32Array(n);
  let feasible = true;
  for (let i = 0; i < n; i++) {
    if (s[i] !== 1) continue;
    let c = 0;
    for (let k = ptr[i] as number; k < (ptr[i + 1] as number); k++) c += s[adj[k] as number] as number;
    conflicts[i] = c;
    if (c > 0) feasible = false;
  }
  if (!feasible) {
    // Lazy max-heap of (conflicts, vertex); stale entries are skipped when popped.
    const heap = new MaxHeap();
    for (let i = 0; i < n; i++) if (s[i] === 1 && (conflicts[i] as number) > 0) heap.push(conflicts[i] as number, i);
    while (heap.size > 0) {
      const [c, i] = heap.pop();
      if (s[i] !== 1 || conflicts[i] !== c || c === 0) continue;
      s[i] = 0;
      for (let k = ptr[i] as number; k < (ptr[i + 1] as number); k++) {
        const j = adj[k] as number;
        if (s[j] !== 1) continue;
        const cj = (conflicts[j] as number) - 1;
        conflicts[j] = cj;
        if (cj > 0) heap.push(cj, j);
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (s[i] === 1) continue;
    let free = true;
    for (let k = ptr[i] as number; k < (ptr[i + 1] as number) && free; k++) if (s[adj[k] as number] === 1) free = false;
    if (free) s[i] = 1;
  }
  return { repaired: s, feasible };
}

/** Binary max-heap on (key desc, vertex asc). */
class MaxHeap {
  private keys: number[] = [];
  private ids: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  private above(a: number, b: number): boolean {
    const ka = this.keys[a] as number;
    const kb = this.keys[b] as number;
    return ka > kb || (ka === kb && (this.ids[a] as number) < (this.ids[b] as number));
  }
  private swap(a: number, b: number): void {
    [this.keys[a], this.keys[b]] = [this.keys[b] as number, this.keys[a] as number];
    [this.ids[a], this.ids[b]] = [this.ids[b] as number, this.ids[a] as number];
  }
  push(key: number, id: number): void {
    this.keys.push(key);
    this.ids.push(id);
    let k = this.keys.length - 1;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (!this.above(k, p)) break;
      this.swap(k, p);
      k = p;
    }
  }
  pop(): [number, number] {
    const top: [number, number] = [this.keys[0] as number, this.ids[0] as number];
    const lastK = this.keys.pop() as number;
    const lastI = this.ids.pop() as number;
    if (this.keys.length > 0) {
      this.keys[0] = lastK;
      this.ids[0] = lastI;
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        const r = l + 1;
        let m = k;
        if (l < this.keys.length && this.above(l, m)) m = l;
        if (r < this.keys.length && this.above(r, m)) m = r;
        if (m === k) break;
        this.swap(k, m);
        k = m;
      }
    }
    return top;
  }
}
