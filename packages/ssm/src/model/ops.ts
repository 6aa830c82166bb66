import * as tf from '@tensorflow/tfjs-core';
// Side effect: the union package registers every op's gradient (tfjs-core's CJS build does not).
import '@tensorflow/tfjs';
import {
  type ActivationName,
  ActivationGradKernel,
  ActivationKernel,
  CausalConv1dGradKernel,
  CausalConv1dKernel,
  DropoutKernel,
  hasKernel,
  LayerNormGradKernel,
  LayerNormKernel,
  runKernel,
  TiedSoftmaxCrossEntropyKernel,
} from './kernel-names.js';
import { Rng } from './rng.js';

/**
 * Building blocks of Mamba4Rec. Each op has a composite of tfjs ops (the `…Reference` functions:
 * the oracle, and what runs on backends without Kiln's fused kernels) and, where the active backend
 * registers one (`kiln`, see ./kernel-names.ts), a fused kernel with a fused gradient.
 *
 * The composites' gradients only use kernels that every backend has (the wasm backend lacks
 * UnsortedSegmentSum and the depthwise-conv gradients, and its matMul is much slower with a
 * transposed operand, so its linear layers transpose explicitly).
 */

/** a [m, k] · w [k, n] with a gradient that never asks matMul to transpose an operand (for wasm). */
export const matMul2d = tf.customGrad((...args: unknown[]) => {
  const [a, w, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, w]);
  return {
    value: tf.matMul(a, w),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dy2 = dy as tf.Tensor2D;
      return [tf.matMul(dy2, tf.transpose(sw)), tf.matMul(tf.transpose(sa), dy2)];
    },
  };
}) as (a: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/**
 * Linear layer on the last axis of a tensor of any rank: x [..., k] · w [k, n] (+ bias [n]).
 * On wasm through {@link matMul2d}; elsewhere tfjs's (fused) matMul, whose gradient passes
 * transpose flags (free in sgemm on `kiln`).
 */
export function linear(x: tf.Tensor, w: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor {
  const k = w.shape[0];
  const n = w.shape[1];
  const lead = x.shape.slice(0, -1);
  const x2 = tf.reshape(x, [-1, k]) as tf.Tensor2D;
  let y: tf.Tensor;
  if (tf.getBackend() === 'wasm') {
    y = matMul2d(x2, w);
    if (bias !== undefined) y = tf.add(y, bias);
  } else {
    y = bias === undefined ? tf.matMul(x2, w) : tf.fused.matMul({ a: x2, b: w, bias });
  }
  return tf.reshape(y, [...lead, n]);
}

/**
 * Row lookup table[ids] for a 2-D table: the embedding lookup. Its gradient scatters with
 * scatterND (which sums duplicate ids) instead of UnsortedSegmentSum.
 */
export function gatherRows(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  const op = tf.customGrad((...args: unknown[]) => {
    const [t, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([]);
    return {
      value: tf.gather(t, ids),
      gradFunc: (dy: tf.Tensor) => [tf.scatterND(tf.reshape(ids, [-1, 1]), dy, t.shape)],
    };
  });
  return op(table) as tf.Tensor2D;
}

/** LayerNorm over the last axis (fused kernel when the backend has one). */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps = 1e-12): tf.Tensor {
  if (!hasKernel(LayerNormKernel)) return layerNormReference(x, gamma, beta, eps);
  const op = tf.customGrad((...args: unknown[]) => {
    const [xx, g, b, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const [y, mean, rstd] = runKernel(LayerNormKernel, { x: xx, gamma: g, beta: b }, { eps }) as [tf.Tensor, tf.Tensor, tf.Tensor];
    save([xx, g, mean, rstd]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sg, sm, sr] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        return runKernel(LayerNormGradKernel, { x: sx, gamma: sg, dy, mean: sm, rstd: sr });
      },
    };
  });
  return op(x, gamma, beta);
}

/** LayerNorm over the last axis as a composite of tfjs ops (the reference). */
export function layerNormReference(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps = 1e-12): tf.Tensor {
  const axis = x.rank - 1;
  const mean = tf.mean(x, axis, true);
  const xc = tf.sub(x, mean);
  const variance = tf.mean(tf.square(xc), axis, true);
  return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

/** Elementwise activation through the fused kernel (with its fused derivative). */
function fusedActivation(x: tf.Tensor, activation: ActivationName): tf.Tensor {
  const op = tf.customGrad((...args: unknown[]) => {
    const [xx, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [y] = runKernel(ActivationKernel, { x: xx }, { activation }) as [tf.Tensor];
    save([xx]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => runKernel(ActivationGradKernel, { x: saved[0] as tf.Tensor, dy }, { activation }),
    };
  });
  return op(x);
}

/** Exact GELU: x·Φ(x) = 0.5·x·(1 + erf(x/√2)). */
export function gelu(x: tf.Tensor): tf.Tensor {
  return hasKernel(ActivationKernel) ? fusedActivation(x, 'gelu') : geluReference(x);
}

export function geluReference(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
}

/** SiLU: x·σ(x). */
export function silu(x: tf.Tensor): tf.Tensor {
  return hasKernel(ActivationKernel) ? fusedActivation(x, 'silu') : siluReference(x);
}

export function siluReference(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.sigmoid(x));
}

/** Softplus: log(1 + eˣ). */
export function softplus(x: tf.Tensor): tf.Tensor {
  return hasKernel(ActivationKernel) ? fusedActivation(x, 'softplus') : tf.softplus(x);
}

/**
 * Causal depthwise conv1d along axis 0 of a time-major x [L, batch, channels]:
 * y_t = bias + Σ_{k<K} w[k]·x_{t−K+1+k}, zeros before t = 0 (PyTorch's Conv1d with padding K−1,
 * groups = channels, truncated to the first L outputs). w: [K, channels], bias: [channels].
 */
export function causalConv1d(x: tf.Tensor3D, w: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor3D {
  if (!hasKernel(CausalConv1dKernel)) return causalConv1dReference(x, w, bias);
  const op = tf.customGrad((...args: unknown[]) => {
    const [xx, ww, bb, save] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    const [y] = runKernel(CausalConv1dKernel, { x: xx, w: ww, bias: bb }) as [tf.Tensor3D];
    save([xx, ww]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => runKernel(CausalConv1dGradKernel, { x: saved[0] as tf.Tensor, w: saved[1] as tf.Tensor, dy }),
    };
  });
  return op(x, w, bias) as tf.Tensor3D;
}

/** {@link causalConv1d} as K shifted multiplies (the reference; wasm has no depthwise-conv gradients). */
export function causalConv1dReference(x: tf.Tensor3D, w: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor3D {
  const [L, batch, channels] = x.shape;
  const K = w.shape[0];
  const xp = tf.pad(x, [
    [K - 1, 0],
    [0, 0],
    [0, 0],
  ]);
  // Taps as slices of w (tf.unstack's gradient fails when K = 1).
  const tap = (k: number) => tf.reshape(tf.slice(w, [k, 0], [1, channels]), [channels]);
  let y: tf.Tensor = tf.add(tf.mul(tf.slice(xp, [0, 0, 0], [L, batch, channels]), tap(0)), bias);
  for (let k = 1; k < K; k++) {
    y = tf.add(y, tf.mul(tf.slice(xp, [k, 0, 0], [L, batch, channels]), tap(k)));
  }
  return y as tf.Tensor3D;
}

/**
 * Inverted dropout (identity when rate is 0 or no generator is given). The mask is drawn from a
 * generator seeded by one draw of `rng`, so the fused kernel and the reference draw the same mask.
 */
export function dropout(x: tf.Tensor, rate: number, rng: Rng | undefined): tf.Tensor {
  if (rate <= 0 || rng === undefined) return x;
  const seed = rng.nextUint32();
  if (!hasKernel(DropoutKernel)) return dropoutReference(x, rate, seed);
  const op = tf.customGrad((...args: unknown[]) => {
    const [xx, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [y, mask] = runKernel(DropoutKernel, { x: xx }, { rate, seed }) as [tf.Tensor, tf.Tensor];
    save([mask]);
    return { value: y, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, saved[0] as tf.Tensor)] };
  });
  return op(x);
}

/** {@link dropout}'s mask as a tensor times x (the reference). */
export function dropoutReference(x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  const mask = new Rng(seed).dropoutMask(x.size, rate);
  return tf.mul(x, tf.tensor(mask, x.shape, 'float32'));
}

/** Row budget per chunk of full-vocabulary logits (≈ 32 MB of float32). */
const LOGIT_CHUNK_ELEMENTS = 1 << 23;

/**
 * Mean cross-entropy of full-softmax logits h · tableᵀ (tied output, no bias) against `targets`:
 * mean_r [logsumexp_j(h_r·e_j) − h_r·e_{t_r}] over all table rows j and the rows r whose target
 * is not −1 (ignored rows; 0 when every row is ignored). The [rows, vocab] logits are never held
 * at once: the fused kernel walks row blocks and computes the gradient in the same pass; the
 * composite reference walks row chunks and recomputes each chunk's logits in the backward pass.
 *
 * @param h       [rows, hidden]
 * @param table   [vocab, hidden]
 * @param targets [rows] int32 in [0, vocab), or −1
 */
export function tiedSoftmaxCrossEntropy(h: tf.Tensor2D, table: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  if (!hasKernel(TiedSoftmaxCrossEntropyKernel)) return tiedSoftmaxCrossEntropyReference(h, table, targets);
  // Gradients are computed with the loss only when a gradient tape records this call.
  const withGrad = tf.engine().isTapeOn();
  const op = tf.customGrad((...args: unknown[]) => {
    const [hh, tt, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    const [loss, dh, dTable] = runKernel(TiedSoftmaxCrossEntropyKernel, { h: hh, table: tt, targets }, { withGrad }) as [tf.Scalar, tf.Tensor?, tf.Tensor?];
    if (dh !== undefined && dTable !== undefined) save([dh, dTable]);
    return {
      value: loss,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sdh, sdt] = saved as [tf.Tensor, tf.Tensor];
        if (sdh === undefined) throw new Error('tiedSoftmaxCrossEntropy: gradient asked of a call made without a gradient tape');
        const s = dy.dataSync()[0];
        return s === 1 ? [tf.clone(sdh), tf.clone(sdt)] : [tf.mul(sdh, dy), tf.mul(sdt, dy)];
      },
    };
  });
  return op(h, table) as tf.Scalar;
}

/** {@link tiedSoftmaxCrossEntropy} as a composite of tfjs ops over row chunks (the reference). */
export function tiedSoftmaxCrossEntropyReference(h: tf.Tensor2D, table: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  const [rows] = h.shape;
  const vocab = table.shape[0];
  const chunk = Math.max(1, Math.floor(LOGIT_CHUNK_ELEMENTS / vocab));
  const targetValues = targets.dataSync();
  let count = 0;
  for (const t of targetValues) if (t >= 0) count++;
  const ignored = count < rows;
  const denominator = Math.max(1, count);
  /** This chunk's targets (−1 replaced by 0) and, when rows are ignored, its 0/1 row weights [len, 1]. */
  const chunkTargets = (r0: number, len: number): [tf.Tensor1D, tf.Tensor2D | undefined] => {
    const tc = tf.slice(targets, [r0], [len]) as tf.Tensor1D;
    if (!ignored) return [tc, undefined];
    return [tf.maximum(tc, tf.scalar(0, 'int32')) as tf.Tensor1D, tf.reshape(tf.cast(tf.greaterEqual(tc, 0), 'float32'), [len, 1]) as tf.Tensor2D];
  };
  const op = tf.customGrad((...args: unknown[]) => {
    const [hh, tt, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    const tableT = tf.transpose(tt) as tf.Tensor2D;
    const lses: tf.Tensor1D[] = [];
    let total: tf.Scalar = tf.scalar(0);
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const len = Math.min(chunk, rows - r0);
      const [lse, part] = tf.tidy(() => {
        const hc = tf.slice(hh, [r0, 0], [len, -1]) as tf.Tensor2D;
        const [tc, weight] = chunkTargets(r0, len);
        const logits = tf.matMul(hc, tableT);
        const lse = tf.logSumExp(logits, 1) as tf.Tensor1D;
        const picked = tf.sum(tf.mul(hc, tf.gather(tt, tc)), 1);
        const perRow = tf.sub(lse, picked);
        return [lse, tf.sum(weight === undefined ? perRow : tf.mul(perRow, tf.reshape(weight, [len])))];
      });
      lses.push(lse);
      const next = tf.add(total, part) as tf.Scalar;
      total.dispose();
      part.dispose();
      total = next;
    }
    const lseAll = lses.length === 1 ? (lses[0] as tf.Tensor1D) : lses.length === 0 ? tf.zeros([0]) : tf.concat(lses);
    save([hh, tt, lseAll]);
    return {
      value: tf.div(total, denominator),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sh, st, sLse] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const scale = tf.div(dy, denominator);
        const stT = tf.transpose(st) as tf.Tensor2D;
        const dhs: tf.Tensor2D[] = [];
        let dTableT: tf.Tensor2D = tf.zeros([sh.shape[1], vocab]);
        for (let r0 = 0; r0 < rows; r0 += chunk) {
          const len = Math.min(chunk, rows - r0);
          const [dh, dtT] = tf.tidy(() => {
            const hc = tf.slice(sh, [r0, 0], [len, -1]) as tf.Tensor2D;
            const [tc, weight] = chunkTargets(r0, len);
            const lse = tf.slice(sLse, [r0], [len]);
            const p = tf.exp(tf.sub(tf.matMul(hc, stT), tf.expandDims(lse, 1)));
            let g = tf.mul(tf.sub(p, tf.oneHot(tc, vocab)), scale) as tf.Tensor2D;
            if (weight !== undefined) g = tf.mul(g, weight);
            return [tf.matMul(g, st), tf.matMul(tf.transpose(hc), g)] as [tf.Tensor2D, tf.Tensor2D];
          });
          dhs.push(dh);
          const next = tf.add(dTableT, dtT) as tf.Tensor2D;
          dTableT.dispose();
          dtT.dispose();
          dTableT = next;
        }
        const dhAll = dhs.length === 1 ? (dhs[0] as tf.Tensor2D) : dhs.length === 0 ? tf.zeros(sh.shape) : tf.concat(dhs);
        return [dhAll, tf.transpose(dTableT)];
      },
    };
  });
  return op(h, table) as tf.Scalar;
}
