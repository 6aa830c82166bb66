import * as tf from '@tensorflow/tfjs-core';
// Side effect: the union package registers every op's gradient (tfjs-core's CJS build does not).
import '@tensorflow/tfjs';
import { hasKernel, runKernel, SelectiveScanGradKernel, SelectiveScanKernel } from './kernel-names.js';

/**
 * Mamba's selective scan (S6) as a composite of tfjs ops with a hand-written gradient: the
 * reference that runs on every backend. Per batch row b, channel d and state n:
 *
 *   h_t[d,n] = exp(Δ_t[d]·A[d,n]) · h_{t-1}[d,n] + Δ_t[d] · B_t[n] · x_t[d]      (h_{-1} = 0)
 *   y_t[d]   = Σ_n C_t[n] · h_t[d,n] + D[d] · x_t[d]
 *
 * The forward pass walks time step by step with [batch, dInner, dState] tensors (never the whole
 * [L, batch, dInner, dState] history) and keeps only the state entering every chunk of T steps
 * (2·T·batch·dInner·dState ≤ CHUNK_ELEMENTS). The backward pass recomputes a chunk's states from
 * its checkpoint and runs the reverse recurrence
 *
 *   g_t = C_t ⊗ dy_t + exp(Δ_{t+1}·A) ⊙ g_{t+1}
 *
 * from which dx, dΔ, dA, dB, dC, dD follow in closed form (see `backward`). Reductions over a
 * state or channel axis are written as small batched matMuls, which every backend runs well.
 */

/** Upper bound on the elements of the states kept for one checkpoint interval ([T, batch, dInner, dState]). */
const CHUNK_ELEMENTS = 1 << 24;

/**
 * Batch-major selective scan (the layout of the Mamba papers).
 *
 * @param x     [batch, L, dInner]  input after the causal conv and SiLU
 * @param delta [batch, L, dInner]  step sizes Δ (already softplus'd, > 0)
 * @param A     [dInner, dState]    state matrix (negative: −exp(A_log))
 * @param B     [batch, L, dState]  input projection per step
 * @param C     [batch, L, dState]  output projection per step
 * @param D     [dInner]            skip connection
 * @returns     [batch, L, dInner]
 */
export function selectiveScan(
  x: tf.Tensor3D,
  delta: tf.Tensor3D,
  A: tf.Tensor2D,
  B: tf.Tensor3D,
  C: tf.Tensor3D,
  D: tf.Tensor1D,
  options: SelectiveScanOptions = {},
): tf.Tensor3D {
  return tf.tidy(() => {
    const perm = [1, 0, 2];
    const y = selectiveScanTimeMajor(tf.transpose(x, perm), tf.transpose(delta, perm), A, tf.transpose(B, perm), tf.transpose(C, perm), D, options);
    return tf.transpose(y, perm);
  });
}

/**
 * Time-major selective scan: x, delta [L, batch, dInner]; B, C [L, batch, dState]; A [dInner, dState];
 * D [dInner] → y [L, batch, dInner]. Same maths as {@link selectiveScan}; the model uses this layout
 * so that a time step is a contiguous slice.
 */
export function selectiveScanTimeMajor(
  x: tf.Tensor3D,
  delta: tf.Tensor3D,
  A: tf.Tensor2D,
  B: tf.Tensor3D,
  C: tf.Tensor3D,
  D: tf.Tensor1D,
  options: SelectiveScanOptions = {},
): tf.Tensor3D {
  checkShapes(x, delta, A, B, C, D);
  if (hasKernel(SelectiveScanKernel)) return fusedScanOp(options.chunkSteps ?? fusedChunkSteps(x.shape[0]))(x, delta, A, B, C, D) as tf.Tensor3D;
  return scanOp(options.chunkSteps)(x, delta, A, B, C, D) as tf.Tensor3D;
}

/** {@link selectiveScanTimeMajor} as a composite of tfjs ops on every backend (the reference). */
export function selectiveScanTimeMajorReference(
  x: tf.Tensor3D,
  delta: tf.Tensor3D,
  A: tf.Tensor2D,
  B: tf.Tensor3D,
  C: tf.Tensor3D,
  D: tf.Tensor1D,
  options: SelectiveScanOptions = {},
): tf.Tensor3D {
  checkShapes(x, delta, A, B, C, D);
  return scanOp(options.chunkSteps)(x, delta, A, B, C, D) as tf.Tensor3D;
}

