import * as tf from '@tensorflow/tfjs-core';
// Side effect: the union package registers every op's gradient (tfjs-core's CJS build does not).
import '@tensorflow/tfjs';

/**
 * Mamba's selective scan (S6) as a composite of tfjs ops with a hand-written gradient: the
 * reference that runs on every backend. Per batch row b, channel d and state n:
 *
 *   h_t[d,n] = exp(Δ_t[d]·A[d,n]) · h_{t-1}[d,n] + Δ_t[d] · B_t[n] · x_t[d]      (h_{-1} = 0)
 *   y_t[d]   = Σ_n C_t[n] · h_t[d,n] + D[d] · x_t[d]
 *
 * Memory: the states h are never all materialised. The forward pass walks time in chunks of T steps
 * (T·batch·dInner·dState ≤ CHUNK_ELEMENTS) and keeps only the state at each chunk start; the
 * backward pass recomputes a chunk's states from its start and runs the reverse recurrence
 *
 *   g_t = C_t ⊗ dy_t + exp(Δ_{t+1}·A) ⊙ g_{t+1}
 *
 * from which dx, dΔ, dA, dB, dC follow in closed form (see `backwardChunk`).
 */

/** Upper bound on the elements of one [T, batch, dInner, dState] chunk tensor. */
const CHUNK_ELEMENTS = 1 << 23;

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
  return scanOp(options.chunkSteps)(x, delta, A, B, C, D) as tf.Tensor3D;
}

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
  return Math.max(1, Math.min(L, Math.floor(CHUNK_ELEMENTS / Math.max(1, batch * dInner * dState))));
}

interface ChunkInputs {
  x: tf.Tensor3D; // [T, batch, dInner]
  delta: tf.Tensor3D;
  B: tf.Tensor3D; // [T, batch, dState]
  C: tf.Tensor3D;
}

function sliceChunk(x: tf.Tensor3D, delta: tf.Tensor3D, B: tf.Tensor3D, C: tf.Tensor3D, t0: number, len: number): ChunkInputs {
  const [, batch, dInner] = x.shape;
  const dState = B.shape[2];
  return {
    x: tf.slice(x, [t0, 0, 0], [len, batch, dInner]),
    delta: tf.slice(delta, [t0, 0, 0], [len, batch, dInner]),
    B: tf.slice(B, [t0, 0, 0], [len, batch, dState]),
    C: tf.slice(C, [t0, 0, 0], [len, batch, dState]),
  };
}

/** exp(Δ·A) and Δ·x·B for a chunk, both [T, batch, dInner, dState]. */
function discretise(c: ChunkInputs, A: tf.Tensor2D): { dA: tf.Tensor4D; dBx: tf.Tensor4D; deltaX: tf.Tensor3D } {
  const dA = tf.exp(tf.mul(tf.expandDims(c.delta, 3), A)) as tf.Tensor4D;
  const deltaX = tf.mul(c.delta, c.x) as tf.Tensor3D;
  const dBx = tf.mul(tf.expandDims(deltaX, 3), tf.expandDims(c.B, 2)) as tf.Tensor4D;
  return { dA, dBx, deltaX };
}

/** Runs the recurrence over a chunk from state h0 ([batch, dInner, dState]); returns every state. */
function recurChunk(dA: tf.Tensor4D, dBx: tf.Tensor4D, h0: tf.Tensor3D | undefined): tf.Tensor3D[] {
  const a = tf.unstack(dA) as tf.Tensor3D[];
  const b = tf.unstack(dBx) as tf.Tensor3D[];
  const hs: tf.Tensor3D[] = [];
  let h = h0;
  for (let t = 0; t < a.length; t++) {
    const bt = b[t] as tf.Tensor3D;
    h = h === undefined ? bt : (tf.add(tf.mul(a[t] as tf.Tensor3D, h), bt) as tf.Tensor3D);
    hs.push(h);
  }
  return hs;
}

