/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hull: global options and verb dispatch.
 */
#include <config.h>
#include "verbs.h"
#include "idmap.h"
#include "log.h"
#include "state.h"
#include "utils.h"

#include <getopt.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct hull_verb verbs[] = {
  { "check", verb_check, "validate a bundle and report every problem found" },
  { "create", verb_create, "create a container" },
  { "delete", verb_delete, "delete a container and everything it holds" },
  { "events", verb_events, "show resource statistics and events of a container" },
  { "exec", verb_exec, "run a new process inside a running container" },
  { "features", verb_features, "show what this build and host support" },
  { "kill", verb_kill, "send a signal to a container's processes" },
  { "list", verb_list, "list containers" },
  { "pause", verb_pause, "freeze every process of a container" },
  { "ps", verb_ps, "list the processes of a container" },
  { "resume", verb_resume, "thaw a paused container" },
  { "run", verb_run, "create and start a container" },
  { "spec", verb_spec, "write a default config.json" },
  { "start", verb_start, "start a created container" },
  { "state", verb_state, "print the state of a container as JSON" },
  { "update", verb_update, "change the resource limits of a container" },
  { NULL, NULL, NULL },
};

static void
print_version (void)
{
  const struct scmp_version *sv = seccomp_version ();
  printf ("hull version %s\nspec: 1.2.0\nlibseccomp: %u.%u.%u\n", PACKAGE_VERSION, sv->major,
          sv->minor, sv->micro);
}

static void
print_help (void)
{
  size_t i;
  printf ("Usage: hull [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGS]\n\n"
          "hull runs OCI containers: it turns a bundle (config.json and a root filesystem)\n"
          "into an isolated process.\n\nCommands:\n");
  for (i = 0; verbs[i].name; i++)
    printf ("  %-10s %s\n", verbs[i].name, verbs[i].summary);
  printf ("\nGlobal options:\n"
          "      --root DIR            state directory (default /run/hull; $XDG_RUNTIME_DIR/hull or /tmp/hull-UID when not root)\n"
          "      --log FILE            write log messages to FILE instead of stderr\n"
          "      --log-format FORMAT   log format: text or json\n"
          "      --debug               log debug messages and the setup timeline\n"
          "      --systemd-cgroup      manage cgroups through systemd (cgroupsPath slice:prefix:name)\n"
          "      --rootless VALUE      accepted for runc compatibility: true, false or auto\n"
          "      --criu PATH           accepted for runc compatibility\n"
          "  -v, --version             print the version\n"
          "  -h, --help                show this help\n\n"
          "Run 'hull COMMAND --help' for the options of a command.\n");
}

int
main (int argc, char **argv)
{
  static const struct option opts[] = {
    { "root", required_argument, NULL, 'r' },
    { "log", required_argument, NULL, 'l' },
    { "log-format", required_argument, NULL, 'f' },
    { "debug", no_argument, NULL, 'd' },
    { "systemd-cgroup", no_argument, NULL, 's' },
    { "rootless", required_argument, NULL, 'R' },
    { "criu", required_argument, NULL, 'C' },
    { "version", no_argument, NULL, 'v' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct hull_globals g = { 0 };
  hull_error_t err = NULL;
  const char *log_format = "text";
  char *default_root = NULL;
  int c;
  size_t i;

  /* as runc's "auto": root of a user namespace (rootless Podman) is rootless too */
  g.rootless = geteuid () != 0 || hull_in_user_namespace ();
  opterr = 0;
  while ((c = getopt_long (argc, argv, "+vh", opts, NULL)) != -1)
    {
      switch (c)
        {
        case 'r':
          g.root = optarg;
          break;
        case 'l':
          g.log_path = optarg;
          break;
        case 'f':
          log_format = optarg;
          break;
        case 'd':
          g.debug = true;
          break;
        case 's':
          g.systemd_cgroup = true;
          break;
        case 'R':
          if (strcmp (optarg, "true") && strcmp (optarg, "false") && strcmp (optarg, "auto"))
            return hull_cli_usage (NULL, "--rootless: expected true, false or auto, got \"%s\"",
                                   optarg);
          if (strcmp (optarg, "true") == 0)
            g.rootless = true;
          else if (strcmp (optarg, "false") == 0)
            g.rootless = false;
          break;
        case 'C':
          break;
        case 'v':
          print_version ();
          return 0;
        case 'h':
          print_help ();
          return 0;
        default:
          if (optopt)
            return hull_cli_usage (NULL, "unknown or incomplete option \"-%c\"", optopt);
          return hull_cli_usage (NULL, "unknown or incomplete option \"%s\"", argv[optind - 1]);
        }
    }
  if (strcmp (log_format, "text") && strcmp (log_format, "json"))
    return hull_cli_usage (NULL, "--log-format: expected text or json, got \"%s\"", log_format);
  if (hull_log_init (g.log_path, strcmp (log_format, "json") == 0, g.debug, &err) < 0)
    {
      fprintf (stderr, "hull: %s\n", err->msg);
      hull_error_free (&err);
      return 1;
    }
  if (optind >= argc)
    {
      print_help ();
      return 1;
    }
  if (g.root == NULL && (g.root = default_root = hull_state_default_root (&err)) == NULL)
    return hull_cli_fail (&err);
  for (i = 0; verbs[i].name; i++)
    if (strcmp (verbs[i].name, argv[optind]) == 0)
      {
        int status;
        optind++;
        argc -= optind - 1;
        argv += optind - 1;
        optind = 0; /* full getopt reset for the verb's own options */
        opterr = 0;
        status = verbs[i].fn (&g, argc, argv);
        free (default_root);
        return status;
      }
  free (default_root);
  return hull_cli_usage (NULL, "unknown command \"%s\"", argv[optind]);
}
