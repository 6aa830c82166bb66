// LayerNorm over rows of H: forward (keeps each row's mean and 1/std for the backward pass) and
// backward (gamma and beta gradients summed in double per thread).
// Compiled once per SIMD level through table.h, like every header in this folder: everything is in
// an anonymous namespace (see table.h).
#pragma once

#include <omp.h>

#include <cmath>
#include <cstdlib>

#include "common.h"

namespace {

// One row: y = (x − mean)·rstd·gamma + beta, sums in double; writes the row's mean and 1/std.
inline void layernorm_row(const float* xr, i64 H, const float* gamma, const float* beta, float eps, float* yr, float* mean, float* rstd) {
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
#pragma omp simd
  for (i64 j = 0; j < H; j++) yr[j] = (xr[j] - m) * rs * gamma[j] + beta[j];
  *mean = m;
  *rstd = rs;
}

void layernorm_forward(i64 rows, i64 H, const float* x, const float* gamma, const float* beta, float eps, float* y, float* mean, float* rstd) {
#pragma omp parallel for schedule(static)
  for (i64 r = 0; r < rows; r++) layernorm_row(x + r * H, H, gamma, beta, eps, y + r * H, mean + r, rstd + r);
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

}  // namespace
