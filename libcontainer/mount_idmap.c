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
#include <sys/wait.h>
#include <unistd.h>

#include "idmap.h"
#include "sys.h"
#include "utils.h"

/* A user namespace fd with the given maps. */
static int
userns_for_mappings (const struct hull_mount *m, hull_error_t *err)
{
  int pipefd[2];
  pid_t pid;
  int nsfd = -1, status;
  char path[64];

  if (pipe2 (pipefd, O_CLOEXEC) < 0)
    return hull_error_set (err, errno, "pipe");
  pid = fork ();
  if (pid < 0)
    {
      close_quietly (pipefd[0]);
      close_quietly (pipefd[1]);
      return hull_error_set (err, errno, "fork");
    }
  if (pid == 0)
    {
      char c;
      close (pipefd[1]);
      if (unshare (CLONE_NEWUSER) < 0)
        _exit (1);
      /* Wait until the parent closes its end (maps written, ns opened). */
      while (read (pipefd[0], &c, 1) < 0 && errno == EINTR)
        ;
      _exit (0);
    }
  close_quietly (pipefd[0]);
  /* The child must have unshared before its maps can be written: poll its ns. */
  {
    cleanup_free char *mine = NULL;
    char self[64], other[64];
    ssize_t a = readlink ("/proc/self/ns/user", self, sizeof self - 1);
    int tries;
    snprintf (path, sizeof path, "/proc/%d/ns/user", (int) pid);
    for (tries = 0; tries < 100000; tries++)
      {
        ssize_t b = readlink (path, other, sizeof other - 1);
        if (a < 0 || b < 0)
          break;
        if (a != b || memcmp (self, other, (size_t) a) != 0)
          break;
        sched_yield ();
      }
    (void) mine;
  }
  if (hull_idmap_write (pid, m->uid_mappings, m->uid_mappings_len, m->gid_mappings,
                        m->gid_mappings_len, false, err)
      == 0)
    {
      nsfd = open (path, O_RDONLY | O_CLOEXEC);
      if (nsfd < 0)
        hull_error_set (err, errno, "open \"%s\"", path);
    }
  close_quietly (pipefd[1]);
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
