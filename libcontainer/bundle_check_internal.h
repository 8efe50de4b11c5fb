/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internals of `hull check`, shared by bundle_check*.c only.
 *
 * Every rule gets the parsed JSON tree (never the typed config, which would
 * exist only for a valid document) and adds findings with chk_error() or
 * chk_warn(); nothing stops at the first problem.  Errors found twice (by
 * two rules, or by a rule and the strict parser) are kept once per path.
 */
#ifndef HULL_BUNDLE_CHECK_INTERNAL_H
#define HULL_BUNDLE_CHECK_INTERNAL_H

#include <stdbool.h>
#include <yajl/yajl_tree.h>

#include "bundle_check.h"
#include "config_internal.h"

struct chk
{
  struct hull_check_report *r;
  const struct hull_check_opts *o;
  yajl_val doc;              /* the whole config.json */
  char *bundle;              /* absolute bundle directory */
  char *rootfs;              /* absolute rootfs on the host, NULL when missing */
  int rootfd;                /* O_PATH fd of the rootfs, -1 when missing */
  struct cfg_ctx cc;         /* for the parser's helpers: errors land in cerr */
  hull_error_t cerr;
  /* what the rules learn on the way */
  bool ns[HULL_NS_TYPES];    /* namespace requested (valid entries only) */
  const char *ns_path[HULL_NS_TYPES];
  size_t ns_index[HULL_NS_TYPES];  /* its index in linux.namespaces */
};

/* Add an error / a warning at path (message from fmt); hint may be NULL for a generic one. */
void chk_error (struct chk *k, const char *path, const char *hint, const char *fmt, ...)
    __attribute__((format (printf, 4, 5)));
void chk_warn (struct chk *k, const char *path, const char *hint, const char *fmt, ...)
    __attribute__((format (printf, 4, 5)));
/* Turn a parser error ("config.json: <path>: <msg>") into an error finding and free it.
   When from is non-NULL, a path starting with `from` is reported starting with `to`
   instead (rules that parse one array element alone); with `under` non-NULL only errors
   whose path is under it are kept (others are dropped). */
void chk_take (struct chk *k, hull_error_t *e, const char *from, const char *to,
               const char *under);
/* True when an error with this exact path is in the report. */
bool chk_has_error (struct chk *k, const char *path);
/* True when some error is at or inside JSON path base. */
bool chk_has_error_under (struct chk *k, const char *base);

/* Run a parser helper call; when it fails, its error becomes a finding. */
#define CHK_TRY(k, call)                                                                      \
  do                                                                                          \
    {                                                                                         \
      if ((call) < 0)                                                                         \
        chk_take ((k), &(k)->cerr, NULL, NULL, NULL);                                         \
    }                                                                                         \
  while (0)

/* A stand-in JSON object for running a parser section on a few members alone:
   members are borrowed from the real tree (or stubs), nothing is copied. */
#define CHK_FAKE_MAX 8
struct chk_fake
{
  const char *keys[CHK_FAKE_MAX];
  yajl_val vals[CHK_FAKE_MAX];
  struct yajl_val_s obj;
  struct yajl_val_s arr;     /* a one-element array, see chk_fake_elem */
  yajl_val elem[1];
};
/* Reset f to an empty object and return it. */
yajl_val chk_fake_init (struct chk_fake *f);
/* Add member key = v (v NULL: nothing). */
void chk_fake_put (struct chk_fake *f, const char *key, yajl_val v);
/* Add member key = [e] (an array holding only e). */
void chk_fake_put_elem (struct chk_fake *f, const char *key, yajl_val e);

/* Member key of obj when it is a string / object / array, else NULL (no finding). */
const char *chk_str (yajl_val obj, const char *key);
yajl_val chk_obj (yajl_val obj, const char *key);
yajl_val chk_arr (yajl_val obj, const char *key);
/* "idmap" or "ridmap" when the options of mount object m hold one, else NULL. */
const char *chk_mount_idmap_option (yajl_val m);
/* True when JSON path `path` is base itself or inside it ("a.b[1]" is inside "a.b"). */
bool chk_path_below_json (const char *path, const char *base);
/* True when path p is below (or equal to) directory d, lexically ("/a/b" is below "/a"). */
bool chk_path_below (const char *p, const char *d);
/* Destination of a mounts[] entry that p lies at or below, or NULL. */
const char *chk_mount_covering (struct chk *k, const char *p);

/* Warn about members of obj (at JSON path base) not in the NULL-terminated list known. */
void chk_unknown_keys (struct chk *k, yajl_val obj, const char *base, const char *const *known);

/* The rule sets. */
void chk_rules_document (struct chk *k);  /* types, names, values (bundle_check_rules.c) */
void chk_rules_linux (struct chk *k);     /* linux.* (bundle_check_linux.c) */
void chk_rules_rootfs (struct chk *k);    /* files of the bundle (bundle_check_rootfs.c) */
void chk_rules_host (struct chk *k);      /* this host (bundle_check_host.c) */

#endif
