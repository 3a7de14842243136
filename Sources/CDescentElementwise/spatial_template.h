// The convolution and pooling loops, compiled once per instruction set by spatial.c
// (see CDescentDispatch.h). Template: no include guard on purpose; DESCENT_ISA names the
// instruction set and is undefined again at the end.

DESCENT_ISA_TARGET static void DESCENT_ISA_NAME(pad_images)(const float *input, const descent_spatial_geometry *g,
                                                            ptrdiff_t image_begin, ptrdiff_t image_end, float *padded) {
    const ptrdiff_t pw = g->width + 2 * g->padding, ph = g->height + 2 * g->padding, p = g->padding;
    const ptrdiff_t planes = (image_end - image_begin) * g->channels;
    const float *source = input + image_begin * g->channels * g->height * g->width;
    for (ptrdiff_t plane = 0; plane < planes; plane++) {
        float *target = padded + plane * ph * pw;
        if (p > 0) memset(target, 0, (size_t)(p * pw) * sizeof(float));
        for (ptrdiff_t y = 0; y < g->height; y++) {
            float *line = target + (y + p) * pw;
            for (ptrdiff_t x = 0; x < p; x++) { line[x] = 0.0f; line[pw - 1 - x] = 0.0f; }
            memcpy(line + p, source + (plane * g->height + y) * g->width, (size_t)g->width * sizeof(float));
        }
        if (p > 0) memset(target + (g->height + p) * pw, 0, (size_t)(p * pw) * sizeof(float));
    }
}

DESCENT_ISA_TARGET static void DESCENT_ISA_NAME(im2col_padded)(const float *padded, const descent_spatial_geometry *g,
                                                               ptrdiff_t images, ptrdiff_t row_begin, ptrdiff_t row_end,
                                                               const int32_t *offsets, float *columns) {
    const ptrdiff_t kk = g->kernel_height * g->kernel_width, L = g->output_height * g->output_width;
    const ptrdiff_t plane = descent_padded_plane(g), width = images * L;
    for (ptrdiff_t row = row_begin; row < row_end; row++) {
        const ptrdiff_t channel = row / kk;
        const int32_t *offset = offsets + (row % kk) * L;
        float *out = columns + row * width;
        for (ptrdiff_t image = 0; image < images; image++, out += L) {
            const float *source = padded + (image * g->channels + channel) * plane;
            for (ptrdiff_t l = 0; l < L; l++) out[l] = source[offset[l]];
        }
    }
}

DESCENT_ISA_TARGET static void DESCENT_ISA_NAME(col2im_padded)(const float *columns, const descent_spatial_geometry *g,
                                                               ptrdiff_t images, ptrdiff_t channel_begin, ptrdiff_t channel_end,
                                                               const int32_t *offsets, float *padded) {
    const ptrdiff_t kk = g->kernel_height * g->kernel_width, L = g->output_height * g->output_width;
    const ptrdiff_t plane = descent_padded_plane(g), width = images * L;
    for (ptrdiff_t channel = channel_begin; channel < channel_end; channel++) {
        for (ptrdiff_t image = 0; image < images; image++) {
            float *target = padded + (image * g->channels + channel) * plane;
            memset(target, 0, (size_t)plane * sizeof(float));
            for (ptrdiff_t k = 0; k < kk; k++) {
                const int32_t *offset = offsets + k * L;
                const float *column = columns + (channel * kk + k) * width + image * L;
                for (ptrdiff_t l = 0; l < L; l++) target[offset[l]] += column[l];
            }
        }
    }
}

DESCENT_ISA_TARGET static void DESCENT_ISA_NAME(unpad_add)(const float *padded, const descent_spatial_geometry *g,
                                                           ptrdiff_t image_begin, ptrdiff_t image_end,
                                                           ptrdiff_t channel_begin, ptrdiff_t channel_end, float *input) {
    const ptrdiff_t pw = g->width + 2 * g->padding, p = g->padding, plane = descent_padded_plane(g);
    for (ptrdiff_t image = image_begin; image < image_end; image++) {
        for (ptrdiff_t channel = channel_begin; channel < channel_end; channel++) {
            const float *source = padded + ((image - image_begin) * g->channels + channel) * plane;
            float *target = input + (image * g->channels + channel) * g->height * g->width;
            for (ptrdiff_t y = 0; y < g->height; y++) {
                const float *line = source + (y + p) * pw + p;
                float *out = target + y * g->width;
                for (ptrdiff_t x = 0; x < g->width; x++) out[x] += line[x];
            }
        }
    }
}

DESCENT_ISA_TARGET static void DESCENT_ISA_NAME(conv_scatter)(const float *product, const float *bias, float *out,
                                                              ptrdiff_t images, ptrdiff_t channels, ptrdiff_t positions) {
    const ptrdiff_t width = images * positions;
    for (ptrdiff_t image = 0; image < images; image++) {
        for (ptrdiff_t channel = 0; channel < channels; channel++) {
            const float *source = product + channel * width + image * positions;
            float *target = out + (image * channels + channel) * positions;
            const float shift = bias ? bias[channel] : 0.0f;
            for (ptrdiff_t l = 0; l < positions; l++) target[l] = source[l] + shift;
        }
    }
}

