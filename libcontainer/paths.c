/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Path resolution confined to a root fd (see paths.h).  Mount destinations,
 * device nodes, masked paths and /dev/console are all found through here.
 */
#include <config.h>
#include "paths.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "utils.h"

#define MAX_SYMLINKS 40

static bool openat2_missing;
static bool force_walk;

void
hull_path_force_walk (bool on)
{
  force_walk = on;
}

static int
try_openat2 (int rootfd, const char *path, int flags, unsigned rules)
{
  struct open_how how = { 0 };
  int fd, tries = 0;

  how.flags = (uint64_t) (flags | O_CLOEXEC);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  if (rules & HULL_RESOLVE_NO_SYMLINKS)
    how.resolve |= RESOLVE_NO_SYMLINKS;
  do
    fd = (int) syscall (SYS_openat2, rootfd, path, &how, sizeof how);
  /* EAGAIN: a concurrent rename made the kernel give up; it is safe to retry. */
  while (fd < 0 && (errno == EAGAIN || errno == EINTR) && ++tries < 32);
  return fd;
}

/* Reopen the O_PATH fd `fd` (named `name` in `parent`) with the caller's flags. */
static int
finish_leaf (int parent, const char *name, int fd, int flags)
{
  struct stat st;
  int r;

  if ((flags & O_DIRECTORY) && (fstat (fd, &st) < 0 || !S_ISDIR (st.st_mode)))
    {
      close_quietly (fd);
      errno = ENOTDIR;
      return -1;
    }
  if (flags & O_PATH)
    return fd;
  close_quietly (fd);
  r = openat (parent, name, flags | O_NOFOLLOW | O_CLOEXEC);
  return r;
}

/* The walk used without openat2: one O_NOFOLLOW openat per component; symlinks
   are expanded by hand with the root fd standing in for "/". */
static int
walk_in_root (int rootfd, const char *path, int flags, unsigned rules)
{
  cleanup_free int *stack = NULL;
  cleanup_free char *rest = xstrdup (path);
  size_t depth = 0, cap = 16;
  int links = 0, ret = -1, saved;
  char *p = rest;

  stack = xmalloc (cap * sizeof *stack);
  stack[0] = rootfd;
  for (;;)
    {
      char *comp, *end;
      bool last;
      struct stat st;
      int fd;

      while (*p == '/')
        p++;
      if (*p == '\0')
        {
          /* The path named a directory already on the stack. */
          int top = stack[depth];
          if (flags & O_PATH)
            ret = fcntl (top, F_DUPFD_CLOEXEC, 3);
          else
            ret = openat (top, ".", flags | O_CLOEXEC);
          goto out;
        }
      comp = p;
      end = strchr (p, '/');
      if (end)
        {
          *end = '\0';
          p = end + 1;
        }
      else
        p = comp + strlen (comp);
      while (*p == '/')
        p++;
      last = *p == '\0';

      if (strcmp (comp, ".") == 0)
        continue;
      if (strcmp (comp, "..") == 0)
        {
          if (depth > 0)
            close_quietly (stack[depth--]);
          continue;
        }
      fd = openat (stack[depth], comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0)
        goto out;
      if (fstat (fd, &st) < 0)
        {
          close_quietly (fd);
          goto out;
        }
      if (S_ISLNK (st.st_mode) && !(last && (flags & O_NOFOLLOW)))
        {
          char target[PATH_MAX];
          ssize_t n;
          char *joined;

          if ((rules & HULL_RESOLVE_NO_SYMLINKS) || ++links > MAX_SYMLINKS)
            {
              close_quietly (fd);
              errno = ELOOP;
              goto out;
            }
          n = readlinkat (fd, "", target, sizeof target - 1);
          close_quietly (fd);
          if (n < 0)
            goto out;
          target[n] = '\0';
          if (target[0] == '/')
            while (depth > 0)
              close_quietly (stack[depth--]);
          joined = xasprintf ("%s/%s", target, p);
          free (rest);
          rest = joined;
          p = rest;
          continue;
        }
      if (last)
        {
          if (S_ISLNK (st.st_mode) && !(flags & O_PATH))
            {
              close_quietly (fd);
              errno = ELOOP;
              goto out;
            }
          ret = finish_leaf (stack[depth], comp, fd, flags);
          goto out;
        }
      if (!S_ISDIR (st.st_mode))
        {
          close_quietly (fd);
          errno = ENOTDIR;
          goto out;
        }
      if (depth + 1 >= cap)
        {
          cap *= 2;
          stack = xrealloc (stack, cap * sizeof *stack);
        }
      stack[++depth] = fd;
    }
out:
  saved = errno;
  while (depth > 0)
    close_quietly (stack[depth--]);
  errno = saved;
  return ret;
}

int
hull_path_resolve (int rootfd, const char *path, int flags, unsigned rules)
{
  if (!force_walk && !openat2_missing)
    {
      int fd = try_openat2 (rootfd, path, flags, rules);
      if (fd >= 0 || errno != ENOSYS)
        return fd;
      openat2_missing = true;
    }
  return walk_in_root (rootfd, path, flags, rules);
}

int
hull_path_open_in_root (int rootfd, const char *path, int flags, hull_error_t *err)
{
  int fd = hull_path_resolve (rootfd, path, flags, 0);
  if (fd < 0)
    return hull_error_set (err, errno, "open \"%s\" in the rootfs", path);
  return fd;
}

