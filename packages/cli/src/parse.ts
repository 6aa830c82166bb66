import { UsageError } from './exit-codes.js';

/** A number option: a finite number (in [min, max] when given), or a usage error naming the flag. */
export function numberOf(value: string | undefined, flag: string, opts: { int?: boolean; min?: number; max?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (opts.int && !Number.isInteger(n)))
    throw new UsageError(`--${flag}: expected ${opts.int ? 'an integer' : 'a number'}, got "${value}"`);
  if (opts.min !== undefined && n < opts.min) throw new UsageError(`--${flag}: must be ≥ ${opts.min}, got ${n}`);
  if (opts.max !== undefined && n > opts.max) throw new UsageError(`--${flag}: must be ≤ ${opts.max}, got ${n}`);
  return n;
}

export function oneOf<T extends string>(value: string | undefined, flag: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new UsageError(`--${flag}: must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

export function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined) throw new UsageError(`--${flag} is required`);
  return value;
}

/** `key=value`: the value as JSON when it parses (numbers, booleans, null, arrays), else the string. */
export function keyValue(pair: string, flag: string): [string, unknown] {
  const eq = pair.indexOf('=');
  if (eq <= 0) throw new UsageError(`--${flag}: expected key=value, got "${pair}"`);
  const key = pair.slice(0, eq).trim();
  const raw = pair.slice(eq + 1);
  try {
    return [key, JSON.parse(raw)];
  } catch {
    return [key, raw];
  }
}
