/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Name tables for the config: namespaces, capabilities, rlimits, seccomp
 * names, propagation, scheduler, I/O priority, personality, NUMA policy.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* CLONE_NEW* from <sched.h> */
#endif
#include <config.h>
#include "config_internal.h"
#include "utils.h"

#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* Values from the kernel uapi headers, spelled out so that the parser does
   not depend on the installed headers being recent.  */
#define HULL_SECCOMP_FILTER_FLAG_LOG (1UL << 1)
#define HULL_SECCOMP_FILTER_FLAG_SPEC_ALLOW (1UL << 2)
#define HULL_SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)

const char *const hull_ns_type_names[HULL_NS_TYPES] = {
  [HULL_NS_PID] = "pid",       [HULL_NS_NET] = "network", [HULL_NS_MNT] = "mount",
  [HULL_NS_IPC] = "ipc",       [HULL_NS_UTS] = "uts",     [HULL_NS_USER] = "user",
  [HULL_NS_CGROUP] = "cgroup", [HULL_NS_TIME] = "time",
};

static const int ns_clone_flags[HULL_NS_TYPES] = {
  [HULL_NS_PID] = CLONE_NEWPID,       [HULL_NS_NET] = CLONE_NEWNET, [HULL_NS_MNT] = CLONE_NEWNS,
  [HULL_NS_IPC] = CLONE_NEWIPC,       [HULL_NS_UTS] = CLONE_NEWUTS, [HULL_NS_USER] = CLONE_NEWUSER,
  [HULL_NS_CGROUP] = CLONE_NEWCGROUP, [HULL_NS_TIME] = CLONE_NEWTIME,
};

int
cfg_ns_from_name (const char *name)
{
  int i;

  for (i = 0; i < HULL_NS_TYPES; i++)
    if (strcmp (hull_ns_type_names[i], name) == 0)
      return i;
  return -1;
}

int
cfg_ns_clone_flag (enum hull_ns_type t)
{
  if ((int) t < 0 || t >= HULL_NS_TYPES)
    return 0;
  return ns_clone_flags[t];
}

int
cfg_names_lookup (const struct hull_name_value *t, const char *name, long *out)
{
  for (; t->name; t++)
    if (strcmp (t->name, name) == 0)
      {
        *out = t->value;
        return 0;
      }
  return -1;
}

/* Indexed by capability number (linux/capability.h). */
static const char *const cap_names[] = {
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_DAC_READ_SEARCH",
  "CAP_FOWNER",
  "CAP_FSETID",
  "CAP_KILL",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETPCAP",
  "CAP_LINUX_IMMUTABLE",
  "CAP_NET_BIND_SERVICE",
  "CAP_NET_BROADCAST",
  "CAP_NET_ADMIN",
  "CAP_NET_RAW",
  "CAP_IPC_LOCK",
  "CAP_IPC_OWNER",
  "CAP_SYS_MODULE",
  "CAP_SYS_RAWIO",
  "CAP_SYS_CHROOT",
  "CAP_SYS_PTRACE",
  "CAP_SYS_PACCT",
  "CAP_SYS_ADMIN",
  "CAP_SYS_BOOT",
  "CAP_SYS_NICE",
  "CAP_SYS_RESOURCE",
  "CAP_SYS_TIME",
  "CAP_SYS_TTY_CONFIG",
  "CAP_MKNOD",
  "CAP_LEASE",
  "CAP_AUDIT_WRITE",
  "CAP_AUDIT_CONTROL",
  "CAP_SETFCAP",
  "CAP_MAC_OVERRIDE",
  "CAP_MAC_ADMIN",
  "CAP_SYSLOG",
  "CAP_WAKE_ALARM",
  "CAP_BLOCK_SUSPEND",
  "CAP_AUDIT_READ",
  "CAP_PERFMON",
  "CAP_BPF",
  "CAP_CHECKPOINT_RESTORE",
};
#define CAP_TABLE_LAST ((int) (sizeof cap_names / sizeof cap_names[0]) - 1)

int
hull_cap_from_name (const char *name)
{
  int i;

  if (name == NULL)
    return -1;
  for (i = 0; i <= CAP_TABLE_LAST; i++)
    if (strcmp (cap_names[i], name) == 0)
      return i;
  return -1;
}

