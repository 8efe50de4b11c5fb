/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config.json parser: linux.resources (also used alone for `update -r`).
 * Values are checked for type and for the ranges the spec gives; what the
 * running kernel accepts is left to the cgroup managers.
 */
#include <config.h>
#include "config_internal.h"
#include "utils.h"

#include <stdlib.h>
#include <string.h>

void
cfg_resources_clear (struct hull_resources *r)
{
  size_t i;

  for (i = 0; i < r->devices_len; i++)
    free (r->devices[i].access);
  free (r->devices);
  free (r->cpu.cpus);
  free (r->cpu.mems);
  free (r->blkio.weight_device);
  free (r->blkio.throttle_read_bps);
  free (r->blkio.throttle_write_bps);
  free (r->blkio.throttle_read_iops);
  free (r->blkio.throttle_write_iops);
  for (i = 0; i < r->hugepage_limits_len; i++)
    free (r->hugepage_limits[i].page_size);
  free (r->hugepage_limits);
  for (i = 0; i < r->network.priorities_len; i++)
    free (r->network.priorities[i].name);
  free (r->network.priorities);
  for (i = 0; i < r->rdma_len; i++)
    free (r->rdma[i].device);
  free (r->rdma);
  cfg_kv_free (r->unified, r->unified_len);
  memset (r, 0, sizeof *r);
}

static int
parse_device_rules (struct cfg_ctx *c, yajl_val res, const char *base, struct hull_resources *r)
{
  cleanup_free char *p = cfg_path_key (base, "devices");
  yajl_val a;
  size_t i;

  if (cfg_array (c, res, base, "devices", &a) < 0)
    return -1;
  if (a == NULL)
    return 0;
  r->devices = xmalloc0 ((a->u.array.len ? a->u.array.len : 1) * sizeof *r->devices);
  for (i = 0; i < a->u.array.len; i++)
    {
      cleanup_free char *pi = cfg_path_idx (p, i);
      cleanup_free char *type = NULL;
      struct hull_device_cgroup *d = &r->devices[i];
      yajl_val e = a->u.array.values[i];
      bool allow_set;

      r->devices_len = i + 1;
      if (cfg_check_object (c, e, pi) < 0 || cfg_bool (c, e, pi, "allow", &d->allow, &allow_set) < 0
          || cfg_string (c, e, pi, "type", false, &type) < 0
          || cfg_opt_i64 (c, e, pi, "major", -1, UINT32_MAX, &d->major) < 0
          || cfg_opt_i64 (c, e, pi, "minor", -1, UINT32_MAX, &d->minor) < 0
          || cfg_string (c, e, pi, "access", false, &d->access) < 0)
        return -1;
      if (!allow_set)
        {
          cleanup_free char *pa = cfg_path_key (pi, "allow");
          return cfg_error (c, pa, "missing required field");
        }
      d->type = 'a';
      if (type)
        {
          if (strlen (type) != 1 || strchr ("acb", type[0]) == NULL)
            {
              cleanup_free char *pt = cfg_path_key (pi, "type");
              return cfg_error (c, pt, "unknown device type \"%s\" (expected a, c or b)", type);
            }
          d->type = type[0];
        }
      /* -1 is the wildcard some tools write; keep it as "absent". */
      if (d->major.set && d->major.value < 0)
        d->major.set = false;
      if (d->minor.set && d->minor.value < 0)
        d->minor.set = false;
      if (d->access && d->access[strspn (d->access, "rwm")] != '\0')
        {
          cleanup_free char *pa = cfg_path_key (pi, "access");
          return cfg_error (c, pa, "invalid access \"%s\" (expected letters from \"rwm\")",
                            d->access);
        }
    }
  return 0;
}

/* A memory limit in bytes: int64, -1 for unlimited; 2^64-1 (written by some
   tools for "unlimited") is read as -1 too.  */
static int
mem_limit (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key, hull_opt_i64 *out)
{
  yajl_val v = cfg_member (obj, key);

  if (YAJL_IS_NUMBER (v) && strcmp (v->u.number.r, "18446744073709551615") == 0)
    {
      out->set = true;
      out->value = -1;
      return 0;
    }
  return cfg_opt_i64 (c, obj, base, key, -1, INT64_MAX, out);
}

