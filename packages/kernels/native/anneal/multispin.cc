// 'multispin': the problem in the bit-parallel form (MsProblem: the Ising couplings' one magnitude,
// the bonds' signs as masks, each variable's acceptance offsets A_i(±1) split into integer and
// fractional parts), the acceptance probabilities of a sweep's β, a word group of 512 replicas
// (MsGroup: random states, exact energies from the bit-sliced count of unsatisfied bonds, best
// replica tracking), and the per-thread work, which takes word groups like 'sa' takes lane groups.
// The sweeps themselves are the inner loops (kernels.cc's ms_sweep and ms_count).
#include "multispin.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include "aligned.h"
#include "rng.h"

namespace kiln::anneal {

namespace {

constexpr int kMaxFracs = 16;  // distinct fractional parts of A_i(s) (probability rows) a problem may have
constexpr int W = kMsWords;

struct MsProblem {
  int32_t n = 0, planes = 1, levels = 1;
  double c = 0;       // |J_ij| / 4
  double base = 0;    // E(x) = base + c·(2U − m) + Σ h'_i s_i
  int64_t bonds = 0;  // m
  int32_t count_planes = 1;
  std::vector<uint64_t> anti;
  std::vector<int32_t> t0, row;
  std::vector<uint8_t> symmetric;
  std::vector<double> deltas;    // the distinct δ = A − t0 + 1 ∈ (0, 1]: one probability row each
  std::vector<double> hs;        // Ising fields h'_i
  std::vector<int32_t> fielded;  // variables with h'_i ≠ 0
  std::string unfit;

  explicit MsProblem(const Problem& P) {
    n = P.n;
    const size_t nnz = P.col.size();
    if (nnz == 0) {
      unfit = "needs at least one coupling";
      return;
    }
    double mag = 0;
    for (size_t k = 0; k < nnz; k++) {
      const double v = std::fabs(P.val[k]);
      if (mag == 0) mag = v;
      if (v != mag) {
        unfit = "needs couplings of one magnitude (|J| takes " + std::to_string(mag) + " and " + std::to_string(v) + ")";
        return;
      }
    }
    c = mag / 4;
    int32_t maxdeg = 0;
    for (int32_t i = 0; i < n; i++) maxdeg = std::max(maxdeg, P.row_ptr[i + 1] - P.row_ptr[i]);
    anti.resize(nnz);
    for (size_t k = 0; k < nnz; k++) anti[k] = P.val[k] > 0 ? ~uint64_t{0} : 0;
    hs.resize(static_cast<size_t>(n));
    t0.resize(2 * static_cast<size_t>(n));
    std::vector<int32_t> which(2 * static_cast<size_t>(n));
    symmetric.resize(static_cast<size_t>(n));
    base = P.offset;
    int32_t max_t0 = 0;
    for (int32_t i = 0; i < n; i++) {
      double sumj = 0;
      for (int32_t k = P.row_ptr[i]; k < P.row_ptr[i + 1]; k++) sumj += P.val[k];
      hs[i] = P.h[i] / 2 + sumj / 4;
      base += P.h[i] / 2 + sumj / 8;  // Σ_{i<j} J_ij/4 = Σ_i Σ_j J_ij / 8
      if (hs[i] != 0) fielded.push_back(i);
      const int32_t d = P.row_ptr[i + 1] - P.row_ptr[i];
      for (int s = 0; s < 2; s++) {
        const size_t at = 2 * static_cast<size_t>(i) + static_cast<size_t>(s);
        // A rounded to a grid that merges float noise (A is a sum of halves and quotients of weights).
        const double A = std::round((d / 2.0 - (s ? 1.0 : -1.0) * hs[i] / (2 * c)) * 1e9) / 1e9;
        const double up = std::ceil(A);
        if (up > 60000) {
          unfit = "needs fields within the bit-sliced counters' range (variable " + std::to_string(i) + ")";
          return;
        }
        t0[at] = static_cast<int32_t>(std::max(up, 0.0));
        max_t0 = std::max(max_t0, t0[at]);
        const double delta = up > 0 ? A - up + 1 : 1;  // t0 = 0: every replica flips, no draws
        auto it = std::find(deltas.begin(), deltas.end(), delta);
        if (it == deltas.end()) {
          if (static_cast<int>(deltas.size()) >= kMaxFracs) {
            unfit = "needs fields with at most 16 distinct fractional parts of h'_i / 2c";
            return;
          }
          deltas.push_back(delta);
          it = deltas.end() - 1;
        }
        which[at] = static_cast<int32_t>(it - deltas.begin());
      }
      symmetric[i] =
          t0[2 * static_cast<size_t>(i)] == t0[2 * static_cast<size_t>(i) + 1] && which[2 * static_cast<size_t>(i)] == which[2 * static_cast<size_t>(i) + 1];
    }
    // Counters hold U ≤ max degree and compare with constants up to max t0.
    const int64_t top = std::max(maxdeg, max_t0);
    while (planes < kMsMaxPlanes && (int64_t{1} << planes) <= top) planes++;
    if ((int64_t{1} << planes) <= top) {
      unfit = "needs degrees below 65,536";
      return;
    }
    levels = max_t0 + 1;  // levels 0..max_t0 − 1, then a 0 entry
    row.resize(which.size());
    for (size_t k = 0; k < which.size(); k++) row[k] = which[k] * levels;
    bonds = static_cast<int64_t>(nnz / 2);
    while (count_planes < 40 && (int64_t{1} << count_planes) <= bonds) count_planes++;
  }

