/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `hull check` rules against this host: namespace types the kernel has and
 * namespace files to join, cgroup controllers of the cgroup mode create
 * would use, seccomp support, idmapped mounts, rlimits beyond what hull may
 * raise, and a terminal that needs a console socket.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <config.h>
#include "bundle_check_internal.h"
#include "cgroup_internal.h"
#include "seccomp_filter.h"
#include "utils.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/nsfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#define R "linux.resources"

static const char *const ns_files[HULL_NS_TYPES] = {
  [HULL_NS_PID] = "pid", [HULL_NS_NET] = "net",       [HULL_NS_MNT] = "mnt",
  [HULL_NS_IPC] = "ipc", [HULL_NS_UTS] = "uts",       [HULL_NS_USER] = "user",
  [HULL_NS_CGROUP] = "cgroup", [HULL_NS_TIME] = "time",
};

static void
check_namespaces (struct chk *k)
{
  int t;

  for (t = 0; t < HULL_NS_TYPES; t++)
    {
      cleanup_free char *self = NULL, *pi = NULL;
      cleanup_close int fd = -1;
      int type;

      if (!k->ns[t])
        continue;
      pi = xasprintf ("linux.namespaces[%zu]", k->ns_index[t]);
      self = xasprintf ("/proc/self/ns/%s", ns_files[t]);
      if (access (self, F_OK) < 0)
        {
          cleanup_free char *pt = xasprintf ("%s.type", pi);
          chk_error (k, pt, "remove the namespace, or run on a kernel built with it",
                     "this kernel has no %s namespaces (no %s)", hull_ns_type_names[t], self);
          continue;
        }
      if (k->ns_path[t] == NULL || k->ns_path[t][0] != '/')
        continue;
      {
        cleanup_free char *pp = xasprintf ("%s.path", pi);
        fd = open (k->ns_path[t], O_RDONLY | O_CLOEXEC);
        if (fd < 0)
          {
            chk_error (k, pp, "the namespace must exist: use /proc/PID/ns/TYPE of a running "
                       "process or a bind-mounted namespace file",
                       "\"%s\": %s", k->ns_path[t], hull_strerror (errno));
            continue;
          }
        type = ioctl (fd, NS_GET_NSTYPE);
        if (type < 0)
          chk_error (k, pp, "give a namespace file such as /proc/PID/ns/TYPE",
                     "\"%s\" is not a namespace file", k->ns_path[t]);
        else if (type != cfg_ns_clone_flag ((enum hull_ns_type) t))
          chk_error (k, pp, "give a namespace file of the type named in this entry",
                     "\"%s\" is not a %s namespace", k->ns_path[t], hull_ns_type_names[t]);
      }
    }
}

/* ---- cgroups -------------------------------------------------------------- */

/* Names of the hierarchies of cg, for messages ("cpu, memory, name=systemd"). */
static char *
hier_names (struct hull_cgroup *cg)
{
  char *s = xstrdup ("");
  size_t i;

  for (i = 0; i < cg->nh; i++)
    {
      char *old = s;
      s = xasprintf ("%s%s%s", old, *old ? ", " : "", *cg->h[i].name ? cg->h[i].name : "cgroup2");
      free (old);
    }
  return s;
}

