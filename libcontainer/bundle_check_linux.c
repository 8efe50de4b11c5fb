/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `hull check` rules for linux.*: namespaces (unknown, duplicate, relative
 * paths, the mount namespace create needs), id mappings, devices, sysctl
 * against the namespaces given, masked and read-only paths, resources and
 * seccomp, each member on its own through the parser (see
 * bundle_check_rules.c for the method).
 */
#include <config.h>
#include "bundle_check_internal.h"
#include "sysctl.h"
#include "utils.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NEED_UTS "needs a UTS namespace (add {\"type\": \"uts\"} to linux.namespaces)"

/* The valid entries of linux.namespaces, as a stand-in array for the parser. */
struct ns_stub
{
  yajl_val good[HULL_NS_TYPES];
  struct yajl_val_s arr;
};

static void
check_namespaces (struct chk *k, yajl_val lx, struct ns_stub *stub)
{
  yajl_val a = NULL;
  size_t where[HULL_NS_TYPES] = { 0 };
  size_t i;

  memset (stub, 0, sizeof *stub);
  stub->arr.type = yajl_t_array;
  stub->arr.u.array.values = stub->good;
  CHK_TRY (k, cfg_array (&k->cc, lx, "linux", "namespaces", &a));
  for (i = 0; a && i < a->u.array.len; i++)
    {
      cleanup_free char *pi = cfg_path_idx ("linux.namespaces", i);
      cleanup_free char *pt = cfg_path_key (pi, "type");
      cleanup_free char *pp = cfg_path_key (pi, "path");
      cleanup_free char *type = NULL, *path = NULL;
      yajl_val e = a->u.array.values[i];
      bool ok = true;
      int t;

      if (cfg_check_object (&k->cc, e, pi) < 0)
        {
          chk_take (k, &k->cerr, NULL, NULL, NULL);
          continue;
        }
      if (cfg_string (&k->cc, e, pi, "type", true, &type) < 0)
        {
          chk_take (k, &k->cerr, NULL, NULL, NULL);
          ok = false;
        }
      if (cfg_string (&k->cc, e, pi, "path", false, &path) < 0)
        {
          chk_take (k, &k->cerr, NULL, NULL, NULL);
          ok = false;
        }
      if (path && path[0] != '/')
        {
          chk_error (k, pp, "give the absolute path of a namespace file, e.g. /proc/1234/ns/net",
                     "must be an absolute path, got \"%s\"", path);
          ok = false;
        }
      if (type == NULL)
        continue;
      t = cfg_ns_from_name (type);
      if (t < 0)
        {
          chk_error (k, pt, NULL, "unknown namespace \"%s\"", type);
          continue;
        }
      if (k->ns[t])
        {
          chk_error (k, pt, "list each namespace type once", "duplicate namespace \"%s\" (also "
                     "linux.namespaces[%zu])", type, where[t]);
          continue;
        }
      k->ns[t] = true;
      where[t] = i;
      k->ns_index[t] = i;
      k->ns_path[t] = path && *path ? chk_str (e, "path") : NULL;
      if (ok)
        stub->good[stub->arr.u.array.len++] = e;
    }
  if (!k->ns[HULL_NS_MNT] && (a || cfg_member (lx, "namespaces") == NULL))
    chk_error (k, "linux.namespaces", "add {\"type\": \"mount\"} to linux.namespaces",
               "a mount namespace is required");
  if (!k->ns[HULL_NS_USER])
    {
      if (cfg_member (lx, "uidMappings"))
        chk_error (k, "linux.uidMappings", NULL, "id mappings given, but no user namespace requested");
      if (cfg_member (lx, "gidMappings"))
        chk_error (k, "linux.gidMappings", NULL, "id mappings given, but no user namespace requested");
    }
  else if (k->ns_path[HULL_NS_USER] == NULL)
    {
      if (cfg_member (lx, "uidMappings") == NULL)
        chk_error (k, "linux.uidMappings", NULL, "user namespace requested, but no uid mappings given");
      if (cfg_member (lx, "gidMappings") == NULL)
        chk_error (k, "linux.gidMappings", NULL, "user namespace requested, but no gid mappings given");
    }
}

