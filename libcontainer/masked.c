/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * maskedPaths and readonlyPaths, applied after pivot_root.
 *
 * Only fds and the new mount API are used here: after the pivot /proc is the
 * container's own and may have been tampered with, so nothing goes through
 * /proc/self/fd.  The /dev/null used to mask files is opened once without
 * following symlinks and must be the character device 1:3 (CVE-2025-31133);
 * directories get a clone of one empty read-only tmpfs.
 */
#include <config.h>
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "paths.h"
#include "sys.h"
#include "utils.h"

static bool
skippable (int e)
{
  return e == ENOENT || e == ENOTDIR;
}

int
hull_rootfs_readonly_paths (int rootfd, char *const *paths, hull_error_t *err)
{
  char *const *p;

  for (p = paths; p && *p; p++)
    {
      cleanup_close int fd = -1, tree = -1;
      struct mount_attr a = { .attr_set = MOUNT_ATTR_RDONLY };

      fd = hull_path_resolve (rootfd, *p, O_PATH, 0);
      if (fd < 0)
        {
          if (skippable (errno))
            continue;
          return hull_error_set (err, errno, "linux.readonlyPaths: \"%s\"", *p);
        }
      tree = hull_sys->open_tree (fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH
                                              | AT_RECURSIVE);
      if (tree < 0)
        return hull_error_set (err, errno, "linux.readonlyPaths: \"%s\": open_tree", *p);
      /* Only RDONLY is touched: nosuid/nodev/noexec of the mount stay as they are. */
      if (hull_sys->mount_setattr (tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof a) < 0)
        return hull_error_set (err, errno, "linux.readonlyPaths: \"%s\": mount_setattr", *p);
      if (hull_move_mount_fd (tree, fd, err) < 0)
        return hull_error_prefix (err, "linux.readonlyPaths: \"%s\"", *p);
    }
  return 0;
}

static int
open_dev_null (int rootfd, hull_error_t *err)
{
  cleanup_close int fd = -1;
  struct stat st;

  fd = hull_path_resolve (rootfd, "/dev/null", O_PATH | O_NOFOLLOW, HULL_RESOLVE_NO_SYMLINKS);
  if (fd < 0)
    return hull_error_set (err, errno, "linux.maskedPaths: open \"/dev/null\"");
  if (fstat (fd, &st) < 0)
    return hull_error_set (err, errno, "linux.maskedPaths: stat \"/dev/null\"");
  if (!S_ISCHR (st.st_mode) || major (st.st_rdev) != 1 || minor (st.st_rdev) != 3)
    return hull_error_set (err, EPERM,
                           "linux.maskedPaths: \"/dev/null\" is not the null device (char 1:3)");
  return take_fd (fd);
}

static int
empty_ro_tmpfs (hull_error_t *err)
{
  cleanup_close int fsfd = -1;
  int mfd;

  fsfd = hull_sys->fsopen ("tmpfs", FSOPEN_CLOEXEC);
  if (fsfd < 0)
    return hull_error_set (err, errno, "linux.maskedPaths: fsopen tmpfs");
  if (hull_sys->fsconfig (fsfd, FSCONFIG_SET_STRING, "source", "tmpfs", 0) < 0
      || hull_sys->fsconfig (fsfd, FSCONFIG_SET_STRING, "nr_inodes", "1", 0) < 0
      || hull_sys->fsconfig (fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
    return hull_error_set (err, errno, "linux.maskedPaths: configure tmpfs");
  mfd = hull_sys->fsmount (fsfd, FSMOUNT_CLOEXEC,
                           MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV
                               | MOUNT_ATTR_NOEXEC);
  if (mfd < 0)
    return hull_error_set (err, errno, "linux.maskedPaths: fsmount tmpfs");
  return mfd;
}

int
hull_rootfs_masked_paths (int rootfd, char *const *paths, hull_error_t *err)
{
  cleanup_close int null_fd = -1, tmpfs_fd = -1;
  bool tmpfs_attached = false;
  char *const *p;

  for (p = paths; p && *p; p++)
    {
      cleanup_close int fd = -1, tree = -1;
      struct stat st;
      int src;

      fd = hull_path_resolve (rootfd, *p, O_PATH, 0);
      if (fd < 0)
        {
          if (skippable (errno))
            continue;
          return hull_error_set (err, errno, "linux.maskedPaths: \"%s\"", *p);
        }
      if (fstat (fd, &st) < 0)
        return hull_error_set (err, errno, "linux.maskedPaths: stat \"%s\"", *p);
      if (S_ISDIR (st.st_mode))
        {
          if (tmpfs_fd < 0 && (tmpfs_fd = empty_ro_tmpfs (err)) < 0)
            return -1;
          if (!tmpfs_attached)
            {
              /* The first directory gets the new tmpfs itself; later ones a
                 clone of it (detached mounts cannot be cloned on every kernel). */
              if (hull_move_mount_fd (tmpfs_fd, fd, err) < 0)
                return hull_error_prefix (err, "linux.maskedPaths: \"%s\"", *p);
              tmpfs_attached = true;
              continue;
            }
          src = tmpfs_fd;
        }
      else
        {
          if (null_fd < 0 && (null_fd = open_dev_null (rootfd, err)) < 0)
            return -1;
          src = null_fd;
        }
      tree = hull_sys->open_tree (src, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
      if (tree < 0)
        return hull_error_set (err, errno, "linux.maskedPaths: \"%s\": open_tree", *p);
      if (hull_move_mount_fd (tree, fd, err) < 0)
        return hull_error_prefix (err, "linux.maskedPaths: \"%s\"", *p);
    }
  return 0;
}
