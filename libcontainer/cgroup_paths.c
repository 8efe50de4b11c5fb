/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Pure helpers of the cgroup managers: parsing /proc/self/cgroup and
 * mountinfo, computing directories from linux.cgroupsPath, systemd unit
 * names, value conversions between v1 and v2, device rule lines, unified
 * key validation and the escaping used by the serialized form.  Nothing
 * here reads or writes files, so the unit tests drive it with fixtures.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_internal.h"
#include "utils.h"

/* ---- /proc/self/cgroup -------------------------------------------------- */

/* Copy of the line at *line (without its newline); *line moves to the next one, NULL after the last. */
static char *
next_line (const char **line)
{
  const char *eol = strchr (*line, '\n');
  size_t l = eol ? (size_t) (eol - *line) : strlen (*line);
  char *copy = xstrndup (*line, l);

  *line = eol ? eol + 1 : NULL;
  return copy;
}

void
cg_proc_entries_free (struct cg_proc_entry *e, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      free (e[i].controllers);
      free (e[i].path);
    }
  free (e);
}

int
cg_parse_proc_cgroup (const char *text, struct cg_proc_entry **out, size_t *n, hull_error_t *err)
{
  struct cg_proc_entry *v = NULL;
  size_t len = 0;
  const char *line = text;

  while (line && *line)
    {
      cleanup_free char *copy = next_line (&line);
      char *c1, *c2;

      if (*copy == '\0')
        continue;
      c1 = strchr (copy, ':');
      c2 = c1 ? strchr (c1 + 1, ':') : NULL;
      if (c2 == NULL || c2[1] != '/')
        {
          cg_proc_entries_free (v, len);
          return hull_error_set (err, 0, "/proc/self/cgroup: malformed line \"%s\"", copy);
        }
      *c2 = '\0';
      v = xrealloc (v, (len + 1) * sizeof *v);
      v[len].controllers = xstrdup (c1 + 1);
      v[len].path = xstrdup (c2 + 1);
      len++;
    }
  *out = v;
  *n = len;
  return 0;
}

/* ---- mountinfo ---------------------------------------------------------- */

void
cg_mounts_free (struct cg_mount *m, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      free (m[i].mountpoint);
      free (m[i].root);
      free (m[i].controllers);
    }
  free (m);
}

