#include "CDescentMPI.h"

#include <dlfcn.h>
#include <pthread.h>
#include <limits.h>
#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

// Open MPI's handle types are pointers to its predefined globals; void * is enough to pass them on.
typedef void *handle;

static struct {
    void *library;
    handle world, type_float, type_double, type_byte, op_sum, op_max, op_min, errors_return;
    int (*init_thread)(int *, char ***, int, int *);
    int (*initialized)(int *);
    int (*finalized)(int *);
    int (*comm_rank)(handle, int *);
    int (*comm_size)(handle, int *);
    int (*allreduce)(const void *, void *, int, handle, handle, handle);
    int (*bcast)(void *, int, handle, int, handle);
    int (*barrier)(handle);
    int (*finalize)(void);
    int (*abort)(handle, int);
    int (*error_string)(int, char *, int *);
    int (*library_version)(char *, int *);
    int (*comm_set_errhandler)(handle, handle);
    int (*iallreduce)(const void *, void *, int, handle, handle, handle, handle *);
    int (*test)(handle *, int *, void *);
    // MPI-3 shared memory (optional: without them every reduction goes through MPI_Allreduce).
    handle info_null;
    int (*comm_split_type)(handle, int, int, handle, handle *);
    int (*comm_free)(handle *);
    int (*win_allocate_shared)(long, int, handle, handle, void *, handle *);
    int (*win_shared_query)(handle, int, long *, int *, void *);
    int (*win_lock_all)(int, handle);
    int (*win_unlock_all)(handle);
    int (*win_sync)(handle);
    int (*win_free)(handle *);
    int (*ibarrier)(handle, handle *);
} mpi;

// The processes that share this machine's memory (MPI_Comm_split_type(MPI_COMM_TYPE_SHARED)), and the one
// shared window, with each process's base address.
static handle node = NULL;
static handle window = NULL;
static long window_bytes = 0;
static void **window_bases = NULL;

static int finalized_here = 0;

// MPI_IN_PLACE in Open MPI's mpi.h; MPI_THREAD_FUNNELED likewise.
#define OPEN_MPI_IN_PLACE ((void *)1)
#define OPEN_MPI_THREAD_FUNNELED 1
#define PIECE (1L << 30)
// MPI_COMM_TYPE_SHARED (the first of Open MPI's split types) and MPI_MODE_NOCHECK, from Open MPI's mpi.h.
#define OPEN_MPI_COMM_TYPE_SHARED 0
#define OPEN_MPI_MODE_NOCHECK 1

static int lookup(void **slot, const char *name, char *message, size_t capacity) {
    *slot = dlsym(mpi.library, name);
    if (*slot == NULL) {
        snprintf(message, capacity, "the Open MPI library loaded has no symbol %s (a broken or partial installation)", name);
        return 0;
    }
    return 1;
}

