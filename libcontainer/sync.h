/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The channel between hull (the parent) and the container process (the
 * child): one SOCK_SEQPACKET socketpair, one message per packet, optionally
 * carrying one fd (SCM_RIGHTS).  See the protocol description at the top of
 * sync.c.
 */
#ifndef HULL_SYNC_H
#define HULL_SYNC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

enum hull_sync_type
{
  SYNC_GO = 1,        /* parent -> child: ids mapped, cgroup joined; carry on */
  SYNC_USERNS,        /* child -> parent: new user ns unshared, write its maps */
  SYNC_USERNS_DONE,   /* parent -> child */
  SYNC_PID,           /* child -> parent: value = pid of the real container process */
  SYNC_HOOKS,         /* child -> parent: mounts done, run prestart/createRuntime hooks */
  SYNC_HOOKS_DONE,    /* parent -> child */
  SYNC_PTY,           /* child -> parent: fd = pty master */
  SYNC_SECCOMP,       /* child -> parent: fd = seccomp notify fd */
  SYNC_SECCOMP_DONE,  /* parent -> child */
  SYNC_READY,         /* child -> parent: about to wait for start */
  SYNC_STATE,         /* parent -> child: data = state JSON for startContainer hooks */
  SYNC_START,         /* parent -> child (run): exec now */
  SYNC_ERROR,         /* child -> parent: data = message, value = errno */
  SYNC_IDMAP,         /* child -> parent: user ns final and mapped, open the idmapped mounts */
  SYNC_MOUNT_FD,      /* parent -> child: value = index in mounts[], fd = detached mount */
  SYNC_IDMAP_DONE,    /* parent -> child: every idmapped mount fd has been sent */
};

#define HULL_SYNC_MAX 8192

struct hull_sync_msg
{
  uint32_t type;
  int32_t value;
  uint32_t len;       /* bytes used in data (data is NUL-terminated) */
  char data[HULL_SYNC_MAX];
};

/* Send a message (data may be NULL); fd >= 0 is passed along. */
int hull_sync_send (int sock, enum hull_sync_type type, int32_t value, const char *data, int fd,
                    hull_error_t *err);
/* Receive one message; *fd receives a passed fd or -1 (fd may be NULL). EOF is an error
 * "container process exited" unless allow_eof, then returns 0 with msg->type = 0. */
int hull_sync_recv (int sock, struct hull_sync_msg *msg, int *fd, hull_error_t *err);
/* Receive and require `want`; a SYNC_ERROR from the child is turned into *err. */
int hull_sync_expect (int sock, enum hull_sync_type want, struct hull_sync_msg *msg, int *fd,
                      hull_error_t *err);
/* Child side: report err to the parent as SYNC_ERROR (best effort). */
void hull_sync_send_error (int sock, hull_error_t *err);

#endif
