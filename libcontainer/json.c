/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <config.h>
#include "json.h"
#include "utils.h"

#include <stdlib.h>
#include <string.h>

yajl_gen
hull_json_gen (bool pretty)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  if (g == NULL)
    abort ();
  if (pretty)
    {
      yajl_gen_config (g, yajl_gen_beautify, 1);
      yajl_gen_config (g, yajl_gen_indent_string, "  ");
    }
  yajl_gen_config (g, yajl_gen_validate_utf8, 0);
  return g;
}

char *
hull_json_finish (yajl_gen g)
{
  const unsigned char *buf;
  size_t len;
  char *r;
  yajl_gen_get_buf (g, &buf, &len);
  r = xstrndup ((const char *) buf, len);
  yajl_gen_free (g);
  return r;
}

void
hull_json_str (yajl_gen g, const char *s)
{
  if (s == NULL)
    yajl_gen_null (g);
  else
    yajl_gen_string (g, (const unsigned char *) s, strlen (s));
}

void
hull_json_key (yajl_gen g, const char *k)
{
  yajl_gen_string (g, (const unsigned char *) k, strlen (k));
}

void
hull_json_kstr (yajl_gen g, const char *k, const char *v)
{
  hull_json_key (g, k);
  hull_json_str (g, v);
}

void
hull_json_kint (yajl_gen g, const char *k, long long v)
{
  hull_json_key (g, k);
  yajl_gen_integer (g, v);
}

void
hull_json_kbool (yajl_gen g, const char *k, bool v)
{
  hull_json_key (g, k);
  yajl_gen_bool (g, v);
}

yajl_val
hull_json_get (yajl_val v, const char *key)
{
  size_t i;
  if (v == NULL || !YAJL_IS_OBJECT (v))
    return NULL;
  for (i = 0; i < v->u.object.len; i++)
    if (strcmp (v->u.object.keys[i], key) == 0)
      return v->u.object.values[i];
  return NULL;
}

const char *
hull_json_get_str (yajl_val v, const char *key)
{
  yajl_val x = hull_json_get (v, key);
  return x && YAJL_IS_STRING (x) ? x->u.string : NULL;
}

bool
hull_json_get_i64 (yajl_val v, const char *key, int64_t *out)
{
  yajl_val x = hull_json_get (v, key);
  if (x == NULL || !YAJL_IS_INTEGER (x))
    return false;
  *out = x->u.number.i;
  return true;
}

bool
hull_json_get_u64 (yajl_val v, const char *key, uint64_t *out)
{
  yajl_val x = hull_json_get (v, key);
  if (x == NULL || !YAJL_IS_NUMBER (x))
    return false;
  return parse_u64 (x->u.number.r, out) == 0;
}

bool
hull_json_get_bool (yajl_val v, const char *key, bool *out)
{
  yajl_val x = hull_json_get (v, key);
  if (x == NULL || !(YAJL_IS_TRUE (x) || YAJL_IS_FALSE (x)))
    return false;
  *out = YAJL_IS_TRUE (x);
  return true;
}
