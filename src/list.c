/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "verbs.h"
#include "json.h"
#include "state.h"
#include "utils.h"

#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const flags[] = {
  "  -f, --format FORMAT   output format: table (default) or json",
  "  -q, --quiet           print only the container ids",
  "  -h, --help            show this help",
  NULL,
};

struct row
{
  struct hull_state *st;
  enum hull_status status;
  char owner[64];
};

static void
owner_name (uid_t uid, char *buf, size_t len)
{
  struct passwd *pw = getpwuid (uid);
  if (pw)
    snprintf (buf, len, "%s", pw->pw_name);
  else
    snprintf (buf, len, "#%u", (unsigned) uid);
}

HULL_VERB (list)
{
  static const struct option opts[] = { { "format", required_argument, NULL, 'f' },
                                        { "quiet", no_argument, NULL, 'q' },
                                        { "help", no_argument, NULL, 'h' },
                                        { NULL, 0, NULL, 0 } };
  hull_error_t err = NULL;
  const char *format = "table";
  bool quiet = false;
  char **ids;
  struct row *rows;
  size_t n, i, k = 0;
  int c;

  while ((c = getopt_long (argc, argv, "+f:qh", opts, NULL)) != -1)
    switch (c)
      {
      case 'f':
        format = optarg;
        break;
      case 'q':
        quiet = true;
        break;
      case 'h':
        hull_cli_help ("Usage: hull list [OPTIONS]\n\nList the containers in the state root.\n\n"
                       "Options:",
                       flags);
        return 0;
      default:
        return hull_cli_usage ("list", "unknown or incomplete option \"%s\"", argv[optind - 1]);
      }
  if (strcmp (format, "table") && strcmp (format, "json"))
    return hull_cli_usage ("list", "--format: expected table or json, got \"%s\"", format);
  if (optind < argc)
    return hull_cli_usage ("list", "unexpected argument \"%s\"", argv[optind]);
  ids = hull_state_list (g->root, &err);
  if (ids == NULL)
    return hull_cli_fail (&err);
  n = strv_len (ids);
  rows = xmalloc0 ((n + 1) * sizeof *rows);
  for (i = 0; i < n; i++)
    {
      struct hull_state *st = hull_state_load (g->root, ids[i], &err);
      if (st == NULL)
        {
          hull_error_free (&err); /* deleted meanwhile */
          continue;
        }
      rows[k].st = st;
      rows[k].status = hull_state_status (st);
      owner_name (st->owner, rows[k].owner, sizeof rows[k].owner);
      k++;
    }
  if (quiet)
    for (i = 0; i < k; i++)
      printf ("%s\n", rows[i].st->id);
  else if (strcmp (format, "json") == 0)
    {
      yajl_gen j = hull_json_gen (false);
      char *out;
      yajl_gen_array_open (j);
      for (i = 0; i < k; i++)
        {
          struct hull_state *st = rows[i].st;
          size_t a;
          yajl_gen_map_open (j);
          hull_json_kstr (j, "ociVersion", st->oci_version ? st->oci_version : "");
          hull_json_kstr (j, "id", st->id);
          hull_json_kint (j, "pid", rows[i].status == HULL_STATUS_STOPPED ? 0 : st->pid);
          hull_json_kstr (j, "status", hull_status_name (rows[i].status));
          hull_json_kstr (j, "bundle", st->bundle ? st->bundle : "");
          hull_json_kstr (j, "rootfs", st->rootfs ? st->rootfs : "");
          hull_json_kstr (j, "created", st->created ? st->created : "");
          if (st->annotations_len)
            {
              hull_json_key (j, "annotations");
              yajl_gen_map_open (j);
              for (a = 0; a < st->annotations_len; a++)
                hull_json_kstr (j, st->annotations[a].key, st->annotations[a].value);
              yajl_gen_map_close (j);
            }
          hull_json_kstr (j, "owner", rows[i].owner);
          yajl_gen_map_close (j);
        }
      yajl_gen_array_close (j);
      out = hull_json_finish (j);
      printf ("%s\n", out);
      free (out);
    }
  else
    {
      int wid = 2, wbundle = 6, wstatus = 6;
      for (i = 0; i < k; i++)
        {
          int l1 = (int) strlen (rows[i].st->id), l2 = rows[i].st->bundle ? (int) strlen (rows[i].st->bundle) : 0;
          int l3 = (int) strlen (hull_status_name (rows[i].status));
          wid = l1 > wid ? l1 : wid;
          wbundle = l2 > wbundle ? l2 : wbundle;
          wstatus = l3 > wstatus ? l3 : wstatus;
        }
      printf ("%-*s   %-7s   %-*s   %-*s   %-30s   %s\n", wid, "ID", "PID", wstatus, "STATUS", wbundle,
              "BUNDLE", "CREATED", "OWNER");
      for (i = 0; i < k; i++)
        {
          struct hull_state *st = rows[i].st;
          printf ("%-*s   %-7d   %-*s   %-*s   %-30s   %s\n", wid, st->id,
                  rows[i].status == HULL_STATUS_STOPPED ? 0 : (int) st->pid, wstatus,
                  hull_status_name (rows[i].status), wbundle, st->bundle ? st->bundle : "",
                  st->created ? st->created : "", rows[i].owner);
        }
    }
  for (i = 0; i < k; i++)
    hull_state_free (rows[i].st);
  free (rows);
  strv_free (ids);
  return 0;
}
