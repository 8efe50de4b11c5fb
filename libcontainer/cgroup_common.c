/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Pieces the managers share: reading, writing, creating and removing cgroup
 * files and directories, collecting a cgroup's pids, short sleeps while
 * polling a freezer, rdma.max lines, and signalling every task of a
 * (frozen) cgroup.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_internal.h"
#include "utils.h"

void
cg_msleep (long ms)
{
  nanosleep (&(struct timespec){ ms / 1000, (ms % 1000) * 1000000 }, NULL);
}

int
cg_set_rdma (const char *dir, const struct hull_rdma *x, hull_error_t *err)
{
  cleanup_free char *hh = NULL, *ho = NULL;

  hh = x->hca_handles.set ? xasprintf (" hca_handle=%" PRIu64, x->hca_handles.value) : xstrdup ("");
  ho = x->hca_objects.set ? xasprintf (" hca_object=%" PRIu64, x->hca_objects.value) : xstrdup ("");
  return cg_write (dir, "rdma.max", err, "%s%s%s", x->device, hh, ho);
}

int
cg_signal_all (struct hull_cgroup *cg, int sig, bool can_freeze,
               int (*freeze) (struct hull_cgroup *cg, bool frozen, hull_error_t *err),
               bool (*is_frozen) (struct hull_cgroup *cg), hull_error_t *err)
{
  cleanup_free pid_t *pids = NULL;
  size_t n = 0;
  bool was_frozen = is_frozen (cg);
  bool froze = false;

  /* freeze first so nothing forks between reading cgroup.procs and signalling */
  if (can_freeze && !was_frozen && freeze (cg, true, err) == 0)
    froze = true;
  hull_error_free (err);
  if (hull_cgroup_pids (cg, &pids, &n, err) < 0)
    goto out;
  for (size_t i = 0; i < n; i++)
    if (kill (pids[i], sig) < 0 && errno != ESRCH)
      {
        hull_error_set (err, errno, "kill %d", (int) pids[i]);
        goto out;
      }
out:
  /* a SIGKILLed task only dies once thawed */
  if (froze || (sig == SIGKILL && was_frozen))
    {
      hull_error_t e = NULL;
      freeze (cg, false, &e);
      hull_error_free (&e);
    }
  return *err ? -1 : 0;
}

/* ---- file helpers ------------------------------------------------------- */

int
cg_write (const char *dir, const char *file, hull_error_t *err, const char *fmt, ...)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, file);
  cleanup_free char *val = NULL;
  cleanup_close int fd = -1;
  va_list ap;
  ssize_t w;

  va_start (ap, fmt);
  val = xvasprintf (fmt, ap);
  va_end (ap);
  fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return hull_error_set (err, errno, "open \"%s\"", path);
  /* cgroup files take one value per write(2) */
  w = write (fd, val, strlen (val));
  if (w < 0)
    return hull_error_set (err, errno, "write \"%s\" to \"%s\"", val, path);
  return 0;
}

int
cg_read (const char *dir, const char *file, char **out, hull_error_t *err)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, file);
  return read_file_at (AT_FDCWD, path, out, NULL, err);
}

int
cg_read_u64 (const char *dir, const char *file, uint64_t *out)
{
  cleanup_free char *s = NULL;
  hull_error_t err = NULL;
  char *nl;

  if (cg_read (dir, file, &s, &err) < 0)
    {
      hull_error_free (&err);
      return -1;
    }
  nl = strchr (s, '\n');
  if (nl)
    *nl = '\0';
  if (strcmp (s, "max") == 0)
    {
      *out = UINT64_MAX;
      return 0;
    }
  if (s[0] == '-')
    {
      *out = UINT64_MAX;   /* "-1" in v1 means unlimited */
      return 0;
    }
  return parse_u64 (s, out);
}

int
cg_read_keyed (const char *dir, const char *file, const char *key, uint64_t *out)
{
  cleanup_free char *s = NULL;
  hull_error_t err = NULL;
  size_t kl = strlen (key);

  if (cg_read (dir, file, &s, &err) < 0)
    {
      hull_error_free (&err);
      return -1;
    }
  for (char *line = s; line && *line;)
    {
      char *nl = strchr (line, '\n');
      if (nl)
        *nl = '\0';
      if (strncmp (line, key, kl) == 0 && line[kl] == ' ')
        return parse_u64 (line + kl + 1, out);
      line = nl ? nl + 1 : NULL;
    }
  return -1;
}

bool
cg_file_exists (const char *dir, const char *file)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, file);
  return access (path, F_OK) == 0;
}