int descent_mpi_load(char *message, size_t capacity) {
    if (mpi.library != NULL) return DESCENT_MPI_LOADED;
    const char *names[] = {"libmpi.so.40", "libmpi.so"};
    const char *failure = NULL;
    void *library = NULL;
    for (int index = 0; index < 2 && library == NULL; index++) {
        library = dlopen(names[index], RTLD_NOW | RTLD_GLOBAL);
        if (library == NULL && failure == NULL) failure = dlerror();
    }
    if (library == NULL) {
        snprintf(message, capacity,
                 "Open MPI is not installed: neither libmpi.so.40 nor libmpi.so could be loaded (%s); "
                 "on Debian or Ubuntu: apt-get install openmpi-bin libopenmpi-dev",
                 failure != NULL ? failure : "not found");
        return DESCENT_MPI_ABSENT;
    }
    mpi.library = library;
    mpi.world = dlsym(library, "ompi_mpi_comm_world");
    if (mpi.world == NULL) {
        static char version[8192] = "unknown";  // MPICH's MPI_MAX_LIBRARY_VERSION_STRING is 8192
        int length = 0;
        int (*library_version)(char *, int *) = (int (*)(char *, int *))dlsym(library, "MPI_Get_library_version");
        if (library_version != NULL) library_version(version, &length);
        char *newline = strchr(version, '\n');
        if (newline != NULL) *newline = 0;
        snprintf(message, capacity,
                 "the libmpi found is not Open MPI (it says: %s); Descent speaks only to Open MPI, whose handles it can "
                 "look up at run time: install openmpi-bin and libopenmpi-dev, or put Open MPI's libmpi.so.40 first on "
                 "LD_LIBRARY_PATH",
                 version);
        dlclose(library);
        mpi.library = NULL;
        return DESCENT_MPI_NOT_OPEN_MPI;
    }
    int complete = lookup(&mpi.type_float, "ompi_mpi_float", message, capacity)
        && lookup(&mpi.type_double, "ompi_mpi_double", message, capacity)
        && lookup(&mpi.type_byte, "ompi_mpi_byte", message, capacity)
        && lookup(&mpi.op_sum, "ompi_mpi_op_sum", message, capacity)
        && lookup(&mpi.op_max, "ompi_mpi_op_max", message, capacity)
        && lookup(&mpi.op_min, "ompi_mpi_op_min", message, capacity)
        && lookup(&mpi.errors_return, "ompi_mpi_errors_return", message, capacity)
        && lookup((void **)&mpi.init_thread, "MPI_Init_thread", message, capacity)
        && lookup((void **)&mpi.initialized, "MPI_Initialized", message, capacity)
        && lookup((void **)&mpi.finalized, "MPI_Finalized", message, capacity)
        && lookup((void **)&mpi.comm_rank, "MPI_Comm_rank", message, capacity)
        && lookup((void **)&mpi.comm_size, "MPI_Comm_size", message, capacity)
        && lookup((void **)&mpi.allreduce, "MPI_Allreduce", message, capacity)
        && lookup((void **)&mpi.bcast, "MPI_Bcast", message, capacity)
        && lookup((void **)&mpi.barrier, "MPI_Barrier", message, capacity)
        && lookup((void **)&mpi.finalize, "MPI_Finalize", message, capacity)
        && lookup((void **)&mpi.abort, "MPI_Abort", message, capacity)
        && lookup((void **)&mpi.error_string, "MPI_Error_string", message, capacity)
        && lookup((void **)&mpi.library_version, "MPI_Get_library_version", message, capacity)
        && lookup((void **)&mpi.comm_set_errhandler, "MPI_Comm_set_errhandler", message, capacity)
        && lookup((void **)&mpi.iallreduce, "MPI_Iallreduce", message, capacity)
        && lookup((void **)&mpi.test, "MPI_Test", message, capacity);
    if (complete) {
        // MPI-3's shared-memory windows (Open MPI >= 1.7): optional.
        mpi.info_null = dlsym(library, "ompi_mpi_info_null");
        mpi.comm_split_type = dlsym(library, "MPI_Comm_split_type");
        mpi.comm_free = dlsym(library, "MPI_Comm_free");
        mpi.win_allocate_shared = dlsym(library, "MPI_Win_allocate_shared");
        mpi.win_shared_query = dlsym(library, "MPI_Win_shared_query");
        mpi.win_lock_all = dlsym(library, "MPI_Win_lock_all");
        mpi.win_unlock_all = dlsym(library, "MPI_Win_unlock_all");
        mpi.win_sync = dlsym(library, "MPI_Win_sync");
        mpi.win_free = dlsym(library, "MPI_Win_free");
        mpi.ibarrier = dlsym(library, "MPI_Ibarrier");
    }
    if (!complete) {
        dlclose(library);
        memset(&mpi, 0, sizeof mpi);
        return DESCENT_MPI_INCOMPLETE;
    }
    if (capacity > 0) message[0] = 0;
    return DESCENT_MPI_LOADED;
}

#define REQUIRE_LOADED() do { if (mpi.library == NULL) return -1; } while (0)

int descent_mpi_initialize(void) {
    REQUIRE_LOADED();
    int flag = 0;
    mpi.initialized(&flag);
    if (flag) return 0;
    // Poll politely while waiting in a blocking collective (sched_yield between polls), unless the user chose:
    // on 2 cores busy with other work 2 processes ran at 97-105k samples/s with it, 79-100k without; on idle
    // cores the two measured alike (119-128k).
    setenv("OMPI_MCA_mpi_yield_when_idle", "1", 0);
    int provided = 0;
    int status = mpi.init_thread(NULL, NULL, OPEN_MPI_THREAD_FUNNELED, &provided);
    if (status != 0) return status;
    return mpi.comm_set_errhandler(mpi.world, mpi.errors_return);
}

