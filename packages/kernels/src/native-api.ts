import type { AnnealSettings } from './anneal-settings.js';
/**
 * The native addon's interface (packages/kernels/native, built by `npm run setup`). Every array is
 * row-major, float32 unless said otherwise, and owned by the caller: kernels write into the output
 * arrays they are given and allocate nothing the caller sees. Calls are synchronous and
 * multi-threaded (OpenMP) inside; run them off the main event loop (worker threads).
 *
 * Layouts follow packages/ssm's model: time-major activations [L, B, ·] (a time step is a
 * contiguous slice), weights [in, out].
 */
export interface KilnNative {
  readonly info: {
    /** SIMD level picked at run time for this CPU. */
    simd: 'avx512' | 'avx2' | 'generic';
    /** The BLAS behind sgemm ('openblas …') or null when Kiln's own kernel is used. */
    blas: string | null;
    threads: number;
    version: string;
    /** Added: the best level this CPU supports (`simd` may be lower after setSimd / KILN_SIMD). */
    simdBest?: 'avx512' | 'avx2' | 'generic';
    /** Added: why no BLAS is in use, when `blas` is null. */
    blasReason?: string;
  };

  /**
   * Added: route sgemm (and the products inside softmaxCrossEntropy) through OpenBLAS (true; loaded
   * on first use when it was not at start-up) or Kiln's own kernel (false). Returns the BLAS now in
   * use, or null when none could be loaded. Process-wide (all threads). The start-up choice comes
   * from env `KILN_BLAS` (auto | openblas | none | a library path; auto = own kernel where it has
   * an AVX2/AVX-512 path, which beats Debian's OpenBLAS on the model's shapes, else OpenBLAS).
   */
  setBlas(enabled: boolean): string | null;

  /**
   * Added: pick the SIMD level of Kiln's own kernels (clamped to what the CPU supports); returns the
   * level now in use. Process-wide. For tests and benchmarks; env `KILN_SIMD` sets it at load time.
   */
  setSimd(level: 'avx512' | 'avx2' | 'generic'): 'avx512' | 'avx2' | 'generic';

  /**
   * C = alpha·op(A)·op(B) + beta·C with op(A) M×K and op(B) K×N. A is M×K (K×M when transA), B is
   * K×N (N×K when transB); lda, ldb, ldc are the row strides (elements) of A, B, C as stored.
   */
  sgemm(
    transA: boolean,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    alpha: number,
    A: Float32Array,
    lda: number,
    B: Float32Array,
    ldb: number,
    beta: number,
    C: Float32Array,
    ldc: number,
  ): void;

  /**
   * `batch` independent products C_i = op(A_i)·op(B_i) (alpha 1, beta 0), A_i starting at
   * i·strideA, B_i at i·strideB, C_i at i·strideC (stride 0 broadcasts one matrix), each densely
   * packed (lda = K or M, ldb = N or K, ldc = N).
   */
  sgemmBatched(
    batch: number,
    transA: boolean,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    A: Float32Array,
    strideA: number,
    B: Float32Array,
    strideB: number,
    C: Float32Array,
    strideC: number,
  ): void;

  /**
   * Selective scan forward, time-major. x, delta, y: [L, B, D]; A: [D, N] (negative); Bm, Cm:
   * [L, B, N]; Dskip: [D].  h_t = exp(Δ_t·A)⊙h_{t−1} + Δ_t·B_t·x_t,  y_t = C_t·h_t + D⊙x_t.
   * When `checkpoints` is given ([ceil(L/chunk), B, D, N]) the state entering every chunk of
   * `chunk` steps is stored there for the backward pass.
   */
  scanForward(
    L: number,
    B: number,
    D: number,
    N: number,
    x: Float32Array,
    delta: Float32Array,
    A: Float32Array,
    Bm: Float32Array,
    Cm: Float32Array,
    Dskip: Float32Array,
    y: Float32Array,
    checkpoints: Float32Array | null,
    chunk: number,
  ): void;

  /**
   * Selective scan backward: recomputes each chunk's states from its checkpoint and writes the
   * gradients of the forward inputs (dx, ddelta [L,B,D]; dA [D,N]; dB, dC [L,B,N]; dD [D]),
   * overwriting them.
   */
  scanBackward(
    L: number,
    B: number,
    D: number,
    N: number,
    x: Float32Array,
    delta: Float32Array,
    A: Float32Array,
    Bm: Float32Array,
    Cm: Float32Array,
    Dskip: Float32Array,
    dy: Float32Array,
    checkpoints: Float32Array,
    chunk: number,
    dx: Float32Array,
    ddelta: Float32Array,
    dA: Float32Array,
    dB: Float32Array,
    dC: Float32Array,
    dD: Float32Array,
  ): void;