static int
parse_memory (struct cfg_ctx *c, yajl_val res, const char *base, struct hull_memory *m)
{
  cleanup_free char *p = cfg_path_key (base, "memory");
  yajl_val v;

  if (cfg_object (c, res, base, "memory", &v) < 0)
    return -1;
  if (v == NULL)
    return 0;
  m->set = true;
  if (mem_limit (c, v, p, "limit", &m->limit) < 0
      || mem_limit (c, v, p, "reservation", &m->reservation) < 0
      || mem_limit (c, v, p, "swap", &m->swap) < 0 || mem_limit (c, v, p, "kernel", &m->kernel) < 0
      || mem_limit (c, v, p, "kernelTCP", &m->kernel_tcp) < 0
      || cfg_opt_u64 (c, v, p, "swappiness", 100, &m->swappiness) < 0
      || cfg_opt_bool (c, v, p, "disableOOMKiller", &m->disable_oom_killer) < 0
      || cfg_opt_bool (c, v, p, "useHierarchy", &m->use_hierarchy) < 0
      || cfg_opt_bool (c, v, p, "checkBeforeUpdate", &m->check_before_update) < 0)
    return -1;
  return 0;
}

static int
parse_cpu (struct cfg_ctx *c, yajl_val res, const char *base, struct hull_cpu *cpu)
{
  cleanup_free char *p = cfg_path_key (base, "cpu");
  yajl_val v;

  if (cfg_object (c, res, base, "cpu", &v) < 0)
    return -1;
  if (v == NULL)
    return 0;
  cpu->set = true;
  if (cfg_opt_u64 (c, v, p, "shares", UINT64_MAX, &cpu->shares) < 0
      || cfg_opt_i64 (c, v, p, "quota", INT64_MIN, INT64_MAX, &cpu->quota) < 0
      || cfg_opt_u64 (c, v, p, "burst", UINT64_MAX, &cpu->burst) < 0
      || cfg_opt_u64 (c, v, p, "period", UINT64_MAX, &cpu->period) < 0
      || cfg_opt_i64 (c, v, p, "realtimeRuntime", INT64_MIN, INT64_MAX, &cpu->realtime_runtime)
             < 0
      || cfg_opt_u64 (c, v, p, "realtimePeriod", UINT64_MAX, &cpu->realtime_period) < 0
      || cfg_string (c, v, p, "cpus", false, &cpu->cpus) < 0
      || cfg_string (c, v, p, "mems", false, &cpu->mems) < 0
      || cfg_opt_i64 (c, v, p, "idle", 0, 1, &cpu->idle) < 0)
    return -1;
  return 0;
}

static int
parse_pids (struct cfg_ctx *c, yajl_val res, const char *base, struct hull_resources *r)
{
  cleanup_free char *p = cfg_path_key (base, "pids");
  yajl_val v;

  if (cfg_object (c, res, base, "pids", &v) < 0)
    return -1;
  if (v == NULL)
    return 0;
  return cfg_opt_i64 (c, v, p, "limit", INT64_MIN, INT64_MAX, &r->pids_limit);
}

/* Common part of blockIO device entries: major and minor, both required. */
static int
blk_device (struct cfg_ctx *c, yajl_val e, const char *pi, int64_t *major, int64_t *minor)
{
  if (cfg_check_object (c, e, pi) < 0
      || cfg_i64 (c, e, pi, "major", true, 0, UINT32_MAX, major, NULL) < 0
      || cfg_i64 (c, e, pi, "minor", true, 0, UINT32_MAX, minor, NULL) < 0)
    return -1;
  return 0;
}

static int
parse_throttle (struct cfg_ctx *c, yajl_val blk, const char *base, const char *key,
                struct hull_throttle_device **out, size_t *len)
{
  cleanup_free char *p = cfg_path_key (base, key);
  yajl_val a;
  size_t i;

  if (cfg_array (c, blk, base, key, &a) < 0)
    return -1;
  if (a == NULL)
    return 0;
  *out = xmalloc0 ((a->u.array.len ? a->u.array.len : 1) * sizeof **out);
  for (i = 0; i < a->u.array.len; i++)
    {
      cleanup_free char *pi = cfg_path_idx (p, i);
      struct hull_throttle_device *t = &(*out)[i];
      yajl_val e = a->u.array.values[i];

      *len = i + 1;
      if (blk_device (c, e, pi, &t->major, &t->minor) < 0
          || cfg_u64 (c, e, pi, "rate", true, UINT64_MAX, &t->rate, NULL) < 0)
        return -1;
    }
  return 0;
}

