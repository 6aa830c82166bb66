// 'memetic': a tabu-search hybrid evolutionary algorithm in the manner of TSHEA (Wu & Hao's memetic
// Max-Cut search; Wu, Wang & Lü 2015). Each OpenMP thread keeps its own population (Pool) of
// tabu-improved local optima; a generation takes two parents, builds a child that keeps their shared
// assignments and draws the rest at random (crossover), improves it by tabu search (TabuSearch, tabu.h, through
// the inner loops' tabu_run), and lets it replace the population member with the worst goodness
// score, a mix of quality and distance to the rest of the population (Pool::update). When the
// population's best has not improved for kStagnationPerMember generations per member, all members
// but the best are replaced by new tabu-improved random states.
//
// The tabu stall (Options::sweeps) is the depth of each improvement; its default (napi.cc,
// default_memetic_stall) is 2n, about what measured best on G-set (1,500 at n = 800; see
// kStagnationPerMember); tabu's 20n is far too deep for a child.
#include "memetic.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <memory>

#include "aligned.h"
#include "rng.h"
#include "tabu.h"

namespace kiln::anneal {

namespace {

// Random streams of thread t: 2t + kStreams for its population's choices, 2t + 1 + kStreams for its
// tabu search (ties, tenure). Far from tabu's per-replica streams 0, 1, 2, ...
constexpr uint64_t kStreams = 0x6d656d6574696300ull;
// Goodness score: weight of quality against distance (Lü, Glover & Hao's pool update uses 0.6).
constexpr double kQualityWeight = 0.6;
// Without restarts a thread runs this many generations per population member, then stops.
constexpr int64_t kGenerationsPerMember = 20;
// After this many generations per member without a better population best, every member but the
// best is replaced by a new tabu-improved random state (G14/G15, stall 1500, 4 s runs: without it
// 0/12 reached the best-known cut; after 3, 10, 30 generations per member: 1/12, 6/12, 6/12).
constexpr int64_t kStagnationPerMember = 10;

// Whether every state x has the energy of its complement 1 − x (up to a constant): then x and 1 − x
// are one solution (a cut and its mirror image in Max-Cut), and crossover and distances compare a
// state with the nearer of the other and its complement. Holds when h_i = −½ Σ_j J_ij for every i.
bool complement_symmetric(const Problem& P) {
  const double tol = 1e-9 * std::max(1.0, P.max_field);
  for (int32_t i = 0; i < P.n; i++) {
    double s = 0;
    for (int32_t k = P.row_ptr[i]; k < P.row_ptr[i + 1]; k++) s += P.val[k];
    if (std::fabs(P.h[i] + 0.5 * s) > tol) return false;
  }
  return true;
}

// Variables where a and b differ.
int32_t hamming(const uint8_t* a, const uint8_t* b, int32_t n) {
  int32_t d = 0;
  for (int32_t i = 0; i < n; i++) d += a[i] != b[i];
  return d;
}

// One thread's population: states (n bytes each), their exact energies, and the distances between
// them (Hamming, or to the nearer of the other and its complement when the problem is symmetric).
struct Pool {
  int32_t n;
  int size;
  bool symmetric;
  int filled = 0;
  std::vector<uint8_t> xs;
  std::vector<double> e;
  std::vector<int32_t> dist;        // size × size
  std::vector<int32_t> child_dist;  // scratch: the child's distance to each member
  std::vector<double> score;        // scratch: goodness of each member and the child

  Pool(int32_t n_, int size_, bool sym)
      : n(n_),
        size(size_),
        symmetric(sym),
        xs(static_cast<size_t>(n_) * static_cast<size_t>(size_)),
        e(static_cast<size_t>(size_), INFINITY),
        dist(static_cast<size_t>(size_) * static_cast<size_t>(size_), 0),
        child_dist(static_cast<size_t>(size_)),
        score(static_cast<size_t>(size_) + 1) {}

  uint8_t* member(int k) { return xs.data() + static_cast<size_t>(k) * static_cast<size_t>(n); }
  int32_t distance(const uint8_t* a, const uint8_t* b) const {
    const int32_t d = hamming(a, b, n);
    return symmetric ? std::min(d, n - d) : d;
  }
  int best() const { return static_cast<int>(std::min_element(e.begin(), e.begin() + filled) - e.begin()); }

