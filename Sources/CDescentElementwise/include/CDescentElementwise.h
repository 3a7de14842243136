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
int descent_all_finite_values(const float *x, ptrdiff_t count);  // 1 if no NaN or ±∞
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
// Convolution and pooling over NCHW images (spatial.c).
#include <stdint.h>
typedef struct {
    ptrdiff_t channels, height, width, kernel_height, kernel_width, stride, padding, output_height, output_width;
} descent_spatial_geometry;
// im2col through zero-padded planes [images, C, H + 2p, W + 2p] (see spatial.c).
ptrdiff_t descent_padded_plane(const descent_spatial_geometry *g);
void descent_pad_images(const float *input, const descent_spatial_geometry *g, ptrdiff_t image_begin, ptrdiff_t image_end,
                        float *padded);
// offsets[(i·kw + j)·L + y·OW + x] = (y·s + i)·PW + x·s + j: kh·kw·OH·OW entries.
void descent_kernel_offsets(const descent_spatial_geometry *g, int32_t *offsets);
// Rows [row_begin, row_end) of the column matrix [C·kh·kw, images·OH·OW].
void descent_im2col_padded(const float *padded, const descent_spatial_geometry *g, ptrdiff_t images,
                           ptrdiff_t row_begin, ptrdiff_t row_end, const int32_t *offsets, float *columns);
// The adjoint for channels [channel_begin, channel_end): padded planes of those channels are overwritten.
void descent_col2im_padded(const float *columns, const descent_spatial_geometry *g, ptrdiff_t images,
                           ptrdiff_t channel_begin, ptrdiff_t channel_end, const int32_t *offsets, float *padded);
// input[images, channels] += the padded planes' interior.
void descent_unpad_add(const float *padded, const descent_spatial_geometry *g, ptrdiff_t image_begin, ptrdiff_t image_end,
                       ptrdiff_t channel_begin, ptrdiff_t channel_end, float *input);
// product [O, images·L] → out [images, O, L] plus bias[o] (bias may be NULL).
void descent_conv_scatter(const float *product, const float *bias, float *out, ptrdiff_t images, ptrdiff_t channels, ptrdiff_t positions);
// gradient [images, O, L] → gathered [O, images·L].
void descent_conv_gather(const float *gradient, float *gathered, ptrdiff_t images, ptrdiff_t channels, ptrdiff_t positions);
// sums[o] = Σ over images and positions of gradient[n, o, l], in double.
void descent_channel_sums(const float *gradient, double *sums, ptrdiff_t images, ptrdiff_t channels, ptrdiff_t positions);
// Max pooling of `planes` planes (g->channels is ignored); winners gets each window's first maximum (NaN wins).
void descent_max_pool2d(const float *input, const descent_spatial_geometry *g, ptrdiff_t planes, float *out, int32_t *winners);
// dx (zeroed here) += gradient at the winners.
void descent_max_pool2d_backward(const float *gradient, const int32_t *winners, ptrdiff_t planes,
                                 ptrdiff_t input_positions, ptrdiff_t output_positions, float *dx);
#endif
