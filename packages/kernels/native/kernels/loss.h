// Softmax cross-entropy over a block of logit rows [rows, V] (addon.cc computes the logits a block
// at a time from the tied item embedding, so [T, V] never exists whole): the summed loss, and the
// logits overwritten by their gradient (softmax − onehot)·scale.
// Compiled once per SIMD level through table.h, like every header in this folder: everything is in
// an anonymous namespace (see table.h).
#pragma once

#include <cmath>
#include <cstdint>

#include "common.h"
#include "kmath.h"

namespace {

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

}  // namespace
