// Elementwise kernels written as plain loops that the compiler vectorises.
//
// The loops are in elementwise_template.h, compiled for AVX-512, AVX2+FMA and the
// baseline (SSE2 on x86-64, NEON on arm64) and chosen at first use, the way every C
// target chooses (CDescentDispatch.h); so a plain `swift build -c release` uses
// AVX-512 where it exists, on Linux and macOS alike.
//
// exp, log and tanh use branch-free polynomial approximations (Cephes-style range
// reduction) so the loops vectorise; their error is within 2 ulp of the correctly
// rounded result over the float range, checked against libm in the tests.
#include "CDescentElementwise.h"
#include "CDescentDispatch.h"
#include <stdint.h>
#include <string.h>

static inline float bits_to_float(uint32_t bits) { float f; memcpy(&f, &bits, 4); return f; }
static inline uint32_t float_to_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

// exp(x): x = n·ln2 + r with |r| ≤ ln2/2, exp(r) by a degree-6 polynomial, 2ⁿ by exponent bits.
static inline float exp_approx(float x) {
    const float high = 88.72283905206835f, low = -103.972084045410f;
    float clamped = x > high ? high : (x < low ? low : x);
    float n = __builtin_roundevenf(clamped * 1.44269504088896341f);
    float r = clamped - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500E-4f;
    p = p * r + 1.3981999507E-3f;
    p = p * r + 8.3334519073E-3f;
    p = p * r + 4.1665795894E-2f;
    p = p * r + 1.6666665459E-1f;
    p = p * r + 5.0000001201E-1f;
    p = p * r * r + r + 1.0f;
    // Split the scale in two so that n down to -150 (subnormal results) stays exact.
    int32_t integer = (int32_t)n;
    int32_t half = integer / 2;
    float scale1 = bits_to_float((uint32_t)(half + 127) << 23);
    float scale2 = bits_to_float((uint32_t)(integer - half + 127) << 23);
    float result = p * scale1 * scale2;
    result = x > high ? __builtin_inff() : result;
    result = x < low ? 0.0f : result;
    result = x != x ? x : result;  // NaN stays NaN
    return result;
}

// log(x): x = m·2ᵉ with m in [√½, √2), log(m) by the Cephes polynomial.
static inline float log_approx(float input) {
    // Subnormal inputs are scaled by 2²³ first so their exponent field is meaningful.
    int subnormal = input > 0.0f && input < 1.17549435e-38f;
    float x = subnormal ? input * 8388608.0f : input;
    uint32_t bits = float_to_bits(x);
    int32_t exponent = (int32_t)((bits >> 23) & 0xff) - 126 - (subnormal ? 23 : 0);
    float m = bits_to_float((bits & 0x807fffffu) | 0x3f000000u);  // m in [0.5, 1)
    int small = m < 0.707106781186547524f;
    exponent -= small;
    m = small ? m + m - 1.0f : m - 1.0f;
    float z = m * m;
    float y = 7.0376836292E-2f;
    y = y * m - 1.1514610310E-1f;
    y = y * m + 1.1676998740E-1f;
    y = y * m - 1.2420140846E-1f;
    y = y * m + 1.4249322787E-1f;
    y = y * m - 1.6668057665E-1f;
    y = y * m + 2.0000714765E-1f;
    y = y * m - 2.4999993993E-1f;
    y = y * m + 3.3333331174E-1f;
    y = y * m * z;
    float e = (float)exponent;
    y += e * -2.12194440e-4f;
    y += -0.5f * z;
    float result = m + y + e * 0.693359375f;
    // Special values as IEEE 754 says: log(0) = -inf, log(<0) = NaN, log(inf) = inf, NaN stays NaN.
    result = input == 0.0f ? -__builtin_inff() : result;
    result = input < 0.0f ? __builtin_nanf("") : result;
    result = input == __builtin_inff() ? input : result;
    result = input != input ? input : result;
    return result;
}

static inline float tanh_approx(float x) {
    // tanh(x) = sign(x)·(1 − 2/(exp(2|x|) + 1)); a polynomial near 0 keeps relative accuracy.
    float a = x < 0 ? -x : x;
    float e = exp_approx(2.0f * a);
    float large = 1.0f - 2.0f / (e + 1.0f);
    float z = x * x;
    float p = -5.70498872745E-3f;
    p = p * z + 2.06390887954E-2f;
    p = p * z - 5.37397155531E-2f;
    p = p * z + 1.33314422036E-1f;
    p = p * z - 3.33332819422E-1f;
    float small = x + x * z * p;
    float result = a < 0.625f ? small : (x < 0 ? -large : large);
    return x != x ? x : result;
}

static inline float sigmoid_approx(float x) {
    float e = exp_approx(x < 0 ? x : -x);  // exp(−|x|) never overflows
    float positive = 1.0f / (1.0f + e);
    return x >= 0 ? positive : e * positive;
}
// Reductions written with 16 explicit lanes so they vectorise without reassociation flags.
static inline float row_maximum(const float *x, ptrdiff_t columns) {
    float lanes[16];
    int nan = 0;
    for (int lane = 0; lane < 16; lane++) lanes[lane] = -__builtin_inff();
    ptrdiff_t j = 0;
    for (; j + 16 <= columns; j += 16)
        for (int lane = 0; lane < 16; lane++) {
            float v = x[j + lane];
            nan |= v != v;
            lanes[lane] = v > lanes[lane] ? v : lanes[lane];
        }
    float best = -__builtin_inff();
    for (int lane = 0; lane < 16; lane++) best = lanes[lane] > best ? lanes[lane] : best;
    for (; j < columns; j++) { nan |= x[j] != x[j]; best = x[j] > best ? x[j] : best; }
    return nan ? __builtin_nanf("") : best;
}

