/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Container lifecycle: the entry points behind the CLI verbs.
 */
#ifndef HULL_CONTAINER_H
#define HULL_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

struct hull_create_opts
{
  const char *root;            /* state root */
  const char *id;
  const char *bundle;          /* bundle directory (relative to cwd is fine) */
  const char *pid_file;        /* may be NULL */
  const char *console_socket;  /* may be NULL */
  bool no_pivot;
  bool no_new_keyring;
  int preserve_fds;            /* extra fds after stdio to pass on */
  bool systemd_cgroup;
  bool rootless;
  bool detach;                 /* run: return after start */
  bool keep;                   /* run: keep the stopped container */
};

/* Create a container: returns once its process waits for `start`. */
HULL_PUBLIC int hull_container_create (const struct hull_create_opts *o, hull_error_t *err);
/* Create and start; unless detached wait for the workload and delete the container.
 * *exit_status gets the workload's status (128+N when killed by signal N). */
HULL_PUBLIC int hull_container_run (const struct hull_create_opts *o, int *exit_status,
                                    hull_error_t *err);
/* Let a created container exec its workload; runs poststart hooks. */
HULL_PUBLIC int hull_container_start (const char *root, const char *id, hull_error_t *err);
/* Send sig to the container's init (or to every process of it with all). */
HULL_PUBLIC int hull_container_kill (const char *root, const char *id, int sig, bool all,
                                     hull_error_t *err);
/* Delete a container: with force also a running one; force on a missing container succeeds. */
HULL_PUBLIC int hull_container_delete (const char *root, const char *id, bool force,
                                       hull_error_t *err);
/* Parse a signal given by name ("KILL", "SIGKILL", "kill") or number; -1 with err when invalid. */
HULL_PUBLIC int hull_parse_signal (const char *s, hull_error_t *err);

struct hull_exec_opts
{
  const char *root;
  const char *id;
  const char *process_file;    /* --process, or NULL: built from the fields below */
  char **args;                 /* command line when no --process */
  bool tty;
  const char *console_socket;
  const char *cwd;
  char **env;                  /* extra KEY=VALUE */
  const char *user;            /* uid[:gid] */
  char **additional_gids;
  char **caps;                 /* extra capabilities */
  bool no_new_privs;
  const char *process_label;
  const char *apparmor;
  bool detach;
  const char *pid_file;
  int preserve_fds;
  char **cgroups;              /* --cgroup specs (NULL-terminated) or NULL: see cgroup_sub.h */
  bool ignore_paused;
};

/* Run a new process inside a running container; *exit_status as for run. */
HULL_PUBLIC int hull_container_exec (const struct hull_exec_opts *o, int *exit_status,
                                     hull_error_t *err);

#endif
