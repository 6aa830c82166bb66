// Random QUBOs for the annealer's tests (anneal.test.ts, memetic.test.ts), in @kiln/qubo's
// QuboProblem shape (spelled out: @kiln/kernels sits below @kiln/qubo and does not import it).
import { rng } from './reference.js';

export interface RandomQubo {
  n: number;
  terms: { i: Int32Array; j: Int32Array; w: Float64Array };
  offset: number;
  kind: 'qubo';
  sense: 'min';
}

/** A random QUBO: each pair with probability `density`, weights uniform in [−10, 10] (rounded when `integer`), a diagonal on every variable. */
export function randomProblem(n: number, density: number, seed: number, integer = true, offset = 2.5): RandomQubo {
  const rand = rng(seed);
  const i: number[] = [];
  const j: number[] = [];
  const w: number[] = [];
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      if (a !== b && rand() > density) continue;
      const v = rand() * 20 - 10;
      i.push(rand() < 0.5 ? a : b);
      j.push(i[i.length - 1] === a ? b : a);
      w.push(integer ? Math.round(v) : v);
    }
  }
  return { n, terms: { i: Int32Array.from(i), j: Int32Array.from(j), w: Float64Array.from(w) }, offset, kind: 'qubo', sense: 'min' };
}
