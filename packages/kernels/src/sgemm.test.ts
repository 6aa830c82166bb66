import { beforeAll, describe, expect, it } from 'vitest';
import type { KilnNative } from './native-api.js';
import { useNative, simdLevels, skipNative } from './testing/native.js';
import { gemm, randn, relErr, rng } from './testing/reference.js';

// Each path: the BLAS found at load time (when there is one), and Kiln's own kernel at every
// SIMD level this CPU supports.
const paths = [{ name: 'blas', simd: null }, ...simdLevels().map((simd) => ({ name: `own ${simd}`, simd }))];

const shapes: [number, number, number][] = [
  [1, 1, 1],
  [1, 37, 5],
  [29, 1, 8],
  [7, 9, 1],
  [3, 45, 7],
  [17, 33, 19],
  [13, 70, 300], // several depth blocks
  [64, 68, 128],
  [40, 1000, 24], // several column blocks, ragged last strip
  [130, 17, 33],
  [300, 20, 50], // transposed A with long rows: panels packed 8 at a time
  [20, 9, 1100], // deep: K split between threads
  [37, 70, 2600], // deep, ragged panels and strips
];

describe.skipIf(skipNative)('sgemm', () => {
  const getNative = useNative();
  let native: KilnNative;
  beforeAll(() => {
    native = getNative();
  });

  describe.each(paths)('$name', ({ simd }) => {
    beforeAll(() => {
      if (simd === null) {
        native.setBlas(true);
      } else {
        native.setBlas(false);
        expect(native.setSimd(simd)).toBe(simd);
        expect(native.info.blas).toBeNull();
      }
    });

    it.each(shapes)('%i×%i×%i, every transpose, strides, alpha/beta', (M, N, K) => {
      if (simd === null && !native.info.blas) return; // no BLAS on this machine
      const rand = rng(M * 1000 + N * 10 + K);
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const [alpha, beta, pad] of [
            [1, 0, 0],
            [-0.5, 1, 3],
            [2, -0.25, 1],
          ] as const) {
            const lda = (transA ? M : K) + pad;
            const ldb = (transB ? K : N) + pad;
            const ldc = N + pad;
            const A = randn(rand, (transA ? K : M) * lda);
            const B = randn(rand, (transB ? N : K) * ldb);
            const C = randn(rand, M * ldc);
            const want = gemm(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
            native.sgemm(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
            const err = relErr(C, want);
            expect(err, `transA=${transA} transB=${transB} alpha=${alpha} beta=${beta} pad=${pad}`).toBeLessThanOrEqual(1e-4);
          }
        }
      }
    });

    it('large B and many row panels (the cache-blocked loop, several threads)', () => {
      if (simd === null && !native.info.blas) return;
      const rand = rng(21);
      const [M, N, K] = [200, 800, 330];
      for (const [transA, transB] of [
        [false, false],
        [true, true],
      ] as const) {
        const A = randn(rand, M * K);
        const B = randn(rand, K * N);
        const C = randn(rand, M * N);
        const want = gemm(transA, transB, M, N, K, 0.5, A, transA ? M : K, B, transB ? K : N, 2, C, N);
        native.sgemm(transA, transB, M, N, K, 0.5, A, transA ? M : K, B, transB ? K : N, 2, C, N);
        expect(relErr(C, want), `transA=${transA} transB=${transB}`).toBeLessThanOrEqual(1e-4);
      }
    });

    it('beta = 0 overwrites C without reading it (NaN in C does not leak)', () => {
      if (simd === null && !native.info.blas) return;
      const rand = rng(7);
      const [M, N, K] = [9, 21, 6];
      const A = randn(rand, M * K);
      const B = randn(rand, K * N);
      const C = new Float32Array(M * N).fill(Number.NaN);
      native.sgemm(false, false, M, N, K, 1, A, K, B, N, 0, C, N);
      expect(relErr(C, gemm(false, false, M, N, K, 1, A, K, B, N, 0, new Float32Array(M * N), N))).toBeLessThanOrEqual(1e-4);
    });

    it('K = 0 scales C by beta; M = 0 or N = 0 touches nothing', () => {
      const C = new Float32Array([1, 2, 3, 4]);
      native.sgemm(false, false, 2, 2, 0, 1, new Float32Array(0), 1, new Float32Array(0), 2, 0.5, C, 2);
      expect([...C]).toEqual([0.5, 1, 1.5, 2]);
      native.sgemm(false, false, 0, 2, 3, 1, new Float32Array(0), 3, new Float32Array(6), 2, 0, C, 2);
      expect([...C]).toEqual([0.5, 1, 1.5, 2]);
    });

    it('sgemmBatched: many small products, broadcast B, and large ones', () => {
      if (simd === null && !native.info.blas) return;
      const rand = rng(11);
      for (const [batch, M, N, K, broadcast] of [
        [9, 5, 7, 3, true],
        [1, 33, 20, 17, false],
        [3, 70, 90, 130, false],
        [16, 8, 8, 8, false],
      ] as const) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            const sA = M * K;
            const sB = broadcast ? 0 : K * N;
            const sC = M * N;
            const A = randn(rand, batch * sA);
            const B = randn(rand, Math.max(1, batch * sB || K * N));
            const C = new Float32Array(batch * sC);
            native.sgemmBatched(batch, transA, transB, M, N, K, A, sA, B, sB, C, sC);
            for (let i = 0; i < batch; i++) {
              const want = gemm(
                transA,
                transB,
                M,
                N,
                K,
                1,
                A.subarray(i * sA),
                transA ? M : K,
                B.subarray(i * sB),
                transB ? K : N,
                0,
                new Float32Array(M * N),
                N,
              );
              expect(relErr(C.subarray(i * sC, (i + 1) * sC), want), `batch ${batch} item ${i} ${transA} ${transB}`).toBeLessThanOrEqual(1e-4);
            }
          }
        }
      }
    });
  });
});