/* Split path into cleaned components ("." dropped, ".." applied lexically). */
static char **
split_clean (const char *path, size_t *n)
{
  cleanup_free char *copy = xstrdup (path);
  char **v = xmalloc0 ((strlen (path) / 2 + 2) * sizeof *v);
  char *save = NULL, *c;

  *n = 0;
  for (c = strtok_r (copy, "/", &save); c; c = strtok_r (NULL, "/", &save))
    {
      if (strcmp (c, ".") == 0)
        continue;
      if (strcmp (c, "..") == 0)
        {
          if (*n > 0)
            free (v[--*n]);
          v[*n] = NULL;
          continue;
        }
      v[(*n)++] = xstrdup (c);
    }
  v[*n] = NULL;
  return v;
}

static char *
join_prefix (char **comps, size_t k)
{
  size_t i, len = 2;
  char *s, *q;

  for (i = 0; i < k; i++)
    len += strlen (comps[i]) + 1;
  s = q = xmalloc (len);
  *q++ = '/';
  for (i = 0; i < k; i++)
    {
      size_t l = strlen (comps[i]);
      memcpy (q, comps[i], l);
      q += l;
      if (i + 1 < k)
        *q++ = '/';
    }
  *q = '\0';
  return s;
}

char *
hull_path_clean (const char *path)
{
  size_t n;
  cleanup_strv char **comps = split_clean (path, &n);
  return join_prefix (comps, n);
}

/* The rest of a path after k components, with a symlink's target in front. */
static char *
splice_symlink (char **comps, size_t n, size_t i, const char *target)
{
  cleanup_free char *parent = join_prefix (comps, i);
  char *s = target[0] == '/' ? xstrdup (target) : xasprintf ("%s/%s", parent, target);
  size_t j;

  for (j = i + 1; j < n; j++)
    {
      char *t = xasprintf ("%s/%s", s, comps[j]);
      free (s);
      s = t;
    }
  return s;
}

static int
mkdir_in_root (int rootfd, const char *path, mode_t mode, bool leaf_is_file, bool *created,
               int links, hull_error_t *err)
{
  cleanup_strv char **comps = NULL;
  cleanup_close int cur = -1;
  size_t n, k, i;
  int fd;

  *created = false;
  fd = hull_path_resolve (rootfd, path, O_PATH, 0);
  if (fd >= 0)
    return fd;
  if (errno != ENOENT)
    return hull_error_set (err, errno, "resolve \"%s\" in the rootfs", path);

  comps = split_clean (path, &n);
  if (n == 0)
    return hull_error_set (err, ENOENT, "resolve \"%s\" in the rootfs", path);

  /* Deepest existing ancestor: usually just the parent. */
  for (k = n - 1;; k--)
    {
      cleanup_free char *prefix = join_prefix (comps, k);
      cur = hull_path_resolve (rootfd, prefix, O_PATH | O_DIRECTORY, 0);
      if (cur >= 0)
        break;
      if (errno != ENOENT || k == 0)
        return hull_error_set (err, errno, "resolve \"%s\" in the rootfs", prefix);
    }

  for (i = k; i < n; i++)
    {
      bool leaf = i + 1 == n;
      struct stat st;
      int next;

      if (leaf && leaf_is_file)
        {
          next = openat (cur, comps[i], O_CREAT | O_EXCL | O_RDONLY | O_NOFOLLOW | O_CLOEXEC,
                         mode & 0666);
          if (next >= 0)
            *created = true;
        }
      else
        {
          if (mkdirat (cur, comps[i], mode) == 0)
            *created = leaf;
          else if (errno != EEXIST)
            {
              cleanup_free char *prefix = join_prefix (comps, i + 1);
              return hull_error_set (err, errno, "mkdir \"%s\" in the rootfs", prefix);
            }
          next = openat (cur, comps[i], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
      if (next >= 0)
        {
          close_quietly (cur);
          cur = next;
          continue;
        }
      /* Something is in the way: a symlink (dangling, since the resolution
         above failed) or an entry created concurrently. */
      if (fstatat (cur, comps[i], &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK (st.st_mode))
        {
          char target[PATH_MAX];
          cleanup_free char *spliced = NULL;
          ssize_t l;

          if (links >= 40)
            return hull_error_set (err, ELOOP, "create \"%s\" in the rootfs", path);
          l = readlinkat (cur, comps[i], target, sizeof target - 1);
          if (l < 0)
            return hull_error_set (err, errno, "readlink in \"%s\"", path);
          target[l] = '\0';
          /* Create what the symlink points to, still confined to the root. */
          spliced = splice_symlink (comps, n, i, target);
          return mkdir_in_root (rootfd, spliced, mode, leaf_is_file, created, links + 1, err);
        }
      {
        cleanup_free char *prefix = join_prefix (comps, i + 1);
        next = hull_path_resolve (rootfd, prefix, leaf ? O_PATH : O_PATH | O_DIRECTORY, 0);
        if (next < 0)
          return hull_error_set (err, errno, "create \"%s\" in the rootfs", prefix);
        close_quietly (cur);
        cur = next;
      }
    }
  return take_fd (cur);
}

int
hull_path_mkdir_in_root_ex (int rootfd, const char *path, mode_t mode, bool leaf_is_file,
                            bool *created, hull_error_t *err)
{
  return mkdir_in_root (rootfd, path, mode, leaf_is_file, created, 0, err);
}

int
hull_path_mkdir_in_root (int rootfd, const char *path, mode_t mode, bool leaf_is_file,
                         hull_error_t *err)
{
  bool created;
  return hull_path_mkdir_in_root_ex (rootfd, path, mode, leaf_is_file, &created, err);
}
