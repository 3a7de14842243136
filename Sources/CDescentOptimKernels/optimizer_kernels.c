// Fused optimizer kernels. Each body is written once as an always-inline
// function and instantiated for AVX-512, AVX2+FMA and a portable target; the
// compiler vectorises the plain loops for each target. The dispatcher picks
// the best variant the CPU supports at first use.
//
// The arithmetic mirrors PyTorch's single-tensor float32 implementation
// (torch/optim/adam.py, sgd.py), operation by operation.
#include "CDescentOptimKernels.h"
#include <math.h>
#include <stdint.h>
#include <string.h>


#define INLINE static inline __attribute__((always_inline))

// sqrtf may set errno, which stops the vectoriser; the elementwise builtin does not.
#if defined(__clang__) && __has_builtin(__builtin_elementwise_sqrt)
#define SQRT(x) __builtin_elementwise_sqrt(x)
#else
#define SQRT(x) sqrtf(x)
#endif

INLINE void adam_body(float *restrict p, const float *restrict g, float *restrict m,
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

INLINE void sgd_body(float *restrict p, const float *restrict g, float *restrict buffer,
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

INLINE int finite_body(const float *restrict x, size_t count) {
    // x - x is 0 for finite x and NaN for inf/nan; the sum stays 0 only if all are finite.
    float acc[16] = {0};
    size_t i = 0;
    for (; i + 16 <= count; i += 16)
        for (int j = 0; j < 16; j++) acc[j] += x[i + j] - x[i + j];
    float total = 0;
    for (int j = 0; j < 16; j++) total += acc[j];
    for (; i < count; i++) total += x[i] - x[i];
    return total == 0.0f;
}

INLINE double squares_body(const float *restrict x, size_t count) {
    double acc[8] = {0};
    size_t i = 0;
    for (; i + 8 <= count; i += 8)
        for (int j = 0; j < 8; j++) acc[j] += (double)x[i + j] * (double)x[i + j];
    double total = 0;
    for (int j = 0; j < 8; j++) total += acc[j];
    for (; i < count; i++) total += (double)x[i] * (double)x[i];
    return total;
}

#define INSTANTIATE(suffix, attribute)                                                          \
    attribute static void adam_##suffix(float *p, const float *g, float *m, float *v,          \
                                        float *max_v, size_t n,                                \
                                        const descent_adam_parameters *q) {                    \
        adam_body(p, g, m, v, max_v, n, q);                                                    \
    }                                                                                          \
    attribute static void sgd_##suffix(float *p, const float *g, float *b, size_t n,           \
                                       const descent_sgd_parameters *q) {                      \
        sgd_body(p, g, b, n, q);                                                               \
    }                                                                                          \
    attribute static int finite_##suffix(const float *x, size_t n) { return finite_body(x, n); } \
    attribute static double squares_##suffix(const float *x, size_t n) { return squares_body(x, n); }

INSTANTIATE(portable, )
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define HAVE_X86_VARIANTS 1
INSTANTIATE(avx2, __attribute__((target("avx2,fma"))))
INSTANTIATE(avx512, __attribute__((target("avx512f,avx512vl,fma"))))
#endif

static int detected_level = -1;

int descent_optim_kernels_level(void) {
    int level = __atomic_load_n(&detected_level, __ATOMIC_RELAXED);
    if (level >= 0) return level;
    level = 0;
#ifdef HAVE_X86_VARIANTS
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")) level = 2;
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) level = 1;
#endif
    __atomic_store_n(&detected_level, level, __ATOMIC_RELAXED);
    return level;
}

#ifdef HAVE_X86_VARIANTS
#define DISPATCH(name, ...)                                                    \
    switch (descent_optim_kernels_level()) {                                  \
    case 2: return name##_avx512(__VA_ARGS__);                                \
    case 1: return name##_avx2(__VA_ARGS__);                                  \
    default: return name##_portable(__VA_ARGS__);                             \
    }
#else
#define DISPATCH(name, ...) return name##_portable(__VA_ARGS__);
#endif

void descent_adam_step(float *p, const float *g, float *m, float *v, float *max_v,
                       size_t count, const descent_adam_parameters *parameters) {
    DISPATCH(adam, p, g, m, v, max_v, count, parameters)
}

void descent_sgd_step(float *p, const float *g, float *buffer, size_t count,
                      const descent_sgd_parameters *parameters) {
    DISPATCH(sgd, p, g, buffer, count, parameters)
}

int descent_all_finite(const float *x, size_t count) { DISPATCH(finite, x, count) }

double descent_sum_of_squares(const float *x, size_t count) { DISPATCH(squares, x, count) }
