/**
 * An instance file of Kiln's generated QUBO set made ready to solve: the QUBO, how to read a solve's
 * value off its state (the cut from the graph, the bqp objective from the energy), and the shape
 * fields of its best-known.json entry. Shared by reference.ts and ../qubo-rule.ts.
 */
import { cutValue, energy, type Graph, maxCutQubo, parseBqp, parseGset, type QuboProblem } from '@kiln/qubo';
import type { BestKnownEntry } from './best-known.js';
import { instanceNames, type SetFile, sha256 } from './qubo-set.js';

/** One instance of the set, ready to solve: the problem and how to check a solve's value from its state. */
export interface Prepared {
  name: string;
  problem: QuboProblem;
  valueOf(x: Uint8Array): number;
  entry: Omit<
    BestKnownEntry,
    'value' | 'foundBy' | 'kernelMode' | 'seed' | 'timeToBestS' | 'seconds' | 'seeds' | 'modes' | 'runsAtValue' | 'runs' | 'date' | 'command'
  >;
}

export function prepare(file: SetFile): Prepared[] {
  const text = file.text();
  const hash = sha256(text);
  const spec = file.spec;
  if (spec.kind === 'maxcut') {
    const graph: Graph = parseGset(text);
    const m = graph.edges.u.length;
    return [
      {
        name: spec.name,
        problem: maxCutQubo(graph),
        valueOf: (x) => cutValue(graph, x),
        entry: {
          kind: 'maxcut',
          sense: 'max',
          family: spec.family,
          n: graph.n,
          m,
          densityPct: Number(((100 * m) / ((graph.n * (graph.n - 1)) / 2)).toPrecision(4)),
          weights: spec.weights,
          sha256: hash,
        },
      },
    ];
  }
  const names = instanceNames(spec);
  return parseBqp(text).map(({ problem, index }) => {
    // One term per stored (i, j), i ≤ j: parseBqp keeps the file's entries apart.
    const nnz = problem.terms.w.length;
    return {
      name: names[index - 1] as string,
      problem,
      valueOf: (x: Uint8Array) => -energy(problem, x),
      entry: {
        kind: 'bqp' as const,
        sense: 'max' as const,
        family: 'dense' as const,
        n: problem.n,
        nnz,
        densityPct: Number(((100 * nnz) / ((problem.n * (problem.n + 1)) / 2)).toPrecision(4)),
        weights: `integers in [-${spec.maxAbs}, ${spec.maxAbs}] without 0`,
        sha256: hash,
      },
    };
  });
}