/* Run the linux parser on {key: v} (plus the valid namespaces) and keep the errors under
   `under`, renaming paths that start with `from` to `to`. */
static void
linux_isolated (struct chk *k, struct ns_stub *stub, const char *key, yajl_val v, bool as_elem,
                const char *from, const char *to, const char *under)
{
  struct hull_linux l = { 0 };
  struct chk_fake f;
  yajl_val fake = chk_fake_init (&f);

  if (strcmp (key, "namespaces") != 0)
    chk_fake_put (&f, "namespaces", &stub->arr);
  if (as_elem)
    chk_fake_put_elem (&f, key, v);
  else
    chk_fake_put (&f, key, v);
  if (cfg_parse_linux (&k->cc, fake, "linux", &l) < 0)
    chk_take (k, &k->cerr, from, to, under);
  cfg_linux_clear (&l);
}

/* Each element of the array linux.key alone. */
static void
linux_each (struct chk *k, struct ns_stub *stub, yajl_val lx, const char *key)
{
  cleanup_free char *base = cfg_path_key ("linux", key);
  cleanup_free char *from = cfg_path_idx (base, 0);
  yajl_val a = cfg_member (lx, key);
  size_t i;

  if (a == NULL)
    return;
  if (!YAJL_IS_ARRAY (a))
    {
      linux_isolated (k, stub, key, a, false, NULL, NULL, base);
      return;
    }
  for (i = 0; i < a->u.array.len; i++)
    {
      cleanup_free char *to = cfg_path_idx (base, i);
      linux_isolated (k, stub, key, a->u.array.values[i], true, from, to, to);
    }
}

/* maskedPaths / readonlyPaths: strings, absolute. */
static void
check_path_list (struct chk *k, yajl_val lx, const char *key)
{
  cleanup_free char *base = cfg_path_key ("linux", key);
  yajl_val a = cfg_member (lx, key);
  size_t i;

  if (a == NULL)
    return;
  if (!YAJL_IS_ARRAY (a))
    {
      chk_error (k, base, NULL, "expected an array of strings, got %s", cfg_type_name (a));
      return;
    }
  for (i = 0; i < a->u.array.len; i++)
    {
      cleanup_free char *pi = cfg_path_idx (base, i);
      yajl_val e = a->u.array.values[i];
      if (!YAJL_IS_STRING (e))
        chk_error (k, pi, NULL, "expected a string, got %s", cfg_type_name (e));
      else if (e->u.string[0] != '/')
        chk_error (k, pi, "write the path inside the container starting with \"/\"",
                   "must be an absolute path, got \"%s\"", e->u.string);
    }
}

