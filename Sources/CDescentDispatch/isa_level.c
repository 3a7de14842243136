// CPU feature detection for every C target (see CDescentDispatch.h).
#include "CDescentDispatch.h"

static int detect(void) {
#if DESCENT_ISA_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("x86-64-v4")) return DESCENT_ISA_LEVEL_AVX512;
    if (__builtin_cpu_supports("x86-64-v3")) return DESCENT_ISA_LEVEL_AVX2;
#endif
    return DESCENT_ISA_LEVEL_BASELINE;   // arm64: NEON is the baseline
}

int descent_isa_level(void) {
    static int cached = -1;   // a benign race: every thread detects the same level
    int level = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (level < 0) {
        level = detect();
        __atomic_store_n(&cached, level, __ATOMIC_RELAXED);
    }
    return level;
}