  /** Causal depthwise conv, time-major: x, y [L, B, D]; w [K, D]; bias [D]; y_t = bias + Σ_k w[k]⊙x_{t−K+1+k} (zeros before t = 0). */
  conv1dForward(L: number, B: number, D: number, K: number, x: Float32Array, w: Float32Array, bias: Float32Array, y: Float32Array): void;
  /** Gradients of conv1dForward: dx [L,B,D], dw [K,D], dbias [D] (overwritten). */
  conv1dBackward(
    L: number,
    B: number,
    D: number,
    K: number,
    x: Float32Array,
    w: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    dw: Float32Array,
    dbias: Float32Array,
  ): void;

  /**
   * Softmax cross-entropy with tied weights, never materialising [T, V]: logits = h·Eᵀ (h [T, H],
   * E [V, H]); targets [T] int32 in 0..V−1, or −1 to ignore a row. Returns the mean loss over
   * the rows not ignored (0 when none); when dh ([T,H]) and dE ([V,H]) are given, writes the
   * gradients of that mean loss into them (overwritten).
   */
  softmaxCrossEntropy(
    T: number,
    V: number,
    H: number,
    h: Float32Array,
    E: Float32Array,
    targets: Int32Array,
    dh: Float32Array | null,
    dE: Float32Array | null,
  ): number;

  /** LayerNorm over the last axis of x [rows, H]: y = (x − mean)·rstd·gamma + beta; mean, rstd [rows] saved for backward. */
  layerNormForward(
    rows: number,
    H: number,
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    eps: number,
    y: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
  ): void;
  /** Gradients of layerNormForward: dx [rows,H], dgamma [H], dbeta [H] (overwritten). */
  layerNormBackward(
    rows: number,
    H: number,
    x: Float32Array,
    gamma: Float32Array,
    dy: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    dx: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
  ): void;

