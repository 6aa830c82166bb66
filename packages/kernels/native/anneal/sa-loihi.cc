// 'sa' and 'loihi': 16 replicas per lane group (GroupUnit: its arrays, random starting states, exact
// rebuilds of fields and energies, best-lane tracking), one pass of a lane group through the β
// schedule (run_schedule), and each mode's per-thread work. The sweeps and steps themselves are the
// inner loops (kernels.cc, through Options::kernels).
#include "sa-loihi.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include "aligned.h"
#include "rng.h"

namespace kiln::anneal {

std::vector<float> beta_schedule(const Options& O) {
  std::vector<float> b(static_cast<size_t>(O.sweeps));
  for (int64_t s = 0; s < O.sweeps; s++) {
    if (O.sweeps == 1) {
      b[s] = static_cast<float>(O.beta_end);
      continue;
    }
    const double t = static_cast<double>(s) / static_cast<double>(O.sweeps - 1);
    const double beta = O.geometric ? O.beta_start * std::pow(O.beta_end / O.beta_start, t) : O.beta_start + (O.beta_end - O.beta_start) * t;
    b[s] = static_cast<float>(beta);
  }
  return b;
}

namespace {

struct GroupUnit {
  const Problem& P;
  std::unique_ptr<float[], AlignedFree> field;
  std::unique_ptr<uint16_t[], AlignedFree> x, flips;
  std::unique_ptr<uint32_t[], AlignedFree> rng;
  std::unique_ptr<double[], AlignedFree> energy;
  std::unique_ptr<uint8_t[], AlignedFree> refractory;
  std::vector<double> fd;  // double fields scratch for exact rebuilds
  std::vector<uint8_t> lane_x;
  LaneGroup g{};
  uint32_t active = 0xffff;
  int active_count = L;

  GroupUnit(const Problem& p, bool loihi) : P(p), lane_x(static_cast<size_t>(p.n)) {
    const size_t n = static_cast<size_t>(p.n);
    field = aligned_zeros<float>(n * L);
    x = aligned_zeros<uint16_t>(n);
    rng = aligned_zeros<uint32_t>(4 * L);
    energy = aligned_zeros<double>(L);
    if (loihi) {
      refractory = aligned_zeros<uint8_t>(n * L);
      flips = aligned_zeros<uint16_t>(n);
    }
    fd.resize(n * L);
    g = LaneGroup{field.get(), x.get(), rng.get(), energy.get(), refractory.get(), flips.get()};
  }

