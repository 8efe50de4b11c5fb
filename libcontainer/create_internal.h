/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared between create.c, run.c and exec.c; not public. */
#ifndef HULL_CREATE_INTERNAL_H
#define HULL_CREATE_INTERNAL_H

#include <stdbool.h>
#include <sys/types.h>

#include "config.h"
#include "container.h"
#include "error.h"

struct hull_cgroup;
struct hull_state;
struct hull_init;

struct hull_created
{
  struct hull_config *cfg;
  char *config_text;
  char *bundle;
  char *rootfs;
  struct hull_state *state;
  struct hull_cgroup *cg;
  pid_t child;        /* our direct child still to be reaped, 0 when none */
  pid_t pid;          /* the container init */
  int pidfd;          /* pidfd of pid, or -1 */
  int sync_fd;
  int pty_master;     /* run in the foreground with a terminal: relay this */
};

/* Create the container up to "ready" (run: no exec.sock, the child waits for SYNC_START). */
int hull_create_container (const struct hull_create_opts *o, bool run, struct hull_created *c,
                           hull_error_t *err);
void hull_created_free (struct hull_created *c);
/* Make every fd above stdio and the preserved ones close-on-exec, and the preserved
 * ones inheritable. */
int hull_prepare_fds (int preserve_fds, hull_error_t *err);
/* Take LISTEN_FDS from our environment (socket activation) into in. */
void hull_listen_fds (struct hull_init *in);
/* Pass HUP, INT, QUIT, TERM, USR1, USR2 and WINCH on to pid (our child, pidfd its pidfd)
 * until it exits; returns its status as hull_wait_exit_status does. */
int hull_wait_forwarding (pid_t pid, int pidfd);
/* Wait for pid (our child) and return its status as a shell would (128+N for signal N). */
int hull_wait_exit_status (pid_t pid);

#endif
