import { anneal, graphFromEdges, maxCutQubo, toCsr } from '@kiln/qubo';
for (const n of [8, 10, 20, 50]) {
  const g = graphFromEdges(n, Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as [number, number]));
  const csr = toCsr(maxCutQubo(g));
  for (const sweeps of [200, 1000, 5000]) {
    let hits = 0;
    for (let seed = 0; seed < 50; seed++) if (-anneal(csr, { seed, sweeps }).energy === n) hits++;
    console.log(n, sweeps, hits, '/50');
  }
}
