// 'sa' and 'loihi' as the driver sees them (sa-loihi.cc): the β schedule and what one OpenMP thread
// of a run does. Both run 16 replicas per lane group (kiln::LaneGroup) through the inner loops'
// sa_sweep or loihi_step.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "job.h"
#include "run-state.h"

namespace kiln::anneal {

// Lane groups of L replicas that `O.replicas` replicas take.
inline int64_t lane_groups(const Options& O) { return (O.replicas + L - 1) / L; }

// β of each step of the schedule, O.sweeps of them (the JS betaSchedule's formula).
std::vector<float> beta_schedule(const Options& O);

// One thread of an 'sa' run (thread t): anneals lane group after lane group, the next one taken from
// next_unit, until all are done or, with restarts, until the run stops (then on fresh seeds' lane
// groups beyond the replicas). Bests go to slot k of lane group k, or with restarts to slot t.
void sa_thread(Run& run, std::vector<Slot>& slots, const std::vector<float>& betas, std::atomic<int64_t>& next_unit, int t, uint64_t& att, uint64_t& sw);

// One thread of a 'loihi' run (thread t of nt): lane groups t, t + nt, …, each through one
// temperature cycle in turn (cycle after cycle with restarts); bests go to slot k of lane group k.
void loihi_thread(Run& run, std::vector<Slot>& slots, const std::vector<float>& betas, int t, int nt, uint64_t& att, uint64_t& sw);

}  // namespace kiln::anneal
