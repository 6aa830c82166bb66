// The QUBO annealing inner loops: an 'sa' sweep and a 'loihi' step of 16 lanes, tabu iterations,
// behind the plain-C interface of ../anneal.h. Compiled twice by binding.gyp: as the static
// library kiln_anneal_generic at the base arch and as kiln_anneal_avx512 with AVX-512 flags; the
// define KILN_ANNEAL_TABLE_FN names the table getter of each build. Both builds compute the same
// numbers bit for bit (same RNG, same float operations in the same order, -ffp-contract=off), so
// a seeded run gives the same result on either path; tests compare them.
//
// Everything has internal linkage and no std:: templates are used, so nothing compiled with
// AVX-512 can be merged by the linker into code that runs on a lesser CPU.

#include <cstdint>
#include <cstring>

#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VL__) && defined(__AVX512DQ__)
// GCC 12 warns about the reduction intrinsics' own undefined-vector temporaries (false positives).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#define KILN_ANNEAL_AVX512 1
#define KILN_ANNEAL_NAME "avx512"
#else
#define KILN_ANNEAL_NAME "generic"
#endif

#include "../anneal.h"

#ifndef KILN_ANNEAL_TABLE_FN
#error "KILN_ANNEAL_TABLE_FN must name the table getter (set in binding.gyp)"
#endif