  // Lanes of replicas first..first+15 (those ≥ replicas inactive unless `all`); random states.
  void start(uint64_t seed, int64_t first, int64_t replicas, bool all) {
    const int64_t left = replicas - first;
    active_count = all ? L : static_cast<int>(std::clamp<int64_t>(left, 0, L));
    active = active_count >= L ? 0xffffu : (1u << active_count) - 1u;
    for (int l = 0; l < L; l++) seed_xoshiro(stream_seed(seed, static_cast<uint64_t>(first + l)), rng.get() + l, L);
    randomize();
    if (refractory) std::memset(refractory.get(), 0, static_cast<size_t>(P.n) * L);
  }
  void randomize() {
    const int32_t n = P.n;
    std::memset(x.get(), 0, sizeof(uint16_t) * static_cast<size_t>(n));
    for (int l = 0; l < L; l++) {
      for (int32_t i = 0; i < n; i += 32) {
        const uint32_t bits = xoshiro_next(rng.get() + l, L);
        for (int b = 0; b < 32 && i + b < n; b++) x[i + b] |= static_cast<uint16_t>(((bits >> b) & 1u) << l);
      }
    }
    rebuild();
  }
  // Fields and energies from scratch (double, then fields rounded to float).
  void rebuild() {
    const int32_t n = P.n;
    for (int32_t i = 0; i < n; i++) {
      double* f = fd.data() + static_cast<size_t>(i) * L;
      for (int l = 0; l < L; l++) f[l] = P.h[i];
      for (int32_t k = P.row_ptr[i]; k < P.row_ptr[i + 1]; k++) {
        const uint32_t xj = x[P.col[k]];
        if (!xj) continue;
        const double w = P.val[k];
        for (int l = 0; l < L; l++)
          if ((xj >> l) & 1u) f[l] += w;
      }
    }
    for (int l = 0; l < L; l++) energy[l] = P.offset;
    for (int32_t i = 0; i < n; i++) {
      const double* f = fd.data() + static_cast<size_t>(i) * L;
      for (int l = 0; l < L; l++) {
        field[static_cast<size_t>(i) * L + l] = static_cast<float>(f[l]);
        if ((x[i] >> l) & 1u) energy[l] += 0.5 * (f[l] + P.h[i]);
      }
    }
  }
  // Lane l's state into out.
  void extract(int l, uint8_t* out) const {
    for (int32_t i = 0; i < P.n; i++) out[i] = static_cast<uint8_t>((x[i] >> l) & 1u);
  }
  // With Options::samples: each active lane's state as the final state of its replica; lane group
  // k holds replicas k·L.. (restarted groups beyond the replicas wrap onto them).
  void record_finals(Run& run, int64_t k, bool complete) {
    if (!run.O.samples) return;
    const int64_t span = lane_groups(run.O) * L;
    for (int l = 0; l < active_count; l++) {
      const int64_t r = (k * L + l) % span;
      if (r >= run.O.replicas) continue;
      extract(l, lane_x.data());
      run.record_final(r, lane_x.data(), complete);
    }
  }
  // Records the best active lane when it beats the slot's best.
  void note(Slot& slot, Run& run) {
    int bl = -1;
    double be = slot.best_est;
    for (int l = 0; l < active_count; l++) {
      if (energy[l] < be) {
        be = energy[l];
        bl = l;
      }
    }
    if (bl < 0) return;
    slot.best_est = be;
    extract(bl, slot.best_x.data());
    run.improved(be, slot.best_x.data());
  }
};

// Sweeps between stop-flag/clock checks: about 2,048 variable updates of one lane group.
int64_t check_every(const Problem& P) { return std::max<int64_t>(1, 2048 / std::max<int64_t>(1, P.n)); }

// One pass of a lane group through `betas`, one `step` (an sa sweep or a loihi step) per β: an sa
// anneal from fresh states (`fresh`: they count as found before the first sweep), or a loihi
// temperature cycle continuing from the current ones. Returns false when the run was stopped.
using GroupStep = void (*)(const AnnealCsr* p, LaneGroup* g, float beta);
bool run_schedule(Run& run, GroupUnit& u, Slot& slot, const std::vector<float>& betas, GroupStep step, bool fresh, uint64_t& att, uint64_t& sw) {
  const Problem& P = run.P;
  const AnnealCsr csr = P.csr();
  const int64_t every = check_every(P);
  run.anneals.fetch_add(static_cast<uint64_t>(u.active_count), std::memory_order_relaxed);
  if (fresh) u.note(slot, run);
  for (int64_t s = 0; s < static_cast<int64_t>(betas.size()); s++) {
    step(&csr, &u.g, betas[s]);
    att += static_cast<uint64_t>(u.active_count) * static_cast<uint64_t>(P.n);
    sw += static_cast<uint64_t>(u.active_count);
    if (!P.exact32 && (s & 63) == 63) u.rebuild();
    u.note(slot, run);
    if (run.stopped() || ((s + 1) % every == 0 && run.check(att, sw))) return false;
  }
  return true;
}

}  // namespace

void sa_thread(Run& run, std::vector<Slot>& slots, const std::vector<float>& betas, std::atomic<int64_t>& next_unit, int t, uint64_t& att, uint64_t& sw) {
  const Problem& P = run.P;
  const Options& O = run.O;
  const int64_t groups = lane_groups(O);
  GroupUnit u(P, false);
  for (;;) {
    const int64_t k = next_unit.fetch_add(1);
    if (!O.restarts && k >= groups) break;
    u.start(O.seed, k * L, O.replicas, k >= groups);
    const bool done = run_schedule(run, u, slots[static_cast<size_t>(O.restarts ? t : k)], betas, O.kernels->sa_sweep, true, att, sw);
    u.record_finals(run, k, done);
    if (!done) break;
    if (run.stopped() || (O.restarts && run.check(att, sw))) break;
  }
}

void loihi_thread(Run& run, std::vector<Slot>& slots, const std::vector<float>& betas, int t, int nt, uint64_t& att, uint64_t& sw) {
  const Problem& P = run.P;
  const Options& O = run.O;
  const int64_t groups = lane_groups(O);
  std::vector<std::unique_ptr<GroupUnit>> mine;
  std::vector<int64_t> ids;
  for (int64_t k = t; k < groups; k += nt) {
    mine.push_back(std::make_unique<GroupUnit>(P, true));
    mine.back()->start(O.seed, k * L, O.replicas, false);
    ids.push_back(k);
    mine.back()->note(slots[static_cast<size_t>(k)], run);
  }
  bool go = !mine.empty();
  while (go) {
    for (size_t m = 0; m < mine.size() && go; m++) {
      go = run_schedule(run, *mine[m], slots[static_cast<size_t>(ids[m])], betas, O.kernels->loihi_step, false, att, sw);
      mine[m]->record_finals(run, ids[m], go);
    }
    if (!O.restarts) break;
    if (go && run.check(att, sw)) go = false;
  }
}

}  // namespace kiln::anneal
