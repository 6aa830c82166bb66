// SGEMM, C = alpha·op(A)·op(B) + beta·C (row-major): packed, cache-blocked; B is packed into NR-wide
// strips (the vector operand), A into MR-tall panels (broadcast), and the micro-kernel
// (gemm-kernel.h) keeps an MR×NR block of C in registers. `sgemm` picks one of three drivers: K split
// between the threads (deep products with small results), one-shot (all of op(B) packed at once) or
// blocked (op(B) packed a KC×NCB block at a time).
// Compiled once per SIMD level through table.h, like every header in this folder: everything is in
// an anonymous namespace (see table.h).
#pragma once

#include <omp.h>

#include <cstdlib>

#include "common.h"
#include "gemm-kernel.h"
#include "gemm-pack.h"

namespace {

constexpr i64 KC = 256;   // depth of a packed block
constexpr i64 NCB = 768;  // columns of B packed at a time (KC·NCB·4 bytes = 768 KiB, fits L2)

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

// One MR-row panel's tile [s0, s1) over every depth block of a fully packed B (all of K).
template <int AM>
inline void panel_all_k(i64 K, i64 kcb, const float* a, i64 lda, const float* Bp_all, i64 strips, i64 s0, i64 s1, i64 N, float* C, i64 ldc, i64 mr, float alpha,
                        float beta) {
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

void sgemm(bool ta, bool tb, i64 M, i64 N, i64 K, float alpha, const float* A, i64 lda, const float* B, i64 ldb, float beta, float* C, i64 ldc, bool parallel) {
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

}  // namespace