int
cg_mkdir_p (const char *mountpoint, const char *dir, int *created, hull_error_t *err)
{
  size_t lm = strlen (mountpoint);
  cleanup_free char *p = xstrdup (dir);

  *created = 0;
  if (strncmp (dir, mountpoint, lm) != 0)
    return hull_error_set (err, 0, "cgroup \"%s\" is outside \"%s\"", dir, mountpoint);
  for (char *s = p + lm;; s++)
    {
      if (*s == '/' || *s == '\0')
        {
          char c = *s;
          *s = '\0';
          if (strlen (p) > lm)
            {
              if (mkdir (p, 0755) == 0)
                (*created)++;
              else if (errno != EEXIST)
                return hull_error_set (err, errno, "mkdir \"%s\"", p);
              else if (*created > 0)
                (*created)++; /* raced with another creator below our new level: still ours */
            }
          *s = c;
          if (c == '\0')
            break;
        }
    }
  return 0;
}

/* Remove the child cgroups below dir (a container may create its own), deepest first. */
static void
rmdir_children (const char *dir)
{
  cleanup_dir DIR *d = opendir (dir);
  struct dirent *de;

  if (d == NULL)
    return;
  while ((de = readdir (d)))
    {
      cleanup_free char *sub = NULL;
      if (de->d_type != DT_DIR || de->d_name[0] == '.')
        continue;
      sub = xasprintf ("%s/%s", dir, de->d_name);
      rmdir_children (sub);
      for (int i = 0; i < 100 && rmdir (sub) < 0 && errno == EBUSY; i++)
        nanosleep (&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
    }
}

int
cg_rmdir (const char *dir, int created, hull_error_t *err)
{
  cleanup_free char *p = xstrdup (dir);

  /* Usually the leaf has neither tasks nor children: one rmdir does it, and
     only a busy one is searched for child cgroups and retried. */
  if (rmdir (p) < 0 && errno != ENOENT)
    {
      if (errno != EBUSY && errno != ENOTEMPTY)
        return hull_error_set (err, errno, "rmdir \"%s\"", p);
      rmdir_children (p);
      for (int i = 0; i < 200; i++)
        {
          if (rmdir (p) == 0 || errno == ENOENT)
            break;
          if (errno != EBUSY && errno != ENOTEMPTY)
            return hull_error_set (err, errno, "rmdir \"%s\"", p);
          if (i == 199)
            return hull_error_set (err, errno, "rmdir \"%s\"", p);
          nanosleep (&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
        }
    }
  /* parents hull created for a nested path go too, when nobody else uses them */
  for (int i = 1; i < created; i++)
    {
      char *slash = strrchr (p, '/');
      if (slash == NULL || slash == p)
        break;
      *slash = '\0';
      if (rmdir (p) < 0)
        break;
    }
  return 0;
}

int
cg_enter_dir (const char *dir, pid_t pid, hull_error_t *err)
{
  return cg_write (dir, "cgroup.procs", err, "%d", (int) pid);
}

int
cg_collect_pids (const char *dir, pid_t **pids, size_t *n, hull_error_t *err)
{
  cleanup_free char *s = NULL;
  cleanup_dir DIR *d = NULL;
  struct dirent *de;

  if (cg_read (dir, "cgroup.procs", &s, err) < 0)
    return -1;
  for (char *line = s; *line;)
    {
      char *nl = strchrnul (line, '\n');
      int64_t v;
      char c = *nl;
      *nl = '\0';
      if (*line && parse_i64 (line, &v) == 0 && v > 0)
        {
          *pids = xrealloc (*pids, (*n + 1) * sizeof **pids);
          (*pids)[(*n)++] = (pid_t) v;
        }
      if (c == '\0')
        break;
      line = nl + 1;
    }
  d = opendir (dir);
  if (d == NULL)
    return 0;
  while ((de = readdir (d)))
    {
      cleanup_free char *sub = NULL;
      if (de->d_type != DT_DIR || de->d_name[0] == '.')
        continue;
      sub = xasprintf ("%s/%s", dir, de->d_name);
      if (cg_collect_pids (sub, pids, n, err) < 0)
        return -1;
    }
  return 0;
}

struct cg_hier *
cg_hier_find (struct hull_cgroup *cg, const char *c)
{
  size_t lc = strlen (c);
  for (size_t i = 0; i < cg->nh; i++)
    {
      const char *p = cg->h[i].name;
      if (*c == '\0' && *p == '\0')
        return &cg->h[i];
      while (*c && *p)
        {
          const char *e = strchrnul (p, ',');
          if ((size_t) (e - p) == lc && strncmp (p, c, lc) == 0)
            return &cg->h[i];
          p = *e ? e + 1 : e;
        }
    }
  return NULL;
}
