/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Config mounts (mounts[] of config.json), done inside the rootfs before
 * pivot_root.  The destination is resolved (and created) with paths.h and
 * the mount is placed onto its fd, so a symlink in the rootfs can never
 * redirect it (CVE-2021-30465).
 *
 * Three ways to mount, the cheapest that does the job:
 *  - plain mount(2) onto /proc/self/fd/N of the destination (host procfs,
 *    we have not pivoted yet): one syscall, for most mounts;
 *  - open_tree(OPEN_TREE_CLONE) + mount_setattr + move_mount for binds with
 *    flags, propagation or idmap: the attributes are changed on the detached
 *    copy, so flags locked by a user namespace are kept without reading
 *    statvfs and nothing is ever remounted by path;
 *  - fsopen/fsmount for new filesystems that need work before or after they
 *    are attached (tmpcopyup, recursive attributes, propagation).
 */
#include <config.h>
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "log.h"
#include "paths.h"
#include "sys.h"
#include "utils.h"


const char *
hull_fd_path (char buf[HULL_FD_PATH_LEN], int fd)
{
  snprintf (buf, HULL_FD_PATH_LEN, "/proc/self/fd/%d", fd);
  return buf;
}

/* mount(2) with the target given as an fd (through the host's /proc). */
int
hull_mount_on_fd (const char *src, int fd, const char *type, unsigned long flags, const char *data)
{
  char p[HULL_FD_PATH_LEN];
  return hull_sys->mount (src, hull_fd_path (p, fd), type, flags, data);
}

