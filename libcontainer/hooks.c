/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Running one OCI hook:
 *
 *   1. build argv and envp before fork (the child only calls async-signal-safe
 *      functions);
 *   2. fork; the child joins a new process group, resets signal mask and
 *      dispositions, puts the read end of the state pipe on fd 0 and execs;
 *      an exec failure travels back as an errno on a close-on-exec pipe
 *      (EOF on that pipe = exec succeeded);
 *   3. the parent takes a pidfd of the child and polls it together with the
 *      non-blocking write end of the state pipe until the state is written
 *      and the hook has exited, or until the timeout: then the hook's process
 *      group is killed with SIGKILL and reaped.
 *
 * SIGPIPE is blocked while writing the state (a hook need not read it) and a
 * SIGPIPE raised by us is discarded before the old mask is restored.
 */
#include <config.h>
#include "hooks.h"
#include "log.h"
#include "utils.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif

static const char *const kind_names[HULL_HOOK_KINDS] = {
  [HULL_HOOK_PRESTART] = "prestart",
  [HULL_HOOK_CREATE_RUNTIME] = "createRuntime",
  [HULL_HOOK_CREATE_CONTAINER] = "createContainer",
  [HULL_HOOK_START_CONTAINER] = "startContainer",
  [HULL_HOOK_POSTSTART] = "poststart",
  [HULL_HOOK_POSTSTOP] = "poststop",
};

const char *
hull_hook_kind_name (enum hull_hook_kind k)
{
  if ((int) k < 0 || k >= HULL_HOOK_KINDS)
    return NULL;
  return kind_names[k];
}

/* Replace the value after the first `key` (a top-level key: hull_state_json writes "pid" and
 * "status" before any annotation, and ids cannot contain quotes).  A string value when quoted. */
static char *
replace_value (const char *json, const char *key, const char *value, bool quoted)
{
  const char *k = strstr (json, key), *v, *end;

  if (k == NULL)
    return NULL;
  v = k + strlen (key);
  if (quoted)
    {
      if (*v != '"' || (end = strchr (v + 1, '"')) == NULL)
        return NULL;
      end++;
    }
  else
    for (end = v; *end == '-' || (*end >= '0' && *end <= '9'); end++)
      ;
  return xasprintf ("%.*s%s%s%s%s", (int) (v - json), json, quoted ? "\"" : "", value,
                    quoted ? "\"" : "", end);
}

char *
hull_hook_state (const char *state_json, const char *status, pid_t pid)
{
  cleanup_free char *with_status = NULL;
  char *r;

  if (state_json == NULL)
    return NULL;
  with_status = status ? replace_value (state_json, "\"status\":", status, true) : NULL;
  if (with_status == NULL)
    with_status = xstrdup (state_json);
  if (pid < 0)
    return take_ptr (with_status);
  {
    char num[24];
    snprintf (num, sizeof num, "%d", (int) pid);
    r = replace_value (with_status, "\"pid\":", num, false);
  }
  return r ? r : take_ptr (with_status);
}

/* A forked hook: kill (its whole group) and reap it unless it was reaped already. */
struct hook_proc
{
  pid_t pid;
  int pidfd;
};

static void
hook_proc_kill_and_reap (struct hook_proc *h)
{
  if (h->pid > 0)
    {
      kill (-h->pid, SIGKILL);
      kill (h->pid, SIGKILL);
      while (waitpid (h->pid, NULL, 0) < 0 && errno == EINTR)
        ;
      h->pid = 0;
    }
  close_quietly (h->pidfd);
  h->pidfd = -1;
}

static void __attribute__((noreturn))
child_exec (const char *path, char **argv, char **envp, int stdin_fd, int err_fd)
{
  sigset_t all;
  int e, sig;

  setpgid (0, 0);
  for (sig = 1; sig < NSIG; sig++)
    signal (sig, SIG_DFL);
  sigemptyset (&all);
  sigprocmask (SIG_SETMASK, &all, NULL);

  if (stdin_fd == 0)
    e = fcntl (0, F_SETFD, 0);
  else
    e = dup2 (stdin_fd, 0);
  if (e >= 0)
    execve (path, argv, envp);
  e = errno;
  while (write (err_fd, &e, sizeof e) < 0 && errno == EINTR)
    ;
  _exit (127);
}

