#include "CDescentOptimKernels.h"
int descent_optim_kernels_version(void) { return 1; }
