/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Verified access to procfs.
 *
 * Every read or write of a /proc file that matters for security goes
 * through here.  A root handle for /proc is opened once per process and
 * checked to be the root directory of a procfs mount; paths below it are
 * resolved with openat2 (RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS |
 * RESOLVE_NO_XDEV), or with a component-by-component O_NOFOLLOW walk that
 * checks the mount id when openat2 is missing.  Crossing any mount point on
 * the way (a tmpfs or a bind mount of another procfs file placed over the
 * target, as in CVE-2025-52881) is refused, and the opened file is checked
 * to be on procfs again.
 */
#ifndef HULL_PROCFS_H
#define HULL_PROCFS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Open "/proc/<path>" (path relative to /proc, e.g. "self/oom_score_adj") with
   flags (O_CLOEXEC and O_NOFOLLOW are always added); returns the fd or -1. */
int hull_procfs_open (const char *path, int flags, hull_error_t *err);

/* Write data to "/proc/<path>" in a single write(2), as procfs files expect. */
int hull_procfs_write (const char *path, const char *data, hull_error_t *err);

/* Read all of "/proc/<path>" into *out (malloc'ed, NUL-terminated). */
int hull_procfs_read (const char *path, char **out, hull_error_t *err);

/* Forget the cached /proc handle; call after pivot_root or mounting a new /proc. */
void hull_procfs_reset (void);

/* Like hull_procfs_open, but resolve below an explicitly given /proc directory
   fd (checked like the cached one).  For tests and for callers holding a
   handle to a specific procfs instance. */
int hull_procfs_open_at (int procfd, const char *path, int flags, hull_error_t *err);

/* Check that fd is the root directory of a procfs mount. */
int hull_procfs_check_root (int fd, hull_error_t *err);

/* Force the O_NOFOLLOW walk instead of openat2 (tests only). */
void hull_procfs_force_fallback (bool on);

#endif
