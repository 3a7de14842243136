// Packing of GEMM operands into micro-panels (see GemmPacking.swift for the
// layout). Plain loops that the compiler vectorises; the AVX2 copy is chosen
// at run time like the micro-kernels. Packing in Swift cost about 16% of a
// 512×512 product (memmove per 16-float strip, scalar strided stores); here
// it is a few percent.
#include "CDescentKernels.h"

#define PACK_PREFIX descent_pack_baseline_
#define PACK_TARGET
#include "sgemm_pack_template.h"

#if defined(__x86_64__) || defined(__i386__)
#define PACK_PREFIX descent_pack_avx2_
#define PACK_TARGET __attribute__((target("avx2,fma")))
#include "sgemm_pack_template.h"

static int use_avx2(void) {
    static int state = -1;   // benign race: every thread computes the same value
    if (state < 0) state = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return state;
}
#endif

void descent_sgemm_pack_interleave(const float *src, long ld, long count, long depth, long width, float *dst) {
#if defined(__x86_64__) || defined(__i386__)
    if (use_avx2()) { descent_pack_avx2_interleave(src, ld, count, depth, width, dst); return; }
#endif
    descent_pack_baseline_interleave(src, ld, count, depth, width, dst);
}

void descent_sgemm_pack_strips(const float *src, long ld, long count, long depth, long width, float *dst) {
#if defined(__x86_64__) || defined(__i386__)
    if (use_avx2()) { descent_pack_avx2_strips(src, ld, count, depth, width, dst); return; }
#endif
    descent_pack_baseline_strips(src, ld, count, depth, width, dst);
}
