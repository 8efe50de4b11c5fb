/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the cgroup logic that needs no cgroup: path computation,
 * systemd names, v1->v2 conversions, /proc/self/cgroup and mountinfo
 * parsing, device rules (v1 lines and the eBPF program, run by a small
 * interpreter), unified key validation and the serialized form.
 */
#include <config.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../unit/tap.h"
#include "cgroup.h"
#include "cgroup_internal.h"
#include "utils.h"

/* ---- a tiny interpreter for the instructions cg_ebpf_build emits ---- */

static int
run_prog (const struct bpf_insn *p, size_t n, uint32_t type, uint32_t access, uint32_t major,
          uint32_t minor)
{
  uint32_t ctx[3] = { (access << 16) | type, major, minor };
  uint64_t r[11] = { 0 };
  size_t pc = 0;

  for (int steps = 0; steps < 10000; steps++)
    {
      const struct bpf_insn *i;
      if (pc >= n)
        return -1; /* fell off the end or jumped outside */
      i = &p[pc++];
      switch (i->code)
        {
        case BPF_LDX | BPF_MEM | BPF_W:
          if (i->src_reg != 1 || i->off < 0 || i->off > 8 || i->off % 4)
            return -2;
          r[i->dst_reg] = ctx[i->off / 4];
          break;
        case BPF_ALU | BPF_AND | BPF_K:
          r[i->dst_reg] = (uint32_t) r[i->dst_reg] & (uint32_t) i->imm;
          break;
        case BPF_ALU | BPF_RSH | BPF_K:
          r[i->dst_reg] = (uint32_t) r[i->dst_reg] >> i->imm;
          break;
        case BPF_ALU | BPF_MOV | BPF_X:
          r[i->dst_reg] = (uint32_t) r[i->src_reg];
          break;
        case BPF_ALU64 | BPF_MOV | BPF_K:
          r[i->dst_reg] = (uint64_t) (int64_t) i->imm;
          break;
        case BPF_JMP | BPF_JNE | BPF_K:
          if (r[i->dst_reg] != (uint64_t) (int64_t) i->imm)
            pc += (size_t) i->off;
          break;
        case BPF_JMP | BPF_JEQ | BPF_K:
          if (r[i->dst_reg] == (uint64_t) (int64_t) i->imm)
            pc += (size_t) i->off;
          break;
        case BPF_JMP | BPF_EXIT:
          return (int) r[0];
        default:
          return -3;
        }
    }
  return -4;
}

#define C BPF_DEVCG_DEV_CHAR
#define B BPF_DEVCG_DEV_BLOCK
#define RD BPF_DEVCG_ACC_READ
#define WR BPF_DEVCG_ACC_WRITE
#define MK BPF_DEVCG_ACC_MKNOD

static struct hull_device_cgroup
rule (bool allow, char type, int64_t maj, int64_t min, const char *access)
{
  struct hull_device_cgroup d = { .allow = allow, .type = type, .access = (char *) access };
  if (maj >= 0)
    d.major = (hull_opt_i64){ true, maj };
  if (min >= 0)
    d.minor = (hull_opt_i64){ true, min };
  return d;
}

