/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup v1 manager, used on legacy and hybrid hosts.  The container gets a
 * directory in every mounted v1 hierarchy (including name=systemd) and, on a
 * hybrid host, in the cgroup2 hierarchy at /sys/fs/cgroup/unified, as runc
 * does.  All resources are written to the v1 controller files.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "cgroup_internal.h"
#include "log.h"
#include "utils.h"

#define R "linux.resources."

/* Directory of controller c or an error naming the field that needs it. */
static const char *
need (struct hull_cgroup *cg, const char *c, const char *field, hull_error_t *err)
{
  struct cg_hier *h = cg_hier_find (cg, c);
  if (h == NULL)
    {
      hull_error_set (err, 0, "%s: the %s controller is not available on this host", field, c);
      return NULL;
    }
  return h->dir;
}

static int
need_file (const char *dir, const char *file, const char *field, hull_error_t *err)
{
  if (cg_file_exists (dir, file))
    return 0;
  return hull_error_set (err, 0, "%s: not supported by this kernel (no %s)", field, file);
}

/* ---- memory ------------------------------------------------------------- */

static int
set_memory (struct hull_cgroup *cg, const struct hull_memory *m, hull_error_t *err)
{
  const char *d;
  bool memsw;

  if (!m->set)
    return 0;
  if ((d = need (cg, "memory", R "memory", err)) == NULL)
    return -1;
  memsw = cg_file_exists (d, "memory.memsw.limit_in_bytes");

  if (m->limit.set && m->check_before_update.set && m->check_before_update.value && m->limit.value > 0)
    {
      uint64_t usage;
      if (cg_read_u64 (d, "memory.usage_in_bytes", &usage) == 0 && usage > (uint64_t) m->limit.value)
        return hull_error_set (err, 0,
                               R "memory.limit: %" PRId64 " is below the current usage %" PRIu64
                               " (checkBeforeUpdate)",
                               m->limit.value, usage);
    }

  if (m->swap.set && m->swap.value != 0 && !memsw)
    return hull_error_set (err, 0,
                           R "memory.swap: swap accounting is not enabled on this host "
                             "(no memory.memsw.limit_in_bytes)");
  if (m->limit.set || (m->swap.set && m->swap.value != 0))
    {
      int64_t lim = m->limit.set ? m->limit.value : 0;
      int64_t sw = m->swap.set ? m->swap.value : 0;
      uint64_t cur_sw = 0;
      /* memsw must stay >= limit: raise memsw first when growing */
      bool swap_first = sw != 0 && memsw
                        && (sw == -1
                            || (cg_read_u64 (d, "memory.memsw.limit_in_bytes", &cur_sw) == 0
                                && (uint64_t) sw > cur_sw));
      if (sw > 0 && lim > 0 && sw < lim)
        return hull_error_set (err, 0,
                               R "memory.swap: %" PRId64 " is below memory.limit %" PRId64
                               " (swap counts memory plus swap)",
                               sw, lim);
      if (swap_first)
        CG_SETF (R "memory.swap", d, "memory.memsw.limit_in_bytes", "%" PRId64, sw);
      if (m->limit.set && lim != 0)
        {
          if (cg_write (d, "memory.limit_in_bytes", err, "%" PRId64, lim) < 0)
            {
              /* unset swap follows the limit: an unlimited memsw keeps the old pair valid */
              if (!(m->swap.set && sw != 0) && memsw && (*err)->errnum == EINVAL)
                {
                  hull_error_free (err);
                  CG_SETF (R "memory.limit", d, "memory.memsw.limit_in_bytes", "-1");
                  CG_SETF (R "memory.limit", d, "memory.limit_in_bytes", "%" PRId64, lim);
                }
              else
                return hull_error_prefix (err, R "memory.limit");
            }
        }
      if (!swap_first && sw != 0 && memsw)
        CG_SETF (R "memory.swap", d, "memory.memsw.limit_in_bytes", "%" PRId64, sw);
    }
  if (m->reservation.set && m->reservation.value != 0)
    CG_SETF (R "memory.reservation", d, "memory.soft_limit_in_bytes", "%" PRId64, m->reservation.value);
  if (m->kernel.set && m->kernel.value != 0)
    {
      /* deprecated in the kernel (a no-op since 5.16, gone in v2); runc ignores it too */
      if (!cg_file_exists (d, "memory.kmem.limit_in_bytes")
          || cg_write (d, "memory.kmem.limit_in_bytes", err, "%" PRId64, m->kernel.value) < 0)
        {
          hull_error_free (err);
          hull_warn (R "memory.kernel: kernel memory limits are not supported by this kernel; ignored");
        }
    }
  if (m->kernel_tcp.set && m->kernel_tcp.value != 0)
    {
      if (need_file (d, "memory.kmem.tcp.limit_in_bytes", R "memory.kernelTCP", err) < 0)
        return -1;
      CG_SETF (R "memory.kernelTCP", d, "memory.kmem.tcp.limit_in_bytes", "%" PRId64, m->kernel_tcp.value);
    }
  if (m->swappiness.set)
    {
      if (m->swappiness.value > 100)
        return hull_error_set (err, 0, R "memory.swappiness: %" PRIu64 " is not in 0..100",
                               m->swappiness.value);
      CG_SETF (R "memory.swappiness", d, "memory.swappiness", "%" PRIu64, m->swappiness.value);
    }
  if (m->disable_oom_killer.set && m->disable_oom_killer.value)
    CG_SETF (R "memory.disableOOMKiller", d, "memory.oom_control", "1");
  if (m->use_hierarchy.set)
    CG_SETF (R "memory.useHierarchy", d, "memory.use_hierarchy", "%d", m->use_hierarchy.value ? 1 : 0);
  return 0;
}