/**
 * Checkpoint interval of the fused kernel: chunks of at most 50 steps, of equal length. The addon
 * recomputes a chunk's states in per-thread buffers (chunk × dState × 16 lanes); measured on
 * ML-1M's shapes (L 200, batch 146, dInner 128, dState 32), the backward pass takes 35 ms with
 * chunks of 15 steps, 28 ms with 50 and 33 ms with 100 (cache misses), and the checkpoints of 50-step
 * chunks take 9 MB.
 */
function fusedChunkSteps(L: number): number {
  return Math.max(1, Math.ceil(L / Math.ceil(L / 50)));
}

/** The fused kernel: forward keeps only chunk checkpoints, backward recomputes from them. */
const fusedScanOp = (chunk: number) =>
  tf.customGrad((...args: unknown[]) => {
    const [x, delta, A, B, C, D, save] = args as [tf.Tensor3D, tf.Tensor3D, tf.Tensor2D, tf.Tensor3D, tf.Tensor3D, tf.Tensor1D, tf.GradSaveFunc];
    const [y, checkpoints] = runKernel(SelectiveScanKernel, { x, delta, A, B, C, D }, { chunk }) as [tf.Tensor3D, tf.Tensor4D];
    save([x, delta, A, B, C, D, checkpoints]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sDelta, sA, sB, sC, sD, sCk] = saved as tf.Tensor[];
        return runKernel(
          SelectiveScanGradKernel,
          {
            x: sx as tf.Tensor,
            delta: sDelta as tf.Tensor,
            A: sA as tf.Tensor,
            B: sB as tf.Tensor,
            C: sC as tf.Tensor,
            D: sD as tf.Tensor,
            dy,
            checkpoints: sCk as tf.Tensor,
          },
          { chunk },
        );
      },
    };
  });

export interface SelectiveScanOptions {
  /** Time steps per chunk (default: as many as keep a chunk tensor under 2^23 elements). */
  chunkSteps?: number;
}

function checkShapes(x: tf.Tensor3D, delta: tf.Tensor3D, A: tf.Tensor2D, B: tf.Tensor3D, C: tf.Tensor3D, D: tf.Tensor1D): void {
  const [L, batch, dInner] = x.shape;
  const dState = A.shape[1];
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  if (!same(delta.shape, x.shape)) throw new Error(`selectiveScan: delta shape ${delta.shape} != x shape ${x.shape}`);
  if (A.shape[0] !== dInner) throw new Error(`selectiveScan: A shape ${A.shape} does not match dInner ${dInner}`);
  if (!same(B.shape, [L, batch, dState])) throw new Error(`selectiveScan: B shape ${B.shape} != ${[L, batch, dState]}`);
  if (!same(C.shape, [L, batch, dState])) throw new Error(`selectiveScan: C shape ${C.shape} != ${[L, batch, dState]}`);
  if (!same(D.shape, [dInner])) throw new Error(`selectiveScan: D shape ${D.shape} != [${dInner}]`);
}

function chunkLength(batch: number, dInner: number, dState: number, L: number): number {
  return Math.max(1, Math.min(L, Math.floor(CHUNK_ELEMENTS / Math.max(1, 2 * batch * dInner * dState))));
}

/**
 * Splits x [L, ...rest] into L tensors [...rest]. tfjs-wasm's Slice kernel copies its whole input
 * on every call (L slices would cost O(L²)), so on wasm the values are read once and re-uploaded.
 */
function splitSteps(x: tf.Tensor): tf.Tensor[] {
  if (tf.getBackend() !== 'wasm') return tf.unstack(x);
  const L = x.shape[0] as number;
  const rest = x.shape.slice(1);
  const stride = rest.reduce((a, b) => a * b, 1);
  const values = x.dataSync() as Float32Array;
  return Array.from({ length: L }, (_, t) => tf.tensor(values.subarray(t * stride, (t + 1) * stride), rest, 'float32'));
}

/** Per-step views of the scan inputs: x_t, Δ_t [batch, dInner]; B_t, C_t as [batch, dState, 1] and [batch, 1, dState]. */
interface Steps {
  x: tf.Tensor2D[];
  delta: tf.Tensor2D[];
  Bcol: tf.Tensor3D[]; // [batch, dState, 1]
  Brow: tf.Tensor3D[]; // [batch, 1, dState]
  Ccol: tf.Tensor3D[]; // [batch, dState, 1]
  Crow: tf.Tensor3D[]; // [batch, 1, dState]
}

