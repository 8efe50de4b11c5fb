/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Cgroup front end: detects the host's cgroup layout at run time, computes
 * the container's directories, picks a manager (struct cg_ops) once, and
 * dispatches every public call through it.  Also the serialized form kept
 * in state.jsonl and the "none" manager used by rootless containers without
 * a writable hierarchy.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>
#include <yajl/yajl_gen.h>

#include "cgroup_internal.h"
#include "log.h"
#include "utils.h"

static bool
i64_limit (hull_opt_i64 v)
{
  return v.set && v.value != -1; /* -1 is "unlimited" wherever it is allowed */
}

const char *
cg_resources_first_limit (const struct hull_resources *r)
{
  const struct hull_memory *m;
  const struct hull_cpu *c;
  const struct hull_blkio *b;

  if (r == NULL)
    return NULL;
  m = &r->memory;
  if (i64_limit (m->limit))
    return "memory.limit";
  if (i64_limit (m->reservation))
    return "memory.reservation";
  if (i64_limit (m->swap))
    return "memory.swap";
  if (i64_limit (m->kernel))
    return "memory.kernel";
  if (i64_limit (m->kernel_tcp))
    return "memory.kernelTCP";
  if (m->swappiness.set)
    return "memory.swappiness";
  if (m->disable_oom_killer.set && m->disable_oom_killer.value)
    return "memory.disableOOMKiller";
  c = &r->cpu;
  if (c->shares.set)
    return "cpu.shares";
  if (i64_limit (c->quota) && c->quota.value > 0)
    return "cpu.quota";
  if (c->burst.set)
    return "cpu.burst";
  if (c->period.set)
    return "cpu.period";
  if (c->realtime_runtime.set)
    return "cpu.realtimeRuntime";
  if (c->realtime_period.set)
    return "cpu.realtimePeriod";
  if (c->cpus && *c->cpus)
    return "cpu.cpus";
  if (c->mems && *c->mems)
    return "cpu.mems";
  if (c->idle.set)
    return "cpu.idle";
  if (r->pids_limit.set && r->pids_limit.value > 0)
    return "pids.limit";
  b = &r->blkio;
  if (b->weight.set)
    return "blockIO.weight";
  if (b->leaf_weight.set)
    return "blockIO.leafWeight";
  if (b->weight_device_len)
    return "blockIO.weightDevice";
  if (b->throttle_read_bps_len)
    return "blockIO.throttleReadBpsDevice";
  if (b->throttle_write_bps_len)
    return "blockIO.throttleWriteBpsDevice";
  if (b->throttle_read_iops_len)
    return "blockIO.throttleReadIOPSDevice";
  if (b->throttle_write_iops_len)
    return "blockIO.throttleWriteIOPSDevice";
  if (r->hugepage_limits_len)
    return "hugepageLimits";
  if (r->network.class_id.set)
    return "network.classID";
  if (r->network.priorities_len)
    return "network.priorities";
  if (r->rdma_len)
    return "rdma";
  if (r->unified_len)
    return "unified";
  return NULL;
}

bool
cg_resources_requested (const struct hull_resources *r)
{
  return cg_resources_first_limit (r) != NULL;
}

/* The devices every container may use, as runc allows them. */
static const struct
{
  char type;
  int64_t major, minor; /* -1 = any */
  const char *access;
} default_devices[] = {
  { 'c', -1, -1, "m" },  { 'b', -1, -1, "m" },  { 'c', 1, 3, "rwm" },  { 'c', 1, 8, "rwm" },
  { 'c', 1, 7, "rwm" },  { 'c', 5, 0, "rwm" },  { 'c', 1, 5, "rwm" },  { 'c', 1, 9, "rwm" },
  { 'c', 5, 1, "rwm" },  { 'c', 136, -1, "rwm" }, { 'c', 5, 2, "rwm" },
};

void
cg_device_rules (struct hull_cgroup *cg, const struct hull_resources *r,
                 struct hull_device_cgroup **out, size_t *n)
{
  size_t nd = sizeof default_devices / sizeof default_devices[0];
  size_t nr = r ? r->devices_len : 0, k = 0;
  struct hull_device_cgroup *v = xmalloc0 ((1 + nr + nd + cg->extra_devs_len) * sizeof *v);

