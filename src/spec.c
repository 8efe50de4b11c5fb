/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "verbs.h"
#include "config.h"
#include "utils.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const flags[] = {
  "  -b, --bundle DIR   write config.json into DIR (default: the current directory)",
  "      --rootless     write a config for a container run by an unprivileged user",
  "  -h, --help         show this help",
  NULL,
};

HULL_VERB (spec)
{
  static const struct option opts[] = { { "bundle", required_argument, NULL, 'b' },
                                        { "rootless", no_argument, NULL, 'R' },
                                        { "help", no_argument, NULL, 'h' },
                                        { NULL, 0, NULL, 0 } };
  hull_error_t err = NULL;
  const char *bundle = ".";
  bool rootless = false;
  cleanup_free char *path = NULL, *text = NULL;
  int c;

  while ((c = getopt_long (argc, argv, "+b:h", opts, NULL)) != -1)
    switch (c)
      {
      case 'b':
        bundle = optarg;
        break;
      case 'R':
        rootless = true;
        break;
      case 'h':
        hull_cli_help ("Usage: hull spec [OPTIONS]\n\nWrite a default config.json: a busybox-friendly "
                       "container running sh,\nwith the usual mounts, masked paths and the default "
                       "capability set.\nEdit it to taste.\n\nOptions:",
                       flags);
        return 0;
      default:
        return hull_cli_usage ("spec", "unknown or incomplete option \"%s\"", argv[optind - 1]);
      }
  if (optind < argc)
    return hull_cli_usage ("spec", "unexpected argument \"%s\"", argv[optind]);
  path = xasprintf ("%s/config.json", bundle);
  text = hull_spec_default (rootless);
  if (write_file_at (AT_FDCWD, path, O_CREAT | O_EXCL, 0644, text, strlen (text), &err) < 0)
    {
      if (err->errnum == EEXIST)
        {
          hull_error_free (&err);
          hull_error_set (&err, 0, "spec: \"%s\" exists; remove it first", path);
        }
      return hull_cli_fail (&err);
    }
  return 0;
}
