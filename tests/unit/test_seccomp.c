/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of seccomp.c and seccomp_notify.c.
 *
 * Filters are built from hand-made struct hull_seccomp values; the ones that
 * must really act are loaded in forked children (with no_new_privs, so the
 * test needs no privilege) and the child's behaviour is checked.
 */
#include <config.h>
#include "log.h"
#include "seccomp_filter.h"
#include "utils.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

#include "tap.h"

#define PODMAN_PROFILE "/usr/share/containers/seccomp.json"

static char tmpdir[] = "/tmp/hull-test-seccomp.XXXXXX";

/* ---- building helpers ---------------------------------------------------- */

static struct hull_seccomp
profile (int default_action)
{
  struct hull_seccomp s = { 0 };
  s.default_action = default_action;
  return s;
}

static struct hull_seccomp_syscall
rule (char **names, int action)
{
  struct hull_seccomp_syscall r = { 0 };
  r.names = names;
  r.action = action;
  return r;
}

/* Prepare s; returns the filter or NULL, the error message in *msg (malloc'ed) when it fails. */
static struct hull_seccomp_filter *
build (const struct hull_seccomp *s, char **msg)
{
  struct hull_seccomp_filter *f = NULL;
  hull_error_t err = NULL;

  *msg = NULL;
  if (hull_seccomp_prepare (s, &f, &err) < 0)
    {
      *msg = xstrdup (err ? err->msg : "(no message)");
      hull_error_free (&err);
      return NULL;
    }
  return f;
}

static bool
builds (const struct hull_seccomp *s)
{
  cleanup_free char *msg = NULL;
  struct hull_seccomp_filter *f = build (s, &msg);
  if (f == NULL)
    diag ("prepare failed: %s", msg);
  hull_seccomp_filter_free (f);
  return f != NULL;
}

/* True when prepare fails with a message containing `want`. */
static bool
fails_with (const struct hull_seccomp *s, const char *want)
{
  cleanup_free char *msg = NULL;
  struct hull_seccomp_filter *f = build (s, &msg);
  if (f)
    {
      hull_seccomp_filter_free (f);
      diag ("prepare succeeded, expected an error with \"%s\"", want);
      return false;
    }
  if (strstr (msg, want) == NULL)
    {
      diag ("error \"%s\" does not contain \"%s\"", msg, want);
      return false;
    }
  return true;
}

static size_t
filter_len (const struct hull_seccomp *s)
{
  cleanup_free char *msg = NULL;
  struct hull_seccomp_filter *f = build (s, &msg);
  size_t n = hull_seccomp_filter_size (f);
  hull_seccomp_filter_free (f);
  return n;
}

/* ---- running a function under a filter ----------------------------------- */

/* Fork, load s in the child and return the child's wait status; fn's return is the exit code. */
static int
run_filtered (const struct hull_seccomp *s, int (*fn) (void))
{
  cleanup_free char *msg = NULL;
  struct hull_seccomp_filter *f = build (s, &msg);
  int status = -1;
  pid_t pid;

  if (f == NULL)
    {
      diag ("prepare failed: %s", msg);
      return -1;
    }
  fflush (stdout);
  pid = fork ();
  if (pid == 0)
    {
      hull_error_t err = NULL;
      int nfd;
      if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        _exit (120);
      if (hull_seccomp_load (f, &nfd, &err) < 0)
        {
          fprintf (stderr, "load: %s\n", err->msg);
          _exit (121);
        }
      _exit (fn ());
    }
  hull_seccomp_filter_free (f);
  if (pid < 0 || waitpid (pid, &status, 0) < 0)
    return -1;
  return status;
}

static bool
exited_with (int status, int code)
{
  if (WIFEXITED (status) && WEXITSTATUS (status) == code)
    return true;
  if (WIFEXITED (status))
    diag ("child exited with %d, want %d", WEXITSTATUS (status), code);
  else if (WIFSIGNALED (status))
    diag ("child killed by signal %d, want exit %d", WTERMSIG (status), code);
  return false;
}

static bool
killed_by (int status, int sig)
{
  if (WIFSIGNALED (status) && WTERMSIG (status) == sig)
    return true;
  diag ("child status 0x%x, want signal %d", (unsigned) status, sig);
  return false;
}

static char *
tmp_path (const char *name)
{
  return xasprintf ("%s/%s", tmpdir, name);
}

/* mkdir tmpdir/name: 0 on success, else errno. */
static int
try_mkdir (const char *name)
{
  /* No allocation: this runs under filters that may deny brk/mmap. */
  static char p[256];
  snprintf (p, sizeof p, "%s/%s", tmpdir, name);
  return mkdir (p, 0700) == 0 ? 0 : errno;
}

