#ifndef DESCENT_THREADING_H
#define DESCENT_THREADING_H
// The atomics and spin hints of the Swift thread pool (Sources/DescentTensor/Threading),
// implemented in threading/sync.c; part of the CDescentKernels module through CDescentKernels.h.

#ifdef __cplusplus
extern "C" {
#endif

/// Acquire load, release store, and acquire-release add on a shared word.
long descent_atomic_load(const long *address);
void descent_atomic_store(long *address, long value);
long descent_atomic_fetch_add(long *address, long value);
/// 1 and stores `desired` if *address == expected, else 0.
int descent_atomic_compare_exchange(long *address, long expected, long desired);
/// A pause hint inside a spin loop, and a yield to the scheduler.
void descent_spin_pause(void);
void descent_thread_yield(void);

#ifdef __cplusplus
}
#endif
#endif
