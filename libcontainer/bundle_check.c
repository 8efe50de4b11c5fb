/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `hull check` driver: read config.json, run every rule set over the JSON
 * tree, add what the strict parser finds on top, and render the report.
 */
#include <config.h>
#include "bundle_check_internal.h"
#include "json.h"
#include "paths.h"
#include "utils.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ORIGIN "config.json"

/* A hint for parser messages, chosen by what the message says. */
static const char *
default_hint (const char *msg)
{
  static const struct
  {
    const char *needle;
    const char *hint;
  } hints[] = {
    { "missing required field", "add the field (see the OCI runtime-spec for its meaning)" },
    { "must be an absolute path", "write the path starting with \"/\"" },
    { "unknown capability", "capability names are CAP_* as in capabilities(7), e.g. \"CAP_NET_ADMIN\"" },
    { "unknown rlimit", "use an RLIMIT_* name from getrlimit(2), e.g. \"RLIMIT_NOFILE\"" },
    { "unknown namespace",
      "use one of: pid, network, mount, ipc, uts, user, cgroup, time" },
    { "unknown seccomp action", "use an SCMP_ACT_* action, e.g. \"SCMP_ACT_ERRNO\"" },
    { "unknown seccomp operator", "use an SCMP_CMP_* operator, e.g. \"SCMP_CMP_EQ\"" },
    { "unknown seccomp architecture", "use an SCMP_ARCH_* name, e.g. \"SCMP_ARCH_X86_64\"" },
    { "unknown seccomp flag", "use a SECCOMP_FILTER_FLAG_* name, e.g. \"SECCOMP_FILTER_FLAG_LOG\"" },
    { "duplicate", "remove the repeated entry" },
    { "overlap", "make the id ranges of the mappings disjoint" },
    { "no user namespace requested", "add {\"type\": \"user\"} to linux.namespaces" },
    { "no uid mappings given", "add linux.uidMappings for the user namespace" },
    { "no gid mappings given", "add linux.gidMappings for the user namespace" },
    { "no time namespace requested", "add {\"type\": \"time\"} to linux.namespaces" },
    { "needs a UTS namespace", "add {\"type\": \"uts\"} to linux.namespaces" },
    { "out of range", "use a value within the range shown" },
    { "size must be greater than 0", "give each mapping a size of at least 1" },
    { "go beyond id", "keep the mapped range below id 4294967295" },
    { "is greater than hard limit", "make the soft limit at most the hard limit" },
    { "^expected an integer", "write the value as a JSON integer" },
    { "^expected ", "fix the JSON type of the value" },
    { "must not be empty", "give a non-empty value" },
    { "invalid JSON", "fix the syntax of config.json (e.g. check it with `jq . config.json`)" },
    { "unknown", "check the spelling against the OCI runtime-spec" },
  };
  size_t i;

  /* A needle starting with '^' must be at the start of the message. */
  for (i = 0; i < sizeof hints / sizeof hints[0]; i++)
    if (hints[i].needle[0] == '^' ? strncmp (msg, hints[i].needle + 1, strlen (hints[i].needle + 1)) == 0
                                  : strstr (msg, hints[i].needle) != NULL)
      return hints[i].hint;
  return "see the OCI runtime-spec (config.md and config-linux.md)";
}

static void
add (struct hull_check_finding **v, size_t *n, const char *path, const char *hint, char *msg)
{
  *v = xrealloc (*v, (*n + 1) * sizeof **v);
  (*v)[*n].path = xstrdup (path ? path : "");
  (*v)[*n].hint = xstrdup (hint ? hint : default_hint (msg));
  (*v)[*n].message = msg;
  (*n)++;
}

static bool
has (const struct hull_check_finding *v, size_t n, const char *path, const char *msg)
{
  size_t i;

  for (i = 0; i < n; i++)
    if (strcmp (v[i].path, path ? path : "") == 0 && (msg == NULL || strcmp (v[i].message, msg) == 0))
      return true;
  return false;
}

void
chk_error (struct chk *k, const char *path, const char *hint, const char *fmt, ...)
{
  va_list ap;
  char *msg;

  va_start (ap, fmt);
  msg = xvasprintf (fmt, ap);
  va_end (ap);
  if (has (k->r->errors, k->r->n_errors, path, msg))
    {
      free (msg);
      return;
    }
  add (&k->r->errors, &k->r->n_errors, path, hint, msg);
}

