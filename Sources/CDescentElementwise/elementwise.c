// Elementwise kernels written as plain loops that the compiler vectorises.
//
// On x86-64 Linux each function is compiled three times (AVX-512, AVX2+FMA and
// the baseline) with `target_clones`; the loader picks the best for the CPU at
// start-up (an ifunc), so a plain `swift build -c release` uses AVX-512 where it
// exists. Elsewhere (arm64 has NEON as its baseline, macOS) one version is built.
//
// exp, log and tanh use branch-free polynomial approximations (Cephes-style range
// reduction) so the loops vectorise; their error is within 2 ulp of the correctly
// rounded result over the float range, checked against libm in the tests.
#include "CDescentElementwise.h"
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__linux__) && (defined(__clang__) || defined(__GNUC__))
#define DESCENT_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define DESCENT_CLONES
#endif

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

#define BINARY(name, expression) \
DESCENT_CLONES void name(const float *a, const float *b, float *out, ptrdiff_t count) { \
    for (ptrdiff_t i = 0; i < count; i++) { float x = a[i], y = b[i]; out[i] = (expression); } }
#define SCALAR(name, expression) \
DESCENT_CLONES void name(const float *a, float s, float *out, ptrdiff_t count) { \
    for (ptrdiff_t i = 0; i < count; i++) { float x = a[i]; out[i] = (expression); } }
#define UNARY(name, expression) \
DESCENT_CLONES void name(const float *a, float *out, ptrdiff_t count) { \
    for (ptrdiff_t i = 0; i < count; i++) { float x = a[i]; out[i] = (expression); } }

BINARY(descent_add, x + y)
BINARY(descent_subtract, x - y)
BINARY(descent_multiply, x * y)
BINARY(descent_divide, x / y)
SCALAR(descent_add_scalar, x + s)
SCALAR(descent_multiply_scalar, x * s)
SCALAR(descent_divide_scalar, x / s)
UNARY(descent_negate, -x)
UNARY(descent_exp, exp_approx(x))
UNARY(descent_log, log_approx(x))
UNARY(descent_tanh, tanh_approx(x))
static inline float sigmoid_approx(float x) {
    float e = exp_approx(x < 0 ? x : -x);  // exp(−|x|) never overflows
    float positive = 1.0f / (1.0f + e);
    return x >= 0 ? positive : e * positive;
}
UNARY(descent_sigmoid, sigmoid_approx(x))
UNARY(descent_relu, x < 0 ? 0.0f : x)  // NaN stays NaN, as in PyTorch
BINARY(descent_tanh_backward, y * (1.0f - x * x))
BINARY(descent_sigmoid_backward, y * x * (1.0f - x))
BINARY(descent_relu_backward, x > 0 ? y : 0.0f)
BINARY(descent_exp_backward, x * y)

DESCENT_CLONES double descent_sum(const float *a, ptrdiff_t count) {
    // Eight independent accumulators keep the vector units busy and the order fixed.
    double lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    ptrdiff_t i = 0;
    for (; i + 8 <= count; i += 8)
        for (int lane = 0; lane < 8; lane++) lanes[lane] += (double)a[i + lane];
    double total = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
    for (; i < count; i++) total += (double)a[i];
    return total;
}

BINARY(descent_maximum, (x != x || y != y) ? x + y : (x > y ? x : y))
BINARY(descent_minimum, (x != x || y != y) ? x + y : (x < y ? x : y))

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

DESCENT_CLONES void descent_softmax_rows(const float *x, float *out, ptrdiff_t rows, ptrdiff_t columns) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        const float *row = x + r * columns;
        float *target = out + r * columns;
        float shift = row_maximum(row, columns);
        if (shift == __builtin_inff() || shift == -__builtin_inff()) shift = 0;
        float total = row_exp_sum(row, shift, target, columns);
        float inverse = 1.0f / total;
        for (ptrdiff_t j = 0; j < columns; j++) target[j] *= inverse;
    }
}

DESCENT_CLONES void descent_log_softmax_rows(const float *x, float *out, ptrdiff_t rows, ptrdiff_t columns) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        const float *row = x + r * columns;
        float *target = out + r * columns;
        float shift = row_maximum(row, columns);
        if (shift == __builtin_inff() || shift == -__builtin_inff()) shift = 0;
        float logTotal = log_approx(row_exp_sum(row, shift, 0, columns));
        for (ptrdiff_t j = 0; j < columns; j++) target[j] = (row[j] - shift) - logTotal;
    }
}

DESCENT_CLONES void descent_softmax_backward_rows(const float *y, const float *g, float *out, ptrdiff_t rows, ptrdiff_t columns) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        const float *yr = y + r * columns, *gr = g + r * columns;
        float dot = 0;
        for (ptrdiff_t j = 0; j < columns; j++) dot += gr[j] * yr[j];
        for (ptrdiff_t j = 0; j < columns; j++) out[r * columns + j] = yr[j] * (gr[j] - dot);
    }
}

DESCENT_CLONES void descent_log_softmax_backward_rows(const float *y, const float *g, float *out, ptrdiff_t rows, ptrdiff_t columns) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        const float *yr = y + r * columns, *gr = g + r * columns;
        float total = 0;
        for (ptrdiff_t j = 0; j < columns; j++) total += gr[j];
        for (ptrdiff_t j = 0; j < columns; j++) out[r * columns + j] = gr[j] - exp_approx(yr[j]) * total;
    }
}

// 1 if every element is finite: x − x is 0 for finite x and NaN for ±∞ and NaN, so the
// sum of the differences stays 0 only if all are finite (16 lanes, no branches).
DESCENT_CLONES int descent_all_finite_values(const float *x, ptrdiff_t count) {
    float lanes[16] = {0};
    ptrdiff_t i = 0;
    for (; i + 16 <= count; i += 16)
        for (int lane = 0; lane < 16; lane++) lanes[lane] += x[i + lane] - x[i + lane];
    float total = 0;
    for (int lane = 0; lane < 16; lane++) total += lanes[lane];
    for (; i < count; i++) total += x[i] - x[i];
    return total == 0.0f;
}
