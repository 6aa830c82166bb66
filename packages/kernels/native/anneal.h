// Kiln's QUBO annealing kernels: the plain-C interface between the driver (anneal/*.cc: argument
// checks, threads, clock, stop flag, trace, N-API) and the inner loops (anneal/kernels.cc, compiled
// once per SIMD level: kiln_anneal_generic at the base arch, kiln_anneal_avx512 with AVX-512 flags).
// Plain C types only: the SIMD translation units must share no inline C++ code with the rest.
// Also declares kiln_anneal_register, the annealer's entry for addon.cc.
//
// Problem: E(x) = Σ h_i x_i + Σ_{i<j} J_ij x_i x_j + offset, x ∈ {0,1}ⁿ, J symmetric in CSR form
// (both directions stored). Flipping x_i changes E by (1 − 2x_i)·f_i, f_i = h_i + Σ_j J_ij x_j.
#pragma once

#include <cstdint>

namespace kiln {

// Replicas per lane group: 16 float32 lanes = one AVX-512 register, one cache line per variable.
constexpr int kAnnealLanes = 16;

struct AnnealCsr {
  int32_t n;
  int32_t n_pad;  // n rounded up to a multiple of 8 (tabu's padded arrays)
  const int32_t* row_ptr;
  const int32_t* col;
  const double* val;
  const float* valf;  // val rounded to float (the lane kernels' fields are float32)
};

// 16 replicas of 'sa' or 'loihi' side by side: every per-variable array is [variable][lane].
struct LaneGroup {
  float* field;         // [n·16] local fields f_i per lane, 64-byte aligned
  uint16_t* x;          // [n] bit l = x_i of lane l
  uint32_t* rng;        // [4·16] xoshiro128+ state, word-major (s0 of lanes 0..15, then s1, …)
  double* energy;       // [16] running energy per lane (exact for integer weights)
  uint8_t* refractory;  // [n·16] loihi: steps a lane's variable must still wait before it may flip
  uint16_t* flips;      // [n] loihi scratch: lanes that flip this step
};

// One tabu search (scalar, double precision).
struct TabuState {
  uint8_t* x;           // [n]
  double* sigma;        // [n] 1 − 2x_i
  double* delta;        // [n_pad] ΔE of flipping i = σ_i·f_i; padding = +inf
  int64_t* tabu_until;  // [n_pad] variable i is tabu while iter < tabu_until[i]
  uint8_t* best_x;      // [n] best state of this search
  int32_t* ties;        // [n_pad + 8] scratch: the tied best moves of an iteration
  double e;             // current energy
  double best_e;        // energy of best_x
  double tol;           // improvement threshold (absolute)
  int64_t iter;         // iterations done by this search (all episodes)
  int64_t since;        // iterations since best_e improved or the episode started
  int64_t stall;        // an episode ends after `stall` iterations without improving best_e
  int32_t tenure;       // a flipped variable stays tabu for tenure + rand(0..tenure_rand) iterations
  int32_t tenure_rand;
  uint32_t rng[4];   // xoshiro128+
  int32_t pending;   // 1: best_e was reached by the current x but best_x is not written yet
  int32_t improved;  // set to 1 by tabu_run when best_e improves (the driver clears it)
  double target;     // tabu_run returns right after a move that reaches it (-inf: none), so the driver stops at once
};

// Bit-parallel annealing ('multispin'; anneal/multispin.cc builds these from the problem). The Ising
// form of the problem (s = 2x − 1) has couplings J_ij/4 = ±c of one magnitude c > 0; a bond is
// unsatisfied when its term J_ij/4·s_i·s_j is +c. Flipping s_i changes the energy by
// 4c·(A_i(s_i) − U_i), U_i = unsatisfied bonds at i, A_i(s) = d_i/2 − s·h'_i/(2c) (h' = Ising field):
// replicas with U_i ≥ t0 = ⌈A_i⌉ flip (ΔE ≤ 0), those with U_i = t0 − 1 − l flip with probability
// e^{−4cβ(A_i − t0 + 1 + l)}, each replica drawing its own random bits (ms_bernoulli, kernels).
constexpr int kMsWords = 8;       // 64-bit words per 512-replica word
constexpr int kMsMaxPlanes = 16;  // bit planes of a site counter: degree and t0 below 2¹⁶
struct MultispinCsr {
  int32_t n;
  int32_t planes;  // bit planes of the site counters: 2^planes > max degree and max t0
  const int32_t* row_ptr;
  const int32_t* col;
  const uint64_t* anti;      // [nnz] all ones when J_ij > 0 (unsatisfied when x_i = x_j), else 0
  const int32_t* t0;         // [2n] ⌈A_i(s)⌉ (at least 0): s = −1 (x_i = 0) at 2i, s = +1 at 2i+1
  const int32_t* row;        // [2n] where level l = 0's probability is in the sweep's table
  const uint8_t* symmetric;  // [n] 1 when both spin values have the same t0 and row (no field)
};
// 512 replicas: x[i·8 + w] bit b = x_i of replica 64w + b; a xoshiro256+ per 64-bit word.
struct MultispinGroup {
  uint64_t* x;        // [n·8], 64-byte aligned
  uint64_t* rng;      // [4·8]: s0 of words 0..7, then s1, s2, s3
  uint64_t* scratch;  // [classes·8], 64-byte aligned: one mask per acceptance class of a variable
  uint32_t* gray;     // [classes]
};

struct AnnealKernels {
  const char* name;
  // One 'sa' sweep of all 16 lanes: Metropolis in index order at inverse temperature beta.
  void (*sa_sweep)(const AnnealCsr* p, LaneGroup* g, float beta);
  // One 'loihi' step: every variable of every lane decides from the fields at the start of the
  // step (refractory ones skip), then all flips are applied.
  void (*loihi_step)(const AnnealCsr* p, LaneGroup* g, float beta);
  // Up to max_iter tabu iterations; returns early (with since ≥ stall) when the episode stalls.
  // Returns the iterations done.
  int64_t (*tabu_run)(const AnnealCsr* p, TabuState* t, int64_t max_iter);
  // One multispin sweep in index order; prob: the sweep's acceptance probabilities (32-bit fixed
  // point), read from MultispinCsr::row on, each run ending at a 0 entry.
  void (*ms_sweep)(const MultispinCsr* p, MultispinGroup* g, const uint32_t* prob);
  // Unsatisfied bonds (i < j) of each replica, bit-sliced: out[p·8 + w] = bit p of the counts of
  // word w's 64 replicas, for p < planes (2^planes > number of bonds).
  void (*ms_count)(const MultispinCsr* p, const MultispinGroup* g, uint64_t* out, int32_t planes);
};

}  // namespace kiln

extern "C" const kiln::AnnealKernels* kiln_anneal_generic();
extern "C" const kiln::AnnealKernels* kiln_anneal_avx512();

#ifdef NAPI_VERSION
// Defined in anneal/napi.cc: adds annealQubo (async, a Promise) and annealQuboSync to the exports.
namespace Napi {
class Env;
class Object;
}  // namespace Napi
void kiln_anneal_register(Napi::Env env, Napi::Object exports);
#endif
