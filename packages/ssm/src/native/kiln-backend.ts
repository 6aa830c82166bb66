import type { KilnNative } from '@kiln/kernels';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';

export const KILN_BACKEND = 'kiln';

/**
 * The `kiln` tfjs backend: the `cpu` backend's storage and every one of its kernels, with the hot
 * kernels replaced by calls into Kiln's native addon (see ./register.ts). Tensors live in plain
 * typed arrays exactly as on `cpu`, so a native kernel reads its inputs and writes its outputs in
 * place, with no copy. Calls are synchronous: run training in a worker thread.
 */
export class KilnBackend extends MathBackendCPU {
  readonly native: KilnNative;
  private ones = new Float32Array(0);
  private readonly pool = new BufferPool();

  constructor(native: KilnNative) {
    super();
    this.native = native;
    // The cpu backend prints a "use tfjs-node" banner on its first write.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  /** The float32 values of a tensor (no copy). */
  f32(t: tf.TensorInfo): Float32Array {
    return this.data.get(t.dataId).values as Float32Array;
  }

  /** The int32 values of a tensor (no copy). */
  i32(t: tf.TensorInfo): Int32Array {
    return this.data.get(t.dataId).values as Int32Array;
  }

  /** A float32 buffer for a kernel's output, recycled from disposed tensors: its contents are arbitrary. */
  alloc(n: number): Float32Array {
    return this.pool.take(n, false);
  }

  /** A zero-filled float32 buffer for a kernel's output. */
  allocZeroed(n: number): Float32Array {
    return this.pool.take(n, true);
  }

  /** A float32 tensor over `values` (no copy). */
  out(shape: readonly number[], values: Float32Array): tf.TensorInfo {
    return this.makeTensorInfo([...shape], 'float32', values);
  }

  /** A read-only vector of at least n ones (for sums as matrix products). */
  onesOf(n: number): Float32Array {
    if (this.ones.length < n) this.ones = new Float32Array(Math.max(n, 2 * this.ones.length)).fill(1);
    return this.ones;
  }

  /** Bytes held for reuse, and bytes handed out to live tensors (for benchmarks). */
  poolStats(): PoolStats {
    return this.pool.stats();
  }

  override write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): tf.DataId {
    this.pool.attach(values);
    return super.write(values, shape, dtype);
  }

  override move(dataId: tf.DataId, values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType, refCount: number): void {
    this.pool.attach(values);
    super.move(dataId, values, shape, dtype, refCount);
  }

  /** dataSync()/data() hand out the stored array itself: it is never recycled after that. */
  override readSync(dataId: tf.DataId): tf.backend_util.BackendValues {
    const entry = this.data.get(dataId);
    if (entry !== undefined) this.pool.escape(entry.values);
    return super.readSync(dataId);
  }

  override disposeData(dataId: tf.DataId, force = false): boolean {
    const entry = this.data.get(dataId);
    const released = super.disposeData(dataId, force);
    if (entry !== undefined && released) this.pool.release(entry.values);
    return released;
  }
}

export interface PoolStats {
  /** Bytes of free buffers kept for reuse. */
  pooledBytes: number;
  /** Bytes of pooled buffers held by live tensors, now and at most so far. */
  liveBytes: number;
  peakLiveBytes: number;
  /** Allocations served from the pool, and fresh ones. */
  hits: number;
  misses: number;
}

/** Buffers below this many elements are plain allocations (cheap; not worth tracking). */
const POOL_MIN_ELEMENTS = 4096;
/** Size classes: capacities are 2^k·(1 + j/8) elements, so a buffer fits any size within 12.5%. */
const CLASS_STEPS = 8;
/** Free buffers kept for reuse, at most (bytes); beyond, the least recently released go to the GC. */
const POOL_MAX_BYTES = 1024 * 2 ** 20;

/**
 * Recycles the ArrayBuffers behind disposed tensors. A training step allocates the same few
 * hundred large buffers every time; fresh ones cost page faults and zeroing (measured: half the
 * time of an elementwise kernel) and external-memory GCs. A buffer is reused only when it is
 * certain that nothing else can see it: it was allocated here, exactly one tensor stored it, at
 * offset 0, and no dataSync()/data() handed it out (those mark it `escaped`, for good).
 */
export class BufferPool {
  /** @param maxBytes free buffers kept for reuse, at most (bytes). */
  constructor(private readonly maxBytes = POOL_MAX_BYTES) {}

  /** Free buffers by capacity (elements), and the capacities that have free buffers, ascending. */
  private readonly free = new Map<number, ArrayBuffer[]>();
  private capacities: number[] = [];
  /**
   * Every free buffer with its capacity, least recently released first. When the pool is full a
   * released buffer evicts the oldest: the shapes a run asks for drift (batches of new lengths), and
   * keeping the first gigabyte forever let the hit rate of a two-layer ML-1M run fall from 87% to
   * 46% within six epochs, with each epoch slower than the last.
   */
  private readonly order = new Map<ArrayBuffer, number>();
  private readonly owned = new WeakSet<ArrayBuffer>();
  private readonly live = new WeakSet<ArrayBufferLike>();
  private readonly escaped = new WeakSet<ArrayBufferLike>();
  private pooledBytes = 0;
  private liveBytes = 0;
  private peakLiveBytes = 0;
  private hits = 0;
  private misses = 0;

