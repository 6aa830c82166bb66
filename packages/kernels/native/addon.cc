// Kiln's native addon: argument checks, run-time choice of SIMD level and BLAS, and the N-API
// bindings of packages/kernels/src/native-api.ts. The kernels themselves live in kernels/ (one
// build per SIMD level, behind the table of kiln.h), the QUBO annealer in anneal/ (see anneal.h).
#include <dlfcn.h>
#include <immintrin.h>
#include <napi.h>
#include <omp.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "anneal.h"
#include "kiln.h"

namespace {

constexpr const char* kVersion = "0.1.0";
constexpr int kRowMajor = 101, kNoTrans = 111, kTrans = 112;
using CblasSgemm = void (*)(int, int, int, int, int, int, float, const float*, int, const float*, int, float, float*, int);
using StrFn = char* (*)();
using IntFn = int (*)();

struct State {
  const kiln::KernelTable* table = nullptr;
  std::string best_simd;  // the best level this CPU supports
  void* blas_handle = nullptr;
  CblasSgemm blas_sgemm = nullptr;
  std::string blas_name;    // "openblas 0.3.21 SkylakeX openmp" once loaded
  std::string blas_reason;  // why no BLAS is in use
  bool blas_tried = false;
  bool blas_on = false;
};
State g;
std::once_flag g_init;
std::mutex g_blas_mutex;

const kiln::KernelTable* table_for(const std::string& level) {
  if (level == "avx512") return kiln_table_avx512();
  if (level == "avx2") return kiln_table_avx2();
  return kiln_table_generic();
}
int simd_rank(const std::string& level) { return level == "avx512" ? 2 : level == "avx2" ? 1 : level == "generic" ? 0 : -1; }

std::string detect_simd() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (avx2 && __builtin_cpu_supports("avx512f")) return "avx512";
  if (avx2) return "avx2";
#endif
  return "generic";
}

// dlopen OpenBLAS (no link-time dependency). Sets the core type first: Debian's build does not
// recognise recent CPUs and falls back to its slow SSE3 kernels otherwise.
void load_blas(const char* requested) {
  g.blas_tried = true;
  if (!getenv("OPENBLAS_CORETYPE")) {
    if (g.best_simd == "avx512") setenv("OPENBLAS_CORETYPE", "SkylakeX", 0);
    if (g.best_simd == "avx2") setenv("OPENBLAS_CORETYPE", "Haswell", 0);
  }
  std::vector<std::string> candidates;
  if (requested && *requested) {
    candidates.emplace_back(requested);
  } else {
    // The OpenMP build shares libgomp's thread pool with Kiln's own kernels; prefer it.
    candidates = {"/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0",
                  "libopenblas.so.0",
                  "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
                  "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
                  "/usr/lib64/libopenblas.so.0",
                  "libopenblas.so"};
  }
  std::string errors;
  for (const std::string& path : candidates) {
    void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      const char* e = dlerror();
      if (!errors.empty()) errors += "; ";
      errors += e ? e : path;
      continue;
    }
    auto fn = reinterpret_cast<CblasSgemm>(dlsym(h, "cblas_sgemm"));
    if (!fn) {
      errors += "; " + path + ": no cblas_sgemm";
      dlclose(h);
      continue;
    }
    g.blas_handle = h;
    g.blas_sgemm = fn;
    std::string name = "openblas";
    if (auto config = reinterpret_cast<StrFn>(dlsym(h, "openblas_get_config"))) {
      // "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64": keep the version.
      std::string c = config();
      const size_t sp = c.find(' ');
      if (sp != std::string::npos) name += " " + c.substr(sp + 1, c.find(' ', sp + 1) - sp - 1);
    }
    if (auto core = reinterpret_cast<StrFn>(dlsym(h, "openblas_get_corename"))) name += std::string(" ") + core();
    if (auto par = reinterpret_cast<IntFn>(dlsym(h, "openblas_get_parallel"))) {
      const int p = par();
      name += p == 2 ? " openmp" : p == 1 ? " pthread" : " serial";
    }
    g.blas_name = name;
    g.blas_on = true;
    g.blas_reason.clear();
    return;
  }
  g.blas_reason = "no OpenBLAS found (" + errors + ")";
}

// KILN_BLAS: unset or "auto": Kiln's own kernel where it has an AVX2 or AVX-512 path (measured
// faster than Debian's OpenBLAS at the model's shapes: 260-400 vs 110-270 GFLOP/s), OpenBLAS
// otherwise; "openblas": OpenBLAS when found; a path: that library; "none": never BLAS.
void init() {
  g.best_simd = detect_simd();
  std::string level = g.best_simd;
  if (const char* want = getenv("KILN_SIMD")) {
    if (simd_rank(want) >= 0 && simd_rank(want) < simd_rank(level)) level = want;
  }
  g.table = table_for(level);
  const char* env = getenv("KILN_BLAS");
  const std::string blas = env ? env : "";
  if (blas == "none") {
    g.blas_reason = "disabled by KILN_BLAS=none";
  } else if ((blas.empty() || blas == "auto") && simd_rank(level) >= 1) {
    g.blas_reason = std::string("Kiln's own ") + g.table->name + " sgemm is faster than OpenBLAS on this CPU (KILN_BLAS=openblas to use OpenBLAS)";
  } else {
    load_blas(blas.empty() || blas == "auto" || blas == "openblas" ? nullptr : blas.c_str());
  }
}

// ---------------------------------------------------------------------------------------------
// Argument checks: every size is a non-negative integer, every array long enough for the sizes
// given, so no kernel reads or writes out of bounds.

constexpr int64_t kMaxSize = int64_t(1) << 40;

struct Args {
  const Napi::CallbackInfo& info;
  const char* fn;

  [[noreturn]] void type_error(const std::string& msg) const { throw Napi::TypeError::New(info.Env(), std::string(fn) + ": " + msg); }
  [[noreturn]] void range_error(const std::string& msg) const { throw Napi::RangeError::New(info.Env(), std::string(fn) + ": " + msg); }

