/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Foreground terminal relay (hull run / exec with a terminal and no
 * --console-socket).
 *
 * One poll() loop over: our stdin (read only while no input is pending), the
 * master (POLLIN always, POLLOUT while input is pending; the master is
 * non-blocking so a container that does not read its input never stalls its
 * output), a signalfd, and the pidfd of the container process.
 *
 * The signalfd takes SIGWINCH (copy our window size to the pty), SIGPIPE
 * (stdout went away: keep draining the master, drop the output) and the
 * signals that `run` forwards without a terminal too (HUP, INT, QUIT, TERM,
 * USR1, USR2), which go to the container process with pidfd_send_signal.
 * So no signal ends hull while our terminal is in raw mode.  When hull is in
 * a background process group of its terminal, stdin is neither put in raw
 * mode nor read (that would stop hull with SIGTTOU/SIGTTIN).
 *
 *   stdin EOF or error    stop reading stdin; the master stays open (like runc)
 *   master EIO / HUP      every slave fd is closed: stop polling the master
 *   pidfd readable        the process exited: drain what is left in the master
 *                         (non-blocking reads until EAGAIN or EIO) and return
 *
 * The process is not reaped here: whoever owns the pidfd does that.
 */
#include <config.h>
#include "terminal.h"
#include "utils.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

/* Saved mode of the tty we put in raw mode. */
static struct termios saved_termios;
static volatile sig_atomic_t saved_termios_fd = -1;

/* Signals sent to hull during the relay go to the container process, as without a terminal. */
static const int forwarded_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2 };
#define N_FORWARDED (sizeof forwarded_signals / sizeof forwarded_signals[0])

void
hull_terminal_restore (void)
{
  int fd = saved_termios_fd;
  if (fd >= 0)
    {
      saved_termios_fd = -1;
      tcsetattr (fd, TCSANOW, &saved_termios);
    }
}

/* Raw input with output post-processing kept, so our own "\n" still returns the carriage. */
static int
make_raw (int fd, hull_error_t *err)
{
  struct termios t;

  if (tcgetattr (fd, &saved_termios) < 0)
    return hull_error_set (err, errno, "tcgetattr stdin");
  t = saved_termios;
  cfmakeraw (&t);
  t.c_oflag |= OPOST;
  saved_termios_fd = fd;
  if (tcsetattr (fd, TCSANOW, &t) < 0)
    {
      saved_termios_fd = -1;
      return hull_error_set (err, errno, "set stdin to raw mode");
    }
  return 0;
}

/* Data from the master goes to a stdout that may be non-blocking (shared with a shell). */
static void
write_out (int fd, const char *buf, size_t len, bool *broken)
{
  size_t done = 0;

  while (!*broken && done < len)
    {
      ssize_t w = write (fd, buf + done, len - done);
      if (w < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == EAGAIN)
            {
              struct pollfd p = { .fd = fd, .events = POLLOUT };
              if (poll (&p, 1, -1) < 0 && errno != EINTR)
                *broken = true;
              continue;
            }
          /* stdout gone: keep draining the master so the container never blocks. */
          *broken = true;
          return;
        }
      done += (size_t) w;
    }
}

/* Copy the window size of our terminal (stdin, else stdout) to the master. */
static void
copy_winsize (int master)
{
  struct winsize ws;

  if (ioctl (0, TIOCGWINSZ, &ws) == 0 || ioctl (1, TIOCGWINSZ, &ws) == 0)
    ioctl (master, TIOCSWINSZ, &ws);
}

/* The container's own "\n" must not become "\r\n" in the pty: our terminal adds the "\r". */
static void
clear_onlcr (int master)
{
  struct termios t;

  if (tcgetattr (master, &t) == 0)
    {
      t.c_oflag &= ~ONLCR;
      tcsetattr (master, TCSANOW, &t);
    }
}

/* Read what the master has now; returns false when it is closed for good (EIO/EOF). */
static bool
pump_master (int master, char *buf, size_t size, bool *out_broken, bool once)
{
  for (;;)
    {
      ssize_t r = read (master, buf, size);
      if (r > 0)
        {
          write_out (1, buf, (size_t) r, out_broken);
          if (once)
            return true;
          continue;
        }
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0 && errno == EAGAIN)
        return true;
      return false; /* 0 or EIO: no slave left */
    }
}