  // Puts x (energy ex) in place k and updates the distances.
  void put(int k, const uint8_t* x, double ex) {
    std::memcpy(member(k), x, static_cast<size_t>(n));
    e[static_cast<size_t>(k)] = ex;
    for (int j = 0; j < filled; j++) {
      const int32_t d = j == k ? 0 : distance(member(j), member(k));
      dist[static_cast<size_t>(j) * size + k] = d;
      dist[static_cast<size_t>(k) * size + j] = d;
    }
  }
  // Whether x equals a member other than `skip` (or its complement, with a symmetric problem).
  bool duplicate(const uint8_t* x, int skip = -1) const {
    for (int k = 0; k < filled; k++)
      if (k != skip && distance(xs.data() + static_cast<size_t>(k) * static_cast<size_t>(n), x) == 0) return true;
    return false;
  }
  void add(const uint8_t* x, double ex) {
    filled++;
    put(filled - 1, x, ex);
  }

  // Child of a and b: their shared assignments kept, every other variable drawn at random. With a
  // symmetric problem b is first replaced by its complement when that is nearer to a.
  void crossover(int a, int b, uint8_t* child, uint32_t* rng) {
    const uint8_t* pa = member(a);
    const uint8_t* pb = member(b);
    const uint8_t flip = symmetric && 2 * hamming(pa, pb, n) > n ? 1 : 0;
    for (int32_t i = 0; i < n; i += 32) {
      const uint32_t bits = xoshiro_next(rng, 1);
      for (int q = 0; q < 32 && i + q < n; q++) {
        const uint8_t va = pa[i + q], vb = pb[i + q] ^ flip;
        child[i + q] = va == vb ? va : static_cast<uint8_t>((bits >> q) & 1u);
      }
    }
  }

