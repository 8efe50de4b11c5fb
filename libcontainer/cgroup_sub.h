/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Sub-cgroups of a container's cgroup, for `exec --cgroup`.
 *
 * A spec is "PATH" (the same sub-cgroup in every hierarchy of the
 * container) or "CTRL[,CTRL...]:PATH" (only the hierarchies holding those
 * controllers; the others stay the container's own cgroup), as runc takes
 * it.  PATH is relative to the container's cgroup: a leading '/' is
 * ignored, ".." components are refused, and the directory must already
 * exist (hull never creates it).
 */
#ifndef HULL_CGROUP_SUB_H
#define HULL_CGROUP_SUB_H

#include "cgroup.h"
#include "error.h"

/* A new cgroup handle like cg with the directories named by the spec `sub` moved into its
 * sub-cgroup; cg is not changed.  Errors name the spec and the missing directory. */
HULL_PUBLIC struct hull_cgroup *hull_cgroup_sub (struct hull_cgroup *cg, const char *sub, hull_error_t *err);
/* The same for several specs (repeated --cgroup): with more than one, each needs a controller
 * prefix and no hierarchy may be named twice.  specs is NULL-terminated and not empty. */
HULL_PUBLIC struct hull_cgroup *hull_cgroup_sub_list (struct hull_cgroup *cg, char *const *specs,
                                                      hull_error_t *err);

#endif
