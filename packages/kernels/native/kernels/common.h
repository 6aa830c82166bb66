// The scalar helpers every kernel uses: the index type i64, integer min/max/ceil-div, and 64-byte
// aligned scratch memory.
// Compiled once per SIMD level through table.h, like every header in this folder: everything is in
// an anonymous namespace (see table.h).
#pragma once

#include <cstdint>
#include <cstdlib>

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

}  // namespace