namespace {

using kiln::AnnealCsr;
using kiln::LaneGroup;
using kiln::TabuState;
constexpr int L = kiln::kAnnealLanes;

// β·ΔE at or above this: exp(−β·ΔE) < 2⁻²⁵ and no 24-bit uniform u (u ≥ 2⁻²⁴ unless 0) accepts;
// the Metropolis test is skipped (no random number drawn).
constexpr float kCut = 18.0f;
constexpr float kNegLog2e = -1.44269504088896341f;
constexpr float kU24 = 5.9604644775390625e-8f;  // 2⁻²⁴

inline float bits_float(uint32_t b) {
  float f;
  memcpy(&f, &b, 4);
  return f;
}

// e^{−t} for 0 ≤ t < kCut: 2^y with y = −t·log₂e = n + r, n = round(y), |r| ≤ ½, 2^r by Cephes'
// exp2f polynomial (relative error ≈ 2e-7). The vector version does the same operations.
inline float exp_neg(float t) {
  const float y = t * kNegLog2e;
  const float n = __builtin_rintf(y);
  const float r = y - n;
  float p = 1.535336188319500e-4f;
  p = p * r + 1.339887440266574e-3f;
  p = p * r + 9.618437357674640e-3f;
  p = p * r + 5.550332471162809e-2f;
  p = p * r + 2.402264791363012e-1f;
  p = p * r + 6.931472028550421e-1f;
  p = p * r + 1.0f;
  return p * bits_float(static_cast<uint32_t>(static_cast<int32_t>(n) + 127) << 23);
}

inline uint32_t rotl32(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

// xoshiro128+ of lane l; the group's state is word-major (s[w·16 + l]).
inline uint32_t lane_next(uint32_t* s, int l) {
  const uint32_t s0 = s[l], s1 = s[L + l], s2 = s[2 * L + l], s3 = s[3 * L + l];
  const uint32_t r = s0 + s3;
  const uint32_t t = s1 << 9;
  const uint32_t n2 = s2 ^ s0, n3 = s3 ^ s1;
  s[L + l] = s1 ^ n2;
  s[l] = s0 ^ n3;
  s[2 * L + l] = n2 ^ t;
  s[3 * L + l] = rotl32(n3, 11);
  return r;
}

inline uint32_t tabu_next(uint32_t* s) {
  const uint32_t r = s[0] + s[3];
  const uint32_t t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl32(s[3], 11);
  return r;
}

inline uint32_t popcount16(uint32_t m) { return static_cast<uint32_t>(__builtin_popcount(m)); }

// ---------------------------------------------------------------------------------------------
// Scalar lane kernels (the generic build; also the definition the AVX-512 ones must match).

// The Metropolis decision of the 16 lanes of variable i from fields f: bit l set = lane l flips.
// `eligible`: lanes allowed to flip. Draws one random number per lane when any eligible lane
// needs the test (ΔE ≥ 0 and β·ΔE < kCut). ΔE = 0 flips with probability ½.
inline uint32_t decide_scalar(const float* f, uint32_t xm, uint32_t eligible, float beta, uint32_t* rng) {
  float d[L], bd[L];
  uint32_t neg = 0, cand = 0;
  for (int l = 0; l < L; l++) {
    d[l] = (xm >> l) & 1 ? -f[l] : f[l];
    bd[l] = d[l] * beta;
    if (d[l] < 0.0f)
      neg |= 1u << l;
    else if (bd[l] < kCut)
      cand |= 1u << l;
  }
  neg &= eligible;
  cand &= eligible;
  uint32_t acc = neg;
  if (cand) {
    for (int l = 0; l < L; l++) {
      const uint32_t r = lane_next(rng, l);
      if (!((cand >> l) & 1)) continue;
      const float u = static_cast<float>(r >> 8) * kU24;
      const float p = d[l] == 0.0f ? 0.5f : exp_neg(bd[l]);
      if (u < p) acc |= 1u << l;
    }
  }
  return acc;
}

// Applies the flips `acc` of variable i (lanes whose x_i was xm): energies += ΔE from the current
// field, x_i ^= acc, neighbours' fields ± J.
inline void apply_scalar(const AnnealCsr* p, LaneGroup* g, int32_t i, uint32_t acc) {
  float* fi = g->field + static_cast<int64_t>(i) * L;
  const uint32_t xm = g->x[i];
  float sg[L];
  for (int l = 0; l < L; l++) {
    const bool on = (acc >> l) & 1;
    const bool xl = (xm >> l) & 1;
    if (on) g->energy[l] += static_cast<double>(xl ? -fi[l] : fi[l]);
    sg[l] = on ? (xl ? -1.0f : 1.0f) : 0.0f;
  }
  g->x[i] = static_cast<uint16_t>(xm ^ acc);
  const int32_t k1 = p->row_ptr[i + 1];
  for (int32_t k = p->row_ptr[i]; k < k1; k++) {
    float* fj = g->field + static_cast<int64_t>(p->col[k]) * L;
    const float w = p->valf[k];
    for (int l = 0; l < L; l++) fj[l] = fj[l] + w * sg[l];
  }
}

[[maybe_unused]] void sa_sweep_scalar(const AnnealCsr* p, LaneGroup* g, float beta) {
  const int32_t n = p->n;
  for (int32_t i = 0; i < n; i++) {
    const uint32_t acc = decide_scalar(g->field + static_cast<int64_t>(i) * L, g->x[i], 0xffffu, beta, g->rng);
    if (acc) apply_scalar(p, g, i, acc);
  }
}

[[maybe_unused]] void loihi_step_scalar(const AnnealCsr* p, LaneGroup* g, float beta) {
  const int32_t n = p->n;
  for (int32_t i = 0; i < n; i++) {
    uint8_t* ref = g->refractory + static_cast<int64_t>(i) * L;
    uint32_t ready = 0;
    for (int l = 0; l < L; l++) {
      if (ref[l] == 0)
        ready |= 1u << l;
      else
        ref[l]--;
    }
    const uint32_t acc = decide_scalar(g->field + static_cast<int64_t>(i) * L, g->x[i], ready, beta, g->rng);
    if (acc) {
      // A variable that flips is refractory for rand(0, 255) >> 4 = 0..15 steps.
      for (int l = 0; l < L; l++) {
        const uint32_t r = lane_next(g->rng, l);
        if ((acc >> l) & 1) ref[l] = static_cast<uint8_t>(r >> 28);
      }
    }
    g->flips[i] = static_cast<uint16_t>(acc);
  }
  for (int32_t i = 0; i < n; i++)
    if (g->flips[i]) apply_scalar(p, g, i, g->flips[i]);
}

// The tabu move: among the allowed variables (not tabu: tabu_until ≤ iter, or aspiring: ΔE < thr)
// those with the smallest ΔE, one chosen uniformly by the random r (ties collected in index order
// into `ties`). −1 when nothing is allowed. Padding (ΔE = +inf) is never chosen.
[[maybe_unused]] int64_t tabu_pick_scalar(const double* delta, const int64_t* tabu_until, int32_t n_pad, int64_t iter, double thr, uint32_t r, int32_t* ties) {
  double best = __builtin_inf();
  for (int32_t j = 0; j < n_pad; j++)
    if ((tabu_until[j] <= iter || delta[j] < thr) && delta[j] < best) best = delta[j];
  if (!(best < __builtin_inf())) return -1;
  int32_t count = 0;
  for (int32_t j = 0; j < n_pad; j++)
    if ((tabu_until[j] <= iter || delta[j] < thr) && delta[j] == best) ties[count++] = j;
  return ties[(static_cast<uint64_t>(r) * static_cast<uint64_t>(count)) >> 32];
}

// ---------------------------------------------------------------------------------------------
// AVX-512: the 16 lanes in one register.

#ifdef KILN_ANNEAL_AVX512

struct VRng {
  __m512i s0, s1, s2, s3;
  explicit VRng(const uint32_t* s)
      : s0(_mm512_loadu_si512(s)), s1(_mm512_loadu_si512(s + L)), s2(_mm512_loadu_si512(s + 2 * L)), s3(_mm512_loadu_si512(s + 3 * L)) {}
  void store(uint32_t* s) const {
    _mm512_storeu_si512(s, s0);
    _mm512_storeu_si512(s + L, s1);
    _mm512_storeu_si512(s + 2 * L, s2);
    _mm512_storeu_si512(s + 3 * L, s3);
  }
  __m512i next() {
    const __m512i r = _mm512_add_epi32(s0, s3);
    const __m512i t = _mm512_slli_epi32(s1, 9);
    s2 = _mm512_xor_si512(s2, s0);
    s3 = _mm512_xor_si512(s3, s1);
    s1 = _mm512_xor_si512(s1, s2);
    s0 = _mm512_xor_si512(s0, s3);
    s2 = _mm512_xor_si512(s2, t);
    s3 = _mm512_rol_epi32(s3, 11);
    return r;
  }
};

inline __m512 exp_neg_v(__m512 t) {
  const __m512 y = _mm512_mul_ps(t, _mm512_set1_ps(kNegLog2e));
  const __m512 n = _mm512_roundscale_ps(y, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  const __m512 r = _mm512_sub_ps(y, n);
  __m512 p = _mm512_set1_ps(1.535336188319500e-4f);
  p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(1.339887440266574e-3f));
  p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(9.618437357674640e-3f));
  p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(5.550332471162809e-2f));
  p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(2.402264791363012e-1f));
  p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(6.931472028550421e-1f));
  p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(1.0f));
  const __m512i e = _mm512_slli_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127)), 23);
  return _mm512_mul_ps(p, _mm512_castsi512_ps(e));
}

