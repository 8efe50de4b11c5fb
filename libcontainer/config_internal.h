/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internals of the config.json parser, shared by config_*.c only.
 *
 * Every helper takes a `struct cfg_ctx` (error sink and origin) and the JSON
 * path of the value it looks at.  Paths are plain strings built while walking
 * down the document: "" for the top level, "process.user.uid",
 * "linux.namespaces[2].type".  Errors come out as
 * "<origin>: <path>: <message>".
 *
 * JSON null is treated like an absent key everywhere (as Go-based runtimes
 * do).  Helpers return 0 on success (also when an optional key is absent)
 * and -1 with the error set.
 */
#ifndef HULL_CONFIG_INTERNAL_H
#define HULL_CONFIG_INTERNAL_H

#include <yajl/yajl_tree.h>

#include "config.h"

struct cfg_ctx
{
  const char *origin;
  hull_error_t *err;
};

/* Set "<origin>: <path>: <fmt...>"; returns -1. */
int cfg_error (struct cfg_ctx *c, const char *path, const char *fmt, ...)
    __attribute__((format (printf, 3, 4)));
/* "process" + "args" -> "process.args" ("" + "args" -> "args"); malloc'ed. */
char *cfg_path_key (const char *base, const char *key);
/* "process.args" + 2 -> "process.args[2]"; malloc'ed. */
char *cfg_path_idx (const char *base, size_t i);
/* Name of the JSON type of v for messages ("number", "object", ...). */
const char *cfg_type_name (yajl_val v);

/* Member `key` of object obj (the last one if repeated); NULL when absent or null. */
yajl_val cfg_member (yajl_val obj, const char *key);
/* Whether key number i of object obj appears again later (then it is ignored). */
bool cfg_key_repeated_later (yajl_val obj, size_t i);
/* Check that v is an object / array; error "expected an object, got ...". */
int cfg_check_object (struct cfg_ctx *c, yajl_val v, const char *path);
int cfg_check_array (struct cfg_ctx *c, yajl_val v, const char *path);

/* Optional object/array member: *out = NULL when absent. */
int cfg_object (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, yajl_val *out);
int cfg_array (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, yajl_val *out);

/* String member; required ones fail with "missing required field" when absent. */
int cfg_string (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, bool required,
                char **out);
/* Boolean member; *set (may be NULL) tells whether it was present. */
int cfg_bool (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, bool *out,
              bool *set);
/* Integer member within [min, max]; *set (may be NULL) tells whether it was present. */
int cfg_i64 (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, bool required,
             int64_t min, int64_t max, int64_t *out, bool *set);
int cfg_u64 (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, bool required,
             uint64_t max, uint64_t *out, bool *set);
/* Same on a value already fetched (v non-NULL), path is the value's own path. */
int cfg_value_i64 (struct cfg_ctx *c, yajl_val v, const char *path, int64_t min, int64_t max,
                   int64_t *out);
int cfg_value_u64 (struct cfg_ctx *c, yajl_val v, const char *path, uint64_t max, uint64_t *out);
/* Optional wrappers. */
int cfg_opt_i64 (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, int64_t min,
                 int64_t max, hull_opt_i64 *out);
int cfg_opt_u64 (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, uint64_t max,
                 hull_opt_u64 *out);
int cfg_opt_bool (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key,
                  hull_opt_bool *out);
/* A uid or gid: 0..4294967294; (uint32)-1 is refused with its own message. */
int cfg_id (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, bool required,
            uint32_t *out);
int cfg_value_id (struct cfg_ctx *c, yajl_val v, const char *path, uint32_t *out);

/* Array of strings member (NULL-terminated vector, NULL when absent). */
int cfg_strv (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, char ***out);
/* Object of string values member, as key/value pairs in document order. */
int cfg_map (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key,
             struct hull_kv **out, size_t *len);
void cfg_kv_free (struct hull_kv *kv, size_t len);

/* Array of {containerID, hostID, size}: sizes > 0, no overlap on either side. */
int cfg_id_mappings (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key,
                     struct hull_id_mapping **out, size_t *len);

/* Parse the text into a yajl tree; errors "<origin>: invalid JSON: ...". */
yajl_val cfg_parse_tree (struct cfg_ctx *c, const char *text, size_t len);

/* ---- name tables (config_names.c) ---------------------------------------- */

/* Value for name in a NULL-terminated table; -1 when unknown. */
int cfg_names_lookup (const struct hull_name_value *t, const char *name, long *out);
/* Namespace type for "pid", "network", ...; -1 when unknown. */
int cfg_ns_from_name (const char *name);
/* CLONE_NEW* flag of a namespace type. */
int cfg_ns_clone_flag (enum hull_ns_type t);

/* ---- sections (one file each) ------------------------------------------- */

/* Fill p from the process object v at path (config_parse_process.c). */
int cfg_parse_process (struct cfg_ctx *c, yajl_val v, const char *path, struct hull_process *p);
void cfg_process_clear (struct hull_process *p);

/* Fill l from the linux object v (config_parse_linux.c). */
int cfg_parse_linux (struct cfg_ctx *c, yajl_val v, const char *path, struct hull_linux *l);
void cfg_linux_clear (struct hull_linux *l);

/* Fill r from a linux.resources object (config_parse_resources.c). */
int cfg_parse_resources (struct cfg_ctx *c, yajl_val v, const char *path,
                         struct hull_resources *r);
void cfg_resources_clear (struct hull_resources *r);

/* Fill s from a linux.seccomp object (config_parse_seccomp.c). */
int cfg_parse_seccomp (struct cfg_ctx *c, yajl_val v, const char *path, struct hull_seccomp *s);
void cfg_seccomp_clear (struct hull_seccomp *s);

#endif
