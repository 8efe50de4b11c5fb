/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "verbs.h"
#include "log.h"
#include "utils.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int
hull_cli_fail (hull_error_t *err)
{
  if (err && *err)
    hull_log (HULL_LOG_ERROR, "%s", (*err)->msg);
  hull_error_free (err);
  return 1;
}

int
hull_cli_usage (const char *verb, const char *fmt, ...)
{
  va_list ap;
  char msg[1024];
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  if (verb)
    hull_log (HULL_LOG_ERROR, "%s: %s (see 'hull %s --help')", verb, msg, verb);
  else
    hull_log (HULL_LOG_ERROR, "%s (see 'hull --help')", msg);
  return 1;
}

int
hull_cli_want_args (const char *verb, int argc, char **argv, int optind_, int n, const char *what)
{
  int have = argc - optind_;
  if (have < n)
    return hull_cli_usage (verb, "missing %s", what);
  if (have > n)
    return hull_cli_usage (verb, "unexpected argument \"%s\"", argv[optind_ + n]);
  return 0;
}

void
hull_cli_help (const char *usage, const char *const *lines)
{
  size_t i;
  printf ("%s\n", usage);
  for (i = 0; lines && lines[i]; i++)
    printf ("%s\n", lines[i]);
}
