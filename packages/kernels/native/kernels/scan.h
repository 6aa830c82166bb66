// Selective scan (Mamba's S6), time-major [L, B, D] with N states per channel: the forward pass
// checkpoints the states every `chunk` steps, the backward pass recomputes each chunk from its
// checkpoint and runs the reverse recurrence. Work unit: one batch row b and a block of W contiguous
// channels; states are kept as h[n][lane] so every step is a vector op over the channel lanes (no
// horizontal sums).
// Compiled once per SIMD level through table.h, like every header in this folder: everything is in
// an anonymous namespace (see table.h).
#pragma once

#include <omp.h>

#include <cstdlib>

#include "common.h"
#include "kmath.h"

namespace {

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

}  // namespace
