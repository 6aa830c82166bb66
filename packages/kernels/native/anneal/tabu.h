// 'tabu' as the driver sees it (tabu.cc): the default stall and what one OpenMP thread of a run
// does. One scalar search per replica (kiln::TabuState) through the inner loops' tabu_run.
#pragma once

#include <cstdint>
#include <vector>

#include "job.h"
#include "run-state.h"

namespace kiln::anneal {

// Tabu's default stall: iterations without improvement before an episode ends.
int64_t default_tabu_stall(const Problem& P);

// One thread of a 'tabu' run (thread t of nt): searches t, t + nt, …, one episode each in turn
// (episode after episode with restarts); bests go to slot k of search k.
void tabu_thread(Run& run, std::vector<Slot>& slots, int t, int nt, uint64_t& att, uint64_t& sw);

}  // namespace kiln::anneal
