import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { Rng } from './rng.js';
import { selectiveScan } from './selective-scan.js';

interface ScanInputs {
  x: Float64Array; // [batch, L, D]
  delta: Float64Array; // [batch, L, D]
  A: Float64Array; // [D, N]
  B: Float64Array; // [batch, L, N]
  C: Float64Array; // [batch, L, N]
  Dskip: Float64Array; // [D]
}

/** Plain double-loop reference in float64. */
function referenceScan(inp: ScanInputs, batch: number, L: number, D: number, N: number): Float64Array {
  const y = new Float64Array(batch * L * D);
  for (let b = 0; b < batch; b++) {
    for (let d = 0; d < D; d++) {
      const h = new Float64Array(N);
      for (let t = 0; t < L; t++) {
        const i = (b * L + t) * D + d;
        const dt = inp.delta[i] as number;
        const xt = inp.x[i] as number;
        let acc = 0;
        for (let n = 0; n < N; n++) {
          const bn = (b * L + t) * N + n;
          h[n] = Math.exp(dt * (inp.A[d * N + n] as number)) * (h[n] as number) + dt * (inp.B[bn] as number) * xt;
          acc += (inp.C[bn] as number) * (h[n] as number);
        }
        y[i] = acc + (inp.Dskip[d] as number) * xt;
      }
    }
  }
  return y;
}

function randomInputs(rng: Rng, batch: number, L: number, D: number, N: number): ScanInputs {
  const fill = (n: number, f: () => number) => Float64Array.from({ length: n }, f);
  return {
    x: fill(batch * L * D, () => rng.normal()),
    delta: fill(batch * L * D, () => 0.05 + rng.next()), // softplus outputs: positive
    A: fill(D * N, () => -(0.2 + 2 * rng.next())),
    B: fill(batch * L * N, () => rng.normal()),
    C: fill(batch * L * N, () => rng.normal()),
    Dskip: fill(D, () => rng.normal()),
  };
}

function toTensors(inp: ScanInputs, batch: number, L: number, D: number, N: number) {
  return {
    x: tf.tensor3d(Float32Array.from(inp.x), [batch, L, D]),
    delta: tf.tensor3d(Float32Array.from(inp.delta), [batch, L, D]),
    A: tf.tensor2d(Float32Array.from(inp.A), [D, N]),
    B: tf.tensor3d(Float32Array.from(inp.B), [batch, L, N]),
    C: tf.tensor3d(Float32Array.from(inp.C), [batch, L, N]),
    Dskip: tf.tensor1d(Float32Array.from(inp.Dskip)),
  };
}

function maxRelErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let scale = 1e-12;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i] as number));
  let err = 0;
  for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs((got[i] as number) - (want[i] as number)));
  return err / scale;
}

describe.each(['cpu', 'wasm'] as const)('selectiveScan on %s', (backend) => {
  beforeAll(async () => {
    const chosen = await initBackend(backend);
    expect(chosen).toBe(backend);
  });

  it('matches a double-loop reference (forward)', () => {
    const [batch, L, D, N] = [3, 37, 5, 4];
    const inp = randomInputs(new Rng(11), batch, L, D, N);
    const before = tf.memory().numTensors;
    const y = tf.tidy(() => {
      const t = toTensors(inp, batch, L, D, N);
      return selectiveScan(t.x, t.delta, t.A, t.B, t.C, t.Dskip).dataSync();
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(maxRelErr(y, referenceScan(inp, batch, L, D, N))).toBeLessThan(1e-5);
  });

  it.each([undefined, 4, 1])('has gradients that match float64 central differences (chunkSteps %s)', (chunkSteps) => {
    const [batch, L, D, N] = [2, 6, 3, 2];
    const rng = new Rng(5);
    const inp = randomInputs(rng, batch, L, D, N);
    const weights = Float64Array.from({ length: batch * L * D }, () => rng.normal());
    const loss = (v: ScanInputs) => {
      const y = referenceScan(v, batch, L, D, N);
      let s = 0;
      for (let i = 0; i < y.length; i++) s += (y[i] as number) * (weights[i] as number);
      return s;
    };
    const names = ['x', 'delta', 'A', 'B', 'C', 'Dskip'] as const;
    const before = tf.memory().numTensors;
    const grads = tf.tidy(() => {
      const t = toTensors(inp, batch, L, D, N);
      const w = tf.tensor3d(Float32Array.from(weights), [batch, L, D]);
      const g = tf.grads((x, delta, A, B, C, Dskip) =>
        tf.sum(
          tf.mul(
            selectiveScan(x as tf.Tensor3D, delta as tf.Tensor3D, A as tf.Tensor2D, B as tf.Tensor3D, C as tf.Tensor3D, Dskip as tf.Tensor1D, { chunkSteps }),
            w,
          ),
        ),
      )([t.x, t.delta, t.A, t.B, t.C, t.Dskip]);
      return g.map((gi) => gi.dataSync());
    });
    expect(tf.memory().numTensors).toBe(before);
    const eps = 1e-6;
    names.forEach((name, k) => {
      const numeric = new Float64Array(inp[name].length);
      for (let i = 0; i < numeric.length; i++) {
        const arr = inp[name];
        const orig = arr[i] as number;
        arr[i] = orig + eps;
        const up = loss(inp);
        arr[i] = orig - eps;
        const down = loss(inp);
        arr[i] = orig;
        numeric[i] = (up - down) / (2 * eps);
      }
      expect(maxRelErr(grads[k] as Float32Array, numeric), name).toBeLessThan(1e-4);
    });
  });

  it('chunks long sequences without changing the result (L = 200, wide state)', () => {
    const [batch, L, D, N] = [4, 200, 16, 32];
    const inp = randomInputs(new Rng(3), batch, L, D, N);
    const want = referenceScan(inp, batch, L, D, N);
    for (const chunkSteps of [undefined, 64, 7]) {
      const y = tf.tidy(() => {
        const t = toTensors(inp, batch, L, D, N);
        return selectiveScan(t.x, t.delta, t.A, t.B, t.C, t.Dskip, { chunkSteps }).dataSync();
      });
      expect(maxRelErr(y, want)).toBeLessThan(1e-4);
    }
  });
});