  /* default deny, then the configured rules, then the devices every container gets */
  v[k++] = (struct hull_device_cgroup){ .allow = false, .type = 'a', .access = (char *) "rwm" };
  for (size_t i = 0; i < nr; i++)
    v[k++] = r->devices[i];
  for (size_t i = 0; i < nd; i++)
    {
      struct hull_device_cgroup d = { .allow = true, .type = default_devices[i].type,
                                      .access = (char *) default_devices[i].access };
      if (default_devices[i].major >= 0)
        d.major = (hull_opt_i64){ true, default_devices[i].major };
      if (default_devices[i].minor >= 0)
        d.minor = (hull_opt_i64){ true, default_devices[i].minor };
      v[k++] = d;
    }
  for (size_t i = 0; i < cg->extra_devs_len; i++)
    v[k++] = cg->extra_devs[i];
  *out = v;
  *n = k;
}

/* ---- the "none" manager ------------------------------------------------- */

static int
none_ok (struct hull_cgroup *cg, hull_error_t *err)
{
  return 0;
}

static int
none_create (struct hull_cgroup *cg, const struct hull_resources *r, hull_error_t *err)
{
  return 0;
}

static int
none_enter (struct hull_cgroup *cg, pid_t pid, hull_error_t *err)
{
  return 0;
}

static int
none_update (struct hull_cgroup *cg, const struct hull_resources *r, hull_error_t *err)
{
  if (!cg_resources_requested (r))
    return 0;
  return hull_error_set (err, 0, "cannot set limits: this rootless container has no cgroup");
}

static int
none_freeze (struct hull_cgroup *cg, bool frozen, hull_error_t *err)
{
  return hull_error_set (err, 0, "cannot %s: this rootless container has no cgroup (no freezer)",
                         frozen ? "pause" : "resume");
}

static bool
none_is_frozen (struct hull_cgroup *cg)
{
  return false;
}

static int
none_kill (struct hull_cgroup *cg, int sig, hull_error_t *err)
{
  return hull_error_set (err, 0, "cannot signal all processes: this rootless container has no cgroup");
}

static int
none_stats (struct hull_cgroup *cg, yajl_gen gen, hull_error_t *err)
{
  return 0;
}

static int
none_oom_fd (struct hull_cgroup *cg, hull_error_t *err)
{
  return hull_error_set (err, 0, "no OOM notification: this rootless container has no cgroup");
}

static int
none_oom_read (struct hull_cgroup *cg, int fd)
{
  return 0;
}

static const char *
none_pids_dir (struct hull_cgroup *cg)
{
  return NULL;
}

const struct cg_ops cg_none_ops = {
  .name = "none",
  .create = none_create,
  .enter = none_enter,
  .update = none_update,
  .destroy = none_ok,
  .freeze = none_freeze,
  .is_frozen = none_is_frozen,
  .kill_all = none_kill,
  .stats = none_stats,
  .oom_fd = none_oom_fd,
  .oom_read = none_oom_read,
  .pids_dir = none_pids_dir,
};

/* ---- detection ---------------------------------------------------------- */

static void
add_hier (struct hull_cgroup *cg, const char *name, const char *mnt, char *dir)
{
  cg->h = xrealloc (cg->h, (cg->nh + 1) * sizeof *cg->h);
  cg->h[cg->nh++] = (struct cg_hier){ xstrdup (name), xstrdup (mnt), dir, 0 };
}

static const char *
own_path (struct cg_proc_entry *e, size_t n, const char *controllers)
{
  for (size_t i = 0; i < n; i++)
    if (cg_same_controllers (e[i].controllers, controllers))
      return e[i].path;
  return NULL;
}