const char *
hull_cap_name (int n)
{
  if (n < 0 || n > CAP_TABLE_LAST)
    return NULL;
  return cap_names[n];
}

int
hull_cap_last (void)
{
  static int cached = -1;
  int fd, last;

  if (cached >= 0)
    return cached;
  last = CAP_TABLE_LAST;
  fd = open ("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
  if (fd >= 0)
    {
      char buf[16];
      ssize_t n = read (fd, buf, sizeof buf - 1);
      close_quietly (fd);
      if (n > 0)
        {
          int k;
          buf[n] = '\0';
          k = atoi (buf);
          if (k > 0 && k < last)
            last = k;
        }
    }
  cached = last;
  return last;
}

const struct hull_name_value hull_rlimit_names[] = {
  { "RLIMIT_AS", RLIMIT_AS },
  { "RLIMIT_CORE", RLIMIT_CORE },
  { "RLIMIT_CPU", RLIMIT_CPU },
  { "RLIMIT_DATA", RLIMIT_DATA },
  { "RLIMIT_FSIZE", RLIMIT_FSIZE },
  { "RLIMIT_LOCKS", RLIMIT_LOCKS },
  { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
  { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
  { "RLIMIT_NICE", RLIMIT_NICE },
  { "RLIMIT_NOFILE", RLIMIT_NOFILE },
  { "RLIMIT_NPROC", RLIMIT_NPROC },
  { "RLIMIT_RSS", RLIMIT_RSS },
  { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
  { "RLIMIT_RTTIME", RLIMIT_RTTIME },
  { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
  { "RLIMIT_STACK", RLIMIT_STACK },
  { NULL, 0 },
};

const char *
hull_rlimit_name (int n)
{
  const struct hull_name_value *t;

  for (t = hull_rlimit_names; t->name; t++)
    if (t->value == n)
      return t->name;
  return NULL;
}

const struct hull_name_value hull_seccomp_action_names[] = {
  { "SCMP_ACT_KILL", HULL_SCMP_ACT_KILL },
  { "SCMP_ACT_KILL_PROCESS", HULL_SCMP_ACT_KILL_PROCESS },
  { "SCMP_ACT_KILL_THREAD", HULL_SCMP_ACT_KILL_THREAD },
  { "SCMP_ACT_TRAP", HULL_SCMP_ACT_TRAP },
  { "SCMP_ACT_ERRNO", HULL_SCMP_ACT_ERRNO },
  { "SCMP_ACT_TRACE", HULL_SCMP_ACT_TRACE },
  { "SCMP_ACT_ALLOW", HULL_SCMP_ACT_ALLOW },
  { "SCMP_ACT_LOG", HULL_SCMP_ACT_LOG },
  { "SCMP_ACT_NOTIFY", HULL_SCMP_ACT_NOTIFY },
  { NULL, 0 },
};

const struct hull_name_value hull_seccomp_op_names[] = {
  { "SCMP_CMP_NE", HULL_SCMP_CMP_NE },
  { "SCMP_CMP_LT", HULL_SCMP_CMP_LT },
  { "SCMP_CMP_LE", HULL_SCMP_CMP_LE },
  { "SCMP_CMP_EQ", HULL_SCMP_CMP_EQ },
  { "SCMP_CMP_GE", HULL_SCMP_CMP_GE },
  { "SCMP_CMP_GT", HULL_SCMP_CMP_GT },
  { "SCMP_CMP_MASKED_EQ", HULL_SCMP_CMP_MASKED_EQ },
  { NULL, 0 },
};

const struct hull_name_value hull_seccomp_arch_names[] = {
  { "SCMP_ARCH_X86", 0 },         { "SCMP_ARCH_X86_64", 1 },      { "SCMP_ARCH_X32", 2 },
  { "SCMP_ARCH_ARM", 3 },         { "SCMP_ARCH_AARCH64", 4 },     { "SCMP_ARCH_MIPS", 5 },
  { "SCMP_ARCH_MIPS64", 6 },      { "SCMP_ARCH_MIPS64N32", 7 },   { "SCMP_ARCH_MIPSEL", 8 },
  { "SCMP_ARCH_MIPSEL64", 9 },    { "SCMP_ARCH_MIPSEL64N32", 10 }, { "SCMP_ARCH_PPC", 11 },
  { "SCMP_ARCH_PPC64", 12 },      { "SCMP_ARCH_PPC64LE", 13 },    { "SCMP_ARCH_S390", 14 },
  { "SCMP_ARCH_S390X", 15 },      { "SCMP_ARCH_PARISC", 16 },     { "SCMP_ARCH_PARISC64", 17 },
  { "SCMP_ARCH_RISCV64", 18 },    { "SCMP_ARCH_LOONGARCH64", 19 }, { "SCMP_ARCH_M68K", 20 },
  { "SCMP_ARCH_SH", 21 },         { "SCMP_ARCH_SHEB", 22 },
  { NULL, 0 },
};

/* The flags config-linux.md lists (NEW_LISTENER is set by hull itself when
   a rule asks for SCMP_ACT_NOTIFY).  */
const struct hull_name_value hull_seccomp_flag_names[] = {
  { "SECCOMP_FILTER_FLAG_TSYNC", 1UL << 0 },
  { "SECCOMP_FILTER_FLAG_LOG", HULL_SECCOMP_FILTER_FLAG_LOG },
  { "SECCOMP_FILTER_FLAG_SPEC_ALLOW", HULL_SECCOMP_FILTER_FLAG_SPEC_ALLOW },
  { "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", HULL_SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV },
  { NULL, 0 },
};

const struct hull_name_value hull_propagation_names[] = {
  { "private", MS_PRIVATE },
  { "rprivate", MS_PRIVATE | MS_REC },
  { "slave", MS_SLAVE },
  { "rslave", MS_SLAVE | MS_REC },
  { "shared", MS_SHARED },
  { "rshared", MS_SHARED | MS_REC },
  { "unbindable", MS_UNBINDABLE },
  { "runbindable", MS_UNBINDABLE | MS_REC },
  { NULL, 0 },
};

const struct hull_name_value hull_sched_policy_names[] = {
  { "SCHED_OTHER", 0 }, { "SCHED_FIFO", 1 }, { "SCHED_RR", 2 },       { "SCHED_BATCH", 3 },
  { "SCHED_ISO", 4 },   { "SCHED_IDLE", 5 }, { "SCHED_DEADLINE", 6 }, { NULL, 0 },
};

const struct hull_name_value hull_sched_flag_names[] = {
  { "SCHED_FLAG_RESET_ON_FORK", 0x01 },  { "SCHED_FLAG_RECLAIM", 0x02 },
  { "SCHED_FLAG_DL_OVERRUN", 0x04 },     { "SCHED_FLAG_KEEP_POLICY", 0x08 },
  { "SCHED_FLAG_KEEP_PARAMS", 0x10 },    { "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20 },
  { "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40 }, { NULL, 0 },
};

const struct hull_name_value hull_ioprio_class_names[] = {
  { "IOPRIO_CLASS_RT", 1 },
  { "IOPRIO_CLASS_BE", 2 },
  { "IOPRIO_CLASS_IDLE", 3 },
  { NULL, 0 },
};

const struct hull_name_value hull_personality_names[] = {
  { "LINUX", PER_LINUX },
  { "LINUX32", PER_LINUX32 },
  { NULL, 0 },
};

const struct hull_name_value hull_mpol_mode_names[] = {
  { "MPOL_DEFAULT", 0 },        { "MPOL_PREFERRED", 1 },          { "MPOL_BIND", 2 },
  { "MPOL_INTERLEAVE", 3 },     { "MPOL_LOCAL", 4 },              { "MPOL_PREFERRED_MANY", 5 },
  { "MPOL_WEIGHTED_INTERLEAVE", 6 }, { NULL, 0 },
};

const struct hull_name_value hull_mpol_flag_names[] = {
  { "MPOL_F_NUMA_BALANCING", 1 << 13 },
  { "MPOL_F_RELATIVE_NODES", 1 << 14 },
  { "MPOL_F_STATIC_NODES", 1 << 15 },
  { NULL, 0 },
};