/* ---- cpu ---------------------------------------------------------------- */

/* A new cpuset cgroup starts empty; give every level hull created its parent's sets. */
static int
cpuset_fill (const char *mountpoint, const char *dir, hull_error_t *err)
{
  static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
  cleanup_free char *parent = NULL;
  char *slash;

  if (strcmp (dir, mountpoint) == 0)
    return 0;
  parent = xstrdup (dir);
  slash = strrchr (parent, '/');
  if (slash == NULL)
    return 0;
  *slash = '\0';
  for (int i = 0; i < 2; i++)
    {
      cleanup_free char *v = NULL, *pv = NULL;
      if (cg_read (dir, files[i], &v, err) < 0)
        return -1;
      if (strspn (v, " \n") != strlen (v))
        continue;
      if (cpuset_fill (mountpoint, parent, err) < 0 || cg_read (parent, files[i], &pv, err) < 0)
        return -1;
      if (strspn (pv, " \n") != strlen (pv) && cg_write (dir, files[i], err, "%s", pv) < 0)
        return -1;
    }
  return 0;
}

static int
set_cpu (struct hull_cgroup *cg, const struct hull_cpu *c, hull_error_t *err)
{
  const char *d;

  if (!c->set)
    return 0;
  if (c->shares.set || c->quota.set || c->period.set || c->burst.set || c->realtime_runtime.set
      || c->realtime_period.set || c->idle.set)
    {
      if ((d = need (cg, "cpu", R "cpu", err)) == NULL)
        return -1;
      if (c->shares.set && c->shares.value != 0)
        {
          uint64_t got;
          CG_SETF (R "cpu.shares", d, "cpu.shares", "%" PRIu64, c->shares.value);
          if (cg_read_u64 (d, "cpu.shares", &got) == 0 && got != c->shares.value)
            return hull_error_set (err, 0,
                                   R "cpu.shares: %" PRIu64 " is out of range (the kernel made it %" PRIu64
                                     ")",
                                   c->shares.value, got);
        }
      if (c->period.set && c->period.value != 0)
        CG_SETF (R "cpu.period", d, "cpu.cfs_period_us", "%" PRIu64, c->period.value);
      if (c->quota.set && c->quota.value != 0)
        CG_SETF (R "cpu.quota", d, "cpu.cfs_quota_us", "%" PRId64, c->quota.value < 0 ? -1 : c->quota.value);
      if (c->burst.set)
        {
          if (need_file (d, "cpu.cfs_burst_us", R "cpu.burst", err) < 0)
            return -1;
          CG_SETF (R "cpu.burst", d, "cpu.cfs_burst_us", "%" PRIu64, c->burst.value);
        }
      if (c->realtime_period.set && c->realtime_period.value != 0)
        {
          if (need_file (d, "cpu.rt_period_us", R "cpu.realtimePeriod", err) < 0)
            return -1;
          CG_SETF (R "cpu.realtimePeriod", d, "cpu.rt_period_us", "%" PRIu64, c->realtime_period.value);
        }
      if (c->realtime_runtime.set && c->realtime_runtime.value != 0)
        {
          if (need_file (d, "cpu.rt_runtime_us", R "cpu.realtimeRuntime", err) < 0)
            return -1;
          CG_SETF (R "cpu.realtimeRuntime", d, "cpu.rt_runtime_us", "%" PRId64, c->realtime_runtime.value);
        }
      if (c->idle.set)
        {
          if (need_file (d, "cpu.idle", R "cpu.idle", err) < 0)
            return -1;
          CG_SETF (R "cpu.idle", d, "cpu.idle", "%" PRId64, c->idle.value);
        }
    }
  if ((c->cpus && *c->cpus) || (c->mems && *c->mems))
    {
      if ((d = need (cg, "cpuset", R "cpu.cpus", err)) == NULL)
        return -1;
      if (c->cpus && *c->cpus)
        CG_SETF (R "cpu.cpus", d, "cpuset.cpus", "%s", c->cpus);
      if (c->mems && *c->mems)
        CG_SETF (R "cpu.mems", d, "cpuset.mems", "%s", c->mems);
    }
  return 0;
}

