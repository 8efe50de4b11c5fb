/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The container's filesystem view: root propagation, the rootfs bind,
 * config mounts, /dev and device nodes, pivot_root, /dev/console, masked
 * and read-only paths.
 *
 * Called inside the container process, already in its new mount namespace
 * (and user namespace, mapped, as uid 0 there), in this order:
 *
 *   hull_rootfs_prepare    -> (createRuntime/createContainer hooks) ->
 *   hull_rootfs_pivot      -> hull_rootfs_bind_console (with a terminal) ->
 *   hull_rootfs_finalize
 *
 * Every path inside the rootfs is reached through fds resolved with
 * paths.h, and mounts are placed onto those fds, never onto path strings.
 * All syscalls that change mounts go through the seam in sys.h.
 * Design notes: docs/rootfs.md.
 */
#ifndef HULL_ROOTFS_H
#define HULL_ROOTFS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"

struct hull_rootfs_ctx
{
  const struct hull_config *cfg;
  const char *rootfs;   /* absolute host path of the rootfs */
  const char *bundle;   /* absolute bundle dir: relative mount sources are relative to it */
  bool no_pivot;        /* MS_MOVE + chroot instead of pivot_root */
  bool userns;          /* new user namespace: device nodes are bind-mounted from the host */
  bool new_netns;       /* a new network namespace exists (else sysfs is rbound in a userns) */
  int cgroup_fd_hint;   /* unused for now, -1 */
  /* Optional: per config mount (cfg->mounts[i]), a detached mount fd prepared by
     the parent (hull_mount_open_idmapped), or -1.  NULL when none. */
  const int *mount_fds;
  /* Internal state, leave zero-initialised. */
  int rootfd;           /* O_PATH fd of the rootfs bind mount (the root after pivot) */
  bool rootfd_open;
  bool proc_mounted;    /* a procfs is mounted: check later destinations against it */
};

/* Before hooks: propagation of "/", bind of the rootfs, config mounts, /dev and devices. */
HULL_PUBLIC int hull_rootfs_prepare (struct hull_rootfs_ctx *ctx, hull_error_t *err);
/* pivot_root into the rootfs (or MS_MOVE + chroot), detach the old root, chdir "/". */
HULL_PUBLIC int hull_rootfs_pivot (struct hull_rootfs_ctx *ctx, hull_error_t *err);
/* After pivot: bind the pty slave fd onto /dev/console (a regular file in the container's /dev). */
HULL_PUBLIC int hull_rootfs_bind_console (int slave_fd, hull_error_t *err);
/* After pivot: readonlyPaths, maskedPaths, root.readonly, final root propagation.
   Releases the ctx (closes the rootfs fd) whether it succeeds or not. */
HULL_PUBLIC int hull_rootfs_finalize (struct hull_rootfs_ctx *ctx, hull_error_t *err);
/* Release what prepare kept open (the rootfs fd); safe to call more than once, and
   needed only when finalize is not reached. */
HULL_PUBLIC void hull_rootfs_ctx_release (struct hull_rootfs_ctx *ctx);

/* In the parent, for a mount with "idmap"/"ridmap": clone its source as a detached
   mount idmapped with userns_fd (or, when the mount has its own uid/gid mappings and
   userns_fd < 0, a user namespace built from them).  Returns the mount fd. */
HULL_PUBLIC int hull_mount_open_idmapped (const struct hull_mount *m, const char *bundle,
                                          int userns_fd, hull_error_t *err);

/* "idmap" or "ridmap" when m's options hold one of them, else NULL. */
HULL_PUBLIC const char *hull_mount_idmap_option (const struct hull_mount *m);
/* Does any mount ask for idmap/ridmap (so the parent should prepare mount fds)? */
HULL_PUBLIC bool hull_rootfs_needs_idmap_fds (const struct hull_config *cfg);
/* In the parent, once the container's user namespace is mapped (userns_fd open on
   /proc/<child>/ns/user): an array of cfg->mounts_len fds, an idmapped detached
   mount for each idmap/ridmap mount and -1 elsewhere, for hull_rootfs_ctx.mount_fds
   (send them over the sync socket).  Free with free() after closing the fds. */
