/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal seccomp agent for the tests (linux.seccomp.listenerPath).
 *
 *   seccomp-listener [options] SOCKET STATEFILE
 *
 * Listens on the unix socket SOCKET, accepts one runtime connection,
 * receives the container process state JSON and the seccomp fd (SCM_RIGHTS),
 * writes the JSON to STATEFILE (complete, by rename), then answers
 * notifications and exits after --count of them or when the container is
 * gone.
 *
 *   --errno N      answer each notification with errno N (default EPERM)
 *   --success      answer with return value 0 without running the syscall
 *   --continue     let the kernel run the syscall (USER_NOTIF_FLAG_CONTINUE)
 *   --count N      answer N notifications, then exit (default 1)
 *   --daemon FILE  go to the background once listening, write the pid to FILE;
 *                  output goes to STATEFILE.log
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef SECCOMP_USER_NOTIF_FLAG_CONTINUE
#define SECCOMP_USER_NOTIF_FLAG_CONTINUE (1UL << 0)
#endif

enum mode { ANSWER_ERRNO, ANSWER_SUCCESS, ANSWER_CONTINUE };

static void __attribute__((noreturn))
die (const char *what)
{
  fprintf (stderr, "seccomp-listener: %s: %s\n", what, strerror (errno));
  exit (1);
}

/* Length of the complete JSON object at the start of buf[0..len), 0 while incomplete. */
static size_t
json_object_end (const char *buf, size_t len)
{
  bool in_str = false, esc = false;
  int depth = 0;
  size_t i;

  for (i = 0; i < len; i++)
    {
      char c = buf[i];
      if (in_str)
        {
          if (esc)
            esc = false;
          else if (c == '\\')
            esc = true;
          else if (c == '"')
            in_str = false;
          continue;
        }
      if (c == '"')
        in_str = true;
      else if (c == '{' || c == '[')
        depth++;
      else if ((c == '}' || c == ']') && --depth == 0)
        return i + 1;
    }
  return 0;
}

/* Receive the state document and the fd of one connection. */
static char *
receive (int conn, int *fd)
{
  size_t cap = 65536, len = 0;
  char *buf = malloc (cap);
  union
  {
    char b[CMSG_SPACE (sizeof (int) * 4)];
    struct cmsghdr align;
  } u;
  struct iovec iov;
  struct msghdr m = { 0 };
  struct cmsghdr *cm;
  ssize_t n;

  if (buf == NULL)
    die ("malloc");
  *fd = -1;
  iov.iov_base = buf;
  iov.iov_len = cap - 1;
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = u.b;
  m.msg_controllen = sizeof u.b;
  n = recvmsg (conn, &m, MSG_CMSG_CLOEXEC);
  if (n < 0)
    die ("recvmsg");
  for (cm = CMSG_FIRSTHDR (&m); cm; cm = CMSG_NXTHDR (&m, cm))
    if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS && *fd < 0)
      memcpy (fd, CMSG_DATA (cm), sizeof (int));
  len = (size_t) n;
  /* Read until the document is complete (or EOF): a runtime may keep the
     connection open a while after sending it. */
  while (n > 0 && len < cap - 1 && json_object_end (buf, len) == 0)
    {
      n = read (conn, buf + len, cap - 1 - len);
      if (n < 0 && errno != EINTR)
        die ("read");
      if (n > 0)
        len += (size_t) n;
    }
  buf[len] = '\0';
  if (*fd < 0)
    {
      errno = EBADMSG;
      die ("no fd received");
    }
  return buf;
}

static void
write_state (const char *path, const char *doc)
{
  char tmp[4096];
  FILE *f;

  snprintf (tmp, sizeof tmp, "%s.tmp", path);
  f = fopen (tmp, "we");
  if (f == NULL || fprintf (f, "%s\n", doc) < 0 || fclose (f) != 0)
    die (tmp);
  if (rename (tmp, path) < 0)
    die ("rename");
}

