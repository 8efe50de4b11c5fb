/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hull ps: list the processes of a container (json: host pids; table: ps(1) output filtered). */
#include <config.h>
#include "verbs.h"
#include "cgroup_container.h"
#include "utils.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const flags[] = {
  "  -f, --format FORMAT   table (ps output, the default) or json (array of host pids)",
  "  -h, --help            show this help",
  NULL,
};

/* Run ps with args and return its stdout. */
static int
run_ps (char **args, int nargs, char **out, hull_error_t *err)
{
  char **argv = xmalloc0 ((size_t) (nargs + 3) * sizeof *argv);
  int p[2], status;
  pid_t pid;
  size_t len;
  int rc;

  argv[0] = (char *) "ps";
  if (nargs == 0)
    argv[1] = (char *) "-ef";
  for (int i = 0; i < nargs; i++)
    argv[i + 1] = args[i];
  if (pipe2 (p, O_CLOEXEC) < 0)
    {
      free (argv);
      return hull_error_set (err, errno, "pipe");
    }
  pid = fork ();
  if (pid < 0)
    {
      free (argv);
      close (p[0]);
      close (p[1]);
      return hull_error_set (err, errno, "fork");
    }
  if (pid == 0)
    {
      dup2 (p[1], 1);
      execvp ("ps", argv);
      fprintf (stderr, "hull ps: exec ps: %s\n", strerror (errno));
      _exit (127);
    }
  free (argv);
  close (p[1]);
  rc = read_all_fd (p[0], "ps output", out, &len, err);
  close (p[0]);
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (rc < 0)
    return -1;
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      free (*out);
      *out = NULL;
      return hull_error_set (err, 0, "ps failed (exit status %d)", WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status));
    }
  return 0;
}

static bool
has_pid (const pid_t *pids, size_t n, long v)
{
  for (size_t i = 0; i < n; i++)
    if (pids[i] == v)
      return true;
  return false;
}

static int
print_table (const pid_t *pids, size_t n, char **args, int nargs, hull_error_t *err)
{
  cleanup_free char *text = NULL;
  char *line, *save = NULL;
  int col = -1;

  if (run_ps (args, nargs, &text, err) < 0)
    return -1;
  for (line = strtok_r (text, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      cleanup_free char *copy = xstrdup (line);
      char *f, *fs = NULL;
      int i = 0;
      if (col < 0)
        {
          for (f = strtok_r (copy, " \t", &fs); f; f = strtok_r (NULL, " \t", &fs), i++)
            if (strcmp (f, "PID") == 0)
              {
                col = i;
                break;
              }
          if (col < 0)
            return hull_error_set (err, 0, "ps: no PID column in the output of ps (check the ps options)");
          printf ("%s\n", line);
          continue;
        }
      for (f = strtok_r (copy, " \t", &fs); f && i < col; f = strtok_r (NULL, " \t", &fs))
        i++;
      if (f && has_pid (pids, n, strtol (f, NULL, 10)))
        printf ("%s\n", line);
    }
  return 0;
}

HULL_VERB (ps)
{
  static const struct option opts[] = { { "format", required_argument, NULL, 'f' },
                                        { "help", no_argument, NULL, 'h' },
                                        { NULL, 0, NULL, 0 } };
  const char *format = "table";
  cleanup_free pid_t *pids = NULL;
  hull_error_t err = NULL;
  size_t n = 0;
  int c;

  while ((c = getopt_long (argc, argv, "+f:h", opts, NULL)) != -1)
    {
      if (c == 'f')
        format = optarg;
      else if (c == 'h')
        {
          hull_cli_help ("Usage: hull ps [OPTIONS] ID [PS OPTIONS...]\n\nList the processes running in a "
                         "container.  PS OPTIONS go to ps(1)\n(default -ef).\n\nOptions:",
                         flags);
          return 0;
        }
      else
        return hull_cli_usage ("ps", "unknown option \"%s\"", argv[optind - 1]);
    }
  if (strcmp (format, "table") != 0 && strcmp (format, "json") != 0)
    return hull_cli_usage ("ps", "--format: invalid value \"%s\" (table or json)", format);
  if (argc - optind < 1)
    return hull_cli_usage ("ps", "missing container ID");
  if (strcmp (format, "json") == 0 && argc - optind > 1)
    return hull_cli_usage ("ps", "ps options cannot be used with --format json");
  if (hull_container_pids (g->root, argv[optind], &pids, &n, &err) < 0)
    return hull_cli_fail (&err);
  if (strcmp (format, "json") == 0)
    {
      printf ("[");
      for (size_t i = 0; i < n; i++)
        printf ("%s%d", i ? "," : "", (int) pids[i]);
      printf ("]\n");
      return 0;
    }
  if (print_table (pids, n, argv + optind + 1, argc - optind - 1, &err) < 0)
    return hull_cli_fail (&err);
  return 0;
}
