/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "verbs.h"
#include "container.h"
#include "utils.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const flags[] = {
  "  -p, --process FILE         process.json describing the whole process (args, env, user...)",
  "  -t, --tty                  allocate a pseudo terminal",
  "      --console-socket PATH  unix socket that receives the pty master",
  "      --cwd DIR              working directory inside the container",
  "  -e, --env KEY=VALUE        add an environment variable (repeatable)",
  "  -u, --user UID[:GID]       numeric user and group to run as",
  "  -g, --additional-gids GID  additional group (repeatable)",
  "  -c, --cap CAP              add a capability, e.g. CAP_NET_ADMIN (repeatable)",
  "      --no-new-privs         set no_new_privs for the process",
  "      --process-label LABEL  SELinux label (not supported: an error)",
  "      --apparmor PROFILE     AppArmor profile (not supported: an error)",
  "  -d, --detach               do not wait for the process",
  "      --pid-file FILE        write the process's pid to FILE",
  "      --preserve-fds N       pass N more file descriptors after stdio",
  "      --cgroup [CTRL:]PATH   run in this existing sub-cgroup of the container's cgroup",
  "      --ignore-paused        allow exec into a paused container",
  "  -h, --help                 show this help",
  NULL,
};

static void
push (char ***v, const char *s)
{
  size_t n = strv_len (*v);
  *v = xrealloc (*v, (n + 2) * sizeof (char *));
  (*v)[n] = xstrdup (s);
  (*v)[n + 1] = NULL;
}

HULL_VERB (exec)
{
  static const struct option opts[] = {
    { "process", required_argument, NULL, 'p' },
    { "tty", no_argument, NULL, 't' },
    { "console-socket", required_argument, NULL, 'S' },
    { "cwd", required_argument, NULL, 'w' },
    { "env", required_argument, NULL, 'e' },
    { "user", required_argument, NULL, 'u' },
    { "additional-gids", required_argument, NULL, 'g' },
    { "cap", required_argument, NULL, 'c' },
    { "no-new-privs", no_argument, NULL, 'N' },
    { "process-label", required_argument, NULL, 'L' },
    { "apparmor", required_argument, NULL, 'A' },
    { "detach", no_argument, NULL, 'd' },
    { "pid-file", required_argument, NULL, 'P' },
    { "preserve-fds", required_argument, NULL, 'F' },
    { "cgroup", required_argument, NULL, 'G' },
    { "ignore-paused", no_argument, NULL, 'I' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct hull_exec_opts o = { 0 };
  cleanup_strv char **env = NULL, **gids = NULL, **caps = NULL, **cgroups = NULL;
  hull_error_t err = NULL;
  uint64_t n;
  int c, status = 0;

  o.root = g->root;
  while ((c = getopt_long (argc, argv, "+p:tw:e:u:g:c:dh", opts, NULL)) != -1)
    switch (c)
      {
      case 'p':
        o.process_file = optarg;
        break;
      case 't':
        o.tty = true;
        break;
      case 'S':
        o.console_socket = optarg;
        break;
      case 'w':
        o.cwd = optarg;
        break;
      case 'e':
        if (strchr (optarg, '=') == NULL || optarg[0] == '=')
          return hull_cli_usage ("exec", "--env: expected KEY=VALUE, got \"%s\"", optarg);
        push (&env, optarg);
        break;
      case 'u':
        o.user = optarg;
        break;
      case 'g':
        push (&gids, optarg);
        break;
      case 'c':
        push (&caps, optarg);
        break;
      case 'N':
        o.no_new_privs = true;
        break;
      case 'L':
        o.process_label = optarg;
        break;
      case 'A':
        o.apparmor = optarg;
        break;
      case 'd':
        o.detach = true;
        break;
      case 'P':
        o.pid_file = optarg;
        break;
      case 'F':
        if (parse_u64 (optarg, &n) < 0 || n > 65536)
          return hull_cli_usage ("exec", "--preserve-fds: expected a number, got \"%s\"", optarg);
        o.preserve_fds = (int)n;
        break;
      case 'G':
        push (&cgroups, optarg);
        break;
      case 'I':
        o.ignore_paused = true;
        break;
      case 'h':
        hull_cli_help ("Usage: hull exec [OPTIONS] ID [COMMAND [ARG...]]\n\nRun a new process in a "
                       "running container. It joins every namespace and\nthe cgroup of the "
                       "container and gets its capabilities, rlimits,\nseccomp filter and "
                       "no_new_privs unless --process says otherwise.\nExits with the process's "
                       "exit status.\n\nOptions:",
                       flags);
        return 0;
      default:
        return hull_cli_usage ("exec", "unknown or incomplete option \"%s\"", argv[optind - 1]);
      }
  if (optind >= argc)
    return hull_cli_usage ("exec", "missing container ID");
  o.id = argv[optind++];
  if (o.process_file == NULL && optind >= argc)
    return hull_cli_usage ("exec", "missing the command to run (or --process FILE)");
  if (o.process_file && optind < argc)
    return hull_cli_usage ("exec", "--process and a command line are mutually exclusive");
  o.args = argv + optind;
  o.env = env;
  o.additional_gids = gids;
  o.caps = caps;
  o.cgroups = cgroups;
  if (hull_container_exec (&o, &status, &err) < 0)
    return hull_cli_fail (&err);
  return status;
}
