/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "verbs.h"
#include "container.h"

#include <getopt.h>

static const char *const flags[] = {
  "  -f, --force  kill the container first if it is still running; succeed if it is already gone",
  "  -h, --help   show this help",
  NULL,
};

HULL_VERB (delete)
{
  static const struct option opts[] = { { "force", no_argument, NULL, 'f' },
                                        { "help", no_argument, NULL, 'h' },
                                        { NULL, 0, NULL, 0 } };
  hull_error_t err = NULL;
  bool force = false;
  int c, i, status = 0;
  while ((c = getopt_long (argc, argv, "+fh", opts, NULL)) != -1)
    {
      if (c == 'f')
        force = true;
      else if (c == 'h')
        {
          hull_cli_help ("Usage: hull delete [OPTIONS] ID...\n\nDelete containers: remove their "
                         "cgroups and state and run the poststop\nhooks. A created container is "
                         "killed first; a running one only with --force.\n\nOptions:",
                         flags);
          return 0;
        }
      else
        return hull_cli_usage ("delete", "unknown option \"%s\"", argv[optind - 1]);
    }
  if (optind >= argc)
    return hull_cli_usage ("delete", "missing container ID");
  for (i = optind; i < argc; i++)
    if (hull_container_delete (g->root, argv[i], force, &err) < 0)
      status = hull_cli_fail (&err);
  return status;
}
