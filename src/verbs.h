/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hull CLI: main.c parses the global options into struct hull_globals and
 * dispatches to one handler per verb.  A handler receives the arguments after
 * the verb name (argv[0] is the verb), parses its own flags with getopt_long,
 * calls into libcontainer, and returns the process exit status.  On failure
 * a handler logs the error with hull_cli_fail() (which prints the root cause
 * as the last line, as text or JSON) and returns a non-zero status.
 */
#ifndef HULL_VERBS_H
#define HULL_VERBS_H

#include <stdbool.h>
#include <stddef.h>
#include "error.h"

struct hull_globals
{
  char *root;            /* --root, default hull_state_default_root() */
  char *log_path;        /* --log */
  bool log_json;         /* --log-format json */
  bool debug;            /* --debug */
  bool systemd_cgroup;   /* --systemd-cgroup */
  bool rootless;         /* running without root (geteuid() != 0) */
};

typedef int (*hull_verb_fn) (struct hull_globals *g, int argc, char **argv);

struct hull_verb
{
  const char *name;
  hull_verb_fn fn;
  const char *summary;   /* one line for `hull --help` */
};

/* Log err as the final error line, free it and return 1. */
int hull_cli_fail (hull_error_t *err);
/* Log "VERB: <msg> (see 'hull VERB --help')" as the error line and return 1 (as runc does). */
int hull_cli_usage (const char *verb, const char *fmt, ...) __attribute__((format (printf, 2, 3)));
/* Require exactly `n` positional arguments after option parsing; returns 0 or a usage error status. */
int hull_cli_want_args (const char *verb, int argc, char **argv, int optind_, int n,
                        const char *what);
/* Print the help text of a verb: `usage` (usage line, blank line, description, blank line,
 * "Options:") and then one line per flag, formatted "  -b, --bundle DIR   description". */
void hull_cli_help (const char *usage, const char *const *lines);

#define HULL_VERB(name) int verb_##name (struct hull_globals *g, int argc, char **argv)
HULL_VERB (spec);
HULL_VERB (create);
HULL_VERB (start);
HULL_VERB (run);
HULL_VERB (state);
HULL_VERB (kill);
HULL_VERB (delete);
HULL_VERB (list);
HULL_VERB (exec);
HULL_VERB (update);
HULL_VERB (pause);
HULL_VERB (resume);
HULL_VERB (ps);
HULL_VERB (events);
HULL_VERB (features);
HULL_VERB (check);

#endif
