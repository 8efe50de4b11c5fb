/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * /dev of the container: the default devices (null, zero, full, random,
 * urandom, tty), linux.devices, the fd/stdin/stdout/stderr/core symlinks
 * and ptmx -> pts/ptmx.  Without a user namespace nodes are made with
 * mknod; in one (or when mknod is refused) the host's node is bind-mounted
 * onto an empty file.  Parents are created and resolved inside the rootfs.
 */
#include <config.h>
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "paths.h"
#include "sys.h"
#include "utils.h"

struct dev_spec
{
  const char *path;
  char type;
  unsigned major, minor;
  mode_t mode;
  uid_t uid;
  gid_t gid;
};

static const struct dev_spec defaults[] = {
  { "/dev/null", 'c', 1, 3, 0666, 0, 0 },   { "/dev/zero", 'c', 1, 5, 0666, 0, 0 },
  { "/dev/full", 'c', 1, 7, 0666, 0, 0 },   { "/dev/random", 'c', 1, 8, 0666, 0, 0 },
  { "/dev/urandom", 'c', 1, 9, 0666, 0, 0 }, { "/dev/tty", 'c', 5, 0, 0666, 0, 0 },
};

bool
hull_rootfs_needs_dev (const struct hull_config *cfg)
{
  size_t i;
  for (i = 0; i < cfg->mounts_len; i++)
    {
      const struct hull_mount *m = &cfg->mounts[i];
      char *const *o;
      bool bind = m->type && strcmp (m->type, "bind") == 0;
      for (o = m->options; o && *o && !bind; o++)
        bind = strcmp (*o, "bind") == 0 || strcmp (*o, "rbind") == 0;
      if (bind && m->destination && strcmp (m->destination, "/dev") == 0)
        return false;
    }
  return true;
}

static mode_t
type_bits (char t)
{
  switch (t)
    {
    case 'b':
      return S_IFBLK;
    case 'p':
      return S_IFIFO;
    default:
      return S_IFCHR;
    }
}

static int
bind_host_node (int parent, const char *name, const struct dev_spec *d, hull_error_t *err)
{
  cleanup_close int dst = -1, src = -1;
  char sp[32], dp[32];
  struct stat st;

  dst = openat (parent, name, O_CREAT | O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (dst < 0)
    return hull_error_set (err, errno, "create \"%s\"", d->path);
  if (fstat (dst, &st) < 0 || (!S_ISREG (st.st_mode) && !S_ISCHR (st.st_mode)
                               && !S_ISBLK (st.st_mode)))
    return hull_error_set (err, EEXIST, "\"%s\" exists and is not a file", d->path);
  src = open (d->path, O_PATH | O_CLOEXEC);
  if (src < 0)
    return hull_error_set (err, errno, "open host device \"%s\"", d->path);
  snprintf (sp, sizeof sp, "/proc/self/fd/%d", src);
  snprintf (dp, sizeof dp, "/proc/self/fd/%d", dst);
  if (hull_sys->mount (sp, dp, NULL, MS_BIND, NULL) < 0)
    return hull_error_set (err, errno, "bind host device \"%s\"", d->path);
  return 0;
}

static int
make_node (struct hull_rootfs_ctx *ctx, int devfd, const struct dev_spec *d, hull_error_t *err)
{
  cleanup_free char *dir = xstrdup (d->path), *base = xstrdup (d->path);
  cleanup_close int own_parent = -1;
  const char *name = basename (base);
  const char *dname = dirname (dir);
  mode_t mode = (d->mode & 07777) | type_bits (d->type);
  int parent = devfd;

  /* Most nodes live directly in /dev: reuse its fd instead of resolving again. */
  if (strcmp (dname, "/dev") != 0)
    {
      own_parent = hull_path_mkdir_in_root (ctx->rootfd, dname, 0755, false, err);
      if (own_parent < 0)
        return hull_error_prefix (err, "device \"%s\"", d->path);
      parent = own_parent;
    }
  if (strcmp (name, ".") == 0 || strcmp (name, "..") == 0 || strcmp (name, "/") == 0)
    return hull_error_set (err, EINVAL, "device path \"%s\" names no file", d->path);
  if (!ctx->userns || d->type == 'p')
    {
      if (hull_sys->mknodat (parent, name, mode, makedev (d->major, d->minor)) == 0)
        {
          if ((d->uid || d->gid) && fchownat (parent, name, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
            return hull_error_set (err, errno, "chown device \"%s\"", d->path);
          return 0;
        }
      if (errno == EEXIST)
        return 0;
      if (errno != EPERM || d->type == 'p')
        return hull_error_set (err, errno, "mknod \"%s\"", d->path);
    }
  return bind_host_node (parent, name, d, err);
}

static int
make_links (int devfd, hull_error_t *err)
{
  static const char *const links[][2] = {
    { "/proc/self/fd", "fd" },     { "/proc/self/fd/0", "stdin" },
    { "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
  };
  size_t i;

  for (i = 0; i < sizeof links / sizeof links[0]; i++)
    if (symlinkat (links[i][0], devfd, links[i][1]) < 0 && errno != EEXIST)
      return hull_error_set (err, errno, "symlink \"/dev/%s\"", links[i][1]);
  if (access ("/proc/kcore", F_OK) == 0 && symlinkat ("/proc/kcore", devfd, "core") < 0
      && errno != EEXIST)
    return hull_error_set (err, errno, "symlink \"/dev/core\"");
  if (unlinkat (devfd, "ptmx", 0) < 0 && errno != ENOENT)
    return hull_error_set (err, errno, "remove \"/dev/ptmx\"");
  if (symlinkat ("pts/ptmx", devfd, "ptmx") < 0)
    return hull_error_set (err, errno, "symlink \"/dev/ptmx\"");
  return 0;
}

int
hull_rootfs_setup_dev (struct hull_rootfs_ctx *ctx, bool default_devices, hull_error_t *err)
{
  const struct hull_linux *lx = ctx->cfg->linux_;
  cleanup_close int devfd = -1;
  size_t i, j;

  devfd = hull_path_mkdir_in_root (ctx->rootfd, "/dev", 0755, false, err);
  if (devfd < 0)
    return -1;
  if (default_devices)
    for (i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
      {
        bool overridden = false;
        for (j = 0; lx && j < lx->devices_len && !overridden; j++)
          overridden = strcmp (lx->devices[j].path, defaults[i].path) == 0;
        if (!overridden && make_node (ctx, devfd, &defaults[i], err) < 0)
          return -1;
      }
  for (j = 0; lx && j < lx->devices_len; j++)
    {
      const struct hull_device *cd = &lx->devices[j];
      struct dev_spec d = {
        .path = cd->path,
        .type = cd->type,
        .major = (unsigned) cd->major,
        .minor = (unsigned) cd->minor,
        /* Podman passes the whole st_mode (type bits included): keep the permissions. */
        .mode = cd->file_mode.set ? (mode_t) (cd->file_mode.value & 07777) : 0666,
        .uid = cd->uid.set ? (uid_t) cd->uid.value : 0,
        .gid = cd->gid.set ? (gid_t) cd->gid.value : 0,
      };
      if (make_node (ctx, devfd, &d, err) < 0)
        return hull_error_prefix (err, "linux.devices[%zu]", j);
    }
  if (default_devices && make_links (devfd, err) < 0)
    return -1;
  return 0;
}