/* Is controller c usable for the container in cg's mode? v2 reads the root's list. */
static bool
have_controller (struct hull_cgroup *cg, const char *v2_list, const char *c)
{
  if (cg->mode == CG_MODE_V1)
    return cg_hier_find (cg, c) != NULL;
  if (v2_list)
    {
      size_t n = strlen (c);
      const char *p;
      for (p = strstr (v2_list, c); p; p = strstr (p + 1, c))
        if ((p == v2_list || p[-1] == ' ' || p[-1] == '\n') && (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
          return true;
    }
  return false;
}

static void
need (struct chk *k, struct hull_cgroup *cg, const char *v2_list, const char *c, const char *path)
{
  cleanup_free char *names = NULL, *hint = NULL;

  if (have_controller (cg, v2_list, c))
    return;
  names = cg->mode == CG_MODE_V1 ? hier_names (cg) : xstrdup (v2_list ? v2_list : "");
  if (names[0] && names[strlen (names) - 1] == '\n')
    names[strlen (names) - 1] = '\0';
  hint = xasprintf ("remove the setting, or run on a host where the %s controller is available",
                    c);
  chk_error (k, path, hint, "needs the %s controller, which is not available on this host "
             "(cgroup %s: %s)", c, cg->mode == CG_MODE_V1 ? "v1/hybrid" : "v2",
             *names ? names : "no controllers");
}

static bool
has_any (yajl_val obj, const char *const *keys)
{
  size_t i;

  for (i = 0; keys[i]; i++)
    if (cfg_member (obj, keys[i]))
      return true;
  return false;
}

static bool
nonempty (yajl_val v)
{
  return (YAJL_IS_ARRAY (v) && v->u.array.len > 0) || (YAJL_IS_OBJECT (v) && v->u.object.len > 0)
         || (YAJL_IS_STRING (v) && v->u.string[0]);
}

/* v1: each pageSize needs its hugetlb.<size>.limit_in_bytes (the v1 root has them; a v2
   root has no hugetlb files, so sizes are left to create there). */
static void
check_hugepages (struct chk *k, struct hull_cgroup *cg, yajl_val a)
{
  struct cg_hier *h = cg->mode == CG_MODE_V1 ? cg_hier_find (cg, "hugetlb") : NULL;
  size_t i;

  for (i = 0; h && i < a->u.array.len; i++)
    {
      const char *ps = chk_str (a->u.array.values[i], "pageSize");
      cleanup_free char *file = NULL, *p = NULL;

      if (ps == NULL)
        continue;
      file = xasprintf ("hugetlb.%s.limit_in_bytes", ps);
      if (cg_file_exists (h->mountpoint, file))
        continue;
      p = xasprintf (R ".hugepageLimits[%zu].pageSize", i);
      chk_error (k, p, "use a huge page size of this host (see /sys/kernel/mm/hugepages)",
                 "\"%s\" is not a huge page size of this host", ps);
    }
}

static void
check_unified (struct chk *k, struct hull_cgroup *cg, const char *v2_list, yajl_val u)
{
  size_t i;

  if (cg->mode == CG_MODE_V1)
    {
      chk_error (k, R ".unified", "remove linux.resources.unified, or run on a cgroup v2 host",
                 "cgroup v2 files cannot be set on this cgroup v1 host");
      return;
    }
  for (i = 0; i < u->u.object.len; i++)
    {
      const char *key = u->u.object.keys[i];
      const char *dot = strchr (key, '.');
      cleanup_free char *c = dot ? xstrndup (key, (size_t) (dot - key)) : xstrdup (key);
      cleanup_free char *p = cfg_path_key (R ".unified", key);

      if (strcmp (c, "cgroup") != 0)
        need (k, cg, v2_list, c, p);
    }
}

static void
check_cgroups (struct chk *k)
{
  static const char *const cpu_keys[] = { "shares", "quota", "period", "burst", "realtimeRuntime",
                                          "realtimePeriod", "idle", NULL };
  yajl_val lx = chk_obj (k->doc, "linux"), res = chk_obj (lx, "resources"), v, net;
  const char *cgpath = chk_str (lx, "cgroupsPath");
  cleanup_free char *v2_list = NULL;
  struct hull_cgroup *cg;
  hull_error_t e = NULL;

  if (lx == NULL)
    return;
  cg = hull_cgroup_new ("hull-check", cgpath, k->o->systemd_cgroup, k->o->rootless, &e);
  if (cg == NULL)
    {
      const char *m = e->msg, *path = "";
      if (strncmp (m, "linux.cgroupsPath: ", 19) == 0)
        {
          m += 19;
          path = "linux.cgroupsPath";
        }
      chk_error (k, path, *path ? "fix linux.cgroupsPath" : "fix the cgroup setup of this host or "
                 "choose the other cgroup driver (--systemd-cgroup)", "%s", m);
      hull_error_free (&e);
      return;
    }
  if (cg->mode == CG_MODE_V2 && cg->nh)
    {
      if (cg_read (cg->h[0].mountpoint, "cgroup.controllers", &v2_list, &e) < 0)
        hull_error_free (&e);
    }
  if (res == NULL)
    goto out;
  if (cg->unwritable && nonempty (res) && has_any (res, (const char *const[]){ "memory", "cpu",
                                                     "pids", "blockIO", "hugepageLimits",
                                                     "network", "rdma", "unified", NULL }))
    chk_warn (k, R, "delegate a cgroup to this user, or use --systemd-cgroup",
              "limits are asked for, but the cgroup \"%s\" is not writable by this user",
              cg->nh ? cg->h[0].dir : "");
  if (chk_obj (res, "memory"))
    need (k, cg, v2_list, "memory", R ".memory");
  if ((v = chk_obj (res, "cpu")))
    {
      if (has_any (v, cpu_keys))
        need (k, cg, v2_list, "cpu", R ".cpu");
      if (nonempty (cfg_member (v, "cpus")) || nonempty (cfg_member (v, "mems")))
        need (k, cg, v2_list, "cpuset", R ".cpu.cpus");
    }
  if ((v = chk_obj (res, "pids")) && cfg_member (v, "limit"))
    need (k, cg, v2_list, "pids", R ".pids.limit");
  if (chk_obj (res, "blockIO"))
    need (k, cg, v2_list, cg->mode == CG_MODE_V1 ? "blkio" : "io", R ".blockIO");
  if ((v = chk_arr (res, "hugepageLimits")) && v->u.array.len)
    {
      need (k, cg, v2_list, "hugetlb", R ".hugepageLimits");
      if (!chk_has_error (k, R ".hugepageLimits"))
        check_hugepages (k, cg, v);
    }
  if ((net = chk_obj (res, "network")))
    {
      if (cg->mode != CG_MODE_V1 && (cfg_member (net, "classID") || nonempty (cfg_member (net, "priorities"))))
        chk_error (k, R ".network", "remove it: on cgroup v2 use eBPF or nftables to tag traffic",
                   "net_cls and net_prio do not exist on cgroup v2");
      else
        {
          if (cfg_member (net, "classID"))
            need (k, cg, v2_list, "net_cls", R ".network.classID");
          if (nonempty (cfg_member (net, "priorities")))
            need (k, cg, v2_list, "net_prio", R ".network.priorities");
        }
    }
  if ((v = chk_obj (res, "rdma")) && v->u.object.len)
    need (k, cg, v2_list, "rdma", R ".rdma");
  if ((v = chk_obj (res, "unified")) && v->u.object.len)
    check_unified (k, cg, v2_list, v);
out:
  hull_cgroup_free (cg);
}

/* ---- seccomp -------------------------------------------------------------- */

static void
check_seccomp (struct chk *k)
{
  yajl_val sc = chk_obj (chk_obj (k->doc, "linux"), "seccomp"), flags, a;
  struct hull_seccomp s = { 0 };
  struct hull_seccomp_filter *f = NULL;
  hull_error_t e = NULL;
  size_t i;
  long x;

  if (sc == NULL)
    return;
  if (!hull_seccomp_kernel_enabled ())
    {
      chk_error (k, "linux.seccomp", "remove linux.seccomp, or run on a kernel with "
                 "CONFIG_SECCOMP_FILTER", "this kernel has no seccomp filters");
      return;
    }
  flags = chk_arr (sc, "flags");
  for (i = 0; flags && i < flags->u.array.len; i++)
    {
      yajl_val fl = flags->u.array.values[i];
      if (YAJL_IS_STRING (fl) && cfg_names_lookup (hull_seccomp_flag_names, fl->u.string, &x) == 0
          && !hull_seccomp_flag_supported (fl->u.string))
        {
          cleanup_free char *p = xasprintf ("linux.seccomp.flags[%zu]", i);
          chk_error (k, p, "remove the flag, or run on a newer kernel",
                     "the running kernel does not support %s", fl->u.string);
        }
    }
  a = chk_arr (sc, "syscalls");
  for (i = 0; a && i < a->u.array.len; i++)
    {
      const char *act = chk_str (a->u.array.values[i], "action");
      if (act && cfg_names_lookup (hull_seccomp_action_names, act, &x) == 0
          && !hull_seccomp_action_available ((int) x))
        {
          cleanup_free char *p = xasprintf ("linux.seccomp.syscalls[%zu].action", i);
          chk_error (k, p, "use another action, or run on a newer kernel",
                     "the running kernel does not implement %s", act);
        }
    }
  /* Compile the filter as create would, once the section itself is clean. */
  if (chk_has_error_under (k, "linux.seccomp"))
    return;
  if (cfg_parse_seccomp (&k->cc, sc, "linux.seccomp", &s) < 0)
    chk_take (k, &k->cerr, NULL, NULL, NULL);
  else if (hull_seccomp_prepare (&s, &f, &e) < 0)
    chk_take (k, &e, NULL, NULL, NULL);
  hull_seccomp_filter_free (f);
  cfg_seccomp_clear (&s);
}

/* ---- mounts, rlimits, terminal --------------------------------------------- */

static bool
mount_wants_idmap (yajl_val m)
{
  return nonempty (cfg_member (m, "uidMappings")) || nonempty (cfg_member (m, "gidMappings"))
         || chk_mount_idmap_option (m) != NULL;
}

static void
check_idmapped_mounts (struct chk *k)
{
  yajl_val a = chk_arr (k->doc, "mounts");
  struct utsname u;
  unsigned major = 0, minor = 0;
  size_t i;

  if (a == NULL || uname (&u) < 0 || sscanf (u.release, "%u.%u", &major, &minor) != 2)
    return;
  if (major > 5 || (major == 5 && minor >= 12))
    return;
  for (i = 0; i < a->u.array.len; i++)
    if (mount_wants_idmap (a->u.array.values[i]))
      {
        cleanup_free char *p = xasprintf ("mounts[%zu]", i);
        chk_error (k, p, "drop idmap/ridmap and the mount's id mappings, or run on Linux 5.12+",
                   "idmapped mounts need Linux 5.12 or later (this is %s)", u.release);
      }
}

/* Whether hull holds CAP_SYS_RESOURCE (needed to raise a hard rlimit). */
static bool
have_sys_resource (void)
{
  cleanup_free char *text = NULL;
  hull_error_t e = NULL;
  const char *p;
  unsigned long long eff;

  if (read_file_at (AT_FDCWD, "/proc/self/status", &text, NULL, &e) < 0)
    {
      hull_error_free (&e);
      return false;
    }
  p = strstr (text, "\nCapEff:");
  if (p == NULL || sscanf (p + 8, "%llx", &eff) != 1)
    return false;
  return (eff >> 24) & 1; /* CAP_SYS_RESOURCE */
}

static void
check_rlimits (struct chk *k)
{
  yajl_val a = chk_arr (chk_obj (k->doc, "process"), "rlimits");
  bool privileged = have_sys_resource ();
  size_t i;

  for (i = 0; a && i < a->u.array.len; i++)
    {
      yajl_val e = a->u.array.values[i], hard = cfg_member (e, "hard");
      const char *type = chk_str (e, "type");
      cleanup_free char *p = NULL, *hint = NULL;
      struct rlimit cur;
      uint64_t want;
      long n;

      if (type == NULL || cfg_names_lookup (hull_rlimit_names, type, &n) < 0 || !YAJL_IS_NUMBER (hard)
          || parse_u64 (hard->u.number.r, &want) < 0 || getrlimit ((int) n, &cur) < 0)
        continue;
      if (privileged || cur.rlim_max == RLIM_INFINITY || want <= (uint64_t) cur.rlim_max)
        continue;
      p = xasprintf ("process.rlimits[%zu].hard", i);
      hint = xasprintf ("lower it to at most %llu, or run hull with CAP_SYS_RESOURCE",
                        (unsigned long long) cur.rlim_max);
      chk_warn (k, p, hint, "%s hard limit %" PRIu64 " is above the current hard limit %llu, and "
                "hull lacks CAP_SYS_RESOURCE to raise it", type, want,
                (unsigned long long) cur.rlim_max);
    }
}

static void
check_terminal (struct chk *k)
{
  yajl_val t = cfg_member (chk_obj (k->doc, "process"), "terminal");

  if (YAJL_IS_TRUE (t))
    chk_warn (k, "process.terminal",
              "pass --console-socket to `hull create` / `hull run --detach`, or set "
              "process.terminal to false",
              "a terminal needs --console-socket unless the container is run in the foreground");
}

void
chk_rules_host (struct chk *k)
{
  check_namespaces (k);
  check_cgroups (k);
  check_seccomp (k);
  check_idmapped_mounts (k);
  check_rlimits (k);
  check_terminal (k);
}
