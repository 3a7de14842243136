// The shared window's two passes over memory (SharedMemoryWindow, DataParallelStep): the streamed write of a
// process's scaled part and the sum of every part in rank order. Each body is written once, in
// window_kernels_template.h, compiled for AVX-512, AVX2 and the baseline (SSE2 on x86-64, NEON on arm64), and the
// widest the processor runs is chosen at first use, as every C kernel is (CDescentDispatch.h): Swift's SIMD types
// on the default x86-64 target are SSE, 4 floats an instruction.
//
// No fused multiply-add, on any target: Σ_k part_k × scale_k rounds each product and then each addition, as
// MPI_Allreduce's sum of pre-scaled parts does, so the window and MPI_Allreduce give the same bits (and the FMA of
// an AVX2 target would not be the baseline's answer). The pragma applies to every function below it.
#pragma STDC FP_CONTRACT OFF
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

#include "CDescentMPI.h"
#include "CDescentDispatch.h"
#include <string.h>

/// One instruction set's kernels.
typedef struct {
    double (*streaming_scaled_copy)(const float *, float *, long, float);
    double (*sum_in_rank_order)(const float *const *, const float *, long, long, float *, int *);
} window_kernels;

// Floats per vector: 16 (one zmm) with AVX-512; 8 otherwise (one ymm with AVX2, two xmm on the baseline).
#define DESCENT_WINDOW_LANES 8
#define DESCENT_ISA baseline
#include "window_kernels_template.h"
#if DESCENT_ISA_X86
#define DESCENT_ISA avx2
#include "window_kernels_template.h"
#undef DESCENT_WINDOW_LANES
#define DESCENT_WINDOW_LANES 16
#define DESCENT_ISA avx512
#include "window_kernels_template.h"
#endif

DESCENT_ISA_CHOOSER(window_kernels, kernels, window)

int descent_window_kernels_level(void) { return descent_isa_level(); }

double descent_streaming_scaled_copy(const float *values, float *target, long count, float factor) {
    return kernels()->streaming_scaled_copy(values, target, count, factor);
}

double descent_sum_in_rank_order(const float *const *sources, const float *scales, long parts, long count, float *target,
                                 int *finite) {
    return kernels()->sum_in_rank_order(sources, scales, parts, count, target, finite);
}

double descent_sum_in_rank_order_at_level(int level, const float *const *sources, const float *scales, long parts, long count,
                                          float *target, int *finite) {
    if (level < 0 || level > descent_isa_level()) return -1;
    return DESCENT_ISA_TABLE_FOR_LEVEL(window, level)->sum_in_rank_order(sources, scales, parts, count, target, finite);
}

double descent_streaming_scaled_copy_at_level(int level, const float *values, float *target, long count, float factor) {
    if (level < 0 || level > descent_isa_level()) return -1;
    return DESCENT_ISA_TABLE_FOR_LEVEL(window, level)->streaming_scaled_copy(values, target, count, factor);
}
