// The N-API side of the annealer: argument checks (parse_problem validates and copies the CSR,
// parse_options reads every option and picks the SIMD build of the inner loops), the result object,
// and the bindings annealQubo (an AsyncWorker on the libuv pool → a Promise) and annealQuboSync,
// registered by kiln_anneal_register (declared in ../anneal.h, called by addon.cc). The TypeScript
// side is src/anneal.ts.
#include <napi.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "../anneal.h"
#include "job.h"
#include "memetic.h"
#include "multispin.h"
#include "tabu.h"

namespace kiln::anneal {
namespace {

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
    if (next[j] != r[j + 1]) a.range_error("J is not symmetric: entry (" + std::to_string(j) + ", " + std::to_string(c[next[j]]) + ") has no mirror entry");
  P.row_ptr.assign(r, r + n + 1);
  P.col.assign(c, c + nnz);
  P.val.assign(v, v + nnz);
  P.h.assign(hd, hd + n);
  P.valf.resize(static_cast<size_t>(nnz));
  for (int64_t k = 0; k < nnz; k++) P.valf[k] = static_cast<float>(v[k]);
  P.max_field = max_field;
  P.exact32 = integral && max_field < 16777216.0;
}

const kiln::AnnealKernels* kernels_for(const std::string& want) {
#if defined(__x86_64__) || defined(__i386__)
  static const bool avx512 = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
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

struct Refs {
  Napi::ObjectReference stop, live;
};

// Replicas when the caller gives none: one search per thread (tabu), a population per thread
// (memetic), one 512-bit word group per thread (multispin), one 16-lane group per thread (sa, loihi).
int64_t default_replicas(int mode, int threads) {
  if (mode == kTabu) return threads;
  if (mode == kMemetic) return int64_t(kMemeticPopulation) * threads;
  if (mode == kMultispin) return int64_t(kMultispinWidth) * threads;
  return int64_t(L) * threads;
}

// multispin takes only problems whose Ising couplings share one magnitude (multispin.h).
void check_multispin(const Problem& P, const Parse& a) {
  const std::string why = multispin_unfit(P);
  if (!why.empty()) a.range_error("mode 'multispin' " + why + "; use 'sa' or 'auto'");
}

void parse_options(const Parse& a, const Napi::Value& ov, Options& O, Refs& refs, std::string& mode_name, std::string& simd_name) {
  if (!ov.IsUndefined() && !ov.IsObject()) a.type_error("options must be an object");
  const Napi::Object o = ov.IsObject() ? ov.As<Napi::Object>() : Napi::Object::New(a.env);
  mode_name = a.choice(o.Get("mode"), "mode", {"sa", "loihi", "tabu", "multispin", "memetic"}, "sa");
  O.mode = static_cast<int>(std::find(std::begin(kModeNames), std::end(kModeNames), mode_name) - std::begin(kModeNames));
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
  O.replicas = rv.IsUndefined() ? default_replicas(O.mode, O.threads) : a.integer(rv, "replicas", 1, int64_t(1) << 20);
  const Napi::Value wv = o.Get("sweeps");
  O.sweeps = wv.IsUndefined() ? (scheduled(O.mode) ? 1000 : 0) : a.integer(wv, "sweeps", 1, (int64_t(1) << 31) - 1);
  if (scheduled(O.mode)) {
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
  const Napi::Value kv = o.Get("samples");
  if (!kv.IsUndefined()) {
    if (!kv.IsBoolean()) a.type_error("samples must be a boolean");
    O.samples = kv.As<Napi::Boolean>().Value();
  }
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
  if (!scheduled(job->O.mode) && job->O.sweeps == 0) job->O.sweeps = job->O.mode == kMemetic ? default_memetic_stall(job->P) : default_tabu_stall(job->P);
  if (job->O.mode == kMultispin) check_multispin(job->P, a);
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
  if (job.O.samples) {
    Napi::Uint8Array samples = Napi::Uint8Array::New(env, o.samples.size());
    if (!o.samples.empty()) std::memcpy(samples.Data(), o.samples.data(), o.samples.size());
    Napi::Float64Array energies = Napi::Float64Array::New(env, o.sample_energies.size());
    if (!o.sample_energies.empty()) std::memcpy(energies.Data(), o.sample_energies.data(), o.sample_energies.size() * sizeof(double));
    r.Set("samples", samples);
    r.Set("sampleEnergies", energies);
  }
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
}  // namespace kiln::anneal

void kiln_anneal_register(Napi::Env env, Napi::Object exports) {
  exports.Set("annealQubo", Napi::Function::New(env, kiln::anneal::AnnealQubo, "annealQubo"));
  exports.Set("annealQuboSync", Napi::Function::New(env, kiln::anneal::AnnealQuboSync, "annealQuboSync"));
}
