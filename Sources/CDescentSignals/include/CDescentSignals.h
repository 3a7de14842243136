#ifndef CDESCENT_SIGNALS_H
#define CDESCENT_SIGNALS_H

/// SIGINT and SIGTERM through a self-pipe: one sigaction handler, installed once for the life of the
/// process and never replaced, writes the signal's number as one byte to a pipe (write(2) is
/// async-signal-safe); a thread of the program reads the bytes with `descent_signals_next` and
/// decides what each signal means at that moment (end at once, or ask the work to stop).
///
/// Why not dispatch signal sources: on Linux libdispatch registers a source on its manager thread,
/// after `resume()` has returned, and installs its own handler only then; a signal that arrives in
/// between meets whatever action the program set before (`SIG_IGN`: lost, `SIG_DFL`: killed). Measured:
/// `signal(SIGINT, SIG_IGN)`, a source resumed, `kill(getpid(), SIGINT)` at once: the source saw the
/// signal 11 times in 20. With the handler below, a signal is recorded as soon as
/// `descent_signals_install` has returned, whichever thread it is delivered to.
///
/// Returns 0 when installed (or already installed), -1 when the pipe cannot be made (the signals
/// keep their actions). Also unblocks SIGINT and SIGTERM in the calling thread.
int descent_signals_install(void);

/// Waits for the next signal and returns its number (SIGINT or SIGTERM), in the order they came;
/// -1 when nothing is installed. For one thread of the program only.
int descent_signals_next(void);

#endif
