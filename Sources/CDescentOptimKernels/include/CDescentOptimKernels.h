#ifndef CDESCENT_OPTIM_KERNELS_H
#define CDESCENT_OPTIM_KERNELS_H
// Fused optimizer update kernels: one pass over memory per parameter tensor.
// Each kernel has AVX-512 and AVX2+FMA variants chosen at run time on x86-64,
// and a portable fallback elsewhere. The arithmetic follows PyTorch's float32
// order of operations (see optimizer_kernels.c).
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Which instruction set the kernels use on this machine: 2 = AVX-512, 1 = AVX2+FMA, 0 = portable.
int descent_optim_kernels_level(void);

/// Scalars of one Adam/AdamW step, computed once per tensor by the caller.
typedef struct {
    float learning_rate;       // lr
    float beta1;
    float beta2;
    float epsilon;
    float weight_decay;        // coupled (L2 added to the gradient) unless decoupled != 0
    float step_size;           // lr / (1 - beta1^t)
    float bias_correction2_sqrt; // sqrt(1 - beta2^t)
    int decoupled;             // AdamW: p *= 1 - lr * weight_decay
    int amsgrad;               // keep the running maximum of v in max_v
    // Constants PyTorch computes in double and rounds to float once; computing them in float
    // (1.0f - 0.999f = 0.00099998713, 1.3e-5 off) drifts 1e-4 from torch.optim at lr 0.05.
    float one_minus_beta1;     // (float)(1 - beta1)
    float one_minus_beta2;     // (float)(1 - beta2)
    float decay;               // (float)(1 - lr * weight_decay), AdamW's shrink factor
} descent_adam_parameters;

/// One Adam/AdamW step over elements [0, count): p, m, v (and max_v when amsgrad) are updated in place.
void descent_adam_step(float *p, const float *g, float *m, float *v, float *max_v,
                       size_t count, const descent_adam_parameters *parameters);

/// Scalars of one SGD step.
typedef struct {
    float learning_rate;
    float momentum;
    float dampening;
    float weight_decay;
    int nesterov;
    int first_step;            // the momentum buffer is initialised to the gradient
    float one_minus_dampening; // (float)(1 - dampening), computed in double as PyTorch does
} descent_sgd_parameters;

/// One SGD step over [0, count); `buffer` may be NULL when momentum is 0.
void descent_sgd_step(float *p, const float *g, float *buffer, size_t count,
                      const descent_sgd_parameters *parameters);

/// Sum of squares of x[0..<count), accumulated in double.
double descent_sum_of_squares(const float *x, size_t count);

#ifdef __cplusplus
}
#endif
#endif
