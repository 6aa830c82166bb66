// Kiln's native kernels: the table every SIMD level fills in (kernels/*.cc) and the dispatcher
// (addon.cc) calls through. Plain C types only: the SIMD translation units are compiled with
// different -m flags and must share no inline C++ code with the rest of the addon.
#pragma once

#include <cstdint>

namespace kiln {

enum Activation : int { kGelu = 0, kSilu = 1, kSoftplus = 2 };

// A Mamba4Rec model's weights for the online recurrence (kernels/online.h); shapes as in
// packages/ssm/src/model/config.ts, A already −exp(A_log).
struct SsmLayer {
  const float *in_proj, *conv_w, *conv_b, *x_proj, *dt_w, *dt_b, *A, *Dskip, *out_proj;
  const float *ln_g, *ln_b, *w1, *b1, *w2, *b2, *fln_g, *fln_b;
};
struct SsmModel {
  int64_t layers, H, Di, N, K, R, V;  // V = embedding rows (items + padding)
  const float *emb, *emb_g, *emb_b;
  const SsmLayer* layer;
};

struct KernelTable {
  const char* name;
  // C = alpha·op(A)·op(B) + beta·C, row-major. `parallel` false runs on the calling thread only.
  void (*sgemm)(bool ta, bool tb, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
                int64_t ldc, bool parallel);
  void (*scan_forward)(int64_t L, int64_t B, int64_t D, int64_t N, const float* x, const float* delta, const float* A, const float* Bm, const float* Cm,
                       const float* Dskip, float* y, float* ckpt, int64_t chunk);
  void (*scan_backward)(int64_t L, int64_t B, int64_t D, int64_t N, const float* x, const float* delta, const float* A, const float* Bm, const float* Cm,
                        const float* Dskip, const float* dy, const float* ckpt, int64_t chunk, float* dx, float* ddelta, float* dA, float* dB, float* dC,
                        float* dD);
  void (*conv1d_forward)(int64_t L, int64_t B, int64_t D, int64_t K, const float* x, const float* w, const float* bias, float* y);
  void (*conv1d_backward)(int64_t L, int64_t B, int64_t D, int64_t K, const float* x, const float* w, const float* dy, float* dx, float* dw, float* dbias);
  void (*layernorm_forward)(int64_t rows, int64_t H, const float* x, const float* gamma, const float* beta, float eps, float* y, float* mean, float* rstd);
  void (*layernorm_backward)(int64_t rows, int64_t H, const float* x, const float* gamma, const float* dy, const float* mean, const float* rstd, float* dx,
                             float* dgamma, float* dbeta);
  void (*activation_forward)(int op, int64_t n, const float* x, float* y);
  void (*activation_backward)(int op, int64_t n, const float* x, const float* dy, float* dx);
  // Softmax cross-entropy over a block of logit rows [rows, V] (overwritten by (softmax − onehot)·scale
  // when grad; zero rows where target < 0). Returns the summed loss of the rows not ignored.
  double (*xent_rows)(int64_t rows, int64_t V, float* logits, const int32_t* targets, float scale, bool grad);
  // Online recurrence, single-threaded (online.h): scratch size, advance one user's state by T
  // items (writes the hidden state after the last), top-k of the item scores of a hidden state.
  int64_t (*ssm_scratch_floats)(const SsmModel* m);
  void (*ssm_advance)(const SsmModel* m, int64_t T, const int32_t* items, float* state, float* hidden, float* scratch);
  int64_t (*ssm_topk)(const SsmModel* m, const float* hidden, int64_t k, const uint8_t* excluded, int32_t* items, float* out_scores, float* scores);
};

}  // namespace kiln

extern "C" const kiln::KernelTable* kiln_table_generic();
extern "C" const kiln::KernelTable* kiln_table_avx2();
extern "C" const kiln::KernelTable* kiln_table_avx512();
