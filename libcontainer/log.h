/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Logging.  hull writes diagnostics to stderr, or to the --log file, as text
 * or as JSON lines ({"level":"error","msg":"...","time":"RFC 3339"}), the
 * format runc uses and the containerd shim parses.  The last error line is
 * the root cause a client shows to its user.
 */
#ifndef HULL_LOG_H
#define HULL_LOG_H

#include <stdbool.h>
#include "error.h"

enum hull_log_level { HULL_LOG_ERROR = 0, HULL_LOG_WARNING, HULL_LOG_INFO, HULL_LOG_DEBUG };

/* Configure logging: path NULL = stderr; json selects JSON lines; debug enables debug lines. */
HULL_PUBLIC int hull_log_init (const char *path, bool json, bool debug, hull_error_t *err);
/* Log a message at the given level (debug lines only with --debug). */
HULL_PUBLIC void hull_log (enum hull_log_level level, const char *fmt, ...)
    __attribute__((format (printf, 2, 3)));
/* True when debug logging is enabled (to skip costly formatting). */
HULL_PUBLIC bool hull_log_debug_enabled (void);
/* Record the duration of a setup phase for the --debug timeline. */
HULL_PUBLIC void hull_log_phase (const char *phase, unsigned long long start_ns);

#define hull_debug(...) do { if (hull_log_debug_enabled ()) hull_log (HULL_LOG_DEBUG, __VA_ARGS__); } while (0)
#define hull_warn(...) hull_log (HULL_LOG_WARNING, __VA_ARGS__)

#endif