  void expect(size_t n) const {
    if (info.Length() < n) type_error("expected " + std::to_string(n) + " arguments, got " + std::to_string(info.Length()));
  }
  int64_t size(size_t i, const char* name) const {
    const Napi::Value v = info[i];
    if (!v.IsNumber()) type_error(std::string(name) + " must be a number");
    const double d = v.As<Napi::Number>().DoubleValue();
    if (!(d >= 0) || d != static_cast<double>(static_cast<int64_t>(d)) || d > static_cast<double>(kMaxSize))
      range_error(std::string(name) + " must be a non-negative integer, got " + v.ToString().Utf8Value());
    return static_cast<int64_t>(d);
  }
  double number(size_t i, const char* name) const {
    const Napi::Value v = info[i];
    if (!v.IsNumber()) type_error(std::string(name) + " must be a number");
    return v.As<Napi::Number>().DoubleValue();
  }
  bool boolean(size_t i, const char* name) const {
    const Napi::Value v = info[i];
    if (!v.IsBoolean()) type_error(std::string(name) + " must be a boolean");
    return v.As<Napi::Boolean>().Value();
  }
  bool is_null(size_t i) const { return info[i].IsNull() || info[i].IsUndefined(); }
  float* f32(size_t i, const char* name, int64_t need) const {
    const Napi::Value v = info[i];
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) type_error(std::string(name) + " must be a Float32Array");
    auto a = v.As<Napi::Float32Array>();
    if (static_cast<int64_t>(a.ElementLength()) < need)
      range_error(std::string(name) + " has " + std::to_string(a.ElementLength()) + " elements, needs " + std::to_string(need));
    return a.Data();
  }
  float* f32_or_null(size_t i, const char* name, int64_t need) const { return is_null(i) ? nullptr : f32(i, name, need); }
  int32_t* i32(size_t i, const char* name, int64_t need) const {
    const Napi::Value v = info[i];
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) type_error(std::string(name) + " must be an Int32Array");
    auto a = v.As<Napi::Int32Array>();
    if (static_cast<int64_t>(a.ElementLength()) < need)
      range_error(std::string(name) + " has " + std::to_string(a.ElementLength()) + " elements, needs " + std::to_string(need));
    return a.Data();
  }
  // Product of sizes, refusing overflow.
  int64_t mul(std::initializer_list<int64_t> xs) const {
    int64_t p = 1;
    for (int64_t x : xs) {
      if (__builtin_mul_overflow(p, x, &p) || p > (int64_t(1) << 53)) range_error("sizes too large");
    }
    return p;
  }
  // Elements a rows×cols matrix with row stride ld spans.
  int64_t span(int64_t rows, int64_t cols, int64_t ld, const char* ldname) const {
    if (ld < (cols > 1 ? cols : 1)) range_error(std::string(ldname) + " (" + std::to_string(ld) + ") must be at least " + std::to_string(cols > 1 ? cols : 1));
    if (rows == 0 || cols == 0) return 0;
    return mul({rows - 1, ld}) + cols;
  }
};

int activation_op(const Args& a, size_t i) {
  const Napi::Value v = a.info[i];
  if (v.IsString()) {
    const std::string s = v.As<Napi::String>().Utf8Value();
    if (s == "gelu") return kiln::kGelu;
    if (s == "silu") return kiln::kSilu;
    if (s == "softplus") return kiln::kSoftplus;
  }
  a.type_error("op must be 'gelu', 'silu' or 'softplus'");
}

// C = alpha·op(A)·op(B) + beta·C through BLAS when in use, else Kiln's own kernel.
void run_sgemm(bool ta, bool tb, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
               int64_t ldc) {
  const bool fits = M <= INT_MAX && N <= INT_MAX && K <= INT_MAX && lda <= INT_MAX && ldb <= INT_MAX && ldc <= INT_MAX;
  if (g.blas_on && fits && M > 0 && N > 0 && K > 0) {
    g.blas_sgemm(kRowMajor, ta ? kTrans : kNoTrans, tb ? kTrans : kNoTrans, (int)M, (int)N, (int)K, alpha, A, (int)lda, B, (int)ldb, beta, C, (int)ldc);
  } else {
    g.table->sgemm(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, true);
  }
}

// out[o·inner + i] = A[o·soA + i·siA] op B[o·soB + i·siB] (op: 0 add, 1 sub, 2 mul, 3 div), the
// [outer, inner] broadcast view of packages/ssm's elementwise kernels. Memory-bound: OpenMP over
// contiguous output ranges when large, vectorised inner loops for the full/row/scalar cases.
template <int OP>
inline float bin(float a, float b) {
  if constexpr (OP == 0) return a + b;
  if constexpr (OP == 1) return a - b;
  if constexpr (OP == 2) return a * b;
  return a / b;
}

template <int OP>
void binary_rows(int64_t o0, int64_t o1, int64_t inner, const float* A, int64_t soA, int64_t siA, const float* B, int64_t soB, int64_t siB, float* out) {
  for (int64_t o = o0; o < o1; o++) {
    // `out` may alias A or B only element for element (same layout): no loop-carried dependency.
    const float* a = A + o * soA;
    const float* b = B + o * soB;
    float* y = out + o * inner;
    if (siA == 1 && siB == 1) {
#pragma omp simd
      for (int64_t i = 0; i < inner; i++) y[i] = bin<OP>(a[i], b[i]);
    } else if (siA == 1 && siB == 0) {
      const float bv = b[0];
#pragma omp simd
      for (int64_t i = 0; i < inner; i++) y[i] = bin<OP>(a[i], bv);
    } else if (siA == 0 && siB == 1) {
      const float av = a[0];
#pragma omp simd
      for (int64_t i = 0; i < inner; i++) y[i] = bin<OP>(av, b[i]);
    } else {
      const float v = bin<OP>(a[0], b[0]);
      for (int64_t i = 0; i < inner; i++) y[i] = v;
    }
  }
}

template <int OP>
void binary_op(int64_t outer, int64_t inner, const float* A, int64_t soA, int64_t siA, const float* B, int64_t soB, int64_t siB, float* out) {
  const int64_t n = outer * inner;
  const int threads = n >= (int64_t(1) << 15) ? omp_get_max_threads() : 1;
  if (outer == 1 && siA == 1 && siB == 1) {
    // One long row: split it.
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t c = 0; c < threads; c++) {
      const int64_t i0 = n * c / threads, i1 = n * (c + 1) / threads;
      binary_rows<OP>(0, 1, i1 - i0, A + i0, 0, 1, B + i0, 0, 1, out + i0);
    }
    return;
  }
  if (outer == 1) {
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t c = 0; c < threads; c++) {
      const int64_t i0 = n * c / threads, i1 = n * (c + 1) / threads;
      binary_rows<OP>(0, 1, i1 - i0, A + i0 * siA, 0, siA, B + i0 * siB, 0, siB, out + i0);
    }
    return;
  }
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t c = 0; c < threads; c++) {
    const int64_t o0 = outer * c / threads, o1 = outer * (c + 1) / threads;
    binary_rows<OP>(o0, o1, inner, A, soA, siA, B, soB, siB, out);
  }
}

