import * as tf from '@tensorflow/tfjs-core';
// Side effect: the union package registers every op's gradient (tfjs-core's CJS build does not).
import '@tensorflow/tfjs';
import type { Rng } from './rng.js';

/**
 * Building blocks of Mamba4Rec as composites of tfjs ops. Gradients only use kernels that every
 * backend has (the wasm backend lacks UnsortedSegmentSum and the depthwise-conv gradients, and its
 * matMul is much slower with a transposed operand, so the gradients below transpose explicitly).
 */

/** a [m, k] · w [k, n] with a gradient that never asks matMul to transpose an operand. */
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

/** Linear layer on the last axis of a tensor of any rank: x [..., k] · w [k, n] (+ bias [n]). */
export function linear(x: tf.Tensor, w: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor {
  const k = w.shape[0];
  const n = w.shape[1];
  const lead = x.shape.slice(0, -1);
  let y: tf.Tensor = matMul2d(tf.reshape(x, [-1, k]) as tf.Tensor2D, w);
  if (bias !== undefined) y = tf.add(y, bias);
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

/** LayerNorm over the last axis. */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps = 1e-12): tf.Tensor {
  const axis = x.rank - 1;
  const mean = tf.mean(x, axis, true);
  const xc = tf.sub(x, mean);
  const variance = tf.mean(tf.square(xc), axis, true);
  return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

/** Exact GELU: x·Φ(x) = 0.5·x·(1 + erf(x/√2)). */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
}

/** SiLU: x·σ(x). */
export function silu(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.sigmoid(x));
}

/**
 * Causal depthwise conv1d along axis 0 of a time-major x [L, batch, channels]:
 * y_t = bias + Σ_{k<K} w[k]·x_{t−K+1+k}, zeros before t = 0 (PyTorch's Conv1d with padding K−1,
 * groups = channels, truncated to the first L outputs). w: [K, channels], bias: [channels].
 */
export function causalConv1d(x: tf.Tensor3D, w: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor3D {
  const [L, batch, channels] = x.shape;
  const K = w.shape[0];
  const xp = tf.pad(x, [
    [K - 1, 0],
    [0, 0],
    [0, 0],
  ]);
  const taps = tf.unstack(w) as tf.Tensor1D[];
  let y: tf.Tensor = tf.add(tf.mul(tf.slice(xp, [0, 0, 0], [L, batch, channels]), taps[0] as tf.Tensor1D), bias);
  for (let k = 1; k < K; k++) {
    y = tf.add(y, tf.mul(tf.slice(xp, [k, 0, 0], [L, batch, channels]), taps[k] as tf.Tensor1D));
  }
  return y as tf.Tensor3D;
}

/** Inverted dropout with a mask drawn from a seeded generator (identity when rate is 0). */
export function dropout(x: tf.Tensor, rate: number, rng: Rng | undefined): tf.Tensor {
  if (rate <= 0 || rng === undefined) return x;
  const n = x.size;
  const mask = new Float32Array(n);
  const keep = 1 / (1 - rate);
  for (let i = 0; i < n; i++) mask[i] = rng.next() >= rate ? keep : 0;
  return tf.mul(x, tf.tensor(mask, x.shape, 'float32'));
}

/** Row budget per chunk of full-vocabulary logits (≈ 32 MB of float32). */
const LOGIT_CHUNK_ELEMENTS = 1 << 23;

/**
 * Mean cross-entropy of full-softmax logits h · tableᵀ (tied output, no bias) against `targets`:
 * mean_r [logsumexp_j(h_r·e_j) − h_r·e_{t_r}] over all table rows j. The [rows, vocab] logits are
 * never held at once: forward and backward walk row chunks, and the backward pass recomputes
 * each chunk's logits (softmax − onehot).
 *
 * @param h       [rows, hidden]
 * @param table   [vocab, hidden]
 * @param targets [rows] int32 in [0, vocab)
 */
export function tiedSoftmaxCrossEntropy(h: tf.Tensor2D, table: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  const [rows] = h.shape;
  const vocab = table.shape[0];
  const chunk = Math.max(1, Math.floor(LOGIT_CHUNK_ELEMENTS / vocab));
  const op = tf.customGrad((...args: unknown[]) => {
    const [hh, tt, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    const tableT = tf.transpose(tt) as tf.Tensor2D;
    const lses: tf.Tensor1D[] = [];
    let total: tf.Scalar = tf.scalar(0);
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const len = Math.min(chunk, rows - r0);
      const [lse, part] = tf.tidy(() => {
        const hc = tf.slice(hh, [r0, 0], [len, -1]) as tf.Tensor2D;
        const tc = tf.slice(targets, [r0], [len]) as tf.Tensor1D;
        const logits = tf.matMul(hc, tableT);
        const lse = tf.logSumExp(logits, 1) as tf.Tensor1D;
        const picked = tf.sum(tf.mul(hc, tf.gather(tt, tc)), 1);
        return [lse, tf.sum(tf.sub(lse, picked))];
      });
      lses.push(lse);
      const next = tf.add(total, part) as tf.Scalar;
      total.dispose();
      part.dispose();
      total = next;
    }
    const lseAll = lses.length === 1 ? (lses[0] as tf.Tensor1D) : tf.concat(lses);
    save([hh, tt, lseAll]);
    return {
      value: tf.div(total, rows),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sh, st, sLse] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const scale = tf.div(dy, rows);
        const stT = tf.transpose(st) as tf.Tensor2D;
        const dhs: tf.Tensor2D[] = [];
        let dTableT: tf.Tensor2D = tf.zeros([sh.shape[1], vocab]);
        for (let r0 = 0; r0 < rows; r0 += chunk) {
          const len = Math.min(chunk, rows - r0);
          const [dh, dtT] = tf.tidy(() => {
            const hc = tf.slice(sh, [r0, 0], [len, -1]) as tf.Tensor2D;
            const tc = tf.slice(targets, [r0], [len]) as tf.Tensor1D;
            const lse = tf.slice(sLse, [r0], [len]);
            const p = tf.exp(tf.sub(tf.matMul(hc, stT), tf.expandDims(lse, 1)));
            const g = tf.mul(tf.sub(p, tf.oneHot(tc, vocab)), scale) as tf.Tensor2D;
            return [tf.matMul(g, st), tf.matMul(tf.transpose(hc), g)] as [tf.Tensor2D, tf.Tensor2D];
          });
          dhs.push(dh);
          const next = tf.add(dTableT, dtT) as tf.Tensor2D;
          dTableT.dispose();
          dtT.dispose();
          dTableT = next;
        }
        const dhAll = dhs.length === 1 ? (dhs[0] as tf.Tensor2D) : tf.concat(dhs);
        return [dhAll, tf.transpose(dTableT)];
      },
    };
  });
  return op(h, table) as tf.Scalar;
}
