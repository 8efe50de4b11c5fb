/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * User namespace id maps, written by the parent for a child that was cloned
 * into a new user namespace.
 *
 * Privileged (CAP_SETUID / CAP_SETGID in our user namespace): uid_map and
 * gid_map are written directly through verified procfs and setgroups is left
 * alone.  Rootless: a map of just our own id is written directly too (gid
 * needs setgroups "deny" first); anything more goes through the setuid
 * helpers newuidmap / newgidmap (Debian package "uidmap"), which check
 * /etc/subuid and /etc/subgid.
 */
#ifndef HULL_IDMAP_H
#define HULL_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"

/* Write setgroups (only when needed), uid_map and gid_map of pid. */
int hull_idmap_write (pid_t pid, const struct hull_id_mapping *uids, size_t nuids,
                      const struct hull_id_mapping *gids, size_t ngids, bool rootless,
                      hull_error_t *err);

/* Format mappings as uid_map/gid_map text ("0 1000 1\n..."); malloc'ed. */
char *hull_idmap_format (const struct hull_id_mapping *m, size_t n);

/* Check that the mappings are well formed (size > 0, no overflow, no overlap
   on either side); field names the config field for messages. */
int hull_idmap_validate (const struct hull_id_mapping *m, size_t n, const char *field,
                         hull_error_t *err);

/* True when ids host..host+size-1 are delegated to user (name or uid) in the
   subordinate id file text (format of /etc/subuid). */
bool hull_subid_covers (const char *text, const char *user, uint32_t uid, uint32_t host,
                        uint32_t size);

/* True when hull itself runs in a user namespace other than the initial one
   (rootless Podman runs the runtime as root of such a namespace). */
HULL_PUBLIC bool hull_in_user_namespace (void);

#endif
