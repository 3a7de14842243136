#include "CDescentSignals.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static int read_end = -1;
static volatile int write_end = -1;
static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;

static void record_signal(int number) {
    int saved = errno;
    unsigned char byte = (unsigned char)number;
    // A full pipe (64 KiB of signals nobody read) drops this one: there are plenty already.
    ssize_t written = write(write_end, &byte, 1);
    (void)written;
    errno = saved;
}

static int close_on_exec(int descriptor) {
    int flags = fcntl(descriptor, F_GETFD);
    return flags < 0 ? -1 : fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC);
}

int descent_signals_install(void) {
    pthread_mutex_lock(&install_lock);
    int status = 0;
    if (read_end < 0) {
        int ends[2];
        if (pipe(ends) != 0) {
            status = -1;
        } else {
            int writeFlags = fcntl(ends[1], F_GETFL);
            if (close_on_exec(ends[0]) != 0 || close_on_exec(ends[1]) != 0 || writeFlags < 0
                || fcntl(ends[1], F_SETFL, writeFlags | O_NONBLOCK) != 0) {
                close(ends[0]);
                close(ends[1]);
                status = -1;
            } else {
                read_end = ends[0];
                write_end = ends[1];
                struct sigaction action;
                memset(&action, 0, sizeof action);
                action.sa_handler = record_signal;
                sigemptyset(&action.sa_mask);
                action.sa_flags = SA_RESTART;
                sigaction(SIGINT, &action, NULL);
                sigaction(SIGTERM, &action, NULL);
            }
        }
    }
    if (status == 0) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    }
    pthread_mutex_unlock(&install_lock);
    return status;
}

int descent_signals_next(void) {
    if (read_end < 0) return -1;
    for (;;) {
        unsigned char byte = 0;
        ssize_t count = read(read_end, &byte, 1);
        if (count == 1) return byte;
        if (count < 0 && errno == EINTR) continue;
        return -1;
    }
}
