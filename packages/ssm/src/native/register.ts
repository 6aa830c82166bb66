import type { KilnNative } from '@kiln/kernels';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { dataKernels } from './data-kernels.js';
import { elementwiseKernels } from './elementwise-kernels.js';
import { fusedKernels } from './fused-kernels.js';
import { KILN_BACKEND, KilnBackend } from './kiln-backend.js';
import { matMulKernels } from './matmul-kernels.js';
import { reductionKernels } from './reduction-kernels.js';

let registered: KilnNative | undefined;

/**
 * Registers the `kiln` backend (once per thread): every kernel of the `cpu` backend, with the hot
 * ones and Mamba4Rec's fused kernels replaced by the addon's. Priority −1: tfjs never picks it by
 * itself; `initBackend()` does, after checking it against `cpu`.
 */
export function registerKilnBackend(native: KilnNative): void {
  if (registered !== undefined) return;
  registered = native;
  tf.registerBackend(KILN_BACKEND, () => new KilnBackend(native), -1);
  const own = [...matMulKernels(), ...elementwiseKernels(), ...reductionKernels(), ...dataKernels(), ...fusedKernels()];
  const overridden = new Set(own.map((k) => k.kernelName));
  for (const k of tf.getKernelsForBackend('cpu')) {
    if (!overridden.has(k.kernelName)) tf.registerKernel({ ...k, backendName: KILN_BACKEND });
  }
  for (const k of own) tf.registerKernel(k);
}

/** The kernels the `kiln` backend runs natively or with its own loops (for docs and tests). */
export function kilnKernelNames(): string[] {
  return [...matMulKernels(), ...elementwiseKernels(), ...reductionKernels(), ...dataKernels(), ...fusedKernels()].map((k) => k.kernelName);
}