static void
test_ebpf (void)
{
  struct hull_cgroup cg = { 0 };
  struct hull_resources r = { 0 };
  struct hull_device_cgroup user[] = {
    rule (true, 'c', 10, 200, "r"),  /* read only */
    rule (true, 'b', 8, -1, "rw"),   /* any sda partition */
    rule (false, 'c', 1, 3, "w"),    /* overridden by the default allow of /dev/null below */
  };
  struct hull_device dev = { .type = 'c', .major = 4, .minor = 64 };
  struct hull_device_cgroup *rules;
  struct bpf_insn *p;
  size_t nr, n;

  r.devices = user;
  r.devices_len = 3;
  hull_cgroup_allow_devices (&cg, &dev, 1);
  cg_device_rules (&cg, &r, &rules, &nr);
  ok (rules[0].type == 'a' && !rules[0].allow, "device rules start with deny all");
  p = cg_ebpf_build (rules, nr, &n);
  ok (n > 10, "program has %zu instructions", n);
  ok (run_prog (p, n, C, RD, 1, 3) == 1, "/dev/null read allowed");
  ok (run_prog (p, n, C, WR, 1, 3) == 1, "/dev/null write allowed (default rule comes last)");
  ok (run_prog (p, n, C, RD, 1, 1) == 0, "/dev/mem denied");
  ok (run_prog (p, n, C, MK, 1, 1) == 1, "mknod of any char device allowed");
  ok (run_prog (p, n, C, RD, 10, 200) == 1, "tun read allowed");
  ok (run_prog (p, n, C, WR, 10, 200) == 0, "tun write denied");
  ok (run_prog (p, n, B, WR, 8, 1) == 1, "block 8:1 write allowed (minor wildcard)");
  ok (run_prog (p, n, B, RD, 9, 1) == 0, "block 9:1 denied");
  ok (run_prog (p, n, C, RD | WR, 4, 64) == 1, "linux.devices entry 4:64 allowed");
  ok (run_prog (p, n, C, RD, 136, 7) == 1, "pts allowed");
  free (p);
  free (rules);
  free (cg.extra_devs);

  {
    struct hull_device_cgroup v[] = { rule (true, 'a', -1, -1, NULL), rule (false, 'c', 1, 3, "w") };
    p = cg_ebpf_build (v, 2, &n);
    ok (run_prog (p, n, C, RD, 1, 3) == 1 && run_prog (p, n, C, WR, 1, 3) == 0,
        "allow all then deny w on 1:3: read ok, write denied");
    ok (run_prog (p, n, B, WR, 8, 0) == 1, "allow all: block write allowed");
    free (p);
  }
  {
    struct hull_device_cgroup v[] = { rule (true, 'c', 1, 3, "rwm"), rule (false, 'a', -1, -1, "r") };
    p = cg_ebpf_build (v, 2, &n);
    ok (run_prog (p, n, C, WR, 1, 3) == 0, "a later \"deny a\" overrides earlier allows (as in v1)");
    free (p);
  }
  p = cg_ebpf_build (NULL, 0, &n);
  ok (run_prog (p, n, C, RD, 1, 3) == 0, "no rules: deny");
  free (p);
}

static void
test_paths (void)
{
  char *s;

  s = cg_inner_path ("ctr1", NULL);
  is_str (s, "ctr1", "absent cgroupsPath -> id (relative)");
  free (s);
  s = cg_inner_path ("ctr1", "/a/b/../c//d/.");
  is_str (s, "/a/c/d", "absolute path cleaned");
  free (s);
  s = cg_inner_path ("ctr1", "../../etc/x");
  is_str (s, "etc/x", "relative path cannot climb");
  free (s);
  s = cg_inner_path ("ctr1", "/../../x");
  is_str (s, "/x", "absolute path cannot climb above the root");
  free (s);

  s = cg_hier_dir ("/sys/fs/cgroup/memory", "/", "/process_api/abc", "t1", false);
  is_str (s, "/sys/fs/cgroup/memory/process_api/abc/t1", "v1 relative: below own cgroup");
  free (s);
  s = cg_hier_dir ("/sys/fs/cgroup/memory", "/", "/process_api/abc", "/hulltest-1", false);
  is_str (s, "/sys/fs/cgroup/memory/hulltest-1", "absolute: from the hierarchy root");
  free (s);
  s = cg_hier_dir ("/sys/fs/cgroup/cpu,cpuacct", "/docker/x", "/docker/x/sub", "t", false);
  is_str (s, "/sys/fs/cgroup/cpu,cpuacct/sub/t", "mount root stripped from own path");
  free (s);
  s = cg_hier_dir ("/sys/fs/cgroup", "/", "/user.slice/session-1.scope", "t", true);
  is_str (s, "/sys/fs/cgroup/user.slice/t", "v2 relative: below the parent of own cgroup");
  free (s);
  s = cg_hier_dir ("/sys/fs/cgroup", "/", "/", "t", true);
  is_str (s, "/sys/fs/cgroup/t", "v2 relative from the root");
  free (s);
  s = cg_hier_dir ("/sys/fs/cgroup", "/", "/init.scope", "a/b", true);
  is_str (s, "/sys/fs/cgroup/a/b", "v2 relative from a first-level cgroup");
  free (s);
}

