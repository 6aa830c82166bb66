import { loadNative } from '@kiln/kernels';

/**
 * A user's online state as stored (docs/adr/0021-online-state.md): little-endian
 *
 *   "KOS1" | u8 precision (1 fp16, 2 fp32) | u8 0 | u16 0 | u32 events | u32 stateFloats | u32 hidden
 *   | u32 seen | hidden f32[hidden] | state f16|f32[stateFloats] | seen i32[seen]
 *
 * `hidden` (the model's output after the last event, what GET …/recommendations scores) is kept
 * in fp32; the recurrent state may be fp16 (half the bytes; measured in bench/online.ts). `seen`
 * is the distinct items of the history in first-seen order (for excludeSeen).
 */
export interface OnlineState {
  events: number;
  /** null before the first event. */
  hidden: Float32Array | null;
  state: Float32Array;
  seen: Int32Array;
}

export type StatePrecision = 'fp16' | 'fp32';

/** `seen` with the items of `add` it does not hold yet appended (first-seen order). */
export function withSeen(seen: Int32Array, add: ArrayLike<number>): Int32Array {
  const extra: number[] = [];
  for (let i = 0; i < add.length; i++) {
    const item = add[i] as number;
    if (!seen.includes(item) && !extra.includes(item)) extra.push(item);
  }
  if (extra.length === 0) return seen;
  const out = new Int32Array(seen.length + extra.length);
  out.set(seen);
  out.set(extra, seen.length);
  return out;
}

/** User `u`'s state out of a prime over many users (OnlineStepper.prime), after the sequence `seq`. */
export function primedState(
  primed: { states: Float32Array; hidden: Float32Array },
  u: number,
  seq: Int32Array,
  dims: { stateFloats: number; hidden: number },
): OnlineState {
  const { stateFloats: S, hidden: H } = dims;
  return {
    events: seq.length,
    hidden: seq.length > 0 ? primed.hidden.subarray(u * H, (u + 1) * H) : null,
    state: primed.states.subarray(u * S, (u + 1) * S),
    seen: withSeen(new Int32Array(0), seq),
  };
}

/** The addon's conversions (about 20× faster than the JavaScript below), when it is built. */
const native = loadNative();

const MAGIC = 0x31534f4b; // the bytes "KOS1" read as a little-endian uint32
const HEADER = 24;

export function encodeState(s: OnlineState, precision: StatePrecision): Buffer {
  const H = s.hidden?.length ?? 0;
  const S = s.state.length;
  const stateBytes = precision === 'fp16' ? 2 * S : 4 * S;
  const stateStart = HEADER + 4 * H;
  const seenStart = align4(stateStart + stateBytes);
  // A fresh ArrayBuffer (4-aligned at 0, unlike a pooled Buffer) so typed views can write in place.
  const bytes = seenStart + 4 * s.seen.length;
  const ab = new ArrayBuffer(bytes);
  const head = new Uint32Array(ab, 0, HEADER / 4);
  head[0] = MAGIC;
  head[1] = precision === 'fp16' ? 1 : 2;
  head[2] = s.events;
  head[3] = S;
  head[4] = H;
  head[5] = s.seen.length;
  if (s.hidden) new Float32Array(ab, HEADER, H).set(s.hidden);
  if (precision === 'fp16') {
    const out = new Uint16Array(ab, stateStart, S);
    if (native) native.f32ToF16(s.state, out);
    else toHalf(s.state, out);
  } else {
    new Float32Array(ab, stateStart, S).set(s.state);
  }
  new Int32Array(ab, seenStart, s.seen.length).set(s.seen);
  if (!littleEndian) throw new Error('online state: big-endian hosts are not supported');
  return Buffer.from(ab);
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Decodes a stored state, checking it fits a model with `stateFloats` and `hidden` sizes. */
export function decodeState(buf: Uint8Array, expect: { stateFloats: number; hidden: number }): OnlineState {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.byteLength < HEADER || view.getUint32(0, true) !== MAGIC) throw new Error('online state: bad magic');
  const precision = view.getUint8(4);
  const events = view.getUint32(8, true);
  const S = view.getUint32(12, true);
  const H = view.getUint32(16, true);
  const seenCount = view.getUint32(20, true);
  if (S !== expect.stateFloats || (H !== 0 && H !== expect.hidden))
    throw new Error(`online state: sizes ${S}/${H} do not fit the model (${expect.stateFloats}/${expect.hidden})`);
  if (precision !== 1 && precision !== 2) throw new Error(`online state: unknown precision ${precision}`);
  const stateStart = HEADER + 4 * H;
  const stateBytes = precision === 1 ? 2 * S : 4 * S;
  const seenStart = align4(stateStart + stateBytes);
  if (buf.byteLength < seenStart + 4 * seenCount) throw new Error('online state: truncated');
  // Copy into fresh (aligned) arrays.
  const hidden = H === 0 ? null : new Float32Array(copy(buf, HEADER, 4 * H));
  let state: Float32Array;
  if (precision === 1) {
    const at = buf.byteOffset + stateStart;
    const half = at % 2 === 0 ? new Uint16Array(buf.buffer, at, S) : new Uint16Array(copy(buf, stateStart, 2 * S));
    state = native ? new Float32Array(S) : fromHalf(half);
    if (native) native.f16ToF32(half, state);
  } else {
    state = new Float32Array(copy(buf, stateStart, 4 * S));
  }
  const seen = new Int32Array(copy(buf, seenStart, 4 * seenCount));
  return { events, hidden, state, seen };
}

function copy(buf: Uint8Array, start: number, bytes: number): ArrayBuffer {
  const out = new ArrayBuffer(bytes);
  new Uint8Array(out).set(buf.subarray(start, start + bytes));
  return out;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → IEEE half, round to nearest even (overflow → ±inf, NaN kept, subnormals kept). */
export function toHalf(src: Float32Array, dst: Uint16Array): void {
  for (let i = 0; i < src.length; i++) {
    f32[0] = src[i] as number;
    const x = u32[0] as number;
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    let mant = x & 0x7fffff;
    if (exp === 0xff) {
      dst[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
      continue;
    }
    const e = exp - 127 + 15;
    if (e >= 0x1f) {
      dst[i] = sign | 0x7c00;
      continue;
    }
    if (e <= 0) {
      if (e < -10) {
        dst[i] = sign;
        continue;
      }
      mant |= 0x800000;
      const shift = 14 - e;
      let h = mant >>> shift;
      const rem = mant & ((1 << shift) - 1);
      const half = 1 << (shift - 1);
      if (rem > half || (rem === half && h & 1)) h++;
      dst[i] = sign | h;
      continue;
    }
    let h = (e << 10) | (mant >>> 13);
    const rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++; // may carry into the exponent: still right (up to inf)
    dst[i] = sign | h;
  }
}

let halfTable: Float32Array | undefined;

/** IEEE half → float32 through a 64 Ki-entry table. */
export function fromHalf(src: Uint16Array): Float32Array {
  halfTable ??= buildHalfTable();
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = halfTable[src[i] as number] as number;
  return out;
}

function buildHalfTable(): Float32Array {
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >>> 10) & 0x1f;
    const mant = h & 0x3ff;
    if (exp === 0) t[h] = sign * mant * 2 ** -24;
    else if (exp === 0x1f) t[h] = mant ? Number.NaN : sign * Number.POSITIVE_INFINITY;
    else t[h] = sign * (1 + mant / 1024) * 2 ** (exp - 15);
  }
  return t;
}