static bool
exists (const char *name)
{
  cleanup_free char *p = tmp_path (name);
  struct stat st;
  return stat (p, &st) == 0;
}

static int
child_mkdir_enosys (void)
{
  int e = try_mkdir ("enosys");
  return e == ENOSYS ? 0 : e == 0 ? 99 : e;
}

static int
child_mkdir_eperm (void)
{
  int e = try_mkdir ("eperm");
  return e == EPERM ? 0 : e == 0 ? 99 : e;
}

static int
child_mkdir_works (void)
{
  return try_mkdir ("logged");
}

static int
child_mkdir_any (void)
{
  (void) try_mkdir ("killed");
  return 0;
}

static int
child_personality (void)
{
  /* Querying (0xffffffff) is denied, setting PER_LINUX is not. */
  if (personality (0xffffffff) != -1 || errno != EPERM)
    return 1;
  if (personality (PER_LINUX) == -1)
    return 2;
  return 0;
}

static int
child_dup3_masked (void)
{
  /* O_CLOEXEC set in flags (masked compare) is denied. */
  if (dup3 (0, 100, O_CLOEXEC) != -1 || errno != EACCES)
    return 1;
  if (dup3 (0, 101, 0) != 101)
    return 2;
  return 0;
}

static int
child_dup3_or (void)
{
  /* Two conditions on one index: either match denies (runc's separate rules). */
  if (dup3 (0, 100, 0) != -1 || errno != EXDEV)
    return 1;
  if (dup3 (0, 101, 0) != -1 || errno != EXDEV)
    return 2;
  if (dup3 (0, 102, 0) != 102)
    return 3;
  return 0;
}

static int
child_dup3_and (void)
{
  /* Conditions on different indices are ANDed. */
  if (dup3 (0, 100, O_CLOEXEC) != -1 || errno != EXDEV)
    return 1;
  if (dup3 (0, 100, 0) != 100)
    return 2;
  if (dup3 (0, 101, O_CLOEXEC) != 101)
    return 3;
  return 0;
}

/* ---- table-level tests ------------------------------------------------------ */

static void
test_names (void)
{
  int i;

  for (i = 0; i < hull_seccomp_action_count (); i++)
    ok (hull_seccomp_action_name (i) != NULL && strncmp (hull_seccomp_action_name (i), "SCMP_ACT_", 9) == 0,
        "action %d has a name (%s)", i, hull_seccomp_action_name (i));
  is_str (hull_seccomp_action_name (HULL_SCMP_ACT_NOTIFY), "SCMP_ACT_NOTIFY", "NOTIFY name");
  ok (hull_seccomp_action_name (-1) == NULL && hull_seccomp_action_name (99) == NULL, "action out of range");
  is_str (hull_seccomp_op_name (HULL_SCMP_CMP_MASKED_EQ), "SCMP_CMP_MASKED_EQ", "MASKED_EQ name");
  ok (hull_seccomp_op_count () == 7, "seven operators");
  ok (hull_seccomp_arch_known ("SCMP_ARCH_X86_64") && hull_seccomp_arch_known ("SCMP_ARCH_AARCH64")
          && hull_seccomp_arch_known ("SCMP_ARCH_X32"),
      "libseccomp resolves SCMP_ARCH_X86_64, AARCH64, X32");
  ok (!hull_seccomp_arch_known ("SCMP_ARCH_VAX") && !hull_seccomp_arch_known ("x86_64")
          && !hull_seccomp_arch_known ("SCMP_ARCH_"),
      "unknown or unprefixed architecture names are not resolved");
  ok (hull_seccomp_flag_name (3) && hull_seccomp_flag_name (4) == NULL, "four known flags");
  ok (hull_seccomp_kernel_enabled (), "kernel has seccomp filters");
  ok (hull_seccomp_flag_supported ("SECCOMP_FILTER_FLAG_LOG"), "kernel supports SECCOMP_FILTER_FLAG_LOG");
  ok (!hull_seccomp_flag_supported ("SECCOMP_FILTER_FLAG_BOGUS"), "unknown flag is not supported");
  ok (hull_seccomp_action_available (HULL_SCMP_ACT_NOTIFY), "kernel has user notification");
}

