/* The gradient sum of a data-parallel step, alone: MPI_Allreduce against an MPI-3 shared window (issue #24).
 *
 *   mpicc -O2 -march=native -o /tmp/mpi_window_micro benchmarks/mpi_window_micro.c
 *   OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun -np 2 /tmp/mpi_window_micro
 *   (STREAM=0 in the environment: plain stores into the window instead of streaming ones)
 *
 * 203,533 floats (the 784-256-10 MLP's gradient, the loss, the stop request and the norm), 2,000 times; before
 * each, 6 MB of other memory is touched (as forward and backward do) and the gradient re-read. Prints per sum:
 * the in-place MPI_Allreduce; the window's copy into this process's part, its synchronisation
 * (MPI_Win_sync, MPI_Barrier on the node's communicator, MPI_Win_sync) and the sum of the parts in rank order.
 * Not part of the build; Descent's own code is DataParallelStep.reduceThroughWindow and the CDescentMPI shim. */
#include <mpi.h>
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static char *other;
static void touch_other_memory(void) { for (long i = 0; i < (6L << 20); i += 64) other[i]++; }

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const char *stream_setting = getenv("STREAM");
    int streams = stream_setting == NULL || stream_setting[0] != '0';
    long n = 203530 + 3;
    int iterations = 2000;
    other = calloc(6L << 20, 1);
    float *gradient = malloc(n * sizeof(float)), *sum = malloc(n * sizeof(float));
    for (long i = 0; i < n; i++) gradient[i] = i * 1e-6f + rank;
    double start, allreduce = 0, copy = 0, synchronisation = 0, adding = 0;
    for (int iteration = 0; iteration < iterations; iteration++) {
        touch_other_memory();
        for (long i = 0; i < n; i++) gradient[i] *= 0.5f;
        MPI_Barrier(MPI_COMM_WORLD);
        start = now();
        MPI_Allreduce(MPI_IN_PLACE, gradient, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        allreduce += now() - start;
    }
    MPI_Comm node;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
    long stride = (n + 15) / 16 * 16;
    float *own, *parts[64];
    MPI_Win window;
    MPI_Win_allocate_shared(2 * stride * sizeof(float), 1, MPI_INFO_NULL, node, &own, &window);
    for (int k = 0; k < size && k < 64; k++) {
        MPI_Aint bytes;
        int unit;
        MPI_Win_shared_query(window, k, &bytes, &unit, &parts[k]);
    }
    MPI_Win_lock_all(MPI_MODE_NOCHECK, window);
    for (int iteration = 0; iteration < iterations; iteration++) {
        long generation = (iteration & 1) * stride;
        float *mine = parts[rank] + generation;
        touch_other_memory();
        for (long i = 0; i < n; i++) gradient[i] *= 1.0f;
        MPI_Barrier(MPI_COMM_WORLD);
        start = now();
        long i = 0;
        if (streams) {
            for (; i < n && ((unsigned long)(mine + i) & 31) != 0; i++) mine[i] = gradient[i] * 0.5f;
            for (; i + 8 <= n; i += 8) _mm256_stream_ps(mine + i, _mm256_mul_ps(_mm256_loadu_ps(gradient + i), _mm256_set1_ps(0.5f)));
            _mm_sfence();
        }
        for (; i < n; i++) mine[i] = gradient[i] * 0.5f;
        double copied = now();
        copy += copied - start;
        MPI_Win_sync(window);
        MPI_Barrier(node);
        MPI_Win_sync(window);
        double synchronised = now();
        synchronisation += synchronised - copied;
        for (long j = 0; j < n; j++) {
            float total = parts[0][generation + j];
            for (int k = 1; k < size; k++) total += parts[k][generation + j];
            sum[j] = total;
        }
        adding += now() - synchronised;
    }
    if (rank == 0)
        printf("per sum (ms): MPI_Allreduce %.3f | window (%s stores): copy %.3f, synchronisation %.3f, sum %.3f, in all %.3f\n",
               allreduce / iterations * 1e3, streams ? "streaming" : "plain", copy / iterations * 1e3,
               synchronisation / iterations * 1e3, adding / iterations * 1e3, (copy + synchronisation + adding) / iterations * 1e3);
    MPI_Win_unlock_all(window);
    MPI_Win_free(&window);
    MPI_Comm_free(&node);
    MPI_Finalize();
    return sum[5] > 1e30f;
}
