import fc from 'fast-check';

/**
 * Imperative drawing on top of fast-check's `gen()`: every choice goes through fast-check, so a
 * run is reproducible from its seed and a failure shrinks (choices shrink towards the first option
 * of each list, so lists start with their least surprising entry).
 */
export class Draw {
  constructor(private readonly g: fc.GeneratorValue) {}

  /** An integer in [min, max], biased (like fast-check's own) towards small values and the bounds: for sizes and values. */
  int(min: number, max: number): number {
    return max <= min ? min : this.g(fc.integer, { min, max });
  }

  /** An integer in [min, max], uniformly: for choices, whose odds must hold. */
  uniform(min: number, max: number): number {
    return max <= min ? min : this.g(() => fc.noBias(fc.integer({ min, max })));
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return this.uniform(0, 9_999) >= Math.round((1 - p) * 10_000);
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from an empty list');
    return xs[this.uniform(0, xs.length - 1)] as T;
  }

  /** One of `[weight, value]`, by weight. */
  weighted<T>(xs: ReadonlyArray<readonly [number, T]>): T {
    const total = xs.reduce((s, [w]) => s + w, 0);
    let r = this.uniform(0, total - 1);
    for (const [w, v] of xs) {
      if (r < w) return v;
      r -= w;
    }
    return (xs[xs.length - 1] as readonly [number, T])[1];
  }

  arb<T>(a: fc.Arbitrary<T>): T {
    return this.g(() => a);
  }

  double(min: number, max: number): number {
    return this.g(fc.double, { min, max, noNaN: true, noDefaultInfinity: true });
  }
}

/** Strings that have broken servers before: NUL, traversal, encodings, surrogates, lengths at and around the limits. */
export const NASTY_STRINGS: readonly string[] = [
  'x',
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '%00',
  '..',
  '../..',
  '../../etc/passwd',
  '%2e%2e%2f',
  '.',
  '/',
  '\\',
  '\r\n',
  '\t',
  'null',
  'undefined',
  'NaN',
  'true',
  '0',
  '-1',
  '1e308',
  '__proto__',
  'constructor',
  'toString',
  '\ud800',
  '\udfff',
  'a\ud83dz',
  '\uffff',
  '\ufeff',
  'é',
  '🔥',
  '\u202e',
  "' OR 1=1 --",
  '"',
  '<script>',
  '$' + '{x}',
  '%s%n',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'x'.repeat(100),
  'x'.repeat(101),
  'x'.repeat(200),
  'x'.repeat(201),
  'x'.repeat(10_000),
];

/** A junk string: a nasty one, random code points, or a long run. */
export function junkString(d: Draw): string {
  return d.weighted<() => string>([
    [5, () => d.pick(NASTY_STRINGS)],
    [2, () => d.arb(fc.string({ unit: 'binary', maxLength: 40 }))],
    [1, () => d.arb(fc.string({ unit: 'grapheme', maxLength: 20 }))],
    [1, () => d.pick(['a', 'é', '%', '\u0000', '.']).repeat(d.pick([99, 100, 101, 199, 200, 201, 1000, 50_000]))],
  ])();
}

/** A string that can travel in an HTTP header (no CR, LF or NUL: a real client cannot send those, and Node refuses them). */
export function headerSafe(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    out += c === 9 || (c >= 0x20 && c <= 0x7e) || (c >= 0x80 && c <= 0xff) ? ch : '?';
  }
  return out;
}

/** Numbers at the edges: of types, of JSON, of the API's ranges. */
export const EDGE_NUMBERS: readonly number[] = [
  0,
  1,
  -1,
  -0,
  0.5,
  2,
  100,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e21,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53) - 2,
  1_000_001,
  3_600_001,
  2_097_153,
];

export function edgeNumber(d: Draw): number {
  return d.chance(0.8) ? d.pick(EDGE_NUMBERS) : d.double(-1e6, 1e6);
}

/** Keys that have polluted prototypes or confused parsers. */
export const JUNK_KEYS: readonly string[] = ['x', '__proto__', 'constructor', 'prototype', '', 'kind', 'toString', 'hasOwnProperty', '\u0000', 'a.b', '$ref'];

/** A JSON value of any type, built to be wrong where it lands. */
export function junkValue(d: Draw, depth = 0): unknown {
  return d.weighted<() => unknown>([
    [2, () => null],
    [1, () => d.chance(0.5)],
    [3, () => edgeNumber(d)],
    [3, () => junkString(d)],
    [1, () => []],
    [1, () => ({})],
    [depth < 2 ? 1 : 0, () => Array.from({ length: d.int(1, 3) }, () => junkValue(d, depth + 1))],
    [depth < 2 ? 1 : 0, () => withKey({}, d.pick(JUNK_KEYS), junkValue(d, depth + 1))],
  ])();
}

/** Sets an own, enumerable property, even `__proto__` (JSON.stringify then writes it as a key). */
export function withKey<T extends object>(obj: T, key: string, value: unknown): T {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  return obj;
}
