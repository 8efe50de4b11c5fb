/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Entry points of the cgroup-based verbs (update, pause, resume, ps,
 * events): each loads the container's state, checks its status and calls
 * the cgroup manager recorded in state.jsonl.
 */
#ifndef HULL_CGROUP_CONTAINER_H
#define HULL_CGROUP_CONTAINER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"

/* Apply the resources set in r to a created, running or paused container. */
HULL_PUBLIC int hull_container_update (const char *root, const char *id, const struct hull_resources *r,
                                       hull_error_t *err);
/* Freeze a running container ("container \"ID\" is not running" otherwise). */
HULL_PUBLIC int hull_container_pause (const char *root, const char *id, hull_error_t *err);
/* Thaw a paused container ("container \"ID\" is not paused" otherwise). */
HULL_PUBLIC int hull_container_resume (const char *root, const char *id, hull_error_t *err);
/* Host pids of every process in the container, sorted; *pids malloc'ed. */
HULL_PUBLIC int hull_container_pids (const char *root, const char *id, pid_t **pids, size_t *n,
                                     hull_error_t *err);
/* One stats event line ({"type":"stats","id":...,"data":{...}}), malloc'ed, no newline. */
HULL_PUBLIC char *hull_container_stats_event (const char *root, const char *id, hull_error_t *err);
/* Stream events to out: a stats event every interval_ms, an oom event on each OOM kill;
   returns 0 when the container stops or disappears. */
HULL_PUBLIC int hull_container_events (const char *root, const char *id, uint64_t interval_ms, FILE *out,
                                       hull_error_t *err);

#endif
