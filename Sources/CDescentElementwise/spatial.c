// Loops of the convolution and pooling layers over NCHW images (see ImageColumns.swift,
// Convolution.swift, Pooling.swift for the formulas). Plain loops the compiler vectorises,
// in spatial_template.h, compiled for AVX-512, AVX2 and the baseline and chosen at first use
// as every C kernel is (CDescentDispatch.h); for the small images of a minibatch (8×8, 28×28)
// they replace per-row memcpy calls whose overhead dominated.
#include "CDescentElementwise.h"
#include "CDescentDispatch.h"
#include <string.h>

// im2col in two passes: the images are first copied into zero-padded planes (PH = H + 2p rows of
// PW = W + 2p), so that every entry of the column matrix is a read at a precomputed offset
//     columns[(c·kh + i)·kw + j, image·L + y·OW + x] = padded[image, c, y·s + i, x·s + j]
// with no bounds checks: one vectorised gather per (row, image). col2im is the adjoint.
ptrdiff_t descent_padded_plane(const descent_spatial_geometry *g) {
    return (g->height + 2 * g->padding) * (g->width + 2 * g->padding);
}

// offsets[(i·kw + j)·L + y·OW + x] = (y·s + i)·PW + x·s + j.
void descent_kernel_offsets(const descent_spatial_geometry *g, int32_t *offsets) {
    const ptrdiff_t pw = g->width + 2 * g->padding, L = g->output_height * g->output_width;
    for (ptrdiff_t i = 0; i < g->kernel_height; i++)
        for (ptrdiff_t j = 0; j < g->kernel_width; j++)
            for (ptrdiff_t y = 0; y < g->output_height; y++)
                for (ptrdiff_t x = 0; x < g->output_width; x++)
                    offsets[(i * g->kernel_width + j) * L + y * g->output_width + x] =
                        (int32_t)((y * g->stride + i) * pw + x * g->stride + j);
}

/// One instruction set's kernels.
typedef struct {
    void (*pad_images)(const float *, const descent_spatial_geometry *, ptrdiff_t, ptrdiff_t, float *);
    void (*im2col_padded)(const float *, const descent_spatial_geometry *, ptrdiff_t, ptrdiff_t, ptrdiff_t,
                          const int32_t *, float *);
    void (*col2im_padded)(const float *, const descent_spatial_geometry *, ptrdiff_t, ptrdiff_t, ptrdiff_t,
                          const int32_t *, float *);
    void (*unpad_add)(const float *, const descent_spatial_geometry *, ptrdiff_t, ptrdiff_t, ptrdiff_t, ptrdiff_t,
                      float *);
    void (*conv_scatter)(const float *, const float *, float *, ptrdiff_t, ptrdiff_t, ptrdiff_t);
    void (*conv_gather)(const float *, float *, ptrdiff_t, ptrdiff_t, ptrdiff_t);
    void (*channel_sums)(const float *, double *, ptrdiff_t, ptrdiff_t, ptrdiff_t);
    void (*max_pool2d)(const float *, const descent_spatial_geometry *, ptrdiff_t, float *, int32_t *);
    void (*max_pool2d_backward)(const float *, const int32_t *, ptrdiff_t, ptrdiff_t, ptrdiff_t, float *);
} spatial_kernels;

#define DESCENT_ISA baseline
#include "spatial_template.h"
#if DESCENT_ISA_X86
#define DESCENT_ISA avx2
#include "spatial_template.h"
#define DESCENT_ISA avx512
#include "spatial_template.h"
#endif

DESCENT_ISA_CHOOSER(spatial_kernels, kernels, spatial)

void descent_pad_images(const float *input, const descent_spatial_geometry *g, ptrdiff_t image_begin,
                        ptrdiff_t image_end, float *padded) {
    kernels()->pad_images(input, g, image_begin, image_end, padded);
}

void descent_im2col_padded(const float *padded, const descent_spatial_geometry *g, ptrdiff_t images,
                           ptrdiff_t row_begin, ptrdiff_t row_end, const int32_t *offsets, float *columns) {
    kernels()->im2col_padded(padded, g, images, row_begin, row_end, offsets, columns);
}

void descent_col2im_padded(const float *columns, const descent_spatial_geometry *g, ptrdiff_t images,
                           ptrdiff_t channel_begin, ptrdiff_t channel_end, const int32_t *offsets, float *padded) {
    kernels()->col2im_padded(columns, g, images, channel_begin, channel_end, offsets, padded);
}

void descent_unpad_add(const float *padded, const descent_spatial_geometry *g, ptrdiff_t image_begin,
                       ptrdiff_t image_end, ptrdiff_t channel_begin, ptrdiff_t channel_end, float *input) {
    kernels()->unpad_add(padded, g, image_begin, image_end, channel_begin, channel_end, input);
}

void descent_conv_scatter(const float *product, const float *bias, float *out, ptrdiff_t images,
                          ptrdiff_t channels, ptrdiff_t positions) {
    kernels()->conv_scatter(product, bias, out, images, channels, positions);
}

void descent_conv_gather(const float *gradient, float *gathered, ptrdiff_t images, ptrdiff_t channels,
                         ptrdiff_t positions) {
    kernels()->conv_gather(gradient, gathered, images, channels, positions);
}

void descent_channel_sums(const float *gradient, double *sums, ptrdiff_t images, ptrdiff_t channels,
                          ptrdiff_t positions) {
    kernels()->channel_sums(gradient, sums, images, channels, positions);
}

void descent_max_pool2d(const float *input, const descent_spatial_geometry *g, ptrdiff_t planes, float *out,
                        int32_t *winners) {
    kernels()->max_pool2d(input, g, planes, out, winners);
}

void descent_max_pool2d_backward(const float *gradient, const int32_t *winners, ptrdiff_t planes,
                                 ptrdiff_t input_positions, ptrdiff_t output_positions, float *dx) {
    kernels()->max_pool2d_backward(gradient, winners, planes, input_positions, output_positions, dx);
}
