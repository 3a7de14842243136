// Packing routines for the sgemm micro-kernels, instantiated by sgemm_pack.c for
// the baseline target and for AVX2. Template: no include guard on purpose.
//   PACK_PREFIX   name prefix       PACK_TARGET   attribute list or empty
//
// Both pack `count` rows/columns into ceil(count / width) panels of `width`,
// panel q at dst + q*width*depth, the last one zero-padded.
#define PK_CAT2(a, b) a##b
#define PK_CAT(a, b) PK_CAT2(a, b)

// One full panel of W interleaved rows; prefetches the same place one panel ahead,
// because each row is only `depth` floats long, too short for the hardware
// prefetcher to ramp up.
#define PK_INTERLEAVE_FIXED(W)                                                        \
    if (width == W && rows == W) {                                                    \
        long p = 0;                                                                   \
        for (; p + 16 <= depth; p += 16) {                                            \
            _Pragma("clang loop unroll(full)")                                        \
            for (int r = 0; r < W; r++) __builtin_prefetch(src + (r + W) * ld + p + 16, 0, 3); \
            const float *s = src + p;                                                 \
            float *d = dst + p * W;                                                   \
            _Pragma("clang loop unroll(full)")                                        \
            for (int q = 0; q < 16; q++) {                                            \
                _Pragma("clang loop unroll(full)")                                    \
                for (int r = 0; r < W; r++) d[q * W + r] = s[r * ld + q];             \
            }                                                                         \
        }                                                                             \
        for (; p < depth; p++) {                                                      \
            _Pragma("clang loop unroll(full)")                                        \
            for (int r = 0; r < W; r++) dst[p * W + r] = src[r * ld + p];             \
        }                                                                             \
        return;                                                                       \
    }

PACK_TARGET
static void PK_CAT(PACK_PREFIX, interleave_panel)(const float *restrict src, long ld, long rows, long depth,
                                                  long width, float *restrict dst) {
    PK_INTERLEAVE_FIXED(4)
    PK_INTERLEAVE_FIXED(6)
    PK_INTERLEAVE_FIXED(8)
    PK_INTERLEAVE_FIXED(12)
    PK_INTERLEAVE_FIXED(16)
    PK_INTERLEAVE_FIXED(32)
    for (long r = 0; r < rows; r++) {
        const float *row = src + r * ld;
        for (long p = 0; p < depth; p++) dst[p * width + r] = row[p];
    }
    for (long p = 0; p < depth; p++)
        for (long r = rows; r < width; r++) dst[p * width + r] = 0;
}

// dst[q][p*width + r] = src[(q*width + r)*ld + p]
PACK_TARGET __attribute__((unused))
static void PK_CAT(PACK_PREFIX, interleave)(const float *restrict src, long ld, long count, long depth,
                                            long width, float *restrict dst) {
    for (long start = 0; start < count; start += width) {
        long rows = count - start < width ? count - start : width;
        PK_CAT(PACK_PREFIX, interleave_panel)(src + start * ld, ld, rows, depth, width, dst);
        dst += width * depth;
    }
}

#define PK_STRIP_FIXED(W)                                                             \
    case W:                                                                           \
        for (long q = 0; q < full; q++) {                                             \
            _Pragma("clang loop unroll(full)")                                        \
            for (int j = 0; j < W; j++) out[q * W * depth + j] = row[q * W + j];      \
        }                                                                             \
        break;

// dst[q][p*width + j] = src[p*ld + q*width + j]: walks each stored row once,
// left to right, writing one strip into every panel.
PACK_TARGET
static void PK_CAT(PACK_PREFIX, strips)(const float *restrict src, long ld, long count, long depth,
                                        long width, float *restrict dst) {
    long full = count / width, rest = count - full * width;
    for (long p = 0; p < depth; p++) {
        const float *row = src + p * ld;
        float *out = dst + p * width;
        switch (width) {
        PK_STRIP_FIXED(4)
        PK_STRIP_FIXED(6)
        PK_STRIP_FIXED(8)
        PK_STRIP_FIXED(12)
        PK_STRIP_FIXED(16)
        PK_STRIP_FIXED(32)
        default:
            for (long q = 0; q < full; q++)
                for (long j = 0; j < width; j++) out[q * width * depth + j] = row[q * width + j];
        }
        if (rest > 0) {
            float *last = out + full * width * depth;
            const float *tail = row + full * width;
            long j = 0;
            for (; j < rest; j++) last[j] = tail[j];
            for (; j < width; j++) last[j] = 0;
        }
    }
}

#undef PK_INTERLEAVE_FIXED
#undef PK_STRIP_FIXED
#undef PK_CAT
#undef PK_CAT2
#undef PACK_PREFIX
#undef PACK_TARGET