/* Fill cg->mode and cg->h for the cgroup at `inner` (a cleaned cgroupsPath). */
static int
detect (struct hull_cgroup *cg, const char *inner, hull_error_t *err)
{
  cleanup_free char *pc = NULL, *mi = NULL;
  struct cg_proc_entry *e = NULL;
  struct cg_mount *m = NULL;
  size_t ne = 0, nm = 0;
  struct statfs sfs;
  int ret = -1;

  if (statfs (CG_ROOT, &sfs) < 0)
    return hull_error_set (err, errno, "statfs \"%s\"", CG_ROOT);
  if (read_file_at (AT_FDCWD, "/proc/self/cgroup", &pc, NULL, err) < 0
      || read_file_at (AT_FDCWD, "/proc/self/mountinfo", &mi, NULL, err) < 0)
    return -1;
  if (cg_parse_proc_cgroup (pc, &e, &ne, err) < 0)
    return -1;
  if (cg_parse_mountinfo (mi, &m, &nm, err) < 0)
    goto out;

  if (sfs.f_type == CGROUP2_SUPER_MAGIC)
    {
      const char *own = own_path (e, ne, "");
      cg->mode = CG_MODE_V2;
      for (size_t i = 0; i < nm; i++)
        if (m[i].v2 && strcmp (m[i].mountpoint, CG_ROOT) == 0)
          {
            add_hier (cg, "", CG_ROOT, cg_hier_dir (CG_ROOT, m[i].root, own ? own : "/", inner, true));
            break;
          }
      if (cg->nh == 0)
        add_hier (cg, "", CG_ROOT, cg_hier_dir (CG_ROOT, "/", own ? own : "/", inner, true));
    }
  else
    {
      cg->mode = CG_MODE_V1;
      for (size_t i = 0; i < nm; i++)
        {
          const char *own = own_path (e, ne, m[i].controllers);
          if (own == NULL || strncmp (m[i].mountpoint, CG_ROOT "/", sizeof CG_ROOT) != 0)
            continue;
          add_hier (cg, m[i].controllers, m[i].mountpoint,
                    cg_hier_dir (m[i].mountpoint, m[i].root, own, inner, false));
        }
      if (cg_hier_find (cg, "devices") == NULL && cg_hier_find (cg, "freezer") == NULL)
        {
          hull_error_set (err, 0, "no cgroup v1 hierarchy with the devices or freezer controller is "
                                  "mounted below " CG_ROOT);
          goto out;
        }
    }
  ret = 0;
out:
  cg_proc_entries_free (e, ne);
  cg_mounts_free (m, nm);
  return ret;
}

/* Directory levels of dir below mountpoint that do not exist yet (what create will make). */
static int
count_missing (const char *mountpoint, const char *dir)
{
  cleanup_free char *p = xstrdup (dir);
  size_t lm = strlen (mountpoint);
  int n = 0;

  while (strlen (p) > lm && access (p, F_OK) < 0 && errno == ENOENT)
    {
      char *slash = strrchr (p, '/');
      n++;
      if (slash == NULL)
        break;
      *slash = '\0';
    }
  return n;
}

/* Nearest existing ancestor of dir is writable (for rootless). */
static bool
writable (const char *dir)
{
  cleanup_free char *p = xstrdup (dir);
  for (;;)
    {
      char *slash;
      if (access (p, F_OK) == 0)
        return access (p, W_OK) == 0;
      slash = strrchr (p, '/');
      if (slash == NULL || slash == p)
        return false;
      *slash = '\0';
    }
}