int descent_mpi_is_initialized(void) {
    if (mpi.library == NULL || finalized_here) return 0;
    int flag = 0;
    mpi.initialized(&flag);
    return flag;
}

int descent_mpi_rank(int *rank) { REQUIRE_LOADED(); return mpi.comm_rank(mpi.world, rank); }
int descent_mpi_size(int *size) { REQUIRE_LOADED(); return mpi.comm_size(mpi.world, size); }

static handle operation_handle(int operation) {
    switch (operation) {
    case DESCENT_MPI_MAX: return mpi.op_max;
    case DESCENT_MPI_MIN: return mpi.op_min;
    default: return mpi.op_sum;
    }
}

static int sleeps_while_waiting = 0;

void descent_mpi_set_sleeps_while_waiting(int sleeps) { sleeps_while_waiting = sleeps != 0; }

// An all-reduce that waits politely: MPI_Iallreduce, then MPI_Test, spinning for about 200 tests and then
// sleeping 50 µs between tests. MPI_Allreduce spins on a core while the slower rank computes; with more
// ranks than cores that spinning takes the core from the very rank it waits for. It is slower when every
// rank has a core: Open MPI's non-blocking collectives progress only inside MPI_Test (800 KB on 2 cores:
// 1.2 ms spinning on MPI_Test, 0.11-0.17 ms in MPI_Allreduce).
static int polite_allreduce(void *values, int count, handle type, handle operation) {
    if (!sleeps_while_waiting) return mpi.allreduce(OPEN_MPI_IN_PLACE, values, count, type, operation, mpi.world);
    handle request = NULL;
    int status = mpi.iallreduce(OPEN_MPI_IN_PLACE, values, count, type, operation, mpi.world, &request);
    if (status != 0) return status;
    struct timespec pause = {0, 50000};
    for (long tries = 0;; tries++) {
        int done = 0;
        status = mpi.test(&request, &done, NULL);  // NULL is Open MPI's MPI_STATUS_IGNORE
        if (status != 0 || done) return status;
        if (tries > 200) nanosleep(&pause, NULL);
    }
}

/* An all-reduce of `count` elements of `size` bytes each, in pieces of at most PIECE (MPI counts are ints). */
static int allreduce_in_pieces(char *values, long count, size_t size, handle type, int operation) {
    REQUIRE_LOADED();
    for (long start = 0; start < count; start += PIECE) {
        long piece = count - start < PIECE ? count - start : PIECE;
        int status = polite_allreduce(values + start * (long)size, (int)piece, type, operation_handle(operation));
        if (status != 0) return status;
    }
    return 0;
}

int descent_mpi_allreduce_float(float *values, long count, int operation) {
    return allreduce_in_pieces((char *)values, count, sizeof(float), mpi.type_float, operation);
}

int descent_mpi_allreduce_double(double *values, long count, int operation) {
    return allreduce_in_pieces((char *)values, count, sizeof(double), mpi.type_double, operation);
}

int descent_mpi_broadcast_bytes(void *bytes, long count, int root) {
    REQUIRE_LOADED();
    for (long start = 0; start < count; start += PIECE) {
        long piece = count - start < PIECE ? count - start : PIECE;
        int status = mpi.bcast((char *)bytes + start, (int)piece, mpi.type_byte, root, mpi.world);
        if (status != 0) return status;
    }
    return 0;
}

int descent_mpi_barrier(void) { REQUIRE_LOADED(); return mpi.barrier(mpi.world); }

static int has_shared_memory(void) {
    return mpi.info_null && mpi.comm_split_type && mpi.comm_free && mpi.win_allocate_shared && mpi.win_shared_query
        && mpi.win_lock_all && mpi.win_unlock_all && mpi.win_sync && mpi.win_free && mpi.ibarrier;
}

int descent_mpi_node_size(int *size) {
    REQUIRE_LOADED();
    *size = 1;
    if (!has_shared_memory()) return 0;
    if (node == NULL) {
        int status = mpi.comm_split_type(mpi.world, OPEN_MPI_COMM_TYPE_SHARED, 0, mpi.info_null, &node);
        if (status != 0) { node = NULL; return status; }
        status = mpi.comm_set_errhandler(node, mpi.errors_return);
        if (status != 0) return status;
    }
    return mpi.comm_size(node, size);
}

