#ifndef CDESCENT_MPI_H
#define CDESCENT_MPI_H

#include <stddef.h>

/// Open MPI, loaded at run time: the package builds and runs with only the Swift toolchain, and a
/// program launched by `mpirun` finds `libmpi.so.40` (then `libmpi.so`) with dlopen(RTLD_GLOBAL).
/// Open MPI's handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, ...) are the addresses of its globals
/// (`ompi_mpi_comm_world`, `ompi_mpi_float`, `ompi_mpi_op_sum`, ...), looked up with dlsym; a
/// libmpi without them is another MPI (MPICH, Intel MPI), whose handles are integers: refused.
///
/// Every function returns 0 on success. `descent_mpi_load` returns one of the statuses below and
/// writes a one-line explanation into `message`; the collectives return MPI's error code (MPI's
/// error handler on MPI_COMM_WORLD is set to MPI_ERRORS_RETURN) and `descent_mpi_error_text`
/// words it.

#define DESCENT_MPI_LOADED 0
#define DESCENT_MPI_ABSENT 1        // no libmpi.so.40 or libmpi.so could be opened
#define DESCENT_MPI_NOT_OPEN_MPI 2  // a libmpi without Open MPI's handles
#define DESCENT_MPI_INCOMPLETE 3    // Open MPI, but a function or handle is missing

#define DESCENT_MPI_SUM 0
#define DESCENT_MPI_MAX 1
#define DESCENT_MPI_MIN 2

int descent_mpi_load(char *message, size_t capacity);
/// MPI_Init_thread(MPI_THREAD_FUNNELED) once, then MPI_ERRORS_RETURN on MPI_COMM_WORLD.
int descent_mpi_initialize(void);
int descent_mpi_is_initialized(void);
int descent_mpi_rank(int *rank);
int descent_mpi_size(int *size);
/// In place (MPI_IN_PLACE), in pieces of at most 2^30 elements: MPI_Allreduce, or with
/// `descent_mpi_set_sleeps_while_waiting(1)` MPI_Iallreduce tested with 50 µs sleeps between tests.
/// Which to use: blocking when every rank has a core of its own (it spins while waiting, and is fast),
/// sleeping when ranks outnumber cores (spinning would take the core from the rank waited for).
void descent_mpi_set_sleeps_while_waiting(int sleeps);
int descent_mpi_allreduce_float(float *values, long count, int operation);
int descent_mpi_allreduce_double(double *values, long count, int operation);
int descent_mpi_broadcast_bytes(void *bytes, long count, int root);
int descent_mpi_barrier(void);
/// The processes of the job on this machine: the size of MPI_Comm_split_type(MPI_COMM_TYPE_SHARED), computed
/// once; 1 when the library lacks MPI-3's shared-memory functions.
int descent_mpi_node_size(int *size);
/// A window of at least `bytes` per process on this machine (MPI_Win_allocate_shared over the processes
/// of `descent_mpi_node_size`, collective over them), kept until finalize and reused while large enough;
/// `bases[r]` receives process r's part, every part readable and writable by all (`count` = the node size),
/// and `capacity` the bytes of each part (`bytes` or more: those of the window kept).
int descent_mpi_shared_window(long bytes, void **bases, int count, long *capacity);
/// MPI_Win_sync, a barrier over this machine's processes, MPI_Win_sync: every store into the window before the
/// call, by any process, is visible to every process after it. Waits as the all-reduces do (spinning or sleeping).
int descent_mpi_shared_synchronize(void);
/// target[i] = factor × values[i] with streaming (non-temporal) stores, which leave the caches alone and need no
/// read of the target's lines first; returns Σ values[i]² (float lanes in blocks of 1,024, double across blocks).
/// For memory another process reads next: writing 800 KB into a shared window took 0.35–0.45 ms with plain
/// stores (each line first fetched from the core that read it last), 0.035–0.07 ms streamed.
double descent_streaming_scaled_copy(const float *values, float *target, long count, float factor);
/// target[i] = ((sources[0][i] × scales[0] + sources[1][i] × scales[1]) + …), the `parts` sources in rank order, each
/// product and each sum rounded to float (no fused multiply-add: the bits of MPI_Allreduce's sum of pre-scaled parts);
/// `target` may be one of the sources. Returns Σ target[i]² (float lanes in blocks of 1,024, double across blocks)
/// and sets *finite to 1 when every target[i] is finite, else 0. AVX-512, AVX2 or baseline, chosen at first use.
double descent_sum_in_rank_order(const float *const *sources, const float *scales, long parts, long count, float *target,
                                 int *finite);
/// The instruction set the window's kernels use here: 2 = AVX-512, 1 = AVX2, 0 = baseline.
int descent_window_kernels_level(void);
/// The kernels above at one instruction-set level (0 ... descent_window_kernels_level()), for tests that check every
/// variant this processor runs; -1 for a level it does not run.
double descent_sum_in_rank_order_at_level(int level, const float *const *sources, const float *scales, long parts, long count,
                                          float *target, int *finite);
double descent_streaming_scaled_copy_at_level(int level, const float *values, float *target, long count, float factor);
/// MPI_Finalize, once; nothing when MPI was never initialised.
int descent_mpi_finalize(void);
/// MPI_Abort(MPI_COMM_WORLD, code): ends every process of the job.
int descent_mpi_abort(int code);
/// MPI_Error_string of `code` into `text`.
void descent_mpi_error_text(int code, char *text, size_t capacity);
/// MPI_Get_library_version into `text` (empty before a successful load).
void descent_mpi_library_version(char *text, size_t capacity);

#endif

/// Stop signals under MPI. Open MPI's run-time takes SIGINT and SIGTERM from the dispatch sources that
/// `descent` watches them with in one process, so under mpirun a plain sigaction handler records them:
/// the first sets the number `descent_stop_signal` returns, a second exits at once with 128 + its number.
void descent_watch_stop_signals(void);
/// The first stop signal received since `descent_watch_stop_signals` (0: none).
int descent_stop_signal(void);