/* ---- blkio -------------------------------------------------------------- */

static int
set_throttle (const char *d, const char *field, const char *file, const struct hull_throttle_device *t,
              size_t n, hull_error_t *err)
{
  for (size_t i = 0; i < n; i++)
    if (cg_write (d, file, err, "%" PRId64 ":%" PRId64 " %" PRIu64, t[i].major, t[i].minor, t[i].rate) < 0)
      return hull_error_prefix (err, "%s[%zu]", field, i);
  return 0;
}

static int
set_blkio (struct hull_cgroup *cg, const struct hull_blkio *b, hull_error_t *err)
{
  const char *d, *wfile, *wdfile;

  if (!b->set)
    return 0;
  if ((d = need (cg, "blkio", R "blockIO", err)) == NULL)
    return -1;
  /* CFQ files, or BFQ's since 5.0 */
  wfile = cg_file_exists (d, "blkio.weight") ? "blkio.weight" : "blkio.bfq.weight";
  wdfile = cg_file_exists (d, "blkio.weight_device") ? "blkio.weight_device" : "blkio.bfq.weight_device";
  if (b->weight.set && b->weight.value != 0)
    {
      if (need_file (d, wfile, R "blockIO.weight", err) < 0)
        return -1;
      CG_SETF (R "blockIO.weight", d, wfile, "%" PRIu64, b->weight.value);
    }
  if (b->leaf_weight.set && b->leaf_weight.value != 0)
    {
      if (need_file (d, "blkio.leaf_weight", R "blockIO.leafWeight", err) < 0)
        return -1;
      CG_SETF (R "blockIO.leafWeight", d, "blkio.leaf_weight", "%" PRIu64, b->leaf_weight.value);
    }
  for (size_t i = 0; i < b->weight_device_len; i++)
    {
      const struct hull_weight_device *w = &b->weight_device[i];
      if (w->weight.set)
        {
          if (need_file (d, wdfile, R "blockIO.weightDevice", err) < 0)
            return -1;
          if (cg_write (d, wdfile, err, "%" PRId64 ":%" PRId64 " %" PRIu64, w->major, w->minor,
                        w->weight.value)
              < 0)
            return hull_error_prefix (err, R "blockIO.weightDevice[%zu]", i);
        }
      if (w->leaf_weight.set)
        {
          if (need_file (d, "blkio.leaf_weight_device", R "blockIO.weightDevice.leafWeight", err) < 0)
            return -1;
          if (cg_write (d, "blkio.leaf_weight_device", err, "%" PRId64 ":%" PRId64 " %" PRIu64, w->major,
                        w->minor, w->leaf_weight.value)
              < 0)
            return hull_error_prefix (err, R "blockIO.weightDevice[%zu].leafWeight", i);
        }
    }
  if (set_throttle (d, R "blockIO.throttleReadBpsDevice", "blkio.throttle.read_bps_device",
                    b->throttle_read_bps, b->throttle_read_bps_len, err) < 0
      || set_throttle (d, R "blockIO.throttleWriteBpsDevice", "blkio.throttle.write_bps_device",
                       b->throttle_write_bps, b->throttle_write_bps_len, err) < 0
      || set_throttle (d, R "blockIO.throttleReadIOPSDevice", "blkio.throttle.read_iops_device",
                       b->throttle_read_iops, b->throttle_read_iops_len, err) < 0
      || set_throttle (d, R "blockIO.throttleWriteIOPSDevice", "blkio.throttle.write_iops_device",
                       b->throttle_write_iops, b->throttle_write_iops_len, err) < 0)
    return -1;
  return 0;
}

