// Single-precision GEMM micro-kernels, one per instruction set, chosen at run time.
//
// The run-time choice of every C target (CDescentDispatch.h), with one difference: the
// template also takes the tile shape, which differs per instruction set, and the table
// is indexed by kind, so that tests can run every kernel the processor supports.
// A plain `swift build -c release` compiles this file for the baseline target
// (x86-64 with SSE2 only, or armv8 with NEON); the wider kernels get their
// instruction sets from DESCENT_TARGET_AVX2 / DESCENT_TARGET_AVX512 and are only
// called after descent_isa_level() says the processor (and operating system) has
// them. Packing, cache blocking and threading are in Swift
// (Sources/DescentTensor/Kernels, Threading); only the register-blocked inner loop is here.
#include "CDescentKernels.h"
#include "CDescentDispatch.h"

// Portable fallback: 4-wide generic vectors (SSE2 on x86-64, NEON elsewhere,
// scalar code on targets without SIMD). 4x8 tile: 8 accumulators.
#define KERNEL_NAME descent_sgemm_portable_4x8
#define KERNEL_TARGET
#define KERNEL_VEC 4
#define KERNEL_MR 4
#define KERNEL_NV 2
#define KERNEL_FMA 0
#include "sgemm_microkernel_template.h"

#if DESCENT_ISA_X86
// AVX2 + FMA (x86-64-v3): 6x16 tile, 12 ymm accumulators + 2 for B + 1 broadcast of A.
#define KERNEL_NAME descent_sgemm_avx2_6x16
#define KERNEL_TARGET DESCENT_TARGET_AVX2
#define KERNEL_VEC 8
#define KERNEL_MR 6
#define KERNEL_NV 2
#define KERNEL_FMA 1
#include "sgemm_microkernel_template.h"

// AVX-512 (x86-64-v4): 12x32 tile, 24 zmm accumulators; the broadcast of A folds into the
// FMA as an embedded-broadcast memory operand.
#define KERNEL_NAME descent_sgemm_avx512_12x32
#define KERNEL_TARGET DESCENT_TARGET_AVX512
#define KERNEL_VEC 16
#define KERNEL_MR 12
#define KERNEL_NV 2
#define KERNEL_FMA 1
#include "sgemm_microkernel_template.h"

// The AVX-512 kernel's exact source and tile shape compiled for AVX2, so that
// tests on machines without AVX-512 still check the 12x32 geometry.
#define KERNEL_NAME descent_sgemm_avx2_12x32
#define KERNEL_TARGET DESCENT_TARGET_AVX2
#define KERNEL_VEC 16
#define KERNEL_MR 12
#define KERNEL_NV 2
#define KERNEL_FMA 1
#include "sgemm_microkernel_template.h"
#endif

#if defined(__aarch64__)
// NEON (always present on arm64): 8x12 tile, 24 of the 32 q registers.
#define KERNEL_NAME descent_sgemm_neon_8x12
#define KERNEL_TARGET
#define KERNEL_VEC 4
#define KERNEL_MR 8
#define KERNEL_NV 3
#define KERNEL_FMA 1
#include "sgemm_microkernel_template.h"
#endif

static descent_sgemm_kernel make_kernel(descent_sgemm_microkernel function, int kind, const char *name,
                                        int mr, int nr, int mc, int kc, int nc) {
    descent_sgemm_kernel kernel = {function, kind, name, mr, nr, mc, kc, nc};
    return kernel;
}

int descent_sgemm_kernel_supported(int kind) {
    switch (kind) {
    case DESCENT_SGEMM_PORTABLE: return 1;
#if DESCENT_ISA_X86
    case DESCENT_SGEMM_AVX2:
    case DESCENT_SGEMM_AVX2_WIDE:
        return descent_isa_level() >= DESCENT_ISA_LEVEL_AVX2;
    case DESCENT_SGEMM_AVX512:
        return descent_isa_level() >= DESCENT_ISA_LEVEL_AVX512;
#endif
#if defined(__aarch64__)
    case DESCENT_SGEMM_NEON: return 1;
#endif
    default: return 0;
    }
}

int descent_sgemm_best_kind(void) {
#if DESCENT_ISA_X86
    if (descent_sgemm_kernel_supported(DESCENT_SGEMM_AVX512)) return DESCENT_SGEMM_AVX512;
    if (descent_sgemm_kernel_supported(DESCENT_SGEMM_AVX2)) return DESCENT_SGEMM_AVX2;
#endif
#if defined(__aarch64__)
    return DESCENT_SGEMM_NEON;
#endif
    return DESCENT_SGEMM_PORTABLE;
}

descent_sgemm_kernel descent_sgemm_kernel_for(int kind) {
    if (kind == DESCENT_SGEMM_AUTO) kind = descent_sgemm_best_kind();
    if (!descent_sgemm_kernel_supported(kind)) kind = DESCENT_SGEMM_PORTABLE;
    switch (kind) {
#if DESCENT_ISA_X86
    // Block sizes: KC*NR floats of B stay in L1, MC*KC floats of A in L2 (as in BLIS).
    // 12x32 uses KC = 192 so that its B micro-panel (24 KiB) leaves room in a 32 KiB L1
    // (Skylake-X, Zen 4) as well as a 48 KiB one (Ice Lake and later, Zen 5).
    // 6x16: MC = 72, KC = 384 (not BLIS's 144 x 256). When the row stride of C is a
    // multiple of 4 KiB (n = 1024), the rows of one column of C tiles share one L1 set
    // and, per cache line, 16 of the 1024 L2 sets: MC = 144 rows overfill those 8-way
    // L2 sets and evict the A block there; 72 rows do not. The deeper KC makes fewer
    // passes over C (k = 1024: 3, not 4); its 24 KiB B micro-panel streams from L2.
    // Zen 3, n = 1024: 1 thread 72-78 -> 80-84 GFLOPS per CPU-second, 2 threads
    // 120 -> 150 GFLOPS (best of 6 interleaved runs); n = 256 and 512 unchanged.
    case DESCENT_SGEMM_AVX2:
        return make_kernel(descent_sgemm_avx2_6x16, kind, "avx2-fma 6x16", 6, 16, 72, 384, 4080);
    case DESCENT_SGEMM_AVX512:
        return make_kernel(descent_sgemm_avx512_12x32, kind, "avx512f 12x32", 12, 32, 240, 192, 3072);
    case DESCENT_SGEMM_AVX2_WIDE:
        return make_kernel(descent_sgemm_avx2_12x32, kind, "avx2-fma 12x32 (avx512 shape)", 12, 32, 240, 192, 3072);
#endif
#if defined(__aarch64__)
    case DESCENT_SGEMM_NEON:
        return make_kernel(descent_sgemm_neon_8x12, kind, "neon 8x12", 8, 12, 120, 256, 4080);
#endif
    default:
        return make_kernel(descent_sgemm_portable_4x8, DESCENT_SGEMM_PORTABLE, "portable 4x8", 4, 8, 128, 256, 4096);
    }
}
