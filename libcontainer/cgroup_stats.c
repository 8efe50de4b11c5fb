/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Resource statistics for `events`, in the shape runc prints as the "data"
 * of a stats event: cpu, memory, pids, blkio and hugetlb objects.  Missing
 * controllers or files leave their numbers at 0, as runc does.
 */
#include <config.h>

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup_internal.h"
#include "utils.h"

static void
key (yajl_gen g, const char *k)
{
  yajl_gen_string (g, (const unsigned char *) k, strlen (k));
}

static void
num (yajl_gen g, const char *k, uint64_t v)
{
  char buf[32];
  int l = snprintf (buf, sizeof buf, "%" PRIu64, v);
  if (k)
    key (g, k);
  yajl_gen_number (g, buf, (size_t) l);
}

static uint64_t
rd (const char *dir, const char *file)
{
  uint64_t v = 0;
  if (dir == NULL || cg_read_u64 (dir, file, &v) < 0)
    return 0;
  return v;
}

static uint64_t
rdk (const char *dir, const char *file, const char *k)
{
  uint64_t v = 0;
  if (dir == NULL || cg_read_keyed (dir, file, k, &v) < 0)
    return 0;
  return v;
}

/* Every "key value" line of a flat keyed file as a JSON object member list. */
static void
raw_keyed (yajl_gen g, const char *dir, const char *file)
{
  cleanup_free char *s = NULL;
  hull_error_t e = NULL;

  if (dir == NULL || cg_read (dir, file, &s, &e) < 0)
    {
      hull_error_free (&e);
      return;
    }
  for (char *line = s; *line;)
    {
      char *nl = strchrnul (line, '\n'), *sp;
      char c = *nl;
      uint64_t v;
      *nl = '\0';
      sp = strchr (line, ' ');
      if (sp)
        {
          *sp = '\0';
          if (parse_u64 (sp + 1, &v) == 0)
            num (g, line, v);
        }
      if (c == '\0')
        break;
      line = nl + 1;
    }
}

static void
entry (yajl_gen g, const char *k, uint64_t limit, uint64_t usage, uint64_t max, uint64_t failcnt)
{
  key (g, k);
  yajl_gen_map_open (g);
  num (g, "limit", limit);
  num (g, "usage", usage);
  num (g, "max", max);
  num (g, "failcnt", failcnt);
  yajl_gen_map_close (g);
}

/* Huge page sizes of the host as cgroup file names use them ("2MB", "1GB"). */
static char **
hugepage_sizes (void)
{
  cleanup_dir DIR *d = opendir ("/sys/kernel/mm/hugepages");
  struct dirent *de;
  char **v = xmalloc0 (sizeof *v);
  size_t n = 0;

  while (d && (de = readdir (d)))
    {
      unsigned long long kb;
      if (sscanf (de->d_name, "hugepages-%llukB", &kb) != 1)
        continue;
      v = xrealloc (v, (n + 2) * sizeof *v);
      if (kb >= (1ULL << 20))
        v[n++] = xasprintf ("%lluGB", kb >> 20);
      else if (kb >= 1024)
        v[n++] = xasprintf ("%lluMB", kb >> 10);
      else
        v[n++] = xasprintf ("%lluKB", kb);
      v[n] = NULL;
    }
  return v;
}

/* Members runc always prints that hull has nothing for. */
static void
tail (yajl_gen g)
{
  key (g, "intel_rdt");
  yajl_gen_map_open (g);
  yajl_gen_map_close (g);
  key (g, "network_interfaces");
  yajl_gen_null (g);
}

static void
pids (yajl_gen g, const char *d)
{
  uint64_t lim = rd (d, "pids.max");
  key (g, "pids");
  yajl_gen_map_open (g);
  num (g, "current", rd (d, "pids.current"));
  num (g, "limit", lim == UINT64_MAX ? 0 : lim);
  yajl_gen_map_close (g);
}

/* ---- v1 ----------------------------------------------------------------- */

/* A file of blank-separated numbers as a JSON array (empty when missing). */
static void
num_list (yajl_gen g, const char *k, const char *dir, const char *file)
{
  cleanup_free char *s = NULL;
  hull_error_t e = NULL;

  key (g, k);
  yajl_gen_array_open (g);
  if (dir && cg_read (dir, file, &s, &e) == 0)
    for (char *save = NULL, *t = strtok_r (s, " \n", &save); t; t = strtok_r (NULL, " \n", &save))
      {
        uint64_t v;
        if (parse_u64 (t, &v) == 0)
          num (g, NULL, v);
      }
  hull_error_free (&e);
  yajl_gen_array_close (g);
}

static const char *
hdir (struct hull_cgroup *cg, const char *c)
{
  struct cg_hier *h = cg_hier_find (cg, c);
  return h ? h->dir : NULL;
}

