// What the threads of one run share (Run): the clock, the stop reason (stop flag, time limit,
// target), the global best energy with its time and trace, the counters, the live-progress buffer
// and the first error; and Slot, the best state of one unit, merged at the end (driver.cc).
#pragma once

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "job.h"

namespace kiln::anneal {

constexpr size_t kTraceMax = 1000;  // trace points kept; thinned to half when exceeded

struct Run {
  const Problem& P;
  const Options& O;
  const Clock::time_point t0;
  std::atomic<int> stop{kNotStopped};
  std::atomic<double> best_est{INFINITY};
  std::atomic<uint64_t> attempts{0}, sweeps{0}, anneals{0};
  std::mutex mu;
  double time_to_best = 0;
  std::vector<double> trace;
  std::string error;

  Run(const Problem& p, const Options& o, Clock::time_point start) : P(p), O(o), t0(start) {}

  double ms() const { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }
  void set_stop(int reason) {
    int none = kNotStopped;
    stop.compare_exchange_strong(none, reason);
  }
  bool stopped() const { return stop.load(std::memory_order_relaxed) != kNotStopped; }

  // Flushes a thread's counters, publishes progress, polls the stop flag and the clock.
  bool check(uint64_t& att, uint64_t& sw) {
    if (att) attempts.fetch_add(att, std::memory_order_relaxed);
    if (sw) sweeps.fetch_add(sw, std::memory_order_relaxed);
    att = sw = 0;
    const double now = ms();
    if (O.live) {
      store_live(1, static_cast<double>(attempts.load(std::memory_order_relaxed)));
      store_live(2, now);
      store_live(3, static_cast<double>(sweeps.load(std::memory_order_relaxed)));
    }
    if (stopped()) return true;
    if (O.stop && __atomic_load_n(O.stop, __ATOMIC_ACQUIRE) != 0)
      set_stop(kFlag);
    else if (now >= O.time_limit_ms)
      set_stop(kTime);
    return stopped();
  }
  void store_live(int k, double v) {
    uint64_t b;
    std::memcpy(&b, &v, 8);
    __atomic_store_n(reinterpret_cast<uint64_t*>(O.live + k), b, __ATOMIC_RELAXED);
  }

  // A unit found a state x of (estimated) energy e below its own best.
  void improved(double e, const uint8_t* x) {
    if (e < best_est.load(std::memory_order_relaxed)) {
      std::lock_guard<std::mutex> lock(mu);
      if (e < best_est.load(std::memory_order_relaxed)) {
        best_est.store(e, std::memory_order_relaxed);
        time_to_best = ms();
        trace.push_back(time_to_best);
        trace.push_back(e);
        if (trace.size() > 2 * kTraceMax) thin(kTraceMax / 2);
        if (O.live) store_live(0, e);
      }
    }
    if (O.target > -INFINITY) {
      const double slack = P.exact32 ? 0.0 : 1e-6 * (1.0 + std::fabs(e));
      if (e <= O.target + 1e-9 + slack && P.energy(x) <= O.target + 1e-9) set_stop(kTarget);
    }
  }
  // Keeps `keep` points: the first, the last and evenly spaced ones between (caller holds mu).
  void thin(size_t keep) {
    const size_t count = trace.size() / 2;
    std::vector<double> out;
    out.reserve(2 * keep);
    for (size_t k = 0; k < keep; k++) {
      const size_t at = static_cast<size_t>(std::llround(static_cast<double>(k) * static_cast<double>(count - 1) / static_cast<double>(keep - 1)));
      out.push_back(trace[2 * at]);
      out.push_back(trace[2 * at + 1]);
    }
    trace.swap(out);
  }
  // Final states of the replicas (Options::samples): replica r's last state, n bytes at r·n.
  std::vector<uint8_t> finals;
  std::vector<uint8_t> final_set;
  std::mutex finals_mu;
  // Records replica r's state x. An interrupted anneal (`complete` false) only fills a replica
  // that has no state yet: a restarted replica keeps its last finished one.
  void record_final(int64_t r, const uint8_t* x, bool complete) {
    if (r < 0 || r >= static_cast<int64_t>(final_set.size())) return;
    const size_t n = static_cast<size_t>(P.n);
    std::lock_guard<std::mutex> lock(finals_mu);
    if (!complete && final_set[static_cast<size_t>(r)]) return;
    std::memcpy(finals.data() + static_cast<size_t>(r) * n, x, n);
    final_set[static_cast<size_t>(r)] = 1;
  }
  void fail(const char* what) {
    std::lock_guard<std::mutex> lock(mu);
    if (error.empty()) error = what;
    set_stop(kFlag);
  }
};

// The best state of a slot (a unit, or a thread's restarts), merged at the end.
struct Slot {
  double best_est = INFINITY;
  std::vector<uint8_t> best_x;
};

}  // namespace kiln::anneal
