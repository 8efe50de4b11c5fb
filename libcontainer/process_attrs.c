/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * oomScoreAdj, ioPriority, scheduler, execCPUAffinity and personality of
 * the container process (see process_attrs.h).
 */
#include <config.h>
#include "process_attrs.h"
#include "log.h"
#include "procfs.h"
#include "utils.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Largest cpu number accepted in a cpu list (the kernel's NR_CPUS limit). */
#define HULL_MAX_CPU 8191

#define IOPRIO_WHO_PROCESS_ 1
#define IOPRIO_CLASS_SHIFT_ 13

/* struct sched_attr, SCHED_ATTR_SIZE_VER0 layout. */
struct hull_sched_attr
{
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
};

/* Parse the decimal number at *p (digits only) into *out; advances *p. */
static int
parse_cpu_num (const char **p, unsigned long *out)
{
  unsigned long v = 0;
  const char *s = *p;

  if (*s < '0' || *s > '9')
    return -1;
  while (*s >= '0' && *s <= '9')
    {
      v = v * 10 + (unsigned long) (*s - '0');
      if (v > HULL_MAX_CPU)
        return -2;
      s++;
    }
  *p = s;
  *out = v;
  return 0;
}

int
hull_parse_cpu_list (const char *s, const char *field, cpu_set_t **set, size_t *setsize,
                     hull_error_t *err)
{
  const char *p = s;
  cpu_set_t *cs;
  size_t size;
  unsigned long max = 0;

  if (s == NULL || *s == '\0')
    return hull_error_set (err, 0, "%s: empty cpu list", field);
  /* First pass: syntax and the highest cpu, to size the set. */
  for (;;)
    {
      unsigned long a, b;
      int r = parse_cpu_num (&p, &a);
      if (r == -2)
        return hull_error_set (err, 0, "%s: invalid CPU list \"%s\": cpu number above %d", field,
                               s, HULL_MAX_CPU);
      if (r < 0)
        return hull_error_set (err, 0,
                               "%s: invalid CPU list \"%s\": expected a cpu number at offset %zu",
                               field, s, (size_t) (p - s));
      b = a;
      if (*p == '-')
        {
          p++;
          r = parse_cpu_num (&p, &b);
          if (r == -2)
            return hull_error_set (err, 0, "%s: invalid CPU list \"%s\": cpu number above %d",
                                   field, s, HULL_MAX_CPU);
          if (r < 0)
            return hull_error_set (err, 0,
                                   "%s: invalid CPU list \"%s\": expected a cpu number at "
                                   "offset %zu",
                                   field, s, (size_t) (p - s));
          if (b < a)
            return hull_error_set (err, 0, "%s: invalid CPU list \"%s\": range %lu-%lu is reversed",
                                   field, s, a, b);
        }
      if (b > max)
        max = b;
      if (*p == '\0')
        break;
      if (*p != ',')
        return hull_error_set (err, 0,
                               "%s: invalid CPU list \"%s\": unexpected '%c' at offset %zu", field,
                               s, *p, (size_t) (p - s));
      p++;
    }

  cs = CPU_ALLOC (max + 1);
  if (cs == NULL)
    return hull_error_set (err, ENOMEM, "%s", field);
  size = CPU_ALLOC_SIZE (max + 1);
  CPU_ZERO_S (size, cs);
  /* Second pass: fill the set (syntax already checked). */
  for (p = s;;)
    {
      unsigned long a = 0, b, i;
      parse_cpu_num (&p, &a);
      b = a;
      if (*p == '-')
        {
          p++;
          parse_cpu_num (&p, &b);
        }
      for (i = a; i <= b; i++)
        CPU_SET_S (i, size, cs);
      if (*p == '\0')
        break;
      p++;
    }
  *set = cs;
  *setsize = size;
  return 0;
}

static int
set_affinity (pid_t pid, const char *list, const char *field, hull_error_t *err)
{
  cpu_set_t *cs = NULL;
  size_t size;
  int r;

  if (list == NULL)
    return 0;
  if (hull_parse_cpu_list (list, field, &cs, &size, err) < 0)
    return -1;
  r = sched_setaffinity (pid, size, cs);
  CPU_FREE (cs);
  if (r < 0 && errno == EINVAL)
    return hull_error_set (err, 0, "%s: none of the CPUs in \"%s\" is available to the container",
                           field, list);
  if (r < 0)
    return hull_error_set (err, errno, "%s: sched_setaffinity \"%s\"", field, list);
  return 0;
}

int
hull_process_cpu_affinity_final (const struct hull_process *p, pid_t pid, hull_error_t *err)
{
  return set_affinity (pid, p->exec_cpu_affinity.final, "process.execCPUAffinity.final", err);
}

static int
set_oom_score_adj (const struct hull_process *p, hull_error_t *err)
{
  char buf[32];

  if (!p->oom_score_adj.set)
    return 0;
  snprintf (buf, sizeof buf, "%lld", (long long) p->oom_score_adj.value);
  if (hull_procfs_write ("self/oom_score_adj", buf, err) < 0)
    {
      if ((*err)->errnum == EACCES)
        return hull_error_prefix (err, "process.oomScoreAdj: %s (lowering it needs "
                                       "CAP_SYS_RESOURCE)",
                                  buf);
      return hull_error_prefix (err, "process.oomScoreAdj: %s", buf);
    }
  return 0;
}