// decide_scalar, vectorised: d = ΔE per lane (x ? −f : f).
inline __mmask16 decide_v(__m512 d, __mmask16 eligible, __m512 vbeta, VRng& rng) {
  const __m512 zero = _mm512_setzero_ps();
  const __mmask16 neg = _mm512_mask_cmp_ps_mask(eligible, d, zero, _CMP_LT_OQ);
  const __m512 bd = _mm512_mul_ps(d, vbeta);
  const __mmask16 cand = _mm512_mask_cmp_ps_mask(static_cast<__mmask16>(eligible & ~neg), bd, _mm512_set1_ps(kCut), _CMP_LT_OQ);
  __mmask16 acc = neg;
  if (cand) {
    const __m512i r = rng.next();
    const __m512 u = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_srli_epi32(r, 8)), _mm512_set1_ps(kU24));
    __m512 pr = exp_neg_v(bd);
    pr = _mm512_mask_mov_ps(pr, _mm512_cmp_ps_mask(d, zero, _CMP_EQ_OQ), _mm512_set1_ps(0.5f));
    acc = static_cast<__mmask16>(acc | _mm512_mask_cmp_ps_mask(cand, u, pr, _CMP_LT_OQ));
  }
  return acc;
}

inline __m512 delta_v(__m512 f, __mmask16 xm) { return _mm512_mask_xor_ps(f, xm, f, _mm512_set1_ps(-0.0f)); }

// apply_scalar, vectorised; e_lo/e_hi = lane energies 0..7 / 8..15.
inline void apply_v(const AnnealCsr* p, LaneGroup* g, int32_t i, __mmask16 acc, __m512d& e_lo, __m512d& e_hi) {
  float* field = g->field;
  const __mmask16 xm = g->x[i];
  const __m512 d = delta_v(_mm512_load_ps(field + static_cast<int64_t>(i) * L), xm);
  const __m512d dlo = _mm512_cvtps_pd(_mm512_castps512_ps256(d));
  const __m512d dhi = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(d), 1)));
  e_lo = _mm512_mask_add_pd(e_lo, static_cast<__mmask8>(acc), e_lo, dlo);
  e_hi = _mm512_mask_add_pd(e_hi, static_cast<__mmask8>(acc >> 8), e_hi, dhi);
  const __m512 one = _mm512_set1_ps(1.0f);
  const __m512 sg = _mm512_maskz_mov_ps(acc, _mm512_mask_xor_ps(one, xm, one, _mm512_set1_ps(-0.0f)));
  g->x[i] = static_cast<uint16_t>(xm ^ acc);
  const int32_t* col = p->col;
  const float* w = p->valf;
  const int32_t k1 = p->row_ptr[i + 1];
  for (int32_t k = p->row_ptr[i]; k < k1; k++) {
    float* fj = field + static_cast<int64_t>(col[k]) * L;
    // J·s is exact (s ∈ {−1, 0, 1}), so the fused form rounds exactly like the scalar f + J·s.
    _mm512_store_ps(fj, _mm512_fmadd_ps(_mm512_set1_ps(w[k]), sg, _mm512_load_ps(fj)));
  }
}