struct hull_cgroup *
hull_cgroup_new (const char *id, const char *cgroups_path, bool systemd, bool rootless,
                 hull_error_t *err)
{
  struct hull_cgroup *cg = xmalloc0 (sizeof *cg);
  cleanup_free char *inner = NULL;

  cg->id = xstrdup (id);
  cg->systemd = systemd;
  cg->rootless = rootless;
  cg->clone_fd = -1;
  if (systemd)
    {
      cleanup_free char *sp = NULL;
      if (access ("/run/systemd/system", F_OK) < 0)
        {
          hull_error_set (err, 0, "--systemd-cgroup: systemd is not running on this host "
                                  "(no /run/systemd/system); use the cgroupfs driver");
          goto fail;
        }
      if (cg_systemd_names (id, cgroups_path, rootless, &cg->slice, &cg->unit, err) < 0
          || cg_systemd_slice_path (cg->slice, &sp, err) < 0)
        goto fail;
      inner = xasprintf ("%s/%s", sp, cg->unit);
      cg->ops = &cg_systemd_ops;
    }
  else
    {
      inner = cg_inner_path (id, cgroups_path);
      if (*inner == '\0' || strcmp (inner, "/") == 0)
        {
          hull_error_set (err, 0, "linux.cgroupsPath: \"%s\" names the root cgroup",
                          cgroups_path ? cgroups_path : "");
          goto fail;
        }
    }
  if (detect (cg, inner, err) < 0)
    goto fail;
  if (!systemd)
    cg->ops = cg->mode == CG_MODE_V2 ? &cg_v2_ops : &cg_v1_ops;
  /* known now, so that a state saved before create still lets delete remove them */
  for (size_t i = 0; i < cg->nh; i++)
    cg->h[i].created = count_missing (cg->h[i].mountpoint, cg->h[i].dir);
  if (rootless && !systemd)
    for (size_t i = 0; i < cg->nh; i++)
      if (!writable (cg->h[i].dir))
        cg->unwritable = true;
  return cg;

fail:
  hull_cgroup_free (cg);
  return NULL;
}

void
hull_cgroup_allow_devices (struct hull_cgroup *cg, const struct hull_device *devs, size_t n)
{
  cg->extra_devs = xrealloc (cg->extra_devs, (cg->extra_devs_len + n) * sizeof *cg->extra_devs);
  for (size_t i = 0; i < n; i++)
    {
      char t = devs[i].type == 'u' ? 'c' : devs[i].type;
      if (t != 'c' && t != 'b')
        continue; /* fifos need no device rule */
      cg->extra_devs[cg->extra_devs_len++] = (struct hull_device_cgroup){
        .allow = true, .type = t, .major = { true, devs[i].major }, .minor = { true, devs[i].minor },
        .access = (char *) "rwm"
      };
    }
}

/* The v1 controller that applies a field named by cg_resources_first_limit. */
static const char *
limit_controller (const char *field)
{
  static const struct
  {
    const char *prefix, *controller;
  } map[] = {
    { "memory.", "memory" },  { "cpu.cpus", "cpuset" }, { "cpu.mems", "cpuset" },
    { "cpu.", "cpu" },        { "pids.", "pids" },      { "blockIO.", "blkio" },
    { "hugepage", "hugetlb" }, { "network.classID", "net_cls" },
    { "network.", "net_prio" }, { "rdma", "rdma" },
  };
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strncmp (field, map[i].prefix, strlen (map[i].prefix)) == 0)
      return map[i].controller;
  return "";
}

/* ---- dispatch ----------------------------------------------------------- */

int
hull_cgroup_create (struct hull_cgroup *cg, const struct hull_resources *r, hull_error_t *err)
{
  if (cg->unwritable)
    {
      const char *field = cg_resources_first_limit (r);
      const char *dir = cg->h[0].dir;
      struct cg_hier *h = field ? cg_hier_find (cg, limit_controller (field)) : NULL;
      for (size_t i = 0; i < cg->nh; i++)
        if (!writable (cg->h[i].dir))
          {
            dir = cg->h[i].dir;
            break;
          }
      if (h && !writable (h->dir))
        dir = h->dir;
      if (field)
        return hull_error_set (err, 0,
                               "linux.resources.%s: cannot be applied: this user cannot write the "
                               "cgroup \"%s\" (rootless; delegate a cgroup to the user, use "
                               "--systemd-cgroup, or drop the limit)",
                               field, dir);
      hull_warn ("rootless: cannot write the cgroup \"%s\"; running without a cgroup (no limits "
                 "were asked for)",
                 dir);
      cg->ops = &cg_none_ops;
      cg->mode = CG_MODE_NONE;
      cg->unwritable = false;
      return 0;
    }
  return cg->ops->create (cg, r, err);
}

int
hull_cgroup_enter (struct hull_cgroup *cg, pid_t pid, hull_error_t *err)
{
  return cg->ops->enter (cg, pid, err) < 0 ? hull_error_prefix (err, "cgroup: join") : 0;
}

/* ---- joining without cgroup.procs (see cgroup.h) ------------------------ */

/* Open dir/tasks for the process to write; 1 when it may not be opened (a
   delegation that made only cgroup.procs ours: the parent writes that). */