static int free_window(void) {
    if (window == NULL) return 0;
    mpi.win_unlock_all(window);
    int status = mpi.win_free(&window);
    window = NULL;
    window_bytes = 0;
    free(window_bases);
    window_bases = NULL;
    return status;
}

int descent_mpi_shared_window(long bytes, void **bases, int count, long *capacity) {
    REQUIRE_LOADED();
    int size = 0;
    int status = descent_mpi_node_size(&size);
    if (status != 0) return status;
    if (node == NULL || count != size) return -1;
    if (window == NULL || window_bytes < bytes) {
        status = free_window();
        if (status != 0) return status;
        void *own = NULL;
        status = mpi.win_allocate_shared(bytes, 1, mpi.info_null, node, &own, &window);
        if (status != 0) { window = NULL; return status; }
        window_bases = calloc((size_t)size, sizeof(void *));
        if (window_bases == NULL) return -1;
        for (int rank = 0; rank < size; rank++) {
            long length = 0;
            int unit = 0;
            status = mpi.win_shared_query(window, rank, &length, &unit, &window_bases[rank]);
            if (status != 0) return status;
        }
        // One passive-target epoch for the window's whole life: MPI_Win_sync is then allowed at any time.
        status = mpi.win_lock_all(OPEN_MPI_MODE_NOCHECK, window);
        if (status != 0) return status;
        window_bytes = bytes;
    }
    for (int rank = 0; rank < size; rank++) bases[rank] = window_bases[rank];
    *capacity = window_bytes;
    return 0;
}

int descent_mpi_shared_synchronize(void) {
    REQUIRE_LOADED();
    if (window == NULL) return -1;
    int status = mpi.win_sync(window);  // this process's stores are visible ...
    if (status != 0) return status;
    if (!sleeps_while_waiting) {
        status = mpi.barrier(node);     // ... once every process has made its own so
    } else {
        handle request = NULL;
        status = mpi.ibarrier(node, &request);
        struct timespec pause = {0, 50000};
        for (long tries = 0; status == 0; tries++) {
            int done = 0;
            status = mpi.test(&request, &done, NULL);
            if (done) break;
            if (tries > 200) nanosleep(&pause, NULL);
        }
    }
    if (status != 0) return status;
    return mpi.win_sync(window);        // and this process sees theirs
}

int descent_mpi_finalize(void) {
    if (!descent_mpi_is_initialized()) return 0;
    int flag = 0;
    mpi.finalized(&flag);
    if (flag) return 0;
    finalized_here = 1;
    free_window();
    if (node != NULL) mpi.comm_free(&node);
    node = NULL;
    return mpi.finalize();
}

int descent_mpi_abort(int code) { REQUIRE_LOADED(); return mpi.abort(mpi.world, code); }

void descent_mpi_error_text(int code, char *text, size_t capacity) {
    if (capacity == 0) return;
    if (mpi.library == NULL) { snprintf(text, capacity, "MPI is not loaded"); return; }
    char buffer[512];
    int length = 0;
    if (mpi.error_string(code, buffer, &length) != 0) { snprintf(text, capacity, "MPI error %d", code); return; }
    buffer[length < 511 ? length : 511] = 0;
    snprintf(text, capacity, "%s", buffer);
}

void descent_mpi_library_version(char *text, size_t capacity) {
    if (capacity == 0) return;
    text[0] = 0;
    if (mpi.library == NULL) return;
    static char buffer[8192];
    int length = 0;
    if (mpi.library_version(buffer, &length) != 0) return;
    buffer[length < 8191 ? length : 8191] = 0;
    char *newline = strchr(buffer, '\n');
    if (newline != NULL) *newline = 0;
    snprintf(text, capacity, "%s", buffer);
}

static volatile sig_atomic_t stop_signal = 0;

static void record_stop_signal(int number) {
    if (stop_signal != 0) _exit(128 + number);
    stop_signal = number;
}

void descent_watch_stop_signals(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = record_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

int descent_stop_signal(void) { return stop_signal; }
