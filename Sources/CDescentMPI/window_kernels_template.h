// The window's kernels, compiled once per instruction set by window_kernels.c (see CDescentDispatch.h), with
// DESCENT_WINDOW_LANES floats per vector. Template: no include guard on purpose; DESCENT_ISA names the instruction
// set and is undefined again at the end.

typedef float DESCENT_ISA_NAME(lanes) __attribute__((vector_size(DESCENT_WINDOW_LANES * sizeof(float))));

/// target[i] = factor × values[i], streamed past the caches from the first 32-byte boundary of the target on
/// (plain stores before it and after the last whole vector); returns Σ values[i]², in float lanes within blocks of
/// 1,024 elements and in double across blocks.
DESCENT_ISA_TARGET static double DESCENT_ISA_NAME(streaming_scaled_copy)(const float *values, float *target, long count,
                                                                         float factor) {
    typedef DESCENT_ISA_NAME(lanes) lanes;
    enum { width = DESCENT_WINDOW_LANES };
    double total = 0;
    long index = 0;
    float head = 0;
    // Plain stores up to a vector's boundary of the target (non-temporal stores need aligned addresses).
    for (; index < count && ((unsigned long)(target + index) & (sizeof(lanes) - 1)) != 0; index++) {
        float value = values[index];
        target[index] = value * factor;
        head += value * value;
    }
    total += head;
    while (index < count) {
        long end = count - index > 1024 ? index + 1024 : count;
        lanes squares = {0};
        for (; index + width <= end; index += width) {
            lanes value;
            memcpy(&value, values + index, sizeof value);
            __builtin_nontemporal_store(value * factor, (lanes *)(target + index));
            squares += value * value;
        }
        float block = 0;
        for (int lane = 0; lane < width; lane++) block += squares[lane];
        for (; index < end; index++) {
            float value = values[index];
            target[index] = value * factor;
            block += value * value;
        }
        total += block;
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);  // the streaming stores are done before anything that follows
    return total;
}

/// target[i] = ((sources[0][i] × scales[0] + sources[1][i] × scales[1]) + …) in rank order, each product and each
/// sum rounded to float (no fused multiply-add); `target` may be one of the sources. Returns Σ target[i]² (float
/// lanes within blocks of 1,024 elements, double across blocks); *finite = 1 when every target[i] is finite (the
/// sum of (t − t) over the elements is 0 then, NaN otherwise: no branch in the loop), else 0.
DESCENT_ISA_TARGET static double DESCENT_ISA_NAME(sum_in_rank_order)(const float *const *sources, const float *scales,
                                                                     long parts, long count, float *target, int *finite) {
    typedef DESCENT_ISA_NAME(lanes) lanes;
    enum { width = DESCENT_WINDOW_LANES };
    double total = 0;
    lanes differences = {0};
    float tail_differences = 0;
    for (long start = 0; start < count;) {
        long end = count - start > 1024 ? start + 1024 : count;
        lanes squares = {0};
        long index = start;
        if (parts == 2) {
            const float *first = sources[0], *second = sources[1];
            const float first_scale = scales[0], second_scale = scales[1];
            for (; index + width <= end; index += width) {
                lanes a, b;
                memcpy(&a, first + index, sizeof a);
                memcpy(&b, second + index, sizeof b);
                lanes sum = a * first_scale;
                lanes product = b * second_scale;
                sum = sum + product;
                memcpy(target + index, &sum, sizeof sum);
                squares += sum * sum;
                differences += sum - sum;
            }
        } else {
            for (; index + width <= end; index += width) {
                lanes sum;
                memcpy(&sum, sources[0] + index, sizeof sum);
                sum = sum * scales[0];
                for (long part = 1; part < parts; part++) {
                    lanes value;
                    memcpy(&value, sources[part] + index, sizeof value);
                    lanes product = value * scales[part];
                    sum = sum + product;
                }
                memcpy(target + index, &sum, sizeof sum);
                squares += sum * sum;
                differences += sum - sum;
            }
        }
        float block = 0;
        for (int lane = 0; lane < width; lane++) block += squares[lane];
        for (; index < end; index++) {
            float sum = sources[0][index] * scales[0];
            for (long part = 1; part < parts; part++) {
                float product = sources[part][index] * scales[part];
                sum = sum + product;
            }
            target[index] = sum;
            block += sum * sum;
            tail_differences += sum - sum;
        }
        total += block;
        start = end;
    }
    for (int lane = 0; lane < width; lane++) tail_differences += differences[lane];
    *finite = tail_differences == 0;
    return total;
}

static const window_kernels DESCENT_ISA_NAME(window) = {
    DESCENT_ISA_NAME(streaming_scaled_copy), DESCENT_ISA_NAME(sum_in_rank_order),
};
#undef DESCENT_ISA
