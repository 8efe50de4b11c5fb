/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config.json parser: the linux object (namespaces, id mappings, time
 * offsets, devices, propagation, sysctl, masked/readonly paths,
 * personality, Intel RDT, NUMA memory policy, network devices).
 * linux.resources and linux.seccomp have files of their own.
 */
#include <config.h>
#include "config_internal.h"
#include "utils.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void
cfg_linux_clear (struct hull_linux *l)
{
  size_t i;

  for (i = 0; i < l->namespaces_len; i++)
    free (l->namespaces[i].path);
  free (l->namespaces);
  free (l->uid_mappings);
  free (l->gid_mappings);
  for (i = 0; i < l->devices_len; i++)
    free (l->devices[i].path);
  free (l->devices);
  free (l->cgroups_path);
  hull_resources_free (l->resources);
  free (l->rootfs_propagation);
  if (l->seccomp)
    {
      cfg_seccomp_clear (l->seccomp);
      free (l->seccomp);
    }
  cfg_kv_free (l->sysctl, l->sysctl_len);
  strv_free (l->masked_paths);
  strv_free (l->readonly_paths);
  free (l->mount_label);
  free (l->personality.domain_name);
  strv_free (l->personality.flags);
  free (l->intel_rdt.clos_id);
  free (l->intel_rdt.l3_cache_schema);
  free (l->intel_rdt.mem_bw_schema);
  strv_free (l->intel_rdt.schemata);
  free (l->memory_policy.mode_name);
  free (l->memory_policy.nodes);
  strv_free (l->memory_policy.flags);
  for (i = 0; i < l->net_devices_len; i++)
    {
      free (l->net_devices[i].host_name);
      free (l->net_devices[i].name);
    }
  free (l->net_devices);
  memset (l, 0, sizeof *l);
}

static int
parse_namespaces (struct cfg_ctx *c, yajl_val lx, const char *base, struct hull_linux *l)
{
  cleanup_free char *p = cfg_path_key (base, "namespaces");
  yajl_val a;
  size_t i, j;

  if (cfg_array (c, lx, base, "namespaces", &a) < 0)
    return -1;
  if (a == NULL)
    return 0;
  l->namespaces = xmalloc0 ((a->u.array.len ? a->u.array.len : 1) * sizeof *l->namespaces);
  for (i = 0; i < a->u.array.len; i++)
    {
      cleanup_free char *pi = cfg_path_idx (p, i);
      cleanup_free char *pt = cfg_path_key (pi, "type");
      cleanup_free char *type = NULL;
      struct hull_namespace *ns = &l->namespaces[i];
      yajl_val e = a->u.array.values[i];
      int t;

      l->namespaces_len = i + 1;
      if (cfg_check_object (c, e, pi) < 0 || cfg_string (c, e, pi, "type", true, &type) < 0
          || cfg_string (c, e, pi, "path", false, &ns->path) < 0)
        return -1;
      t = cfg_ns_from_name (type);
      if (t < 0)
        return cfg_error (c, pt, "unknown namespace \"%s\"", type);
      ns->type = (enum hull_ns_type) t;
      ns->clone_flag = cfg_ns_clone_flag (ns->type);
      for (j = 0; j < i; j++)
        if (l->namespaces[j].type == ns->type)
          return cfg_error (c, pt, "duplicate namespace \"%s\"", type);
      if (ns->path && ns->path[0] != '/')
        {
          cleanup_free char *pp = cfg_path_key (pi, "path");
          return cfg_error (c, pp, "must be an absolute path, got \"%s\"", ns->path);
        }
    }
  return 0;
}

static int
parse_time_offsets (struct cfg_ctx *c, yajl_val lx, const char *base, struct hull_linux *l)
{
  cleanup_free char *p = cfg_path_key (base, "timeOffsets");
  yajl_val v;
  size_t i;

  if (cfg_object (c, lx, base, "timeOffsets", &v) < 0)
    return -1;
  if (v == NULL)
    return 0;
  for (i = 0; i < v->u.object.len; i++)
    {
      const char *clock = v->u.object.keys[i];
      cleanup_free char *pc = cfg_path_key (p, clock);
      yajl_val e = v->u.object.values[i];
      struct hull_time_offset *t;
      uint64_t ns = 0;

      if (strcmp (clock, "monotonic") == 0)
        t = &l->time_monotonic;
      else if (strcmp (clock, "boottime") == 0)
        t = &l->time_boottime;
      else
        return cfg_error (c, pc, "unknown clock \"%s\" (expected monotonic or boottime)", clock);
      if (YAJL_IS_NULL (e))
        continue;
      if (cfg_check_object (c, e, pc) < 0
          || cfg_i64 (c, e, pc, "secs", false, INT64_MIN, INT64_MAX, &t->secs, NULL) < 0
          || cfg_u64 (c, e, pc, "nanosecs", false, 999999999, &ns, NULL) < 0)
        return -1;
      t->nanosecs = (uint32_t) ns;
      t->set = true;
    }
  return 0;
}

