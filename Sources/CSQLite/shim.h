// The system's SQLite (Debian: libsqlite3-dev; macOS: the SDK's), for the tuner's study storage.
#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast macro Swift cannot import: "copy the bound text or blob now".
static inline void (*descent_sqlite_transient(void))(void *) { return SQLITE_TRANSIENT; }