static int
status_error (int status, hull_error_t *err)
{
  if (WIFEXITED (status))
    {
      if (WEXITSTATUS (status) == 0)
        return 0;
      return hull_error_set (err, 0, "exited with status %d", WEXITSTATUS (status));
    }
  if (WIFSIGNALED (status))
    return hull_error_set (err, 0, "killed by signal %d", WTERMSIG (status));
  return hull_error_set (err, 0, "ended with wait status 0x%x", (unsigned) status);
}

/* Write the state (stdin_w is consumed) and wait for the hook; timeout <= 0 means none. */
static int
feed_and_wait (struct hook_proc *h, int stdin_w, const char *state, size_t state_len,
               int64_t timeout, hull_error_t *err)
{
  uint64_t deadline = timeout > 0 ? now_ns () + (uint64_t) timeout * 1000000000ull : 0;
  size_t done = 0;
  int status;

  for (;;)
    {
      struct pollfd p[2];
      int n = 0, wait_ms = -1, r;

      p[n++] = (struct pollfd) { .fd = h->pidfd, .events = POLLIN };
      if (stdin_w >= 0)
        p[n++] = (struct pollfd) { .fd = stdin_w, .events = POLLOUT };
      if (deadline)
        {
          uint64_t now = now_ns ();
          if (now >= deadline)
            wait_ms = 0;
          else
            {
              uint64_t left = (deadline - now + 999999) / 1000000;
              wait_ms = left > INT_MAX ? INT_MAX : (int) left;
            }
        }

      r = poll (p, (nfds_t) n, wait_ms);
      if (r < 0)
        {
          if (errno == EINTR)
            continue;
          close_quietly (stdin_w);
          return hull_error_set (err, errno, "poll");
        }
      if (r == 0)
        {
          if (deadline && now_ns () >= deadline)
            {
              close_quietly (stdin_w);
              hook_proc_kill_and_reap (h);
              return hull_error_set (err, 0, "timed out after %llds", (long long) timeout);
            }
          continue;
        }

      if (n > 1 && p[1].revents)
        {
          ssize_t w = 0;
          if (p[1].revents & POLLOUT)
            w = write (stdin_w, state + done, state_len - done);
          if (w > 0)
            done += (size_t) w;
          /* EPIPE or POLLERR: the hook does not read its stdin, which is its right. */
          if (done == state_len || (w < 0 && errno != EAGAIN && errno != EINTR)
              || (!(p[1].revents & POLLOUT) && (p[1].revents & (POLLERR | POLLHUP))))
            {
              close (stdin_w);
              stdin_w = -1;
            }
        }

      if (p[0].revents)
        break;
    }

  close_quietly (stdin_w);
  while (waitpid (h->pid, &status, 0) < 0)
    if (errno != EINTR)
      return hull_error_set (err, errno, "wait");
  h->pid = 0;
  /* Whatever the hook left running in its group is not waited for; see docs/hooks.md. */
  return status_error (status, err);
}

