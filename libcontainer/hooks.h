/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * OCI hooks (config.json "hooks"): external programs run at fixed points of
 * the container lifecycle with the container state JSON on their stdin.
 * See docs/hooks.md for when hull runs each kind and what state it passes.
 *
 * A hook runs with exactly its own env (empty when absent), argv = its args
 * (or just its path when absent), stdin = a pipe carrying the state JSON,
 * stdout/stderr = ours.  It gets its own process group, so that a timeout
 * kills the hook and whatever it started in that group.
 */
#ifndef HULL_HOOKS_H
#define HULL_HOOKS_H

#include <sys/types.h>

#include "config.h"
#include "error.h"

/* Run the hooks of a list in order, stopping at the first failure, which is reported as
 * `KIND hook[I] "PATH": exited with status N` (or `killed by signal N`, `timed out after Ns`,
 * `exec: ERROR`).  No hook process is left running or unreaped on return. */
HULL_PUBLIC int hull_hooks_run (const struct hull_hook_list *hooks, const char *kind_name,
                                const char *state_json, hull_error_t *err);

/* Run every hook of the list even when some fail, logging each failure as a warning (the spec's
 * rule for poststart and poststop).  Returns the number of hooks that failed. */
HULL_PUBLIC int hull_hooks_run_warn (const struct hull_hook_list *hooks, const char *kind_name,
                                     const char *state_json);

/* Copy of a state JSON made by hull_state_json() with "status" set to status and, when
 * pid >= 0, "pid" set to pid: hooks get the status of their lifecycle step ("creating" for
 * prestart, createRuntime, createContainer) and, inside the container, the pid seen there. */
HULL_PUBLIC char *hull_hook_state (const char *state_json, const char *status, pid_t pid);

/* JSON name of a hook kind ("prestart", "createRuntime", ...), NULL when out of range. */
HULL_PUBLIC const char *hull_hook_kind_name (enum hull_hook_kind k);

#endif
