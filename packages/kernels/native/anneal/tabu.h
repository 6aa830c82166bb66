// 'tabu' as the driver sees it (tabu.cc): the default stall and what one OpenMP thread of a run
// does. One scalar search per replica (kiln::TabuState) through the inner loops' tabu_run.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "aligned.h"
#include "job.h"
#include "run-state.h"

namespace kiln::anneal {

// Tabu's default stall: iterations without improvement before an episode ends.
int64_t default_tabu_stall(const Problem& P);

// A tabu search's tenure: D-Wave's min(20, n/4) for small problems, n/20 above n = 400 (G-set,
// n 800-1000: 40-50 reached the best-known cuts more often than 20; bench/anneal-kernel.mts); each
// flip adds up to half again at random.
int32_t tabu_tenure(const Problem& P);

// Random bits from a xoshiro128+ stream into x[0..n).
void random_state(uint32_t* rng, uint8_t* x, int32_t n);

// One one-flip tabu search over P (kiln::TabuState and its arrays), shared by 'tabu' (one per
// replica, episodes with perturbed restarts) and 'memetic' (one per thread, improving children).
struct TabuSearch {
  const Problem& P;
  std::unique_ptr<uint8_t[], AlignedFree> x, best_x;
  std::unique_ptr<double[], AlignedFree> sigma, delta;
  std::unique_ptr<int64_t[], AlignedFree> tabu_until;
  std::unique_ptr<int32_t[], AlignedFree> ties;
  std::vector<double> f;
  TabuState t{};

  // Its random stream seeded with rng_seed; x all zero until start() or a caller fills it.
  TabuSearch(const Problem& p, uint64_t rng_seed, int64_t stall, double target);
  // ΔE and the energy from scratch for the current x; nothing tabu; starts an episode (best kept).
  void rebuild();
  // A new search from x0: rebuild, and x0 is its best.
  void start(const uint8_t* x0);
  // Tabu iterations until the search stalls, in slices of about 16k candidate evaluations between
  // checks of the run; every new best beyond slot's goes to slot and the run. Returns false when
  // the run was stopped (best_x is then the best so far).
  bool run_until_stall(Run& run, Slot& slot, uint64_t& att, uint64_t& sw);
};

// One thread of a 'tabu' run (thread t of nt): searches t, t + nt, …, one episode each in turn
// (episode after episode with restarts); bests go to slot k of search k.
void tabu_thread(Run& run, std::vector<Slot>& slots, int t, int nt, uint64_t& att, uint64_t& sw);

}  // namespace kiln::anneal
