// One register-blocked single-precision micro-kernel, instantiated several times
// by sgemm_microkernels.c with different vector widths and target attributes.
// This file is a template: it has no include guard on purpose.
//
// Parameters (macros defined by the includer, undefined again at the end):
//   KERNEL_NAME     function name
//   KERNEL_TARGET   attribute list, e.g. __attribute__((target("avx2,fma"))), or empty
//   KERNEL_VEC      floats per vector register (4, 8 or 16)
//   KERNEL_MR       rows of C per tile (one broadcast of A per row and k)
//   KERNEL_NV       vectors per row of C (NR = KERNEL_NV * KERNEL_VEC columns)
//   KERNEL_FMA      1 to use fused multiply-add, 0 for multiply then add
//
// The tile C[0..<m, 0..<n] (m <= MR, n <= NR, row stride ldc) receives
//   C  = A·B   (accumulate == 0)   or   C += A·B   (accumulate != 0)
// where A is a packed micro-panel (kc steps of MR floats: a[p*MR + r] = A[r, p])
// and B is a micro-panel of kc rows of NR floats, `bstride` floats apart:
// b[p*bstride + j] = B[p, j] (bstride = NR when packed and zero-padded; the row
// stride of B when a full-width panel is read where it lies, unpacked).

#define KERNEL_NR (KERNEL_NV * KERNEL_VEC)
#define KV_CAT2(a, b) a##b
#define KV_CAT(a, b) KV_CAT2(a, b)
#define KV_TYPE KV_CAT(KERNEL_NAME, _vector)

typedef float KV_TYPE __attribute__((vector_size(KERNEL_VEC * 4), aligned(4)));

#if KERNEL_FMA
#define KV_MADD(x, y, acc) __builtin_elementwise_fma((x), (y), (acc))
#else
#define KV_MADD(x, y, acc) ((acc) + (x) * (y))
#endif

KERNEL_TARGET
static void KERNEL_NAME(long kc, const float *restrict a, const float *restrict b, long bstride,
                        float *restrict c, long ldc, long m, long n, int accumulate) {
    KV_TYPE acc[KERNEL_MR][KERNEL_NV];
#pragma clang loop unroll(full)
    for (int r = 0; r < KERNEL_MR; r++) {
#pragma clang loop unroll(full)
        for (int v = 0; v < KERNEL_NV; v++) acc[r][v] = (KV_TYPE){0};
    }
    // Touch the C tile early so its lines arrive while the k loop runs.
    // (Both ends of each row: a row of NR floats may span two cache lines.)
    for (long r = 0; r < m; r++) {
        __builtin_prefetch(c + r * ldc, 1, 3);
        __builtin_prefetch(c + r * ldc + n - 1, 1, 3);
    }

#pragma clang loop unroll_count(4)
    for (long p = 0; p < kc; p++) {
        KV_TYPE bv[KERNEL_NV];
#pragma clang loop unroll(full)
        for (int v = 0; v < KERNEL_NV; v++) bv[v] = *(const KV_TYPE *)(b + v * KERNEL_VEC);
#pragma clang loop unroll(full)
        for (int r = 0; r < KERNEL_MR; r++) {
            // a[r] - (+0) is exactly a[r] and folds away, leaving a plain broadcast.
            KV_TYPE av = a[r] - (KV_TYPE){0};
#pragma clang loop unroll(full)
            for (int v = 0; v < KERNEL_NV; v++) acc[r][v] = KV_MADD(av, bv[v], acc[r][v]);
        }
        a += KERNEL_MR;
        b += bstride;
    }

    if (m == KERNEL_MR && n == KERNEL_NR) {
#pragma clang loop unroll(full)
        for (int r = 0; r < KERNEL_MR; r++) {
#pragma clang loop unroll(full)
            for (int v = 0; v < KERNEL_NV; v++) {
                KV_TYPE *dst = (KV_TYPE *)(c + r * ldc + v * KERNEL_VEC);
                *dst = accumulate ? *dst + acc[r][v] : acc[r][v];
            }
        }
        return;
    }
    // Partial tile at the right or bottom edge: spill, then copy what exists.
    float tile[KERNEL_MR * KERNEL_NR];
#pragma clang loop unroll(full)
    for (int r = 0; r < KERNEL_MR; r++) {
#pragma clang loop unroll(full)
        for (int v = 0; v < KERNEL_NV; v++) *(KV_TYPE *)(tile + r * KERNEL_NR + v * KERNEL_VEC) = acc[r][v];
    }
    for (long r = 0; r < m; r++) {
        float *dst = c + r * ldc;
        const float *src = tile + r * KERNEL_NR;
        if (accumulate) {
            for (long j = 0; j < n; j++) dst[j] += src[j];
        } else {
            for (long j = 0; j < n; j++) dst[j] = src[j];
        }
    }
}

#undef KV_MADD
#undef KV_TYPE
#undef KV_CAT
#undef KV_CAT2
#undef KERNEL_NR
#undef KERNEL_NAME
#undef KERNEL_TARGET
#undef KERNEL_VEC
#undef KERNEL_MR
#undef KERNEL_NV
#undef KERNEL_FMA