static int
parse_devices (struct cfg_ctx *c, yajl_val lx, const char *base, struct hull_linux *l)
{
  cleanup_free char *p = cfg_path_key (base, "devices");
  yajl_val a;
  size_t i;

  if (cfg_array (c, lx, base, "devices", &a) < 0)
    return -1;
  if (a == NULL)
    return 0;
  l->devices = xmalloc0 ((a->u.array.len ? a->u.array.len : 1) * sizeof *l->devices);
  for (i = 0; i < a->u.array.len; i++)
    {
      cleanup_free char *pi = cfg_path_idx (p, i);
      cleanup_free char *pt = cfg_path_key (pi, "type");
      cleanup_free char *type = NULL;
      struct hull_device *d = &l->devices[i];
      yajl_val e = a->u.array.values[i];
      bool need_numbers;
      uint32_t id;

      l->devices_len = i + 1;
      if (cfg_check_object (c, e, pi) < 0 || cfg_string (c, e, pi, "type", true, &type) < 0
          || cfg_string (c, e, pi, "path", true, &d->path) < 0)
        return -1;
      if (strlen (type) != 1 || strchr ("cbup", type[0]) == NULL)
        return cfg_error (c, pt, "unknown device type \"%s\" (expected c, b, u or p)", type);
      d->type = type[0];
      need_numbers = d->type != 'p';
      if (cfg_i64 (c, e, pi, "major", need_numbers, 0, UINT32_MAX, &d->major, NULL) < 0
          || cfg_i64 (c, e, pi, "minor", need_numbers, 0, UINT32_MAX, &d->minor, NULL) < 0
          || cfg_opt_u64 (c, e, pi, "fileMode", UINT32_MAX, &d->file_mode) < 0)
        return -1;
      if (cfg_member (e, "uid"))
        {
          if (cfg_id (c, e, pi, "uid", false, &id) < 0)
            return -1;
          d->uid.set = true;
          d->uid.value = id;
        }
      if (cfg_member (e, "gid"))
        {
          if (cfg_id (c, e, pi, "gid", false, &id) < 0)
            return -1;
          d->gid.set = true;
          d->gid.value = id;
        }
      if (d->path[0] != '/')
        {
          cleanup_free char *pp = cfg_path_key (pi, "path");
          return cfg_error (c, pp, "must be an absolute path, got \"%s\"", d->path);
        }
    }
  return 0;
}

static int
parse_personality (struct cfg_ctx *c, yajl_val lx, const char *base, struct hull_personality *pe)
{
  cleanup_free char *p = cfg_path_key (base, "personality");
  cleanup_free char *pd = cfg_path_key (p, "domain");
  yajl_val v;
  long x;

  if (cfg_object (c, lx, base, "personality", &v) < 0)
    return -1;
  if (v == NULL)
    return 0;
  pe->set = true;
  if (cfg_string (c, v, p, "domain", true, &pe->domain_name) < 0
      || cfg_strv (c, v, p, "flags", &pe->flags) < 0)
    return -1;
  if (cfg_names_lookup (hull_personality_names, pe->domain_name, &x) < 0)
    return cfg_error (c, pd, "unknown personality domain \"%s\" (expected LINUX or LINUX32)",
                      pe->domain_name);
  pe->domain = (unsigned long) x;
  return 0;
}

/* intelRdt.schemata: a string of lines in runtime-spec 1.2, a list of
   lines later; both are kept as a list.  */
static int
parse_schemata (struct cfg_ctx *c, yajl_val rdt, const char *base, struct hull_intel_rdt *r)
{
  yajl_val v = cfg_member (rdt, "schemata");

  if (YAJL_IS_STRING (v))
    {
      r->schemata = xmalloc0 (2 * sizeof (char *));
      r->schemata[0] = xstrdup (v->u.string);
      return 0;
    }
  return cfg_strv (c, rdt, base, "schemata", &r->schemata);
}

