/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Idmapped mounts ("idmap"/"ridmap").  The kernel needs a user namespace fd
 * carrying the mapping; for a mount with its own uidMappings/gidMappings we
 * make one with a short-lived child that only unshares CLONE_NEWUSER and
 * waits while its maps are written.  The source is cloned with open_tree
 * and the idmap set on the detached copy (the only state where it can be).
 *
 * Setting an idmap needs CAP_SYS_ADMIN over the filesystem's user namespace,
 * so for host filesystems this runs in the parent, before the container
 * process enters its own user namespace, and the fd is handed over through
 * hull_rootfs_ctx.mount_fds.
 */
#include <config.h>
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <unistd.h>

#include "idmap.h"
#include "sys.h"
#include "utils.h"

/* The pid of our child `pid` as /proc (the mounted procfs) numbers it: the
   "Pid:" line of a pidfd's fdinfo is given in the procfs's pid namespace. */
static pid_t
proc_view_pid (pid_t pid)
{
  cleanup_close int pidfd = (int) syscall (SYS_pidfd_open, pid, 0);
  cleanup_free char *text = NULL;
  hull_error_t err = NULL;
  char path[64], *line;
  long v;

  if (pidfd < 0)
    return pid;
  snprintf (path, sizeof path, "/proc/self/fdinfo/%d", pidfd);
  if (read_file_at (AT_FDCWD, path, &text, NULL, &err) < 0)
    {
      hull_error_free (&err);
      return pid;
    }
  line = strstr (text, "\nPid:");
  if (line == NULL || (v = strtol (line + 5, NULL, 10)) <= 0)
    return pid;
  return (pid_t) v;
}

/* A user namespace fd with the given maps. */
static int
userns_for_mappings (const struct hull_mount *m, hull_error_t *err)
{
  int go[2], ready[2];
  pid_t pid, procpid;
  int nsfd = -1, status;
  char path[64], c;
  ssize_t n;

  if (pipe2 (go, O_CLOEXEC) < 0)
    return hull_error_set (err, errno, "pipe");
  if (pipe2 (ready, O_CLOEXEC) < 0)
    {
      close_quietly (go[0]);
      close_quietly (go[1]);
      return hull_error_set (err, errno, "pipe");
    }
  pid = fork ();
  if (pid < 0)
    {
      close_quietly (go[0]);
      close_quietly (go[1]);
      close_quietly (ready[0]);
      close_quietly (ready[1]);
      return hull_error_set (err, errno, "fork");
    }
  if (pid == 0)
    {
      close (go[1]);
      close (ready[0]);
      if (unshare (CLONE_NEWUSER) < 0)
        _exit (1);
      if (write (ready[1], "u", 1) != 1)
        _exit (1);
      /* Wait until the parent closes its end (maps written, ns opened). */
      while (read (go[0], &c, 1) < 0 && errno == EINTR)
        ;
      _exit (0);
    }
  close_quietly (go[0]);
  close_quietly (ready[1]);
  do
    n = read (ready[0], &c, 1);
  while (n < 0 && errno == EINTR);
  close_quietly (ready[0]);
  if (n == 1)
    {
      /* Our pid namespace may differ from the one of the mounted /proc (the
         container process is pid 1 of its own): translate the child's pid. */
      procpid = proc_view_pid (pid);
      snprintf (path, sizeof path, "/proc/%d/ns/user", (int) procpid);
      if (hull_idmap_write (procpid, m->uid_mappings, m->uid_mappings_len, m->gid_mappings,
                            m->gid_mappings_len, false, err)
          == 0)
        {
          nsfd = open (path, O_RDONLY | O_CLOEXEC);
          if (nsfd < 0)
            hull_error_set (err, errno, "open \"%s\"", path);
        }
    }
  else
    hull_error_set (err, EPERM, "helper could not create a user namespace");
  close_quietly (go[1]);
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  return nsfd;
}

