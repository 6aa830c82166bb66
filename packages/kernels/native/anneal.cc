// Kiln's native QUBO annealer: argument checks, the three modes' drivers (threads, schedules,
// restarts, best-state tracking, clock, stop flag, trace, live progress) and the N-API bindings
// annealQubo (AsyncWorker on the libuv pool → Promise) and annealQuboSync. The inner loops are in
// anneal-kernels.cc (one build per SIMD level); see anneal.h and src/anneal.ts.
#include <napi.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "anneal.h"

namespace {

using kiln::AnnealCsr;
using kiln::LaneGroup;
using kiln::TabuState;
constexpr int L = kiln::kAnnealLanes;
using Clock = std::chrono::steady_clock;

enum Mode : int { kSa = 0, kLoihi = 1, kTabu = 2 };
const char* const kModeNames[] = {"sa", "loihi", "tabu"};
enum Stop : int { kNotStopped = 0, kTarget = 1, kFlag = 2, kTime = 3 };
const char* const kStopNames[] = {"done", "target", "stop", "time"};
constexpr size_t kTraceMax = 1000;  // trace points kept; thinned to half when exceeded
constexpr int kLiveLen = 4;         // [bestEnergy, flipAttempts, elapsedMs, sweeps]

// ---------------------------------------------------------------------------------------------
// Seeding: splitmix64 streams per (seed, replica).

uint64_t splitmix64(uint64_t& z) {
  uint64_t x = (z += 0x9e3779b97f4a7c15ull);
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}
uint64_t stream_seed(uint64_t seed, uint64_t stream) {
  uint64_t z = stream * 0xd1b54a32d192ed03ull + 0x632be59bd9b4e019ull;
  const uint64_t a = splitmix64(z);
  uint64_t y = seed ^ a;
  return splitmix64(y);
}
void seed_xoshiro(uint64_t seed, uint32_t* s, int stride) {
  uint64_t z = seed;
  const uint64_t a = splitmix64(z), b = splitmix64(z);
  s[0] = static_cast<uint32_t>(a);
  s[stride] = static_cast<uint32_t>(a >> 32);
  s[2 * stride] = static_cast<uint32_t>(b);
  s[3 * stride] = static_cast<uint32_t>(b >> 32);
  if ((s[0] | s[stride] | s[2 * stride] | s[3 * stride]) == 0) s[0] = 1;
}
uint32_t xoshiro_next(uint32_t* s, int stride) {
  uint32_t& s0 = s[0];
  uint32_t& s1 = s[stride];
  uint32_t& s2 = s[2 * stride];
  uint32_t& s3 = s[3 * stride];
  const uint32_t r = s0 + s3;
  const uint32_t t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = (s3 << 11) | (s3 >> 21);
  return r;
}

// 64-byte aligned, zeroed scratch.
struct AlignedFree {
  void operator()(void* p) const { std::free(p); }
};
template <typename T>
std::unique_ptr<T[], AlignedFree> aligned_zeros(size_t count) {
  const size_t bytes = std::max<size_t>(64, (count * sizeof(T) + 63) / 64 * 64);
  void* p = std::aligned_alloc(64, bytes);
  if (!p) throw std::bad_alloc();
  std::memset(p, 0, bytes);
  return std::unique_ptr<T[], AlignedFree>(static_cast<T*>(p));
}

// ---------------------------------------------------------------------------------------------
// The problem (a validated private copy) and the options.

struct Problem {
  int32_t n = 0, n_pad = 0;
  std::vector<int32_t> row_ptr, col;
  std::vector<double> val, h;
  std::vector<float> valf;
  double offset = 0;
  bool exact32 = false;  // integer weights with small row sums: float32 fields are exact
  double max_field = 0;  // max_i |h_i| + Σ_j |J_ij|

  AnnealCsr csr() const { return AnnealCsr{n, n_pad, row_ptr.data(), col.data(), val.data(), valf.data()}; }

