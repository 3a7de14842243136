// The fused optimizer updates, compiled once per instruction set by optimizer_kernels.c
// (see CDescentDispatch.h); the compiler vectorises the plain loops for each target.
// Template: no include guard on purpose; DESCENT_ISA names the instruction set and is
// undefined again at the end.

DESCENT_ISA_TARGET static void DESCENT_ISA_NAME(adam)(float *restrict p, const float *restrict g, float *restrict m,
                                                      float *restrict v, float *restrict max_v, size_t count,
                                                      const descent_adam_parameters *parameters) {
    const float beta1 = parameters->beta1, beta2 = parameters->beta2;
    const float one_minus_beta1 = parameters->one_minus_beta1, one_minus_beta2 = parameters->one_minus_beta2;
    const float eps = parameters->epsilon, wd = parameters->weight_decay;
    const float step_size = parameters->step_size;
    // √v / √(1 − β₂ᵗ) divides, as PyTorch does: multiplying by the reciprocal is an ulp off at
    // times, which over 30 steps at lr 0.05 left Adam 5e-7 from torch.optim instead of 1.6e-7.
    const float bc2 = parameters->bias_correction2_sqrt;
    const float decay = parameters->decay;
    const int decoupled = parameters->decoupled;
    if (parameters->amsgrad) {
        for (size_t i = 0; i < count; i++) {
            float grad = g[i];
            float param = p[i];
            if (decoupled) param = param * decay; else grad = grad + wd * param;
            float mi = m[i] + one_minus_beta1 * (grad - m[i]);
            float vi = v[i] * beta2 + one_minus_beta2 * grad * grad;
            float vm = max_v[i] > vi ? max_v[i] : vi;
            float denom = SQRT(vm) / bc2 + eps;
            m[i] = mi; v[i] = vi; max_v[i] = vm;
            p[i] = param - step_size * (mi / denom);
        }
    } else if (decoupled) {
        for (size_t i = 0; i < count; i++) {
            float grad = g[i];
            float param = p[i] * decay;
            float mi = m[i] + one_minus_beta1 * (grad - m[i]);
            float vi = v[i] * beta2 + one_minus_beta2 * grad * grad;
            float denom = SQRT(vi) / bc2 + eps;
            m[i] = mi; v[i] = vi;
            p[i] = param - step_size * (mi / denom);
        }
    } else {
        for (size_t i = 0; i < count; i++) {
            float param = p[i];
            float grad = g[i] + wd * param;
            float mi = m[i] + one_minus_beta1 * (grad - m[i]);
            float vi = v[i] * beta2 + one_minus_beta2 * grad * grad;
            float denom = SQRT(vi) / bc2 + eps;
            m[i] = mi; v[i] = vi;
            p[i] = param - step_size * (mi / denom);
        }
    }
}

DESCENT_ISA_TARGET static void DESCENT_ISA_NAME(sgd)(float *restrict p, const float *restrict g, float *restrict buffer,
                                                     size_t count, const descent_sgd_parameters *parameters) {
    const float lr = parameters->learning_rate, mu = parameters->momentum;
    const float one_minus_dampening = parameters->one_minus_dampening, wd = parameters->weight_decay;
    if (buffer == NULL || mu == 0.0f) {
        for (size_t i = 0; i < count; i++) {
            float grad = g[i] + wd * p[i];
            p[i] = p[i] - lr * grad;
        }
        return;
    }
    const int first = parameters->first_step, nesterov = parameters->nesterov;
    for (size_t i = 0; i < count; i++) {
        float grad = g[i] + wd * p[i];
        float b = first ? grad : buffer[i] * mu + one_minus_dampening * grad;
        buffer[i] = b;
        float direction = nesterov ? grad + mu * b : b;
        p[i] = p[i] - lr * direction;
    }
}

DESCENT_ISA_TARGET static double DESCENT_ISA_NAME(squares)(const float *restrict x, size_t count) {
    double acc[8] = {0};
    size_t i = 0;
    for (; i + 8 <= count; i += 8)
        for (int j = 0; j < 8; j++) acc[j] += (double)x[i + j] * (double)x[i + j];
    double total = 0;
    for (int j = 0; j < 8; j++) total += acc[j];
    for (; i < count; i++) total += (double)x[i] * (double)x[i];
    return total;
}

static const optimizer_kernels DESCENT_ISA_NAME(optimizer) = {
    DESCENT_ISA_NAME(adam), DESCENT_ISA_NAME(sgd), DESCENT_ISA_NAME(squares),
};
#undef DESCENT_ISA
