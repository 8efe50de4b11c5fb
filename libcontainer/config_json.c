/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Typed access to a yajl tree with JSON-path tracking, for the config
 * parser.  See config_internal.h for the conventions.
 */
#include <config.h>
#include "config_internal.h"
#include "utils.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* config.json is a handful of levels deep; anything deeper is not a config
   and would make the recursive tree code of yajl use a lot of stack.  */
#define CFG_MAX_DEPTH 64

int
cfg_error (struct cfg_ctx *c, const char *path, const char *fmt, ...)
{
  cleanup_free char *msg = NULL;
  va_list ap;

  va_start (ap, fmt);
  msg = xvasprintf (fmt, ap);
  va_end (ap);
  if (path && *path)
    return hull_error_set (c->err, 0, "%s: %s: %s", c->origin, path, msg);
  return hull_error_set (c->err, 0, "%s: %s", c->origin, msg);
}

char *
cfg_path_key (const char *base, const char *key)
{
  if (base == NULL || *base == '\0')
    return xstrdup (key);
  return xasprintf ("%s.%s", base, key);
}

char *
cfg_path_idx (const char *base, size_t i)
{
  return xasprintf ("%s[%zu]", base ? base : "", i);
}

const char *
cfg_type_name (yajl_val v)
{
  if (v == NULL)
    return "nothing";
  switch (v->type)
    {
    case yajl_t_string:
      return "string";
    case yajl_t_number:
      return "number";
    case yajl_t_object:
      return "object";
    case yajl_t_array:
      return "array";
    case yajl_t_true:
    case yajl_t_false:
      return "boolean";
    case yajl_t_null:
      return "null";
    default:
      return "unknown";
    }
}

yajl_val
cfg_member (yajl_val obj, const char *key)
{
  size_t i;

  if (!YAJL_IS_OBJECT (obj))
    return NULL;
  /* The last of repeated keys wins, as in Go's encoding/json: a config
     must not mean one thing to hull and another to the tools around it.  */
  for (i = obj->u.object.len; i > 0; i--)
    if (strcmp (obj->u.object.keys[i - 1], key) == 0)
      {
        yajl_val v = obj->u.object.values[i - 1];
        return YAJL_IS_NULL (v) ? NULL : v;
      }
  return NULL;
}

bool
cfg_key_repeated_later (yajl_val obj, size_t i)
{
  size_t j;

  for (j = i + 1; j < obj->u.object.len; j++)
    if (strcmp (obj->u.object.keys[i], obj->u.object.keys[j]) == 0)
      return true;
  return false;
}

int
cfg_check_object (struct cfg_ctx *c, yajl_val v, const char *path)
{
  if (!YAJL_IS_OBJECT (v))
    return cfg_error (c, path, "expected an object, got %s", cfg_type_name (v));
  return 0;
}

int
cfg_check_array (struct cfg_ctx *c, yajl_val v, const char *path)
{
  if (!YAJL_IS_ARRAY (v))
    return cfg_error (c, path, "expected an array, got %s", cfg_type_name (v));
  return 0;
}

/* obj.key into *out when present and of the given type (NULL when absent);
   check() reports base.key when it has another type. */
static int
typed_member (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, yajl_type type,
              int (*check) (struct cfg_ctx *c, yajl_val v, const char *path), yajl_val *out)
{
  yajl_val v = cfg_member (obj, key);

  *out = NULL;
  if (v == NULL)
    return 0;
  if (v->type != type)
    {
      cleanup_free char *p = cfg_path_key (base, key);
      return check (c, v, p);
    }
  *out = v;
  return 0;
}

int
cfg_object (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, yajl_val *out)
{
  return typed_member (c, obj, base, key, yajl_t_object, cfg_check_object, out);
}

int
cfg_array (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, yajl_val *out)
{
  return typed_member (c, obj, base, key, yajl_t_array, cfg_check_array, out);
}

static int
missing (struct cfg_ctx *c, const char *base, const char *key)
{
  cleanup_free char *p = cfg_path_key (base, key);
  return cfg_error (c, p, "missing required field");
}

int
cfg_string (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, bool required,
            char **out)
{
  yajl_val v = cfg_member (obj, key);

  if (v == NULL)
    return required ? missing (c, base, key) : 0;
  if (!YAJL_IS_STRING (v))
    {
      cleanup_free char *p = cfg_path_key (base, key);
      return cfg_error (c, p, "expected a string, got %s", cfg_type_name (v));
    }
  free (*out);
  *out = xstrdup (v->u.string);
  return 0;
}