static void
test_build (void)
{
  char *getpid_n[] = { "getpid", NULL };
  char *unknown_n[] = { "hull_no_such_syscall", "getpid", NULL };
  char *only_unknown_n[] = { "hull_no_such_syscall", NULL };
  char *write_n[] = { "write", NULL };
  char *x86[] = { "SCMP_ARCH_X86", "SCMP_ARCH_X32", NULL };
  char *badarch[] = { "SCMP_ARCH_X86_64", "SCMP_ARCH_VAX", NULL };
  char *badflag[] = { "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_BOGUS", NULL };
  char *goodflags[] = { "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                        "SECCOMP_FILTER_FLAG_TSYNC", NULL };
  struct hull_seccomp s;
  struct hull_seccomp_syscall sc[2];
  struct hull_seccomp_arg args[3];
  size_t base, with_rule;
  int a, op;

  /* Every action as a rule (NOTIFY with a listener path). */
  for (a = 0; a < hull_seccomp_action_count (); a++)
    {
      s = profile (a == HULL_SCMP_ACT_ALLOW ? HULL_SCMP_ACT_ERRNO : HULL_SCMP_ACT_ALLOW);
      sc[0] = rule (getpid_n, a);
      s.syscalls = sc;
      s.syscalls_len = 1;
      if (a == HULL_SCMP_ACT_NOTIFY)
        s.listener_path = "/run/agent.sock";
      ok (builds (&s), "rule with %s builds", hull_seccomp_action_name (a));
    }
  /* Every action as the default, except NOTIFY which is refused. */
  for (a = 0; a < hull_seccomp_action_count (); a++)
    {
      if (a == HULL_SCMP_ACT_NOTIFY)
        continue;
      s = profile (a);
      ok (builds (&s), "default action %s builds", hull_seccomp_action_name (a));
    }
  s = profile (HULL_SCMP_ACT_NOTIFY);
  s.listener_path = "/run/agent.sock";
  ok (fails_with (&s, "linux.seccomp.defaultAction"), "default SCMP_ACT_NOTIFY refused");

  /* errnoRet only with ERRNO and TRACE. */
  s = profile (HULL_SCMP_ACT_ALLOW);
  sc[0] = rule (getpid_n, HULL_SCMP_ACT_ERRNO);
  sc[0].errno_ret = (hull_opt_u64) { true, 38 };
  s.syscalls = sc;
  s.syscalls_len = 1;
  ok (builds (&s), "ERRNO with errnoRet builds");
  sc[0].action = HULL_SCMP_ACT_TRACE;
  ok (builds (&s), "TRACE with errnoRet builds");
  sc[0].action = HULL_SCMP_ACT_KILL;
  ok (fails_with (&s, "linux.seccomp.syscalls[0].errnoRet: not supported with SCMP_ACT_KILL"),
      "errnoRet with KILL refused");
  sc[0].action = HULL_SCMP_ACT_ERRNO;
  sc[0].errno_ret.value = 70000;
  ok (fails_with (&s, "syscalls[0].errnoRet: 70000 is out of range"), "errnoRet out of range refused");
  s = profile (HULL_SCMP_ACT_LOG);
  s.default_errno_ret = (hull_opt_u64) { true, 1 };
  ok (fails_with (&s, "linux.seccomp.defaultErrnoRet"), "defaultErrnoRet with LOG refused");
  s.default_action = HULL_SCMP_ACT_ERRNO;
  ok (builds (&s), "defaultErrnoRet with ERRNO builds");

  /* Every operator. */
  for (op = 0; op < hull_seccomp_op_count (); op++)
    {
      s = profile (HULL_SCMP_ACT_ALLOW);
      sc[0] = rule (getpid_n, HULL_SCMP_ACT_ERRNO);
      args[0] = (struct hull_seccomp_arg) { .index = 1, .value = 3, .value_two = 1, .op = op };
      sc[0].args = args;
      sc[0].args_len = 1;
      s.syscalls = sc;
      s.syscalls_len = 1;
      ok (builds (&s), "operator %s builds", hull_seccomp_op_name (op));
    }
  args[0].index = 6;
  ok (fails_with (&s, "syscalls[0].args[0].index: 6 is out of range"), "argument index 6 refused");

  /* Unknown names skipped, default-action rules skipped. */
  s = profile (HULL_SCMP_ACT_ALLOW);
  base = filter_len (&s);
  sc[0] = rule (getpid_n, HULL_SCMP_ACT_ERRNO);
  s.syscalls = sc;
  s.syscalls_len = 1;
  with_rule = filter_len (&s);
  ok (with_rule > base, "a rule adds instructions (%zu > %zu)", with_rule, base);
  sc[0] = rule (unknown_n, HULL_SCMP_ACT_ERRNO);
  ok (builds (&s) && filter_len (&s) == with_rule, "unknown syscall name skipped");
  sc[0] = rule (only_unknown_n, HULL_SCMP_ACT_ERRNO);
  ok (builds (&s) && filter_len (&s) == base, "rule with only unknown names adds nothing");
  sc[0] = rule (getpid_n, HULL_SCMP_ACT_ALLOW);
  ok (builds (&s) && filter_len (&s) == base, "rule with the default action skipped");
  s.default_action = HULL_SCMP_ACT_KILL;
  sc[0] = rule (getpid_n, HULL_SCMP_ACT_KILL_THREAD);
  ok (builds (&s) && filter_len (&s) == filter_len (&(struct hull_seccomp) { .default_action = HULL_SCMP_ACT_KILL }),
      "KILL_THREAD rule under default KILL skipped (same action)");
  s.default_action = HULL_SCMP_ACT_ERRNO;
  sc[0] = rule (getpid_n, HULL_SCMP_ACT_ERRNO);
  sc[0].errno_ret = (hull_opt_u64) { true, ENOSYS };
  ok (filter_len (&s) > filter_len (&(struct hull_seccomp) { .default_action = HULL_SCMP_ACT_ERRNO }),
      "ERRNO(ENOSYS) under default ERRNO(EPERM) is kept");

  /* Architectures. */
  s = profile (HULL_SCMP_ACT_ALLOW);
  sc[0] = rule (getpid_n, HULL_SCMP_ACT_ERRNO);
  s.syscalls = sc;
  s.syscalls_len = 1;
  s.architectures = x86;
  ok (builds (&s) && filter_len (&s) > with_rule, "x86 and x32 added to the native architecture");
  s.architectures = badarch;
  ok (fails_with (&s, "linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_VAX\""),
      "unknown architecture refused");
  s.architectures = NULL;

  /* Flags. */
  s.flags = badflag;
  ok (fails_with (&s, "linux.seccomp.flags[1]: unknown flag \"SECCOMP_FILTER_FLAG_BOGUS\""),
      "unknown flag refused");
  s.flags = goodflags;
  ok (builds (&s), "TSYNC, LOG and SPEC_ALLOW build");
  s.flags = NULL;

  /* NOTIFY. */
  s = profile (HULL_SCMP_ACT_ALLOW);
  sc[0] = rule (getpid_n, HULL_SCMP_ACT_NOTIFY);
  s.syscalls = sc;
  s.syscalls_len = 1;
  ok (fails_with (&s, "linux.seccomp.listenerPath: required when SCMP_ACT_NOTIFY is used"),
      "NOTIFY without listenerPath refused");
  s.listener_metadata = "x";
  s.listener_path = NULL;
  ok (fails_with (&s, "listenerPath"), "listenerMetadata without listenerPath refused");
  s.listener_metadata = NULL;
  s.listener_path = "/run/agent.sock";
  {
    cleanup_free char *msg = NULL;
    struct hull_seccomp_filter *f = build (&s, &msg);
    ok (f && hull_seccomp_needs_listener (f), "NOTIFY rule needs a listener");
    hull_seccomp_filter_free (f);
  }
  sc[0] = rule (write_n, HULL_SCMP_ACT_NOTIFY);
  ok (fails_with (&s, "SCMP_ACT_NOTIFY cannot be used for \"write\""), "NOTIFY on write refused");
  sc[0] = rule (getpid_n, HULL_SCMP_ACT_ERRNO);
  {
    cleanup_free char *msg = NULL;
    struct hull_seccomp_filter *f = build (&s, &msg);
    ok (f && !hull_seccomp_needs_listener (f), "no NOTIFY rule, no listener");
    hull_seccomp_filter_free (f);
  }
}

/* ---- loaded filters ------------------------------------------------------- */

static void
test_load (void)
{
  char *mkdir_n[] = { "mkdir", "mkdirat", NULL };
  char *pers_n[] = { "personality", NULL };
  char *dup3_n[] = { "dup3", NULL };
  char *logflag[] = { "SECCOMP_FILTER_FLAG_LOG", NULL };
  /* Exiting, plus what sanitizer runtimes call around it. */
  char *exit_n[] = { "exit", "exit_group", "write", "mmap", "munmap", "madvise", "brk", "sigaltstack",
                     "gettid", "getpid", "rt_sigaction", "rt_sigprocmask", "tgkill", NULL };
  struct hull_seccomp s;
  struct hull_seccomp_syscall sc[1];
  struct hull_seccomp_arg args[2];

  s = profile (HULL_SCMP_ACT_ALLOW);
  sc[0] = rule (mkdir_n, HULL_SCMP_ACT_ERRNO);
  sc[0].errno_ret = (hull_opt_u64) { true, ENOSYS };
  s.syscalls = sc;
  s.syscalls_len = 1;
  ok (exited_with (run_filtered (&s, child_mkdir_enosys), 0) && !exists ("enosys"),
      "ERRNO(38) rule: mkdir fails with ENOSYS");

  sc[0].errno_ret.set = false;
  s.flags = logflag;
  ok (exited_with (run_filtered (&s, child_mkdir_eperm), 0) && !exists ("eperm"),
      "ERRNO rule without errnoRet: mkdir fails with EPERM (and FLAG_LOG loads)");
  s.flags = NULL;

  sc[0] = rule (mkdir_n, HULL_SCMP_ACT_KILL);
  ok (killed_by (run_filtered (&s, child_mkdir_any), SIGSYS) && !exists ("killed"),
      "KILL rule: child killed by SIGSYS");
  sc[0].action = HULL_SCMP_ACT_KILL_PROCESS;
  ok (killed_by (run_filtered (&s, child_mkdir_any), SIGSYS), "KILL_PROCESS rule: SIGSYS");
  sc[0].action = HULL_SCMP_ACT_TRAP;
  ok (killed_by (run_filtered (&s, child_mkdir_any), SIGSYS), "TRAP rule: SIGSYS (default handler)");

  sc[0].action = HULL_SCMP_ACT_LOG;
  ok (exited_with (run_filtered (&s, child_mkdir_works), 0) && exists ("logged"), "LOG rule: mkdir works");

  /* An allow-list: default ERRNO(ENOSYS), only exit_n allowed. */
  s.default_action = HULL_SCMP_ACT_ERRNO;
  s.default_errno_ret = (hull_opt_u64) { true, ENOSYS };
  sc[0] = rule (exit_n, HULL_SCMP_ACT_ALLOW);
  ok (exited_with (run_filtered (&s, child_mkdir_enosys), 0) && !exists ("enosys"),
      "default ERRNO(38) allow-list: mkdir fails with ENOSYS");

  /* Argument filters. */
  s = profile (HULL_SCMP_ACT_ALLOW);
  sc[0] = rule (pers_n, HULL_SCMP_ACT_ERRNO);
  args[0] = (struct hull_seccomp_arg) { .index = 0, .value = 0xffffffff, .op = HULL_SCMP_CMP_EQ };
  sc[0].args = args;
  sc[0].args_len = 1;
  s.syscalls = sc;
  s.syscalls_len = 1;
  ok (exited_with (run_filtered (&s, child_personality), 0), "EQ: only personality(0xffffffff) denied");

  sc[0] = rule (dup3_n, HULL_SCMP_ACT_ERRNO);
  sc[0].errno_ret = (hull_opt_u64) { true, EACCES };
  args[0] = (struct hull_seccomp_arg) { .index = 2, .value = O_CLOEXEC, .value_two = O_CLOEXEC,
                                        .op = HULL_SCMP_CMP_MASKED_EQ };
  sc[0].args = args;
  sc[0].args_len = 1;
  ok (exited_with (run_filtered (&s, child_dup3_masked), 0), "MASKED_EQ: dup3 with O_CLOEXEC denied");

  sc[0].errno_ret.value = EXDEV;
  args[0] = (struct hull_seccomp_arg) { .index = 1, .value = 100, .op = HULL_SCMP_CMP_EQ };
  args[1] = (struct hull_seccomp_arg) { .index = 1, .value = 101, .op = HULL_SCMP_CMP_EQ };
  sc[0].args_len = 2;
  ok (exited_with (run_filtered (&s, child_dup3_or), 0), "same index twice: separate rules (OR)");

  args[1] = (struct hull_seccomp_arg) { .index = 2, .value = O_CLOEXEC, .op = HULL_SCMP_CMP_EQ };
  ok (exited_with (run_filtered (&s, child_dup3_and), 0), "different indices: one rule (AND)");
}

/* ---- NOTIFY end to end: load, hand over, send to an agent, answer -------- */

static int
send_fd (int sock, int fd)
{
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } u;
  char c = 'f';
  struct iovec iov = { &c, 1 };
  struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                      .msg_controllen = sizeof u.buf };
  struct cmsghdr *cm = CMSG_FIRSTHDR (&m);

  memset (u.buf, 0, sizeof u.buf);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (cm), &fd, sizeof fd);
  return sendmsg (sock, &m, 0) == 1 ? 0 : -1;
}

