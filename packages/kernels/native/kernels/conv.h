// Causal depthwise conv1d, time-major [L, B, D], weights [K, D]: forward, and backward with the
// weight and bias gradients summed in double per thread.
// Compiled once per SIMD level through table.h, like every header in this folder: everything is in
// an anonymous namespace (see table.h).
#pragma once

#include <omp.h>

#include <cstdlib>

#include "common.h"

namespace {

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

}  // namespace