/* ---- the rest ----------------------------------------------------------- */

static int
set_misc (struct hull_cgroup *cg, const struct hull_resources *r, hull_error_t *err)
{
  const char *d;

  if (r->pids_limit.set)
    {
      if ((d = need (cg, "pids", R "pids.limit", err)) == NULL)
        return -1;
      if (r->pids_limit.value > 0)
        CG_SETF (R "pids.limit", d, "pids.max", "%" PRId64, r->pids_limit.value);
      else
        CG_SETF (R "pids.limit", d, "pids.max", "max");
    }
  for (size_t i = 0; i < r->hugepage_limits_len; i++)
    {
      const struct hull_hugepage_limit *h = &r->hugepage_limits[i];
      cleanup_free char *file = xasprintf ("hugetlb.%s.limit_in_bytes", h->page_size);
      struct cg_hier *hh = cg_hier_find (cg, "hugetlb");
      if (hh == NULL)
        return hull_error_set (err, 0,
                               R "hugepageLimits: the hugetlb controller is not available as "
                                 "cgroup v1 on this host");
      if (!cg_file_exists (hh->dir, file))
        return hull_error_set (err, 0, R "hugepageLimits[%zu].pageSize: \"%s\" is not a huge page "
                                              "size of this host",
                               i, h->page_size);
      if (cg_write (hh->dir, file, err, "%" PRIu64, h->limit) < 0)
        return hull_error_prefix (err, R "hugepageLimits[%zu]", i);
    }
  if (r->network.set && r->network.class_id.set)
    {
      if ((d = need (cg, "net_cls", R "network.classID", err)) == NULL)
        return -1;
      CG_SETF (R "network.classID", d, "net_cls.classid", "%" PRIu64, r->network.class_id.value);
    }
  for (size_t i = 0; r->network.set && i < r->network.priorities_len; i++)
    {
      if ((d = need (cg, "net_prio", R "network.priorities", err)) == NULL)
        return -1;
      if (cg_write (d, "net_prio.ifpriomap", err, "%s %" PRIu32, r->network.priorities[i].name,
                    r->network.priorities[i].priority)
          < 0)
        return hull_error_prefix (err, R "network.priorities[%zu]", i);
    }
  for (size_t i = 0; i < r->rdma_len; i++)
    {
      const struct hull_rdma *x = &r->rdma[i];
      if ((d = need (cg, "rdma", R "rdma", err)) == NULL)
        return -1;
      if (cg_set_rdma (d, x, err) < 0)
        return hull_error_prefix (err, R "rdma[\"%s\"]", x->device);
    }
  if (r->unified_len)
    return hull_error_set (err, 0,
                           R "unified: cgroup v2 files cannot be set on this cgroup v1 host");
  return 0;
}

/* Write one rule to dir/file through *fd, opened on first use: the kernel takes
   each write(2) as one rule, so a dozen rules need two opens, not a dozen. */
static int
write_rule (const char *dir, const char *file, int *fd, const char *line, hull_error_t *err)
{
  if (*fd < 0)
    {
      cleanup_free char *path = xasprintf ("%s/%s", dir, file);
      *fd = open (path, O_WRONLY | O_CLOEXEC);
      if (*fd < 0)
        return hull_error_set (err, errno, "open \"%s\"", path);
    }
  if (write (*fd, line, strlen (line)) < 0)
    return hull_error_set (err, errno, "write \"%s\" to \"%s/%s\"", line, dir, file);
  return 0;
}

