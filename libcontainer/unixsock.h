/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Sending a file descriptor over a unix socket (SCM_RIGHTS), shared by the
 * console socket, the seccomp listener and the parent/child sync channel.
 */
#ifndef HULL_UNIXSOCK_H
#define HULL_UNIXSOCK_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* One sendmsg of data[0..len) on sock with fd attached as SCM_RIGHTS (none when
   fd < 0), retried on EINTR, without SIGPIPE; returns the bytes sent or -1. */
ssize_t hull_unix_send_fd (int sock, int fd, const void *data, size_t len, hull_error_t *err);

#endif