  // Pool update: the child (energy ec) joins unless it duplicates a member; then the member or
  // child with the lowest goodness score (kQualityWeight × normalised quality + the rest ×
  // normalised distance to its nearest neighbour in the pool) leaves. The best member never leaves.
  // Returns whether the child stayed.
  bool update(const uint8_t* child, double ec) {
    for (int k = 0; k < size; k++) {
      child_dist[static_cast<size_t>(k)] = distance(member(k), child);
      if (child_dist[static_cast<size_t>(k)] == 0) return false;
    }
    double emin = ec, emax = ec;
    for (int k = 0; k < size; k++) {
      emin = std::min(emin, e[static_cast<size_t>(k)]);
      emax = std::max(emax, e[static_cast<size_t>(k)]);
    }
    // Nearest-neighbour distance of each member (the child counted) and of the child.
    std::vector<int32_t>& cd = child_dist;
    int32_t dmin = INT32_MAX, dmax = 0;
    auto near = [&](int k) {
      int32_t d = k == size ? INT32_MAX : cd[static_cast<size_t>(k)];
      for (int j = 0; j < size; j++) {
        if (j == k) continue;
        d = std::min(d, k == size ? cd[static_cast<size_t>(j)] : dist[static_cast<size_t>(k) * size + j]);
      }
      return d;
    };
    for (int k = 0; k <= size; k++) {
      const int32_t d = near(k);
      score[static_cast<size_t>(k)] = d;
      dmin = std::min(dmin, d);
      dmax = std::max(dmax, d);
    }
    const int keep = best();
    int worst = -1;
    double worst_score = INFINITY;
    for (int k = 0; k <= size; k++) {
      const double ek = k == size ? ec : e[static_cast<size_t>(k)];
      const double q = emax > emin ? (emax - ek) / (emax - emin) : 1.0;
      const double d = dmax > dmin ? (score[static_cast<size_t>(k)] - dmin) / static_cast<double>(dmax - dmin) : 1.0;
      const double s = kQualityWeight * q + (1 - kQualityWeight) * d;
      if (k != keep && s < worst_score) {
        worst_score = s;
        worst = k;
      }
    }
    if (worst == size) return false;
    put(worst, child, ec);
    return true;
  }
};

}  // namespace

void memetic_thread(Run& run, std::vector<Slot>& slots, int t, int nt, uint64_t& att, uint64_t& sw) {
  const Problem& P = run.P;
  const Options& O = run.O;
  const int32_t n = P.n;
  // This thread's share of the replicas, and the global index of its first one.
  const int64_t share = O.replicas / nt + (t < O.replicas % nt ? 1 : 0);
  const int64_t first = static_cast<int64_t>(t) * (O.replicas / nt) + std::min<int64_t>(t, O.replicas % nt);
  const int size = static_cast<int>(std::max<int64_t>(2, share));
  Slot& slot = slots[static_cast<size_t>(t)];

  uint32_t rng[4];
  seed_xoshiro(stream_seed(O.seed, kStreams + 2 * static_cast<uint64_t>(t)), rng, 1);
  // The tabu search that improves one state at a time (tabu.h, as 'tabu' runs it, tenure included).
  TabuSearch imp(P, stream_seed(O.seed, kStreams + 2 * static_cast<uint64_t>(t) + 1), O.sweeps, O.target);
  Pool pool(n, size, complement_symmetric(P));
  std::vector<uint8_t> child(static_cast<size_t>(n));

  // The initial population: random states, each improved by tabu search. A member cut short by a
  // stop still joins (its best so far), so the population never holds unset states.
  bool go = true;
  for (int k = 0; k < size && go; k++) {
    // A start that ends on a member already there (or its complement) is tried again, up to 3 times.
    for (int attempt = 0; attempt < 4 && go; attempt++) {
      random_state(rng, child.data(), n);
      imp.start(child.data());
      go = imp.run_until_stall(run, slot, att, sw);
      if (!pool.duplicate(imp.best_x.get())) break;
    }
    pool.add(imp.best_x.get(), P.energy(imp.best_x.get()));
  }
  // Generations: until the run stops with restarts, else kGenerationsPerMember per member.
  const int64_t generations = O.restarts ? INT64_MAX : kGenerationsPerMember * size;
  const int64_t stagnation = kStagnationPerMember * size;
  double pool_best = pool.e[static_cast<size_t>(pool.best())];
  int64_t since_best = 0;
  for (int64_t g = 0; g < generations && go; g++) {
    if (since_best >= stagnation) {
      // The population has converged: every member but the best is replaced by a fresh
      // tabu-improved random state (retried, as above, when it duplicates a member).
      const int keep = pool.best();
      for (int k = 0; k < size && go; k++) {
        if (k == keep) continue;
        for (int attempt = 0; attempt < 4 && go; attempt++) {
          random_state(rng, child.data(), n);
          imp.start(child.data());
          go = imp.run_until_stall(run, slot, att, sw);
          if (!pool.duplicate(imp.best_x.get(), k)) break;
        }
        pool.put(k, imp.best_x.get(), P.energy(imp.best_x.get()));
      }
      since_best = 0;
      if (!go) break;
    }
    const int a = static_cast<int>((static_cast<uint64_t>(xoshiro_next(rng, 1)) * static_cast<uint64_t>(size)) >> 32);
    int b = static_cast<int>((static_cast<uint64_t>(xoshiro_next(rng, 1)) * static_cast<uint64_t>(size - 1)) >> 32);
    if (b >= a) b++;
    pool.crossover(a, b, child.data(), rng);
    imp.start(child.data());
    go = imp.run_until_stall(run, slot, att, sw);
    run.anneals.fetch_add(1, std::memory_order_relaxed);
    pool.update(imp.best_x.get(), P.energy(imp.best_x.get()));
    const double pb = pool.e[static_cast<size_t>(pool.best())];
    if (pb < pool_best) {
      pool_best = pb;
      since_best = 0;
    } else {
      since_best++;
    }
  }
  // Samples: the final population as replicas first, first + 1, … (a population raised to 2
  // members for a share of 1 records only its first).
  if (O.samples)
    for (int k = 0; k < pool.filled && k < share; k++) run.record_final(first + k, pool.member(k), true);
}

}  // namespace kiln::anneal