/* mountinfo escapes blanks and backslashes as \ooo. */
static char *
unoctal (const char *s)
{
  char *r = xmalloc (strlen (s) + 1), *w = r;
  while (*s)
    {
      if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0'
          && s[3] <= '7')
        {
          *w++ = (char) (((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
          s += 4;
        }
      else
        *w++ = *s++;
    }
  *w = '\0';
  return r;
}

/* Controllers named in v1 super options: drop rw/ro and other non-controller options. */
static char *
v1_controllers (const char *opts)
{
  static const char *const skip[] = { "rw", "ro", "noprefix", "clone_children", "xattr",
                                      "cpuset_v2_mode", "favordynmods", NULL };
  cleanup_free char *copy = xstrdup (opts);
  char *save = NULL, *tok;
  size_t cap = strlen (opts) + 1, used = 0;
  char *r = xmalloc0 (cap);

  for (tok = strtok_r (copy, ",", &save); tok; tok = strtok_r (NULL, ",", &save))
    {
      bool drop = strncmp (tok, "release_agent=", 14) == 0;
      for (size_t i = 0; skip[i] && !drop; i++)
        drop = strcmp (tok, skip[i]) == 0;
      if (drop)
        continue;
      used += (size_t) snprintf (r + used, cap - used, "%s%s", used ? "," : "", tok);
    }
  return r;
}

int
cg_parse_mountinfo (const char *text, struct cg_mount **out, size_t *n, hull_error_t *err)
{
  struct cg_mount *v = NULL;
  size_t len = 0;
  const char *line = text;

  while (line && *line)
    {
      cleanup_free char *copy = next_line (&line);
      char *f[6] = { 0 }, *save = NULL, *tok, *sep, *fstype, *src, *sopts;
      int i = 0;

      sep = strstr (copy, " - ");
      if (sep == NULL)
        continue;
      *sep = '\0';
      for (tok = strtok_r (copy, " ", &save); tok && i < 6; tok = strtok_r (NULL, " ", &save))
        f[i++] = tok;
      if (i < 5)
        {
          cg_mounts_free (v, len);
          return hull_error_set (err, 0, "mountinfo: malformed line");
        }
      save = NULL;
      fstype = strtok_r (sep + 3, " ", &save);
      src = fstype ? strtok_r (NULL, " ", &save) : NULL;
      sopts = src ? strtok_r (NULL, " ", &save) : NULL;
      if (fstype == NULL || (strcmp (fstype, "cgroup") != 0 && strcmp (fstype, "cgroup2") != 0))
        continue;
      {
        bool v2 = strcmp (fstype, "cgroup2") == 0;
        cleanup_free char *ctrl = v2 ? xstrdup ("") : v1_controllers (sopts ? sopts : "");
        bool dup = false;
        for (size_t k = 0; k < len && !dup; k++)
          dup = v[k].v2 == v2 && strcmp (v[k].controllers, ctrl) == 0;
        if (dup)
          continue;
        v = xrealloc (v, (len + 1) * sizeof *v);
        v[len].mountpoint = unoctal (f[4]);
        v[len].root = unoctal (f[3]);
        v[len].controllers = take_ptr (ctrl);
        v[len].v2 = v2;
        len++;
      }
    }
  *out = v;
  *n = len;
  return 0;
}

bool
cg_same_controllers (const char *a, const char *b)
{
  size_t na = 0, nb = 0;
  const char *p;

  for (p = a; *p; p++)
    na += *p == ',';
  for (p = b; *p; p++)
    nb += *p == ',';
  if (na != nb || (*a == '\0') != (*b == '\0'))
    return false;
  for (p = a; *p;)
    {
      const char *e = strchrnul (p, ',');
      size_t l = (size_t) (e - p);
      bool found = false;
      for (const char *q = b; *q && !found;)
        {
          const char *qe = strchrnul (q, ',');
          found = (size_t) (qe - q) == l && strncmp (p, q, l) == 0;
          q = *qe ? qe + 1 : qe;
        }
      if (!found)
        return false;
      p = *e ? e + 1 : e;
    }
  return true;
}

/* ---- paths -------------------------------------------------------------- */

/* Clean a path lexically: collapse '/', drop "." and resolve ".." without going above the start. */
static char *
clean_path (const char *p, bool absolute)
{
  size_t cap = strlen (p) + 2;
  char *r = xmalloc0 (cap);
  size_t used = 0;
  const char *s = p;

  if (absolute)
    r[used++] = '/';
  while (*s)
    {
      const char *e;
      size_t l;
      while (*s == '/')
        s++;
      if (*s == '\0')
        break;
      e = strchrnul (s, '/');
      l = (size_t) (e - s);
      if (l == 1 && s[0] == '.')
        ;
      else if (l == 2 && s[0] == '.' && s[1] == '.')
        {
          while (used > (absolute ? 1 : 0) && r[used - 1] != '/')
            used--;
          if (used > (absolute ? 1 : 0))
            used--;
          r[used] = '\0';
        }
      else
        {
          if (used > 0 && r[used - 1] != '/')
            r[used++] = '/';
          memcpy (r + used, s, l);
          used += l;
          r[used] = '\0';
        }
      s = e;
    }
  r[used] = '\0';
  return r;
}

char *
cg_inner_path (const char *id, const char *cgroups_path)
{
  if (cgroups_path == NULL || *cgroups_path == '\0')
    return clean_path (id, false);
  return clean_path (cgroups_path, cgroups_path[0] == '/');
}

static char *
join (const char *a, const char *b)
{
  size_t la = strlen (a);
  while (la > 0 && a[la - 1] == '/')
    la--;
  while (*b == '/')
    b++;
  if (*b == '\0')
    return la ? xstrndup (a, la) : xstrdup ("/");
  return xasprintf ("%.*s/%s", (int) la, a, b);
}

char *
cg_hier_dir (const char *mountpoint, const char *root, const char *own, const char *inner,
             bool v2_parent)
{
  cleanup_free char *base = NULL;
  const char *rel = own;
  size_t lr = strlen (root);

  if (inner[0] == '/')
    return join (mountpoint, inner);
  /* own is relative to the hierarchy root; the mount shows `root` of it. */
  if (strcmp (root, "/") != 0 && strncmp (own, root, lr) == 0 && (own[lr] == '/' || own[lr] == '\0'))
    rel = own + lr;
  base = clean_path (rel, true);
  if (v2_parent && strcmp (base, "/") != 0)
    {
      char *slash = strrchr (base, '/');
      if (slash == base)
        slash[1] = '\0';
      else
        *slash = '\0';
    }
  {
    cleanup_free char *mid = join (mountpoint, base);
    return join (mid, inner);
  }
}

/* ---- systemd names ------------------------------------------------------ */

int
cg_systemd_names (const char *id, const char *cgroups_path, bool rootless, char **slice,
                  char **unit, hull_error_t *err)
{
  const char *c1, *c2;

  if (cgroups_path == NULL || *cgroups_path == '\0')
    {
      *slice = xstrdup (rootless ? "user.slice" : "system.slice");
      *unit = xasprintf ("hull-%s.scope", id);
      return 0;
    }
  c1 = strchr (cgroups_path, ':');
  c2 = c1 ? strchr (c1 + 1, ':') : NULL;
  if (c2 == NULL || strchr (c2 + 1, ':') != NULL)
    return hull_error_set (err, 0,
                           "linux.cgroupsPath: \"%s\" is not of the form \"slice:prefix:name\" "
                           "required by --systemd-cgroup",
                           cgroups_path);
  {
    cleanup_free char *sl = xstrndup (cgroups_path, (size_t) (c1 - cgroups_path));
    cleanup_free char *prefix = xstrndup (c1 + 1, (size_t) (c2 - c1 - 1));
    const char *name = c2 + 1;
    size_t ln = strlen (name);

    if (strchr (sl, '/') || strchr (prefix, '/') || strchr (name, '/') || *name == '\0')
      return hull_error_set (err, 0, "linux.cgroupsPath: \"%s\": invalid slice, prefix or name",
                             cgroups_path);
    if (*sl == '\0')
      *slice = xstrdup (rootless ? "user.slice" : "system.slice");
    else if (strlen (sl) < 7 || strcmp (sl + strlen (sl) - 6, ".slice") != 0)
      return hull_error_set (err, 0, "linux.cgroupsPath: \"%s\" does not end in \".slice\"", sl);
    else
      *slice = take_ptr (sl);
    /* a name that already is a unit name is used as is */
    if (ln > 6 && strcmp (name + ln - 6, ".slice") == 0)
      *unit = xstrdup (name);
    else if (ln > 6 && strcmp (name + ln - 6, ".scope") == 0)
      *unit = xstrdup (name);
    else if (*prefix)
      *unit = xasprintf ("%s-%s.scope", prefix, name);
    else
      *unit = xasprintf ("%s.scope", name);
  }
  return 0;
}

int
cg_systemd_slice_path (const char *slice, char **out, hull_error_t *err)
{
  size_t l = strlen (slice);
  cleanup_free char *stem = NULL;
  char *r;
  size_t used = 0, cap;

  if (strcmp (slice, "-.slice") == 0)
    {
      *out = xstrdup ("");
      return 0;
    }
  if (l < 7 || strcmp (slice + l - 6, ".slice") != 0 || strchr (slice, '/'))
    return hull_error_set (err, 0, "invalid slice name \"%s\"", slice);
  stem = xstrndup (slice, l - 6);
  if (stem[0] == '-' || stem[strlen (stem) - 1] == '-' || strstr (stem, "--"))
    return hull_error_set (err, 0, "invalid slice name \"%s\"", slice);
  cap = (l + 8) * (l + 8);
  r = xmalloc0 (cap);
  for (const char *p = stem;; p++)
    if (*p == '-' || *p == '\0')
      {
        used += (size_t) snprintf (r + used, cap - used, "/%.*s.slice", (int) (p - stem), stem);
        if (*p == '\0')
          break;
      }
  *out = r;
  return 0;
}

/* ---- conversions -------------------------------------------------------- */

uint64_t
cg_shares_to_weight (uint64_t shares)
{
  if (shares == 0)
    return 0;
  if (shares < 2)
    shares = 2;
  if (shares > 262144)
    shares = 262144;
  return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t
cg_blkio_to_io_weight (uint64_t w)
{
  if (w == 0)
    return 0;
  if (w < 10)
    w = 10;
  if (w > 1000)
    w = 1000;
  return 1 + (w - 10) * 9999 / 990;
}

int
cg_swap_to_v2 (int64_t swap, int64_t limit, int64_t *out, hull_error_t *err)
{
  /* v1 memsw is memory+swap; v2 memory.swap.max is swap alone. */
  if (swap == -1)
    {
      *out = -1;
      return 0;
    }
  if (swap == 0)
    return 1;
  if (limit <= 0)
    return hull_error_set (err, 0,
                           "linux.resources.memory.swap: a swap limit needs a memory limit on cgroup v2");
  if (swap < limit)
    return hull_error_set (err, 0,
                           "linux.resources.memory.swap: %" PRId64 " is below memory.limit %" PRId64
                           " (swap counts memory plus swap)",
                           swap, limit);
  *out = swap - limit;
  return 0;
}

char *
cg_device_rule_v1 (const struct hull_device_cgroup *d)
{
  char maj[32] = "*", min[32] = "*";
  char type = d->type ? d->type : 'a';

  if (d->major.set && d->major.value >= 0)
    snprintf (maj, sizeof maj, "%" PRId64, d->major.value);
  if (d->minor.set && d->minor.value >= 0)
    snprintf (min, sizeof min, "%" PRId64, d->minor.value);
  return xasprintf ("%c %s:%s %s", type, maj, min, d->access && *d->access ? d->access : "rwm");
}

int
cg_unified_key_check (const char *key, hull_error_t *err)
{
  static const char *const known[] = { "cgroup", "cpu", "cpuset", "io", "memory", "pids",
                                       "hugetlb", "rdma", "misc", NULL };
  const char *dot = strchr (key, '.');
  bool ok = false;

  if (*key == '\0' || strchr (key, '/') || strcmp (key, ".") == 0 || strcmp (key, "..") == 0
      || strstr (key, ".."))
    return hull_error_set (err, 0, "linux.resources.unified: invalid key \"%s\"", key);
  if (dot == NULL || dot == key || dot[1] == '\0')
    return hull_error_set (err, 0, "linux.resources.unified: \"%s\" is not a controller file",
                           key);
  for (size_t i = 0; known[i] && !ok; i++)
    ok = strlen (known[i]) == (size_t) (dot - key) && strncmp (key, known[i], (size_t) (dot - key)) == 0;
  if (!ok)
    return hull_error_set (err, 0, "linux.resources.unified: \"%s\": unknown controller \"%.*s\"",
                           key, (int) (dot - key), key);
  if (strncmp (key, "cgroup.", 7) == 0
      && (strcmp (key, "cgroup.procs") == 0 || strcmp (key, "cgroup.threads") == 0
          || strcmp (key, "cgroup.subtree_control") == 0 || strcmp (key, "cgroup.kill") == 0
          || strcmp (key, "cgroup.freeze") == 0 || strcmp (key, "cgroup.type") == 0))
    return hull_error_set (err, 0, "linux.resources.unified: \"%s\" is managed by the runtime", key);
  return 0;
}

/* ---- escaping ----------------------------------------------------------- */

static bool
safe_char (unsigned char c)
{
  return isalnum (c) || strchr ("/_.,:+@-", c) != NULL;
}

char *
cg_escape (const char *s)
{
  char *r = xmalloc (strlen (s) * 3 + 1), *w = r;
  for (; *s; s++)
    {
      unsigned char c = (unsigned char) *s;
      if (c && safe_char (c))
        *w++ = (char) c;
      else
        w += sprintf (w, "%%%02X", c);
    }
  *w = '\0';
  return r;
}

static int
hexval (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

char *
cg_unescape (const char *s)
{
  char *r = xmalloc (strlen (s) + 1), *w = r;
  while (*s)
    {
      if (s[0] == '%' && hexval (s[1]) >= 0 && hexval (s[2]) >= 0)
        {
          char c = (char) (hexval (s[1]) * 16 + hexval (s[2]));
          if (c == '\0')
            {
              free (r);
              return NULL;
            }
          *w++ = c;
          s += 3;
        }
      else if (s[0] == '%')
        {
          free (r);
          return NULL;
        }
      else
        *w++ = *s++;
    }
  *w = '\0';
  return r;
}

uint64_t
cg_hugepage_bytes (const char *s)
{
  char *end = NULL;
  unsigned long long v;

  if (s == NULL || !isdigit ((unsigned char) *s))
    return 0;
  errno = 0;
  v = strtoull (s, &end, 10);
  if (errno || v == 0)
    return 0;
  if (strcmp (end, "KB") == 0 || strcmp (end, "kB") == 0)
    return v << 10;
  if (strcmp (end, "MB") == 0)
    return v << 20;
  if (strcmp (end, "GB") == 0)
    return v << 30;
  if (strcmp (end, "TB") == 0)
    return v << 40;
  return 0;
}
