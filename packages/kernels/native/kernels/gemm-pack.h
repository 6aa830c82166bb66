// SGEMM's packing: op(A) into MR-tall panels (the broadcast operand) and op(B) into NR-wide strips
// (the vector operand), zero-padded to whole panels and strips, in the layouts gemm-kernel.h reads.
// Compiled once per SIMD level through table.h, like every header in this folder: everything is in
// an anonymous namespace (see table.h).
#pragma once

#include "common.h"
#include "gemm-kernel.h"

namespace {

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

}  // namespace
