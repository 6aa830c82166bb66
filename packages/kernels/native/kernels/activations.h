// Elementwise activations and their gradients: GELU (exact, x·Φ(x)), SiLU and softplus
// (kiln::Activation picks one).
// Compiled once per SIMD level through table.h, like every header in this folder: everything is in
// an anonymous namespace (see table.h).
#pragma once

#include "../kiln.h"
#include "common.h"
#include "kmath.h"

namespace {

constexpr float kInvSqrt2Pi = 0.398942280401432678f;

void activation_forward(int op, i64 n, const float* x, float* y) {
  if (op == kiln::kGelu) {
#pragma omp parallel for simd schedule(static)
    for (i64 i = 0; i < n; i++) y[i] = kgelu(x[i]);
  } else if (op == kiln::kSilu) {
#pragma omp parallel for simd schedule(static)
    for (i64 i = 0; i < n; i++) y[i] = ksilu(x[i]);
  } else {
#pragma omp parallel for simd schedule(static)
    for (i64 i = 0; i < n; i++) y[i] = ksoftplus(x[i]);
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

}  // namespace
