/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hull update: change the resource limits of a container (runc's flags). */
#include <config.h>
#include "verbs.h"
#include "cgroup_container.h"
#include "config.h"
#include "log.h"
#include "utils.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const flags[] = {
  "  -r, --resources FILE         path to a linux.resources JSON file, '-' for stdin",
  "  --blkio-weight N             block I/O weight, 10 to 1000",
  "  --cpu-period N               CPU CFS period in microseconds",
  "  --cpu-quota N                CPU CFS quota in microseconds per period (-1 = unlimited)",
  "  --cpu-rt-period N            CPU realtime period in microseconds",
  "  --cpu-rt-runtime N           CPU realtime runtime in microseconds",
  "  --cpu-shares N               CPU shares (relative weight); --cpu-share is accepted too",
  "  --cpuset-cpus LIST           CPUs the container may use (0-3, 0,1)",
  "  --cpuset-mems LIST           memory nodes the container may use (0-3, 0,1)",
  "  --kernel-memory BYTES        kernel memory limit (deprecated; ignored where unsupported)",
  "  --kernel-memory-tcp BYTES    kernel TCP buffer memory limit",
  "  --memory BYTES               memory limit (suffixes k, m, g, t; -1 = unlimited)",
  "  --memory-reservation BYTES   memory soft limit",
  "  --memory-swap BYTES          memory plus swap limit (-1 = unlimited swap)",
  "  --pids-limit N               maximum number of pids (-1 or 0 = unlimited)",
  "  -h, --help                   show this help",
  NULL,
};

enum
{
  O_BLKIO = 256,
  O_CPU_PERIOD,
  O_CPU_QUOTA,
  O_RT_PERIOD,
  O_RT_RUNTIME,
  O_SHARES,
  O_CPUS,
  O_MEMS,
  O_KMEM,
  O_KMEM_TCP,
  O_MEM,
  O_MEM_RES,
  O_SWAP,
  O_PIDS,
};

/* "512m", "1G", "1024", "-1": binary multiples as runc's RAMInBytes. */
static int
parse_bytes (const char *s, int64_t *out)
{
  char *end = NULL;
  double v;
  int64_t mul = 1;

  if (strcmp (s, "-1") == 0)
    {
      *out = -1;
      return 0;
    }
  if (!isdigit ((unsigned char) *s))
    return -1;
  errno = 0;
  v = strtod (s, &end);
  if (errno || end == s)
    return -1;
  switch (tolower ((unsigned char) *end))
    {
    case '\0':
      break;
    case 'b':
      end++;
      break;
    case 'k':
      mul = 1LL << 10;
      end++;
      break;
    case 'm':
      mul = 1LL << 20;
      end++;
      break;
    case 'g':
      mul = 1LL << 30;
      end++;
      break;
    case 't':
      mul = 1LL << 40;
      end++;
      break;
    case 'p':
      mul = 1LL << 50;
      end++;
      break;
    default:
      return -1;
    }
  if (mul > 1 && (*end == 'b' || *end == 'B'))
    end++;
  if (*end != '\0' || v * (double) mul > 9.2e18)
    return -1;
  *out = (int64_t) (v * (double) mul);
  return 0;
}

static int
bad (const char *flag, const char *v)
{
  return hull_cli_usage ("update", "%s: invalid value \"%s\"", flag, v);
}

