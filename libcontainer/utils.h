/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Small helpers used everywhere: allocation that aborts on OOM, cleanup
 * attributes so that an early return is always safe, and fd-based file I/O.
 */
#ifndef HULL_UTILS_H
#define HULL_UTILS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

/* Allocation: on failure print a message and abort; never return NULL. */
void *xmalloc (size_t n);
void *xmalloc0 (size_t n);
void *xrealloc (void *p, size_t n);
char *xstrdup (const char *s);
char *xstrndup (const char *s, size_t n);
char *xasprintf (const char *fmt, ...) __attribute__((format (printf, 1, 2)));
char *xvasprintf (const char *fmt, va_list ap);

/* Cleanup helpers. */
void cleanup_freep (void *p);
void cleanup_closep (int *fd);
void cleanup_fclosep (void *f);
void cleanup_dirp (void *d);
void cleanup_strvp (char ***v);
#define cleanup_free __attribute__((cleanup (cleanup_freep)))
#define cleanup_close __attribute__((cleanup (cleanup_closep)))
#define cleanup_file __attribute__((cleanup (cleanup_fclosep)))
#define cleanup_dir __attribute__((cleanup (cleanup_dirp)))
#define cleanup_strv __attribute__((cleanup (cleanup_strvp)))

/* Return the value of *p and reset *p (take ownership away from a cleanup variable). */
#define take_ptr(p) \
  ({ __typeof__ (p) *_pp = &(p); __typeof__ (p) _v = *_pp; *_pp = NULL; _v; })
#define take_fd(fd) \
  ({ int *_pf = &(fd); int _v = *_pf; *_pf = -1; _v; })

/* NULL-terminated string vectors. */
size_t strv_len (char *const *v);
void strv_free (char **v);
char **strv_dup (char *const *v);

/* Close fd if >= 0, preserving errno. */
void close_quietly (int fd);

/* Read the whole file at dirfd/path (dirfd may be AT_FDCWD); NUL-terminated, *len optional. */
int read_file_at (int dirfd, const char *path, char **out, size_t *len, hull_error_t *err);
/* Read all of fd until EOF. */
int read_all_fd (int fd, const char *what, char **out, size_t *len, hull_error_t *err);
/* Write len bytes to dirfd/path (O_WRONLY|O_TRUNC, created with mode if flags has O_CREAT). */
int write_file_at (int dirfd, const char *path, int flags, mode_t mode, const void *data, size_t len,
                   hull_error_t *err);
/* write(2) all of buf, retrying on EINTR and short writes; -1 with errno set on failure. */
ssize_t write_all (int fd, const void *buf, size_t len);

/* "2026-12-02T01:02:03.000000004Z" in buf for a time since the epoch (UTC, no tz files
   read); 64 bytes are always enough. */
void rfc3339_utc (char *buf, size_t len, long long sec, long nsec);

/* Parse a decimal unsigned/signed integer, whole string, range-checked; -1 on error (no errno). */
int parse_u64 (const char *s, uint64_t *out);
int parse_i64 (const char *s, int64_t *out);

/* Make every fd >= from close-on-exec (close_range with a /proc fallback). */
int mark_fds_cloexec (int from, hull_error_t *err);

/* Fault injection for tests: when $HULL_TEST_KILL_AT names this phase, hull
 * SIGKILLs itself here (to prove that `delete --force` cleans up any state). */
void hull_fault_point (const char *phase);

/* Monotonic clock in nanoseconds. */
uint64_t now_ns (void);

#endif
