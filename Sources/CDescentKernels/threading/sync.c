// The few atomic operations the Swift thread pool needs, as C11 atomics, so the
// pool works on every Swift 6 platform without the Synchronization module.
#include "descent_threading.h"
#include <stdatomic.h>
#include <sched.h>

long descent_atomic_load(const long *address) {
    return atomic_load_explicit((const _Atomic long *)address, memory_order_acquire);
}

void descent_atomic_store(long *address, long value) {
    atomic_store_explicit((_Atomic long *)address, value, memory_order_release);
}

long descent_atomic_fetch_add(long *address, long value) {
    return atomic_fetch_add_explicit((_Atomic long *)address, value, memory_order_acq_rel);
}

void descent_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

void descent_thread_yield(void) { sched_yield(); }

int descent_atomic_compare_exchange(long *address, long expected, long desired) {
    return atomic_compare_exchange_strong_explicit((_Atomic long *)address, &expected, desired,
                                                   memory_order_acq_rel, memory_order_acquire);
}
