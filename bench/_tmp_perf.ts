import { readFileSync } from 'node:fs';
import { parseGset } from '@kiln/qubo';
import { maxCutQubo } from '@kiln/qubo';
import { toCsr } from '@kiln/qubo';
import { anneal } from '@kiln/qubo';
const g = parseGset(readFileSync('/work/shared/data/qubo/gset/G1.txt', 'utf8'));
const p = maxCutQubo(g);
const csr = toCsr(p);
console.log(csr.n, csr.rowPtr[csr.n]);
for (const sweeps of [1000, 10000]) {
  const r = anneal(csr, { sweeps, replicas: 3, seed: 1 });
  console.log(sweeps, -r.energy, r.elapsedMs.toFixed(0), (r.flipAttempts / r.elapsedMs * 1000 / 1e6).toFixed(1), 'M/s');
}
let tot = 0;
for (let seed = 0; seed < 10; seed++) tot += -anneal(csr, { sweeps: 1000, seed }).energy;
console.log('mean G1 cut 1000 sweeps', tot / 10);
