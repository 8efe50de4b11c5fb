/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "verbs.h"
#include "create_opts.h"
#include "container.h"
#include "utils.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char *const create_flags[] = {
  "  -b, --bundle DIR           path to the bundle directory (default: the current directory)",
  "      --console-socket PATH  unix socket that receives the pty master when process.terminal is true",
  "      --pid-file FILE        write the container's init pid to FILE",
  "      --no-pivot             do not use pivot_root (for a rootfs on ramfs); uses MS_MOVE and chroot",
  "      --no-new-keyring       keep the caller's session keyring instead of a new one",
  "      --preserve-fds N       pass N more file descriptors after stdio (3 .. 3+N-1)",
  "  -h, --help                 show this help",
  NULL,
};

static const char *const run_flags[] = {
  "  -d, --detach               do not wait for the container; exit once it runs",
  "      --keep                 keep the stopped container instead of deleting it",
  NULL,
};

int
hull_parse_create_opts (struct hull_globals *g, int argc, char **argv, bool run,
                        struct hull_create_opts *o)
{
  static const struct option opts[] = {
    { "bundle", required_argument, NULL, 'b' },
    { "console-socket", required_argument, NULL, 'c' },
    { "pid-file", required_argument, NULL, 'p' },
    { "no-pivot", no_argument, NULL, 'P' },
    { "no-new-keyring", no_argument, NULL, 'K' },
    { "preserve-fds", required_argument, NULL, 'F' },
    { "detach", no_argument, NULL, 'd' },
    { "keep", no_argument, NULL, 'k' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *verb = run ? "run" : "create";
  uint64_t n;
  int c, r;

  memset (o, 0, sizeof *o);
  o->root = g->root;
  o->bundle = ".";
  o->systemd_cgroup = g->systemd_cgroup;
  o->rootless = g->rootless;
  while ((c = getopt_long (argc, argv, run ? "+b:dh" : "+b:h", opts, NULL)) != -1)
    switch (c)
      {
      case 'b':
        o->bundle = optarg;
        break;
      case 'c':
        o->console_socket = optarg;
        break;
      case 'p':
        o->pid_file = optarg;
        break;
      case 'P':
        o->no_pivot = true;
        break;
      case 'K':
        o->no_new_keyring = true;
        break;
      case 'F':
        if (parse_u64 (optarg, &n) < 0 || n > 65536)
          return hull_cli_usage (verb, "--preserve-fds: expected a number from 0 to 65536, got \"%s\"",
                                 optarg);
        o->preserve_fds = (int) n;
        break;
      case 'd':
        if (!run)
          goto bad;
        o->detach = true;
        break;
      case 'k':
        if (!run)
          goto bad;
        o->keep = true;
        break;
      case 'h':
        {
          size_t i;
          hull_cli_help (run ? "Usage: hull run [OPTIONS] ID\n\nCreate and start a container from "
                               "a bundle; wait for it and delete it afterwards\nunless --detach or "
                               "--keep is given. Exits with the workload's exit status\n(128+N when "
                               "it was killed by signal N).\n\nOptions:"
                             : "Usage: hull create [OPTIONS] ID\n\nCreate a container from a bundle. "
                               "The container process is set up and\nwaits for `hull start` before "
                               "it runs the workload.\n\nOptions:",
                         create_flags);
          for (i = 0; run && run_flags[i]; i++)
            printf ("%s\n", run_flags[i]);
          return -2;
        }
      default:
      bad:
        return hull_cli_usage (verb, "unknown or incomplete option \"%s\"", argv[optind - 1]);
      }
  r = hull_cli_want_args (verb, argc, argv, optind, 1, "container ID");
  if (r)
    return r;
  o->id = argv[optind];
  if (g->systemd_cgroup)
    o->systemd_cgroup = true;
  return 0;
}

HULL_VERB (create)
{
  struct hull_create_opts o;
  hull_error_t err = NULL;
  int r = hull_parse_create_opts (g, argc, argv, false, &o);
  if (r)
    return r == -2 ? 0 : r;
  if (hull_container_create (&o, &err) < 0)
    return hull_cli_fail (&err);
  return 0;
}
