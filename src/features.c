/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hull features: print the runtime-spec features document. */
#include <config.h>
#include "verbs.h"
#include "runtime_features.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static const char usage[]
    = "Usage: hull features [OPTIONS]\n\n"
      "Show what this build of hull implements as the runtime-spec features\n"
      "document (JSON): spec versions, hooks, mount options, namespaces,\n"
      "capabilities, cgroup drivers, seccomp names and flags.\n\n"
      "Options:";
static const char *const help_lines[] = {
  "  -h, --help   show this help",
  NULL,
};

int
verb_features (struct hull_globals *g, int argc, char **argv)
{
  static const struct option opts[] = {
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  hull_error_t err = NULL;
  char *json;
  int c;

  (void) g;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long (argc, argv, "+h", opts, NULL)) != -1)
    {
      switch (c)
        {
        case 'h':
          hull_cli_help (usage, help_lines);
          return 0;
        default:
          return hull_cli_usage ("features", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
  if (optind < argc)
    return hull_cli_usage ("features", "unexpected argument \"%s\"", argv[optind]);

  json = hull_features_json (&err);
  if (json == NULL)
    return hull_cli_fail (&err);
  if (printf ("%s\n", json) < 0 || fflush (stdout) != 0)
    {
      free (json);
      hull_error_set (&err, 0, "features: write to stdout failed");
      return hull_cli_fail (&err);
    }
  free (json);
  return 0;
}