void
hull_process_oom_score_adj_rootless (struct hull_process *p)
{
  cleanup_free char *cur = NULL;
  hull_error_t err = NULL;
  char buf[32];

  if (!p->oom_score_adj.set)
    return;
  p->oom_score_adj.set = false; /* the child inherits ours, set now or kept */
  snprintf (buf, sizeof buf, "%lld", (long long) p->oom_score_adj.value);
  if (hull_procfs_write ("self/oom_score_adj", buf, &err) == 0)
    return;
  if (read_file_at (AT_FDCWD, "/proc/self/oom_score_adj", &cur, NULL, NULL) == 0 && cur)
    cur[strcspn (cur, "\n")] = '\0';
  hull_warn ("process.oomScoreAdj: cannot set %s (rootless: lowering it needs CAP_SYS_RESOURCE); "
             "keeping %s",
             buf, cur ? cur : "the current value");
  hull_error_free (&err);
}

static int
set_io_priority (const struct hull_process *p, hull_error_t *err)
{
  const struct hull_io_priority *io = &p->io_priority;
  int value;

  if (!io->set)
    return 0;
  if (io->class_ < 1 || io->class_ > 3)
    return hull_error_set (err, 0, "process.ioPriority.class: invalid class %d", io->class_);
  if (io->priority < 0 || io->priority > 7)
    return hull_error_set (err, 0, "process.ioPriority.priority: %lld is not in 0..7",
                           (long long) io->priority);
  value = (io->class_ << IOPRIO_CLASS_SHIFT_) | (int) io->priority;
  if (syscall (SYS_ioprio_set, IOPRIO_WHO_PROCESS_, 0, value) < 0)
    return hull_error_set (err, errno, "process.ioPriority: ioprio_set %s %lld",
                           io->class_name ? io->class_name : "", (long long) io->priority);
  return 0;
}

static int
set_scheduler (const struct hull_process *p, hull_error_t *err)
{
  const struct hull_scheduler *s = &p->scheduler;
  struct hull_sched_attr attr;

  if (!s->set)
    return 0;
  memset (&attr, 0, sizeof attr);
  attr.size = sizeof attr;
  attr.sched_policy = (uint32_t) s->policy;
  attr.sched_flags = s->flags_mask;
  attr.sched_nice = s->nice.set ? (int32_t) s->nice.value : 0;
  attr.sched_priority = s->priority.set ? (uint32_t) s->priority.value : 0;
  attr.sched_runtime = s->runtime.set ? s->runtime.value : 0;
  attr.sched_deadline = s->deadline.set ? s->deadline.value : 0;
  attr.sched_period = s->period.set ? s->period.value : 0;
  if (syscall (SYS_sched_setattr, 0, &attr, 0) < 0)
    return hull_error_set (err, errno, "process.scheduler: sched_setattr %s",
                           s->policy_name ? s->policy_name : "");
  return 0;
}

static const struct
{
  const char *name;
  unsigned long value;
} personality_flags[] = {
  { "UNAME26", UNAME26 },
  { "ADDR_NO_RANDOMIZE", ADDR_NO_RANDOMIZE },
  { "FDPIC_FUNCPTRS", FDPIC_FUNCPTRS },
  { "MMAP_PAGE_ZERO", MMAP_PAGE_ZERO },
  { "ADDR_COMPAT_LAYOUT", ADDR_COMPAT_LAYOUT },
  { "READ_IMPLIES_EXEC", READ_IMPLIES_EXEC },
  { "ADDR_LIMIT_32BIT", ADDR_LIMIT_32BIT },
  { "SHORT_INODE", SHORT_INODE },
  { "WHOLE_SECONDS", WHOLE_SECONDS },
  { "STICKY_TIMEOUTS", STICKY_TIMEOUTS },
  { "ADDR_LIMIT_3GB", ADDR_LIMIT_3GB },
};

int
hull_personality_value (const struct hull_personality *pers, unsigned long *out,
                        hull_error_t *err)
{
  unsigned long v;
  size_t i, k;

  if (pers->domain_name && strcmp (pers->domain_name, "LINUX") == 0)
    v = PER_LINUX;
  else if (pers->domain_name && strcmp (pers->domain_name, "LINUX32") == 0)
    v = PER_LINUX32;
  else
    return hull_error_set (err, 0, "linux.personality.domain: unknown domain \"%s\"",
                           pers->domain_name ? pers->domain_name : "");
  for (i = 0; pers->flags && pers->flags[i]; i++)
    {
      for (k = 0; k < sizeof personality_flags / sizeof personality_flags[0]; k++)
        if (strcmp (pers->flags[i], personality_flags[k].name) == 0)
          break;
      if (k == sizeof personality_flags / sizeof personality_flags[0])
        return hull_error_set (err, 0, "linux.personality.flags[%zu]: unknown flag \"%s\"", i,
                               pers->flags[i]);
      v |= personality_flags[k].value;
    }
  *out = v;
  return 0;
}

static int
set_personality (const struct hull_personality *pers, hull_error_t *err)
{
  unsigned long v;

  if (pers == NULL || !pers->set)
    return 0;
  if (hull_personality_value (pers, &v, err) < 0)
    return -1;
  if (personality (v) < 0)
    return hull_error_set (err, errno, "linux.personality: personality %s", pers->domain_name);
  return 0;
}

int
hull_process_attrs_apply (const struct hull_process *p, const struct hull_personality *pers,
                          hull_error_t *err)
{
  if (set_oom_score_adj (p, err) < 0 || set_io_priority (p, err) < 0)
    return -1;
  /* Affinity before the policy: a SCHED_DEADLINE task may not narrow it. */
  if (set_affinity (0, p->exec_cpu_affinity.initial, "process.execCPUAffinity.initial", err) < 0)
    return -1;
  if (set_scheduler (p, err) < 0 || set_personality (pers, err) < 0)
    return -1;
  return 0;
}
