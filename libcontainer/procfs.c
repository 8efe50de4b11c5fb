/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Verified procfs access (see procfs.h).
 *
 * Why not just open("/proc/...")?  A container image or a racing container
 * with shared mounts can arrange for /proc/<something> to be a symlink, a
 * tmpfs file, or a bind mount of some other, harmless procfs file.  A write
 * meant for /proc/self/attr/exec or /proc/sys/... then silently goes nowhere
 * (or somewhere worse).  Checking only that the opened file is on procfs is
 * not enough, because a bind-mounted procfs file passes that check; what
 * gives it away is that the path crosses a mount point.  So:
 *
 *  1. the root handle must be the root inode of a procfs superblock and the
 *     root of its mount;
 *  2. resolution below it must not leave that mount (RESOLVE_NO_XDEV, or a
 *     mount id comparison per component in the fallback walk), must not
 *     escape it (RESOLVE_BENEATH, no "..") and must not follow magic links;
 *  3. the result must still be on procfs.
 */
#include <config.h>
#include "procfs.h"
#include "utils.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined HAVE_LINUX_OPENAT2_H || __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#else
struct open_how
{
  unsigned long long flags;
  unsigned long long mode;
  unsigned long long resolve;
};
#define RESOLVE_NO_XDEV 0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_BENEATH 0x08
#endif

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif
#ifndef STATX_MNT_ID
#define STATX_MNT_ID 0x00001000U
#endif
#ifndef STATX_ATTR_MOUNT_ROOT
#define STATX_ATTR_MOUNT_ROOT 0x00002000
#endif

/* Inode number of the root directory of every procfs instance. */
#define PROC_ROOT_INO 1
/* Symlinks followed by the fallback walk (only directly below the root). */
#define MAX_SYMLINKS 8

static int proc_root_fd = -1;
static pid_t proc_root_pid;
static bool no_openat2;
static bool force_fallback;

void
hull_procfs_force_fallback (bool on)
{
  force_fallback = on;
}

static int
fd_is_procfs (int fd)
{
  struct statfs sfs;
  if (fstatfs (fd, &sfs) < 0)
    return -1;
  return sfs.f_type == PROC_SUPER_MAGIC ? 1 : 0;
}

/* Mount id of fd, or 0 when the kernel cannot tell (statx without STATX_MNT_ID). */
static int
fd_mount_id (int fd, uint64_t *mnt_id, dev_t *dev)
{
  struct statx stx;
  if (statx (fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &stx) < 0)
    return -1;
  *mnt_id = (stx.stx_mask & STATX_MNT_ID) ? stx.stx_mnt_id : 0;
  *dev = makedev (stx.stx_dev_major, stx.stx_dev_minor);
  return 0;
}

