/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup v2 device controller: a BPF_PROG_TYPE_CGROUP_DEVICE program,
 * assembled here from raw instructions (no libbpf, no compiler), attached
 * to the container's cgroup with BPF_CGROUP_DEVICE.
 *
 * Semantics follow the v1 devices.allow/deny lists: the rules are applied
 * in order starting from "deny all", so the program tests them from last to
 * first and the first match decides; a type 'a' rule matches every device
 * (as "a" does in v1) and ends the search; no match means deny.  An allow
 * rule matches when the requested access is a subset of its access, a deny
 * rule when they share a bit.
 *
 * Program layout (r1 = struct bpf_cgroup_dev_ctx *):
 *   r2 = type (access_type & 0xffff)   r3 = access (access_type >> 16)
 *   r4 = major                         r5 = minor
 *   per rule: [if r2 != T goto next] [r6 = r3 & M; if r6 ? 0 goto next]
 *             [if r4 != MAJ goto next] [if r5 != MIN goto next]
 *             r0 = allow; exit
 *   r0 = 0; exit
 *
 * Memory for BPF programs is charged to the memory cgroup since Linux 5.11;
 * older kernels charge RLIMIT_MEMLOCK, which hull does not raise.
 */
#include <config.h>

#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cgroup_internal.h"
#include "log.h"
#include "utils.h"

#define INSN(c, d, s, o, i) \
  ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define LDX_W(dst, src, off) INSN (BPF_LDX | BPF_MEM | BPF_W, dst, src, off, 0)
#define ALU32_K(op, dst, k) INSN (BPF_ALU | (op) | BPF_K, dst, 0, 0, k)
#define MOV32_X(dst, src) INSN (BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0)
#define MOV64_K(dst, k) INSN (BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, k)
#define JMP_K(op, dst, k, off) INSN (BPF_JMP | (op) | BPF_K, dst, 0, off, k)
#define EXIT() INSN (BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static int
access_mask (const char *a)
{
  int m = 0;
  for (a = a && *a ? a : "rwm"; *a; a++)
    m |= *a == 'r' ? BPF_DEVCG_ACC_READ : *a == 'w' ? BPF_DEVCG_ACC_WRITE : *a == 'm' ? BPF_DEVCG_ACC_MKNOD : 0;
  return m;
}

struct bpf_insn *
cg_ebpf_build (const struct hull_device_cgroup *rules, size_t n_rules, size_t *n)
{
  const int all = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD;
  struct bpf_insn *p = xmalloc ((8 + 8 * n_rules) * sizeof *p);
  bool ended = false; /* an "a" rule exits on every path: nothing may follow it */
  size_t k = 0;

  p[k++] = LDX_W (BPF_REG_2, BPF_REG_1, 0);
  p[k++] = ALU32_K (BPF_AND, BPF_REG_2, 0xffff);
  p[k++] = LDX_W (BPF_REG_3, BPF_REG_1, 0);
  p[k++] = ALU32_K (BPF_RSH, BPF_REG_3, 16);
  p[k++] = LDX_W (BPF_REG_4, BPF_REG_1, 4);
  p[k++] = LDX_W (BPF_REG_5, BPF_REG_1, 8);

  for (size_t i = n_rules; i-- > 0;)
    {
      const struct hull_device_cgroup *r = &rules[i];
      char type = r->type ? r->type : 'a';
      int mask = access_mask (r->access);
      bool wild = type == 'a';
      bool t = !wild, acc = !wild && mask != all;
      bool maj = !wild && r->major.set && r->major.value >= 0;
      bool min = !wild && r->minor.set && r->minor.value >= 0;
      int len = (t ? 1 : 0) + (acc ? 3 : 0) + (maj ? 1 : 0) + (min ? 1 : 0) + 2, pos = 0;

      if (mask == 0 && !wild)
        continue; /* grants or takes nothing */
      if (t)
        {
          p[k++] = JMP_K (BPF_JNE, BPF_REG_2, type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR,
                          len - pos - 1);
          pos++;
        }
      if (acc)
        {
          p[k++] = MOV32_X (BPF_REG_6, BPF_REG_3);
          /* allow: no requested bit outside the rule; deny: some requested bit inside it */
          p[k++] = ALU32_K (BPF_AND, BPF_REG_6, r->allow ? (~mask & all) : mask);
          pos += 2;
          p[k++] = JMP_K (r->allow ? BPF_JNE : BPF_JEQ, BPF_REG_6, 0, len - pos - 1);
          pos++;
        }
      if (maj)
        {
          p[k++] = JMP_K (BPF_JNE, BPF_REG_4, (int32_t) r->major.value, len - pos - 1);
          pos++;
        }
      if (min)
        {
          p[k++] = JMP_K (BPF_JNE, BPF_REG_5, (int32_t) r->minor.value, len - pos - 1);
          pos++;
        }
      p[k++] = MOV64_K (BPF_REG_0, r->allow ? 1 : 0);
      p[k++] = EXIT ();
      if (wild)
        {
          ended = true;
          break; /* everything before an "a" rule is overridden by it */
        }
    }
  /* No match: deny.  Not after an "a" rule, where the verifier would reject
     the tail as unreachable (EINVAL). */
  if (!ended)
    {
      p[k++] = MOV64_K (BPF_REG_0, 0);
      p[k++] = EXIT ();
    }
  *n = k;
  return p;
}

