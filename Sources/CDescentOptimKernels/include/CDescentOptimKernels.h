#ifndef CDESCENT_OPTIM_KERNELS_H
#define CDESCENT_OPTIM_KERNELS_H
// Fused optimizer update kernels: see optimizer_kernels.c.
int descent_optim_kernels_version(void);
#endif