static int
parse_intel_rdt (struct cfg_ctx *c, yajl_val lx, const char *base, struct hull_intel_rdt *r)
{
  cleanup_free char *p = cfg_path_key (base, "intelRdt");
  yajl_val v;

  if (cfg_object (c, lx, base, "intelRdt", &v) < 0)
    return -1;
  if (v == NULL)
    return 0;
  r->set = true;
  if (cfg_string (c, v, p, "closID", false, &r->clos_id) < 0
      || cfg_string (c, v, p, "l3CacheSchema", false, &r->l3_cache_schema) < 0
      || cfg_string (c, v, p, "memBwSchema", false, &r->mem_bw_schema) < 0
      || parse_schemata (c, v, p, r) < 0
      || cfg_opt_bool (c, v, p, "enableCMT", &r->enable_cmt) < 0
      || cfg_opt_bool (c, v, p, "enableMBM", &r->enable_mbm) < 0
      || cfg_opt_bool (c, v, p, "enableMonitoring", &r->enable_monitoring) < 0)
    return -1;
  /* closID names a directory under /sys/fs/resctrl. */
  if (r->clos_id
      && (r->clos_id[0] == '\0' || strchr (r->clos_id, '/') || strcmp (r->clos_id, ".") == 0
          || strcmp (r->clos_id, "..") == 0))
    {
      cleanup_free char *pc = cfg_path_key (p, "closID");
      return cfg_error (c, pc, "invalid CLOS id \"%s\"", r->clos_id);
    }
  return 0;
}

static int
parse_memory_policy (struct cfg_ctx *c, yajl_val lx, const char *base,
                     struct hull_memory_policy *mp)
{
  cleanup_free char *p = cfg_path_key (base, "memoryPolicy");
  cleanup_free char *pm = cfg_path_key (p, "mode");
  cleanup_free char *pf = cfg_path_key (p, "flags");
  yajl_val v;
  long x;
  size_t i;

  if (cfg_object (c, lx, base, "memoryPolicy", &v) < 0)
    return -1;
  if (v == NULL)
    return 0;
  mp->set = true;
  if (cfg_string (c, v, p, "mode", true, &mp->mode_name) < 0
      || cfg_string (c, v, p, "nodes", false, &mp->nodes) < 0
      || cfg_strv (c, v, p, "flags", &mp->flags) < 0)
    return -1;
  if (cfg_names_lookup (hull_mpol_mode_names, mp->mode_name, &x) < 0)
    return cfg_error (c, pm, "unknown memory policy mode \"%s\"", mp->mode_name);
  mp->mode = (int) x;
  for (i = 0; mp->flags && mp->flags[i]; i++)
    {
      cleanup_free char *pi = cfg_path_idx (pf, i);
      if (cfg_names_lookup (hull_mpol_flag_names, mp->flags[i], &x) < 0)
        return cfg_error (c, pi, "unknown memory policy flag \"%s\"", mp->flags[i]);
      mp->flags_mask |= (unsigned) x;
    }
  return 0;
}

/* Interface names as the kernel takes them: 1..15 bytes, no '/', no
   white space, not "." or "..".  */
static bool
valid_ifname (const char *s)
{
  size_t n = strlen (s);

  if (n == 0 || n > 15 || strcmp (s, ".") == 0 || strcmp (s, "..") == 0)
    return false;
  return strpbrk (s, "/: \t\n\r\v\f") == NULL;
}

static int
parse_net_devices (struct cfg_ctx *c, yajl_val lx, const char *base, struct hull_linux *l)
{
  cleanup_free char *p = cfg_path_key (base, "netDevices");
  yajl_val v;
  size_t i;

  if (cfg_object (c, lx, base, "netDevices", &v) < 0)
    return -1;
  if (v == NULL)
    return 0;
  l->net_devices = xmalloc0 ((v->u.object.len ? v->u.object.len : 1) * sizeof *l->net_devices);
  for (i = 0; i < v->u.object.len; i++)
    {
      cleanup_free char *pk = cfg_path_key (p, v->u.object.keys[i]);
      struct hull_net_device *d = &l->net_devices[l->net_devices_len];
      yajl_val e = v->u.object.values[i];

      if (cfg_key_repeated_later (v, i))
        continue;
      l->net_devices_len++;
      d->host_name = xstrdup (v->u.object.keys[i]);
      if (!valid_ifname (d->host_name))
        return cfg_error (c, pk, "invalid network interface name");
      if (YAJL_IS_NULL (e))
        continue;
      if (cfg_check_object (c, e, pk) < 0 || cfg_string (c, e, pk, "name", false, &d->name) < 0)
        return -1;
      if (d->name && !valid_ifname (d->name))
        {
          cleanup_free char *pn = cfg_path_key (pk, "name");
          return cfg_error (c, pn, "invalid network interface name \"%s\"", d->name);
        }
    }
  return 0;
}

/* Every entry of the list at base.key must be an absolute path. */
static int
check_abs_paths (struct cfg_ctx *c, const char *base, const char *key, char **v)
{
  size_t i;

  for (i = 0; v && v[i]; i++)
    if (v[i][0] != '/')
      {
        cleanup_free char *p = cfg_path_key (base, key);
        cleanup_free char *pi = cfg_path_idx (p, i);
        return cfg_error (c, pi, "must be an absolute path, got \"%s\"", v[i]);
      }
  return 0;
}