/* Receive up to cap-1 bytes (until EOF) and one fd. */
static ssize_t
recv_all_with_fd (int sock, char *buf, size_t cap, int *fd)
{
  union
  {
    char b[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } u;
  struct iovec iov = { buf, cap - 1 };
  struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b,
                      .msg_controllen = sizeof u.b };
  struct cmsghdr *cm;
  ssize_t n, total;

  *fd = -1;
  n = recvmsg (sock, &m, MSG_CMSG_CLOEXEC);
  if (n < 0)
    return -1;
  for (cm = CMSG_FIRSTHDR (&m); cm; cm = CMSG_NXTHDR (&m, cm))
    if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
      memcpy (fd, CMSG_DATA (cm), sizeof (int));
  total = n;
  while (n > 0 && (size_t) total < cap - 1)
    {
      n = read (sock, buf + total, cap - 1 - (size_t) total);
      if (n > 0)
        total += n;
    }
  buf[total] = '\0';
  return total;
}

/* String value of v, "" when v is not a string. */
static const char *
jstr (yajl_val v)
{
  return v && YAJL_IS_STRING (v) ? v->u.string : "";
}

static const char *
tree_str (yajl_val v, const char *a, const char *b)
{
  const char *path[] = { a, b, NULL };
  yajl_val x = yajl_tree_get (v, path, yajl_t_string);
  return x ? jstr (x) : NULL;
}

