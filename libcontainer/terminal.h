/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Terminals: the pseudo-terminal of a container with process.terminal set.
 *
 * The container process opens the pty pair itself, after pivot_root, so that
 * the slave lives in the container's own devpts instance (/dev/pts/0 inside).
 * It makes the slave its controlling terminal and stdio, and hands the master
 * to hull over the sync channel.  hull then either
 *
 *   - sends the master to the --console-socket of the caller (create, run -d,
 *     exec -d: Podman/conmon, the containerd shim), the way runc does:
 *     one sendmsg() on a SOCK_STREAM connection carrying the master with
 *     SCM_RIGHTS and the payload "/dev/ptmx" (the master's file name, which
 *     receivers such as go-runc read as the file name and otherwise ignore);
 *   - or, for a foreground run/exec, relays between its own stdio and the
 *     master until the container process has exited.
 */
#ifndef HULL_TERMINAL_H
#define HULL_TERMINAL_H

#include <stdbool.h>

#include "config.h"
#include "error.h"

/* Payload bytes sent alongside the master over the console socket (runc sends the same). */
#define HULL_CONSOLE_PAYLOAD "/dev/ptmx"

/* Open a pty pair through /dev/ptmx (in the container: the pts/ptmx of its devpts), unlock it,
 * get the slave with TIOCGPTPEER (ptsname fallback), apply size when set; both fds O_CLOEXEC. */
HULL_PUBLIC int hull_terminal_open (const struct hull_console_size *size, int *master, int *slave,
                                    hull_error_t *err);

/* Make uid the owner of the slave (the group stays: the tty group of the devpts
   mount), as grantpt does, so the process can reopen its own terminal. */
HULL_PUBLIC int hull_terminal_own (int slave, uint32_t uid, hull_error_t *err);
/* Make slave the controlling terminal and stdio (fds 0, 1, 2) of the calling process: setsid()
 * (fine when already a session leader), TIOCSCTTY, dup2.  The caller still owns slave. */
HULL_PUBLIC int hull_terminal_become_controlling (int slave, hull_error_t *err);

/* Set the window size of a pty (master or slave fd); height and width at most 65535. */
HULL_PUBLIC int hull_terminal_set_size (int fd, unsigned height, unsigned width, hull_error_t *err);

/* Check that socket_path exists and is a unix socket, before anything is created. */
HULL_PUBLIC int hull_console_socket_check (const char *socket_path, hull_error_t *err);

/* Connect to the unix stream socket at socket_path and send master with SCM_RIGHTS and the
 * payload HULL_CONSOLE_PAYLOAD; errors read `--console-socket "PATH": connect: ...`. */
HULL_PUBLIC int hull_console_socket_send (const char *socket_path, int master, hull_error_t *err);

/* The terminal/console-socket combination rules of runc: a detached container with a terminal
 * needs a console socket, and a console socket needs a terminal and a detached container.
 * When console_socket is set and allowed, also runs hull_console_socket_check(). */
HULL_PUBLIC int hull_terminal_check_options (bool terminal, bool detach, const char *console_socket,
                                             hull_error_t *err);

/* Foreground relay: stdin -> master and master -> stdout with poll(), our stdin in raw mode
 * while it is a tty (restored on return), window size copied to the master at start and on
 * SIGWINCH, ONLCR cleared on the pty, SIGHUP/INT/QUIT/TERM/USR1/USR2 forwarded to the process.
 * Returns once child_pidfd is readable (the process exited; it is not reaped here) and the
 * master has been drained. */
HULL_PUBLIC int hull_terminal_relay (int master, int child_pidfd, hull_error_t *err);

/* Give the pty the window size of our terminal and clear ONLCR, as the relay will: call it as
 * soon as the master arrives, before the process runs, so that its first output and its first
 * look at the size are already right. */
HULL_PUBLIC void hull_terminal_relay_prepare (int master);

/* Restore the tty mode saved by hull_terminal_relay (async-signal-safe; no-op when none). */
HULL_PUBLIC void hull_terminal_restore (void);

#endif
