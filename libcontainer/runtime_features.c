/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The features document (runtime-spec features.md).
 *
 * Lists come from the tables the rest of hull uses (the parser's name
 * tables in config.h, narrowed to what seccomp.c and this libseccomp can do);
 * switches come from the build (configure's HAVE_*).
 * Only seccomp's supportedFlags depend on the running kernel, as the spec
 * describes for that key.
 */
#include <config.h>
#include "runtime_features.h"
#include "config.h"
#include "json.h"
#include "seccomp_filter.h"
#include "utils.h"

#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ELEM(a) (sizeof (a) / sizeof ((a)[0]))

static const char *const hook_names[] = {
  [HULL_HOOK_PRESTART] = "prestart",
  [HULL_HOOK_CREATE_RUNTIME] = "createRuntime",
  [HULL_HOOK_CREATE_CONTAINER] = "createContainer",
  [HULL_HOOK_START_CONTAINER] = "startContainer",
  [HULL_HOOK_POSTSTART] = "poststart",
  [HULL_HOOK_POSTSTOP] = "poststop",
};
_Static_assert (N_ELEM (hook_names) == HULL_HOOK_KINDS, "a hook kind has no name");

/* Generic (not filesystem-specific) mount options understood in
   mounts[].options, sorted: the names of the table in mount_options.c (the
   unit test checks that each one is recognised there, not passed on as
   filesystem data). */
static const char *const mount_options[] = {
  "async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec", "idmap", "iversion",
  "lazytime", "loud", "mand", "noatime", "nodev", "nodiratime", "noexec", "noiversion",
  "nolazytime", "nomand", "norelatime", "nostrictatime", "nosuid", "nosymfollow", "notmpcopyup",
  "private", "ratime", "rbind", "rdev", "rdiratime", "relatime", "remount", "rexec", "ridmap",
  "rnoatime", "rnodev", "rnodiratime", "rnoexec", "rnorelatime", "rnostrictatime", "rnosuid",
  "rnosymfollow", "ro", "rprivate", "rrelatime", "rro", "rrw", "rshared", "rslave",
  "rstrictatime", "rsuid", "rsymfollow", "runbindable", "rw", "shared", "silent", "slave",
  "strictatime", "suid", "symfollow", "sync", "tmpcopyup", "unbindable",
};

/* What this build implements beyond the always-present parts.  Keep these in
   step with the code: the spec wants "false" rather than a promise. */
#ifdef HAVE_SYSTEMD
#define BUILD_SYSTEMD true
#else
#define BUILD_SYSTEMD false
#endif
#ifdef HAVE_CRIU
#define BUILD_CRIU true
#else
#define BUILD_CRIU false
#endif
#define BUILD_RDMA true          /* cgroup_v1.c / cgroup_v2.c: rdma.max */
#define BUILD_IDMAP_MOUNTS true  /* mount_idmap.c: uidMappings/gidMappings of mounts */
#define BUILD_APPARMOR false     /* process.apparmorProfile is parsed but not applied */
#define BUILD_SELINUX false      /* process.selinuxLabel / mountLabel are not applied */
#define BUILD_INTEL_RDT false

const char *
hull_features_mount_option (size_t i)
{
  return i < N_ELEM (mount_options) ? mount_options[i] : NULL;
}

static void
str_array (yajl_gen g, const char *key, const char *const *v, size_t n)
{
  size_t i;

  hull_json_key (g, key);
  yajl_gen_array_open (g);
  for (i = 0; i < n; i++)
    if (v[i])
      hull_json_str (g, v[i]);
  yajl_gen_array_close (g);
}

static int
cmp_str (const void *a, const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
gen_enabled (yajl_gen g, const char *key, bool enabled)
{
  hull_json_key (g, key);
  yajl_gen_map_open (g);
  hull_json_kbool (g, "enabled", enabled);
  yajl_gen_map_close (g);
}

/* Names of a parser table (sorted), keeping those `usable` accepts (all when NULL). */
static void
table_array (yajl_gen g, const char *key, const struct hull_name_value *t, bool (*usable) (const char *))
{
  const char *names[64] = { 0 };
  size_t n = 0;

  for (; t->name && n < N_ELEM (names); t++)
    if (usable == NULL || usable (t->name))
      names[n++] = t->name;
  qsort (names, n, sizeof names[0], cmp_str);
  str_array (g, key, names, n);
}

/* A flag the parser accepts and seccomp.c can pass to seccomp(2). */
static bool
flag_known (const char *name)
{
  size_t i;

  for (i = 0; hull_seccomp_flag_name (i); i++)
    if (strcmp (hull_seccomp_flag_name (i), name) == 0)
      return true;
  return false;
}

static bool
flag_supported (const char *name)
{
  return flag_known (name) && hull_seccomp_flag_supported (name);
}

static void
gen_seccomp (yajl_gen g)
{
  hull_json_key (g, "seccomp");
  yajl_gen_map_open (g);
  hull_json_kbool (g, "enabled", true);
  /* The names the parser accepts are the ones hull recognises; seccomp.c
     implements every action and operator, architectures only as far as
     this libseccomp knows them, flags only those it has a bit for. */
  table_array (g, "actions", hull_seccomp_action_names, NULL);
  table_array (g, "operators", hull_seccomp_op_names, NULL);
  table_array (g, "archs", hull_seccomp_arch_names, hull_seccomp_arch_known);
  table_array (g, "knownFlags", hull_seccomp_flag_names, flag_known);
  table_array (g, "supportedFlags", hull_seccomp_flag_names, flag_supported);
  yajl_gen_map_close (g);
}

static void
gen_linux (yajl_gen g)
{
  const char *names[HULL_NS_TYPES];
  size_t n;
  int c, last;

  hull_json_key (g, "linux");
  yajl_gen_map_open (g);

  for (n = 0; n < HULL_NS_TYPES; n++)
    names[n] = hull_ns_type_names[n];
  qsort (names, n, sizeof names[0], cmp_str);
  str_array (g, "namespaces", names, n);

  hull_json_key (g, "capabilities");
  yajl_gen_array_open (g);
  last = hull_cap_last ();
  for (c = 0; c <= last; c++)
    if (hull_cap_name (c))
      hull_json_str (g, hull_cap_name (c));
  yajl_gen_array_close (g);

  hull_json_key (g, "cgroup");
  yajl_gen_map_open (g);
  hull_json_kbool (g, "v1", true);
  hull_json_kbool (g, "v2", true);
  hull_json_kbool (g, "systemd", BUILD_SYSTEMD);
  hull_json_kbool (g, "systemdUser", BUILD_SYSTEMD);
  hull_json_kbool (g, "rdma", BUILD_RDMA);
  yajl_gen_map_close (g);

  gen_seccomp (g);
  gen_enabled (g, "apparmor", BUILD_APPARMOR);
  gen_enabled (g, "selinux", BUILD_SELINUX);
  gen_enabled (g, "intelRdt", BUILD_INTEL_RDT);

  hull_json_key (g, "mountExtensions");
  yajl_gen_map_open (g);
  gen_enabled (g, "idmap", BUILD_IDMAP_MOUNTS);
  yajl_gen_map_close (g);

  yajl_gen_map_close (g);
}

char *
hull_features_json (hull_error_t *err)
{
  const struct scmp_version *v = seccomp_version ();
  cleanup_free char *scmp_ver = NULL;
  yajl_gen g = hull_json_gen (true);

  yajl_gen_map_open (g);
  hull_json_kstr (g, "ociVersionMin", HULL_OCI_VERSION_MIN);
  hull_json_kstr (g, "ociVersionMax", HULL_OCI_VERSION_MAX);
  str_array (g, "hooks", hook_names, N_ELEM (hook_names));
  str_array (g, "mountOptions", mount_options, N_ELEM (mount_options));
  gen_linux (g);

  /* Keys sorted, as other runtimes print them. */
  hull_json_key (g, "annotations");
  yajl_gen_map_open (g);
  hull_json_kstr (g, "io.github.hull.checkpoint.enabled", BUILD_CRIU ? "true" : "false");
  hull_json_kstr (g, "io.github.hull.version", PACKAGE_VERSION);
  if (v)
    {
      scmp_ver = xasprintf ("%u.%u.%u", v->major, v->minor, v->micro);
      hull_json_kstr (g, "io.github.seccomp.libseccomp.version", scmp_ver);
    }
  yajl_gen_map_close (g);

  yajl_gen_map_close (g);
  (void) err;
  return hull_json_finish (g);
}
