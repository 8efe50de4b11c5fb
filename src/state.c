/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "verbs.h"
#include "state.h"
#include "utils.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const flags[] = {
  "  -h, --help   show this help",
  NULL,
};

HULL_VERB (state)
{
  static const struct option opts[] = { { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
  hull_error_t err = NULL;
  struct hull_state *st;
  char *json;
  int c, r;
  while ((c = getopt_long (argc, argv, "+h", opts, NULL)) != -1)
    {
      if (c == 'h')
        {
          hull_cli_help ("Usage: hull state ID\n\nPrint the state of a container as JSON: ociVersion, "
                         "id, pid, status,\nbundle, rootfs, created, owner and annotations.\n\nOptions:",
                         flags);
          return 0;
        }
      return hull_cli_usage ("state", "unknown option \"%s\"", argv[optind - 1]);
    }
  if ((r = hull_cli_want_args ("state", argc, argv, optind, 1, "container ID")))
    return r;
  st = hull_state_load (g->root, argv[optind], &err);
  if (st == NULL)
    return hull_cli_fail (&err);
  json = hull_state_json (st, true);
  printf ("%s\n", json);
  free (json);
  hull_state_free (st);
  return 0;
}