int
hull_mount_open_idmapped (const struct hull_mount *m, const char *bundle, int userns_fd,
                          hull_error_t *err)
{
  struct hull_mount_opts o;
  cleanup_free char *src = NULL;
  cleanup_close int tree = -1, own_ns = -1;
  struct mount_attr a = { .attr_set = MOUNT_ATTR_IDMAP };

  if (m->source == NULL)
    return hull_error_set (err, EINVAL, "idmapped mount \"%s\": no source", m->destination);
  if (hull_mount_opts_parse (m->options, &o, err) < 0)
    return -1;
  src = m->source[0] == '/' || bundle == NULL ? xstrdup (m->source)
                                              : xasprintf ("%s/%s", bundle, m->source);
  if (m->uid_mappings_len || m->gid_mappings_len)
    {
      if (!m->uid_mappings_len || !m->gid_mappings_len)
        {
          hull_mount_opts_clear (&o);
          return hull_error_set (err, EINVAL,
                                 "idmapped mount \"%s\": both uidMappings and gidMappings needed",
                                 m->destination);
        }
      own_ns = userns_for_mappings (m, err);
      if (own_ns < 0)
        {
          hull_mount_opts_clear (&o);
          return hull_error_prefix (err, "idmapped mount \"%s\"", m->destination);
        }
      userns_fd = own_ns;
    }
  else if (userns_fd < 0)
    {
      /* The container's own user namespace (we are in it). */
      own_ns = open ("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
      if (own_ns < 0)
        {
          hull_mount_opts_clear (&o);
          return hull_error_set (err, errno, "idmapped mount: open user namespace");
        }
      userns_fd = own_ns;
    }
  tree = hull_sys->open_tree (AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC
                                                 | (o.recursive ? AT_RECURSIVE : 0));
  if (tree < 0)
    {
      hull_mount_opts_clear (&o);
      return hull_error_set (err, errno, "idmapped mount \"%s\": open_tree \"%s\"",
                             m->destination, src);
    }
  a.userns_fd = (uint64_t) userns_fd;
  if (hull_sys->mount_setattr (tree, "", AT_EMPTY_PATH | (o.recursive_idmap ? AT_RECURSIVE : 0),
                               &a, sizeof a)
      < 0)
    {
      int e = errno;
      hull_mount_opts_clear (&o);
      return hull_error_set (err, e, "idmapped mount \"%s\": set idmap on \"%s\"%s",
                             m->destination, src,
                             e == EPERM ? " (needs privilege over the source filesystem)"
                             : e == EINVAL ? " (the filesystem may not support idmapped mounts)"
                                           : "");
    }
  hull_mount_opts_clear (&o);
  return take_fd (tree);
}

const char *
hull_mount_idmap_option (const struct hull_mount *m)
{
  for (char *const *o = m->options; o && *o; o++)
    if (strcmp (*o, "idmap") == 0 || strcmp (*o, "ridmap") == 0)
      return *o;
  return NULL;
}

bool
hull_rootfs_needs_idmap_fds (const struct hull_config *cfg)
{
  for (size_t i = 0; i < cfg->mounts_len; i++)
    if (hull_mount_idmap_option (&cfg->mounts[i]))
      return true;
  return false;
}

int
hull_rootfs_open_idmapped_all (const struct hull_config *cfg, const char *bundle, int userns_fd,
                               int **fds_out, hull_error_t *err)
{
  int *fds = xmalloc ((cfg->mounts_len ? cfg->mounts_len : 1) * sizeof *fds);
  size_t i, j;

  for (i = 0; i < cfg->mounts_len; i++)
    {
      const struct hull_mount *m = &cfg->mounts[i];

      fds[i] = -1;
      if (hull_mount_idmap_option (m) == NULL)
        continue;
      fds[i] = hull_mount_open_idmapped (m, bundle, userns_fd, err);
      if (fds[i] < 0)
        {
          for (j = 0; j < i; j++)
            close_quietly (fds[j]);
          free (fds);
          return hull_error_prefix (err, "mounts[%zu]", i);
        }
    }
  *fds_out = fds;
  return 0;
}
