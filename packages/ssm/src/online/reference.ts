import type { Mamba4RecConfig } from '../model/config.js';
import { type OnlineDims, onlineDims } from './layout.js';

/**
 * The recurrent form of Mamba4Rec in plain JavaScript (double arithmetic): the reference the native
 * step kernel (packages/kernels/native/kernels/online.h) is tested against, and what runs where the
 * addon is missing. Feeding a history item by item from the empty state gives the same hidden
 * state as the model's full forward pass over that history (src/model/mamba4rec.ts), because every
 * part of the model is causal: embeddings, norms, projections and the FFN act per position, the
 * conv only sees the last dConv inputs and the scan only its state.
 */
export class ReferenceStepper {
  readonly dims: OnlineDims;
  private readonly p: ReadonlyMap<string, Float32Array>;
  /** −exp(A_log) per layer. */
  private readonly A: Float32Array[] = [];

  constructor(
    readonly config: Mamba4RecConfig,
    params: ReadonlyMap<string, Float32Array>,
  ) {
    this.dims = onlineDims(config);
    this.p = params;
    for (let l = 0; l < config.numLayers; l++) this.A.push(this.param(`layers.${l}.mamba.A_log`).map((v) => -Math.exp(v)));
  }

  private param(name: string): Float32Array {
    const v = this.p.get(name);
    if (v === undefined) throw new Error(`ReferenceStepper: no parameter ${name}`);
    return v;
  }

  /** A zero state (a user with no events). */
  emptyState(): Float32Array {
    return new Float32Array(this.dims.stateFloats);
  }

  /**
   * Feeds `items` (dense ids 1..nItems, oldest first) to `state` (updated in place) and returns the
   * hidden state after the last one ([hiddenSize]; empty `items` → null).
   */
  advance(state: Float32Array, items: ArrayLike<number>): Float32Array | null {
    const { hidden: H, dInner: Di, dState: N, dConv: K, dtRank: R, vocab, layerFloats } = this.dims;
    if (state.length !== this.dims.stateFloats) throw new RangeError(`state has ${state.length} floats, the model needs ${this.dims.stateFloats}`);
    let out: Float32Array | null = null;
    const emb = this.param('item_embedding');
    for (let t = 0; t < items.length; t++) {
      const item = items[t] as number;
      if (!Number.isInteger(item) || item < 1 || item >= vocab) throw new RangeError(`item ${item} is not in 1..${vocab - 1}`);
      let x = layerNorm(emb.subarray(item * H, (item + 1) * H), this.param('emb_ln.gamma'), this.param('emb_ln.beta'));
      for (let l = 0; l < this.dims.layers; l++) {
        const p = `layers.${l}`;
        const conv = state.subarray(l * layerFloats, l * layerFloats + (K - 1) * Di);
        const h = state.subarray(l * layerFloats + (K - 1) * Di, (l + 1) * layerFloats);
        const inProj = this.param(`${p}.mamba.in_proj`); // [H, 2Di]
        const xz = matVec(x, inProj, H, 2 * Di);
        // Causal conv: the buffer holds the previous K − 1 inputs, oldest first.
        const w = this.param(`${p}.mamba.conv.weight`); // [K, Di]
        const cb = this.param(`${p}.mamba.conv.bias`);
        const u = new Float64Array(Di);
        for (let d = 0; d < Di; d++) {
          let s = cb[d] as number;
          for (let k = 0; k < K - 1; k++) s += (w[k * Di + d] as number) * (conv[k * Di + d] as number);
          s += (w[(K - 1) * Di + d] as number) * (xz[d] as number);
          u[d] = silu(s);
        }
        conv.copyWithin(0, Di);
        if (K > 1) for (let d = 0; d < Di; d++) conv[(K - 2) * Di + d] = xz[d] as number;
        const dbc = matVec(u, this.param(`${p}.mamba.x_proj`), Di, R + 2 * N);
        const dtW = this.param(`${p}.mamba.dt_proj.weight`); // [R, Di]
        const dtB = this.param(`${p}.mamba.dt_proj.bias`);
        const A = this.A[l] as Float32Array;
        const Dskip = this.param(`${p}.mamba.D`);
        const gated = new Float64Array(Di);
        for (let d = 0; d < Di; d++) {
          let dt = dtB[d] as number;
          for (let r = 0; r < R; r++) dt += (dbc[r] as number) * (dtW[r * Di + d] as number);
          dt = softplus(dt);
          const du = dt * (u[d] as number);
          let y = (Dskip[d] as number) * (u[d] as number);
          for (let n = 0; n < N; n++) {
            const i = d * N + n;
            const hv = Math.exp(dt * (A[i] as number)) * (h[i] as number) + du * (dbc[R + n] as number);
            h[i] = hv;
            y += (dbc[R + N + n] as number) * hv;
          }
          gated[d] = y * silu(xz[Di + d] as number);
        }
        let m = matVec(gated, this.param(`${p}.mamba.out_proj`), Di, H);
        if (this.dims.layers > 1) m = m.map((v, j) => v + (x[j] as number));
        const hh = layerNorm(m, this.param(`${p}.ln.gamma`), this.param(`${p}.ln.beta`));
        const f1 = matVec(hh, this.param(`${p}.ffn.w1`), H, 4 * H);
        const b1 = this.param(`${p}.ffn.b1`);
        for (let j = 0; j < 4 * H; j++) f1[j] = gelu((f1[j] as number) + (b1[j] as number));
        const f2 = matVec(f1, this.param(`${p}.ffn.w2`), 4 * H, H);
        const b2 = this.param(`${p}.ffn.b2`);
        for (let j = 0; j < H; j++) f2[j] = (f2[j] as number) + (b2[j] as number) + (hh[j] as number);
        x = layerNorm(f2, this.param(`${p}.ffn.ln.gamma`), this.param(`${p}.ffn.ln.beta`));
      }
      out = Float32Array.from(x);
    }
    return out;
  }