void sa_sweep_avx512(const AnnealCsr* p, LaneGroup* g, float beta) {
  const int32_t n = p->n;
  VRng rng(g->rng);
  __m512d e_lo = _mm512_loadu_pd(g->energy), e_hi = _mm512_loadu_pd(g->energy + 8);
  const __m512 vbeta = _mm512_set1_ps(beta);
  const float* field = g->field;
  for (int32_t i = 0; i < n; i++) {
    const __mmask16 xm = g->x[i];
    const __m512 d = delta_v(_mm512_load_ps(field + static_cast<int64_t>(i) * L), xm);
    const __mmask16 acc = decide_v(d, 0xffff, vbeta, rng);
    if (acc) apply_v(p, g, i, acc, e_lo, e_hi);
  }
  rng.store(g->rng);
  _mm512_storeu_pd(g->energy, e_lo);
  _mm512_storeu_pd(g->energy + 8, e_hi);
}

void loihi_step_avx512(const AnnealCsr* p, LaneGroup* g, float beta) {
  const int32_t n = p->n;
  VRng rng(g->rng);
  __m512d e_lo = _mm512_loadu_pd(g->energy), e_hi = _mm512_loadu_pd(g->energy + 8);
  const __m512 vbeta = _mm512_set1_ps(beta);
  const __m128i one8 = _mm_set1_epi8(1);
  const float* field = g->field;
  for (int32_t i = 0; i < n; i++) {
    uint8_t* refp = g->refractory + static_cast<int64_t>(i) * L;
    __m128i ref = _mm_loadu_si128(reinterpret_cast<const __m128i*>(refp));
    const __mmask16 ready = _mm_cmpeq_epi8_mask(ref, _mm_setzero_si128());
    ref = _mm_subs_epu8(ref, one8);
    const __mmask16 xm = g->x[i];
    const __m512 d = delta_v(_mm512_load_ps(field + static_cast<int64_t>(i) * L), xm);
    const __mmask16 acc = decide_v(d, ready, vbeta, rng);
    if (acc) {
      const __m128i fresh = _mm512_cvtepi32_epi8(_mm512_srli_epi32(rng.next(), 28));
      ref = _mm_mask_mov_epi8(ref, acc, fresh);
    }
    _mm_storeu_si128(reinterpret_cast<__m128i*>(refp), ref);
    g->flips[i] = acc;
  }
  for (int32_t i = 0; i < n; i++)
    if (g->flips[i]) apply_v(p, g, i, g->flips[i], e_lo, e_hi);
  rng.store(g->rng);
  _mm512_storeu_pd(g->energy, e_lo);
  _mm512_storeu_pd(g->energy + 8, e_hi);
}

// tabu_pick_scalar, vectorised: the minimum with four accumulators, then the ties compressed in
// index order.
int64_t tabu_pick_avx512(const double* delta, const int64_t* tabu_until, int32_t n_pad, int64_t iter, double thr, uint32_t r, int32_t* ties) {
  const __m512d inf = _mm512_set1_pd(__builtin_inf());
  const __m512i vit = _mm512_set1_epi64(iter);
  const __m512d vthr = _mm512_set1_pd(thr);
  auto allowed = [&](int32_t j, __m512d d) {
    const __m512i tu = _mm512_load_si512(tabu_until + j);
    return static_cast<__mmask8>(_mm512_cmple_epi64_mask(tu, vit) | _mm512_cmp_pd_mask(d, vthr, _CMP_LT_OQ));
  };
  __m512d m0 = inf, m1 = inf, m2 = inf, m3 = inf;
  int32_t j = 0;
  for (; j + 32 <= n_pad; j += 32) {
    const __m512d d0 = _mm512_load_pd(delta + j), d1 = _mm512_load_pd(delta + j + 8);
    const __m512d d2 = _mm512_load_pd(delta + j + 16), d3 = _mm512_load_pd(delta + j + 24);
    m0 = _mm512_mask_min_pd(m0, allowed(j, d0), m0, d0);
    m1 = _mm512_mask_min_pd(m1, allowed(j + 8, d1), m1, d1);
    m2 = _mm512_mask_min_pd(m2, allowed(j + 16, d2), m2, d2);
    m3 = _mm512_mask_min_pd(m3, allowed(j + 24, d3), m3, d3);
  }
  for (; j < n_pad; j += 8) {
    const __m512d d = _mm512_load_pd(delta + j);
    m0 = _mm512_mask_min_pd(m0, allowed(j, d), m0, d);
  }
  const double best = _mm512_reduce_min_pd(_mm512_min_pd(_mm512_min_pd(m0, m1), _mm512_min_pd(m2, m3)));
  if (!(best < __builtin_inf())) return -1;
  const __m512d vb = _mm512_set1_pd(best);
  __m256i pos = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i eight = _mm256_set1_epi32(8);
  int32_t count = 0;
  for (j = 0; j < n_pad; j += 8) {
    const __m512d d = _mm512_load_pd(delta + j);
    const __mmask8 eq = _mm512_mask_cmp_pd_mask(allowed(j, d), d, vb, _CMP_EQ_OQ);
    if (eq) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(ties + count), _mm256_maskz_compress_epi32(eq, pos));
      count += __builtin_popcount(eq);
    }
    pos = _mm256_add_epi32(pos, eight);
  }
  return ties[(static_cast<uint64_t>(r) * static_cast<uint64_t>(count)) >> 32];
}