/* Time offsets are written into a new time namespace before it is used. */
static int
check_time_namespace (struct cfg_ctx *c, const char *base, struct hull_linux *l)
{
  cleanup_free char *p = NULL;
  size_t i;

  if (!l->time_monotonic.set && !l->time_boottime.set)
    return 0;
  p = cfg_path_key (base, "timeOffsets");
  for (i = 0; i < l->namespaces_len; i++)
    if (l->namespaces[i].type == HULL_NS_TIME)
      {
        if (l->namespaces[i].path)
          return cfg_error (c, p, "cannot be set when joining an existing time namespace");
        return 0;
      }
  return cfg_error (c, p, "time offsets given, but no time namespace requested");
}

/* Checks across fields: user namespace and id mappings go together. */
static int
check_user_namespace (struct cfg_ctx *c, const char *base, struct hull_linux *l)
{
  const struct hull_namespace *userns = NULL;
  size_t i;

  for (i = 0; i < l->namespaces_len; i++)
    if (l->namespaces[i].type == HULL_NS_USER)
      userns = &l->namespaces[i];
  if (userns == NULL)
    {
      if (l->uid_mappings_len || l->gid_mappings_len)
        {
          cleanup_free char *p
              = cfg_path_key (base, l->uid_mappings_len ? "uidMappings" : "gidMappings");
          return cfg_error (c, p, "id mappings given, but no user namespace requested");
        }
      return 0;
    }
  /* Joining an existing user namespace needs no mappings. */
  if (userns->path)
    return 0;
  if (l->uid_mappings_len == 0)
    {
      cleanup_free char *p = cfg_path_key (base, "uidMappings");
      return cfg_error (c, p, "user namespace requested, but no uid mappings given");
    }
  if (l->gid_mappings_len == 0)
    {
      cleanup_free char *p = cfg_path_key (base, "gidMappings");
      return cfg_error (c, p, "user namespace requested, but no gid mappings given");
    }
  return 0;
}

int
cfg_parse_linux (struct cfg_ctx *c, yajl_val v, const char *path, struct hull_linux *l)
{
  cleanup_free char *pprop = cfg_path_key (path, "rootfsPropagation");
  yajl_val sub;
  long x;

  if (parse_namespaces (c, v, path, l) < 0
      || cfg_id_mappings (c, v, path, "uidMappings", &l->uid_mappings, &l->uid_mappings_len) < 0
      || cfg_id_mappings (c, v, path, "gidMappings", &l->gid_mappings, &l->gid_mappings_len) < 0
      || parse_time_offsets (c, v, path, l) < 0 || parse_devices (c, v, path, l) < 0
      || cfg_string (c, v, path, "cgroupsPath", false, &l->cgroups_path) < 0)
    return -1;

  if (cfg_object (c, v, path, "resources", &sub) < 0)
    return -1;
  if (sub)
    {
      cleanup_free char *pr = cfg_path_key (path, "resources");
      l->resources = xmalloc0 (sizeof *l->resources);
      if (cfg_parse_resources (c, sub, pr, l->resources) < 0)
        return -1;
    }

  if (cfg_string (c, v, path, "rootfsPropagation", false, &l->rootfs_propagation) < 0)
    return -1;
  if (l->rootfs_propagation)
    {
      if (cfg_names_lookup (hull_propagation_names, l->rootfs_propagation, &x) < 0)
        return cfg_error (c, pprop, "unknown propagation \"%s\"", l->rootfs_propagation);
      l->rootfs_propagation_flags = (unsigned long) x;
    }

  if (cfg_object (c, v, path, "seccomp", &sub) < 0)
    return -1;
  if (sub)
    {
      cleanup_free char *ps = cfg_path_key (path, "seccomp");
      l->seccomp = xmalloc0 (sizeof *l->seccomp);
      if (cfg_parse_seccomp (c, sub, ps, l->seccomp) < 0)
        return -1;
    }

  if (cfg_map (c, v, path, "sysctl", &l->sysctl, &l->sysctl_len) < 0
      || cfg_strv (c, v, path, "maskedPaths", &l->masked_paths) < 0
      || cfg_strv (c, v, path, "readonlyPaths", &l->readonly_paths) < 0
      || cfg_string (c, v, path, "mountLabel", false, &l->mount_label) < 0
      || parse_personality (c, v, path, &l->personality) < 0
      || parse_intel_rdt (c, v, path, &l->intel_rdt) < 0
      || parse_memory_policy (c, v, path, &l->memory_policy) < 0
      || parse_net_devices (c, v, path, l) < 0)
    return -1;
  if (check_abs_paths (c, path, "maskedPaths", l->masked_paths) < 0
      || check_abs_paths (c, path, "readonlyPaths", l->readonly_paths) < 0
      || check_time_namespace (c, path, l) < 0)
    return -1;
  return check_user_namespace (c, path, l);
}
