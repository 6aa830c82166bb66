// 'multispin' as the driver sees it (multispin.cc): bit-parallel annealing, one replica per bit of
// 512-bit words, for problems whose Ising couplings take one magnitude (Max-Cut with ±1 or +1
// weights, MIS in penalty form).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "job.h"
#include "run-state.h"

namespace kiln::anneal {

// Word groups of kMultispinWidth replicas that `O.replicas` replicas take.
inline int64_t word_groups(const Options& O) { return (O.replicas + kMultispinWidth - 1) / kMultispinWidth; }

// Why P cannot run in multispin (empty when it can): its Ising couplings J_ij/4 must share one
// magnitude, and its degrees and fields must fit the bit-sliced counters.
std::string multispin_unfit(const Problem& P);

// One thread of a 'multispin' run: anneals word group after word group, the next one taken from
// next_unit, until all are done or, with restarts, until the run stops. Bests go to slot k of word
// group k, or with restarts to slot t.
void multispin_thread(Run& run, std::vector<Slot>& slots, const std::vector<float>& betas, std::atomic<int64_t>& next_unit, int t, uint64_t& att, uint64_t& sw);

}  // namespace kiln::anneal
