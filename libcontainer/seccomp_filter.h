/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Seccomp: linux.seccomp of config.json compiled to a BPF program.
 *
 * The filter is built with libseccomp in the parent, before the container
 * process is cloned, so that every error (unknown architecture, unsupported
 * flag, a rule libseccomp refuses) is reported by `create` naming the field.
 * The result is raw classic BPF held in memory: loading it in the container
 * process is a single seccomp(2) call that allocates nothing and touches no
 * file, so it can happen right before execve.
 *
 * SCMP_ACT_NOTIFY: the filter is loaded with SECCOMP_FILTER_FLAG_NEW_LISTENER
 * and hull_seccomp_load() returns the listener fd.  The caller must bring that
 * fd to the parent (SCM_RIGHTS over the sync socket, or pidfd_getfd(2)), which
 * hands it to the agent at linux.seccomp.listenerPath with
 * hull_seccomp_send_listener().  NOTIFY rules on the syscalls the container
 * process itself needs between load and exec to hand the fd over ("sendmsg",
 * "write") are refused at prepare time: they would block with no agent yet.
 */
#ifndef HULL_SECCOMP_FILTER_H
#define HULL_SECCOMP_FILTER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"

struct hull_seccomp_filter;

/* Compile s into a filter; errors name the field ("linux.seccomp.flags[1]: ..."). */
HULL_PUBLIC int hull_seccomp_prepare (const struct hull_seccomp *s, struct hull_seccomp_filter **out,
                                      hull_error_t *err);
/* Install f in the calling process (needs no_new_privs or CAP_SYS_ADMIN); *notify_fd gets
   the O_CLOEXEC listener fd when the filter has NOTIFY rules, else -1. */
HULL_PUBLIC int hull_seccomp_load (struct hull_seccomp_filter *f, int *notify_fd, hull_error_t *err);
/* True when f has SCMP_ACT_NOTIFY rules (or default action) and so yields a listener fd. */
HULL_PUBLIC bool hull_seccomp_needs_listener (const struct hull_seccomp_filter *f);
/* Number of BPF instructions in f (for --debug and tests). */
HULL_PUBLIC size_t hull_seccomp_filter_size (const struct hull_seccomp_filter *f);
/* Free a filter (NULL is fine). */
HULL_PUBLIC void hull_seccomp_filter_free (struct hull_seccomp_filter *f);

/* Connect to s->listener_path (AF_UNIX, SOCK_STREAM) and send notify_fd with SCM_RIGHTS plus
   the container process state JSON (ociVersion, fds, pid, metadata, state = state_json). */
HULL_PUBLIC int hull_seccomp_send_listener (const struct hull_seccomp *s, int notify_fd, pid_t pid,
                                            const char *state_json, hull_error_t *err);
/* The container process state document sent by hull_seccomp_send_listener (malloc'ed). */
char *hull_seccomp_process_state_json (const struct hull_seccomp *s, pid_t pid, const char *state_json);

/* ---- name tables, also used by `hull features` ---------------------------- */

/* "SCMP_ACT_ERRNO" for HULL_SCMP_ACT_ERRNO, NULL when out of range. */
const char *hull_seccomp_action_name (int action);
/* Number of enum hull_seccomp_action values. */
int hull_seccomp_action_count (void);
/* "SCMP_CMP_EQ" for HULL_SCMP_CMP_EQ, NULL when out of range. */
const char *hull_seccomp_op_name (int op);
/* Number of enum hull_seccomp_op values. */
int hull_seccomp_op_count (void);
/* True when this build's libseccomp resolves the SCMP_ARCH_* name. */
bool hull_seccomp_arch_known (const char *name);
/* The i-th SECCOMP_FILTER_FLAG_* name hull recognises in linux.seccomp.flags, NULL past the end. */
const char *hull_seccomp_flag_name (size_t i);
/* True when the running kernel accepts the named flag (probed once with seccomp(2)). */
bool hull_seccomp_flag_supported (const char *name);
/* True when the running kernel implements the action (SECCOMP_GET_ACTION_AVAIL). */
bool hull_seccomp_action_available (int action);
/* True when the kernel has seccomp filters at all (CONFIG_SECCOMP_FILTER). */
bool hull_seccomp_kernel_enabled (void);

#endif
