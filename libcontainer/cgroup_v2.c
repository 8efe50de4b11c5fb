/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup v2 manager (a pure unified hierarchy at /sys/fs/cgroup).  The
 * container's leaf gets every controller its parent offers, resources are
 * converted to their v2 files (cpu.weight from shares, memory.swap.max from
 * memory+swap, io.weight from blkio weight), device rules become an eBPF
 * program, and the leaf's fd is kept for clone3(CLONE_INTO_CGROUP).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup_internal.h"
#include "log.h"
#include "utils.h"

#define R "linux.resources."

static const char *
leaf (struct hull_cgroup *cg)
{
  return cg->h[0].dir;
}

/* The controller's interface file must exist in the leaf, i.e. the controller is enabled. */
static int
need (struct hull_cgroup *cg, const char *ctrl, const char *probe, const char *field, hull_error_t *err)
{
  if (cg_file_exists (leaf (cg), probe))
    return 0;
  return hull_error_set (err, 0, "%s: the %s controller is not enabled for \"%s\"", field, ctrl,
                         leaf (cg));
}

static int
unsupported (const char *field, hull_error_t *err)
{
  return hull_error_set (err, 0, "%s: not supported on cgroup v2", field);
}

static int
write_max (const char *d, const char *file, int64_t v, const char *field, hull_error_t *err)
{
  if (v < 0)
    CG_SETF (field, d, file, "max");
  else
    CG_SETF (field, d, file, "%" PRId64, v);
  return 0;
}

/* ---- memory ------------------------------------------------------------- */

static int
set_memory (struct hull_cgroup *cg, const struct hull_memory *m, hull_error_t *err)
{
  const char *d = leaf (cg);

  if (!m->set)
    return 0;
  if (need (cg, "memory", "memory.max", R "memory", err) < 0)
    return -1;
  if (m->kernel_tcp.set && m->kernel_tcp.value != 0)
    return unsupported (R "memory.kernelTCP", err);
  if (m->swappiness.set && m->swappiness.value <= 100)
    return unsupported (R "memory.swappiness", err);
  if (m->swappiness.set)
    return hull_error_set (err, 0, R "memory.swappiness: %" PRIu64 " is not in 0..100",
                           m->swappiness.value);
  if (m->disable_oom_killer.set && m->disable_oom_killer.value)
    return unsupported (R "memory.disableOOMKiller", err);
  if (m->use_hierarchy.set && !m->use_hierarchy.value)
    return hull_error_set (err, 0, R "memory.useHierarchy: cgroup v2 is always hierarchical");
  if (m->kernel.set && m->kernel.value != 0)
    hull_warn (R "memory.kernel: kernel memory limits are not supported on cgroup v2; ignored");

  if (m->limit.set && m->limit.value > 0 && m->check_before_update.set && m->check_before_update.value)
    {
      uint64_t cur;
      if (cg_read_u64 (d, "memory.current", &cur) == 0 && cur > (uint64_t) m->limit.value)
        return hull_error_set (err, 0,
                               R "memory.limit: %" PRId64 " is below the current usage %" PRIu64
                               " (checkBeforeUpdate)",
                               m->limit.value, cur);
    }
  if (m->swap.set)
    {
      int64_t lim = m->limit.set ? m->limit.value : 0, v;
      uint64_t cur;
      int rc;
      if (!m->limit.set && cg_read_u64 (d, "memory.max", &cur) == 0)
        lim = cur == UINT64_MAX ? -1 : (int64_t) cur;
      rc = cg_swap_to_v2 (m->swap.value, lim, &v, err);
      if (rc < 0)
        return -1;
      if (rc == 0)
        {
          if (!cg_file_exists (d, "memory.swap.max"))
            {
              if (v != -1)
                return hull_error_set (err, 0,
                                       R "memory.swap: swap accounting is not enabled on this host "
                                         "(no memory.swap.max)");
            }
          /* the two limits are independent on v2: no ordering needed */
          else if (write_max (d, "memory.swap.max", v, R "memory.swap", err) < 0)
            return -1;
        }
    }
  else if (m->limit.set && m->limit.value == -1 && cg_file_exists (d, "memory.swap.max"))
    {
      /* unlimited memory with swap unset means unlimited swap, as on v1 */
      if (write_max (d, "memory.swap.max", -1, R "memory.swap", err) < 0)
        return -1;
    }
  if (m->limit.set && m->limit.value != 0)
    if (write_max (d, "memory.max", m->limit.value, R "memory.limit", err) < 0)
      return -1;
  if (m->reservation.set && m->reservation.value != 0)
    if (write_max (d, "memory.low", m->reservation.value, R "memory.reservation", err) < 0)
      return -1;
  return 0;
}