void
chk_warn (struct chk *k, const char *path, const char *hint, const char *fmt, ...)
{
  va_list ap;
  char *msg;

  va_start (ap, fmt);
  msg = xvasprintf (fmt, ap);
  va_end (ap);
  if (has (k->r->warnings, k->r->n_warnings, path, msg))
    {
      free (msg);
      return;
    }
  add (&k->r->warnings, &k->r->n_warnings, path, hint, msg);
}

bool
chk_has_error (struct chk *k, const char *path)
{
  return has (k->r->errors, k->r->n_errors, path, NULL);
}

bool
chk_has_error_under (struct chk *k, const char *base)
{
  size_t i;

  for (i = 0; i < k->r->n_errors; i++)
    if (chk_path_below_json (k->r->errors[i].path, base))
      return true;
  return false;
}

/* A JSON path as the parser writes them: no white space. */
static bool
looks_like_path (const char *s, size_t n)
{
  size_t i;

  if (n == 0)
    return false;
  for (i = 0; i < n; i++)
    if (s[i] == ' ' || s[i] == '\t')
      return false;
  return true;
}

void
chk_take (struct chk *k, hull_error_t *e, const char *from, const char *to, const char *under)
{
  cleanup_free char *path = NULL;
  const char *m, *sep;

  if (e == NULL || *e == NULL)
    return;
  m = (*e)->msg;
  if (strncmp (m, ORIGIN ": ", sizeof ORIGIN + 1) == 0)
    m += sizeof ORIGIN + 1;
  sep = strstr (m, ": ");
  if (sep && looks_like_path (m, (size_t) (sep - m)))
    {
      path = xstrndup (m, (size_t) (sep - m));
      m = sep + 2;
    }
  else
    path = xstrdup ("");
  if (from && strncmp (path, from, strlen (from)) == 0)
    {
      char *p = xasprintf ("%s%s", to, path + strlen (from));
      free (path);
      path = p;
    }
  if (under && !chk_path_below_json (path, under))
    {
      hull_error_free (e);
      return;
    }
  /* One finding per path: the rules usually said it already, in the same words. */
  if (!chk_has_error (k, path))
    chk_error (k, path, NULL, "%s", m);
  hull_error_free (e);
}

bool
chk_path_below_json (const char *path, const char *base)
{
  size_t n = strlen (base);

  if (strncmp (path, base, n) != 0)
    return false;
  return path[n] == '\0' || path[n] == '.' || path[n] == '[';
}

const char *
chk_str (yajl_val obj, const char *key)
{
  yajl_val v = cfg_member (obj, key);
  return YAJL_IS_STRING (v) ? v->u.string : NULL;
}

yajl_val
chk_obj (yajl_val obj, const char *key)
{
  yajl_val v = cfg_member (obj, key);
  return YAJL_IS_OBJECT (v) ? v : NULL;
}

yajl_val
chk_arr (yajl_val obj, const char *key)
{
  yajl_val v = cfg_member (obj, key);
  return YAJL_IS_ARRAY (v) ? v : NULL;
}

const char *
chk_mount_idmap_option (yajl_val m)
{
  yajl_val opts = chk_arr (m, "options");
  for (size_t i = 0; opts && i < opts->u.array.len; i++)
    {
      yajl_val o = opts->u.array.values[i];
      if (YAJL_IS_STRING (o) && (strcmp (o->u.string, "idmap") == 0 || strcmp (o->u.string, "ridmap") == 0))
        return o->u.string;
    }
  return NULL;
}

bool
chk_path_below (const char *p, const char *d)
{
  cleanup_free char *cp = hull_path_clean (p);
  cleanup_free char *cd = hull_path_clean (d);
  size_t n = strlen (cd);

  if (strcmp (cd, "/") == 0)
    return true;
  return strncmp (cp, cd, n) == 0 && (cp[n] == '\0' || cp[n] == '/');
}

const char *
chk_mount_covering (struct chk *k, const char *p)
{
  yajl_val a = chk_arr (k->doc, "mounts");
  const char *best = NULL;
  size_t i;

  for (i = 0; a && i < a->u.array.len; i++)
    {
      const char *d = chk_str (a->u.array.values[i], "destination");
      if (d == NULL || *d == '\0' || strcmp (d, "/") == 0)
        continue;
      if (chk_path_below (p, d) && (best == NULL || strlen (d) > strlen (best)))
        best = d;
    }
  return best;
}

static void
finding_clear (struct hull_check_finding *f)
{
  free (f->path);
  free (f->message);
  free (f->hint);
}

void
hull_check_report_free (struct hull_check_report *r)
{
  size_t i;

  if (r == NULL)
    return;
  for (i = 0; i < r->n_errors; i++)
    finding_clear (&r->errors[i]);
  for (i = 0; i < r->n_warnings; i++)
    finding_clear (&r->warnings[i]);
  free (r->errors);
  free (r->warnings);
  free (r->bundle);
  free (r);
}

