// The kernels, written once and compiled once per SIMD level (kernels-generic.cc, kernels-avx2.cc,
// kernels-avx512.cc include this file with their own -m flags). Everything here has internal
// linkage (anonymous namespace, no std:: templates that emit out-of-line code), so no function
// compiled for AVX-512 can be merged by the linker into code that runs on a lesser CPU.
//
// The including file defines KILN_TABLE_FN (the name of its extern "C" table getter).

#include <omp.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

#include "kiln.h"

namespace {

using i64 = int64_t;

inline i64 imin(i64 a, i64 b) { return a < b ? a : b; }
inline i64 imax(i64 a, i64 b) { return a > b ? a : b; }
inline i64 ceil_div(i64 a, i64 b) { return (a + b - 1) / b; }

// 64-byte aligned scratch memory; returns nullptr for 0 bytes.
float* falloc(i64 count) {
  if (count <= 0) return nullptr;
  size_t bytes = (size_t)count * sizeof(float);
  bytes = (bytes + 63) / 64 * 64;
  return static_cast<float*>(aligned_alloc(64, bytes));
}

// ---------------------------------------------------------------------------------------------
// Vectorisable math (no libm calls, no -ffast-math): the compiler turns loops over these into
// SIMD code. Accuracy: kexp ≈ 1 ulp, klog ≈ 1 ulp, kerfc relative error ≤ ~2e-7 (+ float rounding of z²).

inline float bits_to_float(int32_t i) {
  float f;
  memcpy(&f, &i, 4);
  return f;
}
inline int32_t float_to_bits(float f) {
  int32_t i;
  memcpy(&i, &f, 4);
  return i;
}

// e^x (Cephes expf), clamped to the normal range: e^x for x < −87.3 returns ~1e-38 instead of 0.
inline float kexp(float x) {
  x = x < -87.3f ? -87.3f : x;
  x = x > 88.3f ? 88.3f : x;
  const float n = floorf(x * 1.44269504088896341f + 0.5f);
  float r = x - n * 0.693359375f;
  r = r + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float e = p * r * r + r + 1.0f;
  return e * bits_to_float(((int32_t)n + 127) << 23);
}

// ln x for finite x > 0 (Cephes logf).
inline float klog(float x) {
  const int32_t bits = float_to_bits(x);
  float e = (float)(((bits >> 23) & 0xff) - 126);
  float m = bits_to_float((bits & 0x807fffff) | 0x3f000000);  // [0.5, 1)
  const bool small = m < 0.707106781186547524f;
  e = small ? e - 1.0f : e;
  m = small ? m + m - 1.0f : m - 1.0f;
  const float z = m * m;
  float y = 7.0376836292e-2f;
  y = y * m - 1.1514610310e-1f;
  y = y * m + 1.1676998740e-1f;
  y = y * m - 1.2420140846e-1f;
  y = y * m + 1.4249322787e-1f;
  y = y * m - 1.6668057665e-1f;
  y = y * m + 2.0000714765e-1f;
  y = y * m - 2.4999993993e-1f;
  y = y * m + 3.3333331174e-1f;
  y = y * m * z;
  y = y + e * -2.12194440e-4f;
  y = y - 0.5f * z;
  return m + y + e * 0.693359375f;
}

// ln(1 + u) for u ≥ 0 (Goldberg's trick keeps full relative accuracy for tiny u).
inline float klog1p(float u) {
  const float w = 1.0f + u;
  const float d = w - 1.0f;
  const float r = klog(w) * (u / (d == 0.0f ? 1.0f : d));
  return d == 0.0f ? u : r;
}

// erfc(z) for z ≥ 0 (Numerical Recipes' Chebyshev fit, fractional error < 1.2e-7).
inline float kerfc_pos(float z) {
  const float t = 1.0f / (1.0f + 0.5f * z);
  float p = 0.17087277f;
  p = p * t - 0.82215223f;
  p = p * t + 1.48851587f;
  p = p * t - 1.13520398f;
  p = p * t + 0.27886807f;
  p = p * t - 0.18628806f;
  p = p * t + 0.09678418f;
  p = p * t + 0.37409196f;
  p = p * t + 1.00002368f;
  p = p * t - 1.26551223f;
  return t * kexp(p - z * z);
}

// Φ(x), the standard normal CDF.
inline float knormcdf(float x) {
  const float z = (x < 0 ? -x : x) * 0.70710678118654752f;
  const float h = 0.5f * kerfc_pos(z);
  return x < 0 ? h : 1.0f - h;
}

inline float ksigmoid(float x) { return 1.0f / (1.0f + kexp(-x)); }

// ---------------------------------------------------------------------------------------------
// SGEMM: packed, cache-blocked; B is packed into NR-wide strips (the vector operand), A into
// MR-tall panels (broadcast). The micro-kernel keeps an MR×NR block of C in registers.

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
constexpr i64 KC = 256;   // depth of a packed block
constexpr i64 NCB = 768;  // columns of B packed at a time (KC·NCB·4 bytes = 768 KiB, fits L2)

// Ap[k·MR + i] = op(A)[i0 + i, p0 + k], rows ≥ mr zero.
void pack_a(bool ta, const float* A, i64 lda, i64 i0, i64 mr, i64 p0, i64 kc, float* Ap) {
  if (ta) {
    for (i64 k = 0; k < kc; k++) {
      const float* a = A + (p0 + k) * lda + i0;
      float* d = Ap + k * MR;
      for (i64 i = 0; i < mr; i++) d[i] = a[i];
      for (i64 i = mr; i < MR; i++) d[i] = 0.0f;
    }
    return;
  }
  const float* rows[MR];
  for (i64 i = 0; i < MR; i++) rows[i] = A + (i0 + imin(i, mr - 1)) * lda + p0;
  if (mr == MR) {
    for (i64 k = 0; k < kc; k++) {
      float* d = Ap + k * MR;
#pragma GCC unroll 16
      for (int i = 0; i < MR; i++) d[i] = rows[i][k];
    }
  } else {
    for (i64 k = 0; k < kc; k++) {
      float* d = Ap + k * MR;
      for (i64 i = 0; i < MR; i++) d[i] = i < mr ? rows[i][k] : 0.0f;
    }
  }
}

// One NR-wide strip: Bp[k·NR + j] = op(B)[p0 + k, j0 + j], columns ≥ nr zero.
void pack_b_strip(bool tb, const float* B, i64 ldb, i64 p0, i64 kc, i64 j0, i64 nr, float* Bp) {
  if (!tb) {
    for (i64 k = 0; k < kc; k++) {
      const float* b = B + (p0 + k) * ldb + j0;
      float* d = Bp + k * NR;
      if (nr == NR) {
#pragma omp simd
        for (int j = 0; j < NR; j++) d[j] = b[j];
      } else {
        for (i64 j = 0; j < nr; j++) d[j] = b[j];
        for (i64 j = nr; j < NR; j++) d[j] = 0.0f;
      }
    }
    return;
  }
  // op(B) = Bᵀ: walk 8 columns at a time to keep reads contiguous.
  for (i64 j = 0; j < NR; j++) {
    float* d = Bp + j;
    if (j < nr) {
      const float* b = B + (j0 + j) * ldb + p0;
      for (i64 k = 0; k < kc; k++) d[k * NR] = b[k];
    } else {
      for (i64 k = 0; k < kc; k++) d[k * NR] = 0.0f;
    }
  }
}

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
inline void micro_kernel(i64 kc, const float* __restrict Ap, i64 lda, const float* __restrict Bp, float* C, i64 ldc, i64 mr, i64 nr, float alpha,
                         float beta) {
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
inline void micro_kernel(i64 kc, const float* __restrict Ap, i64 lda, const float* __restrict Bp, float* C, i64 ldc, i64 mr, i64 nr, float alpha,
                         float beta) {
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
inline void micro_kernel(i64 kc, const float* __restrict Ap, i64 lda, const float* __restrict Bp, float* C, i64 ldc, i64 mr, i64 nr, float alpha,
                         float beta) {
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

void scale_c(i64 M, i64 N, float beta, float* C, i64 ldc) {
  for (i64 i = 0; i < M; i++) {
    float* c = C + i * ldc;
    if (beta == 0.0f) {
      for (i64 j = 0; j < N; j++) c[j] = 0.0f;
    } else if (beta != 1.0f) {
      for (i64 j = 0; j < N; j++) c[j] *= beta;
    }
  }
}

// Ap[(p·kc + k)·MR + i] = op(A)[i0 + p·MR + i, p0 + k] for `np` consecutive panels of a stored-
// transposed A (op(A) = Aᵀ), rows ≥ M zero: reads one contiguous run of np·MR floats per k.
void pack_a_t_panels(const float* A, i64 lda, i64 M, i64 i0, i64 np, i64 p0, i64 kc, float* Ap) {
  const i64 rows = imin(np * MR, M - i0);
  for (i64 k = 0; k < kc; k++) {
    const float* a = A + (p0 + k) * lda + i0;
    if (k + 8 < kc)  // rows are pages apart: no hardware prefetcher follows them
      for (i64 r = 0; r < rows; r += 16) __builtin_prefetch(a + 8 * lda + r, 0, 3);
    for (i64 p = 0; p < np; p++) {
      const float* src = a + p * MR;
      float* dst = Ap + (p * kc + k) * MR;
      const i64 valid = rows - p * MR;
      if (valid >= MR) {
#pragma GCC unroll 16
        for (int i = 0; i < MR; i++) dst[i] = src[i];
      } else {
        for (i64 i = 0; i < MR; i++) dst[i] = i < valid ? src[i] : 0.0f;
      }
    }
  }
}

// One MR-row panel's tile [s0, s1) over every depth block of a fully packed B (all of K).
template <int AM>
inline void panel_all_k(i64 K, i64 kcb, const float* a, i64 lda, const float* Bp_all, i64 strips, i64 s0, i64 s1, i64 N, float* C, i64 ldc,
                        i64 mr, float alpha, float beta) {
  for (i64 p0 = 0; p0 < K; p0 += kcb) {
    const i64 kc = imin(kcb, K - p0);
    const float* ap = AM == kRows ? a + p0 : AM == kCols ? a + p0 * lda : a;
    panel<AM>(kc, ap, lda, Bp_all + p0 * strips * NR, s0, s1, N, C, ldc, mr, alpha, p0 == 0 ? beta : 1.0f);
  }
}

// The whole of op(B) packed once (one barrier), then one dynamic loop over C's tiles, each running
// through all of K. Used when packed B is small (≤ 16 MiB): a thread that another process
// deschedules then stalls the others at two barriers per call instead of two per depth block.
void gemm_oneshot(bool ta, bool tb, i64 M, i64 N, i64 K, float alpha, const float* A, i64 lda, const float* B, i64 ldb, float beta, float* C, i64 ldc,
                  int threads) {
  const i64 mpanels = ceil_div(M, MR);
  const i64 kcb = imin(KC, K);
  const i64 strips = ceil_div(N, NR);
  const i64 group_panels = ta && lda > 256 ? 8 : 1;
  const i64 macros = ceil_div(mpanels, group_panels);
  const i64 kblocks = ceil_div(K, kcb);
  // Depth block p (rows p0 … p0+kc of op(B)) lives at Bp + p0·strips·NR, strip s at + s·kc·NR.
  float* Bp = falloc(K * strips * NR);
#pragma omp parallel num_threads(threads) if (threads > 1)
  {
    const int nt = omp_get_num_threads();
#pragma omp for schedule(dynamic, 4) collapse(2)
    for (i64 kb = 0; kb < kblocks; kb++)
      for (i64 s = 0; s < strips; s++) {
        const i64 p0 = kb * kcb;
        const i64 kc = imin(kcb, K - p0);
        pack_b_strip(tb, B, ldb, p0, kc, s * NR, imin(NR, N - s * NR), Bp + p0 * strips * NR + s * kc * NR);
      }
    float* Ap = falloc(group_panels * MR * kcb);
    i64 groups = macros >= 8 * nt ? 1 : imin(strips, ceil_div(8 * nt, macros));
    const i64 per_group = ceil_div(strips, groups);
    groups = ceil_div(strips, per_group);
#pragma omp for schedule(dynamic, 2)
    for (i64 task = 0; task < macros * groups; task++) {
      const i64 mi = task / groups;
      const i64 g = task % groups;
      const i64 s0 = g * per_group;
      const i64 s1 = imin(strips, (g + 1) * per_group);
      const i64 ip0 = mi * group_panels;
      const i64 np = imin(group_panels, mpanels - ip0);
      if (group_panels > 1) {
        for (i64 p0 = 0; p0 < K; p0 += kcb) {
          const i64 kc = imin(kcb, K - p0);
          pack_a_t_panels(A, lda, M, ip0 * MR, np, p0, kc, Ap);
          for (i64 ip = ip0; ip < ip0 + np; ip++) {
            const i64 i0 = ip * MR;
            panel<kPacked>(kc, Ap + (ip - ip0) * kc * MR, MR, Bp + p0 * strips * NR, s0, s1, N, C + i0 * ldc, ldc, imin(MR, M - i0), alpha,
                           p0 == 0 ? beta : 1.0f);
          }
        }
        continue;
      }
      const i64 i0 = mi * MR;
      const i64 mr = imin(MR, M - i0);
      float* cp = C + i0 * ldc;
      if (mr == MR) {
        if (ta)
          panel_all_k<kCols>(K, kcb, A + i0, lda, Bp, strips, s0, s1, N, cp, ldc, mr, alpha, beta);
        else
          panel_all_k<kRows>(K, kcb, A + i0 * lda, lda, Bp, strips, s0, s1, N, cp, ldc, mr, alpha, beta);
      } else {
        for (i64 p0 = 0; p0 < K; p0 += kcb) {
          const i64 kc = imin(kcb, K - p0);
          pack_a(ta, A, lda, i0, mr, p0, kc, Ap);
          panel<kPacked>(kc, Ap, MR, Bp + p0 * strips * NR, s0, s1, N, cp, ldc, mr, alpha, p0 == 0 ? beta : 1.0f);
        }
      }
    }
    free(Ap);
  }
  free(Bp);
}

// The blocked product on `threads` threads (1: the calling thread only).
void gemm_blocked(bool ta, bool tb, i64 M, i64 N, i64 K, float alpha, const float* A, i64 lda, const float* B, i64 ldb, float beta, float* C, i64 ldc,
                  int threads) {
  const i64 mpanels = ceil_div(M, MR);
  const i64 kcb = imin(KC, K);
  const i64 ncb = imin(NCB, ceil_div(N, NR) * NR);
  // A stored transposed with long rows: reading MR floats per row (k) would touch one cache line,
  // and one page, per k. Pack 8 panels at once instead: 8·MR contiguous floats per k.
  const i64 group_panels = ta && lda > 256 ? 8 : 1;
  const i64 macros = ceil_div(mpanels, group_panels);
  float* Bp = falloc(kcb * ncb);
#pragma omp parallel num_threads(threads) if (threads > 1)
  {
    float* Ap = falloc(group_panels * MR * kcb);
    const int nt = omp_get_num_threads();
    for (i64 j0 = 0; j0 < N; j0 += ncb) {
      const i64 nc = imin(ncb, N - j0);
      const i64 strips = ceil_div(nc, NR);
      // Few row panels: also split the strips so every thread has work.
      i64 groups = macros >= 8 * nt ? 1 : imin(strips, ceil_div(8 * nt, macros));
      const i64 per_group = ceil_div(strips, groups);
      groups = ceil_div(strips, per_group);
      for (i64 p0 = 0; p0 < K; p0 += kcb) {
        const i64 kc = imin(kcb, K - p0);
        const float bt = p0 == 0 ? beta : 1.0f;
#pragma omp for schedule(static)
        for (i64 s = 0; s < strips; s++) pack_b_strip(tb, B, ldb, p0, kc, j0 + s * NR, imin(NR, nc - s * NR), Bp + s * kc * NR);
        i64 packed = -1;
        // Dynamic: a thread descheduled by another process does not hold the others up.
#pragma omp for schedule(dynamic, 4)
        for (i64 task = 0; task < macros * groups; task++) {
          const i64 mi = task / groups;
          const i64 g = task % groups;
          const i64 s0 = g * per_group;
          const i64 s1 = imin(strips, (g + 1) * per_group);
          if (group_panels > 1) {
            const i64 ip0 = mi * group_panels;
            const i64 np = imin(group_panels, mpanels - ip0);
            if (packed != mi) {
              pack_a_t_panels(A, lda, M, ip0 * MR, np, p0, kc, Ap);
              packed = mi;
            }
            for (i64 ip = ip0; ip < ip0 + np; ip++) {
              const i64 i0 = ip * MR;
              panel<kPacked>(kc, Ap + (ip - ip0) * kc * MR, MR, Bp, s0, s1, nc, C + i0 * ldc + j0, ldc, imin(MR, M - i0), alpha, bt);
            }
            continue;
          }
          const i64 i0 = mi * MR;
          const i64 mr = imin(MR, M - i0);
          float* cp = C + i0 * ldc + j0;
          if (mr == MR) {
            // Full panels read A in place: packing would cost as much as the product when N is small.
            if (ta)
              panel<kCols>(kc, A + p0 * lda + i0, lda, Bp, s0, s1, nc, cp, ldc, mr, alpha, bt);
            else
              panel<kRows>(kc, A + i0 * lda + p0, lda, Bp, s0, s1, nc, cp, ldc, mr, alpha, bt);
          } else {
            if (packed != mi) {
              pack_a(ta, A, lda, i0, mr, p0, kc, Ap);
              packed = mi;
            }
            panel<kPacked>(kc, Ap, MR, Bp, s0, s1, nc, cp, ldc, mr, alpha, bt);
          }
        }
      }
    }
    free(Ap);
  }
  free(Bp);
}

void sgemm(bool ta, bool tb, i64 M, i64 N, i64 K, float alpha, const float* A, i64 lda, const float* B, i64 ldb, float beta, float* C, i64 ldc,
           bool parallel) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0 || alpha == 0.0f) {
    scale_c(M, N, beta, C, ldc);
    return;
  }
  int nt = parallel ? omp_get_max_threads() : 1;
  if ((double)M * (double)N * (double)K < 32768.0) nt = 1;  // too small to share
  // A deep product with a small result (weight gradients, K = tokens): split K between the
  // threads, each into its own copy of C, then sum. No per-block barriers, perfect balance.
  if (nt > 1 && K >= 2 * KC * nt && K >= 8 * imax(M, N) && M * N <= (i64(1) << 20)) {
    const i64 per = ceil_div(ceil_div(K, nt), KC) * KC;
    float* partial = falloc((nt - 1) * M * N);
#pragma omp parallel num_threads(nt)
    {
      const int t = omp_get_thread_num();
      const i64 k0 = imin(K, t * per);
      const i64 k1 = imin(K, k0 + per);
      float* ct = t == 0 ? C : partial + (t - 1) * M * N;
      const i64 ldct = t == 0 ? ldc : N;
      const float bt = t == 0 ? beta : 0.0f;
      if (k1 > k0)
        gemm_blocked(ta, tb, M, N, k1 - k0, alpha, ta ? A + k0 * lda : A + k0, lda, tb ? B + k0 : B + k0 * ldb, ldb, bt, ct, ldct, 1);
      else if (t > 0)
        scale_c(M, N, 0.0f, ct, ldct);
#pragma omp barrier
#pragma omp for schedule(static)
      for (i64 i = 0; i < M; i++) {
        float* c = C + i * ldc;
        for (int u = 1; u < nt; u++) {
          const float* p = partial + (u - 1) * M * N + i * N;
#pragma omp simd
          for (i64 j = 0; j < N; j++) c[j] += p[j];
        }
      }
    }
    free(partial);
    return;
  }
  // One-shot when packed B fits in L2, or when there are few row panels (each would otherwise pass
  // two barriers per depth block); the blocked loop keeps a big B's blocks in L2.
  const i64 packed_b = K * ceil_div(N, NR) * NR;
  if (packed_b <= (i64(256) << 10) || (ceil_div(M, MR) <= 8 * nt && packed_b <= (i64(4) << 20)))
    gemm_oneshot(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, nt);
  else
    gemm_blocked(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, nt);
}

// ---------------------------------------------------------------------------------------------
// Selective scan. Work unit: one batch row b and a block of W contiguous channels; states are
// kept as h[n][lane] so every step is a vector op over the channel lanes (no horizontal sums).

constexpr int W = 16;

struct ChannelBlock {
  i64 d0, dw;
};

inline void load_lanes(const float* src, i64 dw, float* dst) {
  if (dw == W) {
#pragma omp simd
    for (int i = 0; i < W; i++) dst[i] = src[i];
  } else {
    for (i64 i = 0; i < W; i++) dst[i] = i < dw ? src[i] : 0.0f;
  }
}
inline void store_lanes(const float* src, i64 dw, float* dst) {
  for (i64 i = 0; i < dw; i++) dst[i] = src[i];
}
// At[n·W + lane] = A[(d0 + lane)·N + n] (0 in padding lanes, so padded states stay 0).
void transpose_a(const float* A, i64 N, ChannelBlock cb, float* At) {
  for (i64 n = 0; n < N; n++)
    for (i64 i = 0; i < W; i++) At[n * W + i] = i < cb.dw ? A[(cb.d0 + i) * N + n] : 0.0f;
}

// The scan walks time with a stride of B·D floats: far beyond what the hardware prefetcher follows,
// so fetch step t ± kPrefetch ahead by hand (one cache line of each [L,B,D] input, B_t and C_t).
constexpr i64 kPrefetch = 4;
inline void prefetch_step(const float* p, i64 n_floats, bool write = false) {
  for (i64 i = 0; i < n_floats; i += 16) {
    if (write)
      __builtin_prefetch(p + i, 1, 3);
    else
      __builtin_prefetch(p + i, 0, 3);
  }
}

void scan_forward(i64 L, i64 Bn, i64 D, i64 N, const float* x, const float* delta, const float* A, const float* Bm, const float* Cm, const float* Dskip,
                  float* y, float* ckpt, i64 chunk) {
  const i64 nblk = ceil_div(D, W);
  const i64 BD = Bn * D;
#pragma omp parallel
  {
    float* h = falloc(N * W);
    float* At = falloc(N * W);
#pragma omp for schedule(dynamic, 4)
    for (i64 task = 0; task < Bn * nblk; task++) {
      const i64 b = task / nblk;
      const ChannelBlock cb{(task % nblk) * W, imin(W, D - (task % nblk) * W)};
      transpose_a(A, N, cb, At);
      for (i64 i = 0; i < N * W; i++) h[i] = 0.0f;
      alignas(64) float dsk[W], xv[W], dv[W], dbx[W], yv[W];
      load_lanes(Dskip + cb.d0, cb.dw, dsk);
      for (i64 t = 0; t < L; t++) {
        if (ckpt && t % chunk == 0) {
          float* cp = ckpt + ((t / chunk) * Bn + b) * D * N + cb.d0 * N;
          for (i64 i = 0; i < cb.dw; i++)
            for (i64 n = 0; n < N; n++) cp[i * N + n] = h[n * W + i];
        }
        const i64 off = t * BD + b * D + cb.d0;
        if (t + kPrefetch < L) {
          const i64 pf = off + kPrefetch * BD;
          prefetch_step(x + pf, cb.dw);
          prefetch_step(delta + pf, cb.dw);
          prefetch_step(y + pf, cb.dw, true);
          prefetch_step(Bm + ((t + kPrefetch) * Bn + b) * N, N);
          prefetch_step(Cm + ((t + kPrefetch) * Bn + b) * N, N);
        }
        load_lanes(x + off, cb.dw, xv);
        load_lanes(delta + off, cb.dw, dv);
#pragma omp simd
        for (int i = 0; i < W; i++) {
          dbx[i] = dv[i] * xv[i];
          yv[i] = dsk[i] * xv[i];
        }
        const float* bt = Bm + (t * Bn + b) * N;
        const float* ct = Cm + (t * Bn + b) * N;
        for (i64 n = 0; n < N; n++) {
          const float bn = bt[n];
          const float cn = ct[n];
          float* hn = h + n * W;
          const float* an = At + n * W;
#pragma omp simd aligned(hn, an : 64)
          for (int i = 0; i < W; i++) {
            const float hv = kexp(dv[i] * an[i]) * hn[i] + dbx[i] * bn;
            hn[i] = hv;
            yv[i] += cn * hv;
          }
        }
        store_lanes(yv, cb.dw, y + off);
      }
    }
    free(h);
    free(At);
  }
}

void scan_backward(i64 L, i64 Bn, i64 D, i64 N, const float* x, const float* delta, const float* A, const float* Bm, const float* Cm, const float* Dskip,
                   const float* dy, const float* ckpt, i64 chunk, float* dx, float* ddelta, float* dA, float* dB, float* dC, float* dD) {
  const i64 nblk = ceil_div(D, W);
  const i64 BD = Bn * D;
  const i64 nchunks = ceil_div(L, chunk);
  const i64 clen = imin(chunk, L);
  const int nt = omp_get_max_threads();
  double* dA_acc = static_cast<double*>(calloc((size_t)(nt * D * N + nt * D), sizeof(double)));
  double* dD_acc = dA_acc + nt * D * N;
#pragma omp parallel num_threads(nt)
  {
    const int tid = omp_get_thread_num();
    double* my_dA = dA_acc + tid * D * N;
    double* my_dD = dD_acc + tid * D;
    float* H = falloc((clen + 1) * N * W);  // states h_{t0−1} … h_{t1−1} of one chunk
    float* Ab = falloc(clen * N * W);       // exp(Δ_t·A) of one chunk
    float* accB = falloc(clen * N * W);     // per-lane partial dB, dC of one chunk (summed over blocks)
    float* accC = falloc(clen * N * W);
    float* carry = falloc(nblk * N * W);  // exp(Δ_{t+1}A)·g_{t+1}, per channel block, across chunks
    float* At = falloc(N * W);
    float* dAl = falloc(N * W);
#pragma omp for schedule(dynamic, 1)
    for (i64 b = 0; b < Bn; b++) {
      for (i64 i = 0; i < nblk * N * W; i++) carry[i] = 0.0f;
      for (i64 c = nchunks - 1; c >= 0; c--) {
        const i64 t0 = c * chunk;
        const i64 len = imin(chunk, L - t0);
        for (i64 i = 0; i < len * N * W; i++) accB[i] = accC[i] = 0.0f;
        for (i64 blk = 0; blk < nblk; blk++) {
          const ChannelBlock cb{blk * W, imin(W, D - blk * W)};
          transpose_a(A, N, cb, At);
          alignas(64) float dsk[W], xv[W], dv[W], dyv[W], dbx[W], dxv[W], ddv[W], dDl[W];
          load_lanes(Dskip + cb.d0, cb.dw, dsk);
          // Recompute the chunk's states from its checkpoint.
          const float* cp = ckpt + (c * Bn + b) * D * N + cb.d0 * N;
          for (i64 n = 0; n < N; n++)
            for (i64 i = 0; i < W; i++) H[n * W + i] = i < cb.dw ? cp[i * N + n] : 0.0f;
          for (i64 tl = 0; tl < len; tl++) {
            const i64 t = t0 + tl;
            const i64 off = t * BD + b * D + cb.d0;
            if (tl + kPrefetch < len) {
              const i64 pf = off + kPrefetch * BD;
              prefetch_step(x + pf, cb.dw);
              prefetch_step(delta + pf, cb.dw);
              prefetch_step(Bm + ((t + kPrefetch) * Bn + b) * N, N);
            }
            load_lanes(x + off, cb.dw, xv);
            load_lanes(delta + off, cb.dw, dv);
#pragma omp simd
            for (int i = 0; i < W; i++) dbx[i] = dv[i] * xv[i];
            const float* bt = Bm + (t * Bn + b) * N;
            const float* hp = H + tl * N * W;
            float* hc = H + (tl + 1) * N * W;
            float* ab = Ab + tl * N * W;
            for (i64 n = 0; n < N; n++) {
              const float bn = bt[n];
#pragma omp simd
              for (int i = 0; i < W; i++) {
                const float a = kexp(dv[i] * At[n * W + i]);
                ab[n * W + i] = a;
                hc[n * W + i] = a * hp[n * W + i] + dbx[i] * bn;
              }
            }
          }
          // Reverse recurrence: g_t = C_t·dy_t + exp(Δ_{t+1}A)·g_{t+1}.
          for (i64 i = 0; i < N * W; i++) dAl[i] = 0.0f;
          for (int i = 0; i < W; i++) dDl[i] = 0.0f;
          float* G = carry + blk * N * W;
          for (i64 tl = len - 1; tl >= 0; tl--) {
            const i64 t = t0 + tl;
            const i64 off = t * BD + b * D + cb.d0;
            if (tl >= kPrefetch) {
              const i64 pf = off - kPrefetch * BD;
              prefetch_step(dy + pf, cb.dw);
              prefetch_step(dx + pf, cb.dw, true);
              prefetch_step(ddelta + pf, cb.dw, true);
              prefetch_step(Cm + ((t - kPrefetch) * Bn + b) * N, N);
            }
            load_lanes(x + off, cb.dw, xv);
            load_lanes(delta + off, cb.dw, dv);
            load_lanes(dy + off, cb.dw, dyv);
#pragma omp simd
            for (int i = 0; i < W; i++) {
              dxv[i] = dsk[i] * dyv[i];
              ddv[i] = 0.0f;
              dbx[i] = dv[i] * xv[i];
              dDl[i] += dyv[i] * xv[i];
            }
            const float* bt = Bm + (t * Bn + b) * N;
            const float* ct = Cm + (t * Bn + b) * N;
            const float* hp = H + tl * N * W;
            const float* hc = H + (tl + 1) * N * W;
            const float* ab = Ab + tl * N * W;
            float* aB = accB + tl * N * W;
            float* aC = accC + tl * N * W;
            for (i64 n = 0; n < N; n++) {
              const float bn = bt[n];
              const float cn = ct[n];
#pragma omp simd
              for (int i = 0; i < W; i++) {
                const i64 k = n * W + i;
                const float g = cn * dyv[i] + G[k];
                const float a = ab[k];
                const float gah = g * a * hp[k];
                aC[k] += dyv[i] * hc[k];
                aB[k] += g * dbx[i];
                dxv[i] += g * dv[i] * bn;
                ddv[i] += gah * At[k] + g * bn * xv[i];
                dAl[k] += gah * dv[i];
                G[k] = a * g;
              }
            }
            store_lanes(dxv, cb.dw, dx + off);
            store_lanes(ddv, cb.dw, ddelta + off);
          }
          for (i64 i = 0; i < cb.dw; i++) {
            my_dD[cb.d0 + i] += dDl[i];
            for (i64 n = 0; n < N; n++) my_dA[(cb.d0 + i) * N + n] += dAl[n * W + i];
          }
        }
        // dB, dC of this chunk: sum the lanes.
        for (i64 tl = 0; tl < len; tl++) {
          float* dBt = dB + ((t0 + tl) * Bn + b) * N;
          float* dCt = dC + ((t0 + tl) * Bn + b) * N;
          for (i64 n = 0; n < N; n++) {
            const float* pb = accB + (tl * N + n) * W;
            const float* pc = accC + (tl * N + n) * W;
            float sb = 0.0f, sc = 0.0f;
#pragma omp simd reduction(+ : sb, sc)
            for (int i = 0; i < W; i++) {
              sb += pb[i];
              sc += pc[i];
            }
            dBt[n] = sb;
            dCt[n] = sc;
          }
        }
      }
    }
    free(H);
    free(Ab);
    free(accB);
    free(accC);
    free(carry);
    free(At);
    free(dAl);
  }
  for (i64 i = 0; i < D * N; i++) {
    double s = 0.0;
    for (int t = 0; t < nt; t++) s += dA_acc[t * D * N + i];
    dA[i] = (float)s;
  }
  for (i64 i = 0; i < D; i++) {
    double s = 0.0;
    for (int t = 0; t < nt; t++) s += dD_acc[t * D + i];
    dD[i] = (float)s;
  }
  free(dA_acc);
}

// ---------------------------------------------------------------------------------------------
// Causal depthwise conv1d, time-major [L, B, D], weights [K, D].

void conv1d_forward(i64 L, i64 Bn, i64 D, i64 K, const float* x, const float* w, const float* bias, float* y) {
#pragma omp parallel for schedule(static)
  for (i64 row = 0; row < L * Bn; row++) {
    const i64 t = row / Bn;
    const i64 b = row % Bn;
    float* yr = y + row * D;
#pragma omp simd
    for (i64 d = 0; d < D; d++) yr[d] = bias[d];
    for (i64 k = 0; k < K; k++) {
      const i64 s = t - K + 1 + k;
      if (s < 0) continue;
      const float* xr = x + (s * Bn + b) * D;
      const float* wk = w + k * D;
#pragma omp simd
      for (i64 d = 0; d < D; d++) yr[d] += wk[d] * xr[d];
    }
  }
}

void conv1d_backward(i64 L, i64 Bn, i64 D, i64 K, const float* x, const float* w, const float* dy, float* dx, float* dw, float* dbias) {
  const int nt = omp_get_max_threads();
  double* acc = static_cast<double*>(calloc((size_t)(nt * (K + 1) * D), sizeof(double)));
#pragma omp parallel num_threads(nt)
  {
    double* my = acc + omp_get_thread_num() * (K + 1) * D;
#pragma omp for schedule(static)
    for (i64 row = 0; row < L * Bn; row++) {
      const i64 s = row / Bn;
      const i64 b = row % Bn;
      // dx_s = Σ_k w[k]·dy_{s+K−1−k}
      float* dxr = dx + row * D;
      for (i64 d = 0; d < D; d++) dxr[d] = 0.0f;
      for (i64 k = 0; k < K; k++) {
        const i64 t = s + K - 1 - k;
        if (t >= L) continue;
        const float* dyr = dy + (t * Bn + b) * D;
        const float* wk = w + k * D;
#pragma omp simd
        for (i64 d = 0; d < D; d++) dxr[d] += wk[d] * dyr[d];
      }
      // dw[k] += dy_t·x_{t−K+1+k} with t = s; dbias += dy_t
      const float* dyr = dy + row * D;
      for (i64 k = 0; k < K; k++) {
        const i64 src = s - K + 1 + k;
        if (src < 0) continue;
        const float* xr = x + (src * Bn + b) * D;
        double* mk = my + k * D;
#pragma omp simd
        for (i64 d = 0; d < D; d++) mk[d] += (double)dyr[d] * (double)xr[d];
      }
      double* mb = my + K * D;
#pragma omp simd
      for (i64 d = 0; d < D; d++) mb[d] += (double)dyr[d];
    }
  }
  for (i64 i = 0; i < (K + 1) * D; i++) {
    double s = 0.0;
    for (int t = 0; t < nt; t++) s += acc[t * (K + 1) * D + i];
    if (i < K * D)
      dw[i] = (float)s;
    else
      dbias[i - K * D] = (float)s;
  }
  free(acc);
}

// ---------------------------------------------------------------------------------------------
// LayerNorm over rows of H.

void layernorm_forward(i64 rows, i64 H, const float* x, const float* gamma, const float* beta, float eps, float* y, float* mean, float* rstd) {
#pragma omp parallel for schedule(static)
  for (i64 r = 0; r < rows; r++) {
    const float* xr = x + r * H;
    double s = 0.0;
#pragma omp simd reduction(+ : s)
    for (i64 j = 0; j < H; j++) s += xr[j];
    const double mu = s / (double)H;
    double v = 0.0;
#pragma omp simd reduction(+ : v)
    for (i64 j = 0; j < H; j++) {
      const double d = xr[j] - mu;
      v += d * d;
    }
    const float rs = (float)(1.0 / std::sqrt(v / (double)H + (double)eps));
    const float m = (float)mu;
    float* yr = y + r * H;
#pragma omp simd
    for (i64 j = 0; j < H; j++) yr[j] = (xr[j] - m) * rs * gamma[j] + beta[j];
    mean[r] = m;
    rstd[r] = rs;
  }
}

void layernorm_backward(i64 rows, i64 H, const float* x, const float* gamma, const float* dy, const float* mean, const float* rstd, float* dx, float* dgamma,
                        float* dbeta) {
  const int nt = omp_get_max_threads();
  double* acc = static_cast<double*>(calloc((size_t)(nt * 2 * H), sizeof(double)));
#pragma omp parallel num_threads(nt)
  {
    double* dg = acc + omp_get_thread_num() * 2 * H;
    double* db = dg + H;
    float* xh = falloc(H);
#pragma omp for schedule(static)
    for (i64 r = 0; r < rows; r++) {
      const float* xr = x + r * H;
      const float* dyr = dy + r * H;
      const float m = mean[r];
      const float rs = rstd[r];
      float s1 = 0.0f, s2 = 0.0f;
#pragma omp simd reduction(+ : s1, s2)
      for (i64 j = 0; j < H; j++) {
        const float xhat = (xr[j] - m) * rs;
        const float g = dyr[j] * gamma[j];
        xh[j] = xhat;
        s1 += g;
        s2 += g * xhat;
        dg[j] += (double)dyr[j] * (double)xhat;
        db[j] += (double)dyr[j];
      }
      const float inv = 1.0f / (float)H;
      s1 *= inv;
      s2 *= inv;
      float* dxr = dx + r * H;
#pragma omp simd
      for (i64 j = 0; j < H; j++) dxr[j] = rs * (dyr[j] * gamma[j] - s1 - xh[j] * s2);
    }
    free(xh);
  }
  for (i64 j = 0; j < H; j++) {
    double g = 0.0, b = 0.0;
    for (int t = 0; t < nt; t++) {
      g += acc[t * 2 * H + j];
      b += acc[t * 2 * H + H + j];
    }
    dgamma[j] = (float)g;
    dbeta[j] = (float)b;
  }
  free(acc);
}

// ---------------------------------------------------------------------------------------------
// Activations.

constexpr float kInvSqrt2Pi = 0.398942280401432678f;

void activation_forward(int op, i64 n, const float* x, float* y) {
  if (op == kiln::kGelu) {
#pragma omp parallel for simd schedule(static)
    for (i64 i = 0; i < n; i++) y[i] = x[i] * knormcdf(x[i]);
  } else if (op == kiln::kSilu) {
#pragma omp parallel for simd schedule(static)
    for (i64 i = 0; i < n; i++) y[i] = x[i] * ksigmoid(x[i]);
  } else {
#pragma omp parallel for simd schedule(static)
    for (i64 i = 0; i < n; i++) {
      const float v = x[i];
      const float a = v < 0 ? -v : v;
      y[i] = (v > 0 ? v : 0.0f) + klog1p(kexp(-a));
    }
  }
}

void activation_backward(int op, i64 n, const float* x, const float* dy, float* dx) {
  if (op == kiln::kGelu) {
#pragma omp parallel for simd schedule(static)
    for (i64 i = 0; i < n; i++) {
      const float v = x[i];
      dx[i] = dy[i] * (knormcdf(v) + v * kInvSqrt2Pi * kexp(-0.5f * v * v));
    }
  } else if (op == kiln::kSilu) {
#pragma omp parallel for simd schedule(static)
    for (i64 i = 0; i < n; i++) {
      const float s = ksigmoid(x[i]);
      dx[i] = dy[i] * s * (1.0f + x[i] * (1.0f - s));
    }
  } else {
#pragma omp parallel for simd schedule(static)
    for (i64 i = 0; i < n; i++) dx[i] = dy[i] * ksigmoid(x[i]);
  }
}

// ---------------------------------------------------------------------------------------------
// Softmax cross-entropy over a block of logits.

double xent_rows(i64 rows, i64 V, float* logits, const int32_t* targets, float scale, bool grad) {
  double total = 0.0;
#pragma omp parallel for schedule(static) reduction(+ : total)
  for (i64 r = 0; r < rows; r++) {
    float* l = logits + r * V;
    const int32_t tgt = targets[r];
    if (tgt < 0) {
      if (grad)
        for (i64 j = 0; j < V; j++) l[j] = 0.0f;
      continue;
    }
    float m = l[0];
#pragma omp simd reduction(max : m)
    for (i64 j = 0; j < V; j++) m = l[j] > m ? l[j] : m;
    const float lt = l[tgt];
    float s = 0.0f;
    if (grad) {
#pragma omp simd reduction(+ : s)
      for (i64 j = 0; j < V; j++) {
        const float e = kexp(l[j] - m);
        l[j] = e;
        s += e;
      }
    } else {
#pragma omp simd reduction(+ : s)
      for (i64 j = 0; j < V; j++) s += kexp(l[j] - m);
    }
    total += (double)m + std::log((double)s) - (double)lt;
    if (grad) {
      const float f = scale / s;
#pragma omp simd
      for (i64 j = 0; j < V; j++) l[j] *= f;
      l[tgt] -= scale;
    }
  }
  return total;
}

const kiln::KernelTable kTable = {
    KILN_TABLE_NAME,   sgemm,          scan_forward,      scan_backward,       conv1d_forward, conv1d_backward,
    layernorm_forward, layernorm_backward, activation_forward, activation_backward, xent_rows,
};

}  // namespace

extern "C" const kiln::KernelTable* KILN_TABLE_FN() { return &kTable; }
