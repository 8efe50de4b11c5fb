/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Thin helpers over yajl_gen for writing JSON, and over yajl_tree for reading. */
#ifndef HULL_JSON_H
#define HULL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

/* New generator (pretty with 2-space indent when pretty). */
yajl_gen hull_json_gen (bool pretty);
/* Copy the generated text out (malloc'ed) and free the generator. */
char *hull_json_finish (yajl_gen g);
void hull_json_str (yajl_gen g, const char *s);      /* string or null */
void hull_json_key (yajl_gen g, const char *k);
void hull_json_kstr (yajl_gen g, const char *k, const char *v);
void hull_json_kint (yajl_gen g, const char *k, long long v);
void hull_json_kbool (yajl_gen g, const char *k, bool v);
/* Lookups in a parsed tree: NULL when absent or of another type. */
const char *hull_json_get_str (yajl_val v, const char *key);
bool hull_json_get_i64 (yajl_val v, const char *key, int64_t *out);
bool hull_json_get_u64 (yajl_val v, const char *key, uint64_t *out);
bool hull_json_get_bool (yajl_val v, const char *key, bool *out);
yajl_val hull_json_get (yajl_val v, const char *key);

#endif