static inline float row_exp_sum(const float *x, float shift, float *store, ptrdiff_t columns) {
    float lanes[16] = {0};
    ptrdiff_t j = 0;
    for (; j + 16 <= columns; j += 16)
        for (int lane = 0; lane < 16; lane++) {
            float e = exp_approx(x[j + lane] - shift);
            if (store) store[j + lane] = e;
            lanes[lane] += e;
        }
    float total = 0;
    for (int lane = 0; lane < 16; lane++) total += lanes[lane];
    for (; j < columns; j++) { float e = exp_approx(x[j] - shift); if (store) store[j] = e; total += e; }
    return total;
}

// The formulas, each written once: x (and y, or the scalar s) -> the element of `out`.
#define BINARY_KERNELS(X)                                                      \
    X(add, x + y)                                                              \
    X(subtract, x - y)                                                         \
    X(multiply, x * y)                                                         \
    X(divide, x / y)                                                           \
    X(tanh_backward, y * (1.0f - x * x))                                       \
    X(sigmoid_backward, y * x * (1.0f - x))                                    \
    X(relu_backward, x > 0 ? y : 0.0f)                                         \
    X(exp_backward, x * y)                                                     \
    X(maximum, (x != x || y != y) ? x + y : (x > y ? x : y))                   \
    X(minimum, (x != x || y != y) ? x + y : (x < y ? x : y))
#define SCALAR_KERNELS(X)                                                      \
    X(add_scalar, x + s)                                                       \
    X(multiply_scalar, x * s)                                                  \
    X(divide_scalar, x / s)
#define UNARY_KERNELS(X)                                                       \
    X(negate, -x)                                                              \
    X(exp, exp_approx(x))                                                      \
    X(log, log_approx(x))                                                      \
    X(tanh, tanh_approx(x))                                                    \
    X(sigmoid, sigmoid_approx(x))                                              \
    X(relu, x < 0 ? 0.0f : x)  /* NaN stays NaN, as in PyTorch */

/// One instruction set's kernels.
typedef struct {
#define BINARY_MEMBER(name, expression) void (*name)(const float *, const float *, float *, ptrdiff_t);
#define SCALAR_MEMBER(name, expression) void (*name)(const float *, float, float *, ptrdiff_t);
#define UNARY_MEMBER(name, expression) void (*name)(const float *, float *, ptrdiff_t);
    BINARY_KERNELS(BINARY_MEMBER)
    SCALAR_KERNELS(SCALAR_MEMBER)
    UNARY_KERNELS(UNARY_MEMBER)
    double (*sum)(const float *, ptrdiff_t);
    void (*softmax_rows)(const float *, float *, ptrdiff_t, ptrdiff_t);
    void (*log_softmax_rows)(const float *, float *, ptrdiff_t, ptrdiff_t);
    void (*softmax_backward_rows)(const float *, const float *, float *, ptrdiff_t, ptrdiff_t);
    void (*log_softmax_backward_rows)(const float *, const float *, float *, ptrdiff_t, ptrdiff_t);
    int (*all_finite_values)(const float *, ptrdiff_t);
} elementwise_kernels;

#define DESCENT_ISA baseline
#include "elementwise_template.h"
#if DESCENT_ISA_X86
#define DESCENT_ISA avx2
#include "elementwise_template.h"
#define DESCENT_ISA avx512
#include "elementwise_template.h"
#endif

DESCENT_ISA_CHOOSER(elementwise_kernels, kernels, elementwise)

#define BINARY_ENTRY_POINT(name, expression)                                                  \
    void descent_##name(const float *a, const float *b, float *out, ptrdiff_t count) {        \
        kernels()->name(a, b, out, count);                                                    \
    }
#define SCALAR_ENTRY_POINT(name, expression)                                                  \
    void descent_##name(const float *a, float s, float *out, ptrdiff_t count) {               \
        kernels()->name(a, s, out, count);                                                    \
    }
#define UNARY_ENTRY_POINT(name, expression)                                                   \
    void descent_##name(const float *a, float *out, ptrdiff_t count) { kernels()->name(a, out, count); }
BINARY_KERNELS(BINARY_ENTRY_POINT)
SCALAR_KERNELS(SCALAR_ENTRY_POINT)
UNARY_KERNELS(UNARY_ENTRY_POINT)

double descent_sum(const float *a, ptrdiff_t count) { return kernels()->sum(a, count); }

void descent_softmax_rows(const float *x, float *out, ptrdiff_t rows, ptrdiff_t columns) {
    kernels()->softmax_rows(x, out, rows, columns);
}

void descent_log_softmax_rows(const float *x, float *out, ptrdiff_t rows, ptrdiff_t columns) {
    kernels()->log_softmax_rows(x, out, rows, columns);
}

void descent_softmax_backward_rows(const float *y, const float *g, float *out, ptrdiff_t rows, ptrdiff_t columns) {
    kernels()->softmax_backward_rows(y, g, out, rows, columns);
}

void descent_log_softmax_backward_rows(const float *y, const float *g, float *out, ptrdiff_t rows, ptrdiff_t columns) {
    kernels()->log_softmax_backward_rows(y, g, out, rows, columns);
}

int descent_all_finite_values(const float *x, ptrdiff_t count) { return kernels()->all_finite_values(x, count); }