DESCENT_ISA_TARGET static void DESCENT_ISA_NAME(conv_gather)(const float *gradient, float *gathered,
                                                             ptrdiff_t images, ptrdiff_t channels, ptrdiff_t positions) {
    const ptrdiff_t width = images * positions;
    for (ptrdiff_t image = 0; image < images; image++) {
        for (ptrdiff_t channel = 0; channel < channels; channel++) {
            const float *source = gradient + (image * channels + channel) * positions;
            float *target = gathered + channel * width + image * positions;
            for (ptrdiff_t l = 0; l < positions; l++) target[l] = source[l];
        }
    }
}

DESCENT_ISA_TARGET static void DESCENT_ISA_NAME(channel_sums)(const float *gradient, double *sums,
                                                              ptrdiff_t images, ptrdiff_t channels, ptrdiff_t positions) {
    for (ptrdiff_t channel = 0; channel < channels; channel++) sums[channel] = 0.0;
    for (ptrdiff_t image = 0; image < images; image++) {
        for (ptrdiff_t channel = 0; channel < channels; channel++) {
            const float *source = gradient + (image * channels + channel) * positions;
            double total = 0.0;
            for (ptrdiff_t l = 0; l < positions; l++) total += (double)source[l];
            sums[channel] += total;
        }
    }
}

DESCENT_ISA_TARGET static void DESCENT_ISA_NAME(max_pool2d)(const float *input, const descent_spatial_geometry *g, ptrdiff_t planes,
                                                            float *out, int32_t *winners) {
    const ptrdiff_t oh = g->output_height, ow = g->output_width, h = g->height, w = g->width;
    const ptrdiff_t kh = g->kernel_height, kw = g->kernel_width, s = g->stride, p = g->padding;
    if (kh == 2 && kw == 2 && s == 2 && p == 0) {
        // The common 2×2 window without branches: a later element wins if the best so far is not
        // NaN and it is NaN or larger (first maximum wins, first NaN wins).
        for (ptrdiff_t plane = 0; plane < planes; plane++) {
            const float *source = input + plane * h * w;
            float *target = out + plane * oh * ow;
            int32_t *index = winners + plane * oh * ow;
            for (ptrdiff_t y = 0; y < oh; y++) {
                const float *top = source + 2 * y * w, *bottom = top + w;
                for (ptrdiff_t x = 0; x < ow; x++) {
                    float best = top[2 * x];
                    int32_t at = (int32_t)(2 * y * w + 2 * x);
                    const float candidates[3] = {top[2 * x + 1], bottom[2 * x], bottom[2 * x + 1]};
                    const int32_t places[3] = {at + 1, at + (int32_t)w, at + (int32_t)w + 1};
                    for (int k = 0; k < 3; k++) {
                        const float value = candidates[k];
                        const int take = (best == best) & ((value != value) | (value > best));
                        best = take ? value : best;
                        at = take ? places[k] : at;
                    }
                    target[y * ow + x] = best;
                    index[y * ow + x] = at;
                }
            }
        }
        return;
    }
    for (ptrdiff_t plane = 0; plane < planes; plane++) {
        const float *source = input + plane * h * w;
        for (ptrdiff_t y = 0; y < oh; y++) {
            for (ptrdiff_t x = 0; x < ow; x++) {
                float best = -__builtin_inff();
                ptrdiff_t at = -1;
                int done = 0;
                for (ptrdiff_t i = 0; i < kh && !done; i++) {
                    const ptrdiff_t row = y * s - p + i;
                    if (row < 0 || row >= h) continue;
                    for (ptrdiff_t j = 0; j < kw; j++) {
                        const ptrdiff_t column = x * s - p + j;
                        if (column < 0 || column >= w) continue;
                        const float value = source[row * w + column];
                        if (value != value) { best = value; at = row * w + column; done = 1; break; }
                        if (at < 0 || value > best) { best = value; at = row * w + column; }
                    }
                }
                out[plane * oh * ow + y * ow + x] = best;
                winners[plane * oh * ow + y * ow + x] = (int32_t)at;
            }
        }
    }
}

DESCENT_ISA_TARGET static void DESCENT_ISA_NAME(max_pool2d_backward)(const float *gradient, const int32_t *winners, ptrdiff_t planes,
                                                                     ptrdiff_t input_positions, ptrdiff_t output_positions, float *dx) {
    memset(dx, 0, (size_t)(planes * input_positions) * sizeof(float));
    for (ptrdiff_t plane = 0; plane < planes; plane++) {
        float *target = dx + plane * input_positions;
        const float *g = gradient + plane * output_positions;
        const int32_t *index = winners + plane * output_positions;
        for (ptrdiff_t l = 0; l < output_positions; l++) target[index[l]] += g[l];
    }
}

static const spatial_kernels DESCENT_ISA_NAME(spatial) = {
    DESCENT_ISA_NAME(pad_images), DESCENT_ISA_NAME(im2col_padded), DESCENT_ISA_NAME(col2im_padded),
    DESCENT_ISA_NAME(unpad_add), DESCENT_ISA_NAME(conv_scatter), DESCENT_ISA_NAME(conv_gather),
    DESCENT_ISA_NAME(channel_sums), DESCENT_ISA_NAME(max_pool2d), DESCENT_ISA_NAME(max_pool2d_backward),
};
#undef DESCENT_ISA
