import { deriveSeed, nextFloat, nextU32, seedState } from './rng.js';
import type { QuboProblem } from './types.js';

/** Test fixture: a random QUBO with integer weights in [-10, 10], some duplicate and reversed terms. */
export function randomQubo(n: number, density: number, seed: number): QuboProblem {
  const st = seedState(deriveSeed(seed, 99));
  const i: number[] = [];
  const j: number[] = [];
  const w: number[] = [];
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      if (a !== b && nextFloat(st) > density) continue;
      const reversed = (nextU32(st) & 1) === 1;
      i.push(reversed ? b : a);
      j.push(reversed ? a : b);
      w.push((nextU32(st) % 21) - 10);
      if (nextFloat(st) < 0.1) {
        i.push(b);
        j.push(a);
        w.push((nextU32(st) % 21) - 10);
      }
    }
  }
  return { n, terms: { i: Int32Array.from(i), j: Int32Array.from(j), w: Float64Array.from(w) }, offset: 3, kind: 'qubo', sense: 'min' };
}

export function randomBits(n: number, seed: number): Uint8Array {
  const st = seedState(seed);
  const x = new Uint8Array(n);
  for (let k = 0; k < n; k++) x[k] = nextU32(st) & 1;
  return x;
}
