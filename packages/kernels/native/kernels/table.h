// The kernels of one SIMD level: the table every SIMD level fills in (kiln.h), written once and
// compiled once per level (kernels/generic.cc, avx2.cc and avx512.cc include this file with their
// own -m flags, set in binding.gyp). Everything here and in the headers it includes has internal
// linkage (anonymous namespace, no std:: templates that emit out-of-line code), so no function
// compiled for AVX-512 can be merged by the linker into code that runs on a lesser CPU.
//
// The including file defines KILN_TABLE_FN (the name of its extern "C" table getter) and
// KILN_TABLE_NAME (the level's name). The kernels, one concern per header:
//   common.h       index type, integer helpers, aligned scratch
//   kmath.h        vectorisable exp, log, log1p, erfc, normal CDF, sigmoid
//   gemm-kernel.h  SGEMM register blocks and micro-kernels (per SIMD level)
//   gemm-pack.h    SGEMM packing of A panels and B strips
//   gemm.h         SGEMM drivers: K split, one-shot, blocked
//   scan.h         selective scan forward and backward
//   conv.h         causal depthwise conv1d
//   layernorm.h    LayerNorm
//   activations.h  GELU, SiLU, softplus
//   loss.h         softmax cross-entropy rows
//   online.h       Mamba4Rec's recurrence for one user, top-K over all items
#pragma once

#if !defined(KILN_TABLE_FN) || !defined(KILN_TABLE_NAME)
#error "define KILN_TABLE_FN and KILN_TABLE_NAME before including kernels/table.h (see kernels/generic.cc)"
#endif

#include "../kiln.h"
#include "activations.h"
#include "common.h"
#include "conv.h"
#include "gemm-kernel.h"
#include "gemm-pack.h"
#include "gemm.h"
#include "kmath.h"
#include "layernorm.h"
#include "loss.h"
#include "online.h"
#include "scan.h"

namespace {

const kiln::KernelTable kTable = {
    KILN_TABLE_NAME,
    sgemm,                // gemm.h
    scan_forward,         // scan.h
    scan_backward,        // scan.h
    conv1d_forward,       // conv.h
    conv1d_backward,      // conv.h
    layernorm_forward,    // layernorm.h
    layernorm_backward,   // layernorm.h
    activation_forward,   // activations.h
    activation_backward,  // activations.h
    xent_rows,            // loss.h
    ssm_scratch_floats,   // online.h
    ssm_advance,          // online.h
    ssm_topk,             // online.h
};

}  // namespace

extern "C" const kiln::KernelTable* KILN_TABLE_FN() { return &kTable; }
