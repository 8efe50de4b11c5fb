/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The container process side of create/run/exec.  The parent fills a
 * struct hull_init before clone; the child (a copy of the parent's memory)
 * runs hull_init_main(), which sets everything up, waits for start and
 * execs the workload.  It never returns.
 */
#ifndef HULL_INIT_H
#define HULL_INIT_H

#include <stdbool.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"

struct hull_seccomp_filter;
struct hull_cgroup_join;

struct hull_init
{
  const struct hull_config *cfg;
  const struct hull_process *process; /* cfg->process, or the exec process */
  const char *id;
  const char *rootfs;          /* absolute host path */
  const char *bundle;          /* absolute */
  int sync_fd;                 /* child end of the socketpair */
  int listen_fd;               /* create: listening exec.sock, -1 for run */
  bool outlive_parent;         /* create and run -d: the container survives hull's exit */
  int state_fd;                /* the locked state dir fd: closed at once (the lock is hull's) */
  int ns_fds[8];               /* namespaces to join (by enum hull_ns_type), -1 otherwise */
  int unshare_flags;           /* CLONE_NEW* to unshare in the child (not done by clone) */
  bool unshare_user;           /* unshare a user ns and ask the parent for maps */
  bool need_fork;              /* fork once more to enter a pid or time namespace */
  bool userns;                 /* the container has its own (new) user namespace */
  bool idmap_mounts;           /* ask the parent for idmapped mount fds (SYNC_IDMAP) */
  bool new_netns, new_utsns, new_cgroupns;
  bool no_pivot;
  bool no_new_keyring;
  bool exec;                   /* hull exec: only namespaces/cgroup joined, no rootfs setup */
  int preserve_fds;
  bool listen_fds_env;         /* add LISTEN_FDS/LISTEN_PID to the environment */
  int listen_fds;
  bool hooks_in_parent;        /* prestart/createRuntime/createContainer hooks exist */
  struct hull_seccomp_filter *seccomp;
  bool seccomp_listener;
  pid_t parent_pid;
  struct hull_cgroup_join *cgroup_join; /* the cgroups the child joins itself (cgroup.h), or NULL */
};

/* Entry point of the cloned child. */
void hull_init_main (struct hull_init *in) __attribute__((noreturn));

/* Find args0 in the PATH of env (or as a path); checks it's an executable regular file.
 * Messages: `exec "foo": executable file not found in $PATH`, `exec "/x": permission denied`. */
char *hull_find_executable (const char *args0, char *const *env, hull_error_t *err);

#endif
