/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of `hull check` internals: hull_check_find_exec, the lookup of
 * process.args[0] inside a rootfs (PATH, relative names, symlinks that must
 * stay inside the rootfs), with openat2 and with the component walk; the
 * interpreter of scripts and ELF programs; and how parser errors become
 * findings.  Builds a small tree under $TMPDIR; needs no privileges.
 */
#include <config.h>
#include "bundle_check.h"
#include "bundle_check_internal.h"
#include "paths.h"
#include "tap.h"
#include "utils.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char top[4096];

static void
mk (const char *rel, mode_t mode, bool dir)
{
  cleanup_free char *p = xasprintf ("%s/%s", top, rel);

  if (dir)
    {
      if (mkdir (p, mode) < 0)
        perror (p);
      return;
    }
  {
    int fd = open (p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
      {
        perror (p);
        return;
      }
    if (write (fd, "#!/bin/sh\n", 10) != 10)
      perror (p);
    close (fd);
    chmod (p, mode);
  }
}

static void
ln (const char *target, const char *rel)
{
  cleanup_free char *p = xasprintf ("%s/%s", top, rel);
  if (symlink (target, p) < 0)
    perror (p);
}

/* Run the lookup; *found is freed into a static copy so tests can compare it. */
static enum hull_check_exec
find (int rootfd, const char *name, const char *path_env, const char *cwd, unsigned uid,
      const char **found)
{
  static char last[4096];
  char *f = NULL;
  enum hull_check_exec r = hull_check_find_exec (rootfd, name, path_env, cwd, uid, uid, &f);

  snprintf (last, sizeof last, "%s", f ? f : "(none)");
  free (f);
  *found = last;
  return r;
}

/* Every lookup case; `how` names the resolver in use. */
static void
lookups (int rootfd, const char *how)
{
  const char *found;

  ok (find (rootfd, "sh", "/usr/bin:/bin", "/", 0, &found) == HULL_CHECK_EXEC_OK,
      "applet symlink sh -> busybox is found in PATH (%s)", how);
  is_str (found, "/bin/sh", "reported as the container path /bin/sh (%s)", how);
  ok (find (rootfd, "env", "/usr/bin:/bin", "/", 0, &found) == HULL_CHECK_EXEC_OK,
      "absolute symlink /usr/bin/env -> /bin/busybox resolves inside the rootfs (%s)", how);
  is_str (found, "/usr/bin/env", "found in the first PATH directory (%s)", how);
  ok (find (rootfd, "sh-chain", "/opt", "/", 0, &found) == HULL_CHECK_EXEC_OK,
      "a chain of symlinks is followed inside the rootfs (%s)", how);
  ok (find (rootfd, "nosuch", "/usr/bin:/bin", "/", 0, &found) == HULL_CHECK_EXEC_NOT_FOUND,
      "a missing program is not found (%s)", how);
  ok (find (rootfd, "sh", "/usr/sbin", "/", 0, &found) == HULL_CHECK_EXEC_NOT_FOUND,
      "only the given PATH is searched (%s)", how);
  ok (find (rootfd, "sh", NULL, "/", 0, &found) == HULL_CHECK_EXEC_OK,
      "no PATH in env: the default PATH is searched (%s)", how);

  ok (find (rootfd, "noexec", "/bin", "/", 0, &found) == HULL_CHECK_EXEC_NOT_EXECUTABLE,
      "a file without x bits is not executable (%s)", how);
  is_str (found, "/bin/noexec", "the non-executable candidate is reported (%s)", how);
  ok (find (rootfd, "noexec", "/bin:/usr/bin", "/", 0, &found) == HULL_CHECK_EXEC_OK,
      "a later executable candidate wins over a non-executable one (%s)", how);
  is_str (found, "/usr/bin/noexec", "the executable one is reported (%s)", how);
  ok (find (rootfd, "ownerx", "/bin", "/", 0, &found) == HULL_CHECK_EXEC_OK,
      "owner-only x bit: executable for uid 0 (%s)", how);
  ok (find (rootfd, "ownerx", "/bin", "/", 4242, &found) == HULL_CHECK_EXEC_NOT_EXECUTABLE,
      "owner-only x bit: not executable for another uid (%s)", how);
  ok (find (rootfd, "tools", "/bin", "/", 0, &found) == HULL_CHECK_EXEC_NOT_REGULAR,
      "a directory is not a program (%s)", how);

  ok (find (rootfd, "evil", "/bin", "/", 0, &found) == HULL_CHECK_EXEC_NOT_EXECUTABLE,
      "\"../../..\" symlink resolves to the rootfs's /outside/evil, not the host file (%s)", how);
  ok (find (rootfd, "only-outside", "/bin", "/", 0, &found) == HULL_CHECK_EXEC_NOT_FOUND,
      "a symlink to a file that exists only outside the rootfs is not found (%s)", how);
  ok (find (rootfd, "up", "/bin", "/", 0, &found) == HULL_CHECK_EXEC_NOT_FOUND,
      "\"../..\" from /bin stops at the rootfs instead of reaching the host's top dir (%s)",
      how);
  ok (find (rootfd, "escape", "/usr/bin", "/", 0, &found) == HULL_CHECK_EXEC_NOT_EXECUTABLE,
      "a relative escape from /usr/bin stays inside the rootfs too (%s)", how);
  ok (find (rootfd, "/hostdir/only-outside", NULL, "/", 0, &found) == HULL_CHECK_EXEC_NOT_FOUND,
      "an absolute name through a symlinked directory stays inside the rootfs (%s)", how);
  ok (find (rootfd, "loop1", "/bin", "/", 0, &found) == HULL_CHECK_EXEC_NOT_FOUND,
      "a symlink loop is not found (and does not hang) (%s)", how);

  ok (find (rootfd, "/bin/sh", "/nowhere", "/", 0, &found) == HULL_CHECK_EXEC_OK,
      "an absolute name ignores PATH (%s)", how);
  ok (find (rootfd, "./run.sh", NULL, "/app", 0, &found) == HULL_CHECK_EXEC_OK,
      "a relative name with a slash is taken from the cwd (%s)", how);
  is_str (found, "/app/run.sh", "and reported as /app/run.sh (%s)", how);
  ok (find (rootfd, "run.sh", "bin:.", "/app", 0, &found) == HULL_CHECK_EXEC_OK,
      "relative PATH entries are taken from the cwd (%s)", how);
  ok (find (rootfd, "run.sh", "/bin::", "/app", 0, &found) == HULL_CHECK_EXEC_OK,
      "an empty PATH entry means the cwd (%s)", how);
  ok (find (rootfd, "../../../../bin/sh", NULL, "/app", 0, &found) == HULL_CHECK_EXEC_OK,
      "\"..\" in the name cannot climb above the rootfs (%s)", how);
  is_str (found, "/bin/sh", "and is cleaned to /bin/sh (%s)", how);
  ok (find (rootfd, "", "/bin", "/", 0, &found) == HULL_CHECK_EXEC_NOT_FOUND,
      "an empty name is never found (%s)", how);

}

static void
interpreters (int rootfd)
{
  cleanup_free char *sh = NULL, *rel = NULL, *none = NULL, *host = NULL;
  bool script = false;
  int hostroot = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

  sh = hull_check_exec_interpreter (rootfd, "/app/run.sh", "/", &script);
  is_str (sh, "/bin/sh", "\"#!/bin/sh\" names /bin/sh");
  ok (script, "and is a script");
  rel = hull_check_exec_interpreter (rootfd, "/app/rel.sh", "/app", &script);
  is_str (rel, "/app/tools/interp", "a relative #! interpreter is taken from the cwd");
  none = hull_check_exec_interpreter (rootfd, "/bin/tools", "/", &script);
  ok (none == NULL, "a directory has no interpreter");
  /* The host's own /bin/true is an ELF file; dynamically linked on Debian. */
  host = hull_check_exec_interpreter (hostroot, "/bin/true", "/", &script);
  if (host)
    {
      ok (!script && host[0] == '/', "host /bin/true: PT_INTERP \"%s\" of an ELF file", host);
      ok (access (host, F_OK) == 0, "and that loader exists on the host");
    }
  else
    diag ("host /bin/true is statically linked: ELF case not exercised");
  close (hostroot);
}

/* Parser errors become findings with their path; one finding per path. */
static void
take_errors (void)
{
  struct hull_check_report *r = xmalloc0 (sizeof *r);
  struct chk k = { .r = r, .rootfd = -1 };
  hull_error_t e = NULL;

  hull_error_set (&e, 0, "config.json: linux.namespaces[2].type: unknown namespace \"foo\"");
  chk_take (&k, &e, NULL, NULL, NULL);
  ok (r->n_errors == 1 && e == NULL, "a parser error becomes one finding and is freed");
  is_str (r->errors[0].path, "linux.namespaces[2].type", "its path is split off");
  is_str (r->errors[0].message, "unknown namespace \"foo\"", "and the message kept");
  ok (r->errors[0].hint && strstr (r->errors[0].hint, "pid, network"), "with a hint");
  hull_error_set (&e, 0, "config.json: linux.namespaces[2].type: something else");
  chk_take (&k, &e, NULL, NULL, NULL);
  ok (r->n_errors == 1, "a second error at the same path is dropped");
  hull_error_set (&e, 0, "config.json: invalid JSON: premature EOF");
  chk_take (&k, &e, NULL, NULL, NULL);
  is_str (r->n_errors == 2 ? r->errors[1].path : NULL, "", "a message without a path gets \"\"");
  hull_error_set (&e, 0, "config.json: linux.devices[0].path: must be an absolute path");
  chk_take (&k, &e, "linux.devices[0]", "linux.devices[7]", "linux.devices[7]");
  is_str (r->n_errors == 3 ? r->errors[2].path : NULL, "linux.devices[7].path",
          "an element checked alone is renamed to its real index");
  hull_error_set (&e, 0, "config.json: linux.uidMappings: unrelated");
  chk_take (&k, &e, NULL, NULL, "linux.devices");
  ok (r->n_errors == 3 && e == NULL, "errors outside the member looked at are dropped");
  ok (chk_path_below_json ("a.b[1].c", "a.b") && !chk_path_below_json ("a.bc", "a.b"),
      "JSON path containment");
  hull_check_report_free (r);
}

int
main (void)
{
  const char *tmp = getenv ("TMPDIR");
  int rootfd;

  snprintf (top, sizeof top, "%s/hull-test-check.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (mkdtemp (top) == NULL)
    {
      perror ("mkdtemp");
      return 1;
    }
  /* top/outside: an executable on the "host", next to the rootfs. */
  mk ("outside", 0755, true);
  mk ("outside/evil", 0755, false);
  mk ("outside/only-outside", 0755, false);
  /* top/rootfs: bin/busybox with applet symlinks, as the test images have. */
  mk ("rootfs", 0755, true);
  mk ("rootfs/bin", 0755, true);
  mk ("rootfs/usr", 0755, true);
  mk ("rootfs/usr/bin", 0755, true);
  mk ("rootfs/opt", 0755, true);
  mk ("rootfs/app", 0755, true);
  mk ("rootfs/bin/busybox", 0755, false);
  ln ("busybox", "rootfs/bin/sh");              /* relative applet link */
  ln ("/bin/busybox", "rootfs/usr/bin/env");    /* absolute: relative to the rootfs */
  mk ("rootfs/bin/noexec", 0644, false);
  mk ("rootfs/usr/bin/noexec", 0755, false);
  mk ("rootfs/bin/ownerx", 0744, false);
  mk ("rootfs/bin/tools", 0755, true);
  /* Escapes that must resolve inside the rootfs, never to top/outside. */
  ln ("../../../../../../outside/evil", "rootfs/bin/evil");
  ln ("/../../outside/only-outside", "rootfs/bin/only-outside");
  ln ("../../outside/evil", "rootfs/usr/bin/escape");
  /* From rootfs/bin, "../.." is top itself on the host: a lookup on host paths would
     find the executable top/outside/only-outside. */
  ln ("../../outside/only-outside", "rootfs/bin/up");
  mk ("rootfs/outside", 0755, true);
  mk ("rootfs/outside/evil", 0644, false); /* the in-root target: present, not executable */
  ln ("/bin/sh", "rootfs/opt/sh-chain");     /* symlink to a symlink */
  ln ("loop2", "rootfs/bin/loop1");
  ln ("loop1", "rootfs/bin/loop2");
  mk ("rootfs/app/run.sh", 0755, false);
  {
    cleanup_free char *p = xasprintf ("%s/rootfs/app/rel.sh", top);
    FILE *f = fopen (p, "we");
    if (f)
      {
        fputs ("#! tools/interp -x\n", f);
        fclose (f);
      }
  }
  ln ("/outside", "rootfs/hostdir");

  {
    cleanup_free char *r = xasprintf ("%s/rootfs", top);
    rootfd = open (r, O_PATH | O_DIRECTORY | O_CLOEXEC);
  }
  ok (rootfd >= 0, "open the rootfs");

  lookups (rootfd, "openat2");
  hull_path_force_walk (true);
  lookups (rootfd, "component walk");
  hull_path_force_walk (false);
  interpreters (rootfd);
  take_errors ();

  close (rootfd);
  {
    cleanup_free char *cmd = xasprintf ("rm -rf '%s'", top);
    if (system (cmd) != 0)
      diag ("could not remove %s", top);
  }
  return tap_done ();
}
