/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The container-level operations behind update, pause, resume, ps and
 * events.  The state lock is held only for the duration of one operation;
 * `events` reloads the state for each round so other verbs are not blocked.
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

#include "cgroup.h"
#include "cgroup_container.h"
#include "state.h"
#include "utils.h"

/* Load the state and its cgroup; *status gets the container's status. */
static struct hull_cgroup *
open_cgroup (const char *root, const char *id, struct hull_state **stp, enum hull_status *status,
             hull_error_t *err)
{
  struct hull_state *st = hull_state_load (root, id, err);
  struct hull_cgroup *cg;

  if (st == NULL)
    return NULL;
  *status = hull_state_status (st);
  if (st->cgroup == NULL || *st->cgroup == '\0')
    {
      hull_error_set (err, 0, "container \"%s\" has no cgroup", id);
      hull_state_free (st);
      return NULL;
    }
  cg = hull_cgroup_deserialize (st->cgroup, err);
  if (cg == NULL)
    {
      hull_state_free (st);
      return NULL;
    }
  *stp = st;
  return cg;
}

int
hull_container_update (const char *root, const char *id, const struct hull_resources *r, hull_error_t *err)
{
  struct hull_state *st = NULL;
  enum hull_status status;
  struct hull_cgroup *cg = open_cgroup (root, id, &st, &status, err);
  int ret = -1;

  if (cg == NULL)
    return -1;
  if (status == HULL_STATUS_STOPPED || status == HULL_STATUS_CREATING)
    hull_error_set (err, 0, "container \"%s\" is not running", id);
  else
    ret = hull_cgroup_update (cg, r, err);
  hull_cgroup_free (cg);
  hull_state_free (st);
  return ret;
}

static int
freeze (const char *root, const char *id, bool frozen, hull_error_t *err)
{
  struct hull_state *st = NULL;
  enum hull_status status;
  struct hull_cgroup *cg = open_cgroup (root, id, &st, &status, err);
  int ret = -1;

  if (cg == NULL)
    return -1;
  if (frozen && status != HULL_STATUS_RUNNING)
    hull_error_set (err, 0, "container \"%s\" is not running", id);
  else if (!frozen && status != HULL_STATUS_PAUSED)
    hull_error_set (err, 0, "container \"%s\" is not paused", id);
  else
    ret = hull_cgroup_freeze (cg, frozen, err);
  hull_cgroup_free (cg);
  hull_state_free (st);
  return ret;
}

int
hull_container_pause (const char *root, const char *id, hull_error_t *err)
{
  return freeze (root, id, true, err);
}

int
hull_container_resume (const char *root, const char *id, hull_error_t *err)
{
  return freeze (root, id, false, err);
}

int
hull_container_pids (const char *root, const char *id, pid_t **pids, size_t *n, hull_error_t *err)
{
  struct hull_state *st = NULL;
  enum hull_status status;
  struct hull_cgroup *cg = open_cgroup (root, id, &st, &status, err);
  int ret = -1;

  *pids = NULL;
  *n = 0;
  if (cg == NULL)
    return -1;
  if (status == HULL_STATUS_STOPPED)
    hull_error_set (err, 0, "container \"%s\" is not running", id);
  else
    ret = hull_cgroup_pids (cg, pids, n, err);
  hull_cgroup_free (cg);
  hull_state_free (st);
  return ret;
}

static char *
event_line (const char *type, const char *id, const char *data)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  const unsigned char *buf;
  size_t len;
  char *r, *tail;

  /* the data object is already JSON: generate the envelope and splice it in */
  yajl_gen_map_open (g);
  yajl_gen_string (g, (const unsigned char *) "type", 4);
  yajl_gen_string (g, (const unsigned char *) type, strlen (type));
  yajl_gen_string (g, (const unsigned char *) "id", 2);
  yajl_gen_string (g, (const unsigned char *) id, strlen (id));
  yajl_gen_map_close (g);
  yajl_gen_get_buf (g, &buf, &len);
  tail = xstrndup ((const char *) buf, len - 1);
  r = data ? xasprintf ("%s,\"data\":%s}", tail, data) : xasprintf ("%s}", tail);
  free (tail);
  yajl_gen_free (g);
  return r;
}

char *
hull_container_stats_event (const char *root, const char *id, hull_error_t *err)
{
  struct hull_state *st = NULL;
  enum hull_status status;
  struct hull_cgroup *cg = open_cgroup (root, id, &st, &status, err);
  cleanup_free char *data = NULL;
  char *r = NULL;

  if (cg == NULL)
    return NULL;
  if (status == HULL_STATUS_STOPPED)
    hull_error_set (err, 0, "container \"%s\" is not running", id);
  else if ((data = hull_cgroup_stats_json (cg, err)))
    r = event_line ("stats", id, data);
  hull_cgroup_free (cg);
  hull_state_free (st);
  return r;
}

/* Still worth watching: exists and is not stopped. */
static bool
alive (const char *root, const char *id)
{
  hull_error_t e = NULL;
  struct hull_state *st = hull_state_load (root, id, &e);
  bool r = st && hull_state_status (st) != HULL_STATUS_STOPPED;
  hull_state_free (st);
  hull_error_free (&e);
  return r;
}

int
hull_container_events (const char *root, const char *id, uint64_t interval_ms, FILE *out, hull_error_t *err)
{
  struct hull_state *st = NULL;
  enum hull_status status;
  struct hull_cgroup *cg = open_cgroup (root, id, &st, &status, err);
  cleanup_close int oomfd = -1;
  hull_error_t e = NULL;
  uint64_t next;

  if (cg == NULL)
    return -1;
  hull_state_free (st); /* do not hold the lock while streaming */
  if (status == HULL_STATUS_STOPPED)
    {
      hull_cgroup_free (cg);
      return hull_error_set (err, 0, "container \"%s\" is not running", id);
    }
  oomfd = hull_cgroup_oom_fd (cg, &e);
  hull_error_free (&e); /* no OOM events without a memory controller; stats still flow */
  if (interval_ms == 0)
    interval_ms = 5000;
  next = now_ns () / 1000000;
  for (;;)
    {
      uint64_t now = now_ns () / 1000000;
      struct pollfd p = { oomfd, POLLIN, 0 };
      int rc;

      if (now >= next)
        {
          cleanup_free char *data = NULL, *line = NULL;
          if (!alive (root, id))
            break;
          data = hull_cgroup_stats_json (cg, &e);
          if (data == NULL)
            {
              hull_error_free (&e);
              break;
            }
          line = event_line ("stats", id, data);
          fprintf (out, "%s\n", line);
          fflush (out);
          next = now + interval_ms;
          continue;
        }
      /* also wake up at least once a second to notice a stopped container */
      rc = poll (&p, oomfd >= 0 ? 1 : 0, (int) (next - now < 1000 ? next - now : 1000));
      if (rc < 0 && errno != EINTR)
        {
          hull_cgroup_free (cg);
          return hull_error_set (err, errno, "poll");
        }
      if (rc > 0 && (p.revents & POLLIN))
        {
          int kills = hull_cgroup_oom_read (cg, oomfd);
          for (int i = 0; i < kills; i++)
            {
              cleanup_free char *line = event_line ("oom", id, NULL);
              fprintf (out, "%s\n", line);
              fflush (out);
            }
        }
      if (rc > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)))
        {
          close_quietly (oomfd);
          oomfd = -1;
        }
      if (rc == 0 && !alive (root, id))
        break;
    }
  hull_cgroup_free (cg);
  return 0;
}
