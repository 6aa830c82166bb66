import type * as tf from '@tensorflow/tfjs-core';
import {
  ActivationGradKernel,
  ActivationKernel,
  type ActivationAttrs,
  CausalConv1dGradKernel,
  CausalConv1dKernel,
  type DropoutAttrs,
  DropoutKernel,
  LayerNormGradKernel,
  LayerNormKernel,
  type LayerNormAttrs,
  SelectiveScanGradKernel,
  SelectiveScanKernel,
  type SelectiveScanAttrs,
  TiedSoftmaxCrossEntropyKernel,
  type TiedSoftmaxCrossEntropyAttrs,
} from '../model/kernel-names.js';
import { Rng } from '../model/rng.js';
import { asKiln, KILN_BACKEND, type KilnBackend, sizeOf } from './kiln-backend.js';

/** The fused kernels of Mamba4Rec's custom ops (see ../model/kernel-names.ts) on the addon. */

type Inputs = Record<string, tf.TensorInfo>;

function kernel(kernelName: string, f: (kb: KilnBackend, inputs: Inputs, attrs: unknown) => tf.TensorInfo | tf.TensorInfo[]): tf.KernelConfig {
  return {
    kernelName,
    backendName: KILN_BACKEND,
    kernelFunc: (args) => f(asKiln(args.backend), args.inputs as unknown as Inputs, args.attrs),
  };
}

function get(inputs: Inputs, name: string): tf.TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new Error(`missing input ${name}`);
  return t;
}

const scan = kernel(SelectiveScanKernel, (kb, inputs, attrs) => {
  const x = get(inputs, 'x');
  const [L, B, D] = x.shape as [number, number, number];
  const N = get(inputs, 'A').shape[1] as number;
  const { chunk } = attrs as SelectiveScanAttrs;
  const y = kb.alloc(L * B * D);
  const checkpoints = kb.alloc(Math.ceil(L / chunk) * B * D * N);
  const f = (name: string) => kb.f32(get(inputs, name));
  kb.native.scanForward(L, B, D, N, f('x'), f('delta'), f('A'), f('B'), f('C'), f('D'), y, checkpoints, chunk);
  return [kb.out([L, B, D], y), kb.out([Math.ceil(L / chunk), B, D, N], checkpoints)];
});

const scanGrad = kernel(SelectiveScanGradKernel, (kb, inputs, attrs) => {
  const x = get(inputs, 'x');
  const [L, B, D] = x.shape as [number, number, number];
  const N = get(inputs, 'A').shape[1] as number;
  const { chunk } = attrs as SelectiveScanAttrs;
  const f = (name: string) => kb.f32(get(inputs, name));
  const dx = kb.alloc(L * B * D);
  const dDelta = kb.alloc(L * B * D);
  const dA = kb.alloc(D * N);
  const dB = kb.alloc(L * B * N);
  const dC = kb.alloc(L * B * N);
  const dD = kb.alloc(D);
  kb.native.scanBackward(L, B, D, N, f('x'), f('delta'), f('A'), f('B'), f('C'), f('D'), f('dy'), f('checkpoints'), chunk, dx, dDelta, dA, dB, dC, dD);
  return [kb.out([L, B, D], dx), kb.out([L, B, D], dDelta), kb.out([D, N], dA), kb.out([L, B, N], dB), kb.out([L, B, N], dC), kb.out([D], dD)];
});

const conv = kernel(CausalConv1dKernel, (kb, inputs) => {
  const x = get(inputs, 'x');
  const [L, B, D] = x.shape as [number, number, number];
  const K = get(inputs, 'w').shape[0] as number;
  const y = kb.alloc(L * B * D);
  kb.native.conv1dForward(L, B, D, K, kb.f32(x), kb.f32(get(inputs, 'w')), kb.f32(get(inputs, 'bias')), y);
  return kb.out([L, B, D], y);
});

const convGrad = kernel(CausalConv1dGradKernel, (kb, inputs) => {
  const x = get(inputs, 'x');
  const [L, B, D] = x.shape as [number, number, number];
  const K = get(inputs, 'w').shape[0] as number;
  const dx = kb.alloc(L * B * D);
  const dw = kb.alloc(K * D);
  const dbias = kb.alloc(D);
  kb.native.conv1dBackward(L, B, D, K, kb.f32(x), kb.f32(get(inputs, 'w')), kb.f32(get(inputs, 'dy')), dx, dw, dbias);
  return [kb.out([L, B, D], dx), kb.out([K, D], dw), kb.out([D], dbias)];
});

