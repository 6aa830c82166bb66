import { spawnSync } from 'node:child_process';
import { loadNative, nativeStatus } from '@kiln/kernels';

/**
 * Whether the tests of the `kiln` backend run here: yes when the native addon loads; when it does
 * not and a C++ compiler exists (so `npm run setup` should have built it), those tests fail with
 * the reason; without a compiler they are skipped.
 */
export function kilnTestMode(): { mode: 'run' } | { mode: 'fail' | 'skip'; reason: string } {
  if (loadNative() !== null) return { mode: 'run' };
  const reason = nativeStatus().reason ?? 'not loaded';
  const gxx = spawnSync('g++', ['--version'], { stdio: 'ignore' });
  return gxx.status === 0 ? { mode: 'fail', reason: `g++ is installed but Kiln's native addon is not loaded: ${reason}` } : { mode: 'skip', reason };
}
