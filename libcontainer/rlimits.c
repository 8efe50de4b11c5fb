/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* process.rlimits (see process_attrs.h). */
#include <config.h>
#include "process_attrs.h"
#include "procfs.h"
#include "utils.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static void
fmt_limit (char *buf, size_t len, uint64_t v)
{
  if (v == (uint64_t) RLIM_INFINITY)
    snprintf (buf, len, "unlimited");
  else
    snprintf (buf, len, "%llu", (unsigned long long) v);
}

/* fs.nr_open caps RLIMIT_NOFILE even for CAP_SYS_RESOURCE; 0 when unknown. */
static uint64_t
nr_open (void)
{
  cleanup_free char *text = NULL;
  hull_error_t e = NULL;
  uint64_t v;
  size_t len;

  if (hull_procfs_read ("sys/fs/nr_open", &text, &e) < 0)
    {
      hull_error_free (&e);
      return 0;
    }
  len = strlen (text);
  while (len > 0 && text[len - 1] == '\n')
    text[--len] = '\0';
  return parse_u64 (text, &v) < 0 ? 0 : v;
}

/* Why setrlimit failed with EPERM, as a parenthesised hint (or ""). */
static void
explain_eperm (const struct hull_rlimit *r, char *buf, size_t len)
{
  struct rlimit cur;
  char hard[32];
  uint64_t max_open;

  buf[0] = '\0';
  if (r->type == RLIMIT_NOFILE && (max_open = nr_open ()) > 0 && r->hard > max_open)
    {
      snprintf (buf, len, " (the hard limit may not exceed fs.nr_open, which is %llu)",
                (unsigned long long) max_open);
      return;
    }
  if (getrlimit (r->type, &cur) < 0)
    return;
  if (cur.rlim_max != RLIM_INFINITY && r->hard > (uint64_t) cur.rlim_max)
    {
      fmt_limit (hard, sizeof hard, cur.rlim_max);
      snprintf (buf, len, " (the hard limit is %s and raising it needs CAP_SYS_RESOURCE)", hard);
    }
}

int
hull_rlimits_apply (const struct hull_process *p, hull_error_t *err)
{
  size_t i;

  for (i = 0; i < p->rlimits_len; i++)
    {
      const struct hull_rlimit *r = &p->rlimits[i];
      const char *name = r->type_name ? r->type_name : "rlimit";
      struct rlimit lim;
      char soft[32], hard[32], hint[160];

      fmt_limit (soft, sizeof soft, r->soft);
      fmt_limit (hard, sizeof hard, r->hard);
      if (r->soft > r->hard)
        return hull_error_set (err, 0,
                               "process.rlimits[%zu]: %s soft limit %s is above the hard limit %s",
                               i, name, soft, hard);
      lim.rlim_cur = (rlim_t) r->soft;
      lim.rlim_max = (rlim_t) r->hard;
      if (setrlimit (r->type, &lim) == 0)
        continue;
      if (errno == EPERM)
        {
          explain_eperm (r, hint, sizeof hint);
          hull_error_set (err, 0, "process.rlimits[%zu]: setrlimit %s to %s/%s: %s%s", i, name,
                          soft, hard, hull_strerror (EPERM), hint);
          if (*err)
            (*err)->errnum = EPERM;
          return -1;
        }
      return hull_error_set (err, errno, "process.rlimits[%zu]: setrlimit %s to %s/%s", i, name,
                             soft, hard);
    }
  return 0;
}
