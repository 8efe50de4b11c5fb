/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Per-process attributes applied in the container process before exec:
 * rlimits (rlimits.c) and oomScoreAdj, ioPriority, scheduler,
 * execCPUAffinity and personality (process_attrs.c).  All of them run before
 * hull_process_identity() drops capabilities.
 */
#ifndef HULL_PROCESS_ATTRS_H
#define HULL_PROCESS_ATTRS_H

#include <sched.h>
#include <stddef.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"

/* setrlimit every process.rlimits entry; never clamps, explains EPERM. */
int hull_rlimits_apply (const struct hull_process *p, hull_error_t *err);

/* Apply oomScoreAdj, ioPriority, scheduler, execCPUAffinity.initial and the
   personality (pers may be NULL) to the calling process. */
int hull_process_attrs_apply (const struct hull_process *p, const struct hull_personality *pers,
                              hull_error_t *err);

/* Rootless, in hull before clone: a non-dumpable container process cannot
   open its own oom_score_adj, so set ours (inherited) and clear the field in p;
   a value we may not set (lowering needs CAP_SYS_RESOURCE) is skipped with a warning. */
void hull_process_oom_score_adj_rootless (struct hull_process *p);

/* Apply execCPUAffinity.final to pid (after it joined its cgroup). */
int hull_process_cpu_affinity_final (const struct hull_process *p, pid_t pid, hull_error_t *err);

/* Parse a cpu list ("0-3,7") strictly into a set from CPU_ALLOC; *setsize is
   its size in bytes.  field names the config field in messages. */
int hull_parse_cpu_list (const char *s, const char *field, cpu_set_t **set, size_t *setsize,
                         hull_error_t *err);

/* Personality value (domain | flags) for the config; flags are names such as
   "ADDR_NO_RANDOMIZE". */
int hull_personality_value (const struct hull_personality *pers, unsigned long *out,
                            hull_error_t *err);

#endif