  MultispinCsr csr(const Problem& P) const {
    return MultispinCsr{n, planes, P.row_ptr.data(), P.col.data(), anti.data(), t0.data(), row.data(), symmetric.data()};
  }
  size_t table_size() const { return deltas.size() * static_cast<size_t>(levels); }

  // The acceptance probabilities at β: prob[r·levels + l] = ⌊2³²·e^{−4cβ(δ_r + l)}⌋, up to and
  // including the first 0 (the kernel stops there; the last entry of a row is always 0).
  void probabilities(double beta, uint32_t* prob) const {
    const double lambda = 4 * c * beta;
    for (size_t r = 0; r < deltas.size(); r++) {
      uint32_t* out = prob + r * static_cast<size_t>(levels);
      int32_t l = 0;
      for (; l + 1 < levels; l++) {
        const double v = std::exp(-lambda * (deltas[r] + l)) * 4294967296.0;
        out[l] = v >= 4294967295.0 ? 0xffffffffu : static_cast<uint32_t>(v);
        if (out[l] == 0) break;
      }
      if (l + 1 >= levels) out[levels - 1] = 0;
    }
  }
};

struct MsGroup {
  const Problem& P;
  const MsProblem& M;
  std::unique_ptr<uint64_t[], AlignedFree> x, rng, counts, scratch;
  std::vector<uint32_t> gray;
  std::vector<double> energy;  // per replica
  std::vector<uint8_t> lane_x;
  MultispinGroup g{};
  int active = kMultispinWidth;

  MsGroup(const Problem& p, const MsProblem& m) : P(p), M(m), energy(kMultispinWidth), lane_x(static_cast<size_t>(p.n)) {
    x = aligned_zeros<uint64_t>(static_cast<size_t>(p.n) * W);
    rng = aligned_zeros<uint64_t>(4 * W);
    counts = aligned_zeros<uint64_t>(static_cast<size_t>(m.count_planes) * W);
    // Acceptance classes of a variable: at most `levels` per spin value.
    scratch = aligned_zeros<uint64_t>(2 * static_cast<size_t>(m.levels) * W);
    gray.resize(2 * static_cast<size_t>(m.levels));
    g = MultispinGroup{x.get(), rng.get(), scratch.get(), gray.data()};
  }