int
cfg_bool (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, bool *out, bool *set)
{
  yajl_val v = cfg_member (obj, key);

  if (set)
    *set = false;
  if (v == NULL)
    return 0;
  if (!YAJL_IS_TRUE (v) && !YAJL_IS_FALSE (v))
    {
      cleanup_free char *p = cfg_path_key (base, key);
      return cfg_error (c, p, "expected a boolean, got %s", cfg_type_name (v));
    }
  *out = YAJL_IS_TRUE (v);
  if (set)
    *set = true;
  return 0;
}

/* Decompose the number v into sign and magnitude.  Returns 0, or -1 when v
   is not integral, -2 when its magnitude does not fit 64 bits.  */
static int
number_parts (yajl_val v, bool *neg, uint64_t *mag)
{
  const char *r = v->u.number.r;
  const char *d = r;
  size_t i;

  *neg = false;
  if (*d == '-')
    {
      *neg = true;
      d++;
    }
  for (i = 0; d[i]; i++)
    if (d[i] < '0' || d[i] > '9')
      break;
  if (i > 0 && d[i] == '\0')
    {
      unsigned long long x;
      char *end;

      errno = 0;
      x = strtoull (d, &end, 10);
      if (errno == ERANGE)
        return -2;
      *mag = x;
      if (x == 0)
        *neg = false;
      return 0;
    }
  /* Fraction or exponent: accept it when it denotes an exact integer
     within the range where doubles are exact.  */
  if (v->u.number.flags & YAJL_NUMBER_DOUBLE_VALID)
    {
      double x = v->u.number.d;
      double ax = x < 0 ? -x : x;

      if (x != x)
        return -1;
      if (ax > 9007199254740992.0)
        return -2;
      if (ax != (double) (uint64_t) ax)
        return -1;
      *neg = x < 0;
      *mag = (uint64_t) ax;
      return 0;
    }
  return -1;
}

static int
not_integer (struct cfg_ctx *c, yajl_val v, const char *path)
{
  if (!YAJL_IS_NUMBER (v))
    return cfg_error (c, path, "expected an integer, got %s", cfg_type_name (v));
  return cfg_error (c, path, "expected an integer, got %s", v->u.number.r);
}

int
cfg_value_i64 (struct cfg_ctx *c, yajl_val v, const char *path, int64_t min, int64_t max,
               int64_t *out)
{
  bool neg;
  uint64_t mag;
  int64_t x;
  int r;

  if (!YAJL_IS_NUMBER (v))
    return not_integer (c, v, path);
  r = number_parts (v, &neg, &mag);
  if (r == -1)
    return not_integer (c, v, path);
  if (r == -2 || (!neg && mag > (uint64_t) INT64_MAX)
      || (neg && mag > (uint64_t) INT64_MAX + 1))
    goto range;
  x = neg ? (int64_t) (0 - mag) : (int64_t) mag;
  if (x < min || x > max)
    goto range;
  *out = x;
  return 0;

range:
  return cfg_error (c, path, "%s out of range (%" PRId64 "..%" PRId64 ")", v->u.number.r, min,
                    max);
}

int
cfg_value_u64 (struct cfg_ctx *c, yajl_val v, const char *path, uint64_t max, uint64_t *out)
{
  bool neg;
  uint64_t mag;
  int r;

  if (!YAJL_IS_NUMBER (v))
    return not_integer (c, v, path);
  r = number_parts (v, &neg, &mag);
  if (r == -1)
    return not_integer (c, v, path);
  if (r == -2 || neg || mag > max)
    return cfg_error (c, path, "%s out of range (0..%" PRIu64 ")", v->u.number.r, max);
  *out = mag;
  return 0;
}

int
cfg_i64 (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, bool required,
         int64_t min, int64_t max, int64_t *out, bool *set)
{
  yajl_val v = cfg_member (obj, key);
  cleanup_free char *p = NULL;

  if (set)
    *set = false;
  if (v == NULL)
    return required ? missing (c, base, key) : 0;
  p = cfg_path_key (base, key);
  if (cfg_value_i64 (c, v, p, min, max, out) < 0)
    return -1;
  if (set)
    *set = true;
  return 0;
}

int
cfg_u64 (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, bool required,
         uint64_t max, uint64_t *out, bool *set)
{
  yajl_val v = cfg_member (obj, key);
  cleanup_free char *p = NULL;

  if (set)
    *set = false;
  if (v == NULL)
    return required ? missing (c, base, key) : 0;
  p = cfg_path_key (base, key);
  if (cfg_value_u64 (c, v, p, max, out) < 0)
    return -1;
  if (set)
    *set = true;
  return 0;
}

