/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The default config.json written by `hull spec`: a small, locked-down
 * container running "sh" on a terminal, in the same shape other OCI
 * runtimes produce so that existing tooling and habits carry over.
 */
#include <config.h>
#include "config_internal.h"
#include "utils.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

#define SPEC_OCI_VERSION "1.2.0"

static void
gen_str (yajl_gen g, const char *s)
{
  yajl_gen_string (g, (const unsigned char *) s, strlen (s));
}

static void
gen_kv_str (yajl_gen g, const char *k, const char *v)
{
  gen_str (g, k);
  gen_str (g, v);
}

static void
gen_kv_bool (yajl_gen g, const char *k, bool v)
{
  gen_str (g, k);
  yajl_gen_bool (g, v);
}

static void
gen_kv_int (yajl_gen g, const char *k, long long v)
{
  gen_str (g, k);
  yajl_gen_integer (g, v);
}

/* "key": [ "a", "b", ... ] from a NULL-terminated list. */
static void
gen_kv_strv (yajl_gen g, const char *k, const char *const *v)
{
  gen_str (g, k);
  yajl_gen_array_open (g);
  for (; *v; v++)
    gen_str (g, *v);
  yajl_gen_array_close (g);
}

static void
gen_process (yajl_gen g)
{
  static const char *const args[] = { "sh", NULL };
  static const char *const env[]
      = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", NULL };
  static const char *const caps[] = { "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", NULL };

  gen_str (g, "process");
  yajl_gen_map_open (g);
  gen_kv_bool (g, "terminal", true);
  gen_str (g, "user");
  yajl_gen_map_open (g);
  gen_kv_int (g, "uid", 0);
  gen_kv_int (g, "gid", 0);
  yajl_gen_map_close (g);
  gen_kv_strv (g, "args", args);
  gen_kv_strv (g, "env", env);
  gen_kv_str (g, "cwd", "/");
  gen_str (g, "capabilities");
  yajl_gen_map_open (g);
  gen_kv_strv (g, "bounding", caps);
  gen_kv_strv (g, "effective", caps);
  gen_kv_strv (g, "permitted", caps);
  yajl_gen_map_close (g);
  gen_str (g, "rlimits");
  yajl_gen_array_open (g);
  yajl_gen_map_open (g);
  gen_kv_str (g, "type", "RLIMIT_NOFILE");
  gen_kv_int (g, "hard", 1024);
  gen_kv_int (g, "soft", 1024);
  yajl_gen_map_close (g);
  yajl_gen_array_close (g);
  gen_kv_bool (g, "noNewPrivileges", true);
  yajl_gen_map_close (g);
}

static void
gen_mount (yajl_gen g, const char *dst, const char *type, const char *src,
           const char *const *options)
{
  yajl_gen_map_open (g);
  gen_kv_str (g, "destination", dst);
  gen_kv_str (g, "type", type);
  gen_kv_str (g, "source", src);
  if (options)
    gen_kv_strv (g, "options", options);
  yajl_gen_map_close (g);
}

