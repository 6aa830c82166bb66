// 'memetic' as the driver sees it (memetic.cc): a population of tabu-improved states per thread,
// crossover that keeps the parents' shared assignments, pool updates by quality and distance.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "job.h"
#include "run-state.h"

namespace kiln::anneal {

// Population size per thread when the caller gives no replicas.
constexpr int kMemeticPopulation = 10;

// The tabu stall of each child when the caller gives no sweeps: about 2n measured best on G14/G15
// (1,000-3,000 at n = 800; tabu's own default, 20n, let the population converge on one state).
inline int64_t default_memetic_stall(const Problem& P) { return std::max<int64_t>(200, 2 * static_cast<int64_t>(P.n)); }

// One thread of a 'memetic' run (thread t of nt): its own population of replicas / nt states
// (at least 2); bests go to slot t.
void memetic_thread(Run& run, std::vector<Slot>& slots, int t, int nt, uint64_t& att, uint64_t& sw);

}  // namespace kiln::anneal
