// Fused optimizer kernels. Each body is written once, in optimizer_template.h,
// compiled for AVX-512, AVX2+FMA and the baseline (SSE2 on x86-64, NEON on arm64),
// and the widest the processor runs is chosen at first use, as every C kernel is
// (CDescentDispatch.h).
//
// The arithmetic mirrors PyTorch's single-tensor float32 implementation
// (torch/optim/adam.py, sgd.py), operation by operation.
#include "CDescentOptimKernels.h"
#include "CDescentDispatch.h"
#include <math.h>
#include <stdint.h>
#include <string.h>


// sqrtf may set errno, which stops the vectoriser; the elementwise builtin does not.
#if defined(__clang__) && __has_builtin(__builtin_elementwise_sqrt)
#define SQRT(x) __builtin_elementwise_sqrt(x)
#else
#define SQRT(x) sqrtf(x)
#endif

/// One instruction set's kernels.
typedef struct {
    void (*adam)(float *, const float *, float *, float *, float *, size_t, const descent_adam_parameters *);
    void (*sgd)(float *, const float *, float *, size_t, const descent_sgd_parameters *);
    double (*squares)(const float *, size_t);
} optimizer_kernels;

#define DESCENT_ISA baseline
#include "optimizer_template.h"
#if DESCENT_ISA_X86
#define DESCENT_ISA avx2
#include "optimizer_template.h"
#define DESCENT_ISA avx512
#include "optimizer_template.h"
#endif

DESCENT_ISA_CHOOSER(optimizer_kernels, kernels, optimizer)

int descent_optim_kernels_level(void) { return descent_isa_level(); }

void descent_adam_step(float *p, const float *g, float *m, float *v, float *max_v,
                       size_t count, const descent_adam_parameters *parameters) {
    kernels()->adam(p, g, m, v, max_v, count, parameters);
}

void descent_sgd_step(float *p, const float *g, float *buffer, size_t count,
                      const descent_sgd_parameters *parameters) {
    kernels()->sgd(p, g, buffer, count, parameters);
}

double descent_sum_of_squares(const float *x, size_t count) { return kernels()->squares(x, count); }