static void
v1_blkio_list (yajl_gen g, const char *k, const char *d, const char *file)
{
  cleanup_free char *s = NULL;
  hull_error_t e = NULL;

  key (g, k);
  yajl_gen_array_open (g);
  if (d && cg_read (d, file, &s, &e) == 0)
    for (char *save = NULL, *line = strtok_r (s, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
      {
        unsigned maj, min;
        char op[32];
        unsigned long long v;
        if (sscanf (line, "%u:%u %31s %llu", &maj, &min, op, &v) != 4)
          continue;
        yajl_gen_map_open (g);
        num (g, "major", maj);
        num (g, "minor", min);
        key (g, "op");
        yajl_gen_string (g, (const unsigned char *) op, strlen (op));
        num (g, "value", v);
        yajl_gen_map_close (g);
      }
  hull_error_free (&e);
  yajl_gen_array_close (g);
}

int
cg_v1_stats (struct hull_cgroup *cg, yajl_gen g, hull_error_t *err)
{
  const char *acct = hdir (cg, "cpuacct"), *cpu = hdir (cg, "cpu"), *mem = hdir (cg, "memory");
  const char *bl = hdir (cg, "blkio"), *hu = hdir (cg, "hugetlb");
  long hz = sysconf (_SC_CLK_TCK);
  cleanup_strv char **sizes = NULL;

  if (hz <= 0)
    hz = 100;
  key (g, "cpu");
  yajl_gen_map_open (g);
  key (g, "usage");
  yajl_gen_map_open (g);
  num (g, "total", rd (acct, "cpuacct.usage"));
  num_list (g, "percpu", acct, "cpuacct.usage_percpu");
  num_list (g, "percpu_kernel", acct, "cpuacct.usage_percpu_sys");
  num_list (g, "percpu_user", acct, "cpuacct.usage_percpu_user");
  num (g, "kernel", rdk (acct, "cpuacct.stat", "system") * (1000000000ULL / (uint64_t) hz));
  num (g, "user", rdk (acct, "cpuacct.stat", "user") * (1000000000ULL / (uint64_t) hz));
  yajl_gen_map_close (g);
  key (g, "throttling");
  yajl_gen_map_open (g);
  num (g, "periods", rdk (cpu, "cpu.stat", "nr_periods"));
  num (g, "throttledPeriods", rdk (cpu, "cpu.stat", "nr_throttled"));
  num (g, "throttledTime", rdk (cpu, "cpu.stat", "throttled_time"));
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);

  key (g, "memory");
  yajl_gen_map_open (g);
  num (g, "cache", rdk (mem, "memory.stat", "total_cache"));
  entry (g, "usage", rd (mem, "memory.limit_in_bytes"), rd (mem, "memory.usage_in_bytes"),
         rd (mem, "memory.max_usage_in_bytes"), rd (mem, "memory.failcnt"));
  entry (g, "swap", rd (mem, "memory.memsw.limit_in_bytes"), rd (mem, "memory.memsw.usage_in_bytes"),
         rd (mem, "memory.memsw.max_usage_in_bytes"), rd (mem, "memory.memsw.failcnt"));
  entry (g, "kernel", rd (mem, "memory.kmem.limit_in_bytes"), rd (mem, "memory.kmem.usage_in_bytes"),
         rd (mem, "memory.kmem.max_usage_in_bytes"), rd (mem, "memory.kmem.failcnt"));
  entry (g, "kernelTCP", rd (mem, "memory.kmem.tcp.limit_in_bytes"),
         rd (mem, "memory.kmem.tcp.usage_in_bytes"), rd (mem, "memory.kmem.tcp.max_usage_in_bytes"),
         rd (mem, "memory.kmem.tcp.failcnt"));
  key (g, "raw");
  yajl_gen_map_open (g);
  raw_keyed (g, mem, "memory.stat");
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);

  pids (g, hdir (cg, "pids"));

  key (g, "blkio");
  yajl_gen_map_open (g);
  v1_blkio_list (g, "ioServiceBytesRecursive", bl,
                 bl && cg_file_exists (bl, "blkio.io_service_bytes_recursive")
                     ? "blkio.io_service_bytes_recursive"
                     : "blkio.throttle.io_service_bytes_recursive");
  v1_blkio_list (g, "ioServicedRecursive", bl,
                 bl && cg_file_exists (bl, "blkio.io_serviced_recursive") ? "blkio.io_serviced_recursive"
                                                                           : "blkio.throttle.io_serviced_recursive");
  yajl_gen_map_close (g);

  key (g, "hugetlb");
  yajl_gen_map_open (g);
  sizes = hugepage_sizes ();
  for (size_t i = 0; hu && sizes[i]; i++)
    {
      cleanup_free char *u = xasprintf ("hugetlb.%s.usage_in_bytes", sizes[i]);
      cleanup_free char *m = xasprintf ("hugetlb.%s.max_usage_in_bytes", sizes[i]);
      cleanup_free char *f = xasprintf ("hugetlb.%s.failcnt", sizes[i]);
      key (g, sizes[i]);
      yajl_gen_map_open (g);
      num (g, "usage", rd (hu, u));
      num (g, "max", rd (hu, m));
      num (g, "failcnt", rd (hu, f));
      yajl_gen_map_close (g);
    }
  yajl_gen_map_close (g);
  tail (g);
  return 0;
}

