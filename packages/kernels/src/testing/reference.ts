/**
 * Plain float64 reference implementations of the native kernels, for tests: straightforward loops,
 * no blocking, no checkpoints. Layouts as in native-api.ts.
 */

type Arr = ArrayLike<number>;

/** Seeded uniform [0, 1) generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Float32Array of n normal(0, scale²) values. */
export function randn(rand: () => number, n: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = Math.max(rand(), 1e-12);
    out[i] = scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  }
  return out;
}

/** max|a − b| / max(max|b|, 1e-6). */
export function relErr(a: Arr, b: Arr): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= diff)) diff = d; // also catches NaN
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

export function gemm(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Arr,
  lda: number,
  B: Arr,
  ldb: number,
  beta: number,
  C: Arr,
  ldc: number,
): Float64Array {
  const out = Float64Array.from(C);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) {
        const a = transA ? A[k * lda + i]! : A[i * lda + k]!;
        const b = transB ? B[j * ldb + k]! : B[k * ldb + j]!;
        s += a * b;
      }
      const c = beta === 0 ? 0 : beta * C[i * ldc + j]!;
      out[i * ldc + j] = alpha * s + c;
    }
  }
  return out;
}

export interface ScanInputs {
  L: number;
  B: number;
  D: number;
  N: number;
  x: Arr;
  delta: Arr;
  A: Arr;
  Bm: Arr;
  Cm: Arr;
  Dskip: Arr;
}

/** y, and every state h_t ([L, B, D, N]). */
export function scanForward(s: ScanInputs): { y: Float64Array; h: Float64Array } {
  const { L, B, D, N } = s;
  const y = new Float64Array(L * B * D);
  const h = new Float64Array(L * B * D * N);
  for (let b = 0; b < B; b++) {
    for (let d = 0; d < D; d++) {
      for (let t = 0; t < L; t++) {
        const i = (t * B + b) * D + d;
        const dt = s.delta[i]!;
        const xv = s.x[i]!;
        let acc = s.Dskip[d]! * xv;
        for (let n = 0; n < N; n++) {
          const prev = t > 0 ? h[i * N - B * D * N + n]! : 0;
          const hv = Math.exp(dt * s.A[d * N + n]!) * prev + dt * s.Bm[(t * B + b) * N + n]! * xv;
          h[i * N + n] = hv;
          acc += s.Cm[(t * B + b) * N + n]! * hv;
        }
        y[i] = acc;
      }
    }
  }
  return { y, h };
}

export function scanBackward(s: ScanInputs, dy: Arr) {
  const { L, B, D, N } = s;
  const { h } = scanForward(s);
  const dx = new Float64Array(L * B * D);
  const ddelta = new Float64Array(L * B * D);
  const dA = new Float64Array(D * N);
  const dB = new Float64Array(L * B * N);
  const dC = new Float64Array(L * B * N);
  const dD = new Float64Array(D);
  const g = new Float64Array(N);
  for (let b = 0; b < B; b++) {
    for (let d = 0; d < D; d++) {
      g.fill(0); // holds exp(Δ_{t+1}A)·g_{t+1}
      for (let t = L - 1; t >= 0; t--) {
        const i = (t * B + b) * D + d;
        const dt = s.delta[i]!;
        const xv = s.x[i]!;
        const dyv = dy[i]!;
        let gx = s.Dskip[d]! * dyv;
        let gd = 0;
        dD[d]! += dyv * xv;
        for (let n = 0; n < N; n++) {
          const bn = s.Bm[(t * B + b) * N + n]!;
          const cn = s.Cm[(t * B + b) * N + n]!;
          const an = s.A[d * N + n]!;
          const a = Math.exp(dt * an);
          const hPrev = t > 0 ? h[i * N - B * D * N + n]! : 0;
          const gt = cn * dyv + g[n]!;
          dC[(t * B + b) * N + n]! += dyv * h[i * N + n]!;
          dB[(t * B + b) * N + n]! += gt * dt * xv;
          gx += gt * dt * bn;
          gd += gt * (an * a * hPrev + bn * xv);
          dA[d * N + n]! += gt * dt * a * hPrev;
          g[n] = a * gt;
        }
        dx[i] = gx;
        ddelta[i] = gd;
      }
    }
  }
  return { dx, ddelta, dA, dB, dC, dD };
}

export function conv1dForward(L: number, B: number, D: number, K: number, x: Arr, w: Arr, bias: Arr): Float64Array {
  const y = new Float64Array(L * B * D);
  for (let t = 0; t < L; t++)
    for (let b = 0; b < B; b++)
      for (let d = 0; d < D; d++) {
        let s = bias[d]!;
        for (let k = 0; k < K; k++) {
          const src = t - K + 1 + k;
          if (src >= 0) s += w[k * D + d]! * x[(src * B + b) * D + d]!;
        }
        y[(t * B + b) * D + d] = s;
      }
  return y;
}

