#include "CDescentKernels.h"
int descent_cpu_features(void) { return 0; }
