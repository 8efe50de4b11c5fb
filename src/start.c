/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "verbs.h"
#include "container.h"

#include <getopt.h>

static const char *const flags[] = {
  "  -h, --help   show this help",
  NULL,
};

HULL_VERB (start)
{
  static const struct option opts[] = { { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
  hull_error_t err = NULL;
  int c, r;
  while ((c = getopt_long (argc, argv, "+h", opts, NULL)) != -1)
    {
      if (c == 'h')
        {
          hull_cli_help ("Usage: hull start ID\n\nStart a created container: its process execs the "
                         "workload, then the\npoststart hooks run.\n\nOptions:",
                         flags);
          return 0;
        }
      return hull_cli_usage ("start", "unknown option \"%s\"", argv[optind - 1]);
    }
  if ((r = hull_cli_want_args ("start", argc, argv, optind, 1, "container ID")))
    return r;
  if (hull_container_start (g->root, argv[optind], &err) < 0)
    return hull_cli_fail (&err);
  return 0;
}