  take(n: number, zeroed: boolean): Float32Array {
    if (n < POOL_MIN_ELEMENTS) return new Float32Array(n);
    const capacity = capacityFor(n);
    const reused = this.takeFree(capacity);
    if (reused !== undefined) {
      this.hits++;
      const a = new Float32Array(reused, 0, n);
      if (zeroed) a.fill(0);
      return a;
    }
    this.misses++;
    // One class of headroom: the next batch's slightly larger tensors then fit this buffer too.
    const buffer = new ArrayBuffer(capacityFor(capacity + 1) * 4);
    this.owned.add(buffer);
    return new Float32Array(buffer, 0, n);
  }

  /** The smallest free buffer of at least `capacity` elements and at most 1.5× that (2 classes of headroom). */
  private takeFree(capacity: number): ArrayBuffer | undefined {
    const caps = this.capacities;
    let lo = 0;
    let hi = caps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((caps[mid] as number) < capacity) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= caps.length || (caps[lo] as number) > 1.5 * capacity) return undefined;
    const cap = caps[lo] as number;
    const list = this.free.get(cap) as ArrayBuffer[];
    const buffer = list.pop() as ArrayBuffer;
    if (list.length === 0) {
      this.free.delete(cap);
      caps.splice(lo, 1);
    }
    this.order.delete(buffer);
    this.pooledBytes -= buffer.byteLength;
    return buffer;
  }

  /** A tensor now stores `values`. */
  attach(values: unknown): void {
    if (!(values instanceof Float32Array)) return;
    const buffer = values.buffer;
    if (!this.owned.has(buffer as ArrayBuffer)) return;
    if (this.live.has(buffer) || values.byteOffset !== 0) {
      this.escaped.add(buffer);
      return;
    }
    this.live.add(buffer);
    this.liveBytes += buffer.byteLength;
    if (this.liveBytes > this.peakLiveBytes) this.peakLiveBytes = this.liveBytes;
  }

  escape(values: unknown): void {
    if (values instanceof Float32Array && this.owned.has(values.buffer as ArrayBuffer)) this.escaped.add(values.buffer);
  }

  /** The tensor storing `values` was disposed. */
  release(values: unknown): void {
    if (!(values instanceof Float32Array)) return;
    const buffer = values.buffer as ArrayBuffer;
    if (!this.owned.has(buffer) || !this.live.has(buffer)) return;
    this.live.delete(buffer);
    this.liveBytes -= buffer.byteLength;
    if (this.escaped.has(buffer) || buffer.byteLength > this.maxBytes) return;
    const capacity = buffer.byteLength / 4;
    let list = this.free.get(capacity);
    if (list === undefined) {
      list = [];
      this.free.set(capacity, list);
      const caps = this.capacities;
      let i = caps.length;
      while (i > 0 && (caps[i - 1] as number) > capacity) i--;
      caps.splice(i, 0, capacity);
    }
    list.push(buffer);
    this.order.set(buffer, capacity);
    this.pooledBytes += buffer.byteLength;
    while (this.pooledBytes > this.maxBytes) this.evictOldest();
  }

  /** Drops the least recently released free buffer (the first of its class's list). */
  private evictOldest(): void {
    const first = this.order.entries().next().value as [ArrayBuffer, number];
    const [oldest, cap] = first;
    this.order.delete(oldest);
    const list = this.free.get(cap) as ArrayBuffer[];
    list.shift();
    if (list.length === 0) {
      this.free.delete(cap);
      const caps = this.capacities;
      caps.splice(caps.indexOf(cap), 1);
    }
    this.pooledBytes -= oldest.byteLength;
  }

  stats(): PoolStats {
    return { pooledBytes: this.pooledBytes, liveBytes: this.liveBytes, peakLiveBytes: this.peakLiveBytes, hits: this.hits, misses: this.misses };
  }
}

function capacityFor(n: number): number {
  const k = Math.floor(Math.log2(n));
  const base = 2 ** k;
  const step = Math.max(1, base / CLASS_STEPS);
  return Math.ceil(n / step) * step;
}

/** The active backend as a KilnBackend (kernels registered for `kiln` receive it). */
export function asKiln(backend: unknown): KilnBackend {
  return backend as KilnBackend;
}

/** Runs the `cpu` backend's kernel for `kernelName` on the kiln backend (the fallback of a fast path). */
export function cpuKernel(kernelName: string): tf.KernelFunc {
  const k = tf.getKernel(kernelName, 'cpu');
  if (k === undefined) throw new Error(`no cpu kernel ${kernelName}`);
  return k.kernelFunc;
}

/** Product of a shape's dims. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