/* blkio weights: 10..1000, or 0 which some tools write for "unset". */
static int
blkio_weight (struct cfg_ctx *c, yajl_val obj, const char *base, const char *key,
              hull_opt_u64 *out)
{
  if (cfg_opt_u64 (c, obj, base, key, 1000, out) < 0)
    return -1;
  if (out->set && out->value > 0 && out->value < 10)
    {
      cleanup_free char *p = cfg_path_key (base, key);
      return cfg_error (c, p, "%llu out of range (10..1000)", (unsigned long long) out->value);
    }
  return 0;
}

static int
parse_blkio (struct cfg_ctx *c, yajl_val res, const char *base, struct hull_blkio *b)
{
  cleanup_free char *p = cfg_path_key (base, "blockIO");
  cleanup_free char *pw = cfg_path_key (p, "weightDevice");
  yajl_val v, a;
  size_t i;

  if (cfg_object (c, res, base, "blockIO", &v) < 0)
    return -1;
  if (v == NULL)
    return 0;
  b->set = true;
  if (blkio_weight (c, v, p, "weight", &b->weight) < 0
      || blkio_weight (c, v, p, "leafWeight", &b->leaf_weight) < 0
      || parse_throttle (c, v, p, "throttleReadBpsDevice", &b->throttle_read_bps,
                         &b->throttle_read_bps_len)
             < 0
      || parse_throttle (c, v, p, "throttleWriteBpsDevice", &b->throttle_write_bps,
                         &b->throttle_write_bps_len)
             < 0
      || parse_throttle (c, v, p, "throttleReadIOPSDevice", &b->throttle_read_iops,
                         &b->throttle_read_iops_len)
             < 0
      || parse_throttle (c, v, p, "throttleWriteIOPSDevice", &b->throttle_write_iops,
                         &b->throttle_write_iops_len)
             < 0
      || cfg_array (c, v, p, "weightDevice", &a) < 0)
    return -1;
  if (a == NULL)
    return 0;
  b->weight_device = xmalloc0 ((a->u.array.len ? a->u.array.len : 1) * sizeof *b->weight_device);
  for (i = 0; i < a->u.array.len; i++)
    {
      cleanup_free char *pi = cfg_path_idx (pw, i);
      struct hull_weight_device *w = &b->weight_device[i];
      yajl_val e = a->u.array.values[i];

      b->weight_device_len = i + 1;
      if (blk_device (c, e, pi, &w->major, &w->minor) < 0
          || blkio_weight (c, e, pi, "weight", &w->weight) < 0
          || blkio_weight (c, e, pi, "leafWeight", &w->leaf_weight) < 0)
        return -1;
    }
  return 0;
}

/* Page sizes are written like "2MB", "1GB", "64KB". */
static bool
valid_page_size (const char *s)
{
  size_t digits = strspn (s, "0123456789");

  if (digits == 0 || s[0] == '0')
    return false;
  s += digits;
  return strcmp (s, "KB") == 0 || strcmp (s, "MB") == 0 || strcmp (s, "GB") == 0
         || strcmp (s, "TB") == 0 || strcmp (s, "PB") == 0 || strcmp (s, "B") == 0;
}

static int
parse_hugepages (struct cfg_ctx *c, yajl_val res, const char *base, struct hull_resources *r)
{
  cleanup_free char *p = cfg_path_key (base, "hugepageLimits");
  yajl_val a;
  size_t i;

  if (cfg_array (c, res, base, "hugepageLimits", &a) < 0)
    return -1;
  if (a == NULL)
    return 0;
  r->hugepage_limits
      = xmalloc0 ((a->u.array.len ? a->u.array.len : 1) * sizeof *r->hugepage_limits);
  for (i = 0; i < a->u.array.len; i++)
    {
      cleanup_free char *pi = cfg_path_idx (p, i);
      struct hull_hugepage_limit *h = &r->hugepage_limits[i];
      yajl_val e = a->u.array.values[i];

      r->hugepage_limits_len = i + 1;
      if (cfg_check_object (c, e, pi) < 0
          || cfg_string (c, e, pi, "pageSize", true, &h->page_size) < 0
          || cfg_u64 (c, e, pi, "limit", true, UINT64_MAX, &h->limit, NULL) < 0)
        return -1;
      if (!valid_page_size (h->page_size))
        {
          cleanup_free char *pp = cfg_path_key (pi, "pageSize");
          return cfg_error (c, pp, "invalid page size \"%s\" (expected e.g. \"2MB\")",
                            h->page_size);
        }
    }
  return 0;
}

