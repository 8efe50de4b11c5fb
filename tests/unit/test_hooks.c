/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of libcontainer/hooks.c: real hooks run through /bin/sh and /usr/bin/env. */
#include <config.h>
#include "hooks.h"
#include "log.h"
#include "utils.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif

static char tmpdir[] = "/tmp/hull-test-hooks.XXXXXX";

static char *
tmp_path (const char *name)
{
  return xasprintf ("%s/%s", tmpdir, name);
}

static char *
slurp (const char *path)
{
  char *s = NULL;
  hull_error_t err = NULL;
  if (read_file_at (AT_FDCWD, path, &s, NULL, &err) < 0)
    {
      hull_error_free (&err);
      return NULL;
    }
  return s;
}

/* One hook; args and env are NULL-terminated lists or NULL. */
static struct hull_hook
mk_hook (const char *path, const char *const *args, const char *const *env, int64_t timeout)
{
  struct hull_hook h = { 0 };
  h.path = xstrdup (path);
  h.args = args ? strv_dup ((char *const *) args) : NULL;
  h.env = env ? strv_dup ((char *const *) env) : NULL;
  if (timeout > 0)
    {
      h.timeout.set = true;
      h.timeout.value = timeout;
    }
  return h;
}

static void
free_hooks (struct hull_hook *h, size_t n)
{
  size_t i;
  for (i = 0; i < n; i++)
    {
      free (h[i].path);
      strv_free (h[i].args);
      strv_free (h[i].env);
    }
}

/* Run a list, return the error message (malloc'ed) or NULL on success. */
static char *
run_list (struct hull_hook *h, size_t n, const char *kind, const char *state)
{
  struct hull_hook_list l = { .hooks = h, .len = n };
  hull_error_t err = NULL;
  char *msg = NULL;

  if (hull_hooks_run (&l, kind, state, &err) < 0)
    {
      msg = xstrdup (err && err->msg ? err->msg : "(error without message)");
      hull_error_free (&err);
    }
  return msg;
}

static bool
no_children_left (void)
{
  return waitpid (-1, NULL, WNOHANG) < 0 && errno == ECHILD;
}

static void
test_kind_names (void)
{
  is_str (hull_hook_kind_name (HULL_HOOK_PRESTART), "prestart", "kind name prestart");
  is_str (hull_hook_kind_name (HULL_HOOK_CREATE_RUNTIME), "createRuntime", "kind name createRuntime");
  is_str (hull_hook_kind_name (HULL_HOOK_CREATE_CONTAINER), "createContainer",
          "kind name createContainer");
  is_str (hull_hook_kind_name (HULL_HOOK_START_CONTAINER), "startContainer",
          "kind name startContainer");
  is_str (hull_hook_kind_name (HULL_HOOK_POSTSTART), "poststart", "kind name poststart");
  is_str (hull_hook_kind_name (HULL_HOOK_POSTSTOP), "poststop", "kind name poststop");
  ok (hull_hook_kind_name (HULL_HOOK_KINDS) == NULL, "kind name out of range is NULL");
}

static void
test_empty (void)
{
  hull_error_t err = NULL;
  struct hull_hook_list l = { 0 };
  ok (hull_hooks_run (NULL, "prestart", "{}", &err) == 0 && err == NULL, "NULL list is fine");
  ok (hull_hooks_run (&l, "prestart", "{}", &err) == 0 && err == NULL, "empty list is fine");
}

static void
test_stdin_state (void)
{
  cleanup_free char *out = tmp_path ("stdin");
  const char *state = "{\"ociVersion\":\"1.2.0\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":42}";
  const char *args[] = { "sh", "-c", "cat > \"$1\"", "sh", out, NULL };
  struct hull_hook h = mk_hook ("/bin/sh", args, NULL, 0);
  cleanup_free char *msg = run_list (&h, 1, "prestart", state);
  cleanup_free char *got = slurp (out);

  is_str (msg, NULL, "hook reading its stdin succeeds");
  is_str (got, state, "hook stdin is exactly the state JSON (then EOF)");
  ok (no_children_left (), "no child left after a successful hook");
  free_hooks (&h, 1);
}

