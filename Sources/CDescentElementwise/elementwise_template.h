// The elementwise kernels' loops, compiled once per instruction set by elementwise.c
// (see CDescentDispatch.h). Template: no include guard on purpose; DESCENT_ISA names the
// instruction set and is undefined again at the end.
//
// Plain loops that the compiler vectorises for DESCENT_ISA_TARGET; the formulas come from
// the lists in elementwise.c and the approximations (exp_approx, ...) are inlined into each.

#define ELEMENTWISE_BINARY(name, expression)                                                         \
    DESCENT_ISA_TARGET static void DESCENT_ISA_NAME(name)(const float *a, const float *b, float *out, \
                                                          ptrdiff_t count) {                          \
        for (ptrdiff_t i = 0; i < count; i++) { float x = a[i], y = b[i]; out[i] = (expression); }    \
    }
#define ELEMENTWISE_SCALAR(name, expression)                                                          \
    DESCENT_ISA_TARGET static void DESCENT_ISA_NAME(name)(const float *a, float s, float *out,        \
                                                          ptrdiff_t count) {                          \
        for (ptrdiff_t i = 0; i < count; i++) { float x = a[i]; out[i] = (expression); }              \
    }
#define ELEMENTWISE_UNARY(name, expression)                                                           \
    DESCENT_ISA_TARGET static void DESCENT_ISA_NAME(name)(const float *a, float *out, ptrdiff_t count) { \
        for (ptrdiff_t i = 0; i < count; i++) { float x = a[i]; out[i] = (expression); }              \
    }
BINARY_KERNELS(ELEMENTWISE_BINARY)
SCALAR_KERNELS(ELEMENTWISE_SCALAR)
UNARY_KERNELS(ELEMENTWISE_UNARY)
#undef ELEMENTWISE_BINARY
#undef ELEMENTWISE_SCALAR
#undef ELEMENTWISE_UNARY

DESCENT_ISA_TARGET static double DESCENT_ISA_NAME(sum)(const float *a, ptrdiff_t count) {
    // Eight independent accumulators keep the vector units busy and the order fixed.
    double lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    ptrdiff_t i = 0;
    for (; i + 8 <= count; i += 8)
        for (int lane = 0; lane < 8; lane++) lanes[lane] += (double)a[i + lane];
    double total = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
    for (; i < count; i++) total += (double)a[i];
    return total;
}

DESCENT_ISA_TARGET static void DESCENT_ISA_NAME(softmax_rows)(const float *x, float *out, ptrdiff_t rows, ptrdiff_t columns) {
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

DESCENT_ISA_TARGET static void DESCENT_ISA_NAME(log_softmax_rows)(const float *x, float *out, ptrdiff_t rows, ptrdiff_t columns) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        const float *row = x + r * columns;
        float *target = out + r * columns;
        float shift = row_maximum(row, columns);
        if (shift == __builtin_inff() || shift == -__builtin_inff()) shift = 0;
        float logTotal = log_approx(row_exp_sum(row, shift, 0, columns));
        for (ptrdiff_t j = 0; j < columns; j++) target[j] = (row[j] - shift) - logTotal;
    }
}

DESCENT_ISA_TARGET static void DESCENT_ISA_NAME(softmax_backward_rows)(const float *y, const float *g, float *out,
                                                                      ptrdiff_t rows, ptrdiff_t columns) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        const float *yr = y + r * columns, *gr = g + r * columns;
        float dot = 0;
        for (ptrdiff_t j = 0; j < columns; j++) dot += gr[j] * yr[j];
        for (ptrdiff_t j = 0; j < columns; j++) out[r * columns + j] = yr[j] * (gr[j] - dot);
    }
}

DESCENT_ISA_TARGET static void DESCENT_ISA_NAME(log_softmax_backward_rows)(const float *y, const float *g, float *out,
                                                                          ptrdiff_t rows, ptrdiff_t columns) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        const float *yr = y + r * columns, *gr = g + r * columns;
        float total = 0;
        for (ptrdiff_t j = 0; j < columns; j++) total += gr[j];
        for (ptrdiff_t j = 0; j < columns; j++) out[r * columns + j] = gr[j] - exp_approx(yr[j]) * total;
    }
}

// 1 if every element is finite: x − x is 0 for finite x and NaN for ±∞ and NaN, so the
// sum of the differences stays 0 only if all are finite (16 lanes, no branches).
DESCENT_ISA_TARGET static int DESCENT_ISA_NAME(all_finite_values)(const float *x, ptrdiff_t count) {
    float lanes[16] = {0};
    ptrdiff_t i = 0;
    for (; i + 16 <= count; i += 16)
        for (int lane = 0; lane < 16; lane++) lanes[lane] += x[i + lane] - x[i + lane];
    float total = 0;
    for (int lane = 0; lane < 16; lane++) total += lanes[lane];
    for (; i < count; i++) total += x[i] - x[i];
    return total == 0.0f;
}

#define ELEMENTWISE_ENTRY(name, expression) DESCENT_ISA_NAME(name),
static const elementwise_kernels DESCENT_ISA_NAME(elementwise) = {
    BINARY_KERNELS(ELEMENTWISE_ENTRY) SCALAR_KERNELS(ELEMENTWISE_ENTRY) UNARY_KERNELS(ELEMENTWISE_ENTRY)
    DESCENT_ISA_NAME(sum), DESCENT_ISA_NAME(softmax_rows), DESCENT_ISA_NAME(log_softmax_rows),
    DESCENT_ISA_NAME(softmax_backward_rows), DESCENT_ISA_NAME(log_softmax_backward_rows),
    DESCENT_ISA_NAME(all_finite_values),
};
#undef ELEMENTWISE_ENTRY
#undef DESCENT_ISA
