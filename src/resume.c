/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hull resume: Thaw a paused container. */
#include <config.h>
#include "verbs.h"
#include "cgroup_container.h"

#include <getopt.h>

static const char *const flags[] = {
  "  -h, --help   show this help",
  NULL,
};

HULL_VERB (resume)
{
  static const struct option opts[] = { { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
  hull_error_t err = NULL;
  int c, ret;

  while ((c = getopt_long (argc, argv, "+h", opts, NULL)) != -1)
    {
      if (c == 'h')
        {
          hull_cli_help ("Usage: hull resume ID\n\nThaw a paused container.\n\nOptions:", flags);
          return 0;
        }
      return hull_cli_usage ("resume", "unknown option \"%s\"", argv[optind - 1]);
    }
  if ((ret = hull_cli_want_args ("resume", argc, argv, optind, 1, "container ID")) != 0)
    return ret;
  if (hull_container_resume (g->root, argv[optind], &err) < 0)
    return hull_cli_fail (&err);
  return 0;
}