/* ---- cpu ---------------------------------------------------------------- */

static int
set_cpu (struct hull_cgroup *cg, const struct hull_cpu *c, hull_error_t *err)
{
  const char *d = leaf (cg);

  if (!c->set)
    return 0;
  if ((c->realtime_runtime.set && c->realtime_runtime.value != 0)
      || (c->realtime_period.set && c->realtime_period.value != 0))
    return unsupported (c->realtime_runtime.set ? R "cpu.realtimeRuntime" : R "cpu.realtimePeriod", err);
  if (c->shares.set && c->shares.value != 0)
    {
      if (need (cg, "cpu", "cpu.weight", R "cpu.shares", err) < 0)
        return -1;
      CG_SETF (R "cpu.shares", d, "cpu.weight", "%" PRIu64, cg_shares_to_weight (c->shares.value));
    }
  if ((c->quota.set && c->quota.value != 0) || (c->period.set && c->period.value != 0))
    {
      cleanup_free char *cur = NULL;
      char quota[32] = "max";
      uint64_t period = 100000;
      if (need (cg, "cpu", "cpu.max", R "cpu.quota", err) < 0)
        return -1;
      /* keep what is not being changed */
      if (cg_read (d, "cpu.max", &cur, err) < 0)
        return hull_error_prefix (err, R "cpu.quota");
      if (sscanf (cur, "%31s %" SCNu64, quota, &period) < 1)
        strcpy (quota, "max");
      if (c->period.set && c->period.value != 0)
        period = c->period.value;
      if (c->quota.set && c->quota.value > 0)
        snprintf (quota, sizeof quota, "%" PRId64, c->quota.value);
      else if (c->quota.set && c->quota.value < 0)
        strcpy (quota, "max");
      CG_SETF (c->quota.set ? R "cpu.quota" : R "cpu.period", d, "cpu.max", "%s %" PRIu64, quota, period);
    }
  if (c->burst.set)
    {
      if (!cg_file_exists (d, "cpu.max.burst"))
        return hull_error_set (err, 0, R "cpu.burst: not supported by this kernel (no cpu.max.burst)");
      CG_SETF (R "cpu.burst", d, "cpu.max.burst", "%" PRIu64, c->burst.value);
    }
  if (c->idle.set)
    {
      if (!cg_file_exists (d, "cpu.idle"))
        return hull_error_set (err, 0, R "cpu.idle: not supported by this kernel (no cpu.idle)");
      CG_SETF (R "cpu.idle", d, "cpu.idle", "%" PRId64, c->idle.value);
    }
  if ((c->cpus && *c->cpus) || (c->mems && *c->mems))
    {
      if (need (cg, "cpuset", "cpuset.cpus", c->cpus && *c->cpus ? R "cpu.cpus" : R "cpu.mems", err) < 0)
        return -1;
      if (c->cpus && *c->cpus)
        CG_SETF (R "cpu.cpus", d, "cpuset.cpus", "%s", c->cpus);
      if (c->mems && *c->mems)
        CG_SETF (R "cpu.mems", d, "cpuset.mems", "%s", c->mems);
    }
  return 0;
}

/* ---- io ----------------------------------------------------------------- */

static int
io_max (const char *d, const char *field, const char *key, const struct hull_throttle_device *t, size_t n,
        hull_error_t *err)
{
  for (size_t i = 0; i < n; i++)
    if (cg_write (d, "io.max", err, "%" PRId64 ":%" PRId64 " %s=%" PRIu64, t[i].major, t[i].minor, key,
                  t[i].rate)
        < 0)
      return hull_error_prefix (err, "%s[%zu]", field, i);
  return 0;
}