export function conv1dBackward(L: number, B: number, D: number, K: number, x: Arr, w: Arr, dy: Arr) {
  const dx = new Float64Array(L * B * D);
  const dw = new Float64Array(K * D);
  const dbias = new Float64Array(D);
  for (let t = 0; t < L; t++)
    for (let b = 0; b < B; b++)
      for (let d = 0; d < D; d++) {
        const g = dy[(t * B + b) * D + d]!;
        dbias[d]! += g;
        for (let k = 0; k < K; k++) {
          const src = t - K + 1 + k;
          if (src < 0) continue;
          dx[(src * B + b) * D + d]! += g * w[k * D + d]!;
          dw[k * D + d]! += g * x[(src * B + b) * D + d]!;
        }
      }
  return { dx, dw, dbias };
}

export function layerNormForward(rows: number, H: number, x: Arr, gamma: Arr, beta: Arr, eps: number) {
  const y = new Float64Array(rows * H);
  const mean = new Float64Array(rows);
  const rstd = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let m = 0;
    for (let j = 0; j < H; j++) m += x[r * H + j]!;
    m /= H;
    let v = 0;
    for (let j = 0; j < H; j++) v += (x[r * H + j]! - m) ** 2;
    const rs = 1 / Math.sqrt(v / H + eps);
    for (let j = 0; j < H; j++) y[r * H + j] = (x[r * H + j]! - m) * rs * gamma[j]! + beta[j]!;
    mean[r] = m;
    rstd[r] = rs;
  }
  return { y, mean, rstd };
}

export function layerNormBackward(rows: number, H: number, x: Arr, gamma: Arr, dy: Arr, eps: number) {
  const { mean, rstd } = layerNormForward(rows, H, x, gamma, new Float64Array(H), eps);
  const dx = new Float64Array(rows * H);
  const dgamma = new Float64Array(H);
  const dbeta = new Float64Array(H);
  for (let r = 0; r < rows; r++) {
    let s1 = 0;
    let s2 = 0;
    for (let j = 0; j < H; j++) {
      const xh = (x[r * H + j]! - mean[r]!) * rstd[r]!;
      const g = dy[r * H + j]! * gamma[j]!;
      s1 += g;
      s2 += g * xh;
      dgamma[j]! += dy[r * H + j]! * xh;
      dbeta[j] = dbeta[j]! + dy[r * H + j]!;
    }
    for (let j = 0; j < H; j++) {
      const xh = (x[r * H + j]! - mean[r]!) * rstd[r]!;
      dx[r * H + j] = rstd[r]! * (dy[r * H + j]! * gamma[j]! - s1 / H - (xh * s2) / H);
    }
  }
  return { dx, dgamma, dbeta };
}

/** erfc for x ≥ 0, float64 (series below 2.5, continued fraction above). */
function erfcPos(x: number): number {
  if (x < 2.5) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 300; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  let f = x;
  for (let k = 200; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** Standard normal CDF. */
export function normCdf(x: number): number {
  const e = 0.5 * erfcPos(Math.abs(x) / Math.SQRT2);
  return x < 0 ? e : 1 - e;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export function activation(op: 'gelu' | 'silu' | 'softplus', x: number): number {
  if (op === 'gelu') return x * normCdf(x);
  if (op === 'silu') return x * sigmoid(x);
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

export function activationGrad(op: 'gelu' | 'silu' | 'softplus', x: number): number {
  if (op === 'gelu') return normCdf(x) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
  if (op === 'silu') {
    const s = sigmoid(x);
    return s * (1 + x * (1 - s));
  }
  return sigmoid(x);
}

/** Mean softmax cross-entropy of logits h·Eᵀ over rows with target ≥ 0, and its gradients. */
export function softmaxCrossEntropy(T: number, V: number, H: number, h: Arr, E: Arr, targets: ArrayLike<number>) {
  const dh = new Float64Array(T * H);
  const dE = new Float64Array(V * H);
  let count = 0;
  for (let r = 0; r < T; r++) if (targets[r]! >= 0) count++;
  let loss = 0;
  const logits = new Float64Array(V);
  for (let r = 0; r < T; r++) {
    const tgt = targets[r]!;
    if (tgt < 0) continue;
    let m = Number.NEGATIVE_INFINITY;
    for (let v = 0; v < V; v++) {
      let s = 0;
      for (let j = 0; j < H; j++) s += h[r * H + j]! * E[v * H + j]!;
      logits[v] = s;
      m = Math.max(m, s);
    }
    let z = 0;
    for (let v = 0; v < V; v++) z += Math.exp(logits[v]! - m);
    loss += m + Math.log(z) - logits[tgt]!;
    for (let v = 0; v < V; v++) {
      const p = (Math.exp(logits[v]! - m) / z - (v === tgt ? 1 : 0)) / count;
      for (let j = 0; j < H; j++) {
        dh[r * H + j]! += p * E[v * H + j]!;
        dE[v * H + j]! += p * h[r * H + j]!;
      }
    }
  }
  return { loss: count ? loss / count : 0, dh, dE };
}