  double energy(const uint8_t* x) const {
    double e = offset;
    for (int32_t i = 0; i < n; i++) {
      if (!x[i]) continue;
      e += h[i];
      for (int32_t k = row_ptr[i]; k < row_ptr[i + 1]; k++)
        if (col[k] > i && x[col[k]]) e += val[k];
    }
    return e;
  }
};

struct Options {
  int mode = kSa;
  uint64_t seed = 0;
  int64_t replicas = 0;
  int64_t sweeps = 0;
  double beta_start = 0, beta_end = 0;
  bool geometric = true;
  double time_limit_ms = INFINITY;
  bool restarts = false;
  double target = -INFINITY;
  int threads = 1;
  int32_t* stop = nullptr;
  double* live = nullptr;
  const kiln::AnnealKernels* kernels = nullptr;
};

struct Output {
  std::vector<uint8_t> state;
  double energy = 0, time_to_best_ms = 0, elapsed_ms = 0;
  double flip_attempts = 0, sweeps = 0, anneals = 0;
  std::vector<double> trace;  // (ms, energy) pairs
  bool reached_target = false;
  int stopped_by = kNotStopped;
  int threads = 1;
};

const kiln::AnnealKernels* kernels_for(const std::string& want) {
#if defined(__x86_64__) || defined(__i386__)
  static const bool avx512 = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512dq");
  }();
#else
  static const bool avx512 = false;
#endif
  std::string level = want;
  if (level.empty() || level == "auto") {
    const char* env = getenv("KILN_SIMD");
    level = env && (std::string(env) == "generic" || std::string(env) == "avx2") ? "generic" : "avx512";
  }
  return level == "avx512" && avx512 ? kiln_anneal_avx512() : kiln_anneal_generic();
}

// ---------------------------------------------------------------------------------------------
// What the threads share: the clock, stop reason, global best, trace, counters, live buffer.

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
    if (O.stop && __atomic_load_n(O.stop, __ATOMIC_ACQUIRE) != 0) set_stop(kFlag);
    else if (now >= O.time_limit_ms) set_stop(kTime);
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

// β of step s of a schedule with `count` steps (the JS betaSchedule's formula).
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

// ---------------------------------------------------------------------------------------------
// 'sa' and 'loihi': 16 replicas per lane group.

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

// ---------------------------------------------------------------------------------------------
// 'tabu': one search per replica.

struct TabuUnit {
  const Problem& P;
  std::unique_ptr<uint8_t[], AlignedFree> x, best_x;
  std::unique_ptr<double[], AlignedFree> sigma, delta;
  std::unique_ptr<int64_t[], AlignedFree> tabu_until;
  std::unique_ptr<int32_t[], AlignedFree> ties;
  std::vector<double> f;
  TabuState t{};
  int64_t episodes = 0;
  double reported = INFINITY;