int
cfg_opt_i64 (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, int64_t min,
             int64_t max, hull_opt_i64 *out)
{
  return cfg_i64 (c, obj, base, key, false, min, max, &out->value, &out->set);
}

int
cfg_opt_u64 (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, uint64_t max,
             hull_opt_u64 *out)
{
  return cfg_u64 (c, obj, base, key, false, max, &out->value, &out->set);
}

int
cfg_opt_bool (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key,
              hull_opt_bool *out)
{
  return cfg_bool (c, obj, base, key, &out->value, &out->set);
}

int
cfg_value_id (struct cfg_ctx *c, yajl_val v, const char *path, uint32_t *out)
{
  uint64_t x;

  if (!YAJL_IS_NUMBER (v))
    return not_integer (c, v, path);
  if (strcmp (v->u.number.r, "4294967295") == 0)
    return cfg_error (c, path, "4294967295 is not a valid id ((uint32)-1 means \"no id\")");
  if (cfg_value_u64 (c, v, path, UINT32_MAX - 1, &x) < 0)
    return -1;
  *out = (uint32_t) x;
  return 0;
}

int
cfg_id (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, bool required,
        uint32_t *out)
{
  yajl_val v = cfg_member (obj, key);
  cleanup_free char *p = NULL;

  if (v == NULL)
    return required ? missing (c, base, key) : 0;
  p = cfg_path_key (base, key);
  return cfg_value_id (c, v, p, out);
}

int
cfg_strv (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, char ***out)
{
  yajl_val v = cfg_member (obj, key);
  cleanup_free char *p = NULL;
  char **r;
  size_t i;

  if (v == NULL)
    return 0;
  p = cfg_path_key (base, key);
  if (!YAJL_IS_ARRAY (v))
    return cfg_error (c, p, "expected an array of strings, got %s", cfg_type_name (v));
  for (i = 0; i < v->u.array.len; i++)
    if (!YAJL_IS_STRING (v->u.array.values[i]))
      {
        cleanup_free char *pi = cfg_path_idx (p, i);
        return cfg_error (c, pi, "expected a string, got %s",
                          cfg_type_name (v->u.array.values[i]));
      }
  r = xmalloc0 ((v->u.array.len + 1) * sizeof *r);
  for (i = 0; i < v->u.array.len; i++)
    r[i] = xstrdup (v->u.array.values[i]->u.string);
  strv_free (*out);
  *out = r;
  return 0;
}

void
cfg_kv_free (struct hull_kv *kv, size_t len)
{
  size_t i;

  for (i = 0; i < len; i++)
    {
      free (kv[i].key);
      free (kv[i].value);
    }
  free (kv);
}

int
cfg_map (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, struct hull_kv **out,
         size_t *len)
{
  yajl_val v = cfg_member (obj, key);
  cleanup_free char *p = NULL;
  struct hull_kv *r;
  size_t i, n;

  if (v == NULL)
    return 0;
  p = cfg_path_key (base, key);
  if (!YAJL_IS_OBJECT (v))
    return cfg_error (c, p, "expected an object of strings, got %s", cfg_type_name (v));
  for (i = 0; i < v->u.object.len; i++)
    if (!YAJL_IS_STRING (v->u.object.values[i]))
      {
        cleanup_free char *pk = cfg_path_key (p, v->u.object.keys[i]);
        return cfg_error (c, pk, "expected a string, got %s",
                          cfg_type_name (v->u.object.values[i]));
      }
  r = xmalloc0 ((v->u.object.len ? v->u.object.len : 1) * sizeof *r);
  for (i = n = 0; i < v->u.object.len; i++)
    {
      if (cfg_key_repeated_later (v, i))
        continue;
      r[n].key = xstrdup (v->u.object.keys[i]);
      r[n].value = xstrdup (v->u.object.values[i]->u.string);
      n++;
    }
  cfg_kv_free (*out, *len);
  *out = r;
  *len = n;
  return 0;
}

static bool
ranges_overlap (uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
  uint64_t ae = (uint64_t) a + alen, be = (uint64_t) b + blen;
  return a < be && b < ae;
}

int
cfg_id_mappings (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key,
                 struct hull_id_mapping **out, size_t *len)
{
  cleanup_free char *p = NULL;
  cleanup_free struct hull_id_mapping *m = NULL;
  yajl_val a;
  size_t i, j, n;