static int
set_devices (struct hull_cgroup *cg, const struct hull_resources *r, hull_error_t *err)
{
  cleanup_free struct hull_device_cgroup *rules = NULL;
  cleanup_close int allow_fd = -1, deny_fd = -1;
  const char *d;
  size_t n;

  if (cg->rootless)
    return 0; /* an unprivileged user cannot narrow device access; runc skips it too */
  if ((d = need (cg, "devices", R "devices", err)) == NULL)
    return -1;
  cg_device_rules (cg, r, &rules, &n);
  for (size_t i = 0; i < n; i++)
    {
      cleanup_free char *line = cg_device_rule_v1 (&rules[i]);
      int rc = rules[i].allow ? write_rule (d, "devices.allow", &allow_fd, line, err)
                              : write_rule (d, "devices.deny", &deny_fd, line, err);
      if (rc < 0)
        return hull_error_prefix (err, R "devices");
    }
  return 0;
}

static int
v1_set (struct hull_cgroup *cg, const struct hull_resources *r, hull_error_t *err)
{
  if (r == NULL)
    return 0;
  if (set_memory (cg, &r->memory, err) < 0 || set_cpu (cg, &r->cpu, err) < 0
      || set_blkio (cg, &r->blkio, err) < 0 || set_misc (cg, r, err) < 0)
    return -1;
  return 0;
}

/* ---- lifecycle ---------------------------------------------------------- */

static void
remove_all (struct hull_cgroup *cg)
{
  for (size_t i = 0; i < cg->nh; i++)
    if (cg->h[i].created)
      {
        hull_error_t e = NULL;
        cg_rmdir (cg->h[i].dir, cg->h[i].created, &e);
        hull_error_free (&e);
      }
}

static int
v1_create (struct hull_cgroup *cg, const struct hull_resources *r, hull_error_t *err)
{
  for (size_t i = 0; i < cg->nh; i++)
    {
      if (cg_mkdir_p (cg->h[i].mountpoint, cg->h[i].dir, &cg->h[i].created, err) < 0)
        goto fail;
      if (cg_same_controllers (cg->h[i].name, "cpuset")
          || strstr (cg->h[i].name, "cpuset") != NULL)
        if (cpuset_fill (cg->h[i].mountpoint, cg->h[i].dir, err) < 0)
          goto fail;
    }
  if (set_devices (cg, r, err) < 0 || v1_set (cg, r, err) < 0)
    goto fail;
  return 0;
fail:
  remove_all (cg);
  return -1;
}

static int
v1_enter (struct hull_cgroup *cg, pid_t pid, hull_error_t *err)
{
  for (size_t i = 0; i < cg->nh; i++)
    if (cg_enter_dir (cg->h[i].dir, pid, err) < 0)
      return -1;
  return 0;
}

static int
v1_update (struct hull_cgroup *cg, const struct hull_resources *r, hull_error_t *err)
{
  return v1_set (cg, r, err);
}

static const char *
freezer_dir (struct hull_cgroup *cg)
{
  struct cg_hier *h = cg_hier_find (cg, "freezer");
  return h ? h->dir : NULL;
}

static int
v1_freeze (struct hull_cgroup *cg, bool frozen, hull_error_t *err)
{
  const char *d = freezer_dir (cg);
  const char *want = frozen ? "FROZEN" : "THAWED";

  if (d == NULL)
    return hull_error_set (err, 0, "the freezer controller is not available on this host");
  if (!frozen)
    {
      /* Every delete thaws first: a cgroup that is not frozen costs one read. */
      cleanup_free char *s = NULL;
      if (cg_read (d, "freezer.state", &s, err) < 0)
        return -1;
      if (strncmp (s, want, strlen (want)) == 0)
        return 0;
    }
  for (int i = 0; i < 2000; i++)
    {
      cleanup_free char *s = NULL;
      /* a task in vfork or an uninterruptible sleep can stall freezing; ask again now and then */
      if (i % 50 == 0 && cg_write (d, "freezer.state", err, "%s", want) < 0)
        return -1;
      if (cg_read (d, "freezer.state", &s, err) < 0)
        return -1;
      if (strncmp (s, want, strlen (want)) == 0)
        return 0;
      cg_msleep (i < 10 ? 1 : 5);
    }
  if (frozen)
    {
      hull_error_t e = NULL;
      cg_write (d, "freezer.state", &e, "THAWED");
      hull_error_free (&e);
    }
  return hull_error_set (err, 0, "cgroup \"%s\" did not reach state %s", d, want);
}

