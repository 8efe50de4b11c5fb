/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of runtime_features.c: the features document of `hull features`. */
#include <config.h>
#include "rootfs.h"
#include "runtime_features.h"
#include "utils.h"

#include <stdio.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "tap.h"

/* String value of v, "" when v is not a string. */
static const char *
jstr (yajl_val v)
{
  return v && YAJL_IS_STRING (v) ? v->u.string : "";
}

static const char *
top_str (yajl_val v, const char *k)
{
  const char *path[] = { k, NULL };
  yajl_val x = yajl_tree_get (v, path, yajl_t_string);
  return x ? jstr (x) : NULL;
}

static bool
strarray_has (yajl_val arr, const char *s)
{
  size_t i;
  if (arr == NULL || !YAJL_IS_ARRAY (arr))
    return false;
  for (i = 0; i < YAJL_GET_ARRAY (arr)->len; i++)
    if (strcmp (jstr (YAJL_GET_ARRAY (arr)->values[i]), s) == 0)
      return true;
  return false;
}

/* ---- features ---------------------------------------------------------------- */

static void
test_features (void)
{
  hull_error_t err = NULL;
  cleanup_free char *json = hull_features_json (&err);
  const char *sec_actions[] = { "linux", "seccomp", "actions", NULL };
  const char *sec_known[] = { "linux", "seccomp", "knownFlags", NULL };
  const char *sec_supported[] = { "linux", "seccomp", "supportedFlags", NULL };
  const char *ns[] = { "linux", "namespaces", NULL };
  const char *caps[] = { "linux", "capabilities", NULL };
  const char *ver[] = { "annotations", "io.github.seccomp.libseccomp.version", NULL };
  yajl_val v, sup, known;
  char ebuf[256];
  size_t i;
  bool subset = true;

  ok (json != NULL, "features JSON produced");
  v = json ? yajl_tree_parse (json, ebuf, sizeof ebuf) : NULL;
  ok (v != NULL, "features JSON parses");
  if (v == NULL)
    return;
  is_str (top_str (v, "ociVersionMin"), "1.0.0", "ociVersionMin");
  is_str (top_str (v, "ociVersionMax"), "1.2.0", "ociVersionMax");
  ok (strarray_has (yajl_tree_get (v, sec_actions, yajl_t_array), "SCMP_ACT_NOTIFY")
          && YAJL_GET_ARRAY (yajl_tree_get (v, sec_actions, yajl_t_array))->len == 9,
      "nine seccomp actions incl. SCMP_ACT_NOTIFY");
  ok (strarray_has (yajl_tree_get (v, ns, yajl_t_array), "time"), "namespaces include time");
  ok (strarray_has (yajl_tree_get (v, caps, yajl_t_array), "CAP_SYS_ADMIN"), "capabilities include CAP_SYS_ADMIN");
  known = yajl_tree_get (v, sec_known, yajl_t_array);
  sup = yajl_tree_get (v, sec_supported, yajl_t_array);
  for (i = 0; sup && i < YAJL_GET_ARRAY (sup)->len; i++)
    if (!strarray_has (known, jstr (YAJL_GET_ARRAY (sup)->values[i])))
      subset = false;
  ok (known && sup && subset && strarray_has (sup, "SECCOMP_FILTER_FLAG_LOG"),
      "supportedFlags is a subset of knownFlags and has FLAG_LOG");
  ok (yajl_tree_get (v, ver, yajl_t_string) != NULL, "libseccomp version annotation");
  yajl_tree_free (v);
}

/* Every mount option features lists must be one the rootfs code knows. */
static void
test_features_mount_options (void)
{
  size_t i, n = 0, bad = 0;
  const char *prev = "";

  for (i = 0; hull_features_mount_option (i); i++)
    {
      const char *name = hull_features_mount_option (i);
      char *one[] = { (char *) name, NULL };
      struct hull_mount_opts o;
      hull_error_t err = NULL;

      n++;
      if (strcmp (prev, name) >= 0)
        {
          diag ("mount option \"%s\" out of order", name);
          bad++;
        }
      prev = name;
      if (hull_mount_opts_parse (one, &o, &err) < 0 || o.data != NULL)
        {
          diag ("mount option \"%s\" not recognised by mount_options.c", name);
          bad++;
        }
      if (err == NULL)
        hull_mount_opts_clear (&o);
      hull_error_free (&err);
    }
  ok (n > 50 && bad == 0, "features lists %zu mount options, sorted, all known to mount_options.c", n);
}

int
main (void)
{
  test_features ();
  test_features_mount_options ();
  return tap_done ();
}