// Inverted dropout with the mask of packages/ssm's Rng.dropoutInto, bit for bit: mulberry32 from
// `state` (draw k uses state + (k + 1)·0x6d2b79f5, so ranges of draws are independent and split
// between threads), two 16-bit decisions per draw (drop when below `threshold`), mask = keep or 0
// (keep rounded to float), y = x·keep in double rounded to float, as JavaScript computes it.
inline uint32_t mulberry32_at(uint32_t s) {
  uint32_t t = (s ^ (s >> 15)) * (s | 1u);
  t ^= t + (t ^ (t >> 7)) * (t | 61u);
  return t ^ (t >> 14);
}

void dropout_run(int64_t n, uint32_t state, uint32_t threshold, double keep, const float* x, float* mask, float* y) {
  const int64_t pairs = (n + 1) / 2;
  const int threads = n >= (int64_t(1) << 15) ? omp_get_max_threads() : 1;
  const float keepf = static_cast<float>(keep);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t c = 0; c < threads; c++) {
    const int64_t p0 = pairs * c / threads, p1 = pairs * (c + 1) / threads;
    for (int64_t k = p0; k < p1; k++) {
      const uint32_t t = mulberry32_at(state + static_cast<uint32_t>(k + 1) * 0x6d2b79f5u);
      const int64_t i = 2 * k;
      const bool k0 = (t & 0xffffu) >= threshold, k1 = (t >> 16) >= threshold;
      mask[i] = k0 ? keepf : 0.0f;
      y[i] = static_cast<float>(static_cast<double>(x[i]) * (k0 ? keep : 0.0));
      if (i + 1 < n) {
        mask[i + 1] = k1 ? keepf : 0.0f;
        y[i + 1] = static_cast<float>(static_cast<double>(x[i + 1]) * (k1 ? keep : 0.0));
      }
    }
  }
}

// Row and block copies for packages/ssm's gathers, scatters, splits and concats.
void copy_blocks(int64_t outer, int64_t run, const float* src, int64_t sstride, float* dst, int64_t dstride) {
  const int threads = outer * run >= (int64_t(1) << 16) && outer > 1 ? omp_get_max_threads() : 1;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t o = 0; o < outer; o++) std::memcpy(dst + o * dstride, src + o * sstride, sizeof(float) * run);
}

// ---------------------------------------------------------------------------------------------
// Bindings

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("simd", g.table->name);
  o.Set("blas", g.blas_on ? Napi::Value(Napi::String::New(env, g.blas_name)) : env.Null());
  o.Set("threads", omp_get_max_threads());
  o.Set("version", kVersion);
  o.Set("simdBest", g.best_simd);
  if (!g.blas_on) o.Set("blasReason", g.blas_reason);
  return o;
}

Napi::Value SetBlas(const Napi::CallbackInfo& info) {
  Args a{info, "setBlas"};
  a.expect(1);
  const bool on = a.boolean(0, "enabled");
  std::lock_guard<std::mutex> lock(g_blas_mutex);
  if (!on) {
    g.blas_on = false;
    g.blas_reason = "disabled by setBlas(false)";
  } else if (g.blas_sgemm) {
    g.blas_on = true;
  } else if (!g.blas_tried) {
    const char* env = getenv("KILN_BLAS");
    const std::string blas = env ? env : "";
    load_blas(blas.empty() || blas == "auto" || blas == "openblas" || blas == "none" ? nullptr : blas.c_str());
  }
  return g.blas_on ? Napi::Value(Napi::String::New(info.Env(), g.blas_name)) : info.Env().Null();
}

Napi::Value SetSimd(const Napi::CallbackInfo& info) {
  Args a{info, "setSimd"};
  a.expect(1);
  const std::string want = info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  if (simd_rank(want) < 0) a.type_error("level must be 'avx512', 'avx2' or 'generic'");
  g.table = table_for(simd_rank(want) <= simd_rank(g.best_simd) ? want : g.best_simd);
  return Napi::String::New(info.Env(), g.table->name);
}

