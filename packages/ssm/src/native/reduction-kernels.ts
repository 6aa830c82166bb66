import * as tf from '@tensorflow/tfjs-core';
import { asKiln, cpuKernel, KILN_BACKEND, sizeOf } from './kiln-backend.js';

/**
 * Float32 Sum over a leading or a trailing block of axes (bias gradients, row sums) as a product
 * with a vector of ones through the addon's sgemm: [1, outer]·X[outer, inner] or X·[inner, 1].
 * The cpu backend transposes first for a leading block. Other axis sets run the cpu kernel.
 */
function sum(): tf.KernelConfig {
  const fallback = cpuKernel('Sum');
  return {
    kernelName: 'Sum',
    backendName: KILN_BACKEND,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
      if (x.dtype !== 'float32') return fallback(args);
      const r = x.shape.length;
      const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
      const k = axes.length;
      const leading = axes.every((a, i) => a === i);
      const trailing = axes.every((a, i) => a === r - k + i);
      if (!leading && !trailing) return fallback(args);
      const kb = asKiln(args.backend);
      const reduced = sizeOf(axes.map((a) => x.shape[a] as number));
      const kept = sizeOf(x.shape) / Math.max(1, reduced);
      const shape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
      const out = reduced > 0 && kept > 0 ? kb.alloc(kept) : kb.allocZeroed(sizeOf(shape));
      if (k === 0) {
        out.set(kb.f32(x));
      } else if (reduced > 0 && kept > 0) {
        const ones = kb.onesOf(reduced);
        const X = kb.f32(x);
        if (leading) kb.native.sgemm(false, false, 1, kept, reduced, 1, ones, reduced, X, kept, 0, out, kept);
        else kb.native.sgemm(false, false, kept, 1, reduced, 1, X, reduced, ones, 1, 0, out, 1);
      }
      return kb.out(shape, out);
    },
  };
}

export function reductionKernels(): tf.KernelConfig[] {
  return [sum()];
}
