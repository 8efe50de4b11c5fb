/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Namespace planning for create (see namespaces.c). */
#ifndef HULL_NAMESPACES_H
#define HULL_NAMESPACES_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "config.h"
#include "error.h"

struct hull_ns_plan
{
  int new_flags;       /* every CLONE_NEW* the container gets anew */
  int clone_flags;     /* the subset passed to clone */
  int unshare_flags;   /* the subset the child unshares (not user) */
  bool unshare_user;   /* the child unshares the user ns and asks for maps */
  bool maps_at_clone;  /* parent writes the id maps right after clone */
  bool need_fork;      /* the child forks again to enter a pid/time ns */
  bool userns;         /* the container is in a user ns other than ours */
  int fds[HULL_NS_TYPES]; /* fds of namespaces to join, -1 otherwise */
};

/* Open the namespace paths of c and decide how to create the rest; into_cgroup tells
 * whether clone places the child in its cgroup (CLONE_INTO_CGROUP). */
int hull_ns_plan (const struct hull_config *c, bool into_cgroup, struct hull_ns_plan *p,
                  hull_error_t *err);
/* Close the fds a plan holds. */
void hull_ns_plan_close (struct hull_ns_plan *p);
/* clone3 with flags (CLONE_NEW*), a pidfd and, when cgroup_fd >= 0,
 * CLONE_INTO_CGROUP (*into tells whether that took effect); plain clone
 * without a pidfd (-1) on kernels without clone3.  Returns the pid, 0 in the
 * child, -1 with "clone <what>: ..." on failure. */
pid_t hull_clone_process (uint64_t flags, int cgroup_fd, int *pidfd, bool *into, const char *what,
                          hull_error_t *err);
/* CLONE_NEW* flag of a namespace type. */
int hull_ns_clone_flag (enum hull_ns_type t);

#endif