static void
test_systemd (void)
{
  char *slice = NULL, *unit = NULL, *p = NULL;
  hull_error_t err = NULL;

  ok (cg_systemd_names ("c1", NULL, false, &slice, &unit, &err) == 0, "systemd default names");
  is_str (slice, "system.slice", "default slice");
  is_str (unit, "hull-c1.scope", "default unit");
  free (slice);
  free (unit);
  ok (cg_systemd_names ("c1", "machine.slice:libpod:abc", false, &slice, &unit, &err) == 0,
      "slice:prefix:name parsed");
  is_str (slice, "machine.slice", "slice");
  is_str (unit, "libpod-abc.scope", "unit prefix-name.scope");
  free (slice);
  free (unit);
  ok (cg_systemd_names ("c1", ":pre:n", true, &slice, &unit, &err) == 0, "empty slice");
  is_str (slice, "user.slice", "rootless default slice");
  free (slice);
  free (unit);
  ok (cg_systemd_names ("c1", "system.slice:x:foo.slice", false, &slice, &unit, &err) == 0
          && strcmp (unit, "foo.slice") == 0,
      "name ending in .slice used as is");
  free (slice);
  free (unit);
  ok (cg_systemd_names ("c1", "a:b", false, &slice, &unit, &err) < 0 && err
          && strstr (err->msg, "slice:prefix:name"),
      "two fields rejected: %s", err ? err->msg : "");
  hull_error_free (&err);
  ok (cg_systemd_names ("c1", "foo:b:c", false, &slice, &unit, &err) < 0, "slice without .slice rejected");
  hull_error_free (&err);

  ok (cg_systemd_slice_path ("a-b-c.slice", &p, &err) == 0, "slice path");
  is_str (p, "/a.slice/a-b.slice/a-b-c.slice", "nested slice expanded");
  free (p);
  ok (cg_systemd_slice_path ("system.slice", &p, &err) == 0, "system.slice");
  is_str (p, "/system.slice", "simple slice");
  free (p);
  ok (cg_systemd_slice_path ("-.slice", &p, &err) == 0 && strcmp (p, "") == 0, "root slice is \"\"");
  free (p);
  ok (cg_systemd_slice_path ("a--b.slice", &p, &err) < 0, "a--b.slice rejected");
  hull_error_free (&err);
  ok (cg_systemd_slice_path ("a/b.slice", &p, &err) < 0, "slash in slice rejected");
  hull_error_free (&err);
}

static void
test_conversions (void)
{
  int64_t v = 0;
  hull_error_t err = NULL;

  ok (cg_shares_to_weight (2) == 1, "shares 2 -> weight 1");
  ok (cg_shares_to_weight (1024) == 39, "shares 1024 -> weight 39 (got %llu)",
      (unsigned long long) cg_shares_to_weight (1024));
  ok (cg_shares_to_weight (262144) == 10000, "shares 262144 -> weight 10000");
  ok (cg_shares_to_weight (512) == 1 + (510 * 9999) / 262142, "shares 512 formula");
  ok (cg_shares_to_weight (0) == 0, "shares 0 = unset");
  ok (cg_blkio_to_io_weight (10) == 1 && cg_blkio_to_io_weight (1000) == 10000, "blkio weight range");
  ok (cg_blkio_to_io_weight (500) == 4950, "blkio 500 -> io 4950");

  ok (cg_swap_to_v2 (-1, 100, &v, &err) == 0 && v == -1, "swap -1 -> max");
  ok (cg_swap_to_v2 (0, 100, &v, &err) == 1, "swap 0 -> not written");
  ok (cg_swap_to_v2 (300, 100, &v, &err) == 0 && v == 200, "swap 300 limit 100 -> 200");
  ok (cg_swap_to_v2 (100, 100, &v, &err) == 0 && v == 0, "swap == limit -> no swap");
  ok (cg_swap_to_v2 (50, 100, &v, &err) < 0 && strstr (err->msg, "memory.swap"), "swap < limit rejected");
  hull_error_free (&err);
  ok (cg_swap_to_v2 (100, 0, &v, &err) < 0, "swap without limit rejected");
  hull_error_free (&err);

  ok (cg_hugepage_bytes ("2MB") == 2u << 20, "2MB");
  ok (cg_hugepage_bytes ("1GB") == 1u << 30, "1GB");
  ok (cg_hugepage_bytes ("64KB") == 64u << 10, "64KB");
  ok (cg_hugepage_bytes ("2mb") == 0 && cg_hugepage_bytes ("MB") == 0, "bad sizes rejected");
}

