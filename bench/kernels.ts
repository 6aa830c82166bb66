/**
 * Kiln's native kernels against tfjs's cpu and wasm backends, on Mamba4Rec's shapes.
 *
 *   npm run bench:kernels            (npx tsx bench/kernels.ts [--quick])
 *
 * Prints GFLOP/s of sgemm for every model shape and the transposed forms its gradients use (the
 * BLAS path and Kiln's own kernel), tfjs's tf.matMul (cpu, wasm) at smaller sizes, the selective
 * scan's throughput (forward + backward, B 256 × L 200, D 128, N 32) and the other kernels' times.
 * Warm-up first, then the median of several runs. The last line is one JSON object. Never asserts a time.
 */
import { performance } from 'node:perf_hooks';
import { type KilnNative, loadNative, nativeStatus } from '@kiln/kernels';

const quick = process.argv.includes('--quick');
const runs = quick ? 3 : 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median seconds of `runs` calls after one warm-up call. */
function time(fn: () => void, n = runs): number {
  fn();
  const ts: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    ts.push((performance.now() - t0) / 1000);
  }
  return median(ts);
}

function random(n: number, seed = 1): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 4294967296 - 0.5;
  }
  return a;
}

const fmt = (x: number, d = 1) => x.toFixed(d).padStart(7);

// Model products C[M×N] = A[M×K]·B[K×N] and the two products of their gradients:
// dA = dC·Bᵀ (M×N×K, "NT") and dB = Aᵀ·dC (K×M×N, "TN").
const modelShapes: [number, number, number][] = [
  [51200, 64, 256], // in_proj, FFN up
  [51200, 256, 64], // FFN down
  [51200, 128, 68], // x_proj
  [51200, 128, 64], // out_proj
  [51200, 64, 3417], // scores against all items (tied embedding)
];
interface Shape {
  key: string;
  M: number;
  K: number;
  N: number;
  ta: boolean;
  tb: boolean;
}
const shapes: Shape[] = modelShapes.flatMap(([M, K, N]) => [
  { key: `${M}x${K}x${N}`, M, K, N, ta: false, tb: false },
  { key: `${M}x${N}x${K}_NT`, M, K: N, N: K, ta: false, tb: true },
  { key: `${K}x${M}x${N}_TN`, M: K, K: M, N, ta: true, tb: false },
]);

function sgemmGflops(native: KilnNative, s: Shape): number {
  const A = random(s.M * s.K, 1);
  const B = random(s.K * s.N, 2);
  const C = new Float32Array(s.M * s.N);
  const lda = s.ta ? s.M : s.K;
  const ldb = s.tb ? s.K : s.N;
  const seconds = time(() => native.sgemm(s.ta, s.tb, s.M, s.N, s.K, 1, A, lda, B, ldb, 0, C, s.N));
  return (2 * s.M * s.N * s.K) / seconds / 1e9;
}