static int
join_add_tasks (struct hull_cgroup_join *j, const char *dir, hull_error_t *err)
{
  cleanup_free char *tasks = xasprintf ("%s/tasks", dir);
  int fd = open (tasks, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return errno == EACCES || errno == EPERM ? 1 : hull_error_set (err, errno, "cgroup: open \"%s\"", tasks);
  j->fds[j->n] = fd;
  j->dirs[j->n++] = dir;
  return 0;
}

int
hull_cgroup_join_prepare (struct hull_cgroup *cg, struct hull_cgroup_join *j, hull_error_t *err)
{
  const char *freezer = NULL;
  int r = 0;

  *j = (struct hull_cgroup_join){ .clone_fd = -1 };
  if (cg->ops != &cg_v1_ops && cg->ops != &cg_v2_ops)
    return 0;
  j->fds = xmalloc (cg->nh * sizeof *j->fds);
  j->dirs = xmalloc (cg->nh * sizeof *j->dirs);
  for (size_t i = 0; i < cg->nh && r == 0; i++)
    {
      if (cg->h[i].name[0] == '\0')
        {
          /* the cgroup2 hierarchy (the only one on v2, "unified" on hybrid hosts) */
          j->clone_fd = open (cg->h[i].dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
          if (j->clone_fd < 0)
            r = hull_error_set (err, errno, "cgroup: open \"%s\"", cg->h[i].dir);
        }
      else if (strstr (cg->h[i].name, "freezer"))
        freezer = cg->h[i].dir;
      else
        r = join_add_tasks (j, cg->h[i].dir, err);
    }
  /* The freezer last: a process that joins a frozen cgroup (exec
     --ignore-paused) stops there, and must be in all the others by then. */
  if (r == 0 && freezer)
    r = join_add_tasks (j, freezer, err);
  if (r != 0)
    hull_cgroup_join_release (j);
  return r < 0 ? -1 : 0;
}

int
hull_cgroup_join_self (struct hull_cgroup_join *j, hull_error_t *err)
{
  int r = 0;
  for (size_t i = 0; i < j->n; i++)
    {
      if (r == 0 && write (j->fds[i], "0", 1) < 0)
        r = hull_error_set (err, errno, "cgroup: join \"%s\"", j->dirs[i]);
      close (j->fds[i]);
    }
  j->n = 0;
  close_quietly (j->clone_fd); /* used by clone already */
  j->clone_fd = -1;
  return r;
}

int
hull_cgroup_join_finish (struct hull_cgroup *cg, const struct hull_cgroup_join *j, pid_t pid,
                         bool into_done, hull_error_t *err)
{
  if (j->n == 0 && j->clone_fd < 0)
    return hull_cgroup_enter (cg, pid, err); /* systemd, none, or no `tasks` of ours */
  if (j->clone_fd < 0 || into_done)
    return 0;
  /* clone could not use CLONE_INTO_CGROUP (no clone3): the cgroup2 directory */
  for (size_t i = 0; i < cg->nh; i++)
    if (cg->h[i].name[0] == '\0' && cg_enter_dir (cg->h[i].dir, pid, err) < 0)
      return hull_error_prefix (err, "cgroup: join");
  return 0;
}

bool
hull_cgroup_join_whole (const struct hull_cgroup_join *j)
{
  return j->clone_fd >= 0 && j->n == 0;
}

void
hull_cgroup_join_release (struct hull_cgroup_join *j)
{
  for (size_t i = 0; i < j->n; i++)
    close (j->fds[i]);
  close_quietly (j->clone_fd);
  free (j->fds);
  free (j->dirs);
  *j = (struct hull_cgroup_join){ .clone_fd = -1 };
}

int
hull_cgroup_update (struct hull_cgroup *cg, const struct hull_resources *r, hull_error_t *err)
{
  if (r == NULL)
    return 0;
  return cg->ops->update (cg, r, err);
}

int
hull_cgroup_destroy (struct hull_cgroup *cg, hull_error_t *err)
{
  return cg->ops->destroy (cg, err) < 0 ? hull_error_prefix (err, "cgroup: remove") : 0;
}

int
hull_cgroup_freeze (struct hull_cgroup *cg, bool frozen, hull_error_t *err)
{
  return cg->ops->freeze (cg, frozen, err);
}

bool
hull_cgroup_is_frozen (struct hull_cgroup *cg)
{
  return cg->ops->is_frozen (cg);
}

static int
cmp_pid (const void *a, const void *b)
{
  pid_t x = *(const pid_t *) a, y = *(const pid_t *) b;
  return (x > y) - (x < y);
}

int
hull_cgroup_pids (struct hull_cgroup *cg, pid_t **pids, size_t *n, hull_error_t *err)
{
  const char *dir = cg->ops->pids_dir (cg);
  *pids = NULL;
  *n = 0;
  if (dir == NULL)
    return 0;
  if (access (dir, F_OK) < 0 && errno == ENOENT)
    return 0;
  if (cg_collect_pids (dir, pids, n, err) < 0)
    {
      free (*pids);
      *pids = NULL;
      *n = 0;
      return -1;
    }
  if (*n > 1)
    qsort (*pids, *n, sizeof **pids, cmp_pid);
  return 0;
}

int
hull_cgroup_kill_all (struct hull_cgroup *cg, int sig, hull_error_t *err)
{
  return cg->ops->kill_all (cg, sig, err);
}

char *
hull_cgroup_stats_json (struct hull_cgroup *cg, hull_error_t *err)
{
  yajl_gen gen = yajl_gen_alloc (NULL);
  const unsigned char *buf;
  size_t len;
  char *r = NULL;

  yajl_gen_map_open (gen);
  if (cg->ops->stats (cg, gen, err) == 0)
    {
      yajl_gen_map_close (gen);
      if (yajl_gen_get_buf (gen, &buf, &len) == yajl_gen_status_ok)
        r = xstrndup ((const char *) buf, len);
      else
        hull_error_set (err, 0, "cgroup stats: JSON generation failed");
    }
  yajl_gen_free (gen);
  return r;
}

int
hull_cgroup_oom_fd (struct hull_cgroup *cg, hull_error_t *err)
{
  return cg->ops->oom_fd (cg, err);
}

int
hull_cgroup_oom_read (struct hull_cgroup *cg, int fd)
{
  return cg->ops->oom_read (cg, fd);
}

const char *
hull_cgroup_path (struct hull_cgroup *cg, const char *controller)
{
  struct cg_hier *h;
  if (cg->mode == CG_MODE_V2 && cg->nh)
    return cg->h[0].dir;
  h = cg_hier_find (cg, controller ? controller : "");
  return h ? h->dir : "";
}

const char *
hull_cgroup_mode_name (struct hull_cgroup *cg)
{
  if (cg->mode == CG_MODE_NONE)
    return "none";
  if (cg->systemd)
    return cg->mode == CG_MODE_V2 ? "systemd-v2" : "systemd-v1";
  return cg->mode == CG_MODE_V2 ? "v2" : "v1";
}

void
hull_cgroup_free (struct hull_cgroup *cg)
{
  if (cg == NULL)
    return;
  for (size_t i = 0; i < cg->nh; i++)
    {
      free (cg->h[i].name);
      free (cg->h[i].mountpoint);
      free (cg->h[i].dir);
    }
  free (cg->h);
  free (cg->id);
  free (cg->slice);
  free (cg->unit);
  free (cg->extra_devs);
  free (cg->self_cgroup);
  close_quietly (cg->clone_fd);
  free (cg);
}

/* ---- serialized form ---------------------------------------------------- */
/*
 * "hullcg1 mode=v1 sd=0 rl=0 id=ID [slice=S unit=U] h=NAME|MOUNTPOINT|DIR|CREATED ..."
 * with every value percent-encoded (cg_escape), so the string has no blanks,
 * quotes or backslashes and can be stored in JSON as it is.
 */

char *
hull_cgroup_serialize (struct hull_cgroup *cg)
{
  static const char *const modes[] = { "none", "v1", "v2" };
  cleanup_free char *id = cg_escape (cg->id);
  char *s = xasprintf ("hullcg1 mode=%s sd=%d rl=%d id=%s", modes[cg->mode], cg->systemd,
                       cg->rootless, id);

  if (cg->slice)
    {
      cleanup_free char *a = cg_escape (cg->slice), *b = cg_escape (cg->unit), *old = s;
      s = xasprintf ("%s slice=%s unit=%s", old, a, b);
    }
  for (size_t i = 0; i < cg->nh; i++)
    {
      cleanup_free char *a = cg_escape (cg->h[i].name), *b = cg_escape (cg->h[i].mountpoint);
      cleanup_free char *c = cg_escape (cg->h[i].dir), *old = s;
      s = xasprintf ("%s h=%s|%s|%s|%d", old, a, b, c, cg->h[i].created);
    }
  return s;
}

static int
deser_hier (struct hull_cgroup *cg, char *v)
{
  char *f[4];
  int created;

  for (int i = 0; i < 4; i++)
    {
      f[i] = v;
      v = i < 3 ? strchr (v, '|') : NULL;
      if (i < 3 && v == NULL)
        return -1;
      if (v)
        *v++ = '\0';
    }
  if (sscanf (f[3], "%d", &created) != 1 || created < 0)
    return -1;
  {
    cleanup_free char *a = cg_unescape (f[0]), *b = cg_unescape (f[1]), *c = cg_unescape (f[2]);
    if (a == NULL || b == NULL || c == NULL || b[0] != '/' || c[0] != '/')
      return -1;
    add_hier (cg, a, b, xstrdup (c));
    cg->h[cg->nh - 1].created = created;
  }
  return 0;
}

struct hull_cgroup *
hull_cgroup_deserialize (const char *s, hull_error_t *err)
{
  struct hull_cgroup *cg = xmalloc0 (sizeof *cg);
  cleanup_free char *copy = xstrdup (s ? s : "");
  char *save = NULL, *tok;
  bool have_mode = false;

  cg->clone_fd = -1;
  tok = strtok_r (copy, " ", &save);
  if (tok == NULL || strcmp (tok, "hullcg1") != 0)
    goto bad;
  while ((tok = strtok_r (NULL, " ", &save)))
    {
      char *eq = strchr (tok, '=');
      char **dst = NULL;
      if (eq == NULL)
        goto bad;
      *eq++ = '\0';
      if (strcmp (tok, "mode") == 0)
        {
          have_mode = true;
          if (strcmp (eq, "v1") == 0)
            cg->mode = CG_MODE_V1;
          else if (strcmp (eq, "v2") == 0)
            cg->mode = CG_MODE_V2;
          else if (strcmp (eq, "none") == 0)
            cg->mode = CG_MODE_NONE;
          else
            goto bad;
        }
      else if (strcmp (tok, "sd") == 0)
        cg->systemd = strcmp (eq, "1") == 0;
      else if (strcmp (tok, "rl") == 0)
        cg->rootless = strcmp (eq, "1") == 0;
      else if (strcmp (tok, "id") == 0)
        dst = &cg->id;
      else if (strcmp (tok, "slice") == 0)
        dst = &cg->slice;
      else if (strcmp (tok, "unit") == 0)
        dst = &cg->unit;
      else if (strcmp (tok, "h") == 0)
        {
          if (deser_hier (cg, eq) < 0)
            goto bad;
        }
      else
        goto bad;
      if (dst)
        {
          free (*dst);
          *dst = cg_unescape (eq);
          if (*dst == NULL)
            goto bad;
        }
    }
  if (!have_mode || cg->id == NULL || (cg->mode != CG_MODE_NONE && cg->nh == 0)
      || (cg->systemd && (cg->slice == NULL || cg->unit == NULL)))
    goto bad;
  if (cg->mode == CG_MODE_NONE)
    cg->ops = &cg_none_ops;
  else if (cg->systemd)
    cg->ops = &cg_systemd_ops;
  else
    cg->ops = cg->mode == CG_MODE_V2 ? &cg_v2_ops : &cg_v1_ops;
  return cg;

bad:
  hull_error_set (err, 0, "state.jsonl: invalid cgroup record \"%s\"", s ? s : "");
  hull_cgroup_free (cg);
  return NULL;
}