static const char proc_cgroup[] = "9:name=systemd:/\n8:pids:/\n4:memory:/process_api/c26d\n"
                                  "2:cpu,cpuacct:/x\n0::/init.scope\n";

static const char mountinfo[] =
    "22 1 0:21 / / rw,relatime - ext4 /dev/vda rw\n"
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:9 - cgroup cgroup rw,cpu,cpuacct\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n"
    "50 22 0:32 /sub /mnt/my\\040mem rw,relatime - cgroup cgroup rw,memory\n"
    "51 22 0:40 /a /mnt/x rw - cgroup cgroup rw,release_agent=/bin/x,pids\n";

static void
test_parsing (void)
{
  struct cg_proc_entry *e = NULL;
  struct cg_mount *m = NULL;
  size_t n = 0;
  hull_error_t err = NULL;

  ok (cg_parse_proc_cgroup (proc_cgroup, &e, &n, &err) == 0 && n == 5, "/proc/self/cgroup: 5 entries");
  if (n == 5)
    {
      is_str (e[0].controllers, "name=systemd", "named hierarchy");
      is_str (e[2].path, "/process_api/c26d", "memory path");
      is_str (e[3].controllers, "cpu,cpuacct", "co-mounted controllers");
      is_str (e[4].controllers, "", "cgroup2 entry");
      is_str (e[4].path, "/init.scope", "cgroup2 path");
    }
  cg_proc_entries_free (e, n);
  ok (cg_parse_proc_cgroup ("garbage\n", &e, &n, &err) < 0 && err, "malformed /proc/self/cgroup rejected");
  hull_error_free (&err);

  ok (cg_parse_mountinfo (mountinfo, &m, &n, &err) == 0, "mountinfo parsed");
  ok (n == 5, "5 hierarchies (duplicate memory mount skipped, got %zu)", n);
  if (n == 5)
    {
      is_str (m[0].mountpoint, "/sys/fs/cgroup/cpu,cpuacct", "cpu,cpuacct mountpoint");
      is_str (m[0].controllers, "cpu,cpuacct", "cpu,cpuacct controllers");
      is_str (m[2].controllers, "name=systemd", "xattr option dropped");
      ok (m[3].v2 && strcmp (m[3].controllers, "") == 0, "cgroup2 mount");
      is_str (m[4].controllers, "pids", "release_agent option dropped");
      is_str (m[4].root, "/a", "mount root");
    }
  cg_mounts_free (m, n);
  ok (cg_parse_mountinfo ("1 2 3\n 4 - cgroup\n", &m, &n, &err) < 0, "short mountinfo line rejected");
  hull_error_free (&err);

  ok (cg_same_controllers ("cpu,cpuacct", "cpuacct,cpu"), "controller lists compare as sets");
  ok (!cg_same_controllers ("cpu", "cpuacct"), "cpu != cpuacct");
  ok (!cg_same_controllers ("cpu", "cpu,cpuacct"), "cpu != cpu,cpuacct");
  ok (cg_same_controllers ("", ""), "cgroup2 matches cgroup2");
  ok (!cg_same_controllers ("", "cpu"), "cgroup2 does not match cpu");
}