  TabuUnit(const Problem& p, uint64_t seed, int64_t replica, int64_t stall) : P(p), f(static_cast<size_t>(p.n)) {
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
    // Tenure: D-Wave's min(20, n/4) for small problems, n/20 above n = 400 (G-set, n 800-1000:
    // 40-50 reached the best-known cuts more often than 20; bench/anneal-kernel.mts), plus up to half again at random.
    t.tenure = static_cast<int32_t>(std::min<int64_t>(p.n / 4, std::max<int64_t>(20, p.n / 20)));
    t.tenure_rand = t.tenure / 2;
    seed_xoshiro(stream_seed(seed, static_cast<uint64_t>(replica)), t.rng, 1);
    for (int32_t i = 0; i < p.n; i += 32) {
      const uint32_t bits = xoshiro_next(t.rng, 1);
      for (int b = 0; b < 32 && i + b < p.n; b++) x[i + b] = static_cast<uint8_t>((bits >> b) & 1u);
    }
    rebuild();
    t.best_e = t.e;
    std::memcpy(best_x.get(), x.get(), n);
  }
  // ΔE and energy from scratch for the current x; starts an episode.
  void rebuild() {
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
  // Next episode: restart from this search's best with random flips of about n/8 variables
  // (every 8th episode: from a fresh random state).
  void perturb() {
    const int32_t n = P.n;
    episodes++;
    if (episodes % 8 == 0) {
      for (int32_t i = 0; i < n; i += 32) {
        const uint32_t bits = xoshiro_next(t.rng, 1);
        for (int b = 0; b < 32 && i + b < n; b++) x[i + b] = static_cast<uint8_t>((bits >> b) & 1u);
      }
    } else {
      std::memcpy(x.get(), best_x.get(), static_cast<size_t>(n));
      const int32_t lo = std::max<int32_t>(1, n / 16), hi = std::max<int32_t>(lo, n / 8);
      const int32_t count = lo + static_cast<int32_t>(xoshiro_next(t.rng, 1) % static_cast<uint32_t>(hi - lo + 1));
      for (int32_t c = 0; c < count; c++) x[(static_cast<uint64_t>(xoshiro_next(t.rng, 1)) * static_cast<uint64_t>(n)) >> 32] ^= 1;
    }
    rebuild();
  }
};

// Tabu iterations between checks: about 16k candidate evaluations.
int64_t tabu_chunk(const Problem& P) { return std::max<int64_t>(8, 16384 / std::max<int64_t>(1, P.n)); }

// One episode of a tabu search (until it stalls); returns false when the run was stopped.
bool tabu_episode(Run& run, TabuUnit& u, Slot& slot, uint64_t& att, uint64_t& sw) {
  const Problem& P = run.P;
  const AnnealCsr csr = P.csr();
  const int64_t chunk = tabu_chunk(P);
  run.anneals.fetch_add(1, std::memory_order_relaxed);
  auto report = [&] {
    if (u.t.best_e < slot.best_est) {
      slot.best_est = u.t.best_e;
      std::memcpy(slot.best_x.data(), u.best_x.get(), static_cast<size_t>(P.n));
      run.improved(slot.best_est, slot.best_x.data());
    }
  };
  report();
  while (u.t.since < u.t.stall) {
    const int64_t done = run.O.kernels->tabu_run(&csr, &u.t, chunk);
    att += static_cast<uint64_t>(done) * static_cast<uint64_t>(P.n);
    sw += static_cast<uint64_t>(done);
    if (u.t.improved) {
      u.t.improved = 0;
      report();
    }
    if (run.stopped() || run.check(att, sw)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// The run.

void run_anneal(const Problem& P, const Options& O, Output& out, Clock::time_point t0) {
  Run run(P, O, t0);
  const int64_t groups = (O.replicas + L - 1) / L;
  const int64_t units = O.mode == kTabu ? O.replicas : groups;
  // Restarting 'sa' makes new lane groups forever: every thread is useful.
  const int threads = static_cast<int>(O.mode == kSa && O.restarts ? O.threads : std::min<int64_t>(O.threads, units));
  // Slots: one per unit (the merge is then independent of timing and thread count), or one per
  // thread for restarting 'sa'.
  const bool per_thread = O.mode == kSa && O.restarts;
  std::vector<Slot> slots(static_cast<size_t>(per_thread ? threads : units));
  for (Slot& s : slots) s.best_x.assign(static_cast<size_t>(P.n), 0);
  std::vector<float> betas;
  if (O.mode != kTabu) betas = beta_schedule(O);
  std::atomic<int64_t> next_unit{0};

#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num();
    const int nt = omp_get_num_threads();
    uint64_t att = 0, sw = 0;
    try {
      if (O.mode == kSa) {
        GroupUnit u(P, false);
        for (;;) {
          const int64_t k = next_unit.fetch_add(1);
          if (!O.restarts && k >= groups) break;
          u.start(O.seed, k * L, O.replicas, k >= groups);
          if (!run_schedule(run, u, slots[static_cast<size_t>(per_thread ? t : k)], betas, run.O.kernels->sa_sweep, true, att, sw)) break;
          if (run.stopped() || (O.restarts && run.check(att, sw))) break;
        }
      } else if (O.mode == kLoihi) {
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
          for (size_t m = 0; m < mine.size() && go; m++) go = run_schedule(run, *mine[m], slots[static_cast<size_t>(ids[m])], betas, run.O.kernels->loihi_step, false, att, sw);
          if (!O.restarts) break;
          if (go && run.check(att, sw)) go = false;
        }
      } else {
        std::vector<std::unique_ptr<TabuUnit>> mine;
        std::vector<int64_t> ids;
        for (int64_t k = t; k < units; k += nt) {
          mine.push_back(std::make_unique<TabuUnit>(P, O.seed, k, O.sweeps));
          ids.push_back(k);
        }
        bool go = !mine.empty();
        bool first = true;
        while (go) {
          for (size_t m = 0; m < mine.size() && go; m++) {
            if (!first) mine[m]->perturb();
            go = tabu_episode(run, *mine[m], slots[static_cast<size_t>(ids[m])], att, sw);
          }
          first = false;
          if (!O.restarts) break;
          if (go && run.check(att, sw)) go = false;
        }
      }
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

// ---------------------------------------------------------------------------------------------
// Arguments.

struct Parse {
  Napi::Env env;
  [[noreturn]] void type_error(const std::string& msg) const { throw Napi::TypeError::New(env, "annealQubo: " + msg); }
  [[noreturn]] void range_error(const std::string& msg) const { throw Napi::RangeError::New(env, "annealQubo: " + msg); }

  static std::string num(double v) {
    char buf[64];
    snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
  }
  double number(const Napi::Value& v, const char* name) const {
    if (!v.IsNumber()) type_error(std::string(name) + " must be a number");
    return v.As<Napi::Number>().DoubleValue();
  }
  int64_t integer(const Napi::Value& v, const char* name, int64_t lo, int64_t hi) const {
    const double d = number(v, name);
    if (!(d >= static_cast<double>(lo) && d <= static_cast<double>(hi)) || d != std::floor(d))
      range_error(std::string(name) + " must be an integer in " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " + num(d));
    return static_cast<int64_t>(d);
  }
  template <typename T>
  T typed(const Napi::Value& v, napi_typedarray_type type, const char* name, const char* type_name) const {
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type) type_error(std::string(name) + " must be " + type_name);
    return v.As<T>();
  }
  std::string choice(const Napi::Value& v, const char* name, std::initializer_list<const char*> allowed, const char* fallback) const {
    if (v.IsUndefined()) return fallback;
    std::string s = v.IsString() ? v.As<Napi::String>().Utf8Value() : "";
    for (const char* a : allowed)
      if (s == a) return s;
    std::string list;
    for (const char* a : allowed) list += std::string(list.empty() ? "'" : ", '") + a + "'";
    type_error(std::string(name) + " must be one of " + list + (v.IsString() ? ", got '" + s + "'" : ""));
  }
};

void parse_problem(const Parse& a, const Napi::Value& pv, Problem& P) {
  if (!pv.IsObject()) a.type_error("problem must be an object { n, rowPtr, col, val, h, offset }");
  const Napi::Object po = pv.As<Napi::Object>();
  const int64_t n = a.integer(po.Get("n"), "n", 1, (int64_t(1) << 31) - 2);
  auto rp = a.typed<Napi::Int32Array>(po.Get("rowPtr"), napi_int32_array, "rowPtr", "an Int32Array");
  auto col = a.typed<Napi::Int32Array>(po.Get("col"), napi_int32_array, "col", "an Int32Array");
  auto val = a.typed<Napi::Float64Array>(po.Get("val"), napi_float64_array, "val", "a Float64Array");
  auto h = a.typed<Napi::Float64Array>(po.Get("h"), napi_float64_array, "h", "a Float64Array");
  const Napi::Value ov = po.Get("offset");
  const double offset = ov.IsUndefined() ? 0.0 : a.number(ov, "offset");
  if (!std::isfinite(offset)) a.range_error("offset must be finite, got " + Parse::num(offset));
  if (static_cast<int64_t>(rp.ElementLength()) != n + 1)
    a.range_error("rowPtr has " + std::to_string(rp.ElementLength()) + " elements, needs n + 1 = " + std::to_string(n + 1));
  if (static_cast<int64_t>(h.ElementLength()) != n) a.range_error("h has " + std::to_string(h.ElementLength()) + " elements, needs n = " + std::to_string(n));
  const int32_t* r = rp.Data();
  if (r[0] != 0) a.range_error("rowPtr[0] must be 0, got " + std::to_string(r[0]));
  for (int64_t i = 0; i < n; i++)
    if (r[i + 1] < r[i]) a.range_error("rowPtr must be non-decreasing (rowPtr[" + std::to_string(i + 1) + "] < rowPtr[" + std::to_string(i) + "])");
  const int64_t nnz = r[n];
  if (static_cast<int64_t>(col.ElementLength()) != nnz)
    a.range_error("col has " + std::to_string(col.ElementLength()) + " elements, rowPtr[n] says " + std::to_string(nnz));
  if (static_cast<int64_t>(val.ElementLength()) != nnz)
    a.range_error("val has " + std::to_string(val.ElementLength()) + " elements, rowPtr[n] says " + std::to_string(nnz));
  const int32_t* c = col.Data();
  const double* v = val.Data();
  const double* hd = h.Data();
  P.n = static_cast<int32_t>(n);
  P.n_pad = static_cast<int32_t>((n + 7) / 8 * 8);
  P.offset = offset;
  bool integral = true;
  double max_field = 0;
  for (int64_t i = 0; i < n; i++) {
    if (!std::isfinite(hd[i])) a.range_error("h[" + std::to_string(i) + "] = " + Parse::num(hd[i]) + " is not finite");
    double s = std::fabs(hd[i]);
    integral = integral && hd[i] == std::floor(hd[i]);
    for (int64_t k = r[i]; k < r[i + 1]; k++) {
      const int32_t j = c[k];
      if (j < 0 || j >= n) a.range_error("col[" + std::to_string(k) + "] = " + std::to_string(j) + " is outside 0.." + std::to_string(n - 1));
      if (j == i) a.range_error("row " + std::to_string(i) + " has a diagonal entry (diagonal terms belong in h)");
      if (k > r[i] && j <= c[k - 1]) a.range_error("row " + std::to_string(i) + ": columns must be strictly ascending");
      if (!std::isfinite(v[k])) a.range_error("val[" + std::to_string(k) + "] = " + Parse::num(v[k]) + " is not finite");
      s += std::fabs(v[k]);
      integral = integral && v[k] == std::floor(v[k]);
    }
    max_field = std::max(max_field, s);
  }
  // Symmetry in O(nnz): row j's entries above the diagonal are met in ascending order of the rows
  // below them that mirror them.
  std::vector<int32_t> next(static_cast<size_t>(n));
  for (int64_t j = 0; j < n; j++) {
    int32_t k = r[j];
    while (k < r[j + 1] && c[k] < j) k++;
    next[j] = k;
  }
  for (int64_t i = 0; i < n; i++) {
    for (int64_t k = r[i]; k < r[i + 1] && c[k] < i; k++) {
      const int32_t j = c[k];
      const int32_t m = next[j];
      if (m >= r[j + 1] || c[m] != i || v[m] != v[k])
        a.range_error("J is not symmetric: entry (" + std::to_string(i) + ", " + std::to_string(j) + ") = " + Parse::num(v[k]) + " has no equal (" +
                      std::to_string(j) + ", " + std::to_string(i) + ") entry");
      next[j] = m + 1;
    }
  }
  for (int64_t j = 0; j < n; j++)
    if (next[j] != r[j + 1])
      a.range_error("J is not symmetric: entry (" + std::to_string(j) + ", " + std::to_string(c[next[j]]) + ") has no mirror entry");
  P.row_ptr.assign(r, r + n + 1);
  P.col.assign(c, c + nnz);
  P.val.assign(v, v + nnz);
  P.h.assign(hd, hd + n);
  P.valf.resize(static_cast<size_t>(nnz));
  for (int64_t k = 0; k < nnz; k++) P.valf[k] = static_cast<float>(v[k]);
  P.max_field = max_field;
  P.exact32 = integral && max_field < 16777216.0;
}

struct Refs {
  Napi::ObjectReference stop, live;
};

void parse_options(const Parse& a, const Napi::Value& ov, Options& O, Refs& refs, std::string& mode_name, std::string& simd_name) {
  if (!ov.IsUndefined() && !ov.IsObject()) a.type_error("options must be an object");
  const Napi::Object o = ov.IsObject() ? ov.As<Napi::Object>() : Napi::Object::New(a.env);
  mode_name = a.choice(o.Get("mode"), "mode", {"sa", "loihi", "tabu"}, "sa");
  O.mode = mode_name == "sa" ? kSa : mode_name == "loihi" ? kLoihi : kTabu;
  const int max_threads = std::max(1, omp_get_max_threads());
  const Napi::Value tv = o.Get("threads");
  O.threads = tv.IsUndefined() ? max_threads : static_cast<int>(a.integer(tv, "threads", 1, 1024));
  const Napi::Value sv = o.Get("seed");
  if (!sv.IsUndefined()) {
    const double s = a.number(sv, "seed");
    if (!std::isfinite(s)) a.range_error("seed must be finite, got " + Parse::num(s));
    O.seed = static_cast<uint64_t>(static_cast<int64_t>(std::trunc(std::clamp(s, -9.2e18, 9.2e18))));
  }
  const Napi::Value rv = o.Get("replicas");
  O.replicas = rv.IsUndefined() ? (O.mode == kTabu ? O.threads : int64_t(L) * O.threads) : a.integer(rv, "replicas", 1, int64_t(1) << 20);
  const Napi::Value wv = o.Get("sweeps");
  O.sweeps = wv.IsUndefined() ? (O.mode == kTabu ? 0 : 1000) : a.integer(wv, "sweeps", 1, (int64_t(1) << 31) - 1);
  if (O.mode != kTabu) {
    O.beta_start = a.number(o.Get("betaStart"), "betaStart");
    O.beta_end = a.number(o.Get("betaEnd"), "betaEnd");
    if (!(O.beta_start > 0 && std::isfinite(O.beta_start))) a.range_error("betaStart must be a positive finite number, got " + Parse::num(O.beta_start));
    if (!(O.beta_end > 0 && std::isfinite(O.beta_end))) a.range_error("betaEnd must be a positive finite number, got " + Parse::num(O.beta_end));
  }
  O.geometric = a.choice(o.Get("schedule"), "schedule", {"geometric", "linear"}, "geometric") == "geometric";
  const Napi::Value lv = o.Get("timeLimitMs");
  if (!lv.IsUndefined()) {
    O.time_limit_ms = a.number(lv, "timeLimitMs");
    if (!(O.time_limit_ms > 0)) a.range_error("timeLimitMs must be > 0, got " + Parse::num(O.time_limit_ms));
  }
  const Napi::Value xv = o.Get("restarts");
  if (!xv.IsUndefined()) {
    if (!xv.IsBoolean()) a.type_error("restarts must be a boolean");
    O.restarts = xv.As<Napi::Boolean>().Value();
  }
  if (O.restarts && !std::isfinite(O.time_limit_ms)) a.range_error("restarts needs a finite timeLimitMs");
  const Napi::Value gv = o.Get("target");
  if (!gv.IsUndefined() && !gv.IsNull()) {
    O.target = a.number(gv, "target");
    if (std::isnan(O.target)) a.range_error("target must not be NaN");
  }
  const Napi::Value fv = o.Get("stop");
  if (!fv.IsUndefined() && !fv.IsNull()) {
    auto s = a.typed<Napi::Int32Array>(fv, napi_int32_array, "stop", "an Int32Array");
    if (s.ElementLength() < 1) a.range_error("stop must have at least 1 element");
    O.stop = s.Data();
    refs.stop = Napi::Persistent(fv.As<Napi::Object>());
  }
  const Napi::Value pv = o.Get("live");
  if (!pv.IsUndefined() && !pv.IsNull()) {
    auto s = a.typed<Napi::Float64Array>(pv, napi_float64_array, "live", "a Float64Array");
    if (s.ElementLength() < static_cast<size_t>(kLiveLen)) a.range_error("live must have at least " + std::to_string(kLiveLen) + " elements");
    O.live = s.Data();
    refs.live = Napi::Persistent(pv.As<Napi::Object>());
  }
  simd_name = a.choice(o.Get("simd"), "simd", {"auto", "avx512", "generic"}, "auto");
  O.kernels = kernels_for(simd_name);
}

// Tabu's default stall: iterations without improvement before an episode ends.
int64_t default_tabu_stall(const Problem& P) { return std::max<int64_t>(2000, 20 * static_cast<int64_t>(P.n)); }

struct Job {
  Problem P;
  Options O;
  Refs refs;
  std::string mode, simd;
  Output out;
};

std::unique_ptr<Job> parse_job(const Napi::CallbackInfo& info) {
  Parse a{info.Env()};
  if (info.Length() < 1) a.type_error("expected (problem, options)");
  auto job = std::make_unique<Job>();
  parse_problem(a, info[0], job->P);
  parse_options(a, info.Length() > 1 ? info[1] : info.Env().Undefined(), job->O, job->refs, job->mode, job->simd);
  if (job->O.mode == kTabu && job->O.sweeps == 0) job->O.sweeps = default_tabu_stall(job->P);
  return job;
}

Napi::Object result_object(Napi::Env env, const Job& job) {
  const Output& o = job.out;
  Napi::Object r = Napi::Object::New(env);
  Napi::Uint8Array state = Napi::Uint8Array::New(env, o.state.size());
  if (!o.state.empty()) std::memcpy(state.Data(), o.state.data(), o.state.size());
  Napi::Float64Array trace = Napi::Float64Array::New(env, o.trace.size());
  if (!o.trace.empty()) std::memcpy(trace.Data(), o.trace.data(), o.trace.size() * sizeof(double));
  r.Set("state", state);
  r.Set("energy", o.energy);
  r.Set("timeToBestMs", o.time_to_best_ms);
  r.Set("elapsedMs", o.elapsed_ms);
  r.Set("flipAttempts", o.flip_attempts);
  r.Set("sweeps", o.sweeps);
  r.Set("anneals", o.anneals);
  r.Set("trace", trace);
  r.Set("mode", job.mode);
  r.Set("reachedTarget", o.reached_target);
  r.Set("stoppedBy", kStopNames[o.stopped_by]);
  r.Set("threads", o.threads);
  r.Set("replicas", static_cast<double>(job.O.replicas));
  r.Set("sweepsPerAnneal", static_cast<double>(job.O.sweeps));
  r.Set("simd", job.O.kernels->name);
  return r;
}

class AnnealWorker : public Napi::AsyncWorker {
 public:
  AnnealWorker(Napi::Env env, std::unique_ptr<Job> job, Clock::time_point t0)
      : Napi::AsyncWorker(env, "kilnAnnealQubo"), deferred_(Napi::Promise::Deferred::New(env)), job_(std::move(job)), t0_(t0) {}
  Napi::Promise promise() const { return deferred_.Promise(); }
  void Execute() override {
    try {
      run_anneal(job_->P, job_->O, job_->out, t0_);
    } catch (const std::exception& e) {
      SetError(std::string("annealQubo: ") + e.what());
    }
  }
  void OnOK() override { deferred_.Resolve(result_object(Env(), *job_)); }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::unique_ptr<Job> job_;
  Clock::time_point t0_;
};

Napi::Value AnnealQubo(const Napi::CallbackInfo& info) {
  const Clock::time_point t0 = Clock::now();
  auto* worker = new AnnealWorker(info.Env(), parse_job(info), t0);
  Napi::Promise p = worker->promise();
  worker->Queue();
  return p;
}

Napi::Value AnnealQuboSync(const Napi::CallbackInfo& info) {
  const Clock::time_point t0 = Clock::now();
  auto job = parse_job(info);
  try {
    run_anneal(job->P, job->O, job->out, t0);
  } catch (const std::exception& e) {
    throw Napi::Error::New(info.Env(), std::string("annealQubo: ") + e.what());
  }
  return result_object(info.Env(), *job);
}

}  // namespace

void kiln_anneal_register(Napi::Env env, Napi::Object exports) {
  exports.Set("annealQubo", Napi::Function::New(env, AnnealQubo, "annealQubo"));
  exports.Set("annealQuboSync", Napi::Function::New(env, AnnealQuboSync, "annealQuboSync"));
}
