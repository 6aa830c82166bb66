import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../model/rng.js';

/** max |got − want| / max |want| (normwise relative error; 0 when both are all zeros). */
export function relErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Number.POSITIVE_INFINITY;
  let scale = 0;
  let err = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i] as number));
    const d = Math.abs((got[i] as number) - (want[i] as number));
    err = Number.isNaN(d) ? Number.POSITIVE_INFINITY : Math.max(err, d);
  }
  return err === 0 ? 0 : err / Math.max(scale, 1e-30);
}

/** Normal random values (seeded), times `scale`. */
export function randn(rng: Rng, n: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => scale * rng.normal());
}

/** Switches to `backend`, runs f inside tidy and returns copies of the arrays it returns. */
export async function runOn(backend: string, f: () => tf.Tensor[]): Promise<Float32Array[]> {
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} is not available`);
  return tf.tidy(() => f().map((t) => Float32Array.from(t.dataSync())));
}

/**
 * The outputs of `op` and the gradients of Σ out ⊙ dy with respect to each input, for inputs given
 * as [values, shape] on the current backend (dy: fixed random weights, so every gradient is non-trivial).
 */
export function valueAndGrads(op: (...xs: tf.Tensor[]) => tf.Tensor, inputs: Array<[Float32Array, number[]]>, seed = 99): tf.Tensor[] {
  const xs = inputs.map(([v, s]) => tf.tensor(v, s, 'float32'));
  const y = op(...xs);
  const dy = tf.tensor(randn(new Rng(seed), y.size), y.shape, 'float32');
  const grads = tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(op(...args), dy)))(xs);
  return [y, ...grads];
}
