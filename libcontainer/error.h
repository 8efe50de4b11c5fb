/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Error convention of libcontainer (the only one):
 *
 *   A fallible function returns a negative value (or NULL) and, on failure,
 *   stores a newly allocated hull_error in *err.  The message names what
 *   failed ("mount \"/proc\""), and when errnum is non-zero the system error
 *   text is appended in lower case (": no such file or directory").
 *   Callers add context with hull_error_prefix() and return; whoever finally
 *   handles the error prints or logs err->msg and calls hull_error_free().
 *
 *   int f(..., hull_error_t *err)
 *   {
 *       if (mount(...) < 0)
 *           return hull_error_set(err, errno, "mount \"%s\"", dst);
 *       if (g(..., err) < 0)
 *           return hull_error_prefix(err, "rootfs");
 *       return 0;
 *   }
 *
 * *err must be NULL on entry.  Setting an error when one is already present
 * frees the old one (so no error is ever leaked).
 */
#ifndef HULL_ERROR_H
#define HULL_ERROR_H

#include <stdarg.h>

#define HULL_PUBLIC __attribute__((visibility("default")))

struct hull_error
{
  int errnum;  /* errno of the root cause, 0 when none */
  char *msg;   /* complete, human readable message */
};
typedef struct hull_error *hull_error_t;

/* Store a new error built from fmt (and strerror(errnum) when non-zero); returns -1. */
HULL_PUBLIC int hull_error_set (hull_error_t *err, int errnum, const char *fmt, ...)
    __attribute__((format (printf, 3, 4)));
/* Like hull_error_set with a va_list. */
HULL_PUBLIC int hull_error_setv (hull_error_t *err, int errnum, const char *fmt, va_list ap);
/* Prepend "<context>: " to the message of *err; returns -1. */
HULL_PUBLIC int hull_error_prefix (hull_error_t *err, const char *fmt, ...)
    __attribute__((format (printf, 2, 3)));
/* Free *err and reset it to NULL (no-op when NULL). */
HULL_PUBLIC void hull_error_free (hull_error_t *err);
/* Lower-case system error text for errnum ("no such file or directory"). */
HULL_PUBLIC const char *hull_strerror (int errnum);

#endif
