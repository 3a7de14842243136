#ifndef CDESCENT_KERNELS_H
#define CDESCENT_KERNELS_H
// C micro-kernels for DescentTensor: only the hottest inner loops live here,
// compiled with per-function target attributes and chosen at run time
// (CDescentDispatch.h); and the thread pool's atomics (descent_threading.h).
#include "descent_threading.h"

#ifdef __cplusplus
extern "C" {
#endif

/// C[0..<m, 0..<n] (= or +=) packedA(MR x kc) * B(kc x NR, rows `bstride` floats apart:
/// NR when packed); see sgemm_microkernel_template.h.
typedef void (*descent_sgemm_microkernel)(long kc, const float *a, const float *b, long bstride,
                                          float *c, long ldc, long m, long n, int accumulate);

/// Kernel kinds. AUTO picks the best one the processor supports.
enum {
    DESCENT_SGEMM_AUTO = 0,
    DESCENT_SGEMM_PORTABLE = 1,
    DESCENT_SGEMM_AVX2 = 2,
    DESCENT_SGEMM_AVX512 = 3,
    DESCENT_SGEMM_NEON = 4,
    /// The AVX-512 kernel's source and 12x32 tile compiled for AVX2 (for tests).
    DESCENT_SGEMM_AVX2_WIDE = 5,
};

/// A micro-kernel with its tile shape (mr x nr) and cache blocks (mc, kc, nc).
typedef struct {
    descent_sgemm_microkernel function;
    int kind;
    const char *name;
    int mr, nr, mc, kc, nc;
} descent_sgemm_kernel;

/// 1 if `kind` runs on this processor.
int descent_sgemm_kernel_supported(int kind);
/// The fastest kind this processor supports.
int descent_sgemm_best_kind(void);
/// The kernel of `kind` (AUTO: the best); an unsupported kind gives the portable kernel.
descent_sgemm_kernel descent_sgemm_kernel_for(int kind);

/// Packing of `count` rows/columns into ceil(count/width) micro-panels of `width` (MR or NR)
/// floats per depth step, panel q at dst + q*width*depth, the last one zero-padded:
/// interleave: dst[q][p*width + r] = src[(q*width + r)*ld + p]  (rows of A, columns of a transposed B)
/// strips:     dst[q][p*width + j] = src[p*ld + q*width + j]    (columns of B, rows of a transposed A)
void descent_sgemm_pack_interleave(const float *src, long ld, long count, long depth, long width, float *dst);
void descent_sgemm_pack_strips(const float *src, long ld, long count, long depth, long width, float *dst);

#ifdef __cplusplus
}
#endif
#endif