void Sgemm(const Napi::CallbackInfo& info) {
  Args a{info, "sgemm"};
  a.expect(13);
  const bool ta = a.boolean(0, "transA"), tb = a.boolean(1, "transB");
  const int64_t M = a.size(2, "M"), N = a.size(3, "N"), K = a.size(4, "K");
  const float alpha = (float)a.number(5, "alpha");
  const int64_t lda = a.size(7, "lda"), ldb = a.size(9, "ldb"), ldc = a.size(12, "ldc");
  const float beta = (float)a.number(10, "beta");
  const float* A = a.f32(6, "A", a.span(ta ? K : M, ta ? M : K, lda, "lda"));
  const float* B = a.f32(8, "B", a.span(tb ? N : K, tb ? K : N, ldb, "ldb"));
  float* C = a.f32(11, "C", a.span(M, N, ldc, "ldc"));
  run_sgemm(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void SgemmBatched(const Napi::CallbackInfo& info) {
  Args a{info, "sgemmBatched"};
  a.expect(12);
  const int64_t batch = a.size(0, "batch");
  const bool ta = a.boolean(1, "transA"), tb = a.boolean(2, "transB");
  const int64_t M = a.size(3, "M"), N = a.size(4, "N"), K = a.size(5, "K");
  const int64_t sA = a.size(7, "strideA"), sB = a.size(9, "strideB"), sC = a.size(11, "strideC");
  const int64_t mk = a.mul({M, K}), kn = a.mul({K, N}), mn = a.mul({M, N});
  if (batch > 1 && sC < mn && mn > 0) a.range_error("strideC (" + std::to_string(sC) + ") must be at least M·N = " + std::to_string(mn));
  const int64_t last = batch > 0 ? batch - 1 : 0;
  const float* A = a.f32(6, "A", batch && mk ? a.mul({last, sA}) + mk : 0);
  const float* B = a.f32(8, "B", batch && kn ? a.mul({last, sB}) + kn : 0);
  float* C = a.f32(10, "C", batch && mn ? a.mul({last, sC}) + mn : 0);
  const int64_t lda = ta ? M : K, ldb = tb ? K : N, ldc = N;
  const int threads = omp_get_max_threads();
  if (batch >= 2 * threads && static_cast<double>(mn) * static_cast<double>(K) <= 2.0e6) {
    // Many small products: one per thread, each on Kiln's single-threaded kernel.
    const kiln::KernelTable* t = g.table;
#pragma omp parallel for schedule(dynamic, 4)
    for (int64_t i = 0; i < batch; i++) t->sgemm(ta, tb, M, N, K, 1.0f, A + i * sA, lda, B + i * sB, ldb, 0.0f, C + i * sC, ldc, false);
  } else {
    for (int64_t i = 0; i < batch; i++) run_sgemm(ta, tb, M, N, K, 1.0f, A + i * sA, lda, B + i * sB, ldb, 0.0f, C + i * sC, ldc);
  }
}

struct ScanSizes {
  int64_t L, B, D, N, lbd, lbn, dn;
};
ScanSizes scan_sizes(const Args& a) {
  ScanSizes s{a.size(0, "L"), a.size(1, "B"), a.size(2, "D"), a.size(3, "N"), 0, 0, 0};
  s.lbd = a.mul({s.L, s.B, s.D});
  s.lbn = a.mul({s.L, s.B, s.N});
  s.dn = a.mul({s.D, s.N});
  return s;
}
int64_t chunk_arg(const Args& a, size_t i) {
  const int64_t c = a.size(i, "chunk");
  if (c < 1) a.range_error("chunk must be at least 1");
  return c;
}

void ScanForward(const Napi::CallbackInfo& info) {
  Args a{info, "scanForward"};
  a.expect(13);
  const ScanSizes s = scan_sizes(a);
  const int64_t chunk = chunk_arg(a, 12);
  const float* x = a.f32(4, "x", s.lbd);
  const float* delta = a.f32(5, "delta", s.lbd);
  const float* A = a.f32(6, "A", s.dn);
  const float* Bm = a.f32(7, "Bm", s.lbn);
  const float* Cm = a.f32(8, "Cm", s.lbn);
  const float* Dskip = a.f32(9, "Dskip", s.D);
  float* y = a.f32(10, "y", s.lbd);
  float* ckpt = a.f32_or_null(11, "checkpoints", a.mul({(s.L + chunk - 1) / chunk, s.B, s.D, s.N}));
  g.table->scan_forward(s.L, s.B, s.D, s.N, x, delta, A, Bm, Cm, Dskip, y, ckpt, chunk);
}

void ScanBackward(const Napi::CallbackInfo& info) {
  Args a{info, "scanBackward"};
  a.expect(19);
  const ScanSizes s = scan_sizes(a);
  const int64_t chunk = chunk_arg(a, 12);
  const float* x = a.f32(4, "x", s.lbd);
  const float* delta = a.f32(5, "delta", s.lbd);
  const float* A = a.f32(6, "A", s.dn);
  const float* Bm = a.f32(7, "Bm", s.lbn);
  const float* Cm = a.f32(8, "Cm", s.lbn);
  const float* Dskip = a.f32(9, "Dskip", s.D);
  const float* dy = a.f32(10, "dy", s.lbd);
  const float* ckpt = a.f32(11, "checkpoints", a.mul({(s.L + chunk - 1) / chunk, s.B, s.D, s.N}));
  float* dx = a.f32(13, "dx", s.lbd);
  float* ddelta = a.f32(14, "ddelta", s.lbd);
  float* dA = a.f32(15, "dA", s.dn);
  float* dB = a.f32(16, "dB", s.lbn);
  float* dC = a.f32(17, "dC", s.lbn);
  float* dD = a.f32(18, "dD", s.D);
  g.table->scan_backward(s.L, s.B, s.D, s.N, x, delta, A, Bm, Cm, Dskip, dy, ckpt, chunk, dx, ddelta, dA, dB, dC, dD);
}

void Conv1dForward(const Napi::CallbackInfo& info) {
  Args a{info, "conv1dForward"};
  a.expect(8);
  const int64_t L = a.size(0, "L"), B = a.size(1, "B"), D = a.size(2, "D"), K = a.size(3, "K");
  const int64_t lbd = a.mul({L, B, D});
  const float* x = a.f32(4, "x", lbd);
  const float* w = a.f32(5, "w", a.mul({K, D}));
  const float* bias = a.f32(6, "bias", D);
  float* y = a.f32(7, "y", lbd);
  g.table->conv1d_forward(L, B, D, K, x, w, bias, y);
}

void Conv1dBackward(const Napi::CallbackInfo& info) {
  Args a{info, "conv1dBackward"};
  a.expect(10);
  const int64_t L = a.size(0, "L"), B = a.size(1, "B"), D = a.size(2, "D"), K = a.size(3, "K");
  const int64_t lbd = a.mul({L, B, D}), kd = a.mul({K, D});
  const float* x = a.f32(4, "x", lbd);
  const float* w = a.f32(5, "w", kd);
  const float* dy = a.f32(6, "dy", lbd);
  float* dx = a.f32(7, "dx", lbd);
  float* dw = a.f32(8, "dw", kd);
  float* dbias = a.f32(9, "dbias", D);
  g.table->conv1d_backward(L, B, D, K, x, w, dy, dx, dw, dbias);
}

Napi::Value SoftmaxCrossEntropy(const Napi::CallbackInfo& info) {
  Args a{info, "softmaxCrossEntropy"};
  a.expect(8);
  const int64_t T = a.size(0, "T"), V = a.size(1, "V"), H = a.size(2, "H");
  if (V < 1) a.range_error("V must be at least 1");
  const float* h = a.f32(3, "h", a.mul({T, H}));
  const float* E = a.f32(4, "E", a.mul({V, H}));
  const int32_t* targets = a.i32(5, "targets", T);
  float* dh = a.f32_or_null(6, "dh", a.mul({T, H}));
  float* dE = a.f32_or_null(7, "dE", a.mul({V, H}));
  int64_t count = 0;
  for (int64_t i = 0; i < T; i++) {
    if (targets[i] < -1 || targets[i] >= V)
      a.range_error("targets[" + std::to_string(i) + "] = " + std::to_string(targets[i]) + " is outside -1.." + std::to_string(V - 1));
    count += targets[i] >= 0;
  }
  if (dE) memset(dE, 0, sizeof(float) * static_cast<size_t>(V * H));
  if (dh) memset(dh, 0, sizeof(float) * static_cast<size_t>(T * H));
  if (count == 0) return Napi::Number::New(info.Env(), 0.0);
  const float scale = 1.0f / static_cast<float>(count);
  const bool grad = dh || dE;
  // Row blocks of up to 512 rows, fewer for a huge V: one block of logits stays ≤ 32 MiB.
  const int64_t rb_max = std::max<int64_t>(16, std::min<int64_t>(512, (int64_t(8) << 20) / V));
  std::vector<float> logits(static_cast<size_t>(rb_max * V));
  // Eᵀ [H, V], once: the logits product then reads B row-major (no strided packing per block).
  std::vector<float> Et(static_cast<size_t>(H * V));
  for (int64_t v = 0; v < V; v++)
    for (int64_t j = 0; j < H; j++) Et[j * V + v] = E[v * H + j];
  double loss = 0.0;
  bool dE_written = false;
  for (int64_t r0 = 0; r0 < T; r0 += rb_max) {
    const int64_t rb = T - r0 < rb_max ? T - r0 : rb_max;
    bool any = false;
    for (int64_t i = 0; i < rb && !any; i++) any = targets[r0 + i] >= 0;
    if (!any) continue;  // dh rows already zero
    const float* hb = h + r0 * H;
    run_sgemm(false, false, rb, V, H, 1.0f, hb, H, Et.data(), V, 0.0f, logits.data(), V);
    loss += g.table->xent_rows(rb, V, logits.data(), targets + r0, scale, grad);
    if (dh) run_sgemm(false, false, rb, H, V, 1.0f, logits.data(), V, E, H, 0.0f, dh + r0 * H, H);
    if (dE) {
      run_sgemm(true, false, V, H, rb, 1.0f, logits.data(), V, hb, H, dE_written ? 1.0f : 0.0f, dE, H);
      dE_written = true;
    }
  }
  return Napi::Number::New(info.Env(), loss / static_cast<double>(count));
}

void LayerNormForward(const Napi::CallbackInfo& info) {
  Args a{info, "layerNormForward"};
  a.expect(9);
  const int64_t rows = a.size(0, "rows"), H = a.size(1, "H");
  const int64_t rh = a.mul({rows, H});
  const float* x = a.f32(2, "x", rh);
  const float* gamma = a.f32(3, "gamma", H);
  const float* beta = a.f32(4, "beta", H);
  const double eps = a.number(5, "eps");
  if (!(eps >= 0)) a.range_error("eps must be a non-negative number");
  float* y = a.f32(6, "y", rh);
  float* mean = a.f32(7, "mean", rows);
  float* rstd = a.f32(8, "rstd", rows);
  if (H == 0) a.range_error("H must be at least 1");
  g.table->layernorm_forward(rows, H, x, gamma, beta, (float)eps, y, mean, rstd);
}

void LayerNormBackward(const Napi::CallbackInfo& info) {
  Args a{info, "layerNormBackward"};
  a.expect(10);
  const int64_t rows = a.size(0, "rows"), H = a.size(1, "H");
  const int64_t rh = a.mul({rows, H});
  const float* x = a.f32(2, "x", rh);
  const float* gamma = a.f32(3, "gamma", H);
  const float* dy = a.f32(4, "dy", rh);
  const float* mean = a.f32(5, "mean", rows);
  const float* rstd = a.f32(6, "rstd", rows);
  float* dx = a.f32(7, "dx", rh);
  float* dgamma = a.f32(8, "dgamma", H);
  float* dbeta = a.f32(9, "dbeta", H);
  g.table->layernorm_backward(rows, H, x, gamma, dy, mean, rstd, dx, dgamma, dbeta);
}

void ActivationForward(const Napi::CallbackInfo& info) {
  Args a{info, "activationForward"};
  a.expect(4);
  const int op = activation_op(a, 0);
  const int64_t n = a.size(1, "n");
  const float* x = a.f32(2, "x", n);
  float* y = a.f32(3, "y", n);
  g.table->activation_forward(op, n, x, y);
}

void ActivationBackward(const Napi::CallbackInfo& info) {
  Args a{info, "activationBackward"};
  a.expect(5);
  const int op = activation_op(a, 0);
  const int64_t n = a.size(1, "n");
  const float* x = a.f32(2, "x", n);
  const float* dy = a.f32(3, "dy", n);
  float* dx = a.f32(4, "dx", n);
  g.table->activation_backward(op, n, x, dy, dx);
}

// binary(op, outer, inner, A, soA, siA, B, soB, siB, out)
void Binary(const Napi::CallbackInfo& info) {
  Args a{info, "binary"};
  a.expect(10);
  const int64_t op = a.size(0, "op");
  if (op > 3) a.range_error("op must be 0 (add), 1 (sub), 2 (mul) or 3 (div)");
  const int64_t outer = a.size(1, "outer"), inner = a.size(2, "inner");
  const int64_t soA = a.size(4, "soA"), siA = a.size(5, "siA"), soB = a.size(7, "soB"), siB = a.size(8, "siB");
  if (siA > 1 || siB > 1) a.range_error("siA and siB must be 0 or 1");
  const int64_t n = a.mul({outer, inner});
  auto need = [&](int64_t so, int64_t si) { return n == 0 ? 0 : a.mul({outer - 1, so}) + a.mul({inner - 1, si}) + 1; };
  const float* A = a.f32(3, "A", need(soA, siA));
  const float* B = a.f32(6, "B", need(soB, siB));
  float* out = a.f32(9, "out", n);
  if (n == 0) return;
  switch (op) {
    case 0: binary_op<0>(outer, inner, A, soA, siA, B, soB, siB, out); break;
    case 1: binary_op<1>(outer, inner, A, soA, siA, B, soB, siB, out); break;
    case 2: binary_op<2>(outer, inner, A, soA, siA, B, soB, siB, out); break;
    default: binary_op<3>(outer, inner, A, soA, siA, B, soB, siB, out); break;
  }
}

// dropout(n, state, threshold, keep, x, mask, y)
void Dropout(const Napi::CallbackInfo& info) {
  Args a{info, "dropout"};
  a.expect(7);
  const int64_t n = a.size(0, "n");
  const int64_t state = a.size(1, "state");
  if (state > 0xffffffffLL) a.range_error("state must be a uint32");
  const int64_t threshold = a.size(2, "threshold");
  if (threshold > 65536) a.range_error("threshold must be at most 65536");
  const double keep = a.number(3, "keep");
  const float* x = a.f32(4, "x", n);
  float* mask = a.f32(5, "mask", n);
  float* y = a.f32(6, "y", n);
  if (n == 0) return;
  dropout_run(n, static_cast<uint32_t>(state), static_cast<uint32_t>(threshold), keep, x, mask, y);
}

// copyBlocks(outer, run, src, srcOffset, srcStride, dst, dstOffset, dstStride)
void CopyBlocks(const Napi::CallbackInfo& info) {
  Args a{info, "copyBlocks"};
  a.expect(8);
  const int64_t outer = a.size(0, "outer"), run = a.size(1, "run");
  const int64_t so = a.size(3, "srcOffset"), ss = a.size(4, "srcStride"), d0 = a.size(6, "dstOffset"), ds = a.size(7, "dstStride");
  const bool empty = outer == 0 || run == 0;
  if (!empty && (ss < run || ds < run)) a.range_error("strides must be at least run");
  const float* src = a.f32(2, "src", empty ? 0 : so + a.mul({outer - 1, ss}) + run);
  float* dst = a.f32(5, "dst", empty ? 0 : d0 + a.mul({outer - 1, ds}) + run);
  if (empty) return;
  copy_blocks(outer, run, src + so, ss, dst + d0, ds);
}

// gatherRows(n, H, rows, table, ids, out): out[r] = table[ids[r]] (rows of H); every id checked first.
void GatherRows(const Napi::CallbackInfo& info) {
  Args a{info, "gatherRows"};
  a.expect(6);
  const int64_t n = a.size(0, "n"), H = a.size(1, "H"), rows = a.size(2, "rows");
  const float* table = a.f32(3, "table", a.mul({rows, H}));
  const int32_t* ids = a.i32(4, "ids", n);
  float* out = a.f32(5, "out", a.mul({n, H}));
  for (int64_t r = 0; r < n; r++)
    if (ids[r] < 0 || ids[r] >= rows) a.range_error("index " + std::to_string(ids[r]) + " is not in [0, " + std::to_string(rows - 1) + "]");
  const int threads = n * H >= (int64_t(1) << 16) ? omp_get_max_threads() : 1;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t r = 0; r < n; r++) std::memcpy(out + r * H, table + static_cast<int64_t>(ids[r]) * H, sizeof(float) * H);
}

// scatterAddRows(n, H, rows, ids, src, out): out[ids[r]] += src[r] in order of r (rows of H); ids checked first.
void ScatterAddRows(const Napi::CallbackInfo& info) {
  Args a{info, "scatterAddRows"};
  a.expect(6);
  const int64_t n = a.size(0, "n"), H = a.size(1, "H"), rows = a.size(2, "rows");
  const int32_t* ids = a.i32(3, "ids", n);
  const float* src = a.f32(4, "src", a.mul({n, H}));
  float* out = a.f32(5, "out", a.mul({rows, H}));
  for (int64_t r = 0; r < n; r++)
    if (ids[r] < 0 || ids[r] >= rows) a.range_error("index " + std::to_string(ids[r]) + " is not in [0, " + std::to_string(rows - 1) + "]");
  // Threads own disjoint column ranges (whole cache lines), so each output element is summed in
  // the same order (r ascending) as a single loop would.
  const int64_t lines = (H + 15) / 16;
  const int threads = n * H >= (int64_t(1) << 16) && lines > 1 ? static_cast<int>(std::min<int64_t>(omp_get_max_threads(), lines)) : 1;
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    const int64_t c0 = std::min(H, 16 * (lines * t / nt)), c1 = std::min(H, 16 * (lines * (t + 1) / nt));
    for (int64_t r = 0; r < n; r++) {
      float* y = out + static_cast<int64_t>(ids[r]) * H;
      const float* x = src + r * H;
#pragma omp simd
      for (int64_t k = c0; k < c1; k++) y[k] += x[k];
    }
  }
}