function splitInputs(x: tf.Tensor3D, delta: tf.Tensor3D, B: tf.Tensor3D, C: tf.Tensor3D): Steps {
  const bs = splitSteps(B) as tf.Tensor2D[];
  const cs = splitSteps(C) as tf.Tensor2D[];
  return {
    x: splitSteps(x) as tf.Tensor2D[],
    delta: splitSteps(delta) as tf.Tensor2D[],
    Bcol: bs.map((b) => tf.expandDims(b, 2) as tf.Tensor3D),
    Brow: bs.map((b) => tf.expandDims(b, 1) as tf.Tensor3D),
    Ccol: cs.map((c) => tf.expandDims(c, 2) as tf.Tensor3D),
    Crow: cs.map((c) => tf.expandDims(c, 1) as tf.Tensor3D),
  };
}

/** exp(Δ_t·A): [batch, dInner, dState]. */
function decay(delta: tf.Tensor2D, A: tf.Tensor2D): tf.Tensor3D {
  return tf.exp(tf.mul(tf.expandDims(delta, 2), A)) as tf.Tensor3D;
}

/** One step h_t = a_t ⊙ h_{t−1} + (Δ_t x_t) ⊗ B_t. */
function step(a: tf.Tensor3D, h: tf.Tensor3D | undefined, deltaX: tf.Tensor2D, Brow: tf.Tensor3D): tf.Tensor3D {
  const bx = tf.matMul(tf.expandDims(deltaX, 2), Brow) as tf.Tensor3D; // outer product [batch, dInner, dState]
  return h === undefined ? bx : (tf.add(tf.mul(a, h), bx) as tf.Tensor3D);
}

const scanOp = (chunkSteps: number | undefined) =>
  tf.customGrad((...args: unknown[]) => {
    const [x, delta, A, B, C, D, save] = args as [tf.Tensor3D, tf.Tensor3D, tf.Tensor2D, tf.Tensor3D, tf.Tensor3D, tf.Tensor1D, tf.GradSaveFunc];
    const [L, batch, dInner] = x.shape;
    const dState = A.shape[1];
    const T = chunkSteps ?? chunkLength(batch, dInner, dState, L);

    // Forward: y_t = h_t · C_t per step; keep the state entering every chunk of T steps.
    const steps = splitInputs(x, delta, B, C);
    const ys: tf.Tensor2D[] = [];
    const starts: tf.Tensor3D[] = [];
    let h: tf.Tensor3D | undefined;
    for (let t = 0; t < L; t++) {
      if (t % T === 0) starts.push(h ?? (tf.zeros([batch, dInner, dState]) as tf.Tensor3D));
      const prev = h;
      const [yt, ht] = tf.tidy(() => {
        const dt = steps.delta[t] as tf.Tensor2D;
        const hn = step(decay(dt, A), prev, tf.mul(dt, steps.x[t] as tf.Tensor2D) as tf.Tensor2D, steps.Brow[t] as tf.Tensor3D);
        const y = tf.reshape(tf.matMul(hn, steps.Ccol[t] as tf.Tensor3D), [batch, dInner]) as tf.Tensor2D;
        return [y, hn];
      });
      if (prev !== undefined && t % T !== 0) prev.dispose();
      ys.push(yt);
      h = ht;
    }
    const value = tf.add(tf.stack(ys), tf.mul(x, D)) as tf.Tensor3D;
    save([x, delta, A, B, C, D, tf.stack(starts)]);

    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [sx, sDelta, sA, sB, sC, sD, sStarts] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor2D, tf.Tensor3D, tf.Tensor3D, tf.Tensor1D, tf.Tensor4D];
      return backward(dy as tf.Tensor3D, sx, sDelta, sA, sB, sC, sD, sStarts, T);
    };
    return { value, gradFunc };
  });

/**
 * Reverse pass. With g_t = dL/dh_t (including the future's contribution), per step:
 *   dC_t = dy_t · h_t,   dB_t = (Δ_t x_t) · g_t,   d(Δx)_t = g_t · B_t,
 *   gA_t = g_t ⊙ h_{t−1} ⊙ a_t  (dL/d(Δ_t A)),  dΔ_t = d(Δx)_t x_t + Σ_n gA_t A,  dA = Σ_{t,b} gA_t Δ_t,
 *   dx_t = d(Δx)_t Δ_t + D dy_t,  and g_{t−1} = C_{t−1} ⊗ dy_{t−1} + a_t ⊙ g_t.
 * States are recomputed chunk by chunk from the saved chunk starts.
 */
