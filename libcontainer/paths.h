/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Safe path resolution below a root directory fd.
 *
 * Paths inside the container are always resolved relative to an fd of the
 * container's root, as if that fd were "/": ".." stops at the root and
 * absolute symlinks restart from it, so nothing in the rootfs can send a
 * lookup outside (CVE-2021-30465 and friends).  openat2(RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS) does the work; on kernels without openat2 an
 * equivalent component walk with O_NOFOLLOW is used.
 */
#ifndef HULL_PATHS_H
#define HULL_PATHS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

/* Extra resolution rule for hull_path_resolve: refuse any symlink on the way. */
#define HULL_RESOLVE_NO_SYMLINKS 1u

/* Open path (inside the container) below rootfd with open(2) flags (O_CLOEXEC is
   added; O_PATH for a handle); the last component is followed unless O_NOFOLLOW. */
HULL_PUBLIC int hull_path_open_in_root (int rootfd, const char *path, int flags, hull_error_t *err);

/* Create path below rootfd (missing parents as directories with mode, the leaf as a
   directory or, with leaf_is_file, an empty regular file); returns an fd of the leaf. */
HULL_PUBLIC int hull_path_mkdir_in_root (int rootfd, const char *path, mode_t mode, bool leaf_is_file,
                                         hull_error_t *err);

/* Like hull_path_open_in_root without an error object: fd, or -1 with errno set.
   rules is 0 or HULL_RESOLVE_NO_SYMLINKS. */
int hull_path_resolve (int rootfd, const char *path, int flags, unsigned rules);

/* Same as hull_path_mkdir_in_root; *created tells whether the leaf was made by us. */
int hull_path_mkdir_in_root_ex (int rootfd, const char *path, mode_t mode, bool leaf_is_file,
                                bool *created, hull_error_t *err);

/* Lexically cleaned absolute form of path ("/a/../b/./c" -> "/b/c"); malloc'ed. */
char *hull_path_clean (const char *path);

/* Use the component walk instead of openat2 (tests only). */
void hull_path_force_walk (bool on);

#endif