static int
run_one (const struct hull_hook *hook, const char *state, hull_error_t *err)
{
  static char *const empty_env[] = { NULL };
  char *fallback_argv[2] = { hook->path, NULL };
  char **argv = (hook->args && hook->args[0]) ? hook->args : fallback_argv;
  char **envp = hook->env ? hook->env : (char **) empty_env;
  struct hook_proc h = { .pid = 0, .pidfd = -1 };
  cleanup_close int stdin_r = -1;
  cleanup_close int stdin_w = -1;
  cleanup_close int err_r = -1;
  cleanup_close int err_w = -1;
  int pfd[2], exec_errno = 0, ret;
  sigset_t pipe_set, old_mask, pending;
  bool pipe_was_pending;
  ssize_t r;

  if (hook->path == NULL || hook->path[0] != '/')
    return hull_error_set (err, 0, "path must be absolute");
  if (pipe2 (pfd, O_CLOEXEC) < 0)
    return hull_error_set (err, errno, "pipe");
  stdin_r = pfd[0];
  stdin_w = pfd[1];
  if (pipe2 (pfd, O_CLOEXEC) < 0)
    return hull_error_set (err, errno, "pipe");
  err_r = pfd[0];
  err_w = pfd[1];

  h.pid = fork ();
  if (h.pid < 0)
    return hull_error_set (err, errno, "fork");
  if (h.pid == 0)
    child_exec (hook->path, argv, envp, stdin_r, err_w);

  close (stdin_r);
  stdin_r = -1;
  close (err_w);
  err_w = -1;
  /* Make the group exist from this side too, so a timeout can never miss it. */
  setpgid (h.pid, h.pid);

  do
    r = read (err_r, &exec_errno, sizeof exec_errno);
  while (r < 0 && errno == EINTR);
  if (r == (ssize_t) sizeof exec_errno)
    {
      hook_proc_kill_and_reap (&h);
      return hull_error_set (err, exec_errno, "exec");
    }

  h.pidfd = (int) syscall (__NR_pidfd_open, h.pid, 0);
  if (h.pidfd < 0)
    {
      int e = errno;
      hook_proc_kill_and_reap (&h);
      return hull_error_set (err, e, "pidfd_open");
    }
  if (fcntl (stdin_w, F_SETFL, O_NONBLOCK) < 0)
    {
      int e = errno;
      hook_proc_kill_and_reap (&h);
      return hull_error_set (err, e, "set state pipe non-blocking");
    }

  sigemptyset (&pipe_set);
  sigaddset (&pipe_set, SIGPIPE);
  sigpending (&pending);
  pipe_was_pending = sigismember (&pending, SIGPIPE);
  sigprocmask (SIG_BLOCK, &pipe_set, &old_mask);

  ret = feed_and_wait (&h, take_fd (stdin_w), state ? state : "", state ? strlen (state) : 0,
                       hook->timeout.set ? hook->timeout.value : 0, err);

  if (!pipe_was_pending)
    {
      struct timespec zero = { 0, 0 };
      sigpending (&pending);
      if (sigismember (&pending, SIGPIPE))
        sigtimedwait (&pipe_set, NULL, &zero);
    }
  sigprocmask (SIG_SETMASK, &old_mask, NULL);

  hook_proc_kill_and_reap (&h);  /* no-op unless an error left it unreaped */
  return ret;
}

int
hull_hooks_run (const struct hull_hook_list *hooks, const char *kind_name, const char *state_json,
                hull_error_t *err)
{
  size_t i;

  if (hooks == NULL)
    return 0;
  for (i = 0; i < hooks->len; i++)
    {
      const struct hull_hook *hook = &hooks->hooks[i];
      if (run_one (hook, state_json, err) < 0)
        return hull_error_prefix (err, "%s hook[%zu] \"%s\"", kind_name, i,
                                  hook->path ? hook->path : "");
    }
  return 0;
}

int
hull_hooks_run_warn (const struct hull_hook_list *hooks, const char *kind_name,
                     const char *state_json)
{
  int failed = 0;
  size_t i;

  if (hooks == NULL)
    return 0;
  for (i = 0; i < hooks->len; i++)
    {
      const struct hull_hook *hook = &hooks->hooks[i];
      hull_error_t err = NULL;
      if (run_one (hook, state_json, &err) < 0)
        {
          hull_warn ("%s hook[%zu] \"%s\": %s", kind_name, i, hook->path ? hook->path : "",
                     err->msg);
          hull_error_free (&err);
          failed++;
        }
    }
  return failed;
}
