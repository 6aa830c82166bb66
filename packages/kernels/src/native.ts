import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { KilnNative, NativeStatus } from './native-api.js';

const addonPath = fileURLToPath(new URL('../build/Release/kiln_native.node', import.meta.url));
const buildStatusPath = fileURLToPath(new URL('../build/kiln-build-status.json', import.meta.url));

let loaded: { native: KilnNative | null; status: NativeStatus } | undefined;

/** What scripts/build.mjs recorded about the last build, when it failed or was skipped. */
function buildFailure(): string | undefined {
  try {
    const status = JSON.parse(readFileSync(buildStatusPath, 'utf8')) as { ok?: boolean; reason?: string };
    return status.ok ? undefined : status.reason;
  } catch {
    return undefined;
  }
}

function load(): { native: KilnNative | null; status: NativeStatus } {
  try {
    if (!existsSync(addonPath)) {
      const failure = buildFailure();
      const reason = failure ? `not built: ${failure}` : 'not built: run npm run setup';
      return { native: null, status: { loaded: false, reason } };
    }
    const native = createRequire(import.meta.url)(addonPath) as KilnNative;
    if (typeof native?.sgemm !== 'function') return { native: null, status: { loaded: false, reason: `${addonPath} is not Kiln's addon` } };
    return { native, status: { loaded: true, path: addonPath } };
  } catch (err) {
    return { native: null, status: { loaded: false, reason: `failed to load ${addonPath}: ${(err as Error)?.message ?? String(err)}` } };
  }
}

/**
 * Kiln's native kernels, or null when the addon is not built or does not load (callers then use
 * their JS fallback; `nativeStatus()` says why). Loaded once per thread; never throws.
 */
export function loadNative(): KilnNative | null {
  loaded ??= load();
  return loaded.native;
}

/** Whether the native addon is in use, and why not. Never throws. */
export function nativeStatus(): NativeStatus {
  loaded ??= load();
  return { ...loaded.status };
}