  if (cfg_array (c, obj, base, key, &a) < 0)
    return -1;
  if (a == NULL)
    return 0;
  p = cfg_path_key (base, key);
  n = a->u.array.len;
  m = xmalloc0 ((n ? n : 1) * sizeof *m);
  for (i = 0; i < n; i++)
    {
      cleanup_free char *pi = cfg_path_idx (p, i);
      yajl_val e = a->u.array.values[i];
      uint64_t size;

      if (cfg_check_object (c, e, pi) < 0 || cfg_id (c, e, pi, "containerID", true, &m[i].container_id) < 0
          || cfg_id (c, e, pi, "hostID", true, &m[i].host_id) < 0
          || cfg_u64 (c, e, pi, "size", true, UINT32_MAX, &size, NULL) < 0)
        return -1;
      if (size == 0)
        return cfg_error (c, pi, "size must be greater than 0");
      m[i].size = (uint32_t) size;
      if ((uint64_t) m[i].container_id + size > (uint64_t) UINT32_MAX)
        return cfg_error (c, pi, "container ids %" PRIu32 "+%" PRIu64 " go beyond id 4294967294",
                          m[i].container_id, size);
      if ((uint64_t) m[i].host_id + size > (uint64_t) UINT32_MAX)
        return cfg_error (c, pi, "host ids %" PRIu32 "+%" PRIu64 " go beyond id 4294967294",
                          m[i].host_id, size);
      for (j = 0; j < i; j++)
        {
          if (ranges_overlap (m[i].container_id, m[i].size, m[j].container_id, m[j].size))
            return cfg_error (c, pi, "container ids %" PRIu32 "-%" PRIu64 " overlap %s[%zu]",
                              m[i].container_id, (uint64_t) m[i].container_id + m[i].size - 1, p,
                              j);
          if (ranges_overlap (m[i].host_id, m[i].size, m[j].host_id, m[j].size))
            return cfg_error (c, pi, "host ids %" PRIu32 "-%" PRIu64 " overlap %s[%zu]",
                              m[i].host_id, (uint64_t) m[i].host_id + m[i].size - 1, p, j);
        }
    }
  free (*out);
  *out = take_ptr (m);
  *len = n;
  return 0;
}

/* Maximum nesting depth of the JSON text (strings skipped); stops early
   once the limit is passed.  */
static size_t
json_depth (const char *s, size_t len, size_t limit)
{
  size_t depth = 0, max = 0, i;
  bool in_str = false;

  for (i = 0; i < len; i++)
    {
      char ch = s[i];
      if (in_str)
        {
          if (ch == '\\')
            i++;
          else if (ch == '"')
            in_str = false;
          continue;
        }
      if (ch == '"')
        in_str = true;
      else if (ch == '{' || ch == '[')
        {
          if (++depth > max)
            max = depth;
          if (max > limit)
            return max;
        }
      else if ((ch == '}' || ch == ']') && depth > 0)
        depth--;
    }
  return max;
}

yajl_val
cfg_parse_tree (struct cfg_ctx *c, const char *text, size_t len)
{
  cleanup_free char *buf = NULL;
  char errbuf[1024];
  yajl_val tree;
  size_t i;

  for (i = 0; i < len; i++)
    if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r')
      break;
  if (i == len)
    {
      cfg_error (c, NULL, "invalid JSON: empty document");
      return NULL;
    }
  if (memchr (text, '\0', len) != NULL)
    {
      cfg_error (c, NULL, "invalid JSON: NUL byte in document");
      return NULL;
    }
  if (json_depth (text, len, CFG_MAX_DEPTH) > CFG_MAX_DEPTH)
    {
      cfg_error (c, NULL, "invalid JSON: nested deeper than %d levels", CFG_MAX_DEPTH);
      return NULL;
    }
  buf = xstrndup (text, len);
  errbuf[0] = '\0';
  tree = yajl_tree_parse (buf, errbuf, sizeof errbuf);
  if (tree == NULL)
    {
      /* yajl appends the offending text and a caret on further lines. */
      char *nl = strchr (errbuf, '\n');
      if (nl)
        *nl = '\0';
      for (i = strlen (errbuf); i > 0 && (errbuf[i - 1] == ' ' || errbuf[i - 1] == '.'); i--)
        errbuf[i - 1] = '\0';
      cfg_error (c, NULL, "invalid JSON: %s", errbuf[0] ? errbuf : "parse error");
      return NULL;
    }
  return tree;
}
