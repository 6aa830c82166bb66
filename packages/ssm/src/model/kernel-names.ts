/**
 * Names and attributes of the fused kernels behind Mamba4Rec's custom ops (tfjs's split: kernel
 * name + inputs/attrs here; the op, its composite reference and its gradient in the op's file; the
 * per-backend kernel where a backend provides one — today only `kiln`, in src/native/). An op uses
 * its fused kernel when the active backend registers it, and its composite of tfjs ops otherwise.
 */
import * as tf from '@tensorflow/tfjs-core';

/** inputs { x, delta, A, B, C, D } (time-major), attrs { chunk } → [y, checkpoints]. */
export const SelectiveScanKernel = 'KilnSelectiveScan';
/** inputs { x, delta, A, B, C, D, dy, checkpoints }, attrs { chunk } → [dx, dDelta, dA, dB, dC, dD]. */
export const SelectiveScanGradKernel = 'KilnSelectiveScanGrad';
export interface SelectiveScanAttrs {
  chunk: number;
}

/** inputs { x [L, B, D], w [K, D], bias [D] } → y [L, B, D]. */
export const CausalConv1dKernel = 'KilnCausalConv1d';
/** inputs { x, w, dy } → [dx, dw, dbias]. */
export const CausalConv1dGradKernel = 'KilnCausalConv1dGrad';

/** inputs { x [rows, H], gamma, beta }, attrs { eps } → [y, mean [rows], rstd [rows]]. */
export const LayerNormKernel = 'KilnLayerNorm';
/** inputs { x, gamma, dy, mean, rstd } → [dx, dgamma, dbeta]. */
export const LayerNormGradKernel = 'KilnLayerNormGrad';
export interface LayerNormAttrs {
  eps: number;
}

export type ActivationName = 'gelu' | 'silu' | 'softplus';
/** inputs { x }, attrs { activation } → y. */
export const ActivationKernel = 'KilnActivation';
/** inputs { x, dy }, attrs { activation } → dx. */
export const ActivationGradKernel = 'KilnActivationGrad';
export interface ActivationAttrs {
  activation: ActivationName;
}

/**
 * inputs { h [rows, H], table [V, H], targets [rows] int32 (−1 = ignored) }, attrs { withGrad }
 * → [loss (scalar mean over the rows not ignored)] or, with `withGrad`, [loss, dh, dtable]: the
 * gradients of that mean, computed in the same pass over the logits.
 */
export const TiedSoftmaxCrossEntropyKernel = 'KilnTiedSoftmaxCrossEntropy';
export interface TiedSoftmaxCrossEntropyAttrs {
  withGrad: boolean;
}

/**
 * inputs { x }, attrs { rate, seed } → [y, mask]: inverted dropout with the mask of
 * `new Rng(seed).dropoutMask(size, rate)`, mask and product in one pass.
 */
export const DropoutKernel = 'KilnDropout';
export interface DropoutAttrs {
  rate: number;
  seed: number;
}

/** True when the active backend registers `kernelName` (the op then runs its fused kernel). */
export function hasKernel(kernelName: string): boolean {
  const backend = tf.getBackend();
  return backend !== undefined && backend !== null && tf.getKernel(kernelName, backend) !== undefined;
}

/** Runs a registered kernel (tfjs's ENGINE.runKernel) and returns its outputs as a list. */
export function runKernel(kernelName: string, inputs: tf.NamedTensorMap, attrs: Record<string, unknown> = {}): tf.Tensor[] {
  const out = tf.engine().runKernel(kernelName, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}
