// Packing routines for the sgemm micro-kernels, instantiated by sgemm_pack.c for
// the baseline target and for AVX2 (see CDescentDispatch.h). Template: no include
// guard on purpose; DESCENT_ISA names the instruction set and is undefined at the end.
//
// Both pack `count` rows/columns into ceil(count / width) panels of `width`,
// panel q at dst + q*width*depth, the last one zero-padded.
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

DESCENT_ISA_TARGET
static void DESCENT_ISA_NAME(pack_interleave_panel)(const float *restrict src, long ld, long rows, long depth,
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
DESCENT_ISA_TARGET __attribute__((unused))
static void DESCENT_ISA_NAME(pack_interleave)(const float *restrict src, long ld, long count, long depth,
                                              long width, float *restrict dst) {
    for (long start = 0; start < count; start += width) {
        long rows = count - start < width ? count - start : width;
        DESCENT_ISA_NAME(pack_interleave_panel)(src + start * ld, ld, rows, depth, width, dst);
        dst += width * depth;
    }
}

#define PK_STRIP_FIXED(W)                                                             \
    case W:                                                                           \
        for (long q = 0; q < full; q++) {                                             \
            for (long p = p0; p < p1; p++) {                                          \
                _Pragma("clang loop unroll(full)")                                    \
                for (int j = 0; j < W; j++)                                           \
                    dst[q * W * depth + p * W + j] = src[p * ld + q * W + j];         \
            }                                                                         \
        }                                                                             \
        break;

// dst[q][p*width + j] = src[p*ld + q*width + j], in blocks of 8 stored rows: each
// block is read left to right (8 sequential streams) and written panel by panel
// (8 consecutive strips of one panel). Walking one whole row at a time instead
// writes one strip into every panel, and the panels lie width*depth floats apart,
// a multiple of 4 KiB for the usual KC: every store of a row then hits the same L1
// set (at n = 1024, 2 threads, packing B took 4.4% of the product that way).
DESCENT_ISA_TARGET
static void DESCENT_ISA_NAME(pack_strips)(const float *restrict src, long ld, long count, long depth,
                                          long width, float *restrict dst) {
    long full = count / width, rest = count - full * width;
    for (long p0 = 0; p0 < depth; p0 += 8) {
        long p1 = depth - p0 < 8 ? depth : p0 + 8;
        switch (width) {
        PK_STRIP_FIXED(4)
        PK_STRIP_FIXED(6)
        PK_STRIP_FIXED(8)
        PK_STRIP_FIXED(12)
        PK_STRIP_FIXED(16)
        PK_STRIP_FIXED(32)
        default:
            for (long q = 0; q < full; q++)
                for (long p = p0; p < p1; p++)
                    for (long j = 0; j < width; j++) dst[q * width * depth + p * width + j] = src[p * ld + q * width + j];
        }
        if (rest > 0) {
            for (long p = p0; p < p1; p++) {
                float *last = dst + full * width * depth + p * width;
                const float *tail = src + p * ld + full * width;
                long j = 0;
                for (; j < rest; j++) last[j] = tail[j];
                for (; j < width; j++) last[j] = 0;
            }
        }
    }
}

#undef PK_INTERLEAVE_FIXED
#undef PK_STRIP_FIXED
#undef DESCENT_ISA
