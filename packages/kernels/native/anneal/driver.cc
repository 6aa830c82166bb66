// The run: how many threads, the best-state slots (one per unit, so the merge is independent of
// timing and thread count, or one per thread for restarting 'sa'), the OpenMP region in which every
// thread does its mode's work (sa-loihi.cc, tabu.cc), and the merge of the slots into the output.
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <stdexcept>
#include <vector>

#include "job.h"
#include "memetic.h"
#include "multispin.h"
#include "run-state.h"
#include "sa-loihi.h"
#include "tabu.h"

namespace kiln::anneal {

void run_anneal(const Problem& P, const Options& O, Output& out, Clock::time_point t0) {
  Run run(P, O, t0);
  // Units: searches (tabu), populations (memetic: one per thread), word groups of 512 replicas
  // (multispin) or lane groups of 16 (sa, loihi).
  const int64_t units = O.mode == kTabu ? O.replicas : O.mode == kMemetic ? O.threads : O.mode == kMultispin ? word_groups(O) : lane_groups(O);
  // Restarting 'sa' and 'multispin' make new groups forever: every thread is useful.
  const bool restarting_groups = (O.mode == kSa || O.mode == kMultispin) && O.restarts;
  const int threads = static_cast<int>(restarting_groups ? O.threads : std::min<int64_t>(O.threads, units));
  // Slots: one per unit (the merge is then independent of timing and thread count), or one per
  // thread for restarting 'sa' and 'multispin'.
  const bool per_thread = restarting_groups;
  std::vector<Slot> slots(static_cast<size_t>(per_thread ? threads : units));
  for (Slot& s : slots) s.best_x.assign(static_cast<size_t>(P.n), 0);
  std::vector<float> betas;
  if (scheduled(O.mode)) betas = beta_schedule(O);
  std::atomic<int64_t> next_unit{0};
  if (O.samples) {
    run.finals.assign(static_cast<size_t>(O.replicas) * static_cast<size_t>(P.n), 0);
    run.final_set.assign(static_cast<size_t>(O.replicas), 0);
  }

#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num();
    const int nt = omp_get_num_threads();
    uint64_t att = 0, sw = 0;
    try {
      if (O.mode == kSa)
        sa_thread(run, slots, betas, next_unit, t, att, sw);
      else if (O.mode == kLoihi)
        loihi_thread(run, slots, betas, t, nt, att, sw);
      else if (O.mode == kMultispin)
        multispin_thread(run, slots, betas, next_unit, t, att, sw);
      else if (O.mode == kMemetic)
        memetic_thread(run, slots, t, nt, att, sw);
      else
        tabu_thread(run, slots, t, nt, att, sw);
    } catch (const std::exception& e) {
      run.fail(e.what());
    }
    if (att) run.attempts.fetch_add(att);
    if (sw) run.sweeps.fetch_add(sw);
  }
  if (!run.error.empty()) throw std::runtime_error(run.error);

  // Merge: the lowest exact energy, ties to the lowest slot.
  double best = INFINITY;
  const Slot* pick = nullptr;
  for (const Slot& s : slots) {
    if (!(s.best_est < INFINITY)) continue;
    const double e = P.energy(s.best_x.data());
    if (e < best) {
      best = e;
      pick = &s;
    }
  }
  out.state = pick ? pick->best_x : std::vector<uint8_t>(static_cast<size_t>(P.n), 0);
  out.energy = pick ? best : P.energy(out.state.data());
  if (O.samples) {
    const size_t n = static_cast<size_t>(P.n);
    for (size_t r = 0; r < run.final_set.size(); r++) {
      if (!run.final_set[r]) continue;
      const uint8_t* x = run.finals.data() + r * n;
      out.samples.insert(out.samples.end(), x, x + n);
      out.sample_energies.push_back(P.energy(x));
    }
  }
  out.time_to_best_ms = run.time_to_best;
  out.flip_attempts = static_cast<double>(run.attempts.load());
  out.sweeps = static_cast<double>(run.sweeps.load());
  out.anneals = static_cast<double>(run.anneals.load());
  out.trace = std::move(run.trace);
  if (!out.trace.empty()) out.trace.back() = out.energy;
  out.reached_target = out.energy <= O.target + 1e-9;
  out.stopped_by = run.stop.load();
  out.threads = threads;
  out.elapsed_ms = run.ms();
  if (O.live) {
    run.store_live(0, out.energy);
    run.store_live(1, out.flip_attempts);
    run.store_live(2, out.elapsed_ms);
    run.store_live(3, out.sweeps);
  }
}

}  // namespace kiln::anneal