HULL_PUBLIC int hull_rootfs_open_idmapped_all (const struct hull_config *cfg, const char *bundle,
                                               int userns_fd, int **fds_out, hull_error_t *err);

/* ---- internal: mount options (mount_options.c) --------------------------- */

struct hull_mount_opts
{
  unsigned long flags;       /* MS_* to set */
  unsigned long clear;       /* MS_* explicitly cleared ("rw", "suid", ...) */
  unsigned long propagation; /* MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE [|MS_REC], last wins */
  uint64_t rec_set;          /* MOUNT_ATTR_* set recursively (rro, rnosuid, ...) */
  uint64_t rec_clr;          /* MOUNT_ATTR_* cleared recursively */
  bool bind;                 /* bind or rbind */
  bool recursive;            /* rbind */
  bool idmap;                /* idmap or ridmap */
  bool recursive_idmap;      /* ridmap */
  bool tmpcopyup;
  char *data;                /* unknown options, comma-joined, or NULL */
};

/* Parse the option strings of a mount into *o (zeroed first). */
int hull_mount_opts_parse (char *const *options, struct hull_mount_opts *o, hull_error_t *err);
/* Free what hull_mount_opts_parse allocated. */
void hull_mount_opts_clear (struct hull_mount_opts *o);
/* MOUNT_ATTR_* equivalent of the per-mount MS_* flags (for mount_setattr/fsmount);
   *clr receives the bits that must be cleared along (MOUNT_ATTR__ATIME). */
uint64_t hull_ms_to_mount_attr (unsigned long ms, uint64_t *clr);
/* Is value (e.g. "rshared") a propagation option?  *flags gets MS_*. */
bool hull_propagation_from_name (const char *name, unsigned long *flags);

/* ---- internal: mounts.c, devices.c, masked.c ----------------------------- */

/* Do config mount cfg->mounts[i] inside the rootfs. */
int hull_rootfs_do_mount (struct hull_rootfs_ctx *ctx, size_t i, hull_error_t *err);
/* Mount fd `mntfd` (detached or not) onto targetfd. */
int hull_move_mount_fd (int mntfd, int targetfd, hull_error_t *err);
#define HULL_FD_PATH_LEN 32
/* "/proc/self/fd/<fd>" in buf (for mount(2) targets before the pivot). */
const char *hull_fd_path (char buf[HULL_FD_PATH_LEN], int fd);
/* mount(2) with the target given by fd; -1 with errno on failure. */
int hull_mount_on_fd (const char *src, int fd, const char *type, unsigned long flags,
                      const char *data);
/* mount_setattr on fd itself; -1 with errno on failure. */
int hull_setattr_fd (int fd, bool recursive, uint64_t set, uint64_t clr, uint64_t propagation,
                     int userns_fd);
/* Before attaching (attached false): ms_flags and the recursive attributes of o;
   after (attached true): the propagation of o. */
int hull_apply_mount_attrs (int mfd, const struct hull_mount_opts *o, unsigned long ms_flags,
                            bool attached, hull_error_t *err);
/* A new detached filesystem (fsopen, options from data and flags, fsmount); the mount fd. */
int hull_fs_new_mount (const char *type, const char *source, unsigned long flags, const char *data,
                       hull_error_t *err);
/* A mounts[] entry of type "cgroup" onto destfd (mount_cgroup.c). */
int hull_mount_cgroup (struct hull_rootfs_ctx *ctx, const struct hull_mount_opts *o, int destfd,
                       hull_error_t *err);
/* Does the container need /dev populated (no bind mount at /dev)? */
bool hull_rootfs_needs_dev (const struct hull_config *cfg);
/* Default devices, linux.devices, /dev symlinks and ptmx. */
int hull_rootfs_setup_dev (struct hull_rootfs_ctx *ctx, bool default_devices, hull_error_t *err);
/* readonlyPaths and maskedPaths below rootfd. */
int hull_rootfs_readonly_paths (int rootfd, char *const *paths, hull_error_t *err);
int hull_rootfs_masked_paths (int rootfd, char *const *paths, hull_error_t *err);
/* Copy the content of directory fd src into directory fd dst (modes, owners, symlinks). */
int hull_copy_tree (int src, int dst, hull_error_t *err);

#endif