static void
test_env_and_stdout (void)
{
  cleanup_free char *out = tmp_path ("env");
  const char *env[] = { "A=1", "B=two words", NULL };
  struct hull_hook h[2];
  cleanup_free char *msg = NULL;
  cleanup_free char *got = NULL;
  int saved, fd;

  h[0] = mk_hook ("/usr/bin/env", NULL, env, 0);
  h[1] = mk_hook ("/usr/bin/env", NULL, NULL, 0);
  /* The hooks write to our stdout: point it at a file for the duration. */
  fflush (stdout);
  saved = dup (1);
  fd = open (out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  dup2 (fd, 1);
  close (fd);
  msg = run_list (h, 2, "poststart", "{}");
  dup2 (saved, 1);
  close (saved);

  got = slurp (out);
  is_str (msg, NULL, "env hooks succeed");
  is_str (got, "A=1\nB=two words\n",
          "env is exactly the hook's env, absent env is empty, stdout is ours, argv[0] = path");
  free_hooks (h, 2);
}

static void
test_args (void)
{
  cleanup_free char *out = tmp_path ("args");
  const char *args[] = { "custom-argv0", "-c", "tr '\\0' '|' < /proc/$$/cmdline > \"$0\"", out,
                         "a b", "", NULL };
  struct hull_hook h = mk_hook ("/bin/sh", args, NULL, 0);
  cleanup_free char *msg = run_list (&h, 1, "createRuntime", "{}");
  cleanup_free char *got = slurp (out);
  cleanup_free char *want = xasprintf ("custom-argv0|-c|%s|%s|a b||", args[2], out);

  is_str (msg, NULL, "args hook succeeds");
  is_str (got, want, "argv is args as given, argv[0] included");
  free_hooks (&h, 1);
}

static void
test_exit_status (void)
{
  struct hull_hook h[2];
  cleanup_free char *msg = NULL;

  h[0] = mk_hook ("/bin/true", NULL, NULL, 0);
  h[1] = mk_hook ("/bin/false", NULL, NULL, 0);
  msg = run_list (h, 2, "prestart", "{}");
  is_str (msg, "prestart hook[1] \"/bin/false\": exited with status 1", "non-zero exit message");
  ok (no_children_left (), "no child left after a failing hook");
  free_hooks (h, 2);
}

static void
test_exit_code (void)
{
  const char *args[] = { "sh", "-c", "exit 42", NULL };
  struct hull_hook h = mk_hook ("/bin/sh", args, NULL, 0);
  cleanup_free char *msg = run_list (&h, 1, "poststop", "{}");
  is_str (msg, "poststop hook[0] \"/bin/sh\": exited with status 42", "exit code is reported");
  free_hooks (&h, 1);
}

static void
test_signal (void)
{
  const char *args[] = { "sh", "-c", "kill -9 $$", NULL };
  struct hull_hook h = mk_hook ("/bin/sh", args, NULL, 0);
  cleanup_free char *msg = run_list (&h, 1, "startContainer", "{}");
  is_str (msg, "startContainer hook[0] \"/bin/sh\": killed by signal 9", "signal message");
  free_hooks (&h, 1);
}

static void
test_missing (void)
{
  struct hull_hook h = mk_hook ("/nonexistent", NULL, NULL, 0);
  cleanup_free char *msg = run_list (&h, 1, "poststart", "{}");
  is_str (msg, "poststart hook[0] \"/nonexistent\": exec: no such file or directory",
          "exec failure message");
  ok (no_children_left (), "no child left after an exec failure");
  free_hooks (&h, 1);
}

static void
test_not_executable (void)
{
  cleanup_free char *path = tmp_path ("noexec");
  struct hull_hook h = mk_hook (path, NULL, NULL, 0);
  cleanup_free char *msg = NULL;
  cleanup_free char *want = NULL;
  hull_error_t err = NULL;

  write_file_at (AT_FDCWD, path, O_CREAT | O_TRUNC, 0644, "#!/bin/sh\n", 10, &err);
  hull_error_free (&err);
  msg = run_list (&h, 1, "createContainer", "{}");
  want = xasprintf ("createContainer hook[0] \"%s\": exec: permission denied", path);
  is_str (msg, want, "non-executable hook message");
  free_hooks (&h, 1);
}

static void
test_timeout (void)
{
  cleanup_free char *pidfile = tmp_path ("bgpid");
  cleanup_free char *script = xasprintf ("sleep 10 & echo $! > %s; wait; echo done", pidfile);
  const char *args[] = { "sh", "-c", script, NULL };
  struct hull_hook h = mk_hook ("/bin/sh", args, NULL, 1);
  cleanup_free char *msg = run_list (&h, 1, "createRuntime", "{}");
  cleanup_free char *pidtxt = slurp (pidfile);
  int64_t bg = 0;

  is_str (msg, "createRuntime hook[0] \"/bin/sh\": timed out after 1s", "timeout message");
  ok (no_children_left (), "timed-out hook is reaped");
  if (pidtxt)
    pidtxt[strcspn (pidtxt, "\n")] = '\0';
  if (pidtxt && parse_i64 (pidtxt, &bg) == 0 && bg > 0)
    {
      /* The hook's own child was in its process group: it must be dying or gone. */
      int pfd = (int) syscall (__NR_pidfd_open, (pid_t) bg, 0);
      bool gone = pfd < 0 && errno == ESRCH;
      if (pfd >= 0)
        {
          struct pollfd p = { .fd = pfd, .events = POLLIN };
          gone = poll (&p, 1, 5000) == 1;
          close (pfd);
        }
      ok (gone, "a process the hook started in its group is killed too");
    }
  else
    ok (0, "hook wrote the pid of its background child");
  free_hooks (&h, 1);
}

static void
test_order_and_stop (void)
{
  cleanup_free char *log = tmp_path ("order");
  const char *a1[] = { "sh", "-c", "echo one >> \"$0\"", log, NULL };
  const char *a2[] = { "sh", "-c", "echo two >> \"$0\"", log, NULL };
  const char *a3[] = { "sh", "-c", "echo three >> \"$0\"", log, NULL };
  struct hull_hook h[3];
  cleanup_free char *msg = NULL;
  cleanup_free char *got = NULL;
  cleanup_free char *got2 = NULL;

  h[0] = mk_hook ("/bin/sh", a1, NULL, 0);
  h[1] = mk_hook ("/bin/sh", a2, NULL, 0);
  h[2] = mk_hook ("/bin/sh", a3, NULL, 0);
  msg = run_list (h, 3, "prestart", "{}");
  got = slurp (log);
  is_str (msg, NULL, "three hooks succeed");
  is_str (got, "one\ntwo\nthree\n", "hooks run in order");

  unlink (log);
  free (h[1].path);
  strv_free (h[1].args);
  h[1] = mk_hook ("/bin/false", NULL, NULL, 0);
  free (msg);
  msg = run_list (h, 3, "prestart", "{}");
  got2 = slurp (log);
  is_str (msg, "prestart hook[1] \"/bin/false\": exited with status 1", "second hook fails");
  is_str (got2, "one\n", "hooks after a failing one do not run");
  free_hooks (h, 3);
}

static void
test_big_state (void)
{
  cleanup_free char *out = tmp_path ("big");
  size_t n = 1 << 20, i;
  cleanup_free char *state = xmalloc (n + 1);
  const char *reader[] = { "sh", "-c", "cat > \"$0\"", out, NULL };
  const char *ignorer[] = { "sh", "-c", "exit 0", NULL };
  struct hull_hook h[2];
  cleanup_free char *msg = NULL;
  struct stat st;

  for (i = 0; i < n; i++)
    state[i] = (char) ('a' + i % 26);
  state[n] = '\0';
  h[0] = mk_hook ("/bin/sh", reader, NULL, 0);
  h[1] = mk_hook ("/bin/sh", ignorer, NULL, 0);
  msg = run_list (h, 2, "poststop", state);
  is_str (msg, NULL, "1 MiB state: a reader gets it, a hook that ignores stdin is fine");
  ok (stat (out, &st) == 0 && (size_t) st.st_size == n, "the reader got all 1 MiB");
  free_hooks (h, 2);
}

static void
test_relative_path (void)
{
  struct hull_hook h = mk_hook ("bin/true", NULL, NULL, 0);
  cleanup_free char *msg = run_list (&h, 1, "prestart", "{}");
  is_str (msg, "prestart hook[0] \"bin/true\": path must be absolute", "relative path rejected");
  free_hooks (&h, 1);
}

static void
test_run_warn (void)
{
  cleanup_free char *logpath = tmp_path ("warn.log");
  cleanup_free char *mark = tmp_path ("warn.mark");
  const char *a[] = { "sh", "-c", "echo ran > \"$0\"", mark, NULL };
  struct hull_hook h[3];
  struct hull_hook_list l = { .hooks = h, .len = 3 };
  cleanup_free char *logtxt = NULL;
  cleanup_free char *marktxt = NULL;
  hull_error_t err = NULL;
  int failed;

  if (hull_log_init (logpath, false, false, &err) < 0)
    {
      ok (0, "log init: %s", err->msg);
      hull_error_free (&err);
      return;
    }
  h[0] = mk_hook ("/bin/false", NULL, NULL, 0);
  h[1] = mk_hook ("/bin/sh", a, NULL, 0);
  h[2] = mk_hook ("/nonexistent", NULL, NULL, 0);
  failed = hull_hooks_run_warn (&l, "poststop", "{}");
  logtxt = slurp (logpath);
  marktxt = slurp (mark);
  ok (failed == 2, "run_warn counts the failures (%d)", failed);
  is_str (marktxt, "ran\n", "run_warn runs the hooks after a failing one");
  ok (logtxt && strstr (logtxt, "poststop hook[0] \"/bin/false\": exited with status 1"),
      "first failure logged as a warning");
  ok (logtxt && strstr (logtxt, "poststop hook[2] \"/nonexistent\": exec: no such file or directory"),
      "second failure logged as a warning");
  free_hooks (h, 3);
}

static void
test_hook_state (void)
{
  const char *j = "{\"ociVersion\":\"1.2.0\",\"id\":\"c1\",\"pid\":4242,\"status\":\"created\","
                  "\"bundle\":\"/b\",\"annotations\":{\"status\":\"x\",\"pid\":\"7\"}}";
  cleanup_free char *a = hull_hook_state (j, "creating", -1);
  cleanup_free char *b = hull_hook_state (j, "created", 1);
  cleanup_free char *c = hull_hook_state ("{\"id\":\"c\"}", "running", 5);

  is_str (a, "{\"ociVersion\":\"1.2.0\",\"id\":\"c1\",\"pid\":4242,\"status\":\"creating\","
             "\"bundle\":\"/b\",\"annotations\":{\"status\":\"x\",\"pid\":\"7\"}}",
          "hook state: status replaced, pid kept, annotations untouched");
  is_str (b, "{\"ociVersion\":\"1.2.0\",\"id\":\"c1\",\"pid\":1,\"status\":\"created\","
             "\"bundle\":\"/b\",\"annotations\":{\"status\":\"x\",\"pid\":\"7\"}}",
          "hook state: pid replaced by the one inside the container");
  is_str (c, "{\"id\":\"c\"}", "hook state: keys absent, text unchanged");
}

int
main (void)
{
  cleanup_free char *rm = NULL;

  if (mkdtemp (tmpdir) == NULL)
    {
      printf ("Bail out! mkdtemp: %s\n", strerror (errno));
      return 1;
    }
  test_kind_names ();
  test_empty ();
  test_stdin_state ();
  test_env_and_stdout ();
  test_args ();
  test_exit_status ();
  test_exit_code ();
  test_signal ();
  test_missing ();
  test_not_executable ();
  test_timeout ();
  test_order_and_stop ();
  test_big_state ();
  test_relative_path ();
  test_run_warn ();
  test_hook_state ();

  rm = xasprintf ("rm -rf '%s'", tmpdir);
  if (system (rm) != 0)
    diag ("could not remove %s", tmpdir);
  return tap_done ();
}
