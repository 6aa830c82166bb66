const INTEGER = /^[+-]?\d+$/;

/**
 * Numeric-aware comparison of external ids: when both ids are integers they compare as numbers
 * (`'9' < '10'`), otherwise as strings (UTF-16 code unit order).
 */
export function compareIds(a: string, b: string): number {
  if (INTEGER.test(a) && INTEGER.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Faster variant for pre-parsed keys: `num` is the id as a number when it is a safe integer. */
export interface IdKey {
  readonly id: string;
  readonly num: number | undefined;
}

export function idKey(id: string): IdKey {
  if (INTEGER.test(id)) {
    const n = Number(id);
    if (Number.isSafeInteger(n)) return { id, num: n };
  }
  return { id, num: undefined };
}

export function compareIdKeys(a: IdKey, b: IdKey): number {
  if (a.num !== undefined && b.num !== undefined) return a.num - b.num;
  return compareIds(a.id, b.id);
}