static int
set_io (struct hull_cgroup *cg, const struct hull_blkio *b, hull_error_t *err)
{
  const char *d = leaf (cg);
  bool bfq;

  if (!b->set)
    return 0;
  if (need (cg, "io", "io.stat", R "blockIO", err) < 0)
    return -1;
  if (b->leaf_weight.set && b->leaf_weight.value != 0)
    return unsupported (R "blockIO.leafWeight", err);
  bfq = cg_file_exists (d, "io.bfq.weight");
  if (b->weight.set && b->weight.value != 0)
    {
      if (bfq)
        CG_SETF (R "blockIO.weight", d, "io.bfq.weight", "%" PRIu64, b->weight.value);
      else if (cg_file_exists (d, "io.weight"))
        CG_SETF (R "blockIO.weight", d, "io.weight", "%" PRIu64, cg_blkio_to_io_weight (b->weight.value));
      else
        return hull_error_set (err, 0,
                               R "blockIO.weight: no io.weight or io.bfq.weight (no weight-based I/O "
                                 "scheduler on this host)");
    }
  for (size_t i = 0; i < b->weight_device_len; i++)
    {
      const struct hull_weight_device *w = &b->weight_device[i];
      int rc;
      if (w->leaf_weight.set)
        return unsupported (R "blockIO.weightDevice.leafWeight", err);
      if (!w->weight.set)
        continue;
      if (bfq)
        rc = cg_write (d, "io.bfq.weight", err, "%" PRId64 ":%" PRId64 " %" PRIu64, w->major, w->minor,
                       w->weight.value);
      else
        rc = cg_write (d, "io.weight", err, "%" PRId64 ":%" PRId64 " %" PRIu64, w->major, w->minor,
                       cg_blkio_to_io_weight (w->weight.value));
      if (rc < 0)
        return hull_error_prefix (err, R "blockIO.weightDevice[%zu]", i);
    }
  if (io_max (d, R "blockIO.throttleReadBpsDevice", "rbps", b->throttle_read_bps, b->throttle_read_bps_len, err) < 0
      || io_max (d, R "blockIO.throttleWriteBpsDevice", "wbps", b->throttle_write_bps,
                 b->throttle_write_bps_len, err) < 0
      || io_max (d, R "blockIO.throttleReadIOPSDevice", "riops", b->throttle_read_iops,
                 b->throttle_read_iops_len, err) < 0
      || io_max (d, R "blockIO.throttleWriteIOPSDevice", "wiops", b->throttle_write_iops,
                 b->throttle_write_iops_len, err) < 0)
    return -1;
  return 0;
}

/* ---- the rest ----------------------------------------------------------- */

static int
set_misc (struct hull_cgroup *cg, const struct hull_resources *r, hull_error_t *err)
{
  const char *d = leaf (cg);

  if (r->pids_limit.set)
    {
      if (need (cg, "pids", "pids.max", R "pids.limit", err) < 0)
        return -1;
      if (write_max (d, "pids.max", r->pids_limit.value > 0 ? r->pids_limit.value : -1, R "pids.limit", err) < 0)
        return -1;
    }
  for (size_t i = 0; i < r->hugepage_limits_len; i++)
    {
      const struct hull_hugepage_limit *h = &r->hugepage_limits[i];
      cleanup_free char *file = xasprintf ("hugetlb.%s.max", h->page_size);
      if (!cg_file_exists (d, file))
        {
          if (!cg_file_exists (d, "hugetlb.2MB.max") && !cg_file_exists (d, "hugetlb.1GB.max"))
            return hull_error_set (err, 0, R "hugepageLimits: the hugetlb controller is not enabled for \"%s\"", d);
          return hull_error_set (err, 0,
                                 R "hugepageLimits[%zu].pageSize: \"%s\" is not a huge page size of this host",
                                 i, h->page_size);
        }
      if (cg_write (d, file, err, "%" PRIu64, h->limit) < 0)
        return hull_error_prefix (err, R "hugepageLimits[%zu]", i);
    }
  if (r->network.set && (r->network.class_id.set || r->network.priorities_len))
    return hull_error_set (err, 0,
                           R "network: net_cls and net_prio do not exist on cgroup v2 (use eBPF "
                             "programs on the cgroup instead)");
  for (size_t i = 0; i < r->rdma_len; i++)
    {
      const struct hull_rdma *x = &r->rdma[i];
      if (need (cg, "rdma", "rdma.max", R "rdma", err) < 0)
        return -1;
      if (cg_set_rdma (d, x, err) < 0)
        return hull_error_prefix (err, R "rdma[\"%s\"]", x->device);
    }
  for (size_t i = 0; i < r->unified_len; i++)
    {
      const struct hull_kv *kv = &r->unified[i];
      if (cg_unified_key_check (kv->key, err) < 0)
        return -1;
      if (!cg_file_exists (d, kv->key))
        return hull_error_set (err, 0,
                               R "unified: \"%s\": no such file in \"%s\" (controller not enabled?)",
                               kv->key, d);
      if (cg_write (d, kv->key, err, "%s", kv->value ? kv->value : "") < 0)
        return hull_error_prefix (err, R "unified[\"%s\"]", kv->key);
    }
  return 0;
}