int
hull_procfs_check_root (int fd, hull_error_t *err)
{
  struct statx stx;
  int r = fd_is_procfs (fd);

  if (r < 0)
    return hull_error_set (err, errno, "fstatfs \"/proc\"");
  if (r == 0)
    return hull_error_set (err, 0, "\"/proc\" is not a procfs mount");
  if (statx (fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_INO | STATX_TYPE, &stx) < 0)
    return hull_error_set (err, errno, "statx \"/proc\"");
  if (!S_ISDIR (stx.stx_mode) || stx.stx_ino != PROC_ROOT_INO)
    return hull_error_set (err, 0, "\"/proc\" is not the root of a procfs mount");
  if ((stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT)
      && !(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
    return hull_error_set (err, 0, "\"/proc\" is not the root of a procfs mount");
  return 0;
}

static int
get_root (hull_error_t *err)
{
  pid_t self = getpid ();
  int fd;

  if (proc_root_fd >= 0 && proc_root_pid == self)
    return proc_root_fd;
  /* A forked child gets its own handle: the parent's one may refer to a
     procfs the child must not rely on after it changed namespaces. */
  hull_procfs_reset ();
  fd = open ("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return hull_error_set (err, errno, "open \"/proc\"");
  if (hull_procfs_check_root (fd, err) < 0)
    {
      close_quietly (fd);
      return -1;
    }
  proc_root_fd = fd;
  proc_root_pid = self;
  return fd;
}

void
hull_procfs_reset (void)
{
  if (proc_root_fd >= 0)
    close_quietly (proc_root_fd);
  proc_root_fd = -1;
  proc_root_pid = 0;
}

static int
set_crossed (const char *path, hull_error_t *err)
{
  hull_error_set (err, 0,
                  "open \"/proc/%s\": a mount point or symlink is in the way, refusing to "
                  "use it (something is mounted over procfs)",
                  path);
  if (*err)
    (*err)->errnum = EXDEV;
  return -1;
}

/* Walk path below procfd one component at a time without following symlinks
   (except the plain ones directly in the procfs root, such as "self"), checking
   that every step stays on the mount of procfd. */
static int
open_walk (int procfd, const char *path, int flags, hull_error_t *err)
{
  cleanup_free char *rest = xstrdup (path);
  cleanup_close int cur = -1;
  uint64_t root_mnt, mnt;
  dev_t root_dev, dev;
  int symlinks = 0;
  bool at_root = true;
  char *p, *slash;

  if (fd_mount_id (procfd, &root_mnt, &root_dev) < 0)
    return hull_error_set (err, errno, "statx \"/proc\"");
  cur = openat (procfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (cur < 0)
    return hull_error_set (err, errno, "open \"/proc\"");

  p = rest;
  for (;;)
    {
      cleanup_close int next = -1;
      struct stat st;
      bool last;

      while (*p == '/')
        p++;
      if (*p == '\0')
        return hull_error_set (err, EISDIR, "open \"/proc/%s\"", path);
      slash = strchr (p, '/');
      if (slash)
        *slash = '\0';
      last = slash == NULL || slash[1] == '\0';
      if (strcmp (p, ".") == 0 || strcmp (p, "..") == 0)
        return hull_error_set (err, EINVAL, "open \"/proc/%s\": \".\" and \"..\" are not allowed",
                               path);

      next = openat (cur, p, (last ? flags : O_PATH) | O_NOFOLLOW | O_CLOEXEC);
      /* ELOOP: the last component is a symlink (opened without O_PATH). */
      if (next < 0 && errno != ELOOP)
        return hull_error_set (err, errno, "open \"/proc/%s\"", path);
      if (next < 0 || (fstat (next, &st) == 0 && S_ISLNK (st.st_mode)))
        {
          /* A symlink: only "self", "thread-self", "mounts", "net"... in the
             root, pointing to a relative path without "..". */
          char target[PATH_MAX];
          ssize_t n;
          char *joined;

          if (!at_root || ++symlinks > MAX_SYMLINKS)
            return set_crossed (path, err);
          n = readlinkat (cur, p, target, sizeof target - 1);
          if (n < 0)
            return hull_error_set (err, errno, "readlink \"/proc/%s\"", p);
          target[n] = '\0';
          if (target[0] == '/' || strstr (target, "..") != NULL)
            return set_crossed (path, err);
          joined = xasprintf ("%s%s%s", target, slash ? "/" : "", slash ? slash + 1 : "");
          free (rest);
          rest = joined;
          p = rest;
          continue;
        }
      if (fd_mount_id (next, &mnt, &dev) < 0)
        return hull_error_set (err, errno, "statx \"/proc/%s\"", path);
      if (dev != root_dev || (root_mnt && mnt != root_mnt))
        return set_crossed (path, err);
      if (last)
        return take_fd (next);
      close_quietly (cur);
      cur = take_fd (next);
      at_root = false;
      p = slash + 1;
    }
}

static int
open_beneath (int procfd, const char *path, int flags, hull_error_t *err)
{
  struct open_how how;
  int fd, tries;

  if (path == NULL || path[0] == '\0' || path[0] == '/')
    return hull_error_set (err, EINVAL, "open \"/proc/%s\": path must be relative to /proc",
                           path ? path : "");
  if (no_openat2 || force_fallback)
    return open_walk (procfd, path, flags, err);

  memset (&how, 0, sizeof how);
  how.flags = (unsigned long long) (flags | O_NOFOLLOW | O_CLOEXEC);
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
  for (tries = 0; tries < 16; tries++)
    {
      fd = (int) syscall (SYS_openat2, procfd, path, &how, sizeof how);
      if (fd >= 0)
        return fd;
      if (errno != EAGAIN && errno != EINTR)
        break;
    }
  if (errno == ENOSYS)
    {
      no_openat2 = true;
      return open_walk (procfd, path, flags, err);
    }
  if (errno == EXDEV || errno == ELOOP)
    return set_crossed (path, err);
  return hull_error_set (err, errno, "open \"/proc/%s\"", path);
}

int
hull_procfs_open_at (int procfd, const char *path, int flags, hull_error_t *err)
{
  cleanup_close int fd = -1;
  int r;

  if (hull_procfs_check_root (procfd, err) < 0)
    return -1;
  fd = open_beneath (procfd, path, flags, err);
  if (fd < 0)
    return -1;
  r = fd_is_procfs (fd);
  if (r < 0)
    return hull_error_set (err, errno, "fstatfs \"/proc/%s\"", path);
  if (r == 0)
    return hull_error_set (err, 0, "\"/proc/%s\" is not on procfs, refusing to use it", path);
  return take_fd (fd);
}

int
hull_procfs_open (const char *path, int flags, hull_error_t *err)
{
  int root = get_root (err);
  if (root < 0)
    return -1;
  return hull_procfs_open_at (root, path, flags, err);
}

int
hull_procfs_write (const char *path, const char *data, hull_error_t *err)
{
  cleanup_close int fd = hull_procfs_open (path, O_WRONLY, err);
  size_t len = strlen (data);
  ssize_t w;

  if (fd < 0)
    return -1;
  /* One write: files such as uid_map or sysctls take exactly one. */
  do
    w = write (fd, data, len);
  while (w < 0 && errno == EINTR);
  if (w < 0)
    return hull_error_set (err, errno, "write \"/proc/%s\"", path);
  if ((size_t) w != len)
    return hull_error_set (err, 0, "write \"/proc/%s\": short write (%zd of %zu bytes)", path, w,
                           len);
  return 0;
}

int
hull_procfs_read (const char *path, char **out, hull_error_t *err)
{
  cleanup_close int fd = hull_procfs_open (path, O_RDONLY, err);
  cleanup_free char *what = NULL;

  if (fd < 0)
    return -1;
  what = xasprintf ("/proc/%s", path);
  return read_all_fd (fd, what, out, NULL, err);
}
