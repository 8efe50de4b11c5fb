/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of libcontainer/terminal*.c against the host's /dev/ptmx. */
#include <config.h>
#include "terminal.h"
#include "utils.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif

static char tmpdir[] = "/tmp/hull-test-terminal.XXXXXX";

static bool
cloexec (int fd)
{
  int f = fcntl (fd, F_GETFD);
  return f >= 0 && (f & FD_CLOEXEC);
}

/* Read from fd until `want` bytes arrived or 5 s without data (a hang, not a timing). */
static char *
read_some (int fd, size_t want)
{
  char *buf = xmalloc0 (want + 1);
  size_t got = 0;

  while (got < want)
    {
      struct pollfd p = { .fd = fd, .events = POLLIN };
      ssize_t r;
      if (poll (&p, 1, 5000) != 1)
        break;
      r = read (fd, buf + got, want - got);
      if (r <= 0)
        break;
      got += (size_t) r;
    }
  buf[got] = '\0';
  return buf;
}

static int
listen_unix (const char *path)
{
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  int s = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int dirfd = -1;
  char *base;

  if (strlen (path) < sizeof a.sun_path)
    strcpy (a.sun_path, path);
  else
    {
      /* bind a long path through its directory, the way the code under test connects. */
      char *dir = xstrdup (path);
      *strrchr (dir, '/') = '\0';
      base = strrchr (path, '/') + 1;
      dirfd = open (dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
      snprintf (a.sun_path, sizeof a.sun_path, "/proc/self/fd/%d/%s", dirfd, base);
      free (dir);
    }
  if (s < 0 || bind (s, (struct sockaddr *) &a, sizeof a) < 0 || listen (s, 4) < 0)
    {
      diag ("listen on %s: %s", path, strerror (errno));
      close_quietly (s);
      s = -1;
    }
  close_quietly (dirfd);
  return s;
}

/* Accept one connection and receive one fd plus the payload. */
static int
recv_master (int lsock, char *payload, size_t size, int *nfds)
{
  union
  {
    char buf[CMSG_SPACE (2 * sizeof (int))];
    struct cmsghdr align;
  } control;
  struct iovec iov = { .iov_base = payload, .iov_len = size - 1 };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
  struct cmsghdr *c;
  int conn, fd = -1;
  ssize_t r;

  *nfds = 0;
  conn = accept4 (lsock, NULL, NULL, SOCK_CLOEXEC);
  if (conn < 0)
    return -1;
  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof control.buf;
  r = recvmsg (conn, &msg, MSG_CMSG_CLOEXEC);
  close (conn);
  if (r < 0)
    return -1;
  payload[r] = '\0';
  for (c = CMSG_FIRSTHDR (&msg); c; c = CMSG_NXTHDR (&msg, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
      {
        *nfds = (int) ((c->cmsg_len - CMSG_LEN (0)) / sizeof (int));
        memcpy (&fd, CMSG_DATA (c), sizeof fd);
      }
  return fd;
}

static void
test_open (void)
{
  struct hull_console_size size = { .set = true, .height = 24, .width = 80 };
  hull_error_t err = NULL;
  int m = -1, s = -1;
  struct winsize ws = { 0 };
  cleanup_free char *got = NULL;

  ok (hull_terminal_open (&size, &m, &s, &err) == 0, "open a pty pair");
  if (err)
    diag ("%s", err->msg);
  hull_error_free (&err);
  if (m < 0)
    return;
  ok (isatty (s) && isatty (m), "both ends are terminals");
  ok (cloexec (m) && cloexec (s), "both fds are close-on-exec");
  ok (ioctl (s, TIOCGWINSZ, &ws) == 0 && ws.ws_row == 24 && ws.ws_col == 80,
      "consoleSize applied (slave sees 24x80, got %ux%u)", ws.ws_row, ws.ws_col);
  ok (write (s, "ping", 4) == 4, "write to the slave");
  got = read_some (m, 4);
  is_str (got, "ping", "read it from the master");
  close (m);
  close (s);

  ok (hull_terminal_open (NULL, &m, &s, &err) == 0, "open without a size");
  ws.ws_row = 1;
  ok (ioctl (s, TIOCGWINSZ, &ws) == 0 && ws.ws_row == 0, "no size set: 0 rows");
  hull_error_free (&err);
  if (geteuid () == 0)
    {
      struct stat before, after;
      bool owned = fstat (s, &before) == 0 && hull_terminal_own (s, 4321, &err) == 0
                   && fstat (s, &after) == 0;
      ok (owned && after.st_uid == 4321 && after.st_gid == before.st_gid,
          "terminal_own gives the slave to the uid and keeps its group");
      hull_error_free (&err);
    }
  else
    ok (1, "terminal_own # SKIP needs root");
  close_quietly (m);
  close_quietly (s);

  size.height = 70000;
  ok (hull_terminal_open (&size, &m, &s, &err) < 0, "a height over 65535 fails");
  is_str (err ? err->msg : NULL, "process.consoleSize: console size 70000x80: larger than 65535",
          "size error names the field");
  hull_error_free (&err);
}

static void
test_socket_send (void)
{
  cleanup_free char *path = xasprintf ("%s/console.sock", tmpdir);
  hull_error_t err = NULL;
  char payload[4200];
  int lsock, m = -1, s = -1, got, nfds = 0;
  cleanup_free char *echo = NULL;

  lsock = listen_unix (path);
  ok (lsock >= 0, "listening console socket");
  if (lsock < 0)
    return;
  ok (hull_console_socket_check (path, &err) == 0, "check accepts a unix socket");
  hull_error_free (&err);
  if (hull_terminal_open (NULL, &m, &s, &err) < 0)
    {
      ok (0, "open pty: %s", err->msg);
      hull_error_free (&err);
      close (lsock);
      return;
    }
  ok (hull_console_socket_send (path, m, &err) == 0, "send the master");
  if (err)
    diag ("%s", err->msg);
  hull_error_free (&err);
  close (m);

  got = recv_master (lsock, payload, sizeof payload, &nfds);
  ok (got >= 0 && nfds == 1, "exactly one fd received");
  is_str (payload, "/dev/ptmx", "payload is the master's name, as runc sends it");
  ok (got >= 0 && write (s, "over the socket", 15) == 15, "write to the slave");
  echo = read_some (got, 15);
  is_str (echo, "over the socket", "the received fd is the working master");
  close_quietly (got);
  close (s);
  close (lsock);
  unlink (path);
}

static void
test_socket_long_path (void)
{
  cleanup_free char *dir = xasprintf ("%s/%0120d", tmpdir, 7);
  cleanup_free char *path = NULL;
  hull_error_t err = NULL;
  char payload[64];
  int lsock, m = -1, s = -1, got, nfds;

  mkdir (dir, 0700);
  path = xasprintf ("%s/c.sock", dir);
  lsock = listen_unix (path);
  if (lsock < 0 || hull_terminal_open (NULL, &m, &s, &err) < 0)
    {
      ok (0, "set up long path socket");
      hull_error_free (&err);
      close_quietly (lsock);
      return;
    }
  ok (strlen (path) > sizeof ((struct sockaddr_un *) 0)->sun_path, "path longer than sun_path");
  ok (hull_console_socket_send (path, m, &err) == 0, "send over a socket with a long path");
  if (err)
    diag ("%s", err->msg);
  hull_error_free (&err);
  got = recv_master (lsock, payload, sizeof payload, &nfds);
  ok (got >= 0 && nfds == 1, "received through the long path");
  close_quietly (got);
  close (m);
  close (s);
  close (lsock);
  unlink (path);
  rmdir (dir);
}

static void
test_socket_errors (void)
{
  cleanup_free char *missing = xasprintf ("%s/y.sock", tmpdir);
  cleanup_free char *file = xasprintf ("%s/regular", tmpdir);
  cleanup_free char *want = NULL;
  hull_error_t err = NULL;
  int fd;

  ok (hull_console_socket_send (missing, 0, &err) < 0, "send to a missing socket fails");
  want = xasprintf ("--console-socket \"%s\": connect: no such file or directory", missing);
  is_str (err ? err->msg : NULL, want, "missing socket message");
  hull_error_free (&err);

  free (want);
  ok (hull_console_socket_check (missing, &err) < 0, "check: missing socket fails");
  want = xasprintf ("--console-socket \"%s\": stat: no such file or directory", missing);
  is_str (err ? err->msg : NULL, want, "check: missing socket message");
  hull_error_free (&err);

  fd = open (file, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  close_quietly (fd);
  free (want);
  ok (hull_console_socket_check (file, &err) < 0, "check: regular file fails");
  want = xasprintf ("--console-socket \"%s\": not a unix socket", file);
  is_str (err ? err->msg : NULL, want, "check: not a socket message");
  hull_error_free (&err);
  free (want);
  want = NULL;

  ok (hull_console_socket_send (file, 0, &err) < 0 && err && strstr (err->msg, "connect: "),
      "send to a regular file fails at connect");
  hull_error_free (&err);
}

static void
test_check_options (void)
{
  cleanup_free char *path = xasprintf ("%s/opt.sock", tmpdir);
  hull_error_t err = NULL;
  int lsock = listen_unix (path);

  ok (hull_terminal_check_options (false, true, NULL, &err) == 0, "no terminal, detached: fine");
  ok (hull_terminal_check_options (true, false, NULL, &err) == 0, "terminal in foreground: fine");
  ok (hull_terminal_check_options (true, true, path, &err) == 0, "terminal + socket detached: fine");
  hull_error_free (&err);
  ok (hull_terminal_check_options (true, true, NULL, &err) < 0 && err
          && strstr (err->msg, "--console-socket"),
      "detached terminal without socket fails, naming --console-socket");
  hull_error_free (&err);
  ok (hull_terminal_check_options (false, true, path, &err) < 0 && err
          && strstr (err->msg, "process.terminal is false"),
      "socket without terminal fails");
  hull_error_free (&err);
  ok (hull_terminal_check_options (true, false, path, &err) < 0 && err
          && strstr (err->msg, "detached"),
      "socket in foreground fails");
  hull_error_free (&err);
  close_quietly (lsock);
  unlink (path);
}

/* In a child: become the session leader with the pty as controlling terminal and stdio. */
static void
test_become_controlling (void)
{
  pid_t pid;
  int status = -1;

  fflush (stdout);
  pid = fork ();
  if (pid == 0)
    {
      hull_error_t err = NULL;
      int m, s, bad = 0;
      char *name;

      if (hull_terminal_open (NULL, &m, &s, &err) < 0)
        _exit (100);
      name = xstrdup (ptsname (m));
      if (hull_terminal_become_controlling (s, &err) < 0)
        _exit (101);
      if (getsid (0) != getpid ())
        bad |= 1;
      if (tcgetpgrp (0) != getpgrp ())
        bad |= 2;
      if (!isatty (0) || !isatty (1) || !isatty (2))
        bad |= 4;
      if (ttyname (0) == NULL || strcmp (ttyname (0), name) != 0)
        bad |= 8;
      if (cloexec (0) || cloexec (1) || cloexec (2))
        bad |= 16;
      /* Calling it again as the session leader is tolerated. */
      if (hull_terminal_become_controlling (s, &err) < 0)
        bad |= 32;
      _exit (bad);
    }
  waitpid (pid, &status, 0);
  ok (WIFEXITED (status) && WEXITSTATUS (status) == 0,
      "child: session leader, pty is controlling terminal and stdio (status %d)",
      WIFEXITED (status) ? WEXITSTATUS (status) : -1);
}

/* Fork a "container": the pty slave is its terminal; it waits for a line on stdin, then
 * writes `text` and exits 3.  With a grandchild, one more process keeps the slave open. */
static pid_t
spawn_container (int m, int s, const char *text, bool grandchild, int hold_fd, int hold_w)
{
  struct termios t;
  pid_t pid;

  /* No echo, so the output is only what the container writes. */
  tcgetattr (s, &t);
  t.c_lflag &= ~(tcflag_t) ECHO;
  tcsetattr (s, TCSANOW, &t);
  fflush (stdout);
  pid = fork ();
  if (pid == 0)
    {
      hull_error_t err = NULL;
      char line[64];
      close (m);
      close_quietly (hold_w);
      if (hull_terminal_become_controlling (s, &err) < 0)
        _exit (100);
      close (s);
      if (read (0, line, sizeof line) <= 0)
        _exit (101);
      if (grandchild && fork () == 0)
        {
          char c;
          /* Keeps fds 0-2 (the slave) until hold_fd reaches EOF. */
          (void) !read (hold_fd, &c, 1);
          _exit (0);
        }
      (void) !write (1, text, strlen (text));
      _exit (3);
    }
  return pid;
}

struct saved_stdio
{
  int in, out;
};

static struct saved_stdio
redirect_stdio (int in, const char *out_path)
{
  struct saved_stdio sv;
  int o = open (out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  fflush (stdout);
  sv.in = dup (0);
  sv.out = dup (1);
  dup2 (in, 0);
  dup2 (o, 1);
  close (o);
  return sv;
}

static void
restore_stdio (struct saved_stdio sv)
{
  dup2 (sv.in, 0);
  dup2 (sv.out, 1);
  close (sv.in);
  close (sv.out);
}

static char *
slurp (const char *path)
{
  char *s = NULL;
  hull_error_t err = NULL;
  if (read_file_at (AT_FDCWD, path, &s, NULL, &err) < 0)
    hull_error_free (&err);
  return s;
}

static void
test_relay_pipe (void)
{
  cleanup_free char *out = xasprintf ("%s/relay.out", tmpdir);
  cleanup_free char *got = NULL;
  hull_error_t err = NULL;
  int m, s, in[2], pidfd, status = -1, r;
  struct saved_stdio sv;
  pid_t pid;

  if (hull_terminal_open (NULL, &m, &s, &err) < 0 || pipe2 (in, O_CLOEXEC) < 0)
    {
      ok (0, "relay setup");
      hull_error_free (&err);
      return;
    }
  pid = spawn_container (m, s, "hello\nworld\n", false, -1, -1);
  close (s);
  pidfd = (int) syscall (__NR_pidfd_open, pid, 0);
  (void) !write (in[1], "go\n", 3);
  close (in[1]);

  sv = redirect_stdio (in[0], out);
  r = hull_terminal_relay (m, pidfd, &err);
  restore_stdio (sv);
  close (in[0]);

  ok (r == 0, "relay returns 0");
  if (err)
    diag ("%s", err->msg);
  hull_error_free (&err);
  got = slurp (out);
  is_str (got, "hello\nworld\n", "container output relayed to stdout, ONLCR cleared");
  ok (waitpid (pid, &status, WNOHANG) == pid && WIFEXITED (status) && WEXITSTATUS (status) == 3,
      "relay did not reap the container process (exit 3 still there)");
  close (pidfd);
  close (m);
}

static void
test_relay_slave_held (void)
{
  cleanup_free char *out = xasprintf ("%s/relay2.out", tmpdir);
  cleanup_free char *got = NULL;
  hull_error_t err = NULL;
  int m, s, in[2], hold[2], pidfd, status = -1, r;
  struct saved_stdio sv;
  pid_t pid;

  if (hull_terminal_open (NULL, &m, &s, &err) < 0 || pipe2 (in, O_CLOEXEC) < 0
      || pipe (hold) < 0)
    {
      ok (0, "relay setup");
      hull_error_free (&err);
      return;
    }
  pid = spawn_container (m, s, "bye\n", true, hold[0], hold[1]);
  close (s);
  close (hold[0]);
  pidfd = (int) syscall (__NR_pidfd_open, pid, 0);
  (void) !write (in[1], "go\n", 3);

  sv = redirect_stdio (in[0], out);
  r = hull_terminal_relay (m, pidfd, &err);
  restore_stdio (sv);

  ok (r == 0, "relay returns once the process exited, though a grandchild holds the slave");
  hull_error_free (&err);
  got = slurp (out);
  is_str (got, "bye\n", "output before the exit is drained");
  waitpid (pid, &status, 0);
  close (hold[1]); /* lets the grandchild go */
  close (in[0]);
  close (in[1]);
  close (pidfd);
  close (m);
}

static void
test_relay_tty_stdin (void)
{
  cleanup_free char *out = xasprintf ("%s/relay3.out", tmpdir);
  cleanup_free char *got = NULL;
  hull_error_t err = NULL;
  struct winsize ws = { .ws_row = 33, .ws_col = 99 }, cws = { 0 };
  struct termios before, after;
  int tm, ts, m, s, pidfd, r, status;
  struct saved_stdio sv;
  pid_t pid;

  /* A second pty plays the user's terminal: ts is our stdin. */
  if (hull_terminal_open (NULL, &tm, &ts, &err) < 0 || hull_terminal_open (NULL, &m, &s, &err) < 0)
    {
      ok (0, "relay setup");
      hull_error_free (&err);
      return;
    }
  ioctl (ts, TIOCSWINSZ, &ws);
  tcgetattr (ts, &before);
  pid = spawn_container (m, s, "tty ok\n", false, -1, -1);
  close (s);
  pidfd = (int) syscall (__NR_pidfd_open, pid, 0);
  (void) !write (tm, "go\n", 3);  /* typed by the user */

  sv = redirect_stdio (ts, out);
  r = hull_terminal_relay (m, pidfd, &err);
  restore_stdio (sv);

  ok (r == 0, "relay with a tty on stdin");
  if (err)
    diag ("%s", err->msg);
  hull_error_free (&err);
  got = slurp (out);
  is_str (got, "tty ok\n", "output relayed");
  ok (ioctl (m, TIOCGWINSZ, &cws) == 0 && cws.ws_row == 33 && cws.ws_col == 99,
      "window size of our terminal copied to the pty (%ux%u)", cws.ws_row, cws.ws_col);
  ok (tcgetattr (ts, &after) == 0 && after.c_lflag == before.c_lflag
          && after.c_iflag == before.c_iflag && after.c_oflag == before.c_oflag,
      "our terminal mode is restored after the relay");
  waitpid (pid, &status, 0);
  close (pidfd);
  close (m);
  close (tm);
  close (ts);
}

static volatile sig_atomic_t got_usr1;

static void
on_usr1 (int sig)
{
  got_usr1 = 1;
}

/* Signals to hull during the relay reach the container process. */
static void
test_relay_forwards_signals (void)
{
  cleanup_free char *out = xasprintf ("%s/relay4.out", tmpdir);
  cleanup_free char *got = NULL;
  hull_error_t err = NULL;
  int m, s, in[2], pidfd, status = -1, r;
  struct saved_stdio sv;
  struct sigaction before, after;
  sigset_t pending;
  pid_t pid;

  if (hull_terminal_open (NULL, &m, &s, &err) < 0 || pipe2 (in, O_CLOEXEC) < 0)
    {
      ok (0, "relay setup");
      hull_error_free (&err);
      return;
    }
  sigaction (SIGUSR1, NULL, &before);
  {
    struct termios t;
    tcgetattr (s, &t);
    t.c_lflag &= ~(tcflag_t) ECHO;
    tcsetattr (s, TCSANOW, &t);
  }
  fflush (stdout);
  pid = fork ();
  if (pid == 0)
    {
      struct sigaction sa = { .sa_handler = on_usr1 };
      sigset_t block, empty;
      char line[16];
      close (m);
      sigemptyset (&block);
      sigaddset (&block, SIGUSR1);
      sigprocmask (SIG_BLOCK, &block, NULL);
      sigaction (SIGUSR1, &sa, NULL);
      if (hull_terminal_become_controlling (s, &err) < 0 || read (0, line, sizeof line) <= 0)
        _exit (100);
      /* The relay is running (it passed "go" on): signal hull, wait for it to come back. */
      kill (getppid (), SIGUSR1);
      sigemptyset (&empty);
      while (!got_usr1)
        sigsuspend (&empty);
      (void) !write (1, "got usr1\n", 9);
      _exit (5);
    }
  close (s);
  pidfd = (int) syscall (__NR_pidfd_open, pid, 0);
  (void) !write (in[1], "go\n", 3);

  sv = redirect_stdio (in[0], out);
  r = hull_terminal_relay (m, pidfd, &err);
  restore_stdio (sv);

  ok (r == 0, "relay returns after forwarding a signal");
  hull_error_free (&err);
  got = slurp (out);
  is_str (got, "got usr1\n", "SIGUSR1 sent to us reached the container process");
  waitpid (pid, &status, 0);
  ok (WIFEXITED (status) && WEXITSTATUS (status) == 5, "container process exited 5");
  sigaction (SIGUSR1, NULL, &after);
  sigpending (&pending);
  ok (after.sa_handler == before.sa_handler && !sigismember (&pending, SIGUSR1),
      "our SIGUSR1 disposition is unchanged and nothing is left pending");
  close (in[0]);
  close (in[1]);
  close (pidfd);
  close (m);
}

int
main (void)
{
  cleanup_free char *rm = NULL;

  signal (SIGPIPE, SIG_IGN);
  if (mkdtemp (tmpdir) == NULL)
    {
      printf ("Bail out! mkdtemp: %s\n", strerror (errno));
      return 1;
    }
  if (access ("/dev/ptmx", R_OK | W_OK) < 0)
    {
      printf ("1..0 # SKIP no usable /dev/ptmx\n");
      return 0;
    }
  test_open ();
  test_socket_send ();
  test_socket_long_path ();
  test_socket_errors ();
  test_check_options ();
  test_become_controlling ();
  test_relay_pipe ();
  test_relay_slave_held ();
  test_relay_tty_stdin ();
  test_relay_forwards_signals ();

  rm = xasprintf ("rm -rf '%s'", tmpdir);
  if (system (rm) != 0)
    diag ("could not remove %s", tmpdir);
  return tap_done ();
}
