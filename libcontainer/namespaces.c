/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Namespace planning: which namespaces the clone creates, which the child
 * joins by path or unshares later, and whether one more fork is needed.
 *
 * Fast path: nothing to join and no time offsets, so one clone creates every
 * namespace (but a cgroup namespace, when clone cannot place the child in its
 * cgroup: it must be made once the child is there).  General path: the child
 * joins first, so that what it creates afterwards is owned by the right user
 * namespace, and unshares the rest; a new or joined pid or time namespace
 * applies to children only, hence the extra fork.  Time offsets must be
 * written before any process is in the new time namespace, which rules out
 * creating it with clone.  See docs/sync.md.
 */
#include <config.h>
#include "namespaces.h"
#include "utils.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <linux/magic.h>
#include <linux/sched.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

static const int clone_flag_of[HULL_NS_TYPES] = {
  [HULL_NS_PID] = CLONE_NEWPID,       [HULL_NS_NET] = CLONE_NEWNET,   [HULL_NS_MNT] = CLONE_NEWNS,
  [HULL_NS_IPC] = CLONE_NEWIPC,       [HULL_NS_UTS] = CLONE_NEWUTS,   [HULL_NS_USER] = CLONE_NEWUSER,
  [HULL_NS_CGROUP] = CLONE_NEWCGROUP, [HULL_NS_TIME] = CLONE_NEWTIME,
};

int
hull_ns_clone_flag (enum hull_ns_type t)
{
  return clone_flag_of[t];
}

void
hull_ns_plan_close (struct hull_ns_plan *p)
{
  int i;
  for (i = 0; i < HULL_NS_TYPES; i++)
    if (p->fds[i] >= 0)
      {
        close (p->fds[i]);
        p->fds[i] = -1;
      }
}

/* Open linux.namespaces[i].path and check it is a namespace of the right
   type, so that a mistake is reported before anything is cloned. */
static int
open_ns_path (const struct hull_namespace *ns, size_t i, hull_error_t *err)
{
  cleanup_close int fd = open (ns->path, O_RDONLY | O_CLOEXEC);
  struct statfs sfs;
  int kind;
  enum hull_ns_type t;

  if (fd < 0)
    return hull_error_set (err, errno, "config.json: linux.namespaces[%zu].path: open \"%s\"", i, ns->path);
  /* Namespace files live on nsfs; anything else is a mistake. */
  if (fstatfs (fd, &sfs) < 0 || sfs.f_type != NSFS_MAGIC)
    return hull_error_set (err, 0,
                           "config.json: linux.namespaces[%zu].path: \"%s\" is not a "
                           "namespace file",
                           i, ns->path);
  kind = ioctl (fd, NS_GET_NSTYPE);
  if (kind < 0)
    return take_fd (fd); /* before Linux 4.11: setns will check the type */
  for (t = 0; t < HULL_NS_TYPES; t++)
    if (clone_flag_of[t] == kind)
      break;
  if (t != ns->type)
    return hull_error_set (err, 0,
                           "config.json: linux.namespaces[%zu].path: \"%s\" is a "
                           "namespace of type \"%s\", not \"%s\"",
                           i, ns->path, t < HULL_NS_TYPES ? hull_ns_type_names[t] : "unknown",
                           hull_ns_type_names[ns->type]);
  return take_fd (fd);
}

static bool
is_own_userns (int fd)
{
  struct stat a, b;
  return fstat (fd, &a) == 0 && stat ("/proc/self/ns/user", &b) == 0 && a.st_dev == b.st_dev
         && a.st_ino == b.st_ino;
}

int
hull_ns_plan (const struct hull_config *c, bool into_cgroup, struct hull_ns_plan *p, hull_error_t *err)
{
  const struct hull_linux *l = c->linux_;
  bool any_path = false, time_offsets;
  size_t i;
  int t;

  memset (p, 0, sizeof *p);
  for (t = 0; t < HULL_NS_TYPES; t++)
    p->fds[t] = -1;
  if (l == NULL)
    return 0;

  for (i = 0; i < l->namespaces_len; i++)
    {
      const struct hull_namespace *ns = &l->namespaces[i];
      if (ns->path && *ns->path)
        {
          int fd = open_ns_path (ns, i, err);
          if (fd < 0)
            {
              hull_ns_plan_close (p);
              return -1;
            }
          /* setns refuses the user namespace we are already in: nothing to join. */
          if (ns->type == HULL_NS_USER && is_own_userns (fd))
            {
              close (fd);
              continue;
            }
          p->fds[ns->type] = fd;
          any_path = true;
        }
      else
        p->new_flags |= clone_flag_of[ns->type];
    }

  time_offsets = l->time_monotonic.set || l->time_boottime.set;
  p->userns = (p->new_flags & CLONE_NEWUSER) || p->fds[HULL_NS_USER] >= 0;

  if (!any_path && !(time_offsets && (p->new_flags & CLONE_NEWTIME)))
    {
      /* Fast path: one clone creates everything. */
      p->clone_flags = p->new_flags;
      /* A cgroup ns must be made after joining the cgroup, unless clone puts us there. */
      if (!into_cgroup && (p->clone_flags & CLONE_NEWCGROUP))
        {
          p->clone_flags &= ~CLONE_NEWCGROUP;
          p->unshare_flags |= CLONE_NEWCGROUP;
        }
      p->maps_at_clone = (p->clone_flags & CLONE_NEWUSER) != 0;
      return 0;
    }

  /* General path: join first, then create the rest in the child, owned by the
   * user namespace it is in by then. */
  p->clone_flags = 0;
  p->unshare_user = (p->new_flags & CLONE_NEWUSER) != 0;
  p->unshare_flags = p->new_flags & ~CLONE_NEWUSER;
  p->need_fork = (p->unshare_flags & (CLONE_NEWPID | CLONE_NEWTIME)) || p->fds[HULL_NS_PID] >= 0
                 || p->fds[HULL_NS_TIME] >= 0;
  return 0;
}

pid_t
hull_clone_process (uint64_t flags, int cgroup_fd, int *pidfd, bool *into, const char *what,
                    hull_error_t *err)
{
  struct clone_args args = { .flags = flags | CLONE_PIDFD,
                             .pidfd = (uint64_t) (uintptr_t) pidfd,
                             .exit_signal = SIGCHLD };
  long r;

  if (cgroup_fd >= 0)
    {
      args.flags |= CLONE_INTO_CGROUP;
      args.cgroup = (uint64_t) cgroup_fd;
    }
  *into = cgroup_fd >= 0;
  r = syscall (SYS_clone3, &args, sizeof args);
  if (r < 0 && (errno == ENOSYS || errno == E2BIG))
    {
      /* Old kernel: plain clone, no pidfd; the caller joins the cgroup. */
      *pidfd = -1;
      *into = false;
      r = syscall (SYS_clone, (unsigned long) (flags | SIGCHLD), 0, 0, 0, 0);
    }
  if (r < 0)
    return hull_error_set (err, errno, "clone %s", what);
  return (pid_t) r;
}