static void
test_devices_v1 (void)
{
  struct hull_device_cgroup d = rule (true, 'c', 1, 3, "rwm");
  char *s = cg_device_rule_v1 (&d);
  is_str (s, "c 1:3 rwm", "char device line");
  free (s);
  d = rule (true, 'c', 136, -1, "rw");
  s = cg_device_rule_v1 (&d);
  is_str (s, "c 136:* rw", "minor wildcard");
  free (s);
  d = rule (false, 'a', -1, -1, NULL);
  s = cg_device_rule_v1 (&d);
  is_str (s, "a *:* rwm", "deny all");
  free (s);
  d = rule (true, 0, -1, -1, "");
  s = cg_device_rule_v1 (&d);
  is_str (s, "a *:* rwm", "absent type and access");
  free (s);
}

static void
test_unified (void)
{
  static const char *const good[] = { "memory.high", "cpu.weight", "io.max", "pids.max", "memory.oom.group",
                                      NULL };
  static const char *const bad[] = { "", "..", ".", "../memory.max", "memory/../../x", "memory", "foo.bar",
                                     "cgroup.procs", "cgroup.subtree_control", ".memory", "memory.", NULL };
  hull_error_t err = NULL;

  for (int i = 0; good[i]; i++)
    ok (cg_unified_key_check (good[i], &err) == 0, "unified key \"%s\" accepted", good[i]);
  for (int i = 0; bad[i]; i++)
    {
      ok (cg_unified_key_check (bad[i], &err) < 0 && err && strstr (err->msg, "linux.resources.unified"),
          "unified key \"%s\" rejected: %s", bad[i], err ? err->msg : "");
      hull_error_free (&err);
    }
}

static void
test_serialize (void)
{
  struct hull_cgroup *cg = xmalloc0 (sizeof *cg), *back;
  static const char weird[] = "a b%c|d\"e\\f=g\ttab";
  hull_error_t err = NULL;
  char *s, *s2, *e, *u;

  e = cg_escape (weird);
  ok (strpbrk (e, " \"\\|=\t%") == NULL || (strchr (e, '%') && !strpbrk (e, " \"\\|=\t")),
      "escaped form has no blanks, quotes, backslashes or separators: %s", e);
  u = cg_unescape (e);
  is_str (u, weird, "escape round trip");
  free (e);
  free (u);
  ok (cg_unescape ("bad%zz") == NULL && cg_unescape ("nul%00") == NULL, "bad escapes rejected");

  cg->clone_fd = -1;
  cg->mode = CG_MODE_V1;
  cg->id = xstrdup ("my id");
  cg->nh = 2;
  cg->h = xmalloc0 (2 * sizeof *cg->h);
  cg->h[0] = (struct cg_hier){ xstrdup ("cpu,cpuacct"), xstrdup ("/sys/fs/cgroup/cpu,cpuacct"),
                               xstrdup ("/sys/fs/cgroup/cpu,cpuacct/a b/c"), 2 };
  cg->h[1] = (struct cg_hier){ xstrdup ("name=systemd"), xstrdup ("/sys/fs/cgroup/systemd"),
                               xstrdup ("/sys/fs/cgroup/systemd/x"), 0 };
  cg->ops = &cg_v1_ops;
  s = hull_cgroup_serialize (cg);
  ok (strpbrk (s, "\"\\\n\t") == NULL, "serialized form is JSON-string safe: %s", s);
  back = hull_cgroup_deserialize (s, &err);
  ok (back != NULL, "deserialize");
  if (back)
    {
      is_str (back->id, "my id", "id restored");
      ok (back->mode == CG_MODE_V1 && back->nh == 2, "mode and hierarchies restored");
      is_str (back->h[0].dir, "/sys/fs/cgroup/cpu,cpuacct/a b/c", "dir restored");
      is_str (back->h[1].name, "name=systemd", "name restored");
      ok (back->h[0].created == 2, "created count restored");
      is_str (hull_cgroup_path (back, "cpuacct"), "/sys/fs/cgroup/cpu,cpuacct/a b/c", "path by controller");
      is_str (hull_cgroup_path (back, "memory"), "", "unknown controller -> \"\"");
      s2 = hull_cgroup_serialize (back);
      is_str (s2, s, "re-serialized identically");
      free (s2);
    }
  hull_cgroup_free (back);

  cg->systemd = true;
  cg->slice = xstrdup ("machine.slice");
  cg->unit = xstrdup ("libpod-x.scope");
  free (s);
  s = hull_cgroup_serialize (cg);
  back = hull_cgroup_deserialize (s, &err);
  ok (back && back->systemd && strcmp (back->unit, "libpod-x.scope") == 0, "systemd fields restored");
  hull_cgroup_free (back);
  free (s);
  hull_cgroup_free (cg);

  static const char *const bad[] = { "", "garbage", "hullcg1 mode=v3 id=x", "hullcg1 mode=v1 id=x",
                                     "hullcg1 mode=v1 id=x h=a|b|c|1", "hullcg1 mode=v1 id=x h=a|/b|/c",
                                     "hullcg1 mode=v2 id=x h=|/b|/c|-1", "hullcg1 mode=none id=x bogus=1", NULL };
  for (int i = 0; bad[i]; i++)
    {
      back = hull_cgroup_deserialize (bad[i], &err);
      ok (back == NULL && err && strstr (err->msg, "invalid cgroup record"), "bad record \"%s\" rejected",
          bad[i]);
      hull_error_free (&err);
    }
  back = hull_cgroup_deserialize ("hullcg1 mode=none sd=0 rl=1 id=x", &err);
  ok (back && strcmp (hull_cgroup_mode_name (back), "none") == 0, "none record accepted");
  hull_cgroup_free (back);
}

