/**
 * Small seeded pseudo-random generator (mulberry32) for initialisation, dropout masks and shuffling,
 * so a fixed seed reproduces a run on the same machine and backend.
 */
/** Everything a generator carries between draws (a checkpoint stores it; {@link Rng.fromState} resumes the stream). */
export interface RngState {
  state: number;
  /** Box-Muller's second normal, when one is waiting. */
  spareNormal?: number;
}

export class Rng {
  private state: number;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    this.state = mix32(seed >>> 0 || 0x9e3779b9);
  }

  /** Derives an independent stream (e.g. `rng.fork(1)` for dropout, `rng.fork(2)` for shuffling). */
  static derive(seed: number, stream: number): Rng {
    return new Rng(mix32((seed >>> 0) ^ mix32(stream + 0x632be5ab)));
  }

  /** A generator that continues the stream whose state was taken with {@link getState}. */
  static fromState(saved: RngState): Rng {
    const rng = new Rng(0);
    rng.setState(saved);
    return rng;
  }

  /** The stream's position: the same state gives the same draws from here on. */
  getState(): RngState {
    return this.spareNormal === undefined ? { state: this.state } : { state: this.state, spareNormal: this.spareNormal };
  }

  /** Moves the stream to a position taken with {@link getState}. */
  setState(saved: RngState): void {
    if (!Number.isInteger(saved.state) || saved.state < 0 || saved.state > 0xffffffff) throw new RangeError(`Rng: bad state ${saved.state}`);
    this.state = saved.state >>> 0;
    this.spareNormal = saved.spareNormal;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const s = this.spareNormal;
      this.spareNormal = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /**
   * An inverted-dropout mask of n values: 0 with probability ≈ rate, else 1/(1 − that probability).
   * Each 32-bit draw decides two entries (16 bits each: the drop probability is rate rounded to
   * 1/65536, and the kept scale uses that rounded value, so the mask's mean is exactly 1). The
   * generator is inlined: masks are drawn for every activation of every training batch.
   */
  dropoutMask(n: number, rate: number): Float32Array {
    const mask = new Float32Array(n);
    this.dropoutInto(rate, mask);
    return mask;
  }

  /** Fills `mask` as {@link dropoutMask} does and, given x and y, writes y = x ⊙ mask in the same pass. */
  dropoutInto(rate: number, mask: Float32Array, x?: Float32Array, y?: Float32Array): void {
    const threshold = Math.round(rate * 65536);
    const keep = threshold >= 65536 ? 0 : 65536 / (65536 - threshold);
    this.state = dropoutLoop(this.state | 0, threshold, keep, mask, x, y) >>> 0;
  }

  /**
   * What a native kernel needs to draw {@link dropoutInto}'s mask of n values itself: the stream's
   * state before the draws, the 16-bit threshold and the kept scale. Advances this generator past
   * the ⌈n / 2⌉ draws, as dropoutInto would.
   */
  takeDropoutStream(rate: number, n: number): { state: number; threshold: number; keep: number } {
    const threshold = Math.round(rate * 65536);
    const keep = threshold >= 65536 ? 0 : 65536 / (65536 - threshold);
    const state = this.state >>> 0;
    this.state = (state + Math.imul(0x6d2b79f5, Math.ceil(n / 2) | 0)) >>> 0;
    return { state, threshold, keep };
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Fisher-Yates shuffle in place. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}

/**
 * The mulberry32 stream of {@link Rng.nextUint32}, two 16-bit decisions per draw, as tight loops:
 * int32 arithmetic throughout (uint32 values above 2^31 would make V8 fall back to doubles) and no
 * branch on the random bits ((v − threshold) >> 31 is −1 to drop, 0 to keep; a branch costs 3×).
 * Writes mask and, given x and y, y = x ⊙ mask. Returns the new state.
 */
function dropoutLoop(state: number, threshold: number, keep: number, mask: Float32Array, x?: Float32Array, y?: Float32Array): number {
  const n = mask.length;
  const even = n & ~1;
  let s = state;
  if (x !== undefined && y !== undefined) {
    for (let i = 0; i < even; i += 2) {
      s = (s + 0x6d2b79f5) | 0;
      let t = Math.imul(s ^ (s >>> 15), s | 1);
      t ^= (t + Math.imul(t ^ (t >>> 7), t | 61)) | 0;
      t ^= t >>> 14;
      const m0 = keep * (1 + ((((t & 0xffff) - threshold) | 0) >> 31));
      const m1 = keep * (1 + ((((t >>> 16) - threshold) | 0) >> 31));
      mask[i] = m0;
      mask[i + 1] = m1;
      y[i] = (x[i] as number) * m0;
      y[i + 1] = (x[i + 1] as number) * m1;
    }
  } else {
    for (let i = 0; i < even; i += 2) {
      s = (s + 0x6d2b79f5) | 0;
      let t = Math.imul(s ^ (s >>> 15), s | 1);
      t ^= (t + Math.imul(t ^ (t >>> 7), t | 61)) | 0;
      t ^= t >>> 14;
      mask[i] = keep * (1 + ((((t & 0xffff) - threshold) | 0) >> 31));
      mask[i + 1] = keep * (1 + ((((t >>> 16) - threshold) | 0) >> 31));
    }
  }
  if (even < n) {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= (t + Math.imul(t ^ (t >>> 7), t | 61)) | 0;
    t ^= t >>> 14;
    const m0 = keep * (1 + ((((t & 0xffff) - threshold) | 0) >> 31));
    mask[even] = m0;
    if (x !== undefined && y !== undefined) y[even] = (x[even] as number) * m0;
  }
  return s;
}

function mix32(x: number): number {
  let z = (x + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