async function tfjsGflops(backend: 'cpu' | 'wasm', sizes: [number, number, number][]): Promise<Record<string, number>> {
  const tf = await import('@tensorflow/tfjs-core');
  if (backend === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
  else await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend(backend);
  await tf.ready();
  const out: Record<string, number> = {};
  for (const [M, K, N] of sizes) {
    const a = tf.tensor2d(random(M * K, 3), [M, K]);
    const b = tf.tensor2d(random(K * N, 4), [K, N]);
    const seconds = time(() => {
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
    }, 3);
    a.dispose();
    b.dispose();
    out[`${M}x${K}x${N}`] = (2 * M * N * K) / seconds / 1e9;
  }
  return out;
}

function scanTokensPerSecond(native: KilnNative, B: number, L: number, D: number, N: number, chunk: number) {
  const lbd = L * B * D;
  const x = random(lbd, 5);
  const delta = random(lbd, 6).map((v) => Math.log1p(Math.exp(v)));
  const A = new Float32Array(D * N).map((_, i) => -((i % N) + 1));
  const Bm = random(L * B * N, 7);
  const Cm = random(L * B * N, 8);
  const Dskip = new Float32Array(D).fill(1);
  const y = new Float32Array(lbd);
  const ckpt = new Float32Array(Math.ceil(L / chunk) * B * D * N);
  const dy = random(lbd, 9);
  const g = [
    new Float32Array(lbd),
    new Float32Array(lbd),
    new Float32Array(D * N),
    new Float32Array(L * B * N),
    new Float32Array(L * B * N),
    new Float32Array(D),
  ] as const;
  const fwd = time(() => native.scanForward(L, B, D, N, x, delta, A, Bm, Cm, Dskip, y, ckpt, chunk), 3);
  const bwd = time(() => native.scanBackward(L, B, D, N, x, delta, A, Bm, Cm, Dskip, dy, ckpt, chunk, ...g), 3);
  return { fwd, bwd, tokensPerSecond: (B * L) / (fwd + bwd) };
}

function otherKernels(native: KilnNative) {
  const T = 51200;
  const ms: Record<string, number> = {};
  // softmax cross-entropy with gradients at the model shape (T 51200, V 3417, H 64)
  const [V, H] = [3417, 64];
  const h = random(T * H, 10);
  const E = random(V * H, 11);
  const targets = Int32Array.from({ length: T }, (_, i) => (i * 7919) % V);
  const dh = new Float32Array(T * H);
  const dE = new Float32Array(V * H);
  ms['softmax_xent_fwd_bwd'] = time(() => native.softmaxCrossEntropy(T, V, H, h, E, targets, dh, dE), 3) * 1000;
  const n = T * 256;
  const xa = random(n, 12);
  const ya = new Float32Array(n);
  const da = new Float32Array(n);
  for (const op of ['gelu', 'silu', 'softplus'] as const) {
    ms[`${op}_fwd_bwd_13M`] =
      time(() => {
        native.activationForward(op, n, xa, ya);
        native.activationBackward(op, n, xa, ya, da);
      }) * 1000;
  }
  const [L, B, D, K] = [200, 256, 128, 4];
  const xc = random(L * B * D, 13);
  const w = random(K * D, 14);
  const bias = random(D, 15);
  const yc = new Float32Array(L * B * D);
  const dw = new Float32Array(K * D);
  const db = new Float32Array(D);
  const dxc = new Float32Array(L * B * D);
  ms['conv1d_fwd_bwd'] =
    time(() => {
      native.conv1dForward(L, B, D, K, xc, w, bias, yc);
      native.conv1dBackward(L, B, D, K, xc, w, yc, dxc, dw, db);
    }) * 1000;
  const xl = random(T * 64, 16);
  const gamma = new Float32Array(64).fill(1);
  const beta = new Float32Array(64);
  const yl = new Float32Array(T * 64);
  const mean = new Float32Array(T);
  const rstd = new Float32Array(T);
  const dxl = new Float32Array(T * 64);
  ms['layernorm_fwd_bwd'] =
    time(() => {
      native.layerNormForward(T, 64, xl, gamma, beta, 1e-12, yl, mean, rstd);
      native.layerNormBackward(T, 64, xl, gamma, yl, mean, rstd, dxl, dw.subarray(0, 64), db.subarray(0, 64));
    }) * 1000;
  return ms;
}

const native = loadNative();
const status = nativeStatus();
if (!native) {
  console.log(`native addon not available: ${status.reason}`);
  console.log(JSON.stringify({ bench: 'kernels', native: false, reason: status.reason }));
  process.exit(0);
}
const defaultBlas = native.info.blas;
console.log(`native addon: simd ${native.info.simd}, sgemm ${defaultBlas ?? `Kiln own (${native.info.blasReason})`}, ${native.info.threads} threads`);
const blasName = native.setBlas(true); // loads OpenBLAS, when installed, for comparison
native.setBlas(defaultBlas !== null);
console.log(`OpenBLAS: ${blasName ?? 'not found'}; OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE ?? '(unset)'}`);

// sgemm: BLAS path (when present) and Kiln's own kernel.
const blasGflops: Record<string, number> = {};
const ownGflops: Record<string, number> = {};
console.log(`\nsgemm GFLOP/s (median of ${runs})      ${blasName ? '   blas' : ''}    own`);
for (const s of shapes) {
  if (blasName) {
    native.setBlas(true);
    blasGflops[s.key] = sgemmGflops(native, s);
  }
  native.setBlas(false);
  ownGflops[s.key] = sgemmGflops(native, s);
  console.log(`  ${s.key.padEnd(22)} ${blasName ? fmt(blasGflops[s.key]!) : ''} ${fmt(ownGflops[s.key]!)}`);
}
native.setBlas(defaultBlas !== null);
// The figure Kiln runs with: the sgemm path active by default.
const active = defaultBlas ? blasGflops : ownGflops;
const activeMin = Math.min(...Object.values(active));
const ownMin = Math.min(...Object.values(ownGflops));

// tfjs, at smaller sizes (a full 51200-row product takes minutes on the cpu backend).
const tfSizes: [number, number, number][] = [
  [512, 512, 512],
  [2048, 64, 256],
];
console.log('\ntfjs tf.matMul GFLOP/s (smaller sizes: M cut to 2048, and 512³)');
const tfCpu = await tfjsGflops('cpu', tfSizes);
const tfWasm = await tfjsGflops('wasm', tfSizes).catch((err: Error) => {
  console.log(`  wasm backend failed: ${err.message}`);
  return {} as Record<string, number>;
});
for (const [M, K, N] of tfSizes) {
  const k = `${M}x${K}x${N}`;
  console.log(`  ${k.padEnd(22)} cpu ${fmt(tfCpu[k] ?? Number.NaN, 2)}   wasm ${fmt(tfWasm[k] ?? Number.NaN, 2)}`);
}

// Selective scan, forward (with checkpoints) + backward.
const scanShape = { B: 256, L: 200, D: 128, N: 32, chunk: 50 };
const scan = scanTokensPerSecond(native, scanShape.B, scanShape.L, scanShape.D, scanShape.N, scanShape.chunk);
console.log(
  `\nselective scan B ${scanShape.B} × L ${scanShape.L}, D ${scanShape.D}, N ${scanShape.N}, chunk ${scanShape.chunk}: ` +
    `forward ${(scan.fwd * 1000).toFixed(1)} ms, backward ${(scan.bwd * 1000).toFixed(1)} ms → ${(scan.tokensPerSecond / 1e6).toFixed(2)} M tokens/s`,
);

const other = otherKernels(native);
console.log('\nother kernels (51,200 tokens), ms per forward + backward:');
for (const [k, v] of Object.entries(other)) console.log(`  ${k.padEnd(22)} ${fmt(v)}`);

const round = (x: number) => Math.round(x * 10) / 10;
const mapRound = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v)]));
console.log(
  JSON.stringify({
    bench: 'kernels',
    matmul_gflops_min: round(activeMin),
    matmul_gflops: mapRound(active),
    tfjs_cpu_gflops: Math.round((tfCpu['2048x64x256'] ?? Number.NaN) * 100) / 100,
    tfjs_wasm_gflops: Math.round((tfWasm['2048x64x256'] ?? Number.NaN) * 100) / 100,
    scan_tokens_per_s: Math.round(scan.tokensPerSecond),
    sgemm_default: defaultBlas ?? 'kiln-own',
    blas: blasName,
    simd: native.info.simd,
    own_gflops_min: round(ownMin),
    own_gflops: mapRound(ownGflops),
    blas_gflops_min: blasName ? round(Math.min(...Object.values(blasGflops))) : null,
    blas_gflops: mapRound(blasGflops),
    tfjs_sizes: tfSizes.map(([M, K, N]) => `${M}x${K}x${N}`),
    tfjs_cpu_gflops_by_size: mapRound(tfCpu),
    tfjs_wasm_gflops_by_size: mapRound(tfWasm),
    scan_ms: { forward: round(scan.fwd * 1000), backward: round(scan.bwd * 1000) },
    kernels_ms: mapRound(other),
  }),
);