static void
test_misc (void)
{
  struct hull_cgroup cg = { 0 };
  struct cg_hier h[3] = { { (char *) "cpu,cpuacct", (char *) "/m", (char *) "/m/x", 0 },
                          { (char *) "name=systemd", (char *) "/s", (char *) "/s/x", 0 },
                          { (char *) "", (char *) "/u", (char *) "/u/x", 0 } };
  struct hull_resources r = { 0 };

  cg.h = h;
  cg.nh = 3;
  ok (cg_hier_find (&cg, "cpuacct") == &h[0], "find a co-mounted controller");
  ok (cg_hier_find (&cg, "cpuset") == NULL, "cpuset not found");
  ok (cg_hier_find (&cg, "name=systemd") == &h[1], "find named hierarchy");
  ok (cg_hier_find (&cg, "") == &h[2], "find the cgroup2 hierarchy");
  ok (!cg_resources_requested (NULL) && !cg_resources_requested (&r), "no limits requested");
  r.devices_len = 3;
  ok (!cg_resources_requested (&r), "device rules alone are no limit");
  r.pids_limit = (hull_opt_i64){ true, 0 };
  ok (!cg_resources_requested (&r), "pids limit 0 (unlimited) is no limit");
  r.pids_limit = (hull_opt_i64){ true, 5 };
  ok (cg_resources_requested (&r), "pids limit 5 is a limit");
}

/* libsystemd is dlopen'ed by the systemd driver, not linked: a library that
   cannot be loaded or lacks a symbol is refused, leaving nothing loaded. */
static void
test_systemd_load (void)
{
  hull_error_t err = NULL;
#ifdef HAVE_SYSTEMD
  void *h = dlopen ("libsystemd.so.0", RTLD_NOW | RTLD_NOLOAD);

  ok (h == NULL, "libsystemd is not loaded before the driver needs it");
  if (h != NULL)
    dlclose (h);
  ok (cg_systemd_load ("libhull-test-missing.so.0", &err) < 0 && err != NULL
          && strstr (err->msg, "--systemd-cgroup: cannot load libhull-test-missing.so.0 (") == err->msg
          && strstr (err->msg, "): install libsystemd0") != NULL,
      "a missing library is a clear error");
  if (err)
    diag ("%s", err->msg);
  hull_error_free (&err);
  /* libc loads but has no sd_bus_* symbol */
  ok (cg_systemd_load ("libc.so.6", &err) < 0 && err != NULL && strstr (err->msg, "sd_bus_open_system") != NULL,
      "a library without the sd-bus symbols is refused, naming the first one missing");
  if (err)
    diag ("%s", err->msg);
  hull_error_free (&err);
  ok (cg_systemd_load (NULL, &err) == 0, "libsystemd.so.0 loads and every sd-bus symbol resolves");
  if (err)
    diag ("%s", err->msg);
  hull_error_free (&err);
  h = dlopen ("libsystemd.so.0", RTLD_NOW | RTLD_NOLOAD);
  ok (h != NULL, "libsystemd is loaded afterwards");
  if (h != NULL)
    dlclose (h);
  ok (cg_systemd_load ("libhull-test-missing.so.0", &err) == 0, "a second load reuses the first");
  hull_error_free (&err);
#else
  ok (cg_systemd_load (NULL, &err) < 0 && err != NULL && strstr (err->msg, "without systemd support") != NULL,
      "a build without systemd refuses the driver");
  hull_error_free (&err);
#endif
}

