import * as tf from '@tensorflow/tfjs-core';
import { BinaryOp, binaryLoop, planBroadcast } from './elementwise-kernels.js';
import { asKiln, cpuKernel, KILN_BACKEND, type KilnBackend, sizeOf } from './kiln-backend.js';

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/**
 * op(a)·op(b) for float32 tensors of rank ≥ 2 through the addon's sgemm / sgemmBatched: the
 * transposes are sgemm flags (free), a batch of one on either side is broadcast with stride 0.
 * `rowBias` (length N, batch 1 only) is added to every row of the product inside sgemm.
 * Returns null for what it does not cover (other dtypes, partial batch broadcasts).
 */
function matMul(
  kb: KilnBackend,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  { transposeA, transposeB }: MatMulAttrs,
  rowBias?: Float32Array,
): { shape: number[]; values: Float32Array } | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return null;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const M = (transposeA ? a.shape[ra - 1] : a.shape[ra - 2]) as number;
  const K = (transposeA ? a.shape[ra - 2] : a.shape[ra - 1]) as number;
  const Kb = (transposeB ? b.shape[rb - 1] : b.shape[rb - 2]) as number;
  const N = (transposeB ? b.shape[rb - 2] : b.shape[rb - 1]) as number;
  if (K !== Kb) throw new Error(`matMul: inner dimensions ${K} and ${Kb} differ (shapes ${a.shape}, ${b.shape})`);
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const outer = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
  const batch = sizeOf(outer);
  const batchA = sizeOf(outerA);
  const batchB = sizeOf(outerB);
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return null;
  if (rowBias !== undefined && (batch !== 1 || rowBias.length !== N)) return null;
  const values = kb.alloc(batch * M * N);
  const A = kb.f32(a);
  const B = kb.f32(b);
  if (M * N > 0) {
    // With a bias: C starts as the bias in every row and sgemm accumulates (beta = 1).
    if (rowBias !== undefined) fillRows(values, rowBias, M, N);
    if (K === 0) {
      if (rowBias === undefined) values.fill(0);
    } else if (batch === 1) {
      kb.native.sgemm(transposeA, transposeB, M, N, K, 1, A, transposeA ? M : K, B, transposeB ? K : N, rowBias === undefined ? 0 : 1, values, N);
    } else {
      kb.native.sgemmBatched(batch, transposeA, transposeB, M, N, K, A, batchA === 1 ? 0 : M * K, B, batchB === 1 ? 0 : K * N, values, M * N);
    }
  }
  return { shape: [...outer, M, N], values };
}

/** out[r, :] = row for r < rows, by doubling copies (memcpy speed). */
function fillRows(out: Float32Array, row: Float32Array, rows: number, N: number): void {
  out.set(row, 0);
  for (let filled = 1; filled < rows; ) {
    const c = Math.min(filled, rows - filled);
    out.copyWithin(filled * N, 0, c * N);
    filled += c;
  }
}

export function matMulKernels(): tf.KernelConfig[] {
  const batchMatMulCpu = cpuKernel('BatchMatMul');
  const fusedCpu = cpuKernel('_FusedMatMul');
  return [
    {
      kernelName: 'BatchMatMul',
      backendName: KILN_BACKEND,
      kernelFunc: (args) => {
        const kb = asKiln(args.backend);
        const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
        const r = matMul(kb, a, b, args.attrs as unknown as MatMulAttrs);
        return r === null ? batchMatMulCpu(args) : kb.out(r.shape, r.values);
      },
    },
    {
      // matMul + bias (the linear activation only; others run the cpu kernel).
      kernelName: '_FusedMatMul',
      backendName: KILN_BACKEND,
      kernelFunc: (args) => {
        const kb = asKiln(args.backend);
        const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
        const attrs = args.attrs as unknown as MatMulAttrs & { activation: string };
        if (a === undefined || b === undefined || preluActivationWeights != null || attrs.activation !== 'linear') return fusedCpu(args);
        if (bias != null && bias.dtype !== 'float32') return fusedCpu(args);
        // A bias over the last axis goes into sgemm; any other broadcast is added afterwards.
        const N = (attrs.transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1]) as number;
        const batch = Math.max(sizeOf(a.shape.slice(0, -2)), sizeOf(b.shape.slice(0, -2)));
        const rowBias = bias != null && batch === 1 && sizeOf(bias.shape) === N && bias.shape[bias.shape.length - 1] === N ? kb.f32(bias) : undefined;
        const r = matMul(kb, a, b, attrs, rowBias);
        if (r === null) return fusedCpu(args);
        if (bias != null && rowBias === undefined) {
          const shape = tf.backend_util.assertAndGetBroadcastShape(r.shape, bias.shape);
          const p = shape.length === r.shape.length && shape.every((d, i) => d === r.shape[i]) ? planBroadcast(r.shape, bias.shape, shape) : null;
          if (p === null) return fusedCpu(args);
          binaryLoop(BinaryOp.Add, p, r.values, kb.f32(bias), r.values);
        }
        return kb.out(r.shape, r.values);
      },
    },
  ];
}
