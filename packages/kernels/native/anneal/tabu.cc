// 'tabu': the one-flip tabu search shared with 'memetic' (TabuSearch: its arrays, tenure, rebuilds
// of ΔE and the energy, the run until it stalls), one search per replica (TabuUnit: random start,
// perturbed restarts from its best), one episode (tabu_episode), and the per-thread work. The iterations themselves are the inner loops (kernels.cc, through
// Options::kernels).
#include "tabu.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include "aligned.h"
#include "rng.h"

namespace kiln::anneal {

// Tabu's default stall: iterations without improvement before an episode ends.
int64_t default_tabu_stall(const Problem& P) { return std::max<int64_t>(2000, 20 * static_cast<int64_t>(P.n)); }

int32_t tabu_tenure(const Problem& P) { return static_cast<int32_t>(std::min<int64_t>(P.n / 4, std::max<int64_t>(20, P.n / 20))); }

void random_state(uint32_t* rng, uint8_t* x, int32_t n) {
  for (int32_t i = 0; i < n; i += 32) {
    const uint32_t bits = xoshiro_next(rng, 1);
    for (int b = 0; b < 32 && i + b < n; b++) x[i + b] = static_cast<uint8_t>((bits >> b) & 1u);
  }
}

TabuSearch::TabuSearch(const Problem& p, uint64_t rng_seed, int64_t stall, double target) : P(p), f(static_cast<size_t>(p.n)) {
  const size_t n = static_cast<size_t>(p.n), np = static_cast<size_t>(p.n_pad);
  x = aligned_zeros<uint8_t>(n);
  best_x = aligned_zeros<uint8_t>(n);
  sigma = aligned_zeros<double>(n);
  delta = aligned_zeros<double>(np);
  tabu_until = aligned_zeros<int64_t>(np);
  ties = aligned_zeros<int32_t>(np + 8);
  for (size_t i = n; i < np; i++) delta[i] = INFINITY;
  t.x = x.get();
  t.sigma = sigma.get();
  t.delta = delta.get();
  t.tabu_until = tabu_until.get();
  t.best_x = best_x.get();
  t.ties = ties.get();
  t.tol = 1e-9 * std::max(1.0, p.max_field);
  t.stall = stall;
  t.target = target;
  t.tenure = tabu_tenure(p);
  t.tenure_rand = t.tenure / 2;
  seed_xoshiro(rng_seed, t.rng, 1);
}

void TabuSearch::rebuild() {
  const int32_t n = P.n;
  double e = P.offset;
  for (int32_t i = 0; i < n; i++) {
    double fi = P.h[i];
    for (int32_t k = P.row_ptr[i]; k < P.row_ptr[i + 1]; k++)
      if (x[P.col[k]]) fi += P.val[k];
    f[i] = fi;
    if (x[i]) e += 0.5 * (fi + P.h[i]);
  }
  for (int32_t i = 0; i < n; i++) {
    sigma[i] = x[i] ? -1.0 : 1.0;
    delta[i] = sigma[i] * f[i];
    tabu_until[i] = 0;
  }
  t.e = e;
  t.since = 0;
}

void TabuSearch::start(const uint8_t* x0) {
  if (x0 != x.get()) std::memcpy(x.get(), x0, static_cast<size_t>(P.n));
  rebuild();
  t.best_e = t.e;
  t.pending = 0;
  t.improved = 0;
  std::memcpy(best_x.get(), x.get(), static_cast<size_t>(P.n));
}

bool TabuSearch::run_until_stall(Run& run, Slot& slot, uint64_t& att, uint64_t& sw) {
  const AnnealCsr csr = P.csr();
  const int64_t chunk = std::max<int64_t>(8, 16384 / std::max<int64_t>(1, P.n));
  auto report = [&] {
    if (t.best_e < slot.best_est) {
      slot.best_est = t.best_e;
      std::memcpy(slot.best_x.data(), best_x.get(), static_cast<size_t>(P.n));
      run.improved(slot.best_est, slot.best_x.data());
    }
  };
  report();
  while (t.since < t.stall) {
    const int64_t done = run.O.kernels->tabu_run(&csr, &t, chunk);
    att += static_cast<uint64_t>(done) * static_cast<uint64_t>(P.n);
    sw += static_cast<uint64_t>(done);
    if (t.improved) {
      t.improved = 0;
      report();
    }
    if (run.stopped() || run.check(att, sw)) return false;
  }
  return true;
}

namespace {

// One replica's search: a random start, then episodes, each but the first from its best with
// n/16..n/8 random flips (every 8th from a fresh random state).
struct TabuUnit : TabuSearch {
  int64_t episodes = 0;

  TabuUnit(const Problem& p, uint64_t seed, int64_t replica, int64_t stall, double target)
      : TabuSearch(p, stream_seed(seed, static_cast<uint64_t>(replica)), stall, target) {
    random_state(t.rng, x.get(), p.n);
    start(x.get());
  }
  void perturb() {
    const int32_t n = P.n;
    episodes++;
    if (episodes % 8 == 0) {
      random_state(t.rng, x.get(), n);
    } else {
      std::memcpy(x.get(), best_x.get(), static_cast<size_t>(n));
      const int32_t lo = std::max<int32_t>(1, n / 16), hi = std::max<int32_t>(lo, n / 8);
      const int32_t count = lo + static_cast<int32_t>(xoshiro_next(t.rng, 1) % static_cast<uint32_t>(hi - lo + 1));
      for (int32_t c = 0; c < count; c++) x[(static_cast<uint64_t>(xoshiro_next(t.rng, 1)) * static_cast<uint64_t>(n)) >> 32] ^= 1;
    }
    rebuild();
  }
};

// One episode of a tabu search (until it stalls); returns false when the run was stopped.
bool tabu_episode(Run& run, TabuUnit& u, Slot& slot, uint64_t& att, uint64_t& sw) {
  run.anneals.fetch_add(1, std::memory_order_relaxed);
  return u.run_until_stall(run, slot, att, sw);
}

}  // namespace

void tabu_thread(Run& run, std::vector<Slot>& slots, int t, int nt, uint64_t& att, uint64_t& sw) {
  const Problem& P = run.P;
  const Options& O = run.O;
  std::vector<std::unique_ptr<TabuUnit>> mine;
  std::vector<int64_t> ids;
  for (int64_t k = t; k < O.replicas; k += nt) {
    mine.push_back(std::make_unique<TabuUnit>(P, O.seed, k, O.sweeps, O.target));
    ids.push_back(k);
  }
  bool go = !mine.empty();
  bool first = true;
  while (go) {
    for (size_t m = 0; m < mine.size() && go; m++) {
      if (!first) mine[m]->perturb();
      go = tabu_episode(run, *mine[m], slots[static_cast<size_t>(ids[m])], att, sw);
      // A tabu search's final state: its best (the state it returns to between episodes).
      if (O.samples) run.record_final(ids[m], mine[m]->best_x.get(), go);
    }
    first = false;
    if (!O.restarts) break;
    if (go && run.check(att, sw)) go = false;
  }
}

}  // namespace kiln::anneal