// ---- Online recurrence (kernels/online.h) ----

// A model's weights copied out of JavaScript (A turned into −exp(A_log) once), behind an External.
struct OnlineModel {
  std::vector<std::vector<float>> owned;
  std::vector<kiln::SsmLayer> layers;
  kiln::SsmModel m{};
  std::vector<float> scratch;     // the calling thread's (one JS thread owns a model)
  std::vector<float> scores;      // [V]
  std::vector<uint8_t> excluded;  // [V]
};

OnlineModel* online_model(const Args& a, size_t i) {
  const Napi::Value v = a.info[i];
  if (!v.IsExternal()) a.type_error("model must be a handle from ssmModel");
  return v.As<Napi::External<OnlineModel>>().Data();
}

// ssmModel(layers, H, Di, N, K, R, V, params): params are the Float32Arrays of every parameter in
// serialisation order (packages/ssm/src/model/config.ts parameterShapes). Returns an opaque handle.
Napi::Value SsmModelNew(const Napi::CallbackInfo& info) {
  Args a{info, "ssmModel"};
  a.expect(8);
  const int64_t layers = a.size(0, "layers"), H = a.size(1, "H"), Di = a.size(2, "Di"), N = a.size(3, "N"), K = a.size(4, "K"), R = a.size(5, "R"),
                V = a.size(6, "V");
  if (layers < 1 || H < 1 || Di < 1 || N < 1 || K < 1 || R < 1 || V < 2) a.range_error("every size must be at least 1 (V at least 2)");
  if (!info[7].IsArray()) a.type_error("params must be an array of Float32Arrays");
  const Napi::Array params = info[7].As<Napi::Array>();
  const std::vector<int64_t> per_layer = {a.mul({H, 2 * Di}),
                                          a.mul({K, Di}),
                                          Di,
                                          a.mul({Di, R + 2 * N}),
                                          a.mul({R, Di}),
                                          Di,
                                          a.mul({Di, N}),
                                          Di,
                                          a.mul({Di, H}),
                                          H,
                                          H,
                                          a.mul({H, 4 * H}),
                                          4 * H,
                                          a.mul({4 * H, H}),
                                          H,
                                          H,
                                          H};
  std::vector<int64_t> sizes = {a.mul({V, H}), H, H};
  for (int64_t l = 0; l < layers; l++) sizes.insert(sizes.end(), per_layer.begin(), per_layer.end());
  if (params.Length() != sizes.size())
    a.range_error("params has " + std::to_string(params.Length()) + " arrays, the sizes need " + std::to_string(sizes.size()));
  auto* om = new OnlineModel();
  try {
    for (size_t i = 0; i < sizes.size(); i++) {
      const Napi::Value p = params[static_cast<uint32_t>(i)];
      if (!p.IsTypedArray() || p.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
        a.type_error("params[" + std::to_string(i) + "] must be a Float32Array");
      auto f = p.As<Napi::Float32Array>();
      if (static_cast<int64_t>(f.ElementLength()) != sizes[i])
        a.range_error("params[" + std::to_string(i) + "] has " + std::to_string(f.ElementLength()) + " elements, needs " + std::to_string(sizes[i]));
      om->owned.emplace_back(f.Data(), f.Data() + sizes[i]);
    }
  } catch (...) {
    delete om;
    throw;
  }
  const auto P = [om](size_t i) { return om->owned[i].data(); };
  om->layers.resize(static_cast<size_t>(layers));
  for (int64_t l = 0; l < layers; l++) {
    const size_t b = 3 + 17 * static_cast<size_t>(l);
    for (float& x : om->owned[b + 6]) x = -std::exp(x);  // A = −exp(A_log)
    om->layers[l] = kiln::SsmLayer{P(b),     P(b + 1),  P(b + 2),  P(b + 3),  P(b + 4),  P(b + 5),  P(b + 6),  P(b + 7), P(b + 8),
                                   P(b + 9), P(b + 10), P(b + 11), P(b + 12), P(b + 13), P(b + 14), P(b + 15), P(b + 16)};
  }
  om->m = kiln::SsmModel{layers, H, Di, N, K, R, V, P(0), P(1), P(2), om->layers.data()};
  om->scratch.resize(static_cast<size_t>(g.table->ssm_scratch_floats(&om->m)));
  om->scores.resize(static_cast<size_t>(V));
  om->excluded.assign(static_cast<size_t>(V), 0);
  return Napi::External<OnlineModel>::New(info.Env(), om, [](Napi::Env, OnlineModel* p) { delete p; });
}

int64_t online_state_floats(const kiln::SsmModel& m) { return m.layers * ((m.K - 1) * m.Di + m.Di * m.N); }

void check_items(const Args& a, const int32_t* items, int64_t n, int64_t V) {
  for (int64_t i = 0; i < n; i++)
    if (items[i] < 1 || items[i] >= V)
      a.range_error("item " + std::to_string(items[i]) + " (at " + std::to_string(i) + ") is not in 1.." + std::to_string(V - 1));
}

// ssmAdvance(model, state, items, hidden): feeds items (oldest first) to one user's state in place
// and writes the hidden state after the last item (untouched when items is empty).
void SsmAdvance(const Napi::CallbackInfo& info) {
  Args a{info, "ssmAdvance"};
  a.expect(4);
  OnlineModel* om = online_model(a, 0);
  float* state = a.f32(1, "state", online_state_floats(om->m));
  const Napi::Value iv = info[2];
  if (!iv.IsTypedArray() || iv.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) a.type_error("items must be an Int32Array");
  const int64_t T = static_cast<int64_t>(iv.As<Napi::Int32Array>().ElementLength());
  const int32_t* items = iv.As<Napi::Int32Array>().Data();
  float* hidden = a.f32(3, "hidden", om->m.H);
  check_items(a, items, T, om->m.V);
  g.table->ssm_advance(&om->m, T, items, state, hidden, om->scratch.data());
}

// ssmPrime(model, users, offsets, items, states, hidden): advances `users` states at once, user u by
// items[offsets[u]..offsets[u+1]), in parallel (one user per task). states [users, stateFloats] and
// hidden [users, H] are updated in place (a user without items is left as it was).
void SsmPrime(const Napi::CallbackInfo& info) {
  Args a{info, "ssmPrime"};
  a.expect(6);
  OnlineModel* om = online_model(a, 0);
  const int64_t users = a.size(1, "users");
  const int32_t* offsets = a.i32(2, "offsets", users + 1);
  const Napi::Value iv = info[3];
  if (!iv.IsTypedArray() || iv.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) a.type_error("items must be an Int32Array");
  const int64_t n_items = static_cast<int64_t>(iv.As<Napi::Int32Array>().ElementLength());
  const int32_t* items = iv.As<Napi::Int32Array>().Data();
  const int64_t S = online_state_floats(om->m);
  float* states = a.f32(4, "states", a.mul({users, S}));
  float* hidden = a.f32(5, "hidden", a.mul({users, om->m.H}));
  if (users > 0 && offsets[0] != 0) a.range_error("offsets[0] must be 0");
  for (int64_t u = 0; u < users; u++)
    if (offsets[u + 1] < offsets[u] || offsets[u + 1] > n_items) a.range_error("offsets must be non-decreasing and at most items.length");
  check_items(a, items, users > 0 ? offsets[users] : 0, om->m.V);
  const kiln::KernelTable* t = g.table;
  const kiln::SsmModel* m = &om->m;
  const int64_t scratch_floats = t->ssm_scratch_floats(m);
#pragma omp parallel
  {
    std::vector<float> scratch(static_cast<size_t>(scratch_floats));
#pragma omp for schedule(dynamic, 16)
    for (int64_t u = 0; u < users; u++) {
      const int64_t T = offsets[u + 1] - offsets[u];
      if (T > 0) t->ssm_advance(m, T, items + offsets[u], states + u * S, hidden + u * m->H, scratch.data());
    }
  }
}

// ssmTopK(model, hidden, k, exclude, outItems, outScores) → count: the top-k items of E·hidden, best
// first (ties: lower id first), never the padding row nor the ids in `exclude` (Int32Array or null).
Napi::Value SsmTopK(const Napi::CallbackInfo& info) {
  Args a{info, "ssmTopK"};
  a.expect(6);
  OnlineModel* om = online_model(a, 0);
  const float* hidden = a.f32(1, "hidden", om->m.H);
  const int64_t k = a.size(2, "k");
  if (k < 1) a.range_error("k must be at least 1");
  int32_t* out_items = a.i32(4, "outItems", k);
  float* out_scores = a.f32(5, "outScores", k);
  const int64_t V = om->m.V;
  const int32_t* ex = nullptr;
  int64_t n_ex = 0;
  if (!a.is_null(3)) {
    const Napi::Value ev = info[3];
    if (!ev.IsTypedArray() || ev.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) a.type_error("exclude must be an Int32Array or null");
    ex = ev.As<Napi::Int32Array>().Data();
    n_ex = static_cast<int64_t>(ev.As<Napi::Int32Array>().ElementLength());
  }
  uint8_t* excluded = om->excluded.data();
  for (int64_t i = 0; i < n_ex; i++)
    if (ex[i] > 0 && ex[i] < V) excluded[ex[i]] = 1;
  const int64_t n = g.table->ssm_topk(&om->m, hidden, k, n_ex ? excluded : nullptr, out_items, out_scores, om->scores.data());
  for (int64_t i = 0; i < n_ex; i++)
    if (ex[i] > 0 && ex[i] < V) excluded[ex[i]] = 0;
  return Napi::Number::New(info.Env(), static_cast<double>(n));
}

// f32ToF16(src, dst) / f16ToF32(src, dst): IEEE half conversion, round to nearest even (overflow to
// ±inf, NaN kept, subnormals kept) — the online states' fp16 storage (packages/ssm/src/online/
// state-codec.ts has the same in JavaScript).
inline uint16_t to_half(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000u;
  const int32_t exp = static_cast<int32_t>((x >> 23) & 0xffu);
  uint32_t mant = x & 0x7fffffu;
  if (exp == 0xff) return static_cast<uint16_t>(sign | 0x7c00u | (mant ? 0x200u : 0u));
  const int32_t e = exp - 127 + 15;
  if (e >= 0x1f) return static_cast<uint16_t>(sign | 0x7c00u);
  if (e <= 0) {
    if (e < -10) return static_cast<uint16_t>(sign);
    mant |= 0x800000u;
    const int32_t shift = 14 - e;
    uint32_t h = mant >> shift;
    const uint32_t rem = mant & ((1u << shift) - 1u), half = 1u << (shift - 1);
    if (rem > half || (rem == half && (h & 1u))) h++;
    return static_cast<uint16_t>(sign | h);
  }
  uint32_t h = (static_cast<uint32_t>(e) << 10) | (mant >> 13);
  const uint32_t rem = mant & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) h++;
  return static_cast<uint16_t>(sign | h);
}
inline float from_half(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1fu, mant = h & 0x3ffu;
  uint32_t x;
  if (exp == 0) {
    const float v = static_cast<float>(mant) * 5.9604644775390625e-8f;  // 2^-24
    std::memcpy(&x, &v, 4);
    x |= sign;
  } else if (exp == 0x1f) {
    x = sign | 0x7f800000u | (mant << 13);
  } else {
    x = sign | ((exp - 15 + 127) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}

// F16C does 8 conversions an instruction, rounding to nearest even like to_half (every AVX2 CPU
// has it); the scalar loops are the fallback and the tails.
__attribute__((target("avx,f16c"))) void f32_to_f16_f16c(const float* s, uint16_t* d, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d + i), _mm256_cvtps_ph(_mm256_loadu_ps(s + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
  for (; i < n; i++) d[i] = to_half(s[i]);
}
__attribute__((target("avx,f16c"))) void f16_to_f32_f16c(const uint16_t* s, float* d, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(d + i, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i))));
  for (; i < n; i++) d[i] = from_half(s[i]);
}
bool has_f16c() {
  static const bool yes = __builtin_cpu_supports("avx") && __builtin_cpu_supports("f16c");
  return yes;
}

