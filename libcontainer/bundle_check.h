/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `hull check`: validate a bundle without running it.
 *
 * Where hull_config_parse() stops at the first error, the check walks the
 * JSON tree leniently and collects every problem it finds, each with the
 * JSON path of the field involved, a message and a hint:
 *
 *   - types and values, field by field, with the parser's own validators
 *     (bundle_check_rules.c);
 *   - the bundle's files: the rootfs, process.args[0] resolved inside the
 *     rootfs, process.cwd, bind mount sources, hook programs
 *     (bundle_check_rootfs.c);
 *   - this host: namespaces, cgroup controllers, seccomp support, idmapped
 *     mounts, rlimits (bundle_check_host.c).
 *
 * Nothing is created: no namespace, mount, cgroup, state or process.
 */
#ifndef HULL_BUNDLE_CHECK_H
#define HULL_BUNDLE_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

struct hull_check_finding
{
  char *path;      /* JSON path ("linux.namespaces[2].type"), "" for the document */
  char *message;   /* what is wrong */
  char *hint;      /* how to fix it */
};

struct hull_check_report
{
  char *bundle;    /* the bundle directory as given */
  struct hull_check_finding *errors;
  size_t n_errors;
  struct hull_check_finding *warnings;
  size_t n_warnings;
};

struct hull_check_opts
{
  const char *bundle;     /* bundle directory; NULL means "." */
  bool systemd_cgroup;    /* the cgroup driver create would use */
  bool rootless;
};

/* Check the bundle; *out gets the report (also when the bundle has errors).
   Fails (-1) only when the check itself cannot run (no bundle directory). */
HULL_PUBLIC int hull_bundle_check (const struct hull_check_opts *o, struct hull_check_report **out,
                                   hull_error_t *err);
/* Free a report (NULL is fine). */
HULL_PUBLIC void hull_check_report_free (struct hull_check_report *r);
/* The report as a JSON document {"bundle", "valid", "errors", "warnings"} (malloc'ed). */
HULL_PUBLIC char *hull_check_report_json (const struct hull_check_report *r);

/* Result of looking for an executable inside a rootfs. */
enum hull_check_exec
{
  HULL_CHECK_EXEC_OK = 0,
  HULL_CHECK_EXEC_NOT_FOUND,
  HULL_CHECK_EXEC_NOT_EXECUTABLE,  /* found a regular file without execute permission */
  HULL_CHECK_EXEC_NOT_REGULAR,     /* found a directory or another non-regular file */
};

/* Look name up as execve in the container would: a name with a '/' as a path (relative ones
   against cwd), else each directory of path_env (NULL: the default PATH) in turn.  Every
   lookup stays inside the rootfs at rootfd (symlinks, also absolute ones and "..", are
   resolved as if rootfd were "/").  uid/gid decide which permission bits count.
   *found (may be NULL) gets the container path of the file that decided the result. */
enum hull_check_exec hull_check_find_exec (int rootfd, const char *name, const char *path_env,
                                           const char *cwd, unsigned uid, unsigned gid,
                                           char **found);

/* The interpreter the kernel would load to run the file at container path p below rootfd:
   the program of a "#!" line (relative to cwd when relative) or the PT_INTERP of a
   dynamically linked ELF file; malloc'ed, NULL when there is none or p cannot be read.
   *script tells which of the two it is. */
char *hull_check_exec_interpreter (int rootfd, const char *p, const char *cwd, bool *script);

#endif
