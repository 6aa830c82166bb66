// One annealing call as the driver sees it: the validated problem (a private copy of the CSR), the
// parsed options, the output, and run_anneal (driver.cc), which turns the first two into the third.
// Everything on the driver's side (job.h, rng.h, aligned.h, run-state.h, sa-loihi.*, tabu.*,
// driver.cc, napi.cc) is in namespace kiln::anneal and compiled once, with the addon; the inner loops
// (kernels.cc, one build per SIMD level) see only the plain-C interface of ../anneal.h.
#pragma once

#include <chrono>
#include <cmath>
#include <cstdint>
#include <vector>

#include "../anneal.h"

namespace kiln::anneal {

constexpr int L = kiln::kAnnealLanes;
using Clock = std::chrono::steady_clock;

enum Mode : int { kSa = 0, kLoihi = 1, kTabu = 2, kMultispin = 3, kMemetic = 4 };
const char* const kModeNames[] = {"sa", "loihi", "tabu", "multispin", "memetic"};
// Modes that anneal along a β schedule (betaStart/betaEnd/schedule/sweeps).
inline bool scheduled(int mode) { return mode == kSa || mode == kLoihi || mode == kMultispin; }
// Replicas per multispin word group: one bit each of a 512-bit word.
constexpr int kMultispinWidth = 512;
enum Stop : int { kNotStopped = 0, kTarget = 1, kFlag = 2, kTime = 3 };
const char* const kStopNames[] = {"done", "target", "stop", "time"};
constexpr int kLiveLen = 4;  // [bestEnergy, flipAttempts, elapsedMs, sweeps]

// The problem: a validated private copy of the caller's CSR (parse_problem, napi.cc).
struct Problem {
  int32_t n = 0, n_pad = 0;
  std::vector<int32_t> row_ptr, col;
  std::vector<double> val, h;
  std::vector<float> valf;
  double offset = 0;
  bool exact32 = false;  // integer weights with small row sums: float32 fields are exact
  double max_field = 0;  // max_i |h_i| + Σ_j |J_ij|

  AnnealCsr csr() const { return AnnealCsr{n, n_pad, row_ptr.data(), col.data(), val.data(), valf.data()}; }

  double energy(const uint8_t* x) const {
    double e = offset;
    for (int32_t i = 0; i < n; i++) {
      if (!x[i]) continue;
      e += h[i];
      for (int32_t k = row_ptr[i]; k < row_ptr[i + 1]; k++)
        if (col[k] > i && x[col[k]]) e += val[k];
    }
    return e;
  }
};

// The options, checked and with every default filled in (parse_options, napi.cc).
struct Options {
  int mode = kSa;
  uint64_t seed = 0;
  int64_t replicas = 0;
  int64_t sweeps = 0;
  double beta_start = 0, beta_end = 0;
  bool geometric = true;
  double time_limit_ms = INFINITY;
  bool restarts = false;
  double target = -INFINITY;
  int threads = 1;
  bool samples = false;  // keep every replica's final state (Output::samples)
  int32_t* stop = nullptr;
  double* live = nullptr;
  const kiln::AnnealKernels* kernels = nullptr;
};

// What a call returns (result_object, napi.cc, makes it a JS object).
struct Output {
  std::vector<uint8_t> state;
  double energy = 0, time_to_best_ms = 0, elapsed_ms = 0;
  double flip_attempts = 0, sweeps = 0, anneals = 0;
  std::vector<double> trace;  // (ms, energy) pairs
  // With Options::samples: the final state of each replica that ran (n bytes each, replica order)
  // and its energy, recomputed exactly in double.
  std::vector<uint8_t> samples;
  std::vector<double> sample_energies;
  bool reached_target = false;
  int stopped_by = kNotStopped;
  int threads = 1;
};

// Runs a call to the end (the caller's thread + OpenMP threads) and fills `out`; t0 is when the call
// began (elapsed times and the time limit count from it). Throws std::runtime_error when a thread
// failed (e.g. out of memory).
void run_anneal(const Problem& P, const Options& O, Output& out, Clock::time_point t0);

}  // namespace kiln::anneal
