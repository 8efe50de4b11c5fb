/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hull events: resource statistics and OOM notifications of a container, as JSON lines. */
#include <config.h>
#include "verbs.h"
#include "cgroup_container.h"
#include "utils.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const flags[] = {
  "  --interval DURATION   time between stats events (default 5s; units ms, s, m, h)",
  "  --stats               print the current stats once and exit",
  "  -h, --help            show this help",
  NULL,
};

/* "5s", "100ms", "1m", "1h", "2" (seconds), "1.5s" -> milliseconds. */
static int
parse_duration (const char *s, uint64_t *ms)
{
  char *end = NULL;
  double v;

  if (!isdigit ((unsigned char) *s))
    return -1;
  errno = 0;
  v = strtod (s, &end);
  if (errno || end == s)
    return -1;
  if (*end == '\0' || strcmp (end, "s") == 0)
    v *= 1000;
  else if (strcmp (end, "ms") == 0)
    ;
  else if (strcmp (end, "m") == 0)
    v *= 60000;
  else if (strcmp (end, "h") == 0)
    v *= 3600000;
  else
    return -1;
  if (v < 1 || v > 1e12)
    return -1;
  *ms = (uint64_t) v;
  return 0;
}

HULL_VERB (events)
{
  enum { O_INTERVAL = 256, O_STATS };
  static const struct option opts[] = { { "interval", required_argument, NULL, O_INTERVAL },
                                        { "stats", no_argument, NULL, O_STATS },
                                        { "help", no_argument, NULL, 'h' },
                                        { NULL, 0, NULL, 0 } };
  uint64_t interval = 5000;
  bool stats = false;
  hull_error_t err = NULL;
  int c, ret;

  while ((c = getopt_long (argc, argv, "+h", opts, NULL)) != -1)
    {
      if (c == O_INTERVAL)
        {
          if (parse_duration (optarg, &interval) < 0)
            return hull_cli_usage ("events", "--interval: invalid duration \"%s\"", optarg);
        }
      else if (c == O_STATS)
        stats = true;
      else if (c == 'h')
        {
          hull_cli_help ("Usage: hull events [OPTIONS] ID\n\nPrint resource statistics every interval and "
                         "an event for each OOM kill,\none JSON object per line, until the container "
                         "stops.\n\nOptions:",
                         flags);
          return 0;
        }
      else
        return hull_cli_usage ("events", "unknown option \"%s\"", argv[optind - 1]);
    }
  if ((ret = hull_cli_want_args ("events", argc, argv, optind, 1, "container ID")) != 0)
    return ret;
  if (stats)
    {
      cleanup_free char *line = hull_container_stats_event (g->root, argv[optind], &err);
      if (line == NULL)
        return hull_cli_fail (&err);
      printf ("%s\n", line);
      return 0;
    }
  if (hull_container_events (g->root, argv[optind], interval, stdout, &err) < 0)
    return hull_cli_fail (&err);
  return 0;
}
