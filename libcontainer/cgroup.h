/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Control groups of a container.
 *
 * One opaque struct hull_cgroup describes where a container's cgroup lives
 * and which manager drives it.  The manager is chosen once, in
 * hull_cgroup_new(), from what the host offers (see docs/cgroups.md):
 *
 *   v1      cgroup v1 or hybrid host: one directory per v1 hierarchy
 *           (cpu, memory, ..., name=systemd) plus, on hybrid hosts, one in
 *           the cgroup2 hierarchy at /sys/fs/cgroup/unified (runc does the
 *           same); every resource goes to the v1 controllers.
 *   v2      pure cgroup2 at /sys/fs/cgroup; devices through eBPF.
 *   systemd --systemd-cgroup: a transient scope started over D-Bus, then
 *           the v1 or v2 file interface on the scope's directories.
 *   none    rootless without a writable hierarchy and no limits requested.
 *
 * Paths (linux.cgroupsPath), as runc 1.1 does:
 *   absolute  "/a/b"  taken from the root of each hierarchy;
 *   relative  "a/b"   below hull's own cgroup (v2: below its parent);
 *   absent            the container id, relative.
 *   systemd   "slice:prefix:name" -> <slice>/<prefix>-<name>.scope;
 *             absent -> system.slice (user.slice rootless), "hull-<id>.scope".
 *
 * Every function follows the error convention of error.h.
 */
#ifndef HULL_CGROUP_H
#define HULL_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"

struct hull_cgroup;

/* Decide manager and paths for container `id`; touches nothing on disk.  cgroups_path may be NULL. */
HULL_PUBLIC struct hull_cgroup *hull_cgroup_new (const char *id, const char *cgroups_path, bool systemd,
                                                 bool rootless, hull_error_t *err);
/* Devices of linux.devices that the device controller must allow (rwm) besides the defaults; call before create. */
HULL_PUBLIC void hull_cgroup_allow_devices (struct hull_cgroup *cg, const struct hull_device *devs, size_t n);
/* Create the cgroup in every hierarchy and apply r (NULL: defaults only); removes what it created on failure. */
HULL_PUBLIC int hull_cgroup_create (struct hull_cgroup *cg, const struct hull_resources *r, hull_error_t *err);
/* Move pid into the cgroup in every hierarchy (cgroup.procs). */
HULL_PUBLIC int hull_cgroup_enter (struct hull_cgroup *cg, pid_t pid, hull_error_t *err);

/*
 * Joining a new process without cgroup.procs.  Moving a process through
 * cgroup.procs takes the kernel's global threadgroup lock for writing, which
 * waits for an RCU grace period (5 to 20 ms on our hosts) whenever no other
 * move happened just before, that is, on nearly every container start.  Two
 * ways avoid it: clone3(CLONE_INTO_CGROUP) into a cgroup2 directory, and, on
 * v1, a single-threaded process writing "0" (itself) to each hierarchy's
 * `tasks` file, a thread move the kernel makes without that lock.  The
 * `tasks` files are opened by hull, so their writes are checked against
 * hull's credentials even once the process is in a user namespace.
 */
struct hull_cgroup_join
{
  int clone_fd; /* cgroup2 directory for CLONE_INTO_CGROUP, or -1 */
  size_t n;     /* v1: `tasks` files the new process writes itself, the freezer last */
  int *fds;
  const char **dirs; /* their directories (owned by the cgroup), for messages */
};
/* Open what j needs; it stays empty (clone_fd -1, n 0) for systemd and none,
   and for a v1 `tasks` file hull may not open: hull_cgroup_join_finish then
   writes cgroup.procs. */
HULL_PUBLIC int hull_cgroup_join_prepare (struct hull_cgroup *cg, struct hull_cgroup_join *j,
                                          hull_error_t *err);
/* In the new process, while it has one thread and before it forks or makes a
   cgroup namespace: write "0" to each of j's `tasks` fds; closes all of j's fds. */
HULL_PUBLIC int hull_cgroup_join_self (struct hull_cgroup_join *j, hull_error_t *err);
/* In the parent once pid exists: write cgroup.procs where neither clone
   (into_done: CLONE_INTO_CGROUP took effect) nor the process itself joins. */
HULL_PUBLIC int hull_cgroup_join_finish (struct hull_cgroup *cg, const struct hull_cgroup_join *j,
                                         pid_t pid, bool into_done, hull_error_t *err);
/* True when clone into clone_fd alone puts the process in its whole cgroup (v2). */
HULL_PUBLIC bool hull_cgroup_join_whole (const struct hull_cgroup_join *j);
/* Close j's fds and free them (the parent, once the process exists). */
HULL_PUBLIC void hull_cgroup_join_release (struct hull_cgroup_join *j);
/* Apply the resources set in r (update verb); device rules are not changed (as runc). */
HULL_PUBLIC int hull_cgroup_update (struct hull_cgroup *cg, const struct hull_resources *r, hull_error_t *err);
/* SIGKILL everything left and remove the cgroup in every hierarchy; success when already gone. */
HULL_PUBLIC int hull_cgroup_destroy (struct hull_cgroup *cg, hull_error_t *err);
/* Freeze (frozen=true) or thaw the cgroup and wait until the kernel reports the new state. */
HULL_PUBLIC int hull_cgroup_freeze (struct hull_cgroup *cg, bool frozen, hull_error_t *err);
/* True when the cgroup is frozen (or freezing). */
HULL_PUBLIC bool hull_cgroup_is_frozen (struct hull_cgroup *cg);
/* All host pids in the cgroup and its descendants, sorted; *pids is malloc'ed. */
HULL_PUBLIC int hull_cgroup_pids (struct hull_cgroup *cg, pid_t **pids, size_t *n, hull_error_t *err);
/* Send sig to every process in the cgroup (frozen while signalling so no fork escapes). */
HULL_PUBLIC int hull_cgroup_kill_all (struct hull_cgroup *cg, int sig, hull_error_t *err);
/* runc-shaped stats object (the "data" of `events --stats`): cpu, memory, pids, blkio, hugetlb. */
HULL_PUBLIC char *hull_cgroup_stats_json (struct hull_cgroup *cg, hull_error_t *err);
/* Open an fd that becomes readable on each OOM kill (v1 eventfd, v2 inotify on memory.events); -1 + err if unsupported. */
HULL_PUBLIC int hull_cgroup_oom_fd (struct hull_cgroup *cg, hull_error_t *err);
/* After oom_fd polled readable: drain it and return the number of new OOM kills (0 = spurious). */
HULL_PUBLIC int hull_cgroup_oom_read (struct hull_cgroup *cg, int fd);
/* Serialize to a printable, JSON-string-safe string (for state.jsonl), and back. */
HULL_PUBLIC char *hull_cgroup_serialize (struct hull_cgroup *cg);
HULL_PUBLIC struct hull_cgroup *hull_cgroup_deserialize (const char *s, hull_error_t *err);
/* Absolute directory of the cgroup in `controller`'s hierarchy ("memory", "name=systemd",
   "" for the cgroup2 one); v2: any controller gives the leaf.  "" when unknown. */
HULL_PUBLIC const char *hull_cgroup_path (struct hull_cgroup *cg, const char *controller);
/* "v1", "v2", "systemd-v1", "systemd-v2" or "none". */
HULL_PUBLIC const char *hull_cgroup_mode_name (struct hull_cgroup *cg);

/* Free cg (NULL is fine); closes the clone fd; does not touch the cgroup. */
HULL_PUBLIC void hull_cgroup_free (struct hull_cgroup *cg);

#endif