void F32ToF16(const Napi::CallbackInfo& info) {
  Args a{info, "f32ToF16"};
  a.expect(2);
  const Napi::Value sv = info[0], dv = info[1];
  if (!sv.IsTypedArray() || sv.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) a.type_error("src must be a Float32Array");
  if (!dv.IsTypedArray() || dv.As<Napi::TypedArray>().TypedArrayType() != napi_uint16_array) a.type_error("dst must be a Uint16Array");
  const auto src = sv.As<Napi::Float32Array>();
  auto dst = dv.As<Napi::Uint16Array>();
  if (dst.ElementLength() < src.ElementLength()) a.range_error("dst is shorter than src");
  const float* s = src.Data();
  uint16_t* d = dst.Data();
  if (has_f16c()) return f32_to_f16_f16c(s, d, src.ElementLength());
  for (size_t i = 0, n = src.ElementLength(); i < n; i++) d[i] = to_half(s[i]);
}

void F16ToF32(const Napi::CallbackInfo& info) {
  Args a{info, "f16ToF32"};
  a.expect(2);
  const Napi::Value sv = info[0], dv = info[1];
  if (!sv.IsTypedArray() || sv.As<Napi::TypedArray>().TypedArrayType() != napi_uint16_array) a.type_error("src must be a Uint16Array");
  if (!dv.IsTypedArray() || dv.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) a.type_error("dst must be a Float32Array");
  const auto src = sv.As<Napi::Uint16Array>();
  auto dst = dv.As<Napi::Float32Array>();
  if (dst.ElementLength() < src.ElementLength()) a.range_error("dst is shorter than src");
  const uint16_t* s = src.Data();
  float* d = dst.Data();
  if (has_f16c()) return f16_to_f32_f16c(s, d, src.ElementLength());
  for (size_t i = 0, n = src.ElementLength(); i < n; i++) d[i] = from_half(s[i]);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  std::call_once(g_init, init);
  exports.DefineProperty(Napi::PropertyDescriptor::Accessor<Info>("info", napi_enumerable));
  exports.Set("setBlas", Napi::Function::New(env, SetBlas, "setBlas"));
  exports.Set("setSimd", Napi::Function::New(env, SetSimd, "setSimd"));
  exports.Set("sgemm", Napi::Function::New(env, Sgemm, "sgemm"));
  exports.Set("sgemmBatched", Napi::Function::New(env, SgemmBatched, "sgemmBatched"));
  exports.Set("scanForward", Napi::Function::New(env, ScanForward, "scanForward"));
  exports.Set("scanBackward", Napi::Function::New(env, ScanBackward, "scanBackward"));
  exports.Set("conv1dForward", Napi::Function::New(env, Conv1dForward, "conv1dForward"));
  exports.Set("conv1dBackward", Napi::Function::New(env, Conv1dBackward, "conv1dBackward"));
  exports.Set("softmaxCrossEntropy", Napi::Function::New(env, SoftmaxCrossEntropy, "softmaxCrossEntropy"));
  exports.Set("layerNormForward", Napi::Function::New(env, LayerNormForward, "layerNormForward"));
  exports.Set("layerNormBackward", Napi::Function::New(env, LayerNormBackward, "layerNormBackward"));
  exports.Set("activationForward", Napi::Function::New(env, ActivationForward, "activationForward"));
  exports.Set("activationBackward", Napi::Function::New(env, ActivationBackward, "activationBackward"));
  exports.Set("binary", Napi::Function::New(env, Binary, "binary"));
  exports.Set("dropout", Napi::Function::New(env, Dropout, "dropout"));
  exports.Set("copyBlocks", Napi::Function::New(env, CopyBlocks, "copyBlocks"));
  exports.Set("gatherRows", Napi::Function::New(env, GatherRows, "gatherRows"));
  exports.Set("scatterAddRows", Napi::Function::New(env, ScatterAddRows, "scatterAddRows"));
  exports.Set("ssmModel", Napi::Function::New(env, SsmModelNew, "ssmModel"));
  exports.Set("ssmAdvance", Napi::Function::New(env, SsmAdvance, "ssmAdvance"));
  exports.Set("ssmPrime", Napi::Function::New(env, SsmPrime, "ssmPrime"));
  exports.Set("ssmTopK", Napi::Function::New(env, SsmTopK, "ssmTopK"));
  exports.Set("f32ToF16", Napi::Function::New(env, F32ToF16, "f32ToF16"));
  exports.Set("f16ToF32", Napi::Function::New(env, F16ToF32, "f16ToF32"));
  kiln_anneal_register(env, exports);  // annealQubo, annealQuboSync (anneal.cc)
  return exports;
}

}  // namespace

NODE_API_MODULE(kiln_native, Init)