const layerNorm = kernel(LayerNormKernel, (kb, inputs, attrs) => {
  const x = get(inputs, 'x');
  const H = x.shape[x.shape.length - 1] as number;
  const rows = sizeOf(x.shape) / H;
  const y = kb.alloc(rows * H);
  const mean = kb.alloc(rows);
  const rstd = kb.alloc(rows);
  kb.native.layerNormForward(rows, H, kb.f32(x), kb.f32(get(inputs, 'gamma')), kb.f32(get(inputs, 'beta')), (attrs as LayerNormAttrs).eps, y, mean, rstd);
  return [kb.out(x.shape, y), kb.out([rows], mean), kb.out([rows], rstd)];
});

const layerNormGrad = kernel(LayerNormGradKernel, (kb, inputs) => {
  const x = get(inputs, 'x');
  const H = x.shape[x.shape.length - 1] as number;
  const rows = sizeOf(x.shape) / H;
  const dx = kb.alloc(rows * H);
  const dgamma = kb.alloc(H);
  const dbeta = kb.alloc(H);
  const f = (name: string) => kb.f32(get(inputs, name));
  kb.native.layerNormBackward(rows, H, f('x'), f('gamma'), f('dy'), f('mean'), f('rstd'), dx, dgamma, dbeta);
  return [kb.out(x.shape, dx), kb.out([H], dgamma), kb.out([H], dbeta)];
});

const activation = kernel(ActivationKernel, (kb, inputs, attrs) => {
  const x = get(inputs, 'x');
  const n = sizeOf(x.shape);
  const y = kb.alloc(n);
  kb.native.activationForward((attrs as ActivationAttrs).activation, n, kb.f32(x), y);
  return kb.out(x.shape, y);
});

const activationGrad = kernel(ActivationGradKernel, (kb, inputs, attrs) => {
  const x = get(inputs, 'x');
  const n = sizeOf(x.shape);
  const dx = kb.alloc(n);
  kb.native.activationBackward((attrs as ActivationAttrs).activation, n, kb.f32(x), kb.f32(get(inputs, 'dy')), dx);
  return kb.out(x.shape, dx);
});

const softmaxCrossEntropy = kernel(TiedSoftmaxCrossEntropyKernel, (kb, inputs, attrs) => {
  const h = get(inputs, 'h');
  const table = get(inputs, 'table');
  const targets = get(inputs, 'targets');
  const [T, H] = h.shape as [number, number];
  const V = table.shape[0] as number;
  const { withGrad } = attrs as TiedSoftmaxCrossEntropyAttrs;
  const dh = withGrad ? kb.alloc(T * H) : null;
  const dE = withGrad ? kb.alloc(V * H) : null;
  const loss = kb.native.softmaxCrossEntropy(T, V, H, kb.f32(h), kb.f32(table), kb.i32(targets), dh, dE);
  const lossInfo = kb.out([], Float32Array.of(loss));
  return dh === null || dE === null ? [lossInfo] : [lossInfo, kb.out([T, H], dh), kb.out([V, H], dE)];
});

/** Below this many values the JS loop is cheaper than a call into the addon (same mask either way). */
const DROPOUT_NATIVE_MIN = 4096;

const dropout = kernel(DropoutKernel, (kb, inputs, attrs) => {
  const x = get(inputs, 'x');
  const { rate, seed } = attrs as DropoutAttrs;
  const n = sizeOf(x.shape);
  const y = kb.alloc(n);
  const mask = kb.alloc(n);
  if (n >= DROPOUT_NATIVE_MIN) {
    const { state, threshold, keep } = new Rng(seed).takeDropoutStream(rate, n);
    kb.native.dropout(n, state, threshold, keep, kb.f32(x), mask, y);
  } else {
    new Rng(seed).dropoutInto(rate, mask, kb.f32(x), y);
  }
  return [kb.out(x.shape, y), kb.out(x.shape, mask)];
});

export function fusedKernels(): tf.KernelConfig[] {
  return [scan, scanGrad, conv, convGrad, layerNorm, layerNormGrad, activation, activationGrad, softmaxCrossEntropy, dropout];
}