/* Answer one notification; returns 0, or -1 when the container is gone. */
static int
answer (int fd, enum mode mode, int err)
{
  struct seccomp_notif_sizes sz = { 0 };
  struct seccomp_notif *req;
  struct seccomp_notif_resp *resp;
  struct pollfd p = { .fd = fd, .events = POLLIN };
  int r;

  if (syscall (SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) < 0)
    die ("SECCOMP_GET_NOTIF_SIZES");
  req = calloc (1, sz.seccomp_notif > sizeof *req ? sz.seccomp_notif : sizeof *req);
  resp = calloc (1, sz.seccomp_notif_resp > sizeof *resp ? sz.seccomp_notif_resp : sizeof *resp);
  if (req == NULL || resp == NULL)
    die ("calloc");

  do
    r = poll (&p, 1, -1);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    die ("poll");
  if (!(p.revents & POLLIN))
    return -1; /* POLLHUP: no process uses the filter any more */
  if (ioctl (fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0)
    {
      if (errno == ENOENT || errno == EINTR)
        return 0;
      die ("SECCOMP_IOCTL_NOTIF_RECV");
    }
  resp->id = req->id;
  switch (mode)
    {
    case ANSWER_ERRNO:
      resp->error = -err;
      break;
    case ANSWER_SUCCESS:
      resp->val = 0;
      break;
    case ANSWER_CONTINUE:
      resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
      break;
    }
  printf ("pid %u syscall %d answered\n", req->pid, req->data.nr);
  fflush (stdout);
  /* ENOENT: the process was killed in the meantime; fine. */
  if (ioctl (fd, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && errno != ENOENT)
    die ("SECCOMP_IOCTL_NOTIF_SEND");
  free (req);
  free (resp);
  return 0;
}

int
main (int argc, char **argv)
{
  static const struct option opts[] = {
    { "errno", required_argument, NULL, 'e' },
    { "success", no_argument, NULL, 's' },
    { "continue", no_argument, NULL, 'c' },
    { "count", required_argument, NULL, 'n' },
    { "daemon", required_argument, NULL, 'd' },
    { NULL, 0, NULL, 0 },
  };
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  enum mode mode = ANSWER_ERRNO;
  const char *pidfile = NULL, *sock_path, *state_path;
  int err = EPERM, count = 1, lsock, conn, fd, c, i;
  char *doc;

  while ((c = getopt_long (argc, argv, "", opts, NULL)) != -1)
    switch (c)
      {
      case 'e':
        mode = ANSWER_ERRNO;
        err = atoi (optarg);
        break;
      case 's':
        mode = ANSWER_SUCCESS;
        break;
      case 'c':
        mode = ANSWER_CONTINUE;
        break;
      case 'n':
        count = atoi (optarg);
        break;
      case 'd':
        pidfile = optarg;
        break;
      default:
        fprintf (stderr, "usage: seccomp-listener [--errno N|--success|--continue] [--count N] "
                         "[--daemon PIDFILE] SOCKET STATEFILE\n");
        return 2;
      }
  /* A daemon must not keep the caller's fds (bats waits for its fd 3). */
  if (pidfile && syscall (SYS_close_range, 3U, ~0U, 0U) < 0)
    die ("close_range");
  if (argc - optind != 2)
    {
      fprintf (stderr, "seccomp-listener: need SOCKET and STATEFILE\n");
      return 2;
    }
  sock_path = argv[optind];
  state_path = argv[optind + 1];
  if (strlen (sock_path) >= sizeof addr.sun_path)
    {
      fprintf (stderr, "seccomp-listener: socket path too long\n");
      return 2;
    }
  strcpy (addr.sun_path, sock_path);
  unlink (sock_path);
  lsock = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (lsock < 0)
    die ("socket");
  if (bind (lsock, (struct sockaddr *) &addr, sizeof addr) < 0)
    die (sock_path);
  if (listen (lsock, 4) < 0)
    die ("listen");

  if (pidfile)
    {
      char log[4096];
      pid_t pid;
      FILE *f;
      int lfd;

      snprintf (log, sizeof log, "%s.log", state_path);
      lfd = open (log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (lfd < 0)
        die (log);
      pid = fork ();
      if (pid < 0)
        die ("fork");
      if (pid > 0)
        {
          f = fopen (pidfile, "we");
          if (f == NULL || fprintf (f, "%d\n", (int) pid) < 0 || fclose (f) != 0)
            die (pidfile);
          return 0;
        }
      setsid ();
      fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd < 0 || dup2 (fd, 0) < 0 || dup2 (lfd, 1) < 0 || dup2 (lfd, 2) < 0)
        die ("redirect");
    }

  do
    conn = accept4 (lsock, NULL, NULL, SOCK_CLOEXEC);
  while (conn < 0 && errno == EINTR);
  if (conn < 0)
    die ("accept");
  doc = receive (conn, &fd);
  close (conn);
  write_state (state_path, doc);
  free (doc);

  for (i = 0; i < count; i++)
    if (answer (fd, mode, err) < 0)
      break;
  close (fd);
  close (lsock);
  unlink (sock_path);
  return 0;
}