/* ---- v2 ----------------------------------------------------------------- */

static void
v2_io (yajl_gen g, const char *d)
{
  static const char *const lists[2][3] = { { "ioServiceBytesRecursive", "rbytes", "wbytes" },
                                           { "ioServicedRecursive", "rios", "wios" } };
  cleanup_free char *s = NULL;
  hull_error_t e = NULL;

  if (cg_read (d, "io.stat", &s, &e) < 0)
    hull_error_free (&e);
  key (g, "blkio");
  yajl_gen_map_open (g);
  for (int l = 0; l < 2; l++)
    {
      cleanup_free char *copy = xstrdup (s ? s : "");
      key (g, lists[l][0]);
      yajl_gen_array_open (g);
      for (char *save = NULL, *line = strtok_r (copy, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
        {
          unsigned maj, min;
          if (sscanf (line, "%u:%u", &maj, &min) != 2)
            continue;
          for (int k = 1; k <= 2; k++)
            {
              cleanup_free char *pat = xasprintf (" %s=", lists[l][k]);
              char *p = strstr (line, pat);
              if (p == NULL)
                continue;
              yajl_gen_map_open (g);
              num (g, "major", maj);
              num (g, "minor", min);
              key (g, "op");
              yajl_gen_string (g, (const unsigned char *) (k == 1 ? "Read" : "Write"), k == 1 ? 4 : 5);
              num (g, "value", strtoull (p + strlen (pat), NULL, 10));
              yajl_gen_map_close (g);
            }
        }
      yajl_gen_array_close (g);
    }
  yajl_gen_map_close (g);
}

int
cg_v2_stats (struct hull_cgroup *cg, yajl_gen g, hull_error_t *err)
{
  const char *d = cg->h[0].dir;
  cleanup_strv char **sizes = NULL;
  uint64_t max = rd (d, "memory.max"), swmax = rd (d, "memory.swap.max");

  key (g, "cpu");
  yajl_gen_map_open (g);
  key (g, "usage");
  yajl_gen_map_open (g);
  num (g, "total", rdk (d, "cpu.stat", "usage_usec") * 1000);
  key (g, "percpu");
  yajl_gen_array_open (g);
  yajl_gen_array_close (g);
  num (g, "kernel", rdk (d, "cpu.stat", "system_usec") * 1000);
  num (g, "user", rdk (d, "cpu.stat", "user_usec") * 1000);
  yajl_gen_map_close (g);
  key (g, "throttling");
  yajl_gen_map_open (g);
  num (g, "periods", rdk (d, "cpu.stat", "nr_periods"));
  num (g, "throttledPeriods", rdk (d, "cpu.stat", "nr_throttled"));
  num (g, "throttledTime", rdk (d, "cpu.stat", "throttled_usec") * 1000);
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);

  key (g, "memory");
  yajl_gen_map_open (g);
  num (g, "cache", rdk (d, "memory.stat", "file"));
  entry (g, "usage", max, rd (d, "memory.current"), rd (d, "memory.peak"), rdk (d, "memory.events", "max"));
  /* like v1 memsw: swap entry counts memory plus swap */
  entry (g, "swap", (max == UINT64_MAX || swmax == UINT64_MAX) ? UINT64_MAX : max + swmax,
         rd (d, "memory.swap.current") + rd (d, "memory.current"), 0, rdk (d, "memory.swap.events", "max"));
  key (g, "raw");
  yajl_gen_map_open (g);
  raw_keyed (g, d, "memory.stat");
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);

  pids (g, d);
  v2_io (g, d);

  key (g, "hugetlb");
  yajl_gen_map_open (g);
  sizes = hugepage_sizes ();
  for (size_t i = 0; sizes[i]; i++)
    {
      cleanup_free char *u = xasprintf ("hugetlb.%s.current", sizes[i]);
      cleanup_free char *m = xasprintf ("hugetlb.%s.events", sizes[i]);
      if (!cg_file_exists (d, u))
        continue;
      key (g, sizes[i]);
      yajl_gen_map_open (g);
      num (g, "usage", rd (d, u));
      num (g, "max", 0);
      num (g, "failcnt", rdk (d, m, "max"));
      yajl_gen_map_close (g);
    }
  yajl_gen_map_close (g);
  tail (g);
  return 0;
}