function backward(
  dy: tf.Tensor3D,
  x: tf.Tensor3D,
  delta: tf.Tensor3D,
  A: tf.Tensor2D,
  B: tf.Tensor3D,
  C: tf.Tensor3D,
  D: tf.Tensor1D,
  starts: tf.Tensor4D,
  T: number,
): tf.Tensor[] {
  const [L, batch, dInner] = x.shape;
  const dState = A.shape[1];
  const steps = splitInputs(x, delta, B, C);
  const dys = (splitSteps(dy) as tf.Tensor2D[]).map((d) => tf.expandDims(d, 2) as tf.Tensor3D); // [batch, dInner, 1]
  const startList = splitSteps(starts) as tf.Tensor3D[];
  const dxs: tf.Tensor2D[] = new Array(L);
  const dDeltas: tf.Tensor2D[] = new Array(L);
  const dBs: tf.Tensor2D[] = new Array(L);
  const dCs: tf.Tensor2D[] = new Array(L);
  let accA: tf.Tensor3D | undefined; // Σ_t gA_t ⊙ Δ_t, [batch, dInner, dState]
  let g: tf.Tensor3D | undefined; // a_{t+1} ⊙ g_{t+1}: the future's gradient on h_t

  for (let c0 = Math.floor((L - 1) / T) * T; c0 >= 0; c0 -= T) {
    const c1 = Math.min(L, c0 + T);
    // Recompute this chunk's decays and states.
    const as: tf.Tensor3D[] = [];
    const hs: tf.Tensor3D[] = [];
    let h: tf.Tensor3D | undefined = c0 === 0 ? undefined : (startList[c0 / T] as tf.Tensor3D);
    const h0 = h;
    for (let t = c0; t < c1; t++) {
      const dt = steps.delta[t] as tf.Tensor2D;
      const prev = h;
      const [a, hn] = tf.tidy(() => {
        const a = decay(dt, A);
        return [a, step(a, prev, tf.mul(dt, steps.x[t] as tf.Tensor2D) as tf.Tensor2D, steps.Brow[t] as tf.Tensor3D)];
      });
      as.push(a);
      hs.push(hn);
      h = hn;
    }
    for (let t = c1 - 1; t >= c0; t--) {
      const k = t - c0;
      const hPrev = k > 0 ? hs[k - 1] : h0;
      const gFuture = g;
      const accPrev = accA;
      const out = tf.tidy(() => {
        const dt = steps.delta[t] as tf.Tensor2D;
        const xt = steps.x[t] as tf.Tensor2D;
        const dyt = dys[t] as tf.Tensor3D;
        const at = as[k] as tf.Tensor3D;
        const outer = tf.matMul(dyt, steps.Crow[t] as tf.Tensor3D); // C_t ⊗ dy_t
        const gt = gFuture === undefined ? outer : tf.add(outer, gFuture);
        const dC = tf.reshape(tf.matMul(tf.transpose(dyt, [0, 2, 1]), hs[k] as tf.Tensor3D), [batch, dState]);
        const deltaX = tf.mul(dt, xt);
        const dB = tf.reshape(tf.matMul(tf.expandDims(deltaX, 1), gt), [batch, dState]);
        const dDeltaX = tf.reshape(tf.matMul(gt, steps.Bcol[t] as tf.Tensor3D), [batch, dInner]);
        let dDelta = tf.mul(dDeltaX, xt);
        let acc = accPrev;
        if (hPrev !== undefined) {
          const gA = tf.mul(tf.mul(gt, hPrev), at);
          dDelta = tf.add(dDelta, tf.sum(tf.mul(gA, A), 2));
          const term = tf.mul(gA, tf.expandDims(dt, 2));
          acc = (acc === undefined ? term : tf.add(acc, term)) as tf.Tensor3D;
        }
        const dx = tf.add(tf.mul(dDeltaX, dt), tf.mul(tf.reshape(dyt, [batch, dInner]), D));
        return { dx, dDelta, dB, dC, g: tf.mul(at, gt), acc: acc ?? tf.zeros([batch, dInner, dState]) };
      });
      dxs[t] = out.dx as tf.Tensor2D;
      dDeltas[t] = out.dDelta as tf.Tensor2D;
      dBs[t] = out.dB as tf.Tensor2D;
      dCs[t] = out.dC as tf.Tensor2D;
      gFuture?.dispose();
      g = out.g as tf.Tensor3D;
      if (accPrev !== out.acc) accPrev?.dispose();
      accA = out.acc as tf.Tensor3D;
    }
    for (const a of as) a.dispose();
    for (const hh of hs) hh.dispose();
  }
  g?.dispose();
  return tf.tidy(() => {
    const dA = accA === undefined ? tf.zeros([dInner, dState]) : tf.sum(accA, 0);
    const dD = tf.sum(tf.mul(dy, x), [0, 1]);
    return [tf.stack(dxs), tf.stack(dDeltas), dA, tf.stack(dBs), tf.stack(dCs), dD];
  });
}
