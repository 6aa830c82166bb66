import { beforeAll, describe, expect, it } from 'vitest';
import { loadNative, nativeStatus } from './index.js';
import type { KilnNative } from './native-api.js';
import { hasCompiler, requireNative, skipNative, status } from './testing/native.js';

describe('loading the addon', () => {
  it('never throws, caches, and says why when unavailable', () => {
    const first = loadNative();
    expect(loadNative()).toBe(first);
    const s = nativeStatus();
    expect(s.loaded).toBe(first !== null);
    if (s.loaded) expect(s.path).toMatch(/kiln_native\.node$/);
    else expect(s.reason).toBeTruthy();
  });

  it('is built wherever a C++ compiler exists (npm run setup builds it)', () => {
    if (!hasCompiler) return;
    expect(status.loaded, `native addon not loaded: ${status.reason}`).toBe(true);
  });
});

describe.skipIf(skipNative)('the addon', () => {
  let native: KilnNative;
  beforeAll(() => {
    native = requireNative();
  });

  it('reports its SIMD level, BLAS and threads', () => {
    const { info } = native;
    expect(['avx512', 'avx2', 'generic']).toContain(info.simd);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(info.version).toMatch(/^\d+\.\d+\.\d+$/);
    if (info.blas === null) expect(info.blasReason).toBeTruthy();
    else expect(info.blas).toMatch(/^openblas/);
  });

  it('setBlas(false) switches to the own kernel, setBlas(true) to OpenBLAS when there is one', () => {
    const before = native.info.blas;
    expect(native.setBlas(false)).toBeNull();
    expect(native.info.blas).toBeNull();
    expect(native.info.blasReason).toMatch(/setBlas\(false\)/);
    const blas = native.setBlas(true);
    expect(native.info.blas).toBe(blas);
    if (blas !== null) expect(blas).toMatch(/^openblas/);
    native.setBlas(before !== null);
  });

  it('setSimd clamps to the CPU and rejects unknown levels', () => {
    const best = native.info.simdBest!;
    expect(native.setSimd('generic')).toBe('generic');
    expect(native.setSimd('avx512')).toBe(best);
    expect(() => native.setSimd('sse' as never)).toThrow(TypeError);
  });

  describe('argument validation', () => {
    const f = (n: number) => new Float32Array(n);
    it('sgemm: array lengths, strides, types, sizes, argument count', () => {
      expect(() => native.sgemm(false, false, 2, 3, 4, 1, f(7), 4, f(12), 3, 0, f(6), 3)).toThrow(/sgemm: A has 7 elements, needs 8/);
      expect(() => native.sgemm(false, false, 2, 3, 4, 1, f(8), 4, f(11), 3, 0, f(6), 3)).toThrow(RangeError);
      expect(() => native.sgemm(false, false, 2, 3, 4, 1, f(8), 4, f(12), 3, 0, f(5), 3)).toThrow(/C has 5 elements/);
      expect(() => native.sgemm(false, false, 2, 3, 4, 1, f(8), 3, f(12), 3, 0, f(6), 3)).toThrow(/lda \(3\) must be at least 4/);
      expect(() => native.sgemm(true, false, 2, 3, 4, 1, f(8), 2, f(12), 3, 0, f(6), 2)).toThrow(/ldc/);
      expect(() => native.sgemm(false, false, -1, 3, 4, 1, f(8), 4, f(12), 3, 0, f(6), 3)).toThrow(/M must be a non-negative integer/);
      expect(() => native.sgemm(false, false, 1.5, 3, 4, 1, f(8), 4, f(12), 3, 0, f(6), 3)).toThrow(RangeError);
      expect(() => native.sgemm(false, false, 2, 3, 4, 1, new Float64Array(8) as never, 4, f(12), 3, 0, f(6), 3)).toThrow(/A must be a Float32Array/);
      expect(() => native.sgemm(0 as never, false, 2, 3, 4, 1, f(8), 4, f(12), 3, 0, f(6), 3)).toThrow(/transA must be a boolean/);
      expect(() => (native.sgemm as (...a: unknown[]) => void)(false, false, 2)).toThrow(/expected 13 arguments/);
      expect(() => native.sgemmBatched(3, false, false, 2, 2, 2, f(12), 4, f(4), 0, f(11), 4)).toThrow(/C has 11 elements, needs 12/);
      expect(() => native.sgemmBatched(3, false, false, 2, 2, 2, f(12), 4, f(4), 0, f(12), 0)).toThrow(/strideC/);
    });

    it('scan, conv, layerNorm, activations, cross-entropy', () => {
      const [L, B, D, N] = [4, 2, 3, 5];
      const lbd = f(L * B * D);
      const lbn = f(L * B * N);
      expect(() => native.scanForward(L, B, D, N, lbd, lbd, f(D * N), lbn, lbn, f(D), f(L * B * D - 1), null, 2)).toThrow(/scanForward: y has 23 elements/);
      expect(() => native.scanForward(L, B, D, N, lbd, lbd, f(D * N), lbn, lbn, f(D), lbd, f(B * D * N), 2)).toThrow(/checkpoints/);
      expect(() => native.scanForward(L, B, D, N, lbd, lbd, f(D * N), lbn, lbn, f(D), lbd, null, 0)).toThrow(/chunk must be at least 1/);
      expect(() => native.scanBackward(L, B, D, N, lbd, lbd, f(D * N), lbn, lbn, f(D), lbd, f(2 * B * D * N), 2, lbd, lbd, f(D * N), lbn, f(3), f(D))).toThrow(
        /dC has 3 elements/,
      );
      expect(() => native.conv1dForward(L, B, D, 4, lbd, f(11), f(D), lbd)).toThrow(/w has 11 elements, needs 12/);
      expect(() => native.conv1dBackward(L, B, D, 4, lbd, f(12), lbd, lbd, f(12), f(2))).toThrow(/dbias/);
      expect(() => native.layerNormForward(2, 3, f(6), f(3), f(3), -1, f(6), f(2), f(2))).toThrow(/eps/);
      expect(() => native.layerNormBackward(2, 3, f(6), f(3), f(6), f(2), f(1), f(6), f(3), f(3))).toThrow(/rstd has 1 elements/);
      expect(() => native.activationForward('relu' as never, 3, f(3), f(3))).toThrow(/op must be 'gelu', 'silu' or 'softplus'/);
      expect(() => native.activationBackward('gelu', 4, f(4), f(3), f(4))).toThrow(/dy has 3/);
      const ce = (targets: Int32Array) => native.softmaxCrossEntropy(3, 4, 2, f(6), f(8), targets, null, null);
      expect(() => ce(Int32Array.from([0, 4, 1]))).toThrow(/targets\[1\] = 4 is outside -1..3/);
      expect(() => ce(Int32Array.from([0, -2, 1]))).toThrow(RangeError);
      expect(() => native.softmaxCrossEntropy(3, 4, 2, f(6), f(8), new Float32Array(3) as never, null, null)).toThrow(/targets must be an Int32Array/);
      expect(() => native.softmaxCrossEntropy(3, 4, 2, f(6), f(8), new Int32Array(3), f(5), null)).toThrow(/dh has 5/);
    });
  });
});
