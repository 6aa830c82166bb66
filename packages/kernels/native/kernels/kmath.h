// Vectorisable math (no libm calls, no -ffast-math): the compiler turns loops over these into
// SIMD code. kexp and klog are Cephes' expf and logf, kerfc_pos Numerical Recipes' Chebyshev fit;
// knormcdf and ksigmoid are built on them. Accuracy: kexp ≈ 1 ulp, klog ≈ 1 ulp, kerfc relative
// error ≤ ~2e-7 (+ float rounding of z²).
// Compiled once per SIMD level through table.h, like every header in this folder: everything is in
// an anonymous namespace (see table.h).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace {

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

// The model's activations, one value (activations.h runs them over arrays; online.h one step).
inline float kgelu(float x) { return x * knormcdf(x); }
inline float ksilu(float x) { return x * ksigmoid(x); }
inline float ksoftplus(float v) {
  const float a = v < 0 ? -v : v;
  return (v > 0 ? v : 0.0f) + klog1p(kexp(-a));
}

}  // namespace
