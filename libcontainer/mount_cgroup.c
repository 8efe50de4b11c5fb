/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mounts[] entries of type "cgroup".  On a cgroup v2 host that is cgroup2.
 * On a v1/hybrid host it is a tmpfs holding one mount per host hierarchy
 * (found in our mountinfo, read only here): with a cgroup namespace a new
 * cgroup v1 mount with the same controllers (the namespace makes the
 * container's cgroup its root), without one a bind of the container's own
 * cgroup directory, as runc does.  Co-mounted controllers get symlinks
 * ("cpu" -> "cpu,cpuacct") and the tmpfs is made read-only last.
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

#include "sys.h"
#include "utils.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

struct cg_hier
{
  char *name;        /* basename of the host mount point ("cpu,cpuacct", "unified") */
  char *mountpoint;  /* host mount point */
  char *root;        /* root of the mount inside the hierarchy */
  char *controllers; /* mount data: "cpu,cpuacct", "name=systemd"; NULL for cgroup2 */
  bool v2;
};

static void
cg_hier_free (struct cg_hier *h, size_t n)
{
  size_t i;
  for (i = 0; i < n; i++)
    {
      free (h[i].name);
      free (h[i].mountpoint);
      free (h[i].root);
      free (h[i].controllers);
    }
  free (h);
}

/* The cgroup hierarchies mounted under /sys/fs/cgroup, from our mountinfo. */
static int
cg_list (struct cg_hier **out, size_t *n, hull_error_t *err)
{
  cleanup_free char *text = NULL;
  struct cg_hier *v = NULL;
  char *line, *save = NULL;

  *n = 0;
  if (read_file_at (AT_FDCWD, "/proc/self/mountinfo", &text, NULL, err) < 0)
    return -1;
  for (line = strtok_r (text, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      char *f[6], *sep, *fstype, *super, *p, *s2 = NULL, *tok;
      int i;

      p = line;
      for (i = 0; i < 6 && p; i++)
        {
          f[i] = p;
          p = strchr (p, ' ');
          if (p)
            *p++ = '\0';
        }
      sep = p ? strstr (p, "- ") : NULL;
      if (i < 6 || sep == NULL)
        continue;
      fstype = sep + 2;
      p = strchr (fstype, ' ');
      if (!p)
        continue;
      *p++ = '\0';
      super = strchr (p, ' '); /* skip the source field */
      if (!super)
        continue;
      super++;
      if (strcmp (fstype, "cgroup") != 0 && strcmp (fstype, "cgroup2") != 0)
        continue;
      if (strncmp (f[4], "/sys/fs/cgroup/", 15) != 0 || strchr (f[4] + 15, '/'))
        continue;
      v = xrealloc (v, (*n + 1) * sizeof *v);
      memset (&v[*n], 0, sizeof v[*n]);
      v[*n].name = xstrdup (f[4] + 15);
      v[*n].mountpoint = xstrdup (f[4]);
      v[*n].root = xstrdup (f[3]);
      v[*n].v2 = fstype[6] == '2';
      if (!v[*n].v2)
        {
          size_t len = 0;
          char *c = xmalloc (strlen (super) + 1);
          for (tok = strtok_r (super, ",", &s2); tok; tok = strtok_r (NULL, ",", &s2))
            {
              if (strcmp (tok, "rw") == 0 || strcmp (tok, "ro") == 0 || strcmp (tok, "xattr") == 0
                  || strcmp (tok, "noprefix") == 0 || strcmp (tok, "clone_children") == 0
                  || strcmp (tok, "cpuset_v2_mode") == 0 || strncmp (tok, "release_agent=", 14) == 0
                  || strcmp (tok, "favordynmods") == 0 || strcmp (tok, "memory_localevents") == 0)
                continue;
              len += (size_t) sprintf (c + len, "%s%s", len ? "," : "", tok);
            }
          c[len] = '\0';
          v[*n].controllers = c;
        }
      (*n)++;
    }
  *out = v;
  return 0;
}

/* Our cgroup path in the hierarchy with these controllers ("" for cgroup2). */
static char *
cg_self_path (const char *self, const struct cg_hier *h)
{
  cleanup_free char *copy = xstrdup (self);
  char *line, *save = NULL;

  for (line = strtok_r (copy, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      char *c1 = strchr (line, ':'), *c2;
      if (!c1 || !(c2 = strchr (c1 + 1, ':')))
        continue;
      *c2 = '\0';
      if (h->v2 ? c1[1] == '\0' : strcmp (c1 + 1, h->controllers) == 0)
        return xstrdup (c2 + 1);
    }
  return NULL;
}

static int
mount_cgroup_v1 (struct hull_rootfs_ctx *ctx, const struct hull_mount_opts *o, int destfd,
                 hull_error_t *err)
{
  bool cgns = hull_config_namespace (ctx->cfg, HULL_NS_CGROUP) != NULL;
  unsigned long sub = o->flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME
                                  | MS_NOATIME | MS_STRICTATIME);
  cleanup_free char *self = NULL;
  struct cg_hier *h = NULL;
  cleanup_close int mfd = -1;
  size_t n = 0, i;
  int ret = -1;

  mfd = hull_fs_new_mount ("tmpfs", "tmpfs", o->flags & ~MS_RDONLY, "mode=755", err);
  if (mfd < 0 || hull_move_mount_fd (mfd, destfd, err) < 0)
    return hull_error_prefix (err, "cgroup tmpfs");
  if (cg_list (&h, &n, err) < 0)
    return -1;
  if (!cgns && read_file_at (AT_FDCWD, "/proc/self/cgroup", &self, NULL, err) < 0)
    goto out;
  for (i = 0; i < n; i++)
    {
      cleanup_close int sfd = -1;

      if (mkdirat (mfd, h[i].name, 0755) < 0 && errno != EEXIST)
        {
          hull_error_set (err, errno, "mkdir \"%s\"", h[i].name);
          goto out;
        }
      sfd = openat (mfd, h[i].name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sfd < 0)
        {
          hull_error_set (err, errno, "open \"%s\"", h[i].name);
          goto out;
        }
      if (cgns)
        {
          const char *t = h[i].v2 ? "cgroup2" : "cgroup";
          if (hull_mount_on_fd (t, sfd, t, sub, h[i].controllers) < 0)
            {
              hull_error_set (err, errno, "mount %s \"%s\"", t, h[i].name);
              goto out;
            }
        }
      else
        {
          cleanup_free char *path = cg_self_path (self, &h[i]);
          cleanup_free char *src = NULL;
          cleanup_close int tree = -1;
          struct hull_mount_opts so = { 0 };
          size_t rl = strlen (h[i].root);

          if (path == NULL)
            continue;
          if (strcmp (h[i].root, "/") != 0 && strncmp (path, h[i].root, rl) == 0)
            src = xasprintf ("%s%s", h[i].mountpoint, path + rl);
          else
            src = xasprintf ("%s%s", h[i].mountpoint, path);
          tree = hull_sys->open_tree (AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
          if (tree < 0)
            {
              hull_error_set (err, errno, "bind \"%s\"", src);
              goto out;
            }
          if (hull_apply_mount_attrs (tree, &so, sub, false, err) < 0
              || hull_move_mount_fd (tree, sfd, err) < 0)
            {
              hull_error_prefix (err, "bind \"%s\"", src);
              goto out;
            }
        }
      /* Co-mounted controllers get a symlink each, "cpu" -> "cpu,cpuacct". */
      if (!h[i].v2 && strchr (h[i].name, ','))
        {
          cleanup_free char *names = xstrdup (h[i].name);
          char *tok, *save = NULL;
          for (tok = strtok_r (names, ",", &save); tok; tok = strtok_r (NULL, ",", &save))
            if (symlinkat (h[i].name, mfd, tok) < 0 && errno != EEXIST)
              {
                hull_error_set (err, errno, "symlink \"%s\"", tok);
                goto out;
              }
        }
    }
  if ((o->flags & MS_RDONLY) && hull_setattr_fd (mfd, false, MOUNT_ATTR_RDONLY, 0, 0, -1) < 0)
    {
      hull_error_set (err, errno, "make the cgroup tmpfs read-only");
      goto out;
    }
  ret = 0;
out:
  cg_hier_free (h, n);
  return ret;
}

/* The host's cgroup2 mount (we have not pivoted yet), cloned with the flags
   asked for and made private, as a new mount would be. */
static int
clone_cgroup2 (const struct hull_mount_opts *o, int destfd, hull_error_t *err)
{
  struct hull_mount_opts none = { 0 };
  cleanup_close int tree = -1;

  tree = hull_sys->open_tree (AT_FDCWD, "/sys/fs/cgroup", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (tree < 0)
    return hull_error_set (err, errno, "cgroup2: open_tree \"/sys/fs/cgroup\"");
  if (hull_apply_mount_attrs (tree, &none, o->flags, false, err) < 0
      || hull_move_mount_fd (tree, destfd, err) < 0)
    return hull_error_prefix (err, "cgroup2");
  if (hull_setattr_fd (tree, false, 0, 0, MS_PRIVATE, -1) < 0)
    return hull_error_set (err, errno, "cgroup2: make private");
  return 0;
}

/* cgroup2 through fsopen/fsmount with the mount flags as mount attributes. */
static int
fsmount_cgroup2_ro (const struct hull_mount_opts *o, int destfd, hull_error_t *err)
{
  cleanup_close int fs = -1, mnt = -1;
  uint64_t clr;
  unsigned attrs = (unsigned) hull_ms_to_mount_attr (o->flags, &clr);

  fs = hull_sys->fsopen ("cgroup2", FSOPEN_CLOEXEC);
  if (fs < 0)
    return hull_error_set (err, errno, "cgroup2: fsopen");
  if (hull_sys->fsconfig (fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
    return hull_error_set (err, errno, "cgroup2: fsconfig create");
  mnt = hull_sys->fsmount (fs, FSMOUNT_CLOEXEC, attrs);
  if (mnt < 0)
    return hull_error_set (err, errno, "cgroup2: fsmount");
  if (hull_move_mount_fd (mnt, destfd, err) < 0)
    return hull_error_prefix (err, "cgroup2");
  return 0;
}

int
hull_mount_cgroup (struct hull_rootfs_ctx *ctx, const struct hull_mount_opts *o, int destfd,
              hull_error_t *err)
{
  struct statfs sfs;

  if (statfs ("/sys/fs/cgroup", &sfs) < 0)
    return hull_error_set (err, errno, "statfs \"/sys/fs/cgroup\"");
  if (sfs.f_type == CGROUP2_SUPER_MAGIC)
    {
      /* Without a cgroup namespace a new cgroup2 mount shows the same tree as
         the host's; a private clone of that is much cheaper (a new mount waits
         on the cgroup locks, for milliseconds on a busy host). */
      if (hull_config_namespace (ctx->cfg, HULL_NS_CGROUP) == NULL && o->data == NULL)
        return clone_cgroup2 (o, destfd, err);
      if (hull_mount_on_fd ("cgroup2", destfd, "cgroup2", o->flags, o->data) == 0)
        return 0;
      /* In a user namespace (rootless) a read-only mount(2) of the host's
         read-write cgroup2 superblock is refused with EBUSY; a new mount
         that is read-only only at the mount level is accepted. */
      if (errno == EBUSY && ctx->userns && (o->flags & MS_RDONLY) && o->data == NULL)
        return fsmount_cgroup2_ro (o, destfd, err);
      return hull_error_set (err, errno, "mount cgroup2");
    }
  return mount_cgroup_v1 (ctx, o, destfd, err);
}