static int
v2_set (struct hull_cgroup *cg, const struct hull_resources *r, hull_error_t *err)
{
  if (r == NULL)
    return 0;
  if (set_memory (cg, &r->memory, err) < 0 || set_cpu (cg, &r->cpu, err) < 0
      || set_io (cg, &r->blkio, err) < 0 || set_misc (cg, r, err) < 0)
    return -1;
  return 0;
}

/* ---- lifecycle ---------------------------------------------------------- */

/* Enable in dir's subtree_control every controller dir offers (best effort: a
   level hull does not own may refuse, and the leaf then lacks the controller). */
static void
enable_controllers (const char *dir)
{
  cleanup_free char *avail = NULL, *all = NULL;
  hull_error_t e = NULL;
  char *save = NULL, *tok;

  if (cg_read (dir, "cgroup.controllers", &avail, &e) < 0)
    {
      hull_error_free (&e);
      return;
    }
  all = xstrdup ("");
  for (tok = strtok_r (avail, " \n", &save); tok; tok = strtok_r (NULL, " \n", &save))
    {
      char *old = all;
      all = xasprintf ("%s%s+%s", old, *old ? " " : "", tok);
      free (old);
    }
  if (*all == '\0' || cg_write (dir, "cgroup.subtree_control", &e, "%s", all) == 0)
    return;
  hull_error_free (&e);
  /* one at a time: some (cpuset, or threaded ones) may be refused on their own */
  save = NULL;
  for (tok = strtok_r (all, " ", &save); tok; tok = strtok_r (NULL, " ", &save))
    if (cg_write (dir, "cgroup.subtree_control", &e, "%s", tok) < 0)
      {
        hull_debug ("cgroup: cannot enable %s in \"%s\": %s", tok + 1, dir, e->msg);
        hull_error_free (&e);
      }
}