HULL_VERB (update)
{
  static const struct option opts[] = {
    { "resources", required_argument, NULL, 'r' },
    { "blkio-weight", required_argument, NULL, O_BLKIO },
    { "cpu-period", required_argument, NULL, O_CPU_PERIOD },
    { "cpu-quota", required_argument, NULL, O_CPU_QUOTA },
    { "cpu-rt-period", required_argument, NULL, O_RT_PERIOD },
    { "cpu-rt-runtime", required_argument, NULL, O_RT_RUNTIME },
    { "cpu-shares", required_argument, NULL, O_SHARES },
    { "cpu-share", required_argument, NULL, O_SHARES },
    { "cpuset-cpus", required_argument, NULL, O_CPUS },
    { "cpuset-mems", required_argument, NULL, O_MEMS },
    { "kernel-memory", required_argument, NULL, O_KMEM },
    { "kernel-memory-tcp", required_argument, NULL, O_KMEM_TCP },
    { "memory", required_argument, NULL, O_MEM },
    { "memory-reservation", required_argument, NULL, O_MEM_RES },
    { "memory-swap", required_argument, NULL, O_SWAP },
    { "pids-limit", required_argument, NULL, O_PIDS },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *file = NULL;
  struct hull_resources fl = { 0 };
  char *cpus = NULL, *mems = NULL;
  struct hull_resources *r = NULL;
  hull_error_t err = NULL;
  int c, ret;

  int li = -1;
  while ((c = getopt_long (argc, argv, "+r:h", opts, &li)) != -1)
    {
      cleanup_free char *name = xasprintf ("--%s", li >= 0 ? opts[li].name : "resources");
      uint64_t u;
      int64_t i;
      switch (c)
        {
        case 'r':
          file = optarg;
          break;
        case 'h':
          hull_cli_help ("Usage: hull update [OPTIONS] ID\n\nUpdate the resource limits of a running "
                         "container.  Only the values given\nare changed.  With -r the file holds a "
                         "linux.resources object; flags\ngiven too override its values.\n\nOptions:",
                         flags);
          return 0;
        case O_BLKIO:
          if (parse_u64 (optarg, &u) < 0 || u > 1000)
            return bad (name, optarg);
          fl.blkio.set = true;
          fl.blkio.weight = (hull_opt_u64){ true, u };
          break;
        case O_CPU_PERIOD:
        case O_RT_PERIOD:
        case O_SHARES:
          if (parse_u64 (optarg, &u) < 0)
            return bad (name, optarg);
          fl.cpu.set = true;
          if (c == O_CPU_PERIOD)
            fl.cpu.period = (hull_opt_u64){ true, u };
          else if (c == O_RT_PERIOD)
            fl.cpu.realtime_period = (hull_opt_u64){ true, u };
          else
            fl.cpu.shares = (hull_opt_u64){ true, u };
          break;
        case O_CPU_QUOTA:
        case O_RT_RUNTIME:
          if (parse_i64 (optarg, &i) < 0)
            return bad (name, optarg);
          fl.cpu.set = true;
          if (c == O_CPU_QUOTA)
            fl.cpu.quota = (hull_opt_i64){ true, i };
          else
            fl.cpu.realtime_runtime = (hull_opt_i64){ true, i };
          break;
        case O_CPUS:
          fl.cpu.set = true;
          cpus = optarg;
          break;
        case O_MEMS:
          fl.cpu.set = true;
          mems = optarg;
          break;
        case O_KMEM:
        case O_KMEM_TCP:
        case O_MEM:
        case O_MEM_RES:
        case O_SWAP:
          if (parse_bytes (optarg, &i) < 0)
            return bad (name, optarg);
          fl.memory.set = true;
          if (c == O_KMEM)
            fl.memory.kernel = (hull_opt_i64){ true, i };
          else if (c == O_KMEM_TCP)
            fl.memory.kernel_tcp = (hull_opt_i64){ true, i };
          else if (c == O_MEM)
            fl.memory.limit = (hull_opt_i64){ true, i };
          else if (c == O_MEM_RES)
            fl.memory.reservation = (hull_opt_i64){ true, i };
          else
            fl.memory.swap = (hull_opt_i64){ true, i };
          break;
        case O_PIDS:
          if (parse_i64 (optarg, &i) < 0)
            return bad (name, optarg);
          fl.pids_limit = (hull_opt_i64){ true, i };
          break;
        default:
          return hull_cli_usage ("update", "unknown option \"%s\"", argv[optind - 1]);
        }
      li = -1;
    }
  if ((ret = hull_cli_want_args ("update", argc, argv, optind, 1, "container ID")) != 0)
    return ret;

  if (file)
    {
      cleanup_free char *text = NULL;
      size_t len = 0;
      int rc = strcmp (file, "-") == 0 ? read_all_fd (0, "stdin", &text, &len, &err)
                                       : read_file_at (AT_FDCWD, file, &text, &len, &err);
      if (rc < 0)
        return hull_cli_fail (&err);
      r = hull_resources_parse (text, len, strcmp (file, "-") == 0 ? "stdin" : file, &err);
      if (r == NULL)
        return hull_cli_fail (&err);
    }
  else
    r = xmalloc0 (sizeof *r);

  /* flags override the file, field by field */
#define OVR(f) \
  if (fl.f.set) \
  r->f = fl.f
  OVR (memory.limit);
  OVR (memory.reservation);
  OVR (memory.swap);
  OVR (memory.kernel);
  OVR (memory.kernel_tcp);
  OVR (cpu.shares);
  OVR (cpu.quota);
  OVR (cpu.period);
  OVR (cpu.realtime_period);
  OVR (cpu.realtime_runtime);
  OVR (blkio.weight);
  OVR (pids_limit);
#undef OVR
  r->memory.set |= fl.memory.set;
  r->cpu.set |= fl.cpu.set;
  r->blkio.set |= fl.blkio.set;
  if (cpus)
    {
      free (r->cpu.cpus);
      r->cpu.cpus = xstrdup (cpus);
    }
  if (mems)
    {
      free (r->cpu.mems);
      r->cpu.mems = xstrdup (mems);
    }
  if (r->devices_len)
    hull_warn ("update: linux.resources.devices cannot be changed on a live container; ignored");

  ret = hull_container_update (g->root, argv[optind], r, &err);
  hull_resources_free (r);
  if (ret < 0)
    return hull_cli_fail (&err);
  return 0;
}