/* Is the namespace file at path the one hull itself is in (type t)? */
static bool
is_host_namespace (const char *path, enum hull_ns_type t)
{
  static const char *const files[HULL_NS_TYPES] = {
    [HULL_NS_NET] = "/proc/self/ns/net", [HULL_NS_IPC] = "/proc/self/ns/ipc",
    [HULL_NS_UTS] = "/proc/self/ns/uts",
  };
  struct stat a, b;

  if (files[t] == NULL || stat (path, &a) < 0 || stat (files[t], &b) < 0)
    return false;
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static void
check_sysctl (struct chk *k, struct ns_stub *stub, yajl_val lx)
{
  yajl_val v = cfg_member (lx, "sysctl");
  size_t i;

  if (v == NULL)
    return;
  linux_isolated (k, stub, "sysctl", v, false, NULL, NULL, "linux.sysctl");
  if (!YAJL_IS_OBJECT (v))
    return;
  for (i = 0; i < v->u.object.len; i++)
    {
      const char *key = v->u.object.keys[i];
      cleanup_free char *p = cfg_path_key ("linux.sysctl", key);
      hull_error_t e = NULL;
      int t;

      if (cfg_key_repeated_later (v, i))
        continue;
      t = hull_sysctl_namespace (key, &e);
      if (t < 0)
        {
          const char *m = e->msg;
          if (strncmp (m, "linux.sysctl: ", 14) == 0)
            m += 14;
          chk_error (k, p, "only namespaced sysctls can be set: net.*, fs.mqueue.*, the System V "
                     "IPC kernel.* ones, kernel.hostname and kernel.domainname", "%s", m);
          hull_error_free (&e);
          continue;
        }
      if (!k->ns[t])
        {
          cleanup_free char *hint = xasprintf ("add {\"type\": \"%s\"} to linux.namespaces",
                                               hull_ns_type_names[t]);
          chk_error (k, p, hint, "\"%s\" needs a new %s namespace", key, hull_ns_type_names[t]);
        }
      else if (k->ns_path[t] && is_host_namespace (k->ns_path[t], (enum hull_ns_type) t))
        chk_error (k, p, "join a namespace of another container, or create a new one",
                   "\"%s\" needs a new %s namespace, but the namespace at \"%s\" is the host's",
                   key, hull_ns_type_names[t], k->ns_path[t]);
    }
}

/* linux.resources: one member (one element for the lists) at a time. */
static void
check_resources (struct chk *k, yajl_val lx)
{
  yajl_val res = NULL;
  size_t i, j;

  CHK_TRY (k, cfg_object (&k->cc, lx, "linux", "resources", &res));
  for (i = 0; res && i < res->u.object.len; i++)
    {
      const char *key = res->u.object.keys[i];
      yajl_val v = res->u.object.values[i];
      cleanup_free char *base = cfg_path_key ("linux.resources", key);
      cleanup_free char *from = cfg_path_idx (base, 0);
      bool list = strcmp (key, "devices") == 0 || strcmp (key, "hugepageLimits") == 0;

      if (cfg_key_repeated_later (res, i))
        continue;
      for (j = 0; j < (list && YAJL_IS_ARRAY (v) ? v->u.array.len : 1); j++)
        {
          cleanup_free char *to = list && YAJL_IS_ARRAY (v) ? cfg_path_idx (base, j) : xstrdup (base);
          struct hull_resources r = { 0 };
          struct chk_fake f;
          yajl_val fake = chk_fake_init (&f);

          if (list && YAJL_IS_ARRAY (v))
            chk_fake_put_elem (&f, key, v->u.array.values[j]);
          else
            chk_fake_put (&f, key, v);
          if (cfg_parse_resources (&k->cc, fake, "linux.resources", &r) < 0)
            chk_take (k, &k->cerr, list ? from : NULL, to, to);
          cfg_resources_clear (&r);
        }
    }
}

static void
check_seccomp (struct chk *k, yajl_val lx)
{
  static char allow_s[] = "SCMP_ACT_ALLOW";
  struct yajl_val_s allow = { .type = yajl_t_string, .u.string = allow_s };
  yajl_val sc = NULL, a, listener;
  bool notify = false;
  size_t i, j;

  CHK_TRY (k, cfg_object (&k->cc, lx, "linux", "seccomp", &sc));
  if (sc == NULL)
    return;
  listener = cfg_member (sc, "listenerPath");
  if (!YAJL_IS_STRING (listener) || listener->u.string[0] != '/')
    listener = NULL;
  for (i = 0; i < sc->u.object.len; i++)
    {
      const char *key = sc->u.object.keys[i];
      cleanup_free char *under = cfg_path_key ("linux.seccomp", key);
      struct hull_seccomp s = { 0 };
      struct chk_fake f;
      yajl_val fake;

      if (cfg_key_repeated_later (sc, i) || strcmp (key, "syscalls") == 0)
        continue;
      fake = chk_fake_init (&f);
      chk_fake_put (&f, key, sc->u.object.values[i]);
      if (strcmp (key, "defaultAction") != 0)
        chk_fake_put (&f, "defaultAction", &allow);
      if (cfg_parse_seccomp (&k->cc, fake, "linux.seccomp", &s) < 0)
        chk_take (k, &k->cerr, NULL, NULL, under);
      cfg_seccomp_clear (&s);
    }
  if (cfg_member (sc, "defaultAction") == NULL)
    chk_error (k, "linux.seccomp.defaultAction", "set it, e.g. to \"SCMP_ACT_ERRNO\"",
               "missing required field");
  a = cfg_member (sc, "syscalls");
  if (a && !YAJL_IS_ARRAY (a))
    chk_error (k, "linux.seccomp.syscalls", NULL, "expected an array, got %s", cfg_type_name (a));
  for (i = 0; YAJL_IS_ARRAY (a) && i < a->u.array.len; i++)
    {
      cleanup_free char *to = cfg_path_idx ("linux.seccomp.syscalls", i);
      yajl_val e = a->u.array.values[i], names = chk_arr (e, "names");
      const char *action = chk_str (e, "action");
      struct hull_seccomp s = { 0 };
      struct chk_fake f;
      yajl_val fake = chk_fake_init (&f);

      chk_fake_put (&f, "defaultAction", &allow);
      chk_fake_put (&f, "listenerPath", listener);
      chk_fake_put_elem (&f, "syscalls", e);
      if (cfg_parse_seccomp (&k->cc, fake, "linux.seccomp", &s) < 0)
        chk_take (k, &k->cerr, "linux.seccomp.syscalls[0]", to, to);
      cfg_seccomp_clear (&s);
      if (action && strcmp (action, "SCMP_ACT_NOTIFY") == 0 && !notify)
        {
          notify = true;
          if (cfg_member (sc, "listenerPath") == NULL)
            chk_error (k, "linux.seccomp.listenerPath",
                       "give the unix socket of the seccomp agent that handles notifications",
                       "required when %s.action is SCMP_ACT_NOTIFY", to);
        }
      for (j = 0; names && j < names->u.array.len; j++)
        {
          yajl_val n = names->u.array.values[j];
          if (YAJL_IS_STRING (n) && n->u.string[0]
              && seccomp_syscall_resolve_name (n->u.string) == __NR_SCMP_ERROR)
            {
              cleanup_free char *pn = xasprintf ("%s.names[%zu]", to, j);
              chk_warn (k, pn, "check the spelling; rules for syscalls libseccomp does not know "
                        "are skipped, as runc does",
                        "syscall \"%s\" is unknown to libseccomp", n->u.string);
            }
        }
    }
}

static const char *const linux_keys[] = {
  "namespaces", "uidMappings", "gidMappings", "timeOffsets", "devices", "cgroupsPath",
  "resources", "rootfsPropagation", "seccomp", "sysctl", "maskedPaths", "readonlyPaths",
  "mountLabel", "personality", "intelRdt", "memoryPolicy", "netDevices", NULL,
};

void
chk_rules_linux (struct chk *k)
{
  static const char *const own[] = { "namespaces", "resources", "seccomp", "sysctl", "devices",
                                     "maskedPaths", "readonlyPaths", NULL };
  struct ns_stub stub;
  yajl_val lx = NULL;
  const char *s;
  size_t i, j;

  CHK_TRY (k, cfg_object (&k->cc, k->doc, "", "linux", &lx));
  memset (&stub, 0, sizeof stub);
  if (lx)
    {
      check_namespaces (k, lx, &stub);
      chk_unknown_keys (k, lx, "linux", linux_keys);
      for (i = 0; i < lx->u.object.len; i++)
        {
          const char *key = lx->u.object.keys[i];
          bool mine = false;

          for (j = 0; own[j]; j++)
            mine |= strcmp (own[j], key) == 0;
          if (mine || cfg_key_repeated_later (lx, i))
            continue;
          {
            cleanup_free char *under = cfg_path_key ("linux", key);
            linux_isolated (k, &stub, key, lx->u.object.values[i], false, NULL, NULL, under);
          }
        }
      linux_each (k, &stub, lx, "devices");
      check_path_list (k, lx, "maskedPaths");
      check_path_list (k, lx, "readonlyPaths");
      check_sysctl (k, &stub, lx);
      check_resources (k, lx);
      check_seccomp (k, lx);
    }
  s = chk_str (k->doc, "hostname");
  if (s && *s && !k->ns[HULL_NS_UTS])
    chk_error (k, "hostname", "add {\"type\": \"uts\"} to linux.namespaces", "%s", NEED_UTS);
  s = chk_str (k->doc, "domainname");
  if (s && *s && !k->ns[HULL_NS_UTS])
    chk_error (k, "domainname", "add {\"type\": \"uts\"} to linux.namespaces", "%s", NEED_UTS);
}
