/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * recvtty: the receiving end of --console-socket, for tests.
 *
 *   recvtty [--mode single|null] [--pid-file FILE] [--name-file FILE] SOCKET
 *
 * Listens on the unix stream socket SOCKET and receives pty masters sent with
 * SCM_RIGHTS (one fd per connection, the payload is the fd's name).
 *
 *   single  (default) accept one connection; clear ONLCR on the pty, then copy
 *           our stdin to the master and the master to our stdout until the
 *           master reports EOF/EIO (every slave closed), then exit 0.
 *   null    accept connections until killed, reading and discarding the
 *           output of every master received.
 *
 * --pid-file writes our pid once the socket is listening; --name-file writes
 * the payload that came with the (first) fd.  Exit status 1 on any error,
 * with a message on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#define MAX_MASTERS 64

static void __attribute__((noreturn, format (printf, 1, 2)))
die (const char *fmt, ...)
{
  va_list ap;
  fprintf (stderr, "recvtty: ");
  va_start (ap, fmt);
  vfprintf (stderr, fmt, ap);
  va_end (ap);
  fputc ('\n', stderr);
  exit (1);
}

static void
write_file (const char *path, const char *text)
{
  FILE *f = fopen (path, "we");
  if (f == NULL || fputs (text, f) < 0 || fclose (f) != 0)
    die ("write %s: %s", path, strerror (errno));
}

static int
listen_on (const char *path)
{
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  int s;

  if (strlen (path) >= sizeof a.sun_path)
    die ("socket path too long: %s", path);
  strcpy (a.sun_path, path);
  s = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0)
    die ("socket: %s", strerror (errno));
  if (bind (s, (struct sockaddr *) &a, sizeof a) < 0)
    die ("bind %s: %s", path, strerror (errno));
  if (listen (s, 16) < 0)
    die ("listen %s: %s", path, strerror (errno));
  return s;
}

/* Accept one connection and take the fd it carries; name receives the payload. */
static int
receive_fd (int lsock, char *name, size_t name_size)
{
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } control;
  struct iovec iov = { .iov_base = name, .iov_len = name_size - 1 };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
  struct cmsghdr *c;
  int conn, fd = -1;
  ssize_t r;

  do
    conn = accept4 (lsock, NULL, NULL, SOCK_CLOEXEC);
  while (conn < 0 && errno == EINTR);
  if (conn < 0)
    die ("accept: %s", strerror (errno));
  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof control.buf;
  do
    r = recvmsg (conn, &msg, MSG_CMSG_CLOEXEC);
  while (r < 0 && errno == EINTR);
  close (conn);
  if (r < 0)
    die ("recvmsg: %s", strerror (errno));
  if (msg.msg_flags & MSG_CTRUNC)
    die ("recvmsg: more than one fd received");
  name[r] = '\0';
  for (c = CMSG_FIRSTHDR (&msg); c; c = CMSG_NXTHDR (&msg, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS
        && c->cmsg_len == CMSG_LEN (sizeof (int)))
      memcpy (&fd, CMSG_DATA (c), sizeof fd);
  if (fd < 0)
    die ("no fd received");
  return fd;
}

static void
write_all_or_die (int fd, const char *buf, size_t len)
{
  while (len > 0)
    {
      ssize_t w = write (fd, buf, len);
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        die ("write: %s", strerror (errno));
      buf += w;
      len -= (size_t) w;
    }
}

static void
relay_single (int master)
{
  struct termios t;
  bool in_open = true;
  char buf[8192];

  if (tcgetattr (master, &t) == 0)
    {
      t.c_oflag &= ~ONLCR;
      tcsetattr (master, TCSANOW, &t);
    }
  for (;;)
    {
      struct pollfd p[2] = { { .fd = master, .events = POLLIN }, { .fd = 0, .events = POLLIN } };
      ssize_t r;

      if (poll (p, in_open ? 2 : 1, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          die ("poll: %s", strerror (errno));
        }
      if (p[0].revents)
        {
          r = read (master, buf, sizeof buf);
          if (r < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
          if (r <= 0)
            return; /* EOF or EIO: the container closed its terminal */
          write_all_or_die (1, buf, (size_t) r);
        }
      if (in_open && p[1].revents)
        {
          r = read (0, buf, sizeof buf);
          if (r <= 0)
            in_open = false;
          else
            write_all_or_die (master, buf, (size_t) r);
        }
    }
}

static void __attribute__((noreturn))
relay_null (int lsock, int first)
{
  struct pollfd p[MAX_MASTERS + 1];
  int n = 1, i;
  char buf[8192], name[4096];

  p[0] = (struct pollfd) { .fd = lsock, .events = POLLIN };
  p[n++] = (struct pollfd) { .fd = first, .events = POLLIN };
  for (;;)
    {
      if (poll (p, (nfds_t) n, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          die ("poll: %s", strerror (errno));
        }
      for (i = n - 1; i >= 1; i--)
        if (p[i].revents)
          {
            ssize_t r = read (p[i].fd, buf, sizeof buf);
            if (r <= 0 && !(r < 0 && (errno == EINTR || errno == EAGAIN)))
              {
                close (p[i].fd);
                p[i] = p[--n];
              }
          }
      if (p[0].revents & POLLIN)
        {
          int fd = receive_fd (lsock, name, sizeof name);
          if (n > MAX_MASTERS)
            close (fd);
          else
            p[n++] = (struct pollfd) { .fd = fd, .events = POLLIN };
        }
    }
}

int
main (int argc, char **argv)
{
  static const struct option opts[] = {
    { "mode", required_argument, NULL, 'm' },
    { "pid-file", required_argument, NULL, 'p' },
    { "name-file", required_argument, NULL, 'n' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *mode = "single", *pid_file = NULL, *name_file = NULL;
  char name[4096];
  int c, lsock, master;

  while ((c = getopt_long (argc, argv, "m:p:n:h", opts, NULL)) != -1)
    switch (c)
      {
      case 'm':
        mode = optarg;
        break;
      case 'p':
        pid_file = optarg;
        break;
      case 'n':
        name_file = optarg;
        break;
      case 'h':
        printf ("usage: recvtty [--mode single|null] [--pid-file FILE] [--name-file FILE] SOCKET\n");
        return 0;
      default:
        return 1;
      }
  if (optind + 1 != argc)
    die ("usage: recvtty [--mode single|null] [--pid-file FILE] [--name-file FILE] SOCKET");
  if (strcmp (mode, "single") != 0 && strcmp (mode, "null") != 0)
    die ("unknown mode \"%s\" (single or null)", mode);
  signal (SIGPIPE, SIG_IGN);

  lsock = listen_on (argv[optind]);
  if (pid_file)
    {
      char pid[32];
      snprintf (pid, sizeof pid, "%d\n", (int) getpid ());
      write_file (pid_file, pid);
    }

  master = receive_fd (lsock, name, sizeof name);
  if (name_file)
    write_file (name_file, name);
  if (strcmp (mode, "null") == 0)
    relay_null (lsock, master);
  close (lsock);
  relay_single (master);
  return 0;
}
