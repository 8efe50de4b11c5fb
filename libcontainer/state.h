/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * State store.  One directory per container below the state root
 * (default /run/hull, --root overrides):
 *
 *   <root>/<id>/state.jsonl  JSON lines, only ever appended to: first
 *                            {"hull_config": "<the bundle's config.json>"}
 *                            as read at create, then one line per save of
 *                            the runtime state; the last complete line is
 *                            the current state (a line cut short by a crash
 *                            is ignored)
 *   <root>/<id>/exec.sock    exists while the container is "created": the
 *                            waiting init accepts one connection from `start`
 *
 * One file that is never replaced costs one inode for the container's whole
 * life; on ext4 without a journal, as on our hosts, each new inode in a
 * directory with much churn costs 1 to 2 ms.
 *
 * The directory is created with mkdir (so two creates of one id cannot both
 * win) and locked with flock on the directory fd, so that verbs acting on
 * one container serialise.
 */
#ifndef HULL_STATE_H
#define HULL_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"

enum hull_status
{
  HULL_STATUS_CREATING = 0,
  HULL_STATUS_CREATED,
  HULL_STATUS_RUNNING,
  HULL_STATUS_PAUSED,
  HULL_STATUS_STOPPED
};

struct hull_state
{
  char *id;
  char *root;                /* state root directory */
  int dirfd;                 /* O_PATH|O_DIRECTORY fd of <root>/<id>, locked when `locked` */
  bool locked;
  char *oci_version;
  pid_t pid;                 /* container init, host pid; 0 while creating */
  uint64_t start_time;       /* /proc/<pid>/stat field 22, detects pid reuse */
  char *bundle;              /* absolute */
  char *rootfs;              /* absolute */
  char *created;             /* RFC 3339 with nanoseconds, UTC */
  uid_t owner;
  char *cgroup;              /* serialized cgroup manager state (hull_cgroup_serialize) */
  bool systemd_cgroup;
  bool rootless;
  struct hull_kv *annotations;
  size_t annotations_len;
  char *config_text;         /* create: config.json as read, written with the first save */
  char *config_line;         /* load: the log's first line, decoded by hull_state_config */
  /* extra annotations about the namespaces the container uses etc. are read from config.json */
};

/* Container id rule: [A-Za-z0-9_.+-]{1,255}, not "." or ".."; error names the id. */
HULL_PUBLIC int hull_id_validate (const char *id, hull_error_t *err);
/* Default state root: /run/hull for root of the initial user namespace; otherwise
   $XDG_RUNTIME_DIR/hull when that directory is ours, else /tmp/hull-<uid> (created
   0700; refused when someone else owns it or may write to it). */
HULL_PUBLIC char *hull_state_default_root (hull_error_t *err);

/* Create <root>/<id> exclusively and lock it; fails with "container \"id\" already exists". */
HULL_PUBLIC struct hull_state *hull_state_new (const char *root, const char *id, hull_error_t *err);
/* Open and lock an existing container's state; "container \"id\" does not exist" when absent. */
HULL_PUBLIC struct hull_state *hull_state_load (const char *root, const char *id, hull_error_t *err);
/* Append the state to state.jsonl (the first save creates the file with config_text). */
HULL_PUBLIC int hull_state_save (struct hull_state *s, hull_error_t *err);
/* Remove the container's directory and everything in it. */
HULL_PUBLIC int hull_state_remove (struct hull_state *s, hull_error_t *err);
/* Free (and unlock) a state. */
HULL_PUBLIC void hull_state_free (struct hull_state *s);

/* Current status: checks pid liveness (with start time), exec.sock and the freezer. */
HULL_PUBLIC enum hull_status hull_state_status (struct hull_state *s);
HULL_PUBLIC const char *hull_status_name (enum hull_status st);
/* The config.json saved at create, parsed (a loaded state only). */
HULL_PUBLIC struct hull_config *hull_state_config (struct hull_state *s, hull_error_t *err);
/* runc-compatible state JSON (ociVersion, id, pid, status, bundle, rootfs, created, owner, annotations). */
HULL_PUBLIC char *hull_state_json (struct hull_state *s, bool pretty);
/* The same (compact) with the status given, e.g. the lifecycle step hooks see; reads nothing. */
HULL_PUBLIC char *hull_state_json_status (struct hull_state *s, enum hull_status status);
/* The ids below root, sorted; NULL-terminated. */
HULL_PUBLIC char **hull_state_list (const char *root, hull_error_t *err);

/* Start time of pid (field 22 of /proc/pid/stat), 0 when the process is gone. */
HULL_PUBLIC uint64_t hull_pid_start_time (pid_t pid);

#endif