static void
mkdir_p_for_test (const char *path)
{
  cleanup_free char *cmd = xasprintf ("mkdir -p '%s'", path);
  if (system (cmd) != 0)
    diag ("mkdir -p %s failed", path);
}

/* The join of a v1 cgroup: one `tasks` fd per v1 hierarchy, the freezer
   last, the cgroup2 one as clone_fd; the process writes "0" to each. */
static void
test_join (void)
{
  char root[] = "/tmp/hull-unit-join.XXXXXX";
  const char *names[] = { "cpu,cpuacct", "freezer", "memory", "" };
  cleanup_free char *rec = NULL, *rm = NULL;
  struct hull_cgroup *cg;
  struct hull_cgroup_join j;
  hull_error_t err = NULL;
  size_t i;

  if (mkdtemp (root) == NULL)
    return;
  rec = xstrdup ("hullcg1 mode=v1 sd=0 rl=0 id=c");
  for (i = 0; i < 4; i++)
    {
      cleanup_free char *d = xasprintf ("%s/h%zu/c", root, i), *t = xasprintf ("%s/tasks", d);
      char *r;
      mkdir_p_for_test (d);
      if (*names[i])
        write_file_at (AT_FDCWD, t, O_CREAT | O_TRUNC, 0600, "", 0, &err);
      r = xasprintf ("%s h=%s|%s/h%zu|%s|1", rec, i == 0 ? "cpu%2Ccpuacct" : names[i], root, i, d);
      free (rec);
      rec = r;
    }
  cg = hull_cgroup_deserialize (rec, &err);
  ok (cg && hull_cgroup_join_prepare (cg, &j, &err) == 0, "join: prepare a v1 cgroup");
  if (cg && err == NULL)
    {
      ok (j.n == 3 && j.clone_fd >= 0 && !hull_cgroup_join_whole (&j), "join: three tasks fds, the cgroup2 dir for clone");
      ok (j.n == 3 && strstr (j.dirs[2], "/h1/") != NULL, "join: the freezer comes last");
      ok (hull_cgroup_join_self (&j, &err) == 0 && j.n == 0 && j.clone_fd < 0,
          "join: the process writes and closes everything");
      for (i = 0; i < 3; i++)
        {
          cleanup_free char *t = xasprintf ("%s/h%zu/c/tasks", root, i), *text = NULL;
          read_file_at (AT_FDCWD, t, &text, NULL, &err);
          is_str (text, "0", "join: \"0\" written to h%zu/c/tasks", i);
        }
      hull_cgroup_join_release (&j);
      {
        cleanup_free char *t = xasprintf ("%s/h2/c/tasks", root);
        unlink (t);
      }
      ok (hull_cgroup_join_prepare (cg, &j, &err) < 0 && err && strstr (err->msg, "/h2/c/tasks"),
          "join: a missing tasks file is an error naming it");
      ok (j.n == 0 && j.clone_fd < 0 && j.fds == NULL, "join: nothing left open after the error");
    }
  hull_error_free (&err);
  hull_cgroup_free (cg);
  rm = xasprintf ("rm -rf '%s'", root);
  if (system (rm) != 0)
    diag ("could not remove %s", root);
}

int
main (void)
{
  test_paths ();
  test_systemd ();
  test_conversions ();
  test_parsing ();
  test_devices_v1 ();
  test_unified ();
  test_serialize ();
  test_ebpf ();
  test_misc ();
  test_systemd_load ();
  test_join ();
  return tap_done ();
}
