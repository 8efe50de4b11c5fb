/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "verbs.h"
#include "container.h"

#include <getopt.h>
#include <signal.h>

static const char *const flags[] = {
  "  -a, --all    send the signal to every process of the container, not just its init",
  "  -h, --help   show this help",
  NULL,
};

HULL_VERB (kill)
{
  static const struct option opts[] = { { "all", no_argument, NULL, 'a' },
                                        { "help", no_argument, NULL, 'h' },
                                        { NULL, 0, NULL, 0 } };
  hull_error_t err = NULL;
  bool all = false;
  int c, sig = SIGTERM;
  while ((c = getopt_long (argc, argv, "+ah", opts, NULL)) != -1)
    {
      if (c == 'a')
        all = true;
      else if (c == 'h')
        {
          hull_cli_help ("Usage: hull kill [OPTIONS] ID [SIGNAL]\n\nSend SIGNAL (a name like TERM, "
                         "SIGKILL, or a number; default TERM) to\nthe container.\n\nOptions:",
                         flags);
          return 0;
        }
      else
        return hull_cli_usage ("kill", "unknown option \"%s\"", argv[optind - 1]);
    }
  if (argc - optind < 1)
    return hull_cli_usage ("kill", "missing container ID");
  if (argc - optind > 2)
    return hull_cli_usage ("kill", "unexpected argument \"%s\"", argv[optind + 2]);
  if (argc - optind == 2 && (sig = hull_parse_signal (argv[optind + 1], &err)) < 0)
    return hull_cli_fail (&err);
  if (hull_container_kill (g->root, argv[optind], sig, all, &err) < 0)
    return hull_cli_fail (&err);
  return 0;
}
