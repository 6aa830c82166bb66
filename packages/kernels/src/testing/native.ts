import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import type { KilnNative } from '../native-api.js';
import { loadNative, nativeStatus } from '../native.js';

export const status = nativeStatus();
/** A C++ compiler exists, so the addon must have been built (setup builds it): tests must not skip. */
export const hasCompiler = spawnSync('sh', ['-c', `command -v ${process.env.CXX || 'g++'} || command -v c++`], { encoding: 'utf8' }).stdout.trim() !== '';
/** Skip the native tests only where the addon cannot be built at all. */
export const skipNative = !status.loaded && !hasCompiler;

/** The addon, or an error carrying the reason it did not load (fails the test). */
export function requireNative(): KilnNative {
  const native = loadNative();
  if (!native) throw new Error(`Kiln's native addon did not load: ${status.reason}`);
  return native;
}

export type SimdLevel = 'avx512' | 'avx2' | 'generic';
const order: SimdLevel[] = ['generic', 'avx2', 'avx512'];

/** Every SIMD level this CPU can run, so each code path is tested. */
export function simdLevels(): SimdLevel[] {
  const native = loadNative();
  const best = (native?.info.simdBest ?? native?.info.simd ?? 'generic') as SimdLevel;
  return order.slice(0, order.indexOf(best) + 1);
}

/**
 * The addon for a describe block: loaded in beforeAll (failing with the reason when it did not
 * load), and its process-wide BLAS and SIMD choices restored in afterAll (tests switch them).
 */
export function useNative(): () => KilnNative {
  let native: KilnNative | undefined;
  let startedWithBlas = false;
  beforeAll(() => {
    native = requireNative();
    startedWithBlas = native.info.blas !== null;
  });
  afterAll(() => {
    native?.setBlas(startedWithBlas);
    if (native?.info.simdBest) native.setSimd(native.info.simdBest);
  });
  return () => {
    if (!native) throw new Error('useNative(): the addon is not loaded yet (use it inside tests)');
    return native;
  };
}