const scanOp = (chunkSteps: number | undefined) =>
  tf.customGrad((...args: unknown[]) => {
    const [x, delta, A, B, C, D, save] = args as [tf.Tensor3D, tf.Tensor3D, tf.Tensor2D, tf.Tensor3D, tf.Tensor3D, tf.Tensor1D, tf.GradSaveFunc];
    const [L, batch, dInner] = x.shape;
    const dState = A.shape[1];
    const T = chunkSteps ?? chunkLength(batch, dInner, dState, L);

    // Forward: keep y per chunk and the state entering each chunk.
    const ys: tf.Tensor3D[] = [];
    const starts: tf.Tensor3D[] = [];
    let h: tf.Tensor3D | undefined;
    for (let t0 = 0; t0 < L; t0 += T) {
      const len = Math.min(T, L - t0);
      const h0 = h;
      starts.push(h0 ?? tf.zeros([batch, dInner, dState]));
      const [yc, hEnd] = tf.tidy(() => {
        const c = sliceChunk(x, delta, B, C, t0, len);
        const { dA, dBx } = discretise(c, A);
        const hs = recurChunk(dA, dBx, h0);
        const H = tf.stack(hs); // [T, batch, dInner, dState]
        const y = tf.sum(tf.mul(H, tf.expandDims(c.C, 2)), 3) as tf.Tensor3D;
        return [y, hs[hs.length - 1] as tf.Tensor3D];
      });
      ys.push(yc);
      h = hEnd;
    }
    const value = tf.add(tf.concat(ys, 0), tf.mul(x, D)) as tf.Tensor3D;
    save([x, delta, A, B, C, D, tf.stack(starts)]);

    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [sx, sDelta, sA, sB, sC, sD, sStarts] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor2D, tf.Tensor3D, tf.Tensor3D, tf.Tensor1D, tf.Tensor4D];
      return backward(dy as tf.Tensor3D, sx, sDelta, sA, sB, sC, sD, sStarts, T);
    };
    return { value, gradFunc };
  });

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
  const nChunks = Math.ceil(L / T);
  const dxs: tf.Tensor3D[] = new Array(nChunks);
  const dDeltas: tf.Tensor3D[] = new Array(nChunks);
  const dBs: tf.Tensor3D[] = new Array(nChunks);
  const dCs: tf.Tensor3D[] = new Array(nChunks);
  let dA: tf.Tensor2D = tf.zeros([dInner, dState]);
  let carry: tf.Tensor3D | undefined; // gradient flowing into the state at the chunk's end

  for (let k = nChunks - 1; k >= 0; k--) {
    const t0 = k * T;
    const len = Math.min(T, L - t0);
    const res = tf.tidy(() => {
      const c = sliceChunk(x, delta, B, C, t0, len);
      const dyc = tf.slice(dy, [t0, 0, 0], [len, batch, dInner]);
      const h0 = tf.reshape(tf.slice(starts, [k, 0, 0, 0], [1, batch, dInner, dState]), [batch, dInner, dState]) as tf.Tensor3D;
      const { dA: a, dBx, deltaX } = discretise(c, A);
      const hs = recurChunk(a, dBx, k === 0 ? undefined : h0);
      const H = tf.stack(hs) as tf.Tensor4D;
      const Hprev = tf.stack([h0, ...hs.slice(0, -1)]) as tf.Tensor4D;

      // Reverse recurrence: g_t = C_t ⊗ dy_t + a_{t+1} ⊙ g_{t+1}.
      const cdy = tf.unstack(tf.mul(tf.expandDims(dyc, 3), tf.expandDims(c.C, 2))) as tf.Tensor3D[];
      const as = tf.unstack(a) as tf.Tensor3D[];
      const gs: tf.Tensor3D[] = new Array(len);
      let g = carry;
      for (let t = len - 1; t >= 0; t--) {
        const gt = g === undefined ? (cdy[t] as tf.Tensor3D) : (tf.add(cdy[t] as tf.Tensor3D, g) as tf.Tensor3D);
        gs[t] = gt;
        g = tf.mul(as[t] as tf.Tensor3D, gt) as tf.Tensor3D;
      }
      const G = tf.stack(gs) as tf.Tensor4D; // dL/dh_t, [T, batch, dInner, dState]

      const dC = tf.sum(tf.mul(H, tf.expandDims(dyc, 3)), 2) as tf.Tensor3D;
      const dB = tf.sum(tf.mul(G, tf.expandDims(deltaX, 3)), 2) as tf.Tensor3D;
      const dDeltaX = tf.sum(tf.mul(G, tf.expandDims(c.B, 2)), 3) as tf.Tensor3D;
      const dx = tf.mul(dDeltaX, c.delta) as tf.Tensor3D;
      const gA = tf.mul(tf.mul(G, Hprev), a); // dL/d(Δ·A) elementwise
      const dDelta = tf.add(tf.mul(dDeltaX, c.x), tf.sum(tf.mul(gA, A), 3)) as tf.Tensor3D;
      const dAc = tf.sum(tf.mul(gA, tf.expandDims(c.delta, 3)), [0, 1]) as tf.Tensor2D;
      return { dx, dDelta, dB, dC, dAc, carry: g as tf.Tensor3D };
    });
    dxs[k] = res.dx;
    dDeltas[k] = res.dDelta;
    dBs[k] = res.dB;
    dCs[k] = res.dC;
    const nextA = tf.add(dA, res.dAc) as tf.Tensor2D;
    dA.dispose();
    res.dAc.dispose();
    dA = nextA;
    carry?.dispose();
    carry = res.carry;
  }
  carry?.dispose();
  return tf.tidy(() => {
    const dxScan = concatAndDispose(dxs);
    const dx = tf.add(dxScan, tf.mul(dy, D));
    const dDelta = concatAndDispose(dDeltas);
    const dB = concatAndDispose(dBs);
    const dC = concatAndDispose(dCs);
    const dD = tf.sum(tf.mul(dy, x), [0, 1]);
    return [dx, dDelta, dA, dB, dC, dD];
  });
}

function concatAndDispose(parts: tf.Tensor3D[]): tf.Tensor3D {
  const out = parts.length === 1 ? (parts[0] as tf.Tensor3D) : (tf.concat(parts, 0) as tf.Tensor3D);
  if (parts.length > 1) for (const p of parts) p.dispose();
  return out;
}
