/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * run, start, kill and delete.
 */
#include <config.h>
#include "container.h"
#include "cgroup.h"
#include "create_internal.h"
#include "hooks.h"
#include "init.h"
#include "log.h"
#include "state.h"
#include "sync.h"
#include "terminal.h"
#include "utils.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

int
hull_parse_signal (const char *s, hull_error_t *err)
{
  const char *name = s;
  int sig;
  int64_t n;

  if (s == NULL || *s == '\0')
    return hull_error_set (err, 0, "signal must not be empty");
  if (parse_i64 (s, &n) == 0)
    {
      if (n < 0 || n > SIGRTMAX)
        return hull_error_set (err, 0, "invalid signal \"%s\": out of range 0..%d", s, SIGRTMAX);
      return (int) n;
    }
  if (strncasecmp (name, "SIG", 3) == 0)
    name += 3;
  for (sig = 1; sig < SIGRTMIN; sig++)
    {
      const char *abbrev = sigabbrev_np (sig);
      if (abbrev && strcasecmp (abbrev, name) == 0)
        return sig;
    }
  if (strncasecmp (name, "RTMIN", 5) == 0 || strncasecmp (name, "RTMAX", 5) == 0)
    {
      bool max = toupper ((unsigned char) name[3]) == 'A';
      int base = max ? SIGRTMAX : SIGRTMIN;
      if (name[5] == '\0')
        return base;
      if ((name[5] == '+' || name[5] == '-') && parse_i64 (name + 6, &n) == 0)
        {
          int v = name[5] == '+' ? base + (int) n : base - (int) n;
          if (v >= SIGRTMIN && v <= SIGRTMAX)
            return v;
        }
    }
  if (strcasecmp (name, "CLD") == 0)
    return SIGCHLD;
  if (strcasecmp (name, "POLL") == 0)
    return SIGIO;
  return hull_error_set (err, 0, "invalid signal \"%s\"", s);
}

int
hull_prepare_fds (int preserve_fds, hull_error_t *err)
{
  int fd;
  if (mark_fds_cloexec (3 + preserve_fds, err) < 0)
    return -1;
  for (fd = 3; fd < 3 + preserve_fds; fd++)
    {
      int fl = fcntl (fd, F_GETFD);
      if (fl < 0)
        return hull_error_set (err, errno, "--preserve-fds: fd %d", fd);
      if ((fl & FD_CLOEXEC) && fcntl (fd, F_SETFD, fl & ~FD_CLOEXEC) < 0)
        return hull_error_set (err, errno, "--preserve-fds: fd %d", fd);
    }
  return 0;
}

void
hull_listen_fds (struct hull_init *in)
{
  const char *s = getenv ("LISTEN_FDS"), *p = getenv ("LISTEN_PID");
  int64_t n, pid;
  /* Socket activation is meant for us only when LISTEN_PID names us. */
  if (s == NULL || p == NULL || parse_i64 (p, &pid) < 0 || pid != (int64_t) getpid ())
    return;
  if (parse_i64 (s, &n) < 0 || n <= 0 || n > 1024)
    return;
  in->listen_fds_env = true;
  in->listen_fds = (int) n;
  if (in->preserve_fds < (int) n)
    in->preserve_fds = (int) n;
}

int
hull_wait_exit_status (pid_t pid)
{
  int st;
  while (waitpid (pid, &st, 0) < 0)
    if (errno != EINTR)
      return 255;
  if (WIFEXITED (st))
    return WEXITSTATUS (st);
  if (WIFSIGNALED (st))
    return 128 + WTERMSIG (st);
  return 255;
}

static void
run_hooks_warn (const struct hull_config *cfg, enum hull_hook_kind k, const char *state_json)
{
  /* poststart/poststop: a failure is a warning and the others still run (runtime-spec). */
  if (cfg == NULL || cfg->hooks[k].len == 0)
    return;
  hull_hooks_run_warn (&cfg->hooks[k], hull_hook_kind_name (k), state_json);
}

