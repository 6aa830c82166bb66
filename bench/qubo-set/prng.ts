import { nextU32 as xoshiroNext } from '@kiln/qubo';

/**
 * The QUBO set's random numbers: xoshiro128** (Blackman & Vigna, 2018), its four state words
 * filled by splitmix32 from a (seed, stream) pair. 32-bit integer arithmetic only (Math.imul,
 * shifts), so a seed gives the same stream on every platform and Node version.
 *
 * The seeding is the generator's own: the instance files (and the references computed on them)
 * must never change because the solvers' seeding in @kiln/qubo changed. The step is xoshiro128**
 * itself, shared with @kiln/qubo; prng.test.ts pins the first outputs, so any change to either
 * shows.
 */
export class Xoshiro128 {
  private readonly s = new Uint32Array(4);

  /** `seed` and `stream`: any integers in [0, 2³²); two streams of one seed are unrelated. */
  constructor(seed: number, stream = 0) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
    if (!Number.isInteger(stream) || stream < 0 || stream > 0xffffffff) throw new RangeError(`stream must be an integer in [0, 2^32), got ${stream}`);
    let z = splitmix32(seed ^ splitmix32(stream + 0x632be5ab));
    for (let k = 0; k < 4; k++) {
      z = (z + 0x9e3779b9) >>> 0;
      this.s[k] = splitmix32(z);
    }
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
  }

  /** A generator in the given state (four uint32 words, not all zero): for checks against the published reference outputs. */
  static fromState(words: readonly [number, number, number, number]): Xoshiro128 {
    if (words.every((x) => x === 0)) throw new RangeError('the state must not be all zero');
    const g = new Xoshiro128(0);
    g.s.set(words.map((x) => x >>> 0));
    return g;
  }

  /** The next uint32: the xoshiro128** step that @kiln/qubo's solvers use too (prng.test.ts pins its outputs). */
  nextU32(): number {
    return xoshiroNext(this.s);
  }

  /** A uniform integer in [0, k), k in [1, 2³²], without modulo bias (the top partial range is redrawn). */
  below(k: number): number {
    if (!Number.isInteger(k) || k < 1 || k > 0x100000000) throw new RangeError(`below(k): k must be an integer in [1, 2^32], got ${k}`);
    const limit = 0x100000000 - (0x100000000 % k);
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return x % k;
    }
  }

  /** A uniform integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  /** true with probability `p` (to 2⁻³²): one draw compared with ⌊p·2³²⌋, no floating-point draw. */
  chance(p: number): boolean {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`chance(p): p must be in [0, 1], got ${p}`);
    return this.nextU32() < Math.floor(p * 0x100000000);
  }
}

/** splitmix32's finaliser over x + golden ratio: a well-mixed uint32 from any uint32. */
export function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