  // Replicas first..first+511 (those ≥ replicas inactive unless `all`), random states.
  void start(uint64_t seed, int64_t first, int64_t replicas, bool all) {
    active = all ? kMultispinWidth : static_cast<int>(std::clamp<int64_t>(replicas - first, 0, kMultispinWidth));
    for (int w = 0; w < W; w++) {
      uint64_t z = stream_seed(seed, static_cast<uint64_t>(first / 64 + w));
      for (int q = 0; q < 4; q++) rng[q * W + w] = splitmix64(z);
      if ((rng[w] | rng[W + w] | rng[2 * W + w] | rng[3 * W + w]) == 0) rng[w] = 1;
      for (int32_t i = 0; i < P.n; i++) x[static_cast<size_t>(i) * W + w] = splitmix64(z);
    }
  }
  bool bit(int r, int32_t i) const { return (x[static_cast<size_t>(i) * W + r / 64] >> (r % 64)) & 1u; }
  void extract(int r, uint8_t* out) const {
    for (int32_t i = 0; i < P.n; i++) out[i] = bit(r, i) ? 1 : 0;
  }
  // Every active replica's energy: the bonds from the bit-sliced count, the fields per replica.
  void energies(const Options& O) {
    const MultispinCsr csr = M.csr(P);
    O.kernels->ms_count(&csr, &g, counts.get(), M.count_planes);
    for (int r = 0; r < active; r++) {
      int64_t u = 0;
      for (int k = 0; k < M.count_planes; k++) u |= static_cast<int64_t>((counts[static_cast<size_t>(k) * W + r / 64] >> (r % 64)) & 1u) << k;
      energy[r] = M.base + M.c * static_cast<double>(2 * u - M.bonds);
    }
    for (const int32_t i : M.fielded) {
      const double h = M.hs[i];
      const uint64_t* xi = x.get() + static_cast<size_t>(i) * W;
      for (int r = 0; r < active; r++) energy[r] += ((xi[r / 64] >> (r % 64)) & 1u) ? h : -h;
    }
  }
  // Records the lowest-energy active replica when it beats the slot's best.
  void note(Slot& slot, Run& run) {
    energies(run.O);
    int best = -1;
    double be = slot.best_est;
    for (int r = 0; r < active; r++) {
      if (energy[r] < be) {
        be = energy[r];
        best = r;
      }
    }
    if (best < 0) return;
    slot.best_est = be;
    extract(best, slot.best_x.data());
    run.improved(be, slot.best_x.data());
  }
  // With Options::samples: each active replica's state as its replica's final state; word group
  // k holds replicas k·512.. (restarted groups beyond the replicas wrap onto them).
  void record_finals(Run& run, int64_t k, bool complete) {
    if (!run.O.samples) return;
    const int64_t span = word_groups(run.O) * kMultispinWidth;
    for (int r = 0; r < active; r++) {
      const int64_t rep = (k * kMultispinWidth + r) % span;
      if (rep >= run.O.replicas) continue;
      extract(r, lane_x.data());
      run.record_final(rep, lane_x.data(), complete);
    }
  }
};

}  // namespace

std::string multispin_unfit(const Problem& P) { return MsProblem(P).unfit; }

void multispin_thread(Run& run, std::vector<Slot>& slots, const std::vector<float>& betas, std::atomic<int64_t>& next_unit, int t, uint64_t& att,
                      uint64_t& sw) {
  const Problem& P = run.P;
  const Options& O = run.O;
  const MsProblem M(P);
  if (!M.unfit.empty()) throw std::runtime_error("multispin " + M.unfit);
  const MultispinCsr csr = M.csr(P);
  const int64_t groups = word_groups(O);
  const int64_t sweeps = static_cast<int64_t>(betas.size());
  // Energies (and the best replica) every `every` sweeps of an anneal and at its end: the count
  // costs about as much as a few sweeps.
  const int64_t every = std::max<int64_t>(16, sweeps / 16);
  std::vector<uint32_t> prob(M.table_size());
  MsGroup u(P, M);
  for (;;) {
    const int64_t k = next_unit.fetch_add(1);
    if (!O.restarts && k >= groups) break;
    u.start(O.seed, k * kMultispinWidth, O.replicas, k >= groups);
    Slot& slot = slots[static_cast<size_t>(O.restarts ? t : k)];
    run.anneals.fetch_add(static_cast<uint64_t>(u.active), std::memory_order_relaxed);
    bool done = true;
    for (int64_t s = 0; s < sweeps; s++) {
      if (s == 0 || betas[static_cast<size_t>(s)] != betas[static_cast<size_t>(s - 1)]) M.probabilities(betas[static_cast<size_t>(s)], prob.data());
      O.kernels->ms_sweep(&csr, &u.g, prob.data());
      att += static_cast<uint64_t>(u.active) * static_cast<uint64_t>(P.n);
      sw += static_cast<uint64_t>(u.active);
      if ((s + 1) % every == 0 || s + 1 == sweeps) u.note(slot, run);
      if (run.stopped() || run.check(att, sw)) {
        done = false;
        break;
      }
    }
    u.record_finals(run, k, done);
    if (!done) break;
    if (run.stopped() || (O.restarts && run.check(att, sw))) break;
  }
}

}  // namespace kiln::anneal