  /** Scores of every item (index 0, the padding row, included) for a hidden state: E · hidden. */
  scores(hidden: Float32Array): Float32Array {
    const { hidden: H, vocab } = this.dims;
    const emb = this.param('item_embedding');
    const out = new Float32Array(vocab);
    for (let v = 0; v < vocab; v++) {
      let s = 0;
      for (let j = 0; j < H; j++) s += (emb[v * H + j] as number) * (hidden[j] as number);
      out[v] = s;
    }
    return out;
  }
}

/** x [k] · W [k, n] (row-major) in double. */
function matVec(x: ArrayLike<number>, W: Float32Array, k: number, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < k; i++) {
    const xi = x[i] as number;
    const row = i * n;
    for (let j = 0; j < n; j++) y[j] = (y[j] as number) + xi * (W[row + j] as number);
  }
  return y;
}

/** LayerNorm with the model's eps (1e-12). */
function layerNorm(x: ArrayLike<number>, gamma: Float32Array, beta: Float32Array): Float64Array {
  const H = x.length;
  let mu = 0;
  for (let j = 0; j < H; j++) mu += x[j] as number;
  mu /= H;
  let v = 0;
  for (let j = 0; j < H; j++) v += ((x[j] as number) - mu) ** 2;
  const rs = 1 / Math.sqrt(v / H + 1e-12);
  const y = new Float64Array(H);
  for (let j = 0; j < H; j++) y[j] = ((x[j] as number) - mu) * rs * (gamma[j] as number) + (beta[j] as number);
  return y;
}

const silu = (v: number) => v / (1 + Math.exp(-v));
const softplus = (v: number) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
/** Exact GELU x·Φ(x) (Φ through erf; Abramowitz-Stegun 7.1.26 is too coarse, so a series/continued form). */
const gelu = (v: number) => 0.5 * v * (1 + erf(v / Math.SQRT2));

/** erf(x) to ~1e-15 (Numerical Recipes' erfc Chebyshev for |x| > 0.5, Taylor series below). */
function erf(x: number): number {
  const a = Math.abs(x);
  if (a < 0.5) {
    // Taylor: 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1))
    let term = a;
    let sum = a;
    for (let n = 1; n < 30; n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  return Math.sign(x) * (1 - erfcContinued(a));
}

/** erfc(a) for a ≥ 0.5 by its continued fraction (Lentz), double accuracy. */
function erfcContinued(a: number): number {
  // erfc(a) = exp(−a²)/√π · 1/(a + 1/2/(a + 1/(a + 3/2/(a + 2/(a + …)))))
  const tiny = 1e-300;
  let f = a;
  let C = a;
  let D = 0;
  for (let i = 1; i < 300; i++) {
    const an = i / 2;
    D = a + an * D;
    D = Math.abs(D) < tiny ? tiny : D;
    C = a + an / C;
    C = Math.abs(C) < tiny ? tiny : C;
    D = 1 / D;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
}
