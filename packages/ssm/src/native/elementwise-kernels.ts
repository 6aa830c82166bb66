import * as tf from '@tensorflow/tfjs-core';
import { asKiln, cpuKernel, KILN_BACKEND, sizeOf } from './kiln-backend.js';

/**
 * Float32 Add / Sub / Mul / RealDiv for the `kiln` backend. The cpu backend computes a broadcast
 * (a bias, a per-row scale) with an index conversion per element, ~50× slower than a flat loop;
 * here both operands are viewed as [outer, inner] matrices, each either full, a row, a column or
 * a scalar, which covers every broadcast Mamba4Rec and Adam use. Anything else (other dtypes,
 * interleaved broadcasts) runs the cpu kernel.
 */
export const BinaryOp = { Add: 0, Sub: 1, Mul: 2, Div: 3 } as const;
export type BinaryOp = (typeof BinaryOp)[keyof typeof BinaryOp];

/** How an operand is read in the [outer, inner] view: index = o·so + i·si. */
export interface BroadcastPlan {
  outer: number;
  inner: number;
  soA: number;
  siA: number;
  soB: number;
  siB: number;
}

/** Plans `a op b` with numpy broadcasting into outShape, or null when no [outer, inner] view fits. */
export function planBroadcast(aShape: readonly number[], bShape: readonly number[], outShape: readonly number[]): BroadcastPlan | null {
  const r = outShape.length;
  const pad = (s: readonly number[]) => [...new Array<number>(r - s.length).fill(1), ...s];
  const a = pad(aShape);
  const b = pad(bShape);
  for (let k = 0; k <= r; k++) {
    const outer = sizeOf(outShape.slice(0, k));
    const inner = sizeOf(outShape.slice(k));
    const pa = strides(a, outShape, k, inner);
    const pb = strides(b, outShape, k, inner);
    if (pa !== null && pb !== null) return { outer, inner, soA: pa[0], siA: pa[1], soB: pb[0], siB: pb[1] };
  }
  return null;
}

function strides(s: readonly number[], out: readonly number[], k: number, inner: number): [number, number] | null {
  const full = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (s[i] !== out[i]) return false;
    return true;
  };
  const ones = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (s[i] !== 1) return false;
    return true;
  };
  const r = out.length;
  const si = full(k, r) ? 1 : ones(k, r) ? 0 : -1;
  const so = full(0, k) ? (si === 1 ? inner : 1) : ones(0, k) ? 0 : -1;
  return si < 0 || so < 0 ? null : [so, si];
}

/** out[o, i] = A[o·soA + i·siA] op B[o·soB + i·siB]; `out` may alias A or B when it has their layout. */
export function binaryLoop(op: BinaryOp, p: BroadcastPlan, A: Float32Array, B: Float32Array, out: Float32Array): void {
  const { outer, inner, soA, siA, soB, siB } = p;
  if (outer === 1 && siA === 1 && siB === 1) {
    binaryFlat(op, A, B, out, inner);
    return;
  }
  for (let o = 0; o < outer; o++) {
    const ia = o * soA;
    const ib = o * soB;
    const io = o * inner;
    switch (op) {
      case BinaryOp.Add:
        for (let i = 0; i < inner; i++) out[io + i] = (A[ia + i * siA] as number) + (B[ib + i * siB] as number);
        break;
      case BinaryOp.Sub:
        for (let i = 0; i < inner; i++) out[io + i] = (A[ia + i * siA] as number) - (B[ib + i * siB] as number);
        break;
      case BinaryOp.Mul:
        for (let i = 0; i < inner; i++) out[io + i] = (A[ia + i * siA] as number) * (B[ib + i * siB] as number);
        break;
      default:
        for (let i = 0; i < inner; i++) out[io + i] = (A[ia + i * siA] as number) / (B[ib + i * siB] as number);
    }
  }
}

/** Same-shape loops, unrolled by four (V8 spends most of a short loop body on bounds checks). */
function binaryFlat(op: BinaryOp, A: Float32Array, B: Float32Array, out: Float32Array, n: number): void {
  const n4 = n - (n % 4);
  let i = 0;
  switch (op) {
    case BinaryOp.Add:
      for (; i < n4; i += 4) {
        out[i] = (A[i] as number) + (B[i] as number);
        out[i + 1] = (A[i + 1] as number) + (B[i + 1] as number);
        out[i + 2] = (A[i + 2] as number) + (B[i + 2] as number);
        out[i + 3] = (A[i + 3] as number) + (B[i + 3] as number);
      }
      for (; i < n; i++) out[i] = (A[i] as number) + (B[i] as number);
      break;
    case BinaryOp.Sub:
      for (; i < n4; i += 4) {
        out[i] = (A[i] as number) - (B[i] as number);
        out[i + 1] = (A[i + 1] as number) - (B[i + 1] as number);
        out[i + 2] = (A[i + 2] as number) - (B[i + 2] as number);
        out[i + 3] = (A[i + 3] as number) - (B[i + 3] as number);
      }
      for (; i < n; i++) out[i] = (A[i] as number) - (B[i] as number);
      break;
    case BinaryOp.Mul:
      for (; i < n4; i += 4) {
        out[i] = (A[i] as number) * (B[i] as number);
        out[i + 1] = (A[i + 1] as number) * (B[i + 1] as number);
        out[i + 2] = (A[i + 2] as number) * (B[i + 2] as number);
        out[i + 3] = (A[i + 3] as number) * (B[i + 3] as number);
      }
      for (; i < n; i++) out[i] = (A[i] as number) * (B[i] as number);
      break;
    default:
      for (; i < n4; i += 4) {
        out[i] = (A[i] as number) / (B[i] as number);
        out[i + 1] = (A[i + 1] as number) / (B[i + 1] as number);
        out[i + 2] = (A[i + 2] as number) / (B[i + 2] as number);
        out[i + 3] = (A[i + 3] as number) / (B[i + 3] as number);
      }
      for (; i < n; i++) out[i] = (A[i] as number) / (B[i] as number);
  }
}

/** Below this many output elements the JS loop is cheaper than a call into the addon. */
export const NATIVE_MIN_ELEMENTS = 4096;

function binaryKernel(kernelName: string, op: BinaryOp): tf.KernelConfig {
  const fallback = cpuKernel(kernelName);
  return {
    kernelName,
    backendName: KILN_BACKEND,
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      if (a.dtype !== 'float32' || b.dtype !== 'float32') return fallback(args);
      const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
      const plan = planBroadcast(a.shape, b.shape, outShape);
      if (plan === null) return fallback(args);
      const kb = asKiln(args.backend);
      const n = sizeOf(outShape);
      const out = kb.alloc(n);
      if (n >= NATIVE_MIN_ELEMENTS) {
        const { outer, inner, soA, siA, soB, siB } = plan;
        kb.native.binary(op, outer, inner, kb.f32(a), soA, siA, kb.f32(b), soB, siB, out);
      } else {
        binaryLoop(op, plan, kb.f32(a), kb.f32(b), out);
      }
      return kb.out(outShape, out);
    },
  };
}

export function elementwiseKernels(): tf.KernelConfig[] {
  return [binaryKernel('Add', BinaryOp.Add), binaryKernel('Sub', BinaryOp.Sub), binaryKernel('Multiply', BinaryOp.Mul), binaryKernel('RealDiv', BinaryOp.Div)];
}