static int
parse_network (struct cfg_ctx *c, yajl_val res, const char *base, struct hull_network *n)
{
  cleanup_free char *p = cfg_path_key (base, "network");
  cleanup_free char *pp = cfg_path_key (p, "priorities");
  yajl_val v, a;
  size_t i;

  if (cfg_object (c, res, base, "network", &v) < 0)
    return -1;
  if (v == NULL)
    return 0;
  n->set = true;
  if (cfg_opt_u64 (c, v, p, "classID", UINT32_MAX, &n->class_id) < 0
      || cfg_array (c, v, p, "priorities", &a) < 0)
    return -1;
  if (a == NULL)
    return 0;
  n->priorities = xmalloc0 ((a->u.array.len ? a->u.array.len : 1) * sizeof *n->priorities);
  for (i = 0; i < a->u.array.len; i++)
    {
      cleanup_free char *pi = cfg_path_idx (pp, i);
      struct hull_net_priority *np = &n->priorities[i];
      yajl_val e = a->u.array.values[i];
      uint64_t prio;

      n->priorities_len = i + 1;
      if (cfg_check_object (c, e, pi) < 0 || cfg_string (c, e, pi, "name", true, &np->name) < 0
          || cfg_u64 (c, e, pi, "priority", true, UINT32_MAX, &prio, NULL) < 0)
        return -1;
      np->priority = (uint32_t) prio;
    }
  return 0;
}

static int
parse_rdma (struct cfg_ctx *c, yajl_val res, const char *base, struct hull_resources *r)
{
  cleanup_free char *p = cfg_path_key (base, "rdma");
  yajl_val v;
  size_t i;

  if (cfg_object (c, res, base, "rdma", &v) < 0)
    return -1;
  if (v == NULL)
    return 0;
  r->rdma = xmalloc0 ((v->u.object.len ? v->u.object.len : 1) * sizeof *r->rdma);
  for (i = 0; i < v->u.object.len; i++)
    {
      cleanup_free char *pk = cfg_path_key (p, v->u.object.keys[i]);
      struct hull_rdma *d = &r->rdma[r->rdma_len];
      yajl_val e = v->u.object.values[i];

      if (cfg_key_repeated_later (v, i))
        continue;
      r->rdma_len++;
      d->device = xstrdup (v->u.object.keys[i]);
      if (cfg_check_object (c, e, pk) < 0
          || cfg_opt_u64 (c, e, pk, "hcaHandles", UINT32_MAX, &d->hca_handles) < 0
          || cfg_opt_u64 (c, e, pk, "hcaObjects", UINT32_MAX, &d->hca_objects) < 0)
        return -1;
    }
  return 0;
}

int
cfg_parse_resources (struct cfg_ctx *c, yajl_val v, const char *path, struct hull_resources *r)
{
  size_t i;

  if (parse_device_rules (c, v, path, r) < 0 || parse_memory (c, v, path, &r->memory) < 0
      || parse_cpu (c, v, path, &r->cpu) < 0 || parse_pids (c, v, path, r) < 0
      || parse_blkio (c, v, path, &r->blkio) < 0 || parse_hugepages (c, v, path, r) < 0
      || parse_network (c, v, path, &r->network) < 0 || parse_rdma (c, v, path, r) < 0
      || cfg_map (c, v, path, "unified", &r->unified, &r->unified_len) < 0)
    return -1;
  /* unified keys are cgroup v2 file names: no path components. */
  for (i = 0; i < r->unified_len; i++)
    if (r->unified[i].key[0] == '\0' || strchr (r->unified[i].key, '/')
        || r->unified[i].key[0] == '.')
      {
        cleanup_free char *pu = cfg_path_key (path, "unified");
        return cfg_error (c, pu, "invalid cgroup file name \"%s\"", r->unified[i].key);
      }
  return 0;
}
