import { readFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { loadNative, type NativeStatus, nativeStatus } from '@kiln/kernels';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { resolveMamba4RecConfig } from './model/config.js';
import { createMamba4Rec } from './model/mamba4rec.js';
import { tiedSoftmaxCrossEntropy } from './model/ops.js';
import { Rng } from './model/rng.js';
import { KILN_BACKEND } from './native/kiln-backend.js';
import { registerKilnBackend } from './native/register.js';

export type BackendPreference = 'kiln' | 'tensorflow' | 'wasm' | 'cpu';

/** The search order of {@link initBackend}, fastest first. */
const ORDER: readonly BackendPreference[] = ['kiln', 'tensorflow', 'wasm', 'cpu'];

let initialised: string | undefined;

export interface BackendInfo {
  /** The backend chosen by initBackend (undefined before it ran). */
  backend: string | undefined;
  /** Whether Kiln's native addon is loaded (the `kiln` backend needs it), and why not. */
  native: NativeStatus;
}

/**
 * The backend in use and the native addon's status. When `native.loaded` is false, `native.reason`
 * says why (e.g. "not built: run npm run setup"): the caller logs it once; Kiln then runs on the
 * next backend that works.
 */
export function backendInfo(): BackendInfo {
  const unsafe = unsafeToLoadHere();
  return { backend: initialised, native: unsafe === undefined ? nativeStatus() : { loaded: false, reason: unsafe } };
}

/**
 * Why this thread must not be the one that loads the addon, if so. A worker thread that loads it
 * while no other thread has it unloads it when the thread exits, under libgomp's still-spinning
 * pool threads: the whole process dies (SIGSEGV). Loaded once in the main thread (which never
 * unloads it), it is safe in every worker thread. Checked in /proc/self/maps (Linux).
 */
function unsafeToLoadHere(): string | undefined {
  if (isMainThread) return undefined;
  let maps: string;
  try {
    maps = readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return undefined;
  }
  if (maps.includes('kiln_native')) return undefined;
  return (
    'not loaded from this worker thread: call loadNative() (@kiln/kernels) in the main thread first; ' +
    'a worker thread that alone loads the addon unloads it on exit under its OpenMP threads, which crashes the process'
  );
}

/**
 * Selects the tfjs backend for training and scoring, in order of speed: `kiln` (Kiln's native
 * addon, when it is built), `tensorflow` (@tensorflow/tfjs-node, when it loads), `wasm`, `cpu`.
 * A backend is used only after it has run one training step of a tiny Mamba4Rec (loss and every
 * gradient) and matched the `cpu` backend within 1e-3; otherwise the next one is tried. `prefer`
 * starts the search at that backend (`'cpu'` forces cpu). Returns the backend in use; logs
 * nothing ({@link backendInfo} says why the addon is not in use).
 */
export async function initBackend(prefer?: BackendPreference): Promise<string> {
  const order = ORDER.slice(Math.max(0, ORDER.indexOf(prefer ?? 'kiln')));
  await activate('cpu');
  const reference = probeTrainingStep();
  for (const name of order) {
    if (name === 'cpu') break;
    try {
      if (!(await load(name))) continue;
      if (!(await activate(name))) continue;
      const got = probeTrainingStep();
      if (close(reference, got)) {
        initialised = name;
        return name;
      }
    } catch {
      // fall through to the next backend
    }
  }
  await activate('cpu');
  initialised = 'cpu';
  return 'cpu';
}

/** The backend chosen by {@link initBackend}, initialising with defaults on first use. */
export async function ensureBackend(): Promise<string> {
  if (initialised !== undefined && tf.getBackend() === initialised) return initialised;
  return initBackend();
}

async function load(name: BackendPreference): Promise<boolean> {
  if (name === 'kiln') {
    if (unsafeToLoadHere() !== undefined) return false;
    const native = loadNative();
    if (native === null) return false;
    registerKilnBackend(native);
    return tf.findBackendFactory(KILN_BACKEND) !== null;
  }
  if (name === 'tensorflow') {
    const specifier = '@tensorflow/tfjs-node';
    await import(specifier);
    return tf.findBackendFactory('tensorflow') !== null;
  }
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    return tf.findBackendFactory('wasm') !== null;
  }
  return true;
}

async function activate(name: string): Promise<boolean> {
  const ok = await tf.setBackend(name);
  if (!ok) return false;
  await tf.ready();
  if (name === 'cpu') {
    // The cpu backend prints a "use tfjs-node" banner on its first write; we choose backends ourselves.
    const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
    if (cpu !== null) cpu.firstUse = false;
  }
  return tf.getBackend() === name;
}

/** Loss and gradients of one step of a tiny model on the current backend. */
function probeTrainingStep(): Float32Array[] {
  const config = resolveMamba4RecConfig({ nItems: 9, hiddenSize: 8, dState: 4, maxLen: 6, numLayers: 2, dropout: 0.1 });
  const model = createMamba4Rec(config, { seed: 7 });
  try {
    return tf.tidy(() => {
      const ids = tf.tensor2d([1, 4, 2, 5, 3, 0, 4, 0], [4, 2], 'int32');
      const positions = tf.tensor1d([0, 1, 2, 3, 4, 6], 'int32');
      const targets = tf.tensor1d([2, 5, 3, 6, 4, 9], 'int32');
      const vars = model.trainableVariables;
      const { value, grads } = tf.variableGrads(() => {
        const h = model.forward(ids, { training: true, rng: new Rng(3), positions });
        return tiedSoftmaxCrossEntropy(h, model.p('item_embedding'), targets);
      }, vars);
      const out = [value.dataSync() as Float32Array];
      for (const v of vars) out.push((grads[v.name] as tf.Tensor).dataSync() as Float32Array);
      return out.map((a) => Float32Array.from(a));
    });
  } finally {
    model.dispose();
  }
}

function close(a: Float32Array[], b: Float32Array[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Float32Array;
    const y = b[i] as Float32Array;
    if (x.length !== y.length) return false;
    let scale = 1e-6;
    for (const v of x) scale = Math.max(scale, Math.abs(v));
    for (let j = 0; j < x.length; j++) {
      const d = Math.abs((x[j] as number) - (y[j] as number));
      if (!(d <= 1e-3 * scale)) return false;
    }
  }
  return true;
}
