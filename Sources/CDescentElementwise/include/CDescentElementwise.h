#ifndef CDESCENT_ELEMENTWISE_H
#define CDESCENT_ELEMENTWISE_H
// Vectorised elementwise kernels over contiguous float arrays (see elementwise.c).
// Each function processes `count` elements; `out` may alias an input.
#include <stddef.h>

void descent_add(const float *a, const float *b, float *out, ptrdiff_t count);
void descent_subtract(const float *a, const float *b, float *out, ptrdiff_t count);
void descent_multiply(const float *a, const float *b, float *out, ptrdiff_t count);
void descent_divide(const float *a, const float *b, float *out, ptrdiff_t count);
void descent_add_scalar(const float *a, float s, float *out, ptrdiff_t count);
void descent_multiply_scalar(const float *a, float s, float *out, ptrdiff_t count);
void descent_divide_scalar(const float *a, float s, float *out, ptrdiff_t count);
void descent_negate(const float *a, float *out, ptrdiff_t count);

void descent_exp(const float *a, float *out, ptrdiff_t count);
void descent_log(const float *a, float *out, ptrdiff_t count);
void descent_tanh(const float *a, float *out, ptrdiff_t count);
void descent_sigmoid(const float *a, float *out, ptrdiff_t count);
void descent_relu(const float *a, float *out, ptrdiff_t count);

// Backward helpers: out = gradient * f'(x) written in terms of the forward output y or input x.
void descent_tanh_backward(const float *y, const float *gradient, float *out, ptrdiff_t count);
void descent_sigmoid_backward(const float *y, const float *gradient, float *out, ptrdiff_t count);
void descent_relu_backward(const float *x, const float *gradient, float *out, ptrdiff_t count);
void descent_exp_backward(const float *y, const float *gradient, float *out, ptrdiff_t count);



// Reductions over contiguous runs.
double descent_sum(const float *a, ptrdiff_t count);          // accumulated in double
void descent_maximum(const float *a, const float *b, float *out, ptrdiff_t count);  // elementwise max (NaN wins)
void descent_minimum(const float *a, const float *b, float *out, ptrdiff_t count);  // elementwise min (NaN wins)

// Row-wise softmax family on a [rows, columns] block (the last axis).
void descent_softmax_rows(const float *x, float *out, ptrdiff_t rows, ptrdiff_t columns);
void descent_log_softmax_rows(const float *x, float *out, ptrdiff_t rows, ptrdiff_t columns);
// dx = y ⊙ (g − Σ g⊙y) for y = softmax(x).
void descent_softmax_backward_rows(const float *y, const float *g, float *out, ptrdiff_t rows, ptrdiff_t columns);
// dx = g − exp(y) ⊙ Σ g for y = log-softmax(x).
void descent_log_softmax_backward_rows(const float *y, const float *g, float *out, ptrdiff_t rows, ptrdiff_t columns);
#endif