  /** Elementwise activations over n values; `op`: 'gelu' (exact, erf), 'silu', 'softplus'. */
  activationForward(op: 'gelu' | 'silu' | 'softplus', n: number, x: Float32Array, y: Float32Array): void;
  /** dx = dy ⊙ f′(x). */
  activationBackward(op: 'gelu' | 'silu' | 'softplus', n: number, x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  /**
   * Elementwise `out[o·inner + i] = A[o·soA + i·siA] op B[o·soB + i·siB]` for o < outer, i < inner
   * (op 0 add, 1 sub, 2 mul, 3 div; siA, siB ∈ {0, 1}): a same-shape, row-, column- or scalar-
   * broadcast binary op, multi-threaded when large. `out` may be A or B when it has their layout.
   */
  binary(
    op: 0 | 1 | 2 | 3,
    outer: number,
    inner: number,
    A: Float32Array,
    soA: number,
    siA: number,
    B: Float32Array,
    soB: number,
    siB: number,
    out: Float32Array,
  ): void;
  /**
   * Inverted dropout over n values with a mulberry32 stream starting at uint32 `state`: draw k
   * (state + (k + 1)·0x6d2b79f5) decides entries 2k and 2k + 1 by its low and high 16 bits (dropped
   * when below `threshold` ≤ 65536); mask = keep (as float) or 0, y = x·keep rounded once to float.
   * The caller advances its state by ⌈n / 2⌉ draws. Multi-threaded when large.
   */
  dropout(n: number, state: number, threshold: number, keep: number, x: Float32Array, mask: Float32Array, y: Float32Array): void;
  /** Copies `outer` runs of `run` values: dst[dstOffset + o·dstStride + k] = src[srcOffset + o·srcStride + k] (strides ≥ run). */
  copyBlocks(
    outer: number,
    run: number,
    src: Float32Array,
    srcOffset: number,
    srcStride: number,
    dst: Float32Array,
    dstOffset: number,
    dstStride: number,
  ): void;
  /** out[r, :] = table[ids[r], :] for r < n, rows of H values; throws a RangeError (before copying) for an id outside [0, rows). */
  gatherRows(n: number, H: number, rows: number, table: Float32Array, ids: Int32Array, out: Float32Array): void;
  /** out[ids[r], :] += src[r, :] for r < n in order, rows of H values; throws a RangeError (before adding) for an id outside [0, rows). */
  scatterAddRows(n: number, H: number, rows: number, ids: Int32Array, src: Float32Array, out: Float32Array): void;

  /**
   * Added: QUBO annealing (native/anneal/, its N-API glue in napi.cc; use the wrapper `annealQubo` of src/anneal.ts, which
   * fills in the defaults). Runs on the libuv thread pool (an N-API AsyncWorker, no JS worker
   * thread) with OpenMP threads inside, and resolves with the best state found. The problem is
   * copied and checked before the call returns: bad arguments throw (TypeError/RangeError)
   * synchronously. `stop` and `live` are read/written while the run is in progress: keep them
   * attached (a SharedArrayBuffer, or an ArrayBuffer that is not transferred).
   */
  annealQubo(problem: NativeQuboProblem, options: NativeAnnealOptions): Promise<NativeAnnealResult>;
  /** Added: annealQubo on the calling thread (blocks it); for tests and benchmarks. */
  annealQuboSync(problem: NativeQuboProblem, options: NativeAnnealOptions): NativeAnnealResult;
  /**
   * Added (online recurrence, kernels/online.h): a Mamba4Rec model's weights copied into the addon.
   * `params` are every parameter in serialisation order (packages/ssm parameterShapes); V is the
   * embedding's rows (items + 1). Returns an opaque handle for the calls below.
   */
  ssmModel(layers: number, H: number, Di: number, N: number, K: number, R: number, V: number, params: readonly Float32Array[]): OnlineModelHandle;
  /** Feeds `items` (1..V−1, oldest first) to one user's state in place; writes the hidden state after the last item. Single-threaded. */
  ssmAdvance(model: OnlineModelHandle, state: Float32Array, items: Int32Array, hidden: Float32Array): void;
  /** Advances `users` states at once (user u by items[offsets[u]..offsets[u+1])), states [users, S] and hidden [users, H] in place. Multi-threaded. */
  ssmPrime(model: OnlineModelHandle, users: number, offsets: Int32Array, items: Int32Array, states: Float32Array, hidden: Float32Array): void;
  /** Top-k of E·hidden best first (ties: lower id), never row 0 nor `exclude`; returns how many were written. Single-threaded. */
  ssmTopK(model: OnlineModelHandle, hidden: Float32Array, k: number, exclude: Int32Array | null, outItems: Int32Array, outScores: Float32Array): number;
  /** Added: float32 → IEEE half (round to nearest even; overflow → ±inf; NaN and subnormals kept). */
  f32ToF16(src: Float32Array, dst: Uint16Array): void;
  /** Added: IEEE half → float32. */
  f16ToF32(src: Uint16Array, dst: Float32Array): void;
}

/**
 * A QUBO in @kiln/qubo's CsrQubo layout: E(x) = Σ h_i x_i + Σ_{i<j} J_ij x_i x_j + offset over
 * x ∈ {0,1}ⁿ; row i of (rowPtr, col, val) lists J_ij for j ≠ i with strictly ascending columns, and
 * every pair is stored in both rows with the same value (checked).
 */
export interface NativeQuboProblem {
  n: number;
  rowPtr: Int32Array;
  col: Int32Array;
  val: Float64Array;
  h: Float64Array;
  offset: number;
}

export type AnnealMode = 'sa' | 'loihi' | 'tabu' | 'multispin' | 'memetic';

/** Modes that anneal along a β schedule (betaStart, betaEnd, schedule; sweeps per anneal). */
export function isScheduledMode(mode: AnnealMode): boolean {
  return mode === 'sa' || mode === 'loihi' || mode === 'multispin';
}

/** The native annealer's options as the addon takes them (see AnnealSettings and QuboAnnealOptions in src/anneal.ts); the addon checks every one. */
export interface NativeAnnealOptions extends Partial<AnnealSettings> {
  mode?: AnnealMode;
  threads?: number;
  stop?: Int32Array | null;
  live?: Float64Array | null;
  simd?: 'auto' | 'avx512' | 'generic';
  samples?: boolean;
}

export interface NativeAnnealResult {
  state: Uint8Array;
  energy: number;
  timeToBestMs: number;
  elapsedMs: number;
  flipAttempts: number;
  sweeps: number;
  anneals: number;
  /** (ms, energy) pairs, interleaved. */
  trace: Float64Array;
  mode: AnnealMode;
  reachedTarget: boolean;
  stoppedBy: 'target' | 'time' | 'stop' | 'done';
  threads: number;
  replicas: number;
  sweepsPerAnneal: number;
  simd: 'avx512' | 'generic';
  /** With options.samples: the replicas' final states (n bytes each) and their exact energies. */
  samples?: Uint8Array;
  sampleEnergies?: Float64Array;
}

/** Why the addon is or is not in use (said once by whoever loads it). */
export interface NativeStatus {
  loaded: boolean;
  /** Path of the .node file, when loaded. */
  path?: string;
  reason?: string;
}

/** An opaque handle to a model held by the addon (ssmModel). */
export type OnlineModelHandle = { readonly __kilnOnlineModel: true };
