/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hull check: validate a bundle and report every problem found (a hull extension). */
#include <config.h>
#include "verbs.h"
#include "bundle_check.h"
#include "utils.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const check_flags[] = {
  "  -b, --bundle DIR     path to the bundle (default: current directory)",
  "      --format FORMAT  output format: text (default) or json",
  "  -h, --help           show this help",
  NULL,
};

static void
print_findings (const char *kind, const struct hull_check_finding *v, size_t n)
{
  size_t i;

  for (i = 0; i < n; i++)
    printf ("%s: %s%s%s — hint: %s\n", kind, v[i].path, *v[i].path ? ": " : "", v[i].message,
            v[i].hint);
}

static void
print_text (const struct hull_check_report *r)
{
  print_findings ("error", r->errors, r->n_errors);
  if (r->n_warnings)
    {
      printf ("warnings:\n");
      print_findings ("warning", r->warnings, r->n_warnings);
    }
  printf ("%zu error%s, %zu warning%s\n", r->n_errors, r->n_errors == 1 ? "" : "s", r->n_warnings,
          r->n_warnings == 1 ? "" : "s");
}

HULL_VERB (check)
{
  static const struct option opts[] = {
    { "bundle", required_argument, NULL, 'b' },
    { "format", required_argument, NULL, 'f' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct hull_check_opts o = { .bundle = ".", .systemd_cgroup = g->systemd_cgroup,
                               .rootless = g->rootless };
  struct hull_check_report *r = NULL;
  hull_error_t err = NULL;
  bool json = false;
  int c, status;

  while ((c = getopt_long (argc, argv, "+b:h", opts, NULL)) != -1)
    switch (c)
      {
      case 'b':
        o.bundle = optarg;
        break;
      case 'f':
        if (strcmp (optarg, "text") == 0)
          json = false;
        else if (strcmp (optarg, "json") == 0)
          json = true;
        else
          return hull_cli_usage ("check", "--format: expected text or json, got \"%s\"", optarg);
        break;
      case 'h':
        hull_cli_help ("Usage: hull check [OPTIONS]\n\nValidate a bundle without running it and "
                       "report every problem found, each\nwith the JSON path of the field, what "
                       "is wrong and a hint. Exits 0 when the\nbundle would run (warnings "
                       "allowed), 1 when it has errors.\n\nOptions:",
                       check_flags);
        return 0;
      default:
        return hull_cli_usage ("check", "unknown or incomplete option \"%s\"", argv[optind - 1]);
      }
  if (hull_cli_want_args ("check", argc, argv, optind, 0, "arguments"))
    return 1;
  if (hull_bundle_check (&o, &r, &err) < 0)
    return hull_cli_fail (&err);
  if (json)
    {
      cleanup_free char *text = hull_check_report_json (r);
      size_t n = strlen (text);
      printf ("%s%s", text, n && text[n - 1] == '\n' ? "" : "\n");
    }
  else
    print_text (r);
  status = r->n_errors ? 1 : 0;
  hull_check_report_free (r);
  return status;
}