#endif  // KILN_ANNEAL_AVX512

// ---------------------------------------------------------------------------------------------
// Tabu search: each iteration flips the allowed variable with the smallest ΔE (ties: uniformly at
// random), then keeps it tabu for tenure + rand(0..tenure_rand).

int64_t tabu_run(const AnnealCsr* p, TabuState* t, int64_t max_iter) {
  const int32_t n = p->n;
  const int32_t n_pad = p->n_pad;
  const int32_t* rp = p->row_ptr;
  const int32_t* col = p->col;
  const double* val = p->val;
  double* delta = t->delta;
  double* sigma = t->sigma;
  int64_t* tabu_until = t->tabu_until;
  int64_t it = 0;
  for (; it < max_iter && t->since < t->stall; it++) {
    const uint32_t r = tabu_next(t->rng);
    const double thr = t->best_e - t->tol - t->e;
#ifdef KILN_ANNEAL_AVX512
    int64_t j = tabu_pick_avx512(delta, tabu_until, n_pad, t->iter, thr, r, t->ties);
#else
    int64_t j = tabu_pick_scalar(delta, tabu_until, n_pad, t->iter, thr, r, t->ties);
#endif
    const uint32_t r2 = tabu_next(t->rng);
    if (j < 0) j = static_cast<int64_t>((static_cast<uint64_t>(r2) * static_cast<uint64_t>(n)) >> 32);  // all tabu (tenure ≥ n)
    const double d = delta[j];
    const double ne = t->e + d;
    bool reached = false;
    if (ne < t->best_e - t->tol) {
      t->best_e = ne;
      t->pending = 1;
      t->improved = 1;
      t->since = 0;
      reached = ne <= t->target + t->tol;
    } else {
      if (t->pending) {
        memcpy(t->best_x, t->x, static_cast<size_t>(n));
        t->pending = 0;
      }
      t->since++;
    }
    const double s = sigma[j];
    const int32_t k1 = rp[j + 1];
    for (int32_t k = rp[j]; k < k1; k++) {
      const int32_t nb = col[k];
      delta[nb] += sigma[nb] * s * val[k];
    }
    delta[j] = -d;
    sigma[j] = -s;
    t->x[j] ^= 1;
    t->e = ne;
    tabu_until[j] = t->iter + 1 + t->tenure + (t->tenure_rand > 0 ? static_cast<int64_t>(r2 % static_cast<uint32_t>(t->tenure_rand + 1)) : 0);
    t->iter++;
    if (reached) {  // the target: hand back now (a small problem would otherwise run a whole chunk first)
      it++;
      break;
    }
  }
  if (t->pending) {
    memcpy(t->best_x, t->x, static_cast<size_t>(n));
    t->pending = 0;
  }
  return it;
}

#include "multispin-kernels.inc"

#ifdef KILN_ANNEAL_AVX512
const kiln::AnnealKernels kTable = {KILN_ANNEAL_NAME, sa_sweep_avx512, loihi_step_avx512, tabu_run, ms_sweep, ms_count};
#else
const kiln::AnnealKernels kTable = {KILN_ANNEAL_NAME, sa_sweep_scalar, loihi_step_scalar, tabu_run, ms_sweep, ms_count};
#endif

}  // namespace

extern "C" const kiln::AnnealKernels* KILN_ANNEAL_TABLE_FN() { return &kTable; }