static int
sys_bpf (int cmd, union bpf_attr *attr)
{
  return (int) syscall (SYS_bpf, cmd, attr, sizeof *attr);
}

/* Kernel older than 5.11 (where BPF memory is charged to RLIMIT_MEMLOCK)? */
static bool
memlock_kernel (void)
{
  struct utsname u;
  int maj = 0, min = 0;
  if (uname (&u) < 0 || sscanf (u.release, "%d.%d", &maj, &min) != 2)
    return false;
  return maj < 5 || (maj == 5 && min < 11);
}

static int
load (const struct bpf_insn *insns, size_t n, hull_error_t *err)
{
  static char log[8192];
  union bpf_attr a;
  int fd;

  memset (&a, 0, sizeof a);
  a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  a.insns = (uint64_t) (uintptr_t) insns;
  a.insn_cnt = (uint32_t) n;
  a.license = (uint64_t) (uintptr_t) "GPL";
  log[0] = '\0';
  /* Without a verifier log first: logging makes every load several times slower. */
  fd = sys_bpf (BPF_PROG_LOAD, &a);
  if (fd < 0 && (errno == EINVAL || errno == EACCES))
    {
      /* refused by the verifier: load again only to learn why */
      int saved = errno;
      a.log_buf = (uint64_t) (uintptr_t) log;
      a.log_size = sizeof log;
      a.log_level = 1;
      fd = sys_bpf (BPF_PROG_LOAD, &a);
      if (fd < 0 && errno == ENOSPC)
        errno = saved; /* the log did not fit; what it holds still helps */
    }
  if (fd >= 0)
    return fd;
  if (errno == EPERM && memlock_kernel ())
    {
      struct rlimit rl = { 0, 0 };
      getrlimit (RLIMIT_MEMLOCK, &rl);
      return hull_error_set (err, 0,
                             "loading the eBPF device filter failed: this kernel (before 5.11) charges "
                             "BPF programs to RLIMIT_MEMLOCK, which is too low (%llu bytes) and hull does "
                             "not raise it; raise it for hull's caller (e.g. ulimit -l unlimited)",
                             (unsigned long long) rl.rlim_cur);
    }
  if (log[0])
    {
      char *nl = strrchr (log, '\n');
      while (nl && nl > log && nl[1] == '\0')
        {
          *nl = '\0';
          nl = strrchr (log, '\n');
        }
      return hull_error_set (err, errno, "load eBPF device filter (verifier: %s)", nl ? nl + 1 : log);
    }
  return hull_error_set (err, errno, "load eBPF device filter");
}

/* Ids of the device programs attached to the cgroup now (up to 64). */
static uint32_t
query (int dirfd, uint32_t *ids, uint32_t max)
{
  union bpf_attr a;
  memset (&a, 0, sizeof a);
  a.query.target_fd = (uint32_t) dirfd;
  a.query.attach_type = BPF_CGROUP_DEVICE;
  a.query.prog_ids = (uint64_t) (uintptr_t) ids;
  a.query.prog_cnt = max;
  if (sys_bpf (BPF_PROG_QUERY, &a) < 0)
    return 0;
  return a.query.prog_cnt < max ? a.query.prog_cnt : max;
}

int
cg_ebpf_apply (int dirfd, const struct hull_device_cgroup *rules, size_t n_rules, hull_error_t *err)
{
  cleanup_free struct bpf_insn *insns = NULL;
  cleanup_close int prog = -1;
  uint32_t old[64];
  uint32_t n_old;
  union bpf_attr a;
  size_t n;

  insns = cg_ebpf_build (rules, n_rules, &n);
  prog = load (insns, n, err);
  if (prog < 0)
    return -1;
  n_old = query (dirfd, old, 64);

  memset (&a, 0, sizeof a);
  a.target_fd = (uint32_t) dirfd;
  a.attach_bpf_fd = (uint32_t) prog;
  a.attach_type = BPF_CGROUP_DEVICE;
  a.attach_flags = BPF_F_ALLOW_MULTI;
  if (sys_bpf (BPF_PROG_ATTACH, &a) < 0)
    {
      /* a program attached without ALLOW_MULTI can only be replaced */
      a.attach_flags = 0;
      if (sys_bpf (BPF_PROG_ATTACH, &a) < 0)
        return hull_error_set (err, errno, "attach eBPF device filter");
      return 0;
    }
  /* the new program is in place: drop the ones it replaces */
  for (uint32_t i = 0; i < n_old; i++)
    {
      union bpf_attr g;
      int ofd;
      memset (&g, 0, sizeof g);
      g.prog_id = old[i];
      ofd = sys_bpf (BPF_PROG_GET_FD_BY_ID, &g);
      if (ofd < 0)
        continue;
      memset (&a, 0, sizeof a);
      a.target_fd = (uint32_t) dirfd;
      a.attach_bpf_fd = (uint32_t) ofd;
      a.attach_type = BPF_CGROUP_DEVICE;
      if (sys_bpf (BPF_PROG_DETACH, &a) < 0)
        hull_debug ("cgroup: cannot detach old device program %u: %s", old[i], hull_strerror (errno));
      close (ofd);
    }
  return 0;
}
