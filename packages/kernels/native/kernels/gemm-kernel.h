// SGEMM's register level: the MR×NR block of C a micro-kernel keeps in registers (AVX-512 12×32,
// AVX2+FMA 6×16, generic 4×8: picked by this build's -m flags), how it reads A (packed, or in place
// by rows or by columns), the three micro-kernels, and `panel`, which runs one MR-row panel of C
// against a range of packed B strips. Packing is in gemm-pack.h, the drivers in gemm.h.
// Compiled once per SIMD level through table.h, like every header in this folder: everything is in
// an anonymous namespace (see table.h).
#pragma once

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

#include "common.h"

namespace {

// The register block: MR rows × NR columns of C, NR = NV·VL (NV vectors of VL floats).
#if defined(__AVX512F__)
constexpr int MR = 12;
constexpr int NR = 32;
constexpr int VL = 16;
#elif defined(__AVX2__) && defined(__FMA__)
constexpr int MR = 6;
constexpr int NR = 16;
constexpr int VL = 8;
#else
constexpr int MR = 4;
constexpr int NR = 8;
constexpr int VL = 4;
#endif

// How the micro-kernel reads A: kPacked from pack_a's buffer (Ap[k·MR + i]), kRows straight from a
// row-major A (A[i·lda + k], no packing), kCols straight from a stored-transposed A (A[k·lda + i]).
enum AMode { kPacked = 0, kRows = 1, kCols = 2 };
template <int AM>
inline float a_at(const float* a, i64 lda, int i, i64 k) {
  if (AM == kPacked) return a[k * MR + i];
  if (AM == kRows) return a[i * lda + k];
  return a[k * lda + i];
}

#if defined(__AVX512F__)
// MR×(NV·16) block; stores rows < mr and columns < nr of C = alpha·acc + beta·C (C not read when beta = 0).
template <int NV, int AM>
inline void micro_kernel(i64 kc, const float* __restrict Ap, i64 lda, const float* __restrict Bp, float* C, i64 ldc, i64 mr, i64 nr, float alpha, float beta) {
  __m512 c[MR][NV];
#pragma GCC unroll 16
  for (int i = 0; i < MR; i++)
#pragma GCC unroll 2
    for (int v = 0; v < NV; v++) c[i][v] = _mm512_setzero_ps();
#pragma GCC unroll 4
  for (i64 k = 0; k < kc; k++) {
    __m512 b[NV];
#pragma GCC unroll 2
    for (int v = 0; v < NV; v++) b[v] = _mm512_load_ps(Bp + k * NR + v * 16);
#pragma GCC unroll 16
    for (int i = 0; i < MR; i++) {
      const __m512 a = _mm512_set1_ps(a_at<AM>(Ap, lda, i, k));
#pragma GCC unroll 2
      for (int v = 0; v < NV; v++) c[i][v] = _mm512_fmadd_ps(a, b[v], c[i][v]);
    }
  }
  const __m512 va = _mm512_set1_ps(alpha);
  const __m512 vb = _mm512_set1_ps(beta);
  __mmask16 m[NV];
  for (int v = 0; v < NV; v++) {
    const i64 cols = nr - v * 16;
    m[v] = cols >= 16 ? (__mmask16)0xFFFF : cols <= 0 ? (__mmask16)0 : (__mmask16)((1u << cols) - 1);
  }
#pragma GCC unroll 16
  for (int i = 0; i < MR; i++) {
    if (i >= mr) break;
    float* cp = C + i * ldc;
#pragma GCC unroll 2
    for (int v = 0; v < NV; v++) {
      __m512 r = _mm512_mul_ps(c[i][v], va);
      if (beta != 0.0f) r = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m[v], cp + v * 16), vb, r);
      _mm512_mask_storeu_ps(cp + v * 16, m[v], r);
    }
  }
}
#elif defined(__AVX2__) && defined(__FMA__)
inline __m256i lane_mask(i64 cols) {
  const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const int n = cols <= 0 ? 0 : cols >= 8 ? 8 : (int)cols;
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), idx);
}
template <int NV, int AM>
inline void micro_kernel(i64 kc, const float* __restrict Ap, i64 lda, const float* __restrict Bp, float* C, i64 ldc, i64 mr, i64 nr, float alpha, float beta) {
  __m256 c[MR][NV];
#pragma GCC unroll 16
  for (int i = 0; i < MR; i++)
#pragma GCC unroll 2
    for (int v = 0; v < NV; v++) c[i][v] = _mm256_setzero_ps();
#pragma GCC unroll 4
  for (i64 k = 0; k < kc; k++) {
    __m256 b[NV];
#pragma GCC unroll 2
    for (int v = 0; v < NV; v++) b[v] = _mm256_load_ps(Bp + k * NR + v * 8);
#pragma GCC unroll 16
    for (int i = 0; i < MR; i++) {
      const __m256 a = _mm256_set1_ps(a_at<AM>(Ap, lda, i, k));
#pragma GCC unroll 2
      for (int v = 0; v < NV; v++) c[i][v] = _mm256_fmadd_ps(a, b[v], c[i][v]);
    }
  }
  const __m256 va = _mm256_set1_ps(alpha);
  const __m256 vb = _mm256_set1_ps(beta);
  __m256i m[NV];
  bool full[NV];
  for (int v = 0; v < NV; v++) {
    m[v] = lane_mask(nr - v * 8);
    full[v] = nr - v * 8 >= 8;
  }
#pragma GCC unroll 16
  for (int i = 0; i < MR; i++) {
    if (i >= mr) break;
    float* cp = C + i * ldc;
#pragma GCC unroll 2
    for (int v = 0; v < NV; v++) {
      if (nr - v * 8 <= 0) continue;
      __m256 r = _mm256_mul_ps(c[i][v], va);
      if (full[v]) {
        if (beta != 0.0f) r = _mm256_fmadd_ps(_mm256_loadu_ps(cp + v * 8), vb, r);
        _mm256_storeu_ps(cp + v * 8, r);
      } else {
        if (beta != 0.0f) r = _mm256_fmadd_ps(_mm256_maskload_ps(cp + v * 8, m[v]), vb, r);
        _mm256_maskstore_ps(cp + v * 8, m[v], r);
      }
    }
  }
}
#else
template <int NV, int AM>
inline void micro_kernel(i64 kc, const float* __restrict Ap, i64 lda, const float* __restrict Bp, float* C, i64 ldc, i64 mr, i64 nr, float alpha, float beta) {
  float c[MR][NR];
  for (int i = 0; i < MR; i++)
    for (int j = 0; j < NR; j++) c[i][j] = 0.0f;
  for (i64 k = 0; k < kc; k++) {
    const float* b = Bp + k * NR;
    for (int i = 0; i < MR; i++) {
      const float a = a_at<AM>(Ap, lda, i, k);
#pragma omp simd
      for (int j = 0; j < NR; j++) c[i][j] += a * b[j];
    }
  }
  for (i64 i = 0; i < mr; i++) {
    float* cp = C + i * ldc;
    if (beta != 0.0f) {
      for (i64 j = 0; j < nr; j++) cp[j] = alpha * c[i][j] + beta * cp[j];
    } else {
      for (i64 j = 0; j < nr; j++) cp[j] = alpha * c[i][j];
    }
  }
}
#endif

// One MR-row panel of C against strips [s0, s1) of the packed B block.
template <int AM>
inline void panel(i64 kc, const float* a, i64 lda, const float* Bp, i64 s0, i64 s1, i64 nc, float* C, i64 ldc, i64 mr, float alpha, float beta) {
  constexpr int NV = NR / VL;
  for (i64 s = s0; s < s1; s++) {
    const i64 nr = imin(NR, nc - s * NR);
    if (nr > NR - VL || NV == 1)
      micro_kernel<NV, AM>(kc, a, lda, Bp + s * kc * NR, C + s * NR, ldc, mr, nr, alpha, beta);
    else
      micro_kernel<NV == 1 ? 1 : NV - 1, AM>(kc, a, lda, Bp + s * kc * NR, C + s * NR, ldc, mr, nr, alpha, beta);
  }
}

}  // namespace