static int
v2_create (struct hull_cgroup *cg, const struct hull_resources *r, hull_error_t *err)
{
  struct cg_hier *h = &cg->h[0];
  size_t lm = strlen (h->mountpoint);
  cleanup_free char *p = xstrdup (h->dir);

  h->created = 0;
  /* walk down from the mount point: create each level and enable controllers for the next */
  for (char *s = p + lm;; s++)
    if (*s == '/' || *s == '\0')
      {
        char c = *s;
        *s = '\0';
        if (c == '\0')
          break;
        if (strlen (p) > lm)
          {
            if (mkdir (p, 0755) == 0)
              h->created++;
            else if (errno != EEXIST)
              {
                hull_error_set (err, errno, "mkdir \"%s\"", p);
                goto fail;
              }
          }
        enable_controllers (strlen (p) > lm ? p : h->mountpoint);
        *s = c;
      }
  if (mkdir (h->dir, 0755) == 0)
    h->created++;
  else if (errno != EEXIST)
    {
      hull_error_set (err, errno, "mkdir \"%s\"", h->dir);
      goto fail;
    }
  cg->clone_fd = open (h->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (cg->clone_fd < 0)
    {
      hull_error_set (err, errno, "open \"%s\"", h->dir);
      goto fail;
    }
  if (!cg->rootless)
    {
      cleanup_free struct hull_device_cgroup *rules = NULL;
      size_t n;
      cg_device_rules (cg, r, &rules, &n);
      if (cg_ebpf_apply (cg->clone_fd, rules, n, err) < 0)
        {
          hull_error_prefix (err, R "devices");
          goto fail;
        }
    }
  if (v2_set (cg, r, err) < 0)
    goto fail;
  return 0;
fail:
  close_quietly (cg->clone_fd);
  cg->clone_fd = -1;
  if (h->created)
    {
      hull_error_t e = NULL;
      cg_rmdir (h->dir, h->created, &e);
      hull_error_free (&e);
    }
  return -1;
}

static int
v2_enter (struct hull_cgroup *cg, pid_t pid, hull_error_t *err)
{
  return cg_enter_dir (leaf (cg), pid, err);
}

static int
v2_update (struct hull_cgroup *cg, const struct hull_resources *r, hull_error_t *err)
{
  return v2_set (cg, r, err);
}

static int
v2_freeze (struct hull_cgroup *cg, bool frozen, hull_error_t *err)
{
  const char *d = leaf (cg);

  if (!frozen)
    {
      /* Every delete thaws first: a cgroup that is not frozen costs one read. */
      uint64_t v;
      if (cg_read_u64 (d, "cgroup.freeze", &v) == 0 && v == 0)
        return 0;
    }
  if (!cg_file_exists (d, "cgroup.freeze"))
    return hull_error_set (err, 0, "the cgroup v2 freezer needs Linux 5.2 or later");
  if (cg_write (d, "cgroup.freeze", err, "%d", frozen ? 1 : 0) < 0)
    return -1;
  for (int i = 0; i < 2000; i++)
    {
      uint64_t v;
      if (cg_read_keyed (d, "cgroup.events", "frozen", &v) == 0 && v == (frozen ? 1 : 0))
        return 0;
      cg_msleep (i < 10 ? 1 : 5);
    }
  if (frozen)
    {
      hull_error_t e = NULL;
      cg_write (d, "cgroup.freeze", &e, "0");
      hull_error_free (&e);
    }
  return hull_error_set (err, 0, "cgroup \"%s\" did not become %s", d, frozen ? "frozen" : "thawed");
}

static bool
v2_is_frozen (struct hull_cgroup *cg)
{
  uint64_t v = 0;
  return cg_read_u64 (leaf (cg), "cgroup.freeze", &v) == 0 && v == 1;
}

static const char *
v2_pids_dir (struct hull_cgroup *cg)
{
  return leaf (cg);
}

static int
v2_kill_all (struct hull_cgroup *cg, int sig, hull_error_t *err)
{
  if (access (leaf (cg), F_OK) < 0)
    return 0;
  if (sig == SIGKILL && cg_file_exists (leaf (cg), "cgroup.kill"))
    return cg_write (leaf (cg), "cgroup.kill", err, "1");
  return cg_signal_all (cg, sig, true, v2_freeze, v2_is_frozen, err);
}

static int
v2_destroy (struct hull_cgroup *cg, hull_error_t *err)
{
  /* Usually the init was reaped and took its pid namespace along: the empty
     leaf goes with one rmdir (cg_rmdir below then only removes parents).
     Still populated: kill everything first. */
  if (rmdir (leaf (cg)) < 0 && errno != ENOENT && v2_kill_all (cg, SIGKILL, err) < 0)
    hull_error_free (err);
  close_quietly (cg->clone_fd);
  cg->clone_fd = -1;
  return cg_rmdir (leaf (cg), cg->h[0].created ? cg->h[0].created : 1, err);
}

static int
v2_oom_fd (struct hull_cgroup *cg, hull_error_t *err)
{
  cleanup_close int fd = inotify_init1 (IN_CLOEXEC | IN_NONBLOCK);
  cleanup_free char *path = xasprintf ("%s/memory.events", leaf (cg));
  uint64_t seen = 0;

  if (fd < 0)
    return hull_error_set (err, errno, "inotify_init1");
  if (inotify_add_watch (fd, path, IN_MODIFY) < 0)
    return hull_error_set (err, errno, "inotify_add_watch \"%s\"", path);
  cg_read_keyed (leaf (cg), "memory.events", "oom_kill", &seen);
  cg->oom_seen = seen;
  return take_fd (fd);
}

static int
v2_oom_read (struct hull_cgroup *cg, int fd)
{
  char buf[4096];
  uint64_t kills = 0, d;

  while (read (fd, buf, sizeof buf) > 0)
    ;
  if (cg_read_keyed (leaf (cg), "memory.events", "oom_kill", &kills) < 0 || kills <= cg->oom_seen)
    return 0;
  d = kills - cg->oom_seen;
  cg->oom_seen = kills;
  return (int) d;
}

const struct cg_ops cg_v2_ops = {
  .name = "v2",
  .create = v2_create,
  .enter = v2_enter,
  .update = v2_update,
  .destroy = v2_destroy,
  .freeze = v2_freeze,
  .is_frozen = v2_is_frozen,
  .kill_all = v2_kill_all,
  .stats = cg_v2_stats,
  .oom_fd = v2_oom_fd,
  .oom_read = v2_oom_read,
  .pids_dir = v2_pids_dir,
};
