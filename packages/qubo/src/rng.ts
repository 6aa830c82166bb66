/**
 * Seeded randomness: xoshiro128** (32-bit state words, fast on JS integers) seeded through
 * splitmix32. Deterministic for a given seed on every platform.
 */

/** splitmix32-style finaliser: a well-mixed uint32 from any uint32. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A uint32 seed for stream `index` of a base seed (any finite number; the integer part is used). */
export function deriveSeed(seed: number, index: number): number {
  const s = Math.trunc(seed);
  const lo = s >>> 0;
  const hi = Math.floor(s / 4294967296) >>> 0;
  return mix32(mix32(lo ^ mix32(hi)) ^ mix32(index + 0x632be5ab));
}

/** xoshiro128** state: four uint32 words, never all zero. */
export function seedState(seed: number): Uint32Array {
  const s = new Uint32Array(4);
  let z = seed >>> 0;
  for (let k = 0; k < 4; k++) {
    z = (z + 0x9e3779b9) >>> 0;
    s[k] = mix32(z);
  }
  if (((s[0] as number) | (s[1] as number) | (s[2] as number) | (s[3] as number)) === 0) s[0] = 1;
  return s;
}

/** Next uint32 of xoshiro128**, advancing `s` in place. */
export function nextU32(s: Uint32Array): number {
  const s0 = s[0] as number;
  const s1 = s[1] as number;
  const s2 = s[2] as number;
  const s3 = s[3] as number;
  const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
  const t = s1 << 9;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  s[1] = s1 ^ n2;
  s[0] = s0 ^ n3;
  s[2] = n2 ^ t;
  s[3] = rotl(n3, 11);
  return r;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Uniform in [0, 1) with 32 bits. */
export function nextFloat(s: Uint32Array): number {
  return nextU32(s) * 2.3283064365386963e-10;
}
