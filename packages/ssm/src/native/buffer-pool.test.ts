import { describe, expect, it } from 'vitest';
import { BufferPool } from './kiln-backend.js';

/** A buffer the pool owns and a tensor stores, then disposed: what the kiln backend does per kernel. */
function cycle(pool: BufferPool, n: number): Float32Array {
  const a = pool.take(n, false);
  pool.attach(a);
  return a;
}

describe('BufferPool', () => {
  it('reuses a released buffer for the next request of the same size class', () => {
    const pool = new BufferPool(1 << 20);
    const a = cycle(pool, 10_000);
    pool.release(a);
    const b = pool.take(10_000, true);
    expect(b.buffer).toBe(a.buffer);
    expect(b.every((v) => v === 0)).toBe(true);
    expect(pool.stats()).toMatchObject({ hits: 1, misses: 1 });
  });

  it('when full, evicts the least recently released buffers, so the sizes a run asks for now stay pooled', () => {
    const budget = 4 * 40_000 * 4; // room for about four buffers of 40,000 floats (each has headroom)
    const pool = new BufferPool(budget);
    // Phase 1: shapes of 40,000 floats; phase 2 (the run's shapes drift): 20,000.
    const old = [cycle(pool, 40_000), cycle(pool, 40_000), cycle(pool, 40_000)];
    for (const a of old) pool.release(a);
    const fresh = [cycle(pool, 20_000), cycle(pool, 20_000), cycle(pool, 20_000), cycle(pool, 20_000)];
    for (const a of fresh) pool.release(a);
    expect(pool.stats().pooledBytes).toBeLessThanOrEqual(budget);
    // Every recent buffer is still there to serve the current shapes...
    const again = [pool.take(20_000, false), pool.take(20_000, false), pool.take(20_000, false), pool.take(20_000, false)];
    expect(new Set(again.map((a) => a.buffer))).toEqual(new Set(fresh.map((a) => a.buffer)));
    // ...while the oldest buffer was given up to make room.
    const hitsBefore = pool.stats().hits;
    const olds = [pool.take(40_000, false), pool.take(40_000, false), pool.take(40_000, false)];
    const reusedOld = olds.filter((a) => old.some((o) => o.buffer === a.buffer)).length;
    expect(reusedOld).toBeLessThan(3);
    expect(pool.stats().hits - hitsBefore).toBe(reusedOld);
  });

  it('never pools a buffer larger than its budget, nor one that escaped', () => {
    const pool = new BufferPool(100_000);
    const big = cycle(pool, 50_000); // 200 kB > budget
    pool.release(big);
    expect(pool.stats().pooledBytes).toBe(0);
    const seen = cycle(pool, 5000);
    pool.escape(seen);
    pool.release(seen);
    expect(pool.stats().pooledBytes).toBe(0);
  });
});