/* Read whatever signals are queued on sfd and act on them. */
static void
handle_signals (int sfd, int master, int child_pidfd)
{
  struct signalfd_siginfo si;

  while (read (sfd, &si, sizeof si) == (ssize_t) sizeof si)
    {
      int sig = (int) si.ssi_signo;
      if (sig == SIGWINCH)
        copy_winsize (master);
      else if (sig != SIGPIPE)
        syscall (SYS_pidfd_send_signal, child_pidfd, sig, NULL, 0);
    }
}

void
hull_terminal_relay_prepare (int master)
{
  clear_onlcr (master);
  copy_winsize (master);
}

int
hull_terminal_relay (int master, int child_pidfd, hull_error_t *err)
{
  sigset_t sigs, old_mask;
  cleanup_close int sfd = -1;
  char out_buf[16384];
  char in_buf[4096];
  size_t in_len = 0, in_off = 0;
  bool in_open = true, master_open = true, out_broken = false, exited = false;
  int master_flags;
  int ret = 0;
  size_t i;

  master_flags = fcntl (master, F_GETFL);
  if (master_flags < 0 || fcntl (master, F_SETFL, master_flags | O_NONBLOCK) < 0)
    return hull_error_set (err, errno, "terminal relay: set pty master non-blocking");
  hull_terminal_relay_prepare (master);

  /* Signals first: from here on none can end hull with the terminal left raw. */
  sigemptyset (&sigs);
  sigaddset (&sigs, SIGWINCH);
  sigaddset (&sigs, SIGPIPE);
  for (i = 0; i < N_FORWARDED; i++)
    sigaddset (&sigs, forwarded_signals[i]);
  sigprocmask (SIG_BLOCK, &sigs, &old_mask);
  sfd = signalfd (-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0)
    {
      ret = hull_error_set (err, errno, "terminal relay: signalfd");
      goto out;
    }
  copy_winsize (master); /* again: a resize before SIGWINCH was blocked went unseen */

  if (isatty (0))
    {
      pid_t fg = tcgetpgrp (0);
      if (fg >= 0 && fg != getpgrp ())
        in_open = false; /* background job: leave the terminal alone */
      else if (make_raw (0, err) < 0)
        {
          ret = hull_error_prefix (err, "terminal relay");
          goto out;
        }
    }

  while (!exited)
    {
      struct pollfd p[4];
      int n = 0, im = -1, ii = -1, ip, is, r;

      if (master_open)
        {
          im = n;
          p[n++] = (struct pollfd) { .fd = master, .events = POLLIN | (in_len ? POLLOUT : 0) };
        }
      else
        in_len = 0;  /* nobody will ever read it */
      if (in_open && in_len == 0)
        {
          ii = n;
          p[n++] = (struct pollfd) { .fd = 0, .events = POLLIN };
        }
      is = n;
      p[n++] = (struct pollfd) { .fd = sfd, .events = POLLIN };
      ip = n;
      p[n++] = (struct pollfd) { .fd = child_pidfd, .events = POLLIN };

      r = poll (p, (nfds_t) n, -1);
      if (r < 0)
        {
          if (errno == EINTR)
            continue;
          ret = hull_error_set (err, errno, "terminal relay: poll");
          break;
        }

      if (p[ip].revents)
        exited = true;

      if (p[is].revents & POLLIN)
        handle_signals (sfd, master, child_pidfd);

      if (im >= 0 && p[im].revents)
        {
          if (p[im].revents & (POLLIN | POLLHUP | POLLERR))
            master_open = pump_master (master, out_buf, sizeof out_buf, &out_broken, true);
          if (master_open && in_len && (p[im].revents & POLLOUT))
            {
              ssize_t w = write (master, in_buf + in_off, in_len);
              if (w > 0)
                {
                  in_off += (size_t) w;
                  in_len -= (size_t) w;
                }
              else if (w < 0 && errno != EAGAIN && errno != EINTR)
                in_len = 0;
            }
        }

      if (ii >= 0 && p[ii].revents)
        {
          ssize_t rd = read (0, in_buf, sizeof in_buf);
          if (rd > 0)
            {
              in_off = 0;
              in_len = (size_t) rd;
            }
          else if (rd == 0 || (errno != EINTR && errno != EAGAIN))
            in_open = false;
        }
    }

  if (exited && master_open)
    pump_master (master, out_buf, sizeof out_buf, &out_broken, false);

out:
  hull_terminal_restore ();
  if (sfd >= 0)
    {
      /* Forward what arrived meanwhile, drop a SIGPIPE of ours, then unblock. */
      handle_signals (sfd, master, child_pidfd);
      close (sfd);
      sfd = -1;
    }
  sigprocmask (SIG_SETMASK, &old_mask, NULL);
  fcntl (master, F_SETFL, master_flags);
  return ret;
}
