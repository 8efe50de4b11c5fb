/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Capabilities and user identity of the container process.
 *
 * hull_process_identity() is the last privileged step before exec (after
 * rlimits, sysctls and everything else that needs capabilities).  It runs, in
 * this order: PR_SET_KEEPCAPS, drop the bounding set to exactly the
 * configured one (needs CAP_SETPCAP, so before setuid), setgroups, setresgid,
 * setresuid, umask, capset of effective/permitted/inheritable exactly as
 * configured, ambient raise, and clears PR_SET_KEEPCAPS again.  With no
 * process.capabilities every set ends up empty.
 */
#ifndef HULL_CAPS_H
#define HULL_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "error.h"

/* Switch to process.user and set every capability set as configured. */
int hull_process_identity (const struct hull_process *p, hull_error_t *err);

/* Set no_new_privs when process.noNewPrivileges is true. */
int hull_process_nnp (const struct hull_process *p, hull_error_t *err);

/* Parse `exec --user uid[:gid]`: decimal only, each 0..4294967294. */
int hull_parse_user_spec (const char *s, uint32_t *uid, uint32_t *gid, bool *gid_set,
                          hull_error_t *err);

/* Store in *mask the capabilities named in the NULL-terminated list
   ("CAP_NET_ADMIN"; the CAP_ prefix and case are optional); *mask is left
   alone on error. */
int hull_caps_parse_names (char *const *names, uint64_t *mask, hull_error_t *err);

/* Highest capability number the running kernel knows (probed once). */
int hull_caps_kernel_last (void);

/* Mask of every capability the running kernel knows. */
uint64_t hull_caps_kernel_mask (void);

#endif