/* Kill the init, wait for it, remove cgroup and state, run poststop hooks. */
static int
destroy (struct hull_state *st, struct hull_config *cfg, hull_error_t *err)
{
  struct hull_cgroup *cg = NULL;
  int r = 0;

  if (st->pid > 0 && hull_state_status (st) != HULL_STATUS_STOPPED)
    {
      int pidfd = (int) syscall (SYS_pidfd_open, st->pid, 0);
      if (pidfd >= 0)
        {
          struct pollfd p = { pidfd, POLLIN, 0 };
          if (hull_pid_start_time (st->pid) == st->start_time)
            syscall (SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
          while (poll (&p, 1, 10000) < 0 && errno == EINTR)
            ;
          close (pidfd);
        }
    }
  if (st->cgroup && *st->cgroup)
    {
      cg = hull_cgroup_deserialize (st->cgroup, err);
      if (cg == NULL)
        return -1;
      if (hull_cgroup_freeze (cg, false, err) < 0)
        hull_error_free (err);
      r = hull_cgroup_destroy (cg, err);
      hull_cgroup_free (cg);
      if (r < 0)
        return -1;
    }
  if (cfg && cfg->hooks[HULL_HOOK_POSTSTOP].len)
    {
      cleanup_free char *sj = hull_state_json (st, false);
      run_hooks_warn (cfg, HULL_HOOK_POSTSTOP, sj);
    }
  return hull_state_remove (st, err);
}

int
hull_container_delete (const char *root, const char *id, bool force, hull_error_t *err)
{
  struct hull_state *st = hull_state_load (root, id, err);
  struct hull_config *cfg;
  enum hull_status status;
  int r;

  if (st == NULL)
    {
      /* containerd deletes containers that are already gone with --force. */
      if (force && (*err)->errnum == 0 && strstr ((*err)->msg, "does not exist"))
        {
          hull_error_free (err);
          return 0;
        }
      return -1;
    }
  status = hull_state_status (st);
  if (!force && (status == HULL_STATUS_RUNNING || status == HULL_STATUS_PAUSED))
    {
      hull_error_set (err, 0, "cannot delete container \"%s\" that is not stopped: %s (use --force)",
                      id, hull_status_name (status));
      hull_state_free (st);
      return -1;
    }
  cfg = hull_state_config (st, err);
  if (cfg == NULL)
    hull_error_free (err); /* interrupted create: nothing to run, clean up anyway */
  r = destroy (st, cfg, err);
  hull_config_free (cfg);
  hull_state_free (st);
  return r;
}

int
hull_container_kill (const char *root, const char *id, int sig, bool all, hull_error_t *err)
{
  struct hull_state *st = hull_state_load (root, id, err);
  enum hull_status status;
  int r = 0;

  if (st == NULL)
    return -1;
  status = hull_state_status (st);
  if (all && status == HULL_STATUS_STOPPED)
    {
      /* Nothing left to signal but what may still linger in the cgroup. */
      status = HULL_STATUS_RUNNING;
    }
  if (status == HULL_STATUS_STOPPED || status == HULL_STATUS_CREATING)
    {
      hull_error_set (err, 0, "cannot kill container \"%s\": container not running", id);
      hull_state_free (st);
      return -1;
    }
  if (all && st->cgroup && *st->cgroup)
    {
      struct hull_cgroup *cg = hull_cgroup_deserialize (st->cgroup, err);
      r = cg ? hull_cgroup_kill_all (cg, sig, err) : -1;
      hull_cgroup_free (cg);
    }
  else
    {
      int pidfd = (int) syscall (SYS_pidfd_open, st->pid, 0);
      if (pidfd < 0)
        r = hull_error_set (err, errno, "cannot kill container \"%s\": container not running", id);
      else
        {
          if (hull_pid_start_time (st->pid) != st->start_time)
            r = hull_error_set (err, 0, "cannot kill container \"%s\": container not running", id);
          else if (syscall (SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0)
            r = hull_error_set (err, errno, "kill container \"%s\" with signal %d", id, sig);
          close (pidfd);
        }
    }
  hull_state_free (st);
  return r;
}

/* Connect to <state>/exec.sock; the init execs the workload and closes it. */
static int
release_init (struct hull_state *st, hull_error_t *err)
{
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  cleanup_close int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  cleanup_free char *reply = NULL;
  size_t len = 0;

  if (fd < 0)
    return hull_error_set (err, errno, "socket");
  snprintf (sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d/exec.sock", st->dirfd);
  if (connect (fd, (struct sockaddr *) &sa, sizeof sa) < 0)
    return hull_error_set (err, errno, "cannot start container \"%s\": the container process is gone",
                           st->id);
  unlinkat (st->dirfd, "exec.sock", 0);
  if (read_all_fd (fd, "exec.sock", &reply, &len, err) < 0)
    return -1;
  if (len)
    return hull_error_set (err, 0, "%s", reply);
  return 0;
}

int
hull_container_start (const char *root, const char *id, hull_error_t *err)
{
  struct hull_state *st = hull_state_load (root, id, err);
  struct hull_config *cfg = NULL;
  enum hull_status status;
  int r;

  if (st == NULL)
    return -1;
  status = hull_state_status (st);
  if (status != HULL_STATUS_CREATED)
    {
      hull_error_set (err, 0, "cannot start container \"%s\": it is %s, not created", id,
                      hull_status_name (status));
      hull_state_free (st);
      return -1;
    }
  r = release_init (st, err);
  if (r == 0)
    {
      cfg = hull_state_config (st, err);
      if (cfg && cfg->hooks[HULL_HOOK_POSTSTART].len)
        {
          cleanup_free char *sj = hull_state_json (st, false);
          run_hooks_warn (cfg, HULL_HOOK_POSTSTART, sj);
        }
      if (cfg == NULL)
        hull_error_free (err);
      hull_config_free (cfg);
    }
  hull_state_free (st);
  return r;
}

int
hull_wait_forwarding (pid_t pid, int pidfd)
{
  sigset_t set, old;
  int sfd;
  struct pollfd p[2];

  sigemptyset (&set);
  sigaddset (&set, SIGINT);
  sigaddset (&set, SIGTERM);
  sigaddset (&set, SIGHUP);
  sigaddset (&set, SIGQUIT);
  sigaddset (&set, SIGUSR1);
  sigaddset (&set, SIGUSR2);
  sigaddset (&set, SIGWINCH);
  sigprocmask (SIG_BLOCK, &set, &old);
  sfd = signalfd (-1, &set, SFD_CLOEXEC);
  if (sfd < 0 || pidfd < 0)
    {
      close_quietly (sfd);
      sigprocmask (SIG_SETMASK, &old, NULL);
      return hull_wait_exit_status (pid);
    }
  p[0] = (struct pollfd) { pidfd, POLLIN, 0 };
  p[1] = (struct pollfd) { sfd, POLLIN, 0 };
  for (;;)
    {
      if (poll (p, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          break;
        }
      if (p[0].revents)
        break;
      if (p[1].revents & POLLIN)
        {
          struct signalfd_siginfo si;
          if (read (sfd, &si, sizeof si) == sizeof si)
            syscall (SYS_pidfd_send_signal, pidfd, (int) si.ssi_signo, NULL, 0);
        }
    }
  close (sfd);
  sigprocmask (SIG_SETMASK, &old, NULL);
  return hull_wait_exit_status (pid);
}

int
hull_container_run (const struct hull_create_opts *o, int *exit_status, hull_error_t *err)
{
  struct hull_created c;
  struct hull_sync_msg *m;
  hull_error_t e2 = NULL;
  int r;

  if (hull_create_container (o, true, &c, err) < 0)
    return -1;
  /* Let `state`, `kill` and friends work on it while we wait. */
  flock (c.state->dirfd, LOCK_UN);
  c.state->locked = false;

  m = xmalloc (sizeof *m);
  r = hull_sync_send (c.sync_fd, SYNC_START, 0, NULL, -1, err);
  if (r == 0)
    r = hull_sync_recv (c.sync_fd, m, NULL, err);
  if (r == 0 && m->type == SYNC_ERROR)
    {
      hull_error_set (err, 0, "%s", m->data);
      (*err)->errnum = m->value;
      r = -1;
    }
  free (m);
  close (c.sync_fd);
  c.sync_fd = -1;
  if (r < 0)
    {
      flock (c.state->dirfd, LOCK_EX);
      hull_wait_exit_status (c.pid);
      if (destroy (c.state, NULL, &e2) < 0)
        {
          hull_warn ("cleanup: %s", e2->msg);
          hull_error_free (&e2);
        }
      hull_created_free (&c);
      return -1;
    }
  if (c.cfg->hooks[HULL_HOOK_POSTSTART].len)
    {
      cleanup_free char *sj = hull_state_json (c.state, false);
      run_hooks_warn (c.cfg, HULL_HOOK_POSTSTART, sj);
    }
  if (o->detach)
    {
      c.child = 0;
      hull_created_free (&c);
      *exit_status = 0;
      return 0;
    }
  if (c.pty_master >= 0)
    {
      if (hull_terminal_relay (c.pty_master, c.pidfd, &e2) < 0)
        {
          hull_warn ("terminal: %s", e2->msg);
          hull_error_free (&e2);
        }
      *exit_status = hull_wait_exit_status (c.pid);
    }
  else
    *exit_status = hull_wait_forwarding (c.pid, c.pidfd);

  flock (c.state->dirfd, LOCK_EX);
  if (o->keep)
    {
      /* Leave a stopped container; `delete` removes the cgroup and state. */
      hull_created_free (&c);
      return 0;
    }
  r = destroy (c.state, c.cfg, err);
  hull_created_free (&c);
  return r;
}
