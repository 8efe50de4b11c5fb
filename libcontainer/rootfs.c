/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Root of the container: propagation, the rootfs bind, pivot_root (or
 * MS_MOVE + chroot), /dev/console and the final read-only/masked pass.
 * The config mounts themselves are in mounts.c, /dev in devices.c.
 */
#include <config.h>
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "paths.h"
#include "sys.h"
#include "utils.h"

#ifndef STATX_ATTR_MOUNT_ROOT
#define STATX_ATTR_MOUNT_ROOT 0x00002000
#endif

static unsigned long
root_propagation (const struct hull_config *cfg)
{
  if (cfg->linux_ && cfg->linux_->rootfs_propagation_flags)
    return cfg->linux_->rootfs_propagation_flags;
  return MS_SLAVE | MS_REC;
}

/* After this propagation of "/", can something still be shared with the host? */
static bool
maybe_shared (unsigned long prop)
{
  return (prop & MS_SHARED) || !(prop & MS_REC);
}

/* pivot_root refuses a new root whose parent mount is shared: make the mount
   that contains `path` private (found by walking up to a mount root). */
static int
make_containing_mount_private (const char *path, hull_error_t *err)
{
  cleanup_close int fd = open (path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  int i;

  if (fd < 0)
    return hull_error_set (err, errno, "open rootfs \"%s\"", path);
  for (i = 0; i < 4096; i++)
    {
      struct statx stx;
      char p[32];
      int up;

      if (statx (fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) < 0)
        return hull_error_set (err, errno, "statx rootfs");
      if ((stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) == 0)
        return 0; /* cannot tell on this kernel; pivot_root will say if it fails */
      if (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT)
        {
          snprintf (p, sizeof p, "/proc/self/fd/%d", fd);
          if (hull_sys->mount (NULL, p, NULL, MS_PRIVATE, NULL) < 0)
            return hull_error_set (err, errno, "make the mount containing the rootfs private");
          return 0;
        }
      up = openat (fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
      if (up < 0)
        return hull_error_set (err, errno, "open parent of rootfs");
      close_quietly (fd);
      fd = up;
    }
  return 0;
}

int
hull_rootfs_prepare (struct hull_rootfs_ctx *ctx, hull_error_t *err)
{
  unsigned long prop = root_propagation (ctx->cfg);
  mode_t old_umask;
  size_t i;
  int ret = -1;

  if (ctx->rootfs == NULL || ctx->rootfs[0] != '/')
    return hull_error_set (err, EINVAL, "rootfs: path must be absolute");
  if (hull_sys->mount (NULL, "/", NULL, prop, NULL) < 0)
    return hull_error_set (err, errno, "linux.rootfsPropagation: set propagation of \"/\"");
  if (maybe_shared (prop))
    {
      if ((prop & MS_SHARED) && hull_sys->mount (NULL, "/", NULL, MS_PRIVATE, NULL) < 0)
        return hull_error_set (err, errno, "make \"/\" private");
      if (make_containing_mount_private (ctx->rootfs, err) < 0)
        return -1;
    }
  if (hull_sys->mount (ctx->rootfs, ctx->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
    return hull_error_set (err, errno, "bind mount rootfs \"%s\"", ctx->rootfs);
  ctx->rootfd = open (ctx->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (ctx->rootfd < 0)
    return hull_error_set (err, errno, "open rootfs \"%s\"", ctx->rootfs);
  ctx->rootfd_open = true;

  /* Modes given in the config (devices, tmpfs) are exact. */
  old_umask = umask (0);
  for (i = 0; i < ctx->cfg->mounts_len; i++)
    if (hull_rootfs_do_mount (ctx, i, err) < 0)
      goto out;
  if (hull_rootfs_needs_dev (ctx->cfg) && hull_rootfs_setup_dev (ctx, true, err) < 0)
    goto out;
  ret = 0;
out:
  umask (old_umask);
  return ret;
}

/* Decode the octal escapes of a mountinfo path field in place ("\040" = ' '). */
static void
unescape_mountinfo (char *s)
{
  char *w = s;
  for (; *s; s++)
    {
      if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0'
          && s[3] <= '7')
        {
          *w++ = (char) ((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
          s += 3;
        }
      else
        *w++ = *s;
    }
  *w = '\0';
}

static bool
path_under (const char *p, const char *dir)
{
  size_t l = strlen (dir);
  while (l > 0 && dir[l - 1] == '/')
    l--; /* "/" itself contains everything */
  return strncmp (p, dir, l) == 0 && (p[l] == '/' || p[l] == '\0');
}

/* --no-pivot leaves the old root below the chroot: detach every mount that is
   neither the rootfs (or below it) nor one of its ancestors, so the host's
   mounts are not reachable (best effort: locked mounts stay, covered). */
static int
detach_host_mounts (const char *rootfs, hull_error_t *err)
{
  cleanup_free char *text = NULL;
  char *line, *save = NULL;

  if (read_file_at (AT_FDCWD, "/proc/self/mountinfo", &text, NULL, err) < 0)
    return -1;
  for (line = strtok_r (text, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      char *f = line, *mp, *end;
      int i;

      for (i = 0; i < 4 && f; i++)
        {
          f = strchr (f, ' ');
          if (f)
            f++;
        }
      if (f == NULL || (end = strchr (f, ' ')) == NULL)
        continue;
      *end = '\0';
      mp = f;
      unescape_mountinfo (mp);
      if (path_under (mp, rootfs) || path_under (rootfs, mp))
        continue;
      /* already gone with a parent, locked in a user namespace: not an error */
      (void) hull_sys->umount2 (mp, MNT_DETACH | UMOUNT_NOFOLLOW);
    }
  return 0;
}

int
hull_rootfs_pivot (struct hull_rootfs_ctx *ctx, hull_error_t *err)
{
  unsigned long prop = root_propagation (ctx->cfg);

  if (!ctx->rootfd_open)
    return hull_error_set (err, EINVAL, "pivot_root: rootfs not prepared");
  if (hull_sys->fchdir (ctx->rootfd) < 0)
    return hull_error_set (err, errno, "chdir to rootfs");
  if (ctx->no_pivot)
    {
      /* With a shared root an unmount here would reach the host: keep them. */
      if (!maybe_shared (prop) && detach_host_mounts (ctx->rootfs, err) < 0)
        return hull_error_prefix (err, "--no-pivot");
      if (hull_sys->mount (".", "/", NULL, MS_MOVE, NULL) < 0)
        return hull_error_set (err, errno, "move rootfs to \"/\"");
      if (hull_sys->chroot (".") < 0)
        return hull_error_set (err, errno, "chroot");
    }
  else
    {
      if (hull_sys->pivot_root (".", ".") < 0)
        return hull_error_set (err, errno, "pivot_root");
      /* The old root is stacked on "."; never let its unmount reach the host. */
      if (maybe_shared (prop) && hull_sys->mount (NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
        return hull_error_set (err, errno, "make the old root a slave");
      if (hull_sys->umount2 (".", MNT_DETACH) < 0)
        return hull_error_set (err, errno, "detach the old root");
    }
  if (hull_sys->chdir ("/") < 0)
    return hull_error_set (err, errno, "chdir \"/\"");
  return 0;
}

static bool
is_pty_slave (const struct stat *st)
{
  /* UNIX98_PTY_SLAVE_MAJOR .. + UNIX98_PTY_MAJOR_COUNT - 1 */
  return S_ISCHR (st->st_mode) && major (st->st_rdev) >= 136 && major (st->st_rdev) <= 143;
}

int
hull_rootfs_bind_console (int slave_fd, hull_error_t *err)
{
  cleanup_close int rootfd = -1, devfd = -1, cfd = -1, tree = -1;
  struct stat st;

  if (fstat (slave_fd, &st) < 0)
    return hull_error_set (err, errno, "/dev/console: stat terminal");
  if (!is_pty_slave (&st))
    return hull_error_set (err, EINVAL, "/dev/console: fd %d is not a pty slave", slave_fd);
  rootfd = open (hull_sys->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0)
    return hull_error_set (err, errno, "/dev/console: open \"/\"");
  devfd = hull_path_resolve (rootfd, "/dev", O_PATH | O_DIRECTORY, HULL_RESOLVE_NO_SYMLINKS);
  if (devfd < 0)
    return hull_error_set (err, errno, "/dev/console: open \"/dev\"");
  cfd = openat (devfd, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (cfd < 0 && errno == ENOENT)
    cfd = openat (devfd, "console", O_CREAT | O_EXCL | O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (cfd < 0)
    return hull_error_set (err, errno, "/dev/console: create");
  if (fstat (cfd, &st) < 0)
    return hull_error_set (err, errno, "/dev/console: stat");
  if (!S_ISREG (st.st_mode) && !S_ISCHR (st.st_mode))
    return hull_error_set (err, EPERM, "/dev/console: refusing to mount over a non-file");
  tree = hull_sys->open_tree (slave_fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
  if (tree < 0)
    return hull_error_set (err, errno, "/dev/console: open_tree on the terminal");
  if (hull_move_mount_fd (tree, cfd, err) < 0)
    return hull_error_prefix (err, "/dev/console");
  return 0;
}

int
hull_rootfs_finalize (struct hull_rootfs_ctx *ctx, hull_error_t *err)
{
  const struct hull_linux *lx = ctx->cfg->linux_;
  unsigned long prop = lx ? lx->rootfs_propagation_flags : 0;

  int ret = -1;

  if (!ctx->rootfd_open)
    return hull_error_set (err, EINVAL, "rootfs not prepared");
  if (lx && hull_rootfs_readonly_paths (ctx->rootfd, lx->readonly_paths, err) < 0)
    goto out;
  if (lx && hull_rootfs_masked_paths (ctx->rootfd, lx->masked_paths, err) < 0)
    goto out;
  if (ctx->cfg->root.readonly)
    {
      struct mount_attr a = { .attr_set = MOUNT_ATTR_RDONLY };
      if (hull_sys->mount_setattr (ctx->rootfd, "", AT_EMPTY_PATH, &a, sizeof a) < 0)
        {
          hull_error_set (err, errno, "root.readonly: make \"/\" read-only");
          goto out;
        }
    }
  /* The propagation asked for applies to the new root too (private already is). */
  if (prop && !(prop & MS_PRIVATE) && hull_sys->mount (NULL, hull_sys->root, NULL, prop, NULL) < 0)
    {
      hull_error_set (err, errno, "linux.rootfsPropagation: set propagation of \"/\"");
      goto out;
    }
  ret = 0;
out:
  /* Nothing after this needs the rootfs fd. */
  hull_rootfs_ctx_release (ctx);
  return ret;
}

void
hull_rootfs_ctx_release (struct hull_rootfs_ctx *ctx)
{
  if (ctx->rootfd_open)
    close_quietly (ctx->rootfd);
  ctx->rootfd_open = false;
  ctx->rootfd = -1;
}