static void
test_notify (void)
{
  char *mkdir_n[] = { "mkdir", "mkdirat", NULL };
  struct hull_seccomp s = profile (HULL_SCMP_ACT_ALLOW);
  struct hull_seccomp_syscall sc[1] = { rule (mkdir_n, HULL_SCMP_ACT_NOTIFY) };
  struct hull_seccomp_filter *f = NULL;
  cleanup_free char *sock_path = tmp_path ("agent.sock");
  cleanup_free char *msg = NULL;
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  hull_error_t err = NULL;
  char doc[8192];
  int sp[2], lsock, conn, nfd = -1, agent_fd = -1, status = 0;
  pid_t pid;
  bool ok_send, ok_json = false, ok_answer = false;

  s.syscalls = sc;
  s.syscalls_len = 1;
  s.listener_path = sock_path;
  s.listener_metadata = "meta \"quoted\"\n";
  f = build (&s, &msg);
  ok (f != NULL, "NOTIFY profile builds");
  if (f == NULL)
    return;

  lsock = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  strcpy (addr.sun_path, sock_path);
  if (lsock < 0 || bind (lsock, (struct sockaddr *) &addr, sizeof addr) < 0 || listen (lsock, 1) < 0
      || socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
    {
      ok (0, "agent socket: %s", strerror (errno));
      return;
    }
  fflush (stdout);
  pid = fork ();
  if (pid == 0)
    {
      hull_error_t e = NULL;
      int fd;
      prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
      if (hull_seccomp_load (f, &fd, &e) < 0 || fd < 0)
        _exit (121);
      if (send_fd (sp[1], fd) < 0)
        _exit (122);
      close (fd);
      /* The agent answers EXDEV without creating anything. */
      if (try_mkdir ("notified") != EXDEV)
        _exit (1);
      _exit (0);
    }
  close (sp[1]);
  {
    char c;
    union
    {
      char b[CMSG_SPACE (sizeof (int))];
      struct cmsghdr align;
    } u;
    struct iovec iov = { &c, 1 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b,
                        .msg_controllen = sizeof u.b };
    if (recvmsg (sp[0], &m, MSG_CMSG_CLOEXEC) == 1 && CMSG_FIRSTHDR (&m))
      memcpy (&nfd, CMSG_DATA (CMSG_FIRSTHDR (&m)), sizeof nfd);
  }
  ok (nfd >= 0, "child handed over a listener fd");

  ok_send = nfd >= 0
            && hull_seccomp_send_listener (&s, nfd, pid,
                                           "{\"ociVersion\":\"1.2.0\",\"id\":\"t1\",\"status\":\"creating\","
                                           "\"pid\":1,\"bundle\":\"/b\"}",
                                           &err)
                   == 0;
  ok (ok_send, "listener state sent%s%s", err ? ": " : "", err ? err->msg : "");
  hull_error_free (&err);
  close_quietly (nfd);

  conn = ok_send ? accept4 (lsock, NULL, NULL, SOCK_CLOEXEC) : -1;
  if (conn >= 0 && recv_all_with_fd (conn, doc, sizeof doc, &agent_fd) > 0)
    {
      char ebuf[256];
      yajl_val v = yajl_tree_parse (doc, ebuf, sizeof ebuf);
      const char *fds_path[] = { "fds", NULL };
      const char *pid_path[] = { "pid", NULL };
      yajl_val fds = v ? yajl_tree_get (v, fds_path, yajl_t_array) : NULL;
      yajl_val jpid = v ? yajl_tree_get (v, pid_path, yajl_t_number) : NULL;

      ok_json = v && fds && YAJL_GET_ARRAY (fds)->len == 1
                && YAJL_IS_STRING (YAJL_GET_ARRAY (fds)->values[0])
                && strcmp (jstr (YAJL_GET_ARRAY (fds)->values[0]), "seccompFd") == 0
                && jpid && YAJL_GET_INTEGER (jpid) == pid && tree_str (v, "ociVersion", NULL)
                && tree_str (v, "metadata", NULL)
                && strcmp (tree_str (v, "metadata", NULL), s.listener_metadata) == 0
                && tree_str (v, "state", "id") && strcmp (tree_str (v, "state", "id"), "t1") == 0;
      if (!ok_json)
        diag ("document: %s", doc);
      yajl_tree_free (v);
    }
  ok (ok_json, "process state JSON has ociVersion, fds [seccompFd], pid, metadata, state");
  ok (agent_fd >= 0, "agent received the fd");

  if (agent_fd >= 0)
    {
      struct seccomp_notif_sizes sz = { 0 };
      if (syscall (SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) == 0)
        {
          cleanup_free struct seccomp_notif *req = xmalloc0 (sz.seccomp_notif > sizeof *req ? sz.seccomp_notif : sizeof *req);
          cleanup_free struct seccomp_notif_resp *resp
              = xmalloc0 (sz.seccomp_notif_resp > sizeof *resp ? sz.seccomp_notif_resp : sizeof *resp);
          if (ioctl (agent_fd, SECCOMP_IOCTL_NOTIF_RECV, req) == 0)
            {
              ok ((int) req->pid == pid && (req->data.nr == SYS_mkdir || req->data.nr == SYS_mkdirat),
                  "notification for the child's mkdir");
              resp->id = req->id;
              resp->error = -EXDEV;
              ok_answer = ioctl (agent_fd, SECCOMP_IOCTL_NOTIF_SEND, resp) == 0;
            }
        }
    }
  ok (ok_answer, "agent answered the notification");
  if (!ok_answer)
    kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
  ok (exited_with (status, 0) && !exists ("notified"), "child saw EXDEV from the agent, nothing created");
  close_quietly (agent_fd);
  close_quietly (conn);
  close_quietly (lsock);
  close_quietly (sp[0]);
  unlink (sock_path);
  hull_seccomp_filter_free (f);
}

/* ---- Podman's default profile ---------------------------------------------- */

static int
action_from_name (const char *n)
{
  int i;
  for (i = 0; i < hull_seccomp_action_count (); i++)
    if (strcmp (hull_seccomp_action_name (i), n) == 0)
      return i;
  return -1;
}

static int
op_from_name (const char *n)
{
  int i;
  for (i = 0; i < hull_seccomp_op_count (); i++)
    if (strcmp (hull_seccomp_op_name (i), n) == 0)
      return i;
  return -1;
}

static yajl_val
get (yajl_val v, const char *k, yajl_type t)
{
  const char *path[] = { k, NULL };
  return v ? yajl_tree_get (v, path, t) : NULL;
}

static bool
strarray_has (yajl_val arr, const char *s)
{
  size_t i;
  if (arr == NULL || !YAJL_IS_ARRAY (arr))
    return false;
  for (i = 0; i < YAJL_GET_ARRAY (arr)->len; i++)
    if (YAJL_IS_STRING (YAJL_GET_ARRAY (arr)->values[i])
        && strcmp (jstr (YAJL_GET_ARRAY (arr)->values[i]), s) == 0)
      return true;
  return false;
}

static char **
strv_of (yajl_val arr)
{
  size_t i, n = arr ? YAJL_GET_ARRAY (arr)->len : 0;
  char **v = xmalloc0 ((n + 1) * sizeof *v);
  for (i = 0; i < n; i++)
    v[i] = xstrdup (jstr (YAJL_GET_ARRAY (arr)->values[i]));
  return v;
}

/* Resolve the profile as Podman would for a container without extra
   capabilities on x86_64: drop entries that need a capability or another
   architecture, keep the ones that apply when a capability is missing. */
static bool
load_podman_profile (const char *path, struct hull_seccomp *s)
{
  cleanup_free char *text = NULL;
  hull_error_t err = NULL;
  yajl_val root, sys, archmap;
  char ebuf[256];
  size_t i, j;

  if (read_file_at (AT_FDCWD, path, &text, NULL, &err) < 0)
    {
      diag ("%s", err->msg);
      hull_error_free (&err);
      return false;
    }
  root = yajl_tree_parse (text, ebuf, sizeof ebuf);
  if (root == NULL)
    return false;
  memset (s, 0, sizeof *s);
  s->default_action = action_from_name (jstr (get (root, "defaultAction", yajl_t_string)));
  if (get (root, "defaultErrnoRet", yajl_t_number))
    s->default_errno_ret = (hull_opt_u64) { true, (uint64_t) YAJL_GET_INTEGER (get (root, "defaultErrnoRet", yajl_t_number)) };
  archmap = get (root, "archMap", yajl_t_array);
  for (i = 0; archmap && i < YAJL_GET_ARRAY (archmap)->len; i++)
    {
      yajl_val m = YAJL_GET_ARRAY (archmap)->values[i];
      yajl_val a = get (m, "architecture", yajl_t_string);
      if (a && strcmp (jstr (a), "SCMP_ARCH_X86_64") == 0)
        s->architectures = strv_of (get (m, "subArchitectures", yajl_t_array));
    }
  sys = get (root, "syscalls", yajl_t_array);
  s->syscalls = xmalloc0 ((sys ? YAJL_GET_ARRAY (sys)->len : 0) * sizeof *s->syscalls + 1);
  for (i = 0; sys && i < YAJL_GET_ARRAY (sys)->len; i++)
    {
      yajl_val e = YAJL_GET_ARRAY (sys)->values[i];
      yajl_val inc = get (e, "includes", yajl_t_object), exc = get (e, "excludes", yajl_t_object);
      yajl_val inc_caps = get (inc, "caps", yajl_t_array), inc_arch = get (inc, "arches", yajl_t_array);
      yajl_val exc_arch = get (exc, "arches", yajl_t_array), args = get (e, "args", yajl_t_array);
      struct hull_seccomp_syscall *sc;

      if (inc_caps && YAJL_GET_ARRAY (inc_caps)->len > 0)
        continue;
      if (inc_arch && YAJL_GET_ARRAY (inc_arch)->len > 0 && !strarray_has (inc_arch, "amd64"))
        continue;
      if (strarray_has (exc_arch, "amd64"))
        continue;
      sc = &s->syscalls[s->syscalls_len++];
      sc->names = strv_of (get (e, "names", yajl_t_array));
      sc->action = action_from_name (jstr (get (e, "action", yajl_t_string)));
      if (get (e, "errnoRet", yajl_t_number))
        sc->errno_ret = (hull_opt_u64) { true, (uint64_t) YAJL_GET_INTEGER (get (e, "errnoRet", yajl_t_number)) };
      sc->args_len = args ? YAJL_GET_ARRAY (args)->len : 0;
      sc->args = xmalloc0 (sc->args_len * sizeof *sc->args + 1);
      for (j = 0; j < sc->args_len; j++)
        {
          yajl_val a = YAJL_GET_ARRAY (args)->values[j];
          sc->args[j].index = (uint32_t) YAJL_GET_INTEGER (get (a, "index", yajl_t_number));
          sc->args[j].value = (uint64_t) YAJL_GET_INTEGER (get (a, "value", yajl_t_number));
          if (get (a, "valueTwo", yajl_t_number))
            sc->args[j].value_two = (uint64_t) YAJL_GET_INTEGER (get (a, "valueTwo", yajl_t_number));
          sc->args[j].op = op_from_name (jstr (get (a, "op", yajl_t_string)));
        }
    }
  yajl_tree_free (root);
  return true;
}

static void
free_profile (struct hull_seccomp *s)
{
  size_t i;
  for (i = 0; i < s->syscalls_len; i++)
    {
      strv_free (s->syscalls[i].names);
      free (s->syscalls[i].args);
    }
  free (s->syscalls);
  strv_free (s->architectures);
}

static int
child_podman (void)
{
  int fd;

  if (getpid () <= 0)
    return 1;
  /* Not in the profile: default ERRNO(ENOSYS). */
  if (syscall (SYS_add_key, "user", "hull", "x", 1, 0) != -1 || errno != ENOSYS)
    return 2;
  /* Needs CAP_SYS_PACCT, which the resolved profile assumes missing: EPERM. */
  if (syscall (SYS_acct, NULL) != -1 || errno != EPERM)
    return 3;
  /* The netlink audit socket is refused with EINVAL, other sockets work. */
  if (socket (AF_NETLINK, SOCK_RAW, 9) != -1 || errno != EINVAL)
    return 4;
  fd = socket (AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0)
    return 5;
  close (fd);
  return 0;
}

static void
test_podman (void)
{
  struct hull_seccomp s;

  if (access (PODMAN_PROFILE, R_OK) != 0)
    {
      ok (1, "# SKIP %s not installed", PODMAN_PROFILE);
      return;
    }
  ok (load_podman_profile (PODMAN_PROFILE, &s) && s.syscalls_len > 10, "Podman profile converted (%zu entries)",
      s.syscalls_len);
  ok (builds (&s), "Podman profile builds (%zu BPF instructions)", filter_len (&s));
  ok (exited_with (run_filtered (&s, child_podman), 0),
      "Podman profile: add_key ENOSYS, acct EPERM, audit socket EINVAL, unix socket works");
  free_profile (&s);
}

int
main (void)
{
  if (mkdtemp (tmpdir) == NULL)
    {
      printf ("Bail out! mkdtemp: %s\n", strerror (errno));
      return 1;
    }
  test_names ();
  test_build ();
  test_load ();
  test_notify ();
  test_podman ();
  {
    char *cmd = xasprintf ("rm -rf '%s'", tmpdir);
    if (system (cmd) != 0)
      diag ("could not remove %s", tmpdir);
    free (cmd);
  }
  return tap_done ();
}
