#ifndef CDESCENT_KERNELS_H
#define CDESCENT_KERNELS_H
// C micro-kernels: see kernels.c. Only the hottest inner loops live here.
int descent_cpu_features(void);
#endif