static void
json_findings (yajl_gen g, const char *key, const struct hull_check_finding *v, size_t n)
{
  size_t i;

  hull_json_key (g, key);
  yajl_gen_array_open (g);
  for (i = 0; i < n; i++)
    {
      yajl_gen_map_open (g);
      hull_json_kstr (g, "path", v[i].path);
      hull_json_kstr (g, "message", v[i].message);
      hull_json_kstr (g, "hint", v[i].hint);
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
}

char *
hull_check_report_json (const struct hull_check_report *r)
{
  yajl_gen g = hull_json_gen (true);

  yajl_gen_map_open (g);
  hull_json_kstr (g, "bundle", r->bundle);
  hull_json_kbool (g, "valid", r->n_errors == 0);
  json_findings (g, "errors", r->errors, r->n_errors);
  json_findings (g, "warnings", r->warnings, r->n_warnings);
  yajl_gen_map_close (g);
  return hull_json_finish (g);
}

/* Run the strict parser too: whatever it stops at must be in the report. */
static void
strict_parse (struct chk *k, const char *text, size_t len)
{
  hull_error_t e = NULL;
  struct hull_config *c = hull_config_parse (text, len, ORIGIN, &e);

  if (c == NULL)
    chk_take (k, &e, NULL, NULL, NULL);
  hull_config_free (c);
}

int
hull_bundle_check (const struct hull_check_opts *o, struct hull_check_report **out,
                   hull_error_t *err)
{
  struct hull_check_report *r = xmalloc0 (sizeof *r);
  const char *bundle = o->bundle ? o->bundle : ".";
  struct chk k = { .r = r, .o = o, .rootfd = -1 };
  cleanup_free char *text = NULL, *cfgpath = NULL;
  hull_error_t e = NULL;
  char buf[PATH_MAX];
  size_t len;

  *out = NULL;
  k.cc.origin = ORIGIN;
  k.cc.err = &k.cerr;
  r->bundle = xstrdup (bundle);
  if (realpath (bundle, buf) == NULL)
    {
      hull_check_report_free (r);
      return hull_error_set (err, errno, "--bundle \"%s\"", bundle);
    }
  k.bundle = xstrdup (buf);
  cfgpath = xasprintf ("%s/" ORIGIN, k.bundle);
  if (read_file_at (AT_FDCWD, cfgpath, &text, &len, &e) < 0)
    {
      chk_error (&k, "", "run `hull spec` in the bundle to write a default config.json",
                 "cannot read \"%s\": %s", cfgpath, hull_strerror (e->errnum));
      hull_error_free (&e);
      goto done;
    }
  {
    struct cfg_ctx c = { ORIGIN, &e };
    k.doc = cfg_parse_tree (&c, text, len);
  }
  if (k.doc == NULL)
    {
      /* Nothing else can be checked without a tree. */
      chk_take (&k, &e, NULL, NULL, NULL);
      goto done;
    }
  if (!YAJL_IS_OBJECT (k.doc))
    {
      chk_error (&k, "", "config.json must hold one JSON object",
                 "expected an object, got %s", cfg_type_name (k.doc));
      goto done;
    }
  chk_rules_document (&k);
  chk_rules_linux (&k);
  strict_parse (&k, text, len);
  chk_rules_rootfs (&k);
  chk_rules_host (&k);

done:
  if (k.doc)
    yajl_tree_free (k.doc);
  close_quietly (k.rootfd);
  free (k.rootfs);
  free (k.bundle);
  *out = r;
  return 0;
}

yajl_val
chk_fake_init (struct chk_fake *f)
{
  memset (f, 0, sizeof *f);
  f->obj.type = yajl_t_object;
  f->obj.u.object.keys = f->keys;
  f->obj.u.object.values = f->vals;
  return &f->obj;
}

void
chk_fake_put (struct chk_fake *f, const char *key, yajl_val v)
{
  size_t n = f->obj.u.object.len;

  if (v == NULL || n >= CHK_FAKE_MAX)
    return;
  f->keys[n] = key;
  f->vals[n] = v;
  f->obj.u.object.len = n + 1;
}

void
chk_fake_put_elem (struct chk_fake *f, const char *key, yajl_val e)
{
  f->elem[0] = e;
  f->arr.type = yajl_t_array;
  f->arr.u.array.values = f->elem;
  f->arr.u.array.len = 1;
  chk_fake_put (f, key, &f->arr);
}