int
hull_move_mount_fd (int mntfd, int targetfd, hull_error_t *err)
{
  if (hull_sys->move_mount (mntfd, "", targetfd, "",
                            MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    return hull_error_set (err, errno, "move_mount");
  return 0;
}

int
hull_setattr_fd (int fd, bool recursive, uint64_t set, uint64_t clr, uint64_t propagation,
            int userns_fd)
{
  struct mount_attr a = { .attr_set = set, .attr_clr = clr, .propagation = propagation };
  if (userns_fd >= 0)
    a.userns_fd = (uint64_t) userns_fd;
  return hull_sys->mount_setattr (fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &a,
                                  sizeof a);
}

/* Attributes and propagation of a mount we hold an fd for. */
int
hull_apply_mount_attrs (int mfd, const struct hull_mount_opts *o, unsigned long ms_flags, bool attached,
             hull_error_t *err)
{
  uint64_t clr, set = hull_ms_to_mount_attr (ms_flags, &clr);

  if (!attached)
    {
      if ((set || clr) && hull_setattr_fd (mfd, false, set, clr, 0, -1) < 0)
        return hull_error_set (err, errno, "mount_setattr");
      if ((o->rec_set || o->rec_clr) && hull_setattr_fd (mfd, true, o->rec_set, o->rec_clr, 0, -1) < 0)
        return hull_error_set (err, errno, "mount_setattr (recursive)");
      return 0;
    }
  if (o->propagation
      && hull_setattr_fd (mfd, (o->propagation & MS_REC) != 0, 0, 0, o->propagation & ~MS_REC, -1) < 0)
    return hull_error_set (err, errno, "set propagation");
  return 0;
}

static bool
has_data_key (const char *data, const char *key)
{
  size_t l = strlen (key);
  const char *p = data;

  while (p && *p)
    {
      if (strncmp (p, key, l) == 0 && p[l] == '=')
        return true;
      p = strchr (p, ',');
      if (p)
        p++;
    }
  return false;
}

/* Copy of data without the "key=..." options (NULL when nothing is left). */
static char *
drop_data_key (const char *data, const char *key)
{
  size_t l = strlen (key), n = 0;
  char *out = xmalloc (strlen (data) + 1);
  const char *p = data;

  while (*p)
    {
      const char *e = strchrnul (p, ',');
      if (!(strncmp (p, key, l) == 0 && p[l] == '='))
        {
          if (n)
            out[n++] = ',';
          memcpy (out + n, p, (size_t) (e - p));
          n += (size_t) (e - p);
        }
      p = *e ? e + 1 : e;
    }
  out[n] = '\0';
  if (n == 0)
    {
      free (out);
      return NULL;
    }
  return out;
}

static int
fsctx_error (int fsfd, int errnum, const char *what, hull_error_t *err)
{
  char buf[256];
  ssize_t n = read (fsfd, buf, sizeof buf - 1);
  if (n > 2)
    {
      buf[n] = '\0';
      if (buf[n - 1] == '\n')
        buf[n - 1] = '\0';
      /* the kernel log lines are "e <fs>: <message>" */
      return hull_error_set (err, errnum, "%s (%s)", what, buf + 2);
    }
  return hull_error_set (err, errnum, "%s", what);
}

/* A new, detached filesystem instance (fsopen/fsconfig/fsmount). */
int
hull_fs_new_mount (const char *type, const char *source, unsigned long flags, const char *data,
              hull_error_t *err)
{
  static const struct { unsigned long ms; const char *name; } sb_flags[] = {
    { MS_SYNCHRONOUS, "sync" }, { MS_DIRSYNC, "dirsync" }, { MS_LAZYTIME, "lazytime" },
    { MS_MANDLOCK, "mand" }, { MS_SILENT, "silent" },
  };
  cleanup_close int fsfd = -1;
  cleanup_free char *copy = NULL;
  uint64_t clr, attrs;
  char *tok, *save = NULL;
  size_t i;
  int mfd;

  fsfd = hull_sys->fsopen (type, FSOPEN_CLOEXEC);
  if (fsfd < 0)
    return hull_error_set (err, errno, "fsopen \"%s\"", type);
  if (source && *source
      && hull_sys->fsconfig (fsfd, FSCONFIG_SET_STRING, "source", source, 0) < 0)
    return fsctx_error (fsfd, errno, "set source", err);
  copy = data ? xstrdup (data) : NULL;
  for (tok = copy ? strtok_r (copy, ",", &save) : NULL; tok; tok = strtok_r (NULL, ",", &save))
    {
      char *eq = strchr (tok, '=');
      int r;
      if (eq)
        {
          *eq = '\0';
          r = hull_sys->fsconfig (fsfd, FSCONFIG_SET_STRING, tok, eq + 1, 0);
          *eq = '=';
        }
      else
        r = hull_sys->fsconfig (fsfd, FSCONFIG_SET_FLAG, tok, NULL, 0);
      if (r < 0)
        {
          cleanup_free char *what = xasprintf ("option \"%s\"", tok);
          return fsctx_error (fsfd, errno, what, err);
        }
    }
  for (i = 0; i < sizeof sb_flags / sizeof sb_flags[0]; i++)
    if ((flags & sb_flags[i].ms)
        && hull_sys->fsconfig (fsfd, FSCONFIG_SET_FLAG, sb_flags[i].name, NULL, 0) < 0)
      return fsctx_error (fsfd, errno, sb_flags[i].name, err);
  if (hull_sys->fsconfig (fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
    return fsctx_error (fsfd, errno, "create superblock", err);
  attrs = hull_ms_to_mount_attr (flags, &clr);
  mfd = hull_sys->fsmount (fsfd, FSMOUNT_CLOEXEC, (unsigned) attrs);
  if (mfd < 0)
    return fsctx_error (fsfd, errno, "fsmount", err);
  return mfd;
}

static char *
bind_source (const struct hull_rootfs_ctx *ctx, const char *src)
{
  if (src[0] == '/' || ctx->bundle == NULL)
    return xstrdup (src);
  return xasprintf ("%s/%s", ctx->bundle, src);
}

/* ---- bind mounts ---------------------------------------------------------- */

static int
do_bind (struct hull_rootfs_ctx *ctx, size_t idx, const struct hull_mount_opts *o, int destfd,
         const char *src, hull_error_t *err)
{
  const struct hull_mount *m = &ctx->cfg->mounts[idx];
  cleanup_close int tree = -1;
  uint64_t clr, set = hull_ms_to_mount_attr (o->flags, &clr);
  bool needs_fd = set || o->rec_set || o->rec_clr || o->propagation || o->idmap;
  int pre = ctx->mount_fds ? ctx->mount_fds[idx] : -1;

  if (pre < 0 && !needs_fd)
    {
      if (hull_mount_on_fd (src, destfd, NULL, MS_BIND | (o->recursive ? MS_REC : 0), NULL) < 0)
        return hull_error_set (err, errno, "bind mount \"%s\"", src);
      return 0;
    }
  if (pre >= 0)
    tree = fcntl (pre, F_DUPFD_CLOEXEC, 3);
  else if (o->idmap)
    tree = hull_mount_open_idmapped (m, ctx->bundle, -1, err);
  else
    {
      tree = hull_sys->open_tree (AT_FDCWD, src,
                                  OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC
                                      | (o->recursive ? AT_RECURSIVE : 0));
      if (tree < 0)
        return hull_error_set (err, errno, "bind mount \"%s\": open_tree", src);
    }
  if (tree < 0)
    return err && *err ? -1 : hull_error_set (err, errno, "bind mount \"%s\"", src);
  if (hull_apply_mount_attrs (tree, o, o->flags, false, err) < 0
      || hull_move_mount_fd (tree, destfd, err) < 0
      || hull_apply_mount_attrs (tree, o, 0, true, err) < 0)
    return hull_error_prefix (err, "bind mount \"%s\"", src);
  return 0;
}

/* ---- everything else ------------------------------------------------------ */

static int
do_fs_mount (struct hull_rootfs_ctx *ctx, const struct hull_mount *m,
             const struct hull_mount_opts *o, int destfd, const char *data, hull_error_t *err)
{
  const char *src = m->source ? m->source : m->type;
  cleanup_close int mfd = -1;

  if (!o->tmpcopyup && !o->rec_set && !o->rec_clr && !o->propagation)
    {
      if (hull_mount_on_fd (src, destfd, m->type, o->flags, data) < 0)
        return hull_error_set (err, errno, "mount %s", m->type);
      return 0;
    }
  mfd = hull_fs_new_mount (m->type, src, o->flags, data, err);
  if (mfd < 0)
    return hull_error_prefix (err, "mount %s", m->type);
  if (o->tmpcopyup && hull_copy_tree (destfd, mfd, err) < 0)
    return hull_error_prefix (err, "tmpcopyup");
  if (hull_apply_mount_attrs (mfd, o, 0, false, err) < 0 || hull_move_mount_fd (mfd, destfd, err) < 0
      || hull_apply_mount_attrs (mfd, o, 0, true, err) < 0)
    return hull_error_prefix (err, "mount %s", m->type);
  return 0;
}

/* sysfs cannot be mounted in a user namespace that does not own the network
   namespace: bind the host's /sys instead. */
static int
bind_host_sys (const struct hull_mount_opts *o, int destfd, hull_error_t *err)
{
  cleanup_close int tree = -1;

  struct hull_mount_opts ro = *o;
  uint64_t clr;

  /* The flags asked for sysfs (ro, nosuid...) hold for everything below
     the host's /sys too, so they are applied recursively. */
  ro.rec_set |= hull_ms_to_mount_attr (o->flags, &clr);
  ro.rec_clr |= clr;
  tree = hull_sys->open_tree (AT_FDCWD, "/sys", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
  if (tree < 0)
    return hull_error_set (err, errno, "bind \"/sys\": open_tree");
  if (hull_apply_mount_attrs (tree, &ro, 0, false, err) < 0 || hull_move_mount_fd (tree, destfd, err) < 0
      || hull_apply_mount_attrs (tree, o, 0, true, err) < 0)
    return hull_error_prefix (err, "bind \"/sys\"");
  return 0;
}

/* Files of /proc a config may mount over (lxcfs and friends), as runc allows. */
static const char *const proc_allowed[] = {
  "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo", "/proc/stat",    "/proc/swaps",
  "/proc/uptime",  "/proc/loadavg",   "/proc/slabinfo", "/proc/net/dev", "/proc/sys/kernel/ns_last_pid",
};

/* A destination that resolved into procfs (by its name or through a symlink in
   the image) may only be one of the allowed files: anything else could hide
   what the kernel reports or redirect writes hull makes later. */
static int
check_proc_destination (const char *dest, int destfd, size_t i, hull_error_t *err)
{
  cleanup_free char *clean = NULL;
  struct statfs sfs;
  size_t k;

  if (fstatfs (destfd, &sfs) < 0)
    return hull_error_set (err, errno, "mounts[%zu] \"%s\": statfs", i, dest);
  if (sfs.f_type != PROC_SUPER_MAGIC)
    return 0;
  clean = hull_path_clean (dest);
  for (k = 0; k < sizeof proc_allowed / sizeof proc_allowed[0]; k++)
    if (strcmp (clean, proc_allowed[k]) == 0)
      return 0;
  return hull_error_set (err, EPERM, "mounts[%zu] \"%s\": destination is inside /proc", i, dest);
}

static bool
root_propagation_shared (const struct hull_config *cfg)
{
  return cfg->linux_ && (cfg->linux_->rootfs_propagation_flags & MS_SHARED);
}

int
hull_rootfs_do_mount (struct hull_rootfs_ctx *ctx, size_t i, hull_error_t *err)
{
  const struct hull_mount *m = &ctx->cfg->mounts[i];
  struct hull_mount_opts o;
  cleanup_free char *src = NULL;
  cleanup_free char *data = NULL;
  cleanup_close int destfd = -1;
  const char *type = m->type;
  bool bind, created = false, leaf_file = false;
  int ret = -1;

  if (m->destination == NULL || m->destination[0] == '\0')
    return hull_error_set (err, EINVAL, "mounts[%zu]: missing destination", i);
  if (hull_mount_opts_parse (m->options, &o, err) < 0)
    return hull_error_prefix (err, "mounts[%zu] \"%s\"", i, m->destination);
  bind = o.bind || type == NULL || strcmp (type, "bind") == 0 || strcmp (type, "none") == 0;
  if (bind && (m->source == NULL || m->source[0] == '\0'))
    {
      hull_error_set (err, EINVAL, "mounts[%zu] \"%s\": a bind mount needs a source", i,
                      m->destination);
      goto out;
    }
  /* Without a shared root nothing new is shared: private is already the state. */
  if (!root_propagation_shared (ctx->cfg) && !bind && (o.propagation & ~MS_REC) == MS_PRIVATE)
    o.propagation = 0;

  if (bind)
    {
      struct stat st;
      src = bind_source (ctx, m->source);
      if (stat (src, &st) < 0)
        {
          hull_error_set (err, errno, "mounts[%zu] \"%s\": source \"%s\"", i, m->destination,
                          src);
          goto out;
        }
      leaf_file = !S_ISDIR (st.st_mode);
    }

  if (!bind && (strcmp (type, "proc") == 0 || strcmp (type, "sysfs") == 0))
    {
      /* procfs and sysfs must land on a real directory, never via a symlink. */
      destfd = hull_path_resolve (ctx->rootfd, m->destination, O_PATH | O_DIRECTORY,
                                  HULL_RESOLVE_NO_SYMLINKS);
      if (destfd < 0 && errno != ENOENT)
        {
          hull_error_set (err, errno, "mounts[%zu] \"%s\": %s must be mounted on a directory", i,
                          m->destination, type);
          goto out;
        }
    }
  if (destfd < 0)
    destfd = hull_path_mkdir_in_root_ex (ctx->rootfd, m->destination, 0755, leaf_file, &created,
                                         err);
  if (destfd < 0)
    {
      hull_error_prefix (err, "mounts[%zu]", i);
      goto out;
    }

  if (ctx->proc_mounted && check_proc_destination (m->destination, destfd, i, err) < 0)
    goto out;

  if (bind)
    ret = do_bind (ctx, i, &o, destfd, src, err);
  else if (strcmp (type, "cgroup") == 0)
    ret = hull_mount_cgroup (ctx, &o, destfd, err);
  else if (strcmp (type, "sysfs") == 0 && ctx->userns && !ctx->new_netns)
    ret = bind_host_sys (&o, destfd, err);
  else
    {
      data = o.data ? xstrdup (o.data) : NULL;
      /* Like runc, a tmpfs over an existing directory keeps that directory's mode. */
      if (strcmp (type, "tmpfs") == 0 && !created && !has_data_key (data, "mode"))
        {
          struct stat st;
          if (fstat (destfd, &st) == 0 && S_ISDIR (st.st_mode))
            {
              char *d = xasprintf ("%s%smode=%o", data ? data : "", data ? "," : "",
                                   (unsigned) (st.st_mode & 07777));
              free (data);
              data = d;
            }
        }
      ret = do_fs_mount (ctx, m, &o, destfd, data, err);
      /* Rootless: the tty group (gid=5 in most configs) is usually not
         mapped and devpts refuses an unmapped gid; its ptys then belong to
         the creating gid instead, as in a rootless spec. */
      if (ret < 0 && ctx->userns && (*err)->errnum == EINVAL && strcmp (type, "devpts") == 0
          && has_data_key (data, "gid"))
        {
          cleanup_free char *nogid = drop_data_key (data, "gid");
          hull_debug ("mounts[%zu] \"%s\": gid not mapped in the user namespace; mounting devpts "
                      "without gid=",
                      i, m->destination);
          hull_error_free (err);
          ret = do_fs_mount (ctx, m, &o, destfd, nogid, err);
        }
    }
  if (ret < 0)
    hull_error_prefix (err, "mounts[%zu] \"%s\"", i, m->destination);
  else if (!bind && strcmp (type, "proc") == 0)
    ctx->proc_mounted = true;
out:
  hull_mount_opts_clear (&o);
  return ret;
}
