import { spawnSync } from 'node:child_process';
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
