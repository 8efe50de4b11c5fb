/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tmpcopyup: the content a directory of the rootfs had is copied into the
 * fresh tmpfs mounted over it (Podman sets it on every tmpfs).  Modes,
 * owners, timestamps, symlinks and special files are preserved.  Both
 * sides are walked by fd with O_NOFOLLOW, so a symlink is copied as a
 * symlink and never followed.
 */
#include <config.h>
#include "rootfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "utils.h"

static int
copy_data (int s, int d, const char *name, hull_error_t *err)
{
  char buf[65536];

  for (;;)
    {
      ssize_t n = copy_file_range (s, NULL, d, NULL, 1 << 30, 0);
      if (n == 0)
        return 0;
      if (n > 0)
        continue;
      if (errno == EINTR)
        continue;
      if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
        return hull_error_set (err, errno, "copy \"%s\"", name);
      break;
    }
  for (;;)
    {
      ssize_t n = read (s, buf, sizeof buf);
      if (n == 0)
        return 0;
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return hull_error_set (err, errno, "read \"%s\"", name);
        }
      if (write_all (d, buf, (size_t) n) < 0)
        return hull_error_set (err, errno, "write \"%s\"", name);
    }
}

static int copy_dir (int sfd, int dfd, int depth, hull_error_t *err);

static int
copy_entry (int sdir, int ddir, const char *name, const struct stat *st, int depth,
            hull_error_t *err)
{
  struct timespec ts[2] = { st->st_atim, st->st_mtim };

  if (S_ISDIR (st->st_mode))
    {
      cleanup_close int s = -1, d = -1;
      if (mkdirat (ddir, name, 0700) < 0 && errno != EEXIST)
        return hull_error_set (err, errno, "mkdir \"%s\"", name);
      s = openat (sdir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      d = openat (ddir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (s < 0 || d < 0)
        return hull_error_set (err, errno, "open \"%s\"", name);
      if (copy_dir (s, d, depth + 1, err) < 0)
        return hull_error_prefix (err, "%s", name);
      if (fchown (d, st->st_uid, st->st_gid) < 0 || fchmod (d, st->st_mode & 07777) < 0)
        return hull_error_set (err, errno, "set owner/mode of \"%s\"", name);
      (void) futimens (d, ts);
      return 0;
    }
  if (S_ISREG (st->st_mode))
    {
      cleanup_close int s = -1, d = -1;
      s = openat (sdir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
      if (s < 0)
        return hull_error_set (err, errno, "open \"%s\"", name);
      d = openat (ddir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (d < 0)
        return hull_error_set (err, errno, "create \"%s\"", name);
      if (copy_data (s, d, name, err) < 0)
        return -1;
      if (fchown (d, st->st_uid, st->st_gid) < 0 || fchmod (d, st->st_mode & 07777) < 0)
        return hull_error_set (err, errno, "set owner/mode of \"%s\"", name);
      (void) futimens (d, ts);
      return 0;
    }
  if (S_ISLNK (st->st_mode))
    {
      char target[PATH_MAX];
      ssize_t n = readlinkat (sdir, name, target, sizeof target - 1);
      if (n < 0)
        return hull_error_set (err, errno, "readlink \"%s\"", name);
      target[n] = '\0';
      if (symlinkat (target, ddir, name) < 0)
        return hull_error_set (err, errno, "symlink \"%s\"", name);
      if (fchownat (ddir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
        return hull_error_set (err, errno, "chown \"%s\"", name);
      (void) utimensat (ddir, name, ts, AT_SYMLINK_NOFOLLOW);
      return 0;
    }
  if (S_ISSOCK (st->st_mode))
    return 0; /* a socket is meaningless without its listener */
  if (mknodat (ddir, name, st->st_mode, st->st_rdev) < 0)
    return hull_error_set (err, errno, "mknod \"%s\"", name);
  if (fchownat (ddir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
    return hull_error_set (err, errno, "chown \"%s\"", name);
  (void) utimensat (ddir, name, ts, AT_SYMLINK_NOFOLLOW);
  return 0;
}

static int
copy_dir (int sfd, int dfd, int depth, hull_error_t *err)
{
  cleanup_dir DIR *dir = NULL;
  struct dirent *de;
  int s;

  if (depth > 128)
    return hull_error_set (err, ELOOP, "directory tree too deep");
  s = openat (sfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (s < 0)
    return hull_error_set (err, errno, "open directory");
  dir = fdopendir (s);
  if (dir == NULL)
    {
      close_quietly (s);
      return hull_error_set (err, errno, "fdopendir");
    }
  while ((errno = 0, de = readdir (dir)) != NULL)
    {
      struct stat st;
      if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      if (fstatat (dirfd (dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return hull_error_set (err, errno, "stat \"%s\"", de->d_name);
      if (copy_entry (dirfd (dir), dfd, de->d_name, &st, depth, err) < 0)
        return -1;
    }
  if (errno)
    return hull_error_set (err, errno, "readdir");
  return 0;
}

int
hull_copy_tree (int src, int dst, hull_error_t *err)
{
  return copy_dir (src, dst, 0, err);
}
