/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Pty allocation in the container, controlling terminal, and the
 * --console-socket hand-over.  The foreground relay is in terminal_relay.c.
 */
#include <config.h>
#include "terminal.h"
#include "unixsock.h"
#include "utils.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO ('T', 0x41)
#endif

int
hull_terminal_set_size (int fd, unsigned height, unsigned width, hull_error_t *err)
{
  struct winsize ws = { 0 };

  if (height > 0xffff || width > 0xffff)
    return hull_error_set (err, 0, "console size %ux%u: larger than 65535", height, width);
  ws.ws_row = (unsigned short) height;
  ws.ws_col = (unsigned short) width;
  if (ioctl (fd, TIOCSWINSZ, &ws) < 0)
    return hull_error_set (err, errno, "set console size");
  return 0;
}

/* The slave of master without a path lookup when the kernel can (4.13+), else via its name. */
static int
open_slave (int master, hull_error_t *err)
{
  unsigned int n;
  char path[64];
  int fd;

  fd = ioctl (master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd >= 0)
    return fd;
  if (errno != EINVAL && errno != ENOTTY)
    return hull_error_set (err, errno, "open pty slave (TIOCGPTPEER)");

  if (ioctl (master, TIOCGPTN, &n) < 0)
    return hull_error_set (err, errno, "get pty number (TIOCGPTN)");
  snprintf (path, sizeof path, "/dev/pts/%u", n);
  fd = open (path, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    return hull_error_set (err, errno, "open \"%s\"", path);
  return fd;
}

int
hull_terminal_open (const struct hull_console_size *size, int *master, int *slave,
                    hull_error_t *err)
{
  cleanup_close int m = -1;
  cleanup_close int s = -1;
  int unlock = 0;

  m = open ("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (m < 0)
    return hull_error_set (err, errno, "open \"/dev/ptmx\"");
  if (ioctl (m, TIOCSPTLCK, &unlock) < 0)
    return hull_error_set (err, errno, "unlock pty");
  s = open_slave (m, err);
  if (s < 0)
    return -1;
  if (size && size->set
      && hull_terminal_set_size (m, size->height, size->width, err) < 0)
    return hull_error_prefix (err, "process.consoleSize");

  *master = take_fd (m);
  *slave = take_fd (s);
  return 0;
}

int
hull_terminal_own (int slave, uint32_t uid, hull_error_t *err)
{
  struct stat st;
  if (fstat (slave, &st) == 0 && st.st_uid == uid)
    return 0;
  if (fchown (slave, uid, (gid_t) -1) < 0)
    return hull_error_set (err, errno, "process.user.uid %u: give it the terminal (fchown)", uid);
  return 0;
}

int
hull_terminal_become_controlling (int slave, hull_error_t *err)
{
  int i;

  if (setsid () < 0 && !(errno == EPERM && getsid (0) == getpid ()))
    return hull_error_set (err, errno, "setsid");
  if (ioctl (slave, TIOCSCTTY, 0) < 0)
    return hull_error_set (err, errno, "make the pty the controlling terminal (TIOCSCTTY)");
  for (i = 0; i <= 2; i++)
    {
      if (slave == i)
        {
          /* dup2 onto itself keeps FD_CLOEXEC: clear it by hand. */
          if (fcntl (i, F_SETFD, 0) < 0)
            return hull_error_set (err, errno, "clear close-on-exec of fd %d", i);
          continue;
        }
      if (dup2 (slave, i) < 0)
        return hull_error_set (err, errno, "dup2 pty onto fd %d", i);
    }
  return 0;
}

int
hull_console_socket_check (const char *socket_path, hull_error_t *err)
{
  struct stat st;

  if (socket_path == NULL || *socket_path == '\0')
    return hull_error_set (err, 0, "--console-socket: empty path");
  if (stat (socket_path, &st) < 0)
    return hull_error_set (err, errno, "--console-socket \"%s\": stat", socket_path);
  if (!S_ISSOCK (st.st_mode))
    return hull_error_set (err, 0, "--console-socket \"%s\": not a unix socket", socket_path);
  return 0;
}

/* Connect sock to path; a path too long for sun_path is reached through its directory fd. */
static int
connect_unix (int sock, const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  cleanup_free char *dir_copy = NULL;
  cleanup_free char *base_copy = NULL;
  cleanup_close int dirfd = -1;
  int r;

  if (strlen (path) < sizeof addr.sun_path)
    {
      strcpy (addr.sun_path, path);
      do
        r = connect (sock, (struct sockaddr *) &addr, sizeof addr);
      while (r < 0 && errno == EINTR);
      return r;
    }

  dir_copy = xstrdup (path);
  base_copy = xstrdup (path);
  dirfd = open (dirname (dir_copy), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0)
    return -1;
  r = snprintf (addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/%s", dirfd,
                basename (base_copy));
  if (r < 0 || (size_t) r >= sizeof addr.sun_path)
    {
      errno = ENAMETOOLONG;
      return -1;
    }
  do
    r = connect (sock, (struct sockaddr *) &addr, sizeof addr);
  while (r < 0 && errno == EINTR);
  return r;
}

int
hull_console_socket_send (const char *socket_path, int master, hull_error_t *err)
{
  cleanup_close int sock = -1;
  static const char payload[] = HULL_CONSOLE_PAYLOAD;
  ssize_t r;

  if (socket_path == NULL || *socket_path == '\0')
    return hull_error_set (err, 0, "--console-socket: empty path");
  sock = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock < 0)
    return hull_error_set (err, errno, "--console-socket \"%s\": socket", socket_path);
  if (connect_unix (sock, socket_path) < 0)
    return hull_error_set (err, errno, "--console-socket \"%s\": connect", socket_path);

  r = hull_unix_send_fd (sock, master, payload, sizeof payload - 1, err);
  if (r < 0)
    return hull_error_prefix (err, "--console-socket \"%s\": pty master", socket_path);
  if ((size_t) r != sizeof payload - 1)
    return hull_error_set (err, 0, "--console-socket \"%s\": short write sending pty master",
                           socket_path);
  return 0;
}

int
hull_terminal_check_options (bool terminal, bool detach, const char *console_socket,
                             hull_error_t *err)
{
  bool have_socket = console_socket != NULL && *console_socket != '\0';

  if (terminal && detach && !have_socket)
    return hull_error_set (err, 0,
                           "process.terminal is true but no --console-socket was given: "
                           "a detached container needs one to hand its terminal to");
  if (have_socket && !terminal)
    return hull_error_set (err, 0,
                           "--console-socket \"%s\": process.terminal is false, so there is no "
                           "terminal to send",
                           console_socket);
  if (have_socket && !detach)
    return hull_error_set (err, 0,
                           "--console-socket \"%s\": only used with a detached container "
                           "(create, run -d, exec -d)",
                           console_socket);
  if (have_socket)
    return hull_console_socket_check (console_socket, err);
  return 0;
}
