/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Sub-cgroups for `exec --cgroup` (see cgroup_sub.h).  The handle returned
 * is a copy of the container's (through its serialized form, so it carries
 * exactly what state.jsonl knows) whose directories point into the
 * sub-cgroup; joining it goes through the manager's usual enter operation.
 */
#include <config.h>
#include "cgroup_sub.h"
#include "cgroup_internal.h"
#include "utils.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* "a//./b/" -> "a/b" ("" for the cgroup itself); NULL with err on "..". */
static char *
clean_relative (const char *spec, const char *path, hull_error_t *err)
{
  cleanup_free char *copy = xstrdup (path);
  char *out = xmalloc0 (strlen (path) + 1), *save = NULL, *c;
  size_t n = 0;

  for (c = strtok_r (copy, "/", &save); c; c = strtok_r (NULL, "/", &save))
    {
      if (strcmp (c, ".") == 0)
        continue;
      if (strcmp (c, "..") == 0)
        {
          free (out);
          hull_error_set (err, 0,
                          "--cgroup \"%s\": \"..\" is not allowed: the sub-cgroup must be "
                          "inside the container's cgroup",
                          spec);
          return NULL;
        }
      if (n)
        out[n++] = '/';
      memcpy (out + n, c, strlen (c));
      n += strlen (c);
    }
  return out;
}

/* True when the comma list `list` holds controller c. */
static bool
list_has (const char *list, const char *c)
{
  size_t l = strlen (c);
  const char *p = list;
  while (p && *p)
    {
      const char *e = strchr (p, ',');
      size_t n = e ? (size_t)(e - p) : strlen (p);
      if (n == l && strncmp (p, c, l) == 0)
        return true;
      p = e ? e + 1 : NULL;
    }
  return false;
}

/* Point h into its sub-cgroup rel, which must exist. */
static int
move_hier (struct cg_hier *h, const char *spec, const char *rel, hull_error_t *err)
{
  struct stat sb;
  char *dir;

  if (*rel == '\0')
    return 0;
  dir = xasprintf ("%s/%s", h->dir, rel);
  if (lstat (dir, &sb) < 0)
    {
      int e = errno;
      if (e == ENOENT)
        hull_error_set (err, 0, "--cgroup \"%s\": sub-cgroup \"%s\" does not exist (create it first)", spec,
                        dir);
      else
        hull_error_set (err, e, "--cgroup \"%s\": sub-cgroup \"%s\"", spec, dir);
      free (dir);
      return -1;
    }
  if (!S_ISDIR (sb.st_mode) || !cg_file_exists (dir, "cgroup.procs"))
    {
      hull_error_set (err, 0, "--cgroup \"%s\": \"%s\" is not a cgroup", spec, dir);
      free (dir);
      return -1;
    }
  free (h->dir);
  h->dir = dir;
  return 0;
}

struct hull_cgroup *
hull_cgroup_sub (struct hull_cgroup *cg, const char *sub, hull_error_t *err)
{
  cleanup_free char *ser = NULL, *ctrls = NULL, *rel = NULL;
  const char *colon = strchr (sub, ':'), *path = sub;
  struct hull_cgroup *out;
  size_t i;

  if (colon)
    {
      if (strchr (colon + 1, ':'))
        {
          hull_error_set (err, 0, "--cgroup \"%s\": expected PATH or CONTROLLER[,CONTROLLER]:PATH", sub);
          return NULL;
        }
      ctrls = xstrndup (sub, (size_t)(colon - sub));
      path = colon + 1;
      if (*ctrls == '\0' || ctrls[0] == ',' || ctrls[strlen (ctrls) - 1] == ',' || strstr (ctrls, ",,"))
        {
          hull_error_set (err, 0, "--cgroup \"%s\": empty controller name", sub);
          return NULL;
        }
    }
  if (*path == '\0')
    {
      hull_error_set (err, 0, "--cgroup \"%s\": empty sub-cgroup path", sub);
      return NULL;
    }
  rel = clean_relative (sub, path, err);
  if (rel == NULL)
    return NULL;
  if (cg->mode == CG_MODE_NONE || cg->nh == 0)
    {
      hull_error_set (err, 0, "--cgroup \"%s\": the container has no cgroup", sub);
      return NULL;
    }
  ser = hull_cgroup_serialize (cg);
  out = hull_cgroup_deserialize (ser, err);
  if (out == NULL)
    return NULL;
  for (i = 0; i < out->nh; i++)
    out->h[i].created = 0; /* this handle never removes anything */

  if (ctrls == NULL)
    {
      for (i = 0; i < out->nh; i++)
        if (move_hier (&out->h[i], sub, rel, err) < 0)
          goto fail;
      return out;
    }
  {
    cleanup_free char *copy = xstrdup (ctrls);
    char *save = NULL, *c;
    bool *moved = xmalloc0 (out->nh * sizeof (bool));
    for (c = strtok_r (copy, ",", &save); c; c = strtok_r (NULL, ",", &save))
      {
        struct cg_hier *h = NULL;
        size_t k;
        for (k = 0; k < out->nh; k++)
          if (*out->h[k].name && list_has (out->h[k].name, c))
            h = &out->h[k];
        if (h == NULL)
          {
            free (moved);
            if (out->mode == CG_MODE_V2)
              hull_error_set (err, 0,
                              "--cgroup \"%s\": cgroup v2 has a single hierarchy, give the "
                              "path without a controller",
                              sub);
            else
              hull_error_set (err, 0, "--cgroup \"%s\": unknown controller \"%s\"", sub, c);
            goto fail;
          }
        k = (size_t)(h - out->h);
        if (moved[k]) /* "cpu,cpuacct:x" names one hierarchy twice */
          continue;
        moved[k] = true;
        if (move_hier (h, sub, rel, err) < 0)
          {
            free (moved);
            goto fail;
          }
      }
    free (moved);
  }
  return out;

fail:
  hull_cgroup_free (out);
  return NULL;
}

struct hull_cgroup *
hull_cgroup_sub_list (struct hull_cgroup *cg, char *const *specs, hull_error_t *err)
{
  struct hull_cgroup *out = NULL;
  size_t n = 0, i, k;

  while (specs && specs[n])
    n++;
  if (n == 0)
    {
      hull_error_set (err, 0, "--cgroup: no sub-cgroup given");
      return NULL;
    }
  if (n == 1)
    return hull_cgroup_sub (cg, specs[0], err);
  for (i = 0; i < n; i++)
    if (strchr (specs[i], ':') == NULL)
      {
        hull_error_set (err, 0,
                        "--cgroup \"%s\": with several --cgroup options each needs a "
                        "CONTROLLER: prefix",
                        specs[i]);
        return NULL;
      }
  for (i = 0; i < n; i++)
    {
      struct hull_cgroup *one = hull_cgroup_sub (cg, specs[i], err);
      if (one == NULL)
        goto fail;
      if (out == NULL)
        {
          out = one;
          continue;
        }
      for (k = 0; k < one->nh && k < out->nh; k++)
        {
          if (strcmp (one->h[k].dir, cg->h[k].dir) == 0)
            continue;
          if (strcmp (out->h[k].dir, cg->h[k].dir) != 0)
            {
              hull_error_set (err, 0, "--cgroup \"%s\": the \"%s\" hierarchy is given more than once",
                              specs[i], one->h[k].name);
              hull_cgroup_free (one);
              goto fail;
            }
          free (out->h[k].dir);
          out->h[k].dir = xstrdup (one->h[k].dir);
        }
      hull_cgroup_free (one);
    }
  return out;

fail:
  hull_cgroup_free (out);
  return NULL;
}