static void
gen_mounts (yajl_gen g, bool rootless)
{
  static const char *const dev[] = { "nosuid", "strictatime", "mode=755", "size=65536k", NULL };
  static const char *const pts[] = { "nosuid",    "noexec", "newinstance", "ptmxmode=0666",
                                     "mode=0620", "gid=5",  NULL };
  /* Without gid=5: the tty group is usually not mapped in a rootless
     user namespace.  */
  static const char *const pts_rootless[]
      = { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", NULL };
  static const char *const shm[]
      = { "nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL };
  static const char *const mqueue[] = { "nosuid", "noexec", "nodev", NULL };
  static const char *const sys[] = { "nosuid", "noexec", "nodev", "ro", NULL };
  static const char *const sys_rootless[] = { "rbind", "nosuid", "noexec", "nodev", "ro", NULL };
  static const char *const cgroup[] = { "nosuid", "noexec", "nodev", "relatime", "ro", NULL };

  gen_str (g, "mounts");
  yajl_gen_array_open (g);
  gen_mount (g, "/proc", "proc", "proc", NULL);
  gen_mount (g, "/dev", "tmpfs", "tmpfs", dev);
  gen_mount (g, "/dev/pts", "devpts", "devpts", rootless ? pts_rootless : pts);
  gen_mount (g, "/dev/shm", "tmpfs", "shm", shm);
  gen_mount (g, "/dev/mqueue", "mqueue", "mqueue", mqueue);
  /* sysfs cannot be mounted by an unprivileged user without its own
     network namespace; bind the host's read-only instead.  */
  if (rootless)
    gen_mount (g, "/sys", "none", "/sys", sys_rootless);
  else
    gen_mount (g, "/sys", "sysfs", "sysfs", sys);
  gen_mount (g, "/sys/fs/cgroup", "cgroup", "cgroup", cgroup);
  yajl_gen_array_close (g);
}

static void
gen_mapping (yajl_gen g, const char *key, unsigned long host_id)
{
  gen_str (g, key);
  yajl_gen_array_open (g);
  yajl_gen_map_open (g);
  gen_kv_int (g, "containerID", 0);
  gen_kv_int (g, "hostID", (long long) host_id);
  gen_kv_int (g, "size", 1);
  yajl_gen_map_close (g);
  yajl_gen_array_close (g);
}

static void
gen_linux (yajl_gen g, bool rootless)
{
  static const char *const masked[]
      = { "/proc/acpi",        "/proc/asound",      "/proc/kcore",
          "/proc/keys",        "/proc/latency_stats", "/proc/timer_list",
          "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
          "/proc/scsi",        "/sys/devices/virtual/powercap", NULL };
  static const char *const readonly[]
      = { "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL };
  static const char *const ns[] = { "pid", "network", "ipc", "uts", "mount", "cgroup", NULL };
  static const char *const ns_rootless[] = { "pid", "ipc", "uts", "mount", "cgroup", "user", NULL };
  const char *const *n;

  gen_str (g, "linux");
  yajl_gen_map_open (g);
  if (rootless)
    {
      gen_mapping (g, "uidMappings", (unsigned long) geteuid ());
      gen_mapping (g, "gidMappings", (unsigned long) getegid ());
    }
  else
    {
      gen_str (g, "resources");
      yajl_gen_map_open (g);
      gen_str (g, "devices");
      yajl_gen_array_open (g);
      yajl_gen_map_open (g);
      gen_kv_bool (g, "allow", false);
      gen_kv_str (g, "access", "rwm");
      yajl_gen_map_close (g);
      yajl_gen_array_close (g);
      yajl_gen_map_close (g);
    }
  gen_str (g, "namespaces");
  yajl_gen_array_open (g);
  for (n = rootless ? ns_rootless : ns; *n; n++)
    {
      yajl_gen_map_open (g);
      gen_kv_str (g, "type", *n);
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
  gen_kv_strv (g, "maskedPaths", masked);
  gen_kv_strv (g, "readonlyPaths", readonly);
  yajl_gen_map_close (g);
}

char *
hull_spec_default (bool rootless)
{
  const unsigned char *buf;
  yajl_gen g;
  size_t len;
  char *out;

  g = yajl_gen_alloc (NULL);
  if (g == NULL)
    {
      fputs ("hull: out of memory\n", stderr);
      abort ();
    }
  yajl_gen_config (g, yajl_gen_beautify, 1);
  yajl_gen_config (g, yajl_gen_indent_string, "\t");

  yajl_gen_map_open (g);
  gen_kv_str (g, "ociVersion", SPEC_OCI_VERSION);
  gen_process (g);
  gen_str (g, "root");
  yajl_gen_map_open (g);
  gen_kv_str (g, "path", "rootfs");
  gen_kv_bool (g, "readonly", true);
  yajl_gen_map_close (g);
  gen_kv_str (g, "hostname", "hull");
  gen_mounts (g, rootless);
  gen_linux (g, rootless);
  yajl_gen_map_close (g);

  yajl_gen_get_buf (g, &buf, &len);
  out = xstrndup ((const char *) buf, len);
  yajl_gen_free (g);
  return out;
}
