#ifndef CDESCENT_DISPATCH_H
#define CDESCENT_DISPATCH_H
// The one way Descent's C targets choose a kernel at run time.
//
// A kernel's body is written once, in a template header (no include guard) that
// names each function DESCENT_ISA_NAME(name) and marks it DESCENT_ISA_TARGET. The
// .c file includes the template once per instruction set, setting DESCENT_ISA:
//
//     #define DESCENT_ISA baseline          // the build's own target: SSE2 on x86-64, NEON on arm64
//     #include "elementwise_template.h"    // the template ends with #undef DESCENT_ISA
//     #if DESCENT_ISA_X86
//     #define DESCENT_ISA avx2              // x86-64-v3: AVX2, FMA, BMI2, ...
//     #include "elementwise_template.h"
//     #define DESCENT_ISA avx512            // x86-64-v4: v3 and AVX-512 F/BW/CD/DQ/VL
//     #include "elementwise_template.h"
//     #endif
//
// so a plain `swift build -c release` holds every variant, on Linux and macOS alike,
// and no x86 attribute reaches an arm64 build. The template ends with a table of
// function pointers, DESCENT_ISA_NAME(table); DESCENT_ISA_CHOOSER(type, chooser, table)
// defines `static const type *chooser(void)`, which returns the table of the widest
// instruction set descent_isa_level() reports, chosen at first use and kept. The
// public functions call through it: `void descent_add(...) { kernels()->add(...); }`.
//
// The attributes name feature lists rather than `arch=x86-64-v3`: with a feature list
// the compiler keeps its generic tuning (full 512-bit vectors in AVX-512 loops), as
// `target_clones("arch=...")` does; `target("arch=...")` would also switch the tuning.

/// Instruction-set levels, narrowest first.
#define DESCENT_ISA_LEVEL_BASELINE 0
#define DESCENT_ISA_LEVEL_AVX2 1
#define DESCENT_ISA_LEVEL_AVX512 2

/// The widest level this processor and operating system run: on x86-64 the psABI
/// level x86-64-v4 (2) or x86-64-v3 (1) as `__builtin_cpu_supports` reports it,
/// otherwise 0. Detected once and cached; safe to call from any thread.
int descent_isa_level(void);

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define DESCENT_ISA_X86 1
#define DESCENT_ISA_FEATURES_AVX2 "avx2,bmi,bmi2,f16c,fma,lzcnt,movbe,xsave,popcnt,cx16,sahf,sse4.2"
#define DESCENT_ISA_FEATURES_AVX512 DESCENT_ISA_FEATURES_AVX2 ",avx512f,avx512bw,avx512cd,avx512dq,avx512vl"
#define DESCENT_TARGET_AVX2 __attribute__((target(DESCENT_ISA_FEATURES_AVX2)))
#define DESCENT_TARGET_AVX512 __attribute__((target(DESCENT_ISA_FEATURES_AVX512)))
#else
#define DESCENT_ISA_X86 0
#endif

// What a template sees for the DESCENT_ISA being instantiated.
#define DESCENT_ISA_TARGET_baseline
#define DESCENT_ISA_TARGET_avx2 DESCENT_TARGET_AVX2
#define DESCENT_ISA_TARGET_avx512 DESCENT_TARGET_AVX512
#define DESCENT_ISA_CONCATENATE2(a, b) a##b
#define DESCENT_ISA_CONCATENATE(a, b) DESCENT_ISA_CONCATENATE2(a, b)
/// `DESCENT_ISA_NAME(add)` is `add_avx2` while DESCENT_ISA is avx2.
#define DESCENT_ISA_NAME(name) DESCENT_ISA_CONCATENATE(DESCENT_ISA_CONCATENATE(name, _), DESCENT_ISA)
/// The target attribute of the instruction set being instantiated (empty for baseline).
#define DESCENT_ISA_TARGET DESCENT_ISA_CONCATENATE(DESCENT_ISA_TARGET_, DESCENT_ISA)

#if DESCENT_ISA_X86
#define DESCENT_ISA_TABLE_FOR_LEVEL(table, level)                               \
    ((level) >= DESCENT_ISA_LEVEL_AVX512 ? &table##_avx512                      \
     : (level) >= DESCENT_ISA_LEVEL_AVX2 ? &table##_avx2 : &table##_baseline)
#else
#define DESCENT_ISA_TABLE_FOR_LEVEL(table, level) (&table##_baseline)
#endif

/// Defines `static const type *chooser(void)`: the table `table_avx512`, `table_avx2` or
/// `table_baseline` for this processor, chosen once (a relaxed atomic: every thread that
/// races to choose stores the same pointer to constant data).
#define DESCENT_ISA_CHOOSER(type, chooser, table)                                         \
    static const type *chooser(void) {                                                    \
        static const type *chosen;                                                        \
        const type *tables = __atomic_load_n(&chosen, __ATOMIC_RELAXED);                  \
        if (__builtin_expect(tables == 0, 0)) {                                           \
            tables = DESCENT_ISA_TABLE_FOR_LEVEL(table, descent_isa_level());             \
            __atomic_store_n(&chosen, tables, __ATOMIC_RELAXED);                          \
        }                                                                                 \
        return tables;                                                                    \
    }

#endif
