// Online recurrence of Mamba4Rec: one user's state advanced by new items, then a top-K over all
// items. Single-threaded on purpose: the API calls it on its event loop for one event at a time
// (an OpenMP region would cost more than the step and leave spinning threads behind), and priming
// runs many users in parallel around it (addon.cc). The reference is packages/ssm/src/online/
// reference.ts; the state layout is packages/ssm/src/online/layout.ts.
// Compiled once per SIMD level through table.h, like every header in this folder: everything is in
// an anonymous namespace (see table.h).
#pragma once

#include <cmath>

#include "../kiln.h"
#include "common.h"
#include "kmath.h"
#include "layernorm.h"

namespace {

// y[n] (+)= x[k] · W[k, n] (row-major W): rows of W added in turn, a vector op over n.
inline void matvec(const float* x, const float* W, i64 k, i64 n, float* y, bool accumulate) {
  if (!accumulate)
    for (i64 j = 0; j < n; j++) y[j] = 0.0f;
  for (i64 i = 0; i < k; i++) {
    const float xi = x[i];
    const float* w = W + i * n;
#pragma omp simd
    for (i64 j = 0; j < n; j++) y[j] += xi * w[j];
  }
}

// LayerNorm of one row with the model's eps (its mean and 1/std are not needed here).
inline void layernorm_1e12(const float* x, i64 H, const float* gamma, const float* beta, float* y) {
  float mean, rstd;
  layernorm_row(x, H, gamma, beta, 1e-12f, y, &mean, &rstd);
}

i64 ssm_scratch_floats(const kiln::SsmModel* m) {
  // x, m, hh [H]; xz [2Di]; u, gated [Di]; dbc [R + 2N]; delta [Di]; f [4H]; + 16 per buffer for alignment.
  return 3 * m->H + 2 * m->Di + 3 * m->Di + m->R + 2 * m->N + 4 * m->H + 16 * 10;
}

// Feeds items[0..T) to `state` (in place) and writes the hidden state after the last one. The last
// layer's work after the scan (C·h, the gate, out_proj, the FFN) is only done for the last item:
// nothing downstream of it feeds the state.
void ssm_advance(const kiln::SsmModel* m, i64 T, const int32_t* items, float* state, float* hidden, float* scratch) {
  const i64 H = m->H, Di = m->Di, N = m->N, K = m->K, R = m->R;
  const i64 layer_floats = (K - 1) * Di + Di * N;
  float* p = scratch;
  auto take = [&p](i64 n) {
    float* r = p;
    p += (n + 15) / 16 * 16;
    return r;
  };
  float* x = take(H);
  float* mo = take(H);
  float* hh = take(H);
  float* xz = take(2 * Di);
  float* u = take(Di);
  float* gated = take(Di);
  float* dbc = take(R + 2 * N);
  float* delta = take(Di);
  float* f = take(4 * H);
  for (i64 t = 0; t < T; t++) {
    const bool last_item = t == T - 1;
    layernorm_1e12(m->emb + (i64)items[t] * H, H, m->emb_g, m->emb_b, x);
    for (i64 l = 0; l < m->layers; l++) {
      const kiln::SsmLayer& w = m->layer[l];
      const bool full = last_item || l < m->layers - 1;
      float* conv = state + l * layer_floats;
      float* h = conv + (K - 1) * Di;
      // in_proj: the x half always, the z half only where the gate is needed.
      if (full) {
        matvec(x, w.in_proj, H, 2 * Di, xz, false);
      } else {
        for (i64 d = 0; d < Di; d++) xz[d] = 0.0f;
        for (i64 i = 0; i < H; i++) {
          const float xi = x[i];
          const float* wr = w.in_proj + i * 2 * Di;
#pragma omp simd
          for (i64 d = 0; d < Di; d++) xz[d] += xi * wr[d];
        }
      }
      // Causal conv over [buffer (K − 1 rows), x], then the buffer shifts by one row.
#pragma omp simd
      for (i64 d = 0; d < Di; d++) u[d] = w.conv_b[d] + w.conv_w[(K - 1) * Di + d] * xz[d];
      for (i64 k = 0; k < K - 1; k++) {
        const float* wk = w.conv_w + k * Di;
        const float* bk = conv + k * Di;
#pragma omp simd
        for (i64 d = 0; d < Di; d++) u[d] += wk[d] * bk[d];
      }
      for (i64 k = 0; k + 1 < K - 1; k++)
        for (i64 d = 0; d < Di; d++) conv[k * Di + d] = conv[(k + 1) * Di + d];
      if (K > 1)
        for (i64 d = 0; d < Di; d++) conv[(K - 2) * Di + d] = xz[d];
#pragma omp simd
      for (i64 d = 0; d < Di; d++) u[d] = ksilu(u[d]);
      matvec(u, w.x_proj, Di, R + 2 * N, dbc, false);
      // Δ = softplus(dtRaw · dt_proj + bias)
      for (i64 d = 0; d < Di; d++) delta[d] = w.dt_b[d];
      matvec(dbc, w.dt_w, R, Di, delta, true);
#pragma omp simd
      for (i64 d = 0; d < Di; d++) delta[d] = ksoftplus(delta[d]);
      const float* Bt = dbc + R;
      const float* Ct = dbc + R + N;
      for (i64 d = 0; d < Di; d++) {
        const float dt = delta[d];
        const float du = dt * u[d];
        float* hd = h + d * N;
        const float* ad = w.A + d * N;
        if (full) {
          float y = 0.0f;
#pragma omp simd reduction(+ : y)
          for (i64 n = 0; n < N; n++) {
            const float hv = kexp(dt * ad[n]) * hd[n] + du * Bt[n];
            hd[n] = hv;
            y += Ct[n] * hv;
          }
          y += w.Dskip[d] * u[d];
          const float z = xz[Di + d];
          gated[d] = y * ksilu(z);
        } else {
#pragma omp simd
          for (i64 n = 0; n < N; n++) hd[n] = kexp(dt * ad[n]) * hd[n] + du * Bt[n];
        }
      }
      if (!full) continue;
      matvec(gated, w.out_proj, Di, H, mo, false);
      if (m->layers > 1)
        for (i64 j = 0; j < H; j++) mo[j] += x[j];
      layernorm_1e12(mo, H, w.ln_g, w.ln_b, hh);
      for (i64 j = 0; j < 4 * H; j++) f[j] = w.b1[j];
      matvec(hh, w.w1, H, 4 * H, f, true);
#pragma omp simd
      for (i64 j = 0; j < 4 * H; j++) f[j] = kgelu(f[j]);
      for (i64 j = 0; j < H; j++) mo[j] = w.b2[j] + hh[j];
      matvec(f, w.w2, 4 * H, H, mo, true);
      layernorm_1e12(mo, H, w.fln_g, w.fln_b, x);
    }
  }
  if (T > 0)
    for (i64 j = 0; j < H; j++) hidden[j] = x[j];
}

// "a ranks before b": higher score, then lower id; NaN last.
inline bool ranks_before(float sa, int32_t ia, float sb, int32_t ib) {
  if (sa == sb) return ia < ib;
  if (sb != sb) return sa == sa;
  if (sa != sa) return false;
  return sa > sb;
}

// Top-k of E[1..V) · hidden, skipping rows with excluded[row] != 0 (null: none). Writes up to k
// items best first; returns how many. `scores` is scratch of V floats.
i64 ssm_topk(const kiln::SsmModel* m, const float* hidden, i64 k, const uint8_t* excluded, int32_t* items, float* out_scores, float* scores) {
  const i64 H = m->H, V = m->V;
  // Four rows at a time: the hidden vector is loaded once per four dot products.
  i64 v = 1;
  for (; v + 4 <= V; v += 4) {
    const float* e0 = m->emb + v * H;
    const float* e1 = e0 + H;
    const float* e2 = e1 + H;
    const float* e3 = e2 + H;
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
#pragma omp simd reduction(+ : s0, s1, s2, s3)
    for (i64 j = 0; j < H; j++) {
      const float hj = hidden[j];
      s0 += e0[j] * hj;
      s1 += e1[j] * hj;
      s2 += e2[j] * hj;
      s3 += e3[j] * hj;
    }
    scores[v] = s0;
    scores[v + 1] = s1;
    scores[v + 2] = s2;
    scores[v + 3] = s3;
  }
  for (; v < V; v++) {
    const float* e = m->emb + v * H;
    float s = 0;
#pragma omp simd reduction(+ : s)
    for (i64 j = 0; j < H; j++) s += e[j] * hidden[j];
    scores[v] = s;
  }
  // A size-k heap whose root is the worst kept entry.
  i64 size = 0;
  auto worse = [&](i64 a, i64 b) { return ranks_before(out_scores[b], items[b], out_scores[a], items[a]); };
  auto swap = [&](i64 a, i64 b) {
    const int32_t ti = items[a];
    items[a] = items[b];
    items[b] = ti;
    const float ts = out_scores[a];
    out_scores[a] = out_scores[b];
    out_scores[b] = ts;
  };
  auto sift_down = [&](i64 i, i64 n) {
    for (;;) {
      const i64 l = 2 * i + 1, r = l + 1;
      i64 w = i;
      if (l < n && worse(l, w)) w = l;
      if (r < n && worse(r, w)) w = r;
      if (w == i) return;
      swap(i, w);
      i = w;
    }
  };
  for (i64 j = 1; j < V; j++) {
    if (excluded && excluded[j]) continue;
    const float s = scores[j];
    if (size < k) {
      items[size] = (int32_t)j;
      out_scores[size] = s;
      i64 i = size++;
      while (i > 0) {
        const i64 par = (i - 1) / 2;
        if (!worse(i, par)) break;
        swap(i, par);
        i = par;
      }
    } else if (ranks_before(s, (int32_t)j, out_scores[0], items[0])) {
      items[0] = (int32_t)j;
      out_scores[0] = s;
      sift_down(0, size);
    }
  }
  // Heap-sort in place: repeatedly move the worst to the end.
  for (i64 n = size; n > 1; n--) {
    swap(0, n - 1);
    sift_down(0, n - 1);
  }
  return size;
}

}  // namespace