static bool
v1_is_frozen (struct hull_cgroup *cg)
{
  const char *d = freezer_dir (cg);
  cleanup_free char *s = NULL;
  hull_error_t e = NULL;

  if (d == NULL || cg_read (d, "freezer.state", &s, &e) < 0)
    {
      hull_error_free (&e);
      return false;
    }
  return strncmp (s, "THAWED", 6) != 0;
}

static const char *
v1_pids_dir (struct hull_cgroup *cg)
{
  static const char *const pref[] = { "freezer", "pids", "memory", "devices", NULL };
  for (int i = 0; pref[i]; i++)
    {
      struct cg_hier *h = cg_hier_find (cg, pref[i]);
      if (h)
        return h->dir;
    }
  return cg->nh ? cg->h[0].dir : NULL;
}

static int
v1_kill_all (struct hull_cgroup *cg, int sig, hull_error_t *err)
{
  const char *d = freezer_dir (cg);

  if (d && access (d, F_OK) < 0)
    return 0;
  return cg_signal_all (cg, sig, d != NULL, v1_freeze, v1_is_frozen, err);
}

static int
v1_destroy (struct hull_cgroup *cg, hull_error_t *err)
{
  const char *fz = freezer_dir (cg);
  int ret = 0;

  /* Usually the init was reaped and took its pid namespace along: the freezer
     leaf (the one kill_all would read) then goes with one rmdir and there is
     nothing to freeze or kill.  Still there, or no freezer: kill first. */
  if ((fz == NULL || (rmdir (fz) < 0 && errno != ENOENT)) && v1_kill_all (cg, SIGKILL, err) < 0)
    hull_error_free (err);
  for (size_t i = 0; i < cg->nh; i++)
    {
      hull_error_t e = NULL;
      /* dead tasks leave cgroup.procs a moment after SIGKILL; cg_rmdir waits on EBUSY */
      if (cg_rmdir (cg->h[i].dir, cg->h[i].created ? cg->h[i].created : 1, &e) < 0)
        {
          if (ret == 0)
            *err = take_ptr (e);
          ret = -1;
        }
      hull_error_free (&e);
    }
  return ret;
}

static int
v1_oom_fd (struct hull_cgroup *cg, hull_error_t *err)
{
  struct cg_hier *h = cg_hier_find (cg, "memory");
  cleanup_close int efd = -1, ofd = -1;
  cleanup_free char *path = NULL;
  uint64_t seen = 0;

  if (h == NULL)
    return hull_error_set (err, 0, "the memory controller is not available on this host");
  path = xasprintf ("%s/memory.oom_control", h->dir);
  efd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (efd < 0)
    return hull_error_set (err, errno, "eventfd");
  ofd = open (path, O_RDONLY | O_CLOEXEC);
  if (ofd < 0)
    return hull_error_set (err, errno, "open \"%s\"", path);
  if (cg_write (h->dir, "cgroup.event_control", err, "%d %d", efd, ofd) < 0)
    return -1;
  cg_read_keyed (h->dir, "memory.oom_control", "oom_kill", &seen);
  cg->oom_seen = seen;
  return take_fd (efd);
}

static int
v1_oom_read (struct hull_cgroup *cg, int fd)
{
  struct cg_hier *h = cg_hier_find (cg, "memory");
  uint64_t v, kills = 0;

  if (read (fd, &v, sizeof v) != (ssize_t) sizeof v)
    return 0;
  /* the eventfd also fires when the cgroup goes away: count real kills only */
  if (h == NULL || cg_read_keyed (h->dir, "memory.oom_control", "oom_kill", &kills) < 0)
    return 0;
  if (kills <= cg->oom_seen)
    return 0;
  v = kills - cg->oom_seen;
  cg->oom_seen = kills;
  return (int) v;
}

const struct cg_ops cg_v1_ops = {
  .name = "v1",
  .create = v1_create,
  .enter = v1_enter,
  .update = v1_update,
  .destroy = v1_destroy,
  .freeze = v1_freeze,
  .is_frozen = v1_is_frozen,
  .kill_all = v1_kill_all,
  .stats = cg_v1_stats,
  .oom_fd = v1_oom_fd,
  .oom_read = v1_oom_read,
  .pids_dir = v1_pids_dir,
};
