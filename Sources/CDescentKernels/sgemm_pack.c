// Packing of GEMM operands into micro-panels (see GemmPacking.swift for the
// layout). Plain loops that the compiler vectorises, in sgemm_pack_template.h,
// compiled for the baseline and AVX2 (CDescentDispatch.h); the AVX2 copy is chosen
// at run time like the micro-kernels. Packing in Swift cost about 16% of a
// 512×512 product (memmove per 16-float strip, scalar strided stores); here
// it is a few percent.
#include "CDescentKernels.h"
#include "CDescentDispatch.h"

#define DESCENT_ISA baseline
#include "sgemm_pack_template.h"

#if DESCENT_ISA_X86
#include <immintrin.h>

#define DESCENT_ISA avx2
#include "sgemm_pack_template.h"

static int use_avx2(void) { return descent_isa_level() >= DESCENT_ISA_LEVEL_AVX2; }

// v[q][i] <- v[i][q]: the usual unpack / shuffle / permute 8x8 transpose.
DESCENT_TARGET_AVX2
static inline void transpose8(__m256 v[8]) {
    __m256 t0 = _mm256_unpacklo_ps(v[0], v[1]), t1 = _mm256_unpackhi_ps(v[0], v[1]);
    __m256 t2 = _mm256_unpacklo_ps(v[2], v[3]), t3 = _mm256_unpackhi_ps(v[2], v[3]);
    __m256 t4 = _mm256_unpacklo_ps(v[4], v[5]), t5 = _mm256_unpackhi_ps(v[4], v[5]);
    __m256 t6 = _mm256_unpacklo_ps(v[6], v[7]), t7 = _mm256_unpackhi_ps(v[6], v[7]);
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    v[0] = _mm256_permute2f128_ps(u0, u4, 0x20); v[1] = _mm256_permute2f128_ps(u1, u5, 0x20);
    v[2] = _mm256_permute2f128_ps(u2, u6, 0x20); v[3] = _mm256_permute2f128_ps(u3, u7, 0x20);
    v[4] = _mm256_permute2f128_ps(u0, u4, 0x31); v[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
    v[6] = _mm256_permute2f128_ps(u2, u6, 0x31); v[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
}

// One full interleaved panel (rows == width, width 6 or a multiple of 4) by 8x8
// register transposes: 8 loads, 24 shuffles and 8 stores per 64 floats, where the
// compiler's version moves one float at a time.
DESCENT_TARGET_AVX2
static void interleave_panel_transposing(const float *restrict src, long ld, long depth, long width,
                                         float *restrict dst) {
    long p = 0;
    for (; p + 8 <= depth; p += 8) {
        if ((p & 15) == 0) {
            for (long r = 0; r < width; r++) __builtin_prefetch(src + (r + width) * ld + p, 0, 3);
        }
        for (long r0 = 0; r0 < width; r0 += 8) {
            long count = width - r0 < 8 ? width - r0 : 8;
            __m256 v[8];
            for (int i = 0; i < 8; i++) v[i] = _mm256_loadu_ps(src + (r0 + (i < count ? i : 0)) * ld + p);
            transpose8(v);
            float *d = dst + p * width + r0;
            if (count == 8) {
                for (int q = 0; q < 8; q++) _mm256_storeu_ps(d + q * width, v[q]);
            } else if (count == 4) {
                for (int q = 0; q < 8; q++) _mm_storeu_ps(d + q * width, _mm256_castps256_ps128(v[q]));
            } else {   // 6
                for (int q = 0; q < 8; q++) {
                    _mm_storeu_ps(d + q * width, _mm256_castps256_ps128(v[q]));
                    _mm_storel_pi((__m64 *)(d + q * width + 4), _mm256_extractf128_ps(v[q], 1));
                }
            }
        }
    }
    for (; p < depth; p++)
        for (long r = 0; r < width; r++) dst[p * width + r] = src[r * ld + p];
}
#endif

void descent_sgemm_pack_interleave(const float *src, long ld, long count, long depth, long width, float *dst) {
#if DESCENT_ISA_X86
    if (use_avx2()) {
        for (long start = 0; start < count; start += width) {
            long rows = count - start < width ? count - start : width;
            if (rows == width && (width == 6 || width % 4 == 0)) {
                interleave_panel_transposing(src + start * ld, ld, depth, width, dst);
            } else {
                pack_interleave_panel_avx2(src + start * ld, ld, rows, depth, width, dst);
            }
            dst += width * depth;
        }
        return;
    }
#endif
    pack_interleave_baseline(src, ld, count, depth, width, dst);
}

void descent_sgemm_pack_strips(const float *src, long ld, long count, long depth, long width, float *dst) {
#if DESCENT_ISA_X86
    if (use_avx2()) { pack_strips_avx2(src, ld, count, depth, width, dst); return; }
#endif
    pack_strips_baseline(src, ld, count, depth, width, dst);
}
