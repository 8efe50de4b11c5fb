/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Compile linux.seccomp into classic BPF with libseccomp and load it.
 *
 * The semantics follow runc, which is what profiles in the wild are written
 * for:
 *  - the native architecture is always part of the filter, the listed ones
 *    are added to it;
 *  - syscall names libseccomp does not know are skipped (profiles list
 *    syscalls of newer kernels and of other architectures);
 *  - rules whose action equals the default action are skipped (libseccomp
 *    refuses them and they change nothing);
 *  - when two conditions of one rule test the same argument index, each
 *    condition becomes a rule of its own (libseccomp cannot AND two tests of
 *    one argument), otherwise all conditions are ANDed in one rule;
 *  - errnoRet (and defaultErrnoRet) default to EPERM, and are refused for
 *    actions other than SCMP_ACT_ERRNO and SCMP_ACT_TRACE.
 *
 * The flags of linux.seccomp.flags are passed to seccomp(2) when the program
 * is loaded (we do not use seccomp_load, so libseccomp's NNP and TSYNC
 * attributes play no part).  Each requested flag is checked against the
 * running kernel at prepare time.
 */
#include <config.h>
#include "seccomp_filter.h"
#include "log.h"
#include "utils.h"

#include <ctype.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif
#ifndef SECCOMP_GET_ACTION_AVAIL
#define SECCOMP_GET_ACTION_AVAIL 2
#endif
#ifndef SECCOMP_RET_USER_NOTIF
#define SECCOMP_RET_USER_NOTIF 0x7fc00000U
#endif

#define SCMP_MAX_ARGS 6

struct hull_seccomp_filter
{
  struct sock_filter *insns;
  size_t len;
  unsigned int flags;     /* SECCOMP_FILTER_FLAG_* from linux.seccomp.flags */
  bool needs_listener;
};

/* ---- name tables ------------------------------------------------------- */

/* Indexed by enum hull_seccomp_action. */
static const char *const action_names[] = {
  [HULL_SCMP_ACT_KILL] = "SCMP_ACT_KILL",
  [HULL_SCMP_ACT_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
  [HULL_SCMP_ACT_KILL_THREAD] = "SCMP_ACT_KILL_THREAD",
  [HULL_SCMP_ACT_TRAP] = "SCMP_ACT_TRAP",
  [HULL_SCMP_ACT_ERRNO] = "SCMP_ACT_ERRNO",
  [HULL_SCMP_ACT_TRACE] = "SCMP_ACT_TRACE",
  [HULL_SCMP_ACT_ALLOW] = "SCMP_ACT_ALLOW",
  [HULL_SCMP_ACT_LOG] = "SCMP_ACT_LOG",
  [HULL_SCMP_ACT_NOTIFY] = "SCMP_ACT_NOTIFY",
};

/* Indexed by enum hull_seccomp_op, with libseccomp's operator. */
static const struct
{
  const char *name;
  enum scmp_compare cmp;
} ops[] = {
  [HULL_SCMP_CMP_NE] = { "SCMP_CMP_NE", SCMP_CMP_NE },
  [HULL_SCMP_CMP_LT] = { "SCMP_CMP_LT", SCMP_CMP_LT },
  [HULL_SCMP_CMP_LE] = { "SCMP_CMP_LE", SCMP_CMP_LE },
  [HULL_SCMP_CMP_EQ] = { "SCMP_CMP_EQ", SCMP_CMP_EQ },
  [HULL_SCMP_CMP_GE] = { "SCMP_CMP_GE", SCMP_CMP_GE },
  [HULL_SCMP_CMP_GT] = { "SCMP_CMP_GT", SCMP_CMP_GT },
  [HULL_SCMP_CMP_MASKED_EQ] = { "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

static const struct
{
  const char *name;
  unsigned int bit;
  unsigned int probe_with;  /* flags the kernel requires together with `bit` */
} filter_flags[] = {
  { "SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC, 0 },
  { "SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG, 0 },
  { "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW, 0 },
  { "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
    SECCOMP_FILTER_FLAG_NEW_LISTENER },
};

#define N_ELEM(a) (sizeof (a) / sizeof ((a)[0]))

/* Syscalls the container process makes after the filter is loaded to hand
   the listener fd to hull: notifying them would block with no agent. */
static const char *const notify_forbidden[] = { "write", "sendmsg" };

const char *
hull_seccomp_action_name (int action)
{
  if (action < 0 || (size_t) action >= N_ELEM (action_names))
    return NULL;
  return action_names[action];
}

int
hull_seccomp_action_count (void)
{
  return (int) N_ELEM (action_names);
}

const char *
hull_seccomp_op_name (int op)
{
  if (op < 0 || (size_t) op >= N_ELEM (ops))
    return NULL;
  return ops[op].name;
}

int
hull_seccomp_op_count (void)
{
  return (int) N_ELEM (ops);
}

/* libseccomp's token for an OCI architecture name, 0 when unknown. */
static uint32_t
arch_token (const char *oci_name)
{
  static const char prefix[] = "SCMP_ARCH_";
  char lower[32];
  size_t i;

  if (oci_name == NULL || strncmp (oci_name, prefix, sizeof prefix - 1) != 0)
    return 0;
  oci_name += sizeof prefix - 1;
  for (i = 0; oci_name[i] && i + 1 < sizeof lower; i++)
    lower[i] = (char) tolower ((unsigned char) oci_name[i]);
  if (oci_name[i])
    return 0;
  lower[i] = '\0';
  return seccomp_arch_resolve_name (lower);
}

bool
hull_seccomp_arch_known (const char *name)
{
  return arch_token (name) != 0;
}

const char *
hull_seccomp_flag_name (size_t i)
{
  return i < N_ELEM (filter_flags) ? filter_flags[i].name : NULL;
}

/* ---- kernel probes ----------------------------------------------------- */

static long
sys_seccomp (unsigned int op, unsigned int flags, void *arg)
{
  return syscall (SYS_seccomp, op, flags, arg);
}

bool
hull_seccomp_kernel_enabled (void)
{
  /* The kernel validates the flags first and then faults on the NULL
     program: EFAULT means filters are there. */
  return sys_seccomp (SECCOMP_SET_MODE_FILTER, 0, NULL) < 0 && errno == EFAULT;
}

/* Is the flag combination accepted?  Cached per flag index. */
static bool
flag_index_supported (size_t i)
{
  static int cache[N_ELEM (filter_flags)];

  if (cache[i] == 0)
    {
      long r = sys_seccomp (SECCOMP_SET_MODE_FILTER, filter_flags[i].bit | filter_flags[i].probe_with,
                            NULL);
      cache[i] = (r < 0 && errno == EFAULT) ? 1 : -1;
    }
  return cache[i] > 0;
}

bool
hull_seccomp_flag_supported (const char *name)
{
  size_t i;

  for (i = 0; i < N_ELEM (filter_flags); i++)
    if (strcmp (filter_flags[i].name, name) == 0)
      return flag_index_supported (i);
  return false;
}

bool
hull_seccomp_action_available (int action)
{
  uint32_t ret;

  switch (action)
    {
    case HULL_SCMP_ACT_KILL:
    case HULL_SCMP_ACT_KILL_THREAD:
      ret = SECCOMP_RET_KILL_THREAD;
      break;
    case HULL_SCMP_ACT_KILL_PROCESS:
      ret = SECCOMP_RET_KILL_PROCESS;
      break;
    case HULL_SCMP_ACT_TRAP:
      ret = SECCOMP_RET_TRAP;
      break;
    case HULL_SCMP_ACT_ERRNO:
      ret = SECCOMP_RET_ERRNO;
      break;
    case HULL_SCMP_ACT_TRACE:
      ret = SECCOMP_RET_TRACE;
      break;
    case HULL_SCMP_ACT_ALLOW:
      ret = SECCOMP_RET_ALLOW;
      break;
    case HULL_SCMP_ACT_LOG:
      ret = SECCOMP_RET_LOG;
      break;
    case HULL_SCMP_ACT_NOTIFY:
      ret = SECCOMP_RET_USER_NOTIF;
      break;
    default:
      return false;
    }
  return sys_seccomp (SECCOMP_GET_ACTION_AVAIL, 0, &ret) == 0;
}

/* ---- building ---------------------------------------------------------- */

/* libseccomp action for an OCI action; `field` names the errnoRet key for errors. */
static int
resolve_action (int action, const hull_opt_u64 *errno_ret, const char *field, uint32_t *out,
                hull_error_t *err)
{
  uint64_t data = errno_ret->set ? errno_ret->value : EPERM;
  const char *name = hull_seccomp_action_name (action);

  if (name == NULL)
    return hull_error_set (err, 0, "%s: unknown seccomp action %d", field, action);
  if (errno_ret->set && action != HULL_SCMP_ACT_ERRNO && action != HULL_SCMP_ACT_TRACE)
    return hull_error_set (err, 0, "%s: not supported with %s (only SCMP_ACT_ERRNO and SCMP_ACT_TRACE "
                           "take a return code)", field, name);
  if (data > SECCOMP_RET_DATA)
    return hull_error_set (err, 0, "%s: %llu is out of range (0-%u)", field,
                           (unsigned long long) data, SECCOMP_RET_DATA);
  switch (action)
    {
    case HULL_SCMP_ACT_KILL:
    case HULL_SCMP_ACT_KILL_THREAD:
      *out = SCMP_ACT_KILL_THREAD;
      break;
    case HULL_SCMP_ACT_KILL_PROCESS:
      *out = SCMP_ACT_KILL_PROCESS;
      break;
    case HULL_SCMP_ACT_TRAP:
      *out = SCMP_ACT_TRAP;
      break;
    case HULL_SCMP_ACT_ERRNO:
      *out = SCMP_ACT_ERRNO ((uint32_t) data);
      break;
    case HULL_SCMP_ACT_TRACE:
      *out = SCMP_ACT_TRACE ((uint32_t) data);
      break;
    case HULL_SCMP_ACT_ALLOW:
      *out = SCMP_ACT_ALLOW;
      break;
    case HULL_SCMP_ACT_LOG:
      *out = SCMP_ACT_LOG;
      break;
    case HULL_SCMP_ACT_NOTIFY:
      *out = SCMP_ACT_NOTIFY;
      break;
    }
  return 0;
}

static void
cleanup_scmp_ctxp (scmp_filter_ctx *ctx)
{
  if (*ctx)
    seccomp_release (*ctx);
}
#define cleanup_scmp __attribute__((cleanup (cleanup_scmp_ctxp)))

static int
add_architectures (scmp_filter_ctx ctx, char *const *archs, hull_error_t *err)
{
  size_t i;

  for (i = 0; archs && archs[i]; i++)
    {
      uint32_t token = arch_token (archs[i]);
      int r;

      if (token == 0)
        return hull_error_set (err, 0, "linux.seccomp.architectures[%zu]: unknown architecture \"%s\"",
                               i, archs[i]);
      r = seccomp_arch_add (ctx, token);
      if (r < 0 && r != -EEXIST)
        return hull_error_set (err, -r, "linux.seccomp.architectures[%zu]: add \"%s\"", i, archs[i]);
    }
  return 0;
}

static int
parse_flags (char *const *flags, unsigned int *out, hull_error_t *err)
{
  size_t i, j;

  *out = 0;
  for (i = 0; flags && flags[i]; i++)
    {
      for (j = 0; j < N_ELEM (filter_flags); j++)
        if (strcmp (flags[i], filter_flags[j].name) == 0)
          break;
      if (j == N_ELEM (filter_flags))
        return hull_error_set (err, 0, "linux.seccomp.flags[%zu]: unknown flag \"%s\"", i, flags[i]);
      if (!flag_index_supported (j))
        return hull_error_set (err, 0, "linux.seccomp.flags[%zu]: %s is not supported by the running "
                               "kernel", i, flags[i]);
      *out |= filter_flags[j].bit;
    }
  return 0;
}

/* Translate the args of one syscall entry; *separate is set when an index repeats. */
static int
build_conditions (const struct hull_seccomp_syscall *sc, size_t idx, struct scmp_arg_cmp *conds,
                  bool *separate, hull_error_t *err)
{
  unsigned seen = 0;
  size_t i;

  *separate = false;
  if (sc->args_len > SCMP_MAX_ARGS * 2)
    return hull_error_set (err, 0, "linux.seccomp.syscalls[%zu].args: %zu conditions, at most %d "
                           "are supported", idx, sc->args_len, SCMP_MAX_ARGS * 2);
  for (i = 0; i < sc->args_len; i++)
    {
      const struct hull_seccomp_arg *a = &sc->args[i];

      if (a->index >= SCMP_MAX_ARGS)
        return hull_error_set (err, 0, "linux.seccomp.syscalls[%zu].args[%zu].index: %u is out of "
                               "range (0-%d)", idx, i, a->index, SCMP_MAX_ARGS - 1);
      if (a->op < 0 || (size_t) a->op >= N_ELEM (ops))
        return hull_error_set (err, 0, "linux.seccomp.syscalls[%zu].args[%zu].op: unknown operator",
                               idx, i);
      if (seen & (1u << a->index))
        *separate = true;
      seen |= 1u << a->index;
      /* For SCMP_CMP_MASKED_EQ, value is the mask and valueTwo the expected
         value, exactly libseccomp's datum_a and datum_b. */
      conds[i] = (struct scmp_arg_cmp) { .arg = a->index, .op = ops[a->op].cmp,
                                         .datum_a = a->value, .datum_b = a->value_two };
    }
  return 0;
}

static bool
is_notify_forbidden (const char *name)
{
  size_t i;

  for (i = 0; i < N_ELEM (notify_forbidden); i++)
    if (strcmp (name, notify_forbidden[i]) == 0)
      return true;
  return false;
}

static int
add_syscall_rules (scmp_filter_ctx ctx, const struct hull_seccomp_syscall *sc, size_t idx,
                   uint32_t default_act, bool *added_notify, hull_error_t *err)
{
  struct scmp_arg_cmp conds[SCMP_MAX_ARGS * 2];
  char field[64];
  uint32_t act;
  bool separate;
  size_t n, i;

  snprintf (field, sizeof field, "linux.seccomp.syscalls[%zu].errnoRet", idx);
  if (resolve_action (sc->action, &sc->errno_ret, field, &act, err) < 0)
    return -1;
  if (build_conditions (sc, idx, conds, &separate, err) < 0)
    return -1;

  for (n = 0; sc->names && sc->names[n]; n++)
    {
      const char *name = sc->names[n];
      int nr, r = 0;

      if (sc->action == HULL_SCMP_ACT_NOTIFY && is_notify_forbidden (name))
        return hull_error_set (err, 0, "linux.seccomp.syscalls[%zu]: SCMP_ACT_NOTIFY cannot be used "
                               "for \"%s\": the container process needs it to hand over the "
                               "listener fd", idx, name);
      if (act == default_act)
        {
          hull_debug ("seccomp: %s: action equals the default action, rule skipped", name);
          continue;
        }
      nr = seccomp_syscall_resolve_name (name);
      if (nr == __NR_SCMP_ERROR)
        {
          hull_debug ("seccomp: syscall \"%s\" is unknown to libseccomp, skipped", name);
          continue;
        }
      if (separate)
        {
          for (i = 0; i < sc->args_len && r >= 0; i++)
            r = seccomp_rule_add_array (ctx, act, nr, 1, &conds[i]);
        }
      else
        r = seccomp_rule_add_array (ctx, act, nr, (unsigned) sc->args_len, conds);
      if (r < 0)
        return hull_error_set (err, -r, "linux.seccomp.syscalls[%zu]: add rule for \"%s\"", idx, name);
      if (sc->action == HULL_SCMP_ACT_NOTIFY)
        *added_notify = true;
    }
  return 0;
}

/* Export the program of ctx into memory through a memfd. */
static int
export_bpf (scmp_filter_ctx ctx, struct hull_seccomp_filter *f, hull_error_t *err)
{
  cleanup_close int fd = memfd_create ("hull-seccomp-bpf", MFD_CLOEXEC);
  cleanup_free char *buf = NULL;
  size_t len = 0;
  int r;

  if (fd < 0)
    return hull_error_set (err, errno, "linux.seccomp: memfd_create");
  r = seccomp_export_bpf (ctx, fd);
  if (r < 0)
    return hull_error_set (err, -r, "linux.seccomp: export the BPF program");
  if (lseek (fd, 0, SEEK_SET) < 0)
    return hull_error_set (err, errno, "linux.seccomp: seek the BPF program");
  if (read_all_fd (fd, "seccomp BPF program", &buf, &len, err) < 0)
    return hull_error_prefix (err, "linux.seccomp");
  if (len == 0 || len % sizeof (struct sock_filter) != 0)
    return hull_error_set (err, 0, "linux.seccomp: libseccomp produced a malformed program (%zu bytes)",
                           len);
  f->len = len / sizeof (struct sock_filter);
  if (f->len > BPF_MAXINSNS)
    return hull_error_set (err, 0, "linux.seccomp: the filter needs %zu BPF instructions, the kernel "
                           "accepts at most %d", f->len, BPF_MAXINSNS);
  f->insns = xmalloc (len);
  memcpy (f->insns, buf, len);
  return 0;
}

static bool
uses_notify (const struct hull_seccomp *s)
{
  size_t i;

  if (s->default_action == HULL_SCMP_ACT_NOTIFY)
    return true;
  for (i = 0; i < s->syscalls_len; i++)
    if (s->syscalls[i].action == HULL_SCMP_ACT_NOTIFY)
      return true;
  return false;
}

int
hull_seccomp_prepare (const struct hull_seccomp *s, struct hull_seccomp_filter **out,
                      hull_error_t *err)
{
  cleanup_scmp scmp_filter_ctx ctx = NULL;
  struct hull_seccomp_filter *f;
  uint32_t default_act;
  unsigned int flags;
  bool added_notify = false;
  size_t i;

  *out = NULL;
  if (s->default_action == HULL_SCMP_ACT_NOTIFY)
    return hull_error_set (err, 0, "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default "
                           "action");
  if (resolve_action (s->default_action, &s->default_errno_ret, "linux.seccomp.defaultErrnoRet",
                      &default_act, err) < 0)
    return -1;
  if (uses_notify (s) && (s->listener_path == NULL || s->listener_path[0] == '\0'))
    return hull_error_set (err, 0, "linux.seccomp.listenerPath: required when SCMP_ACT_NOTIFY is used");
  if (s->listener_metadata && s->listener_path == NULL)
    return hull_error_set (err, 0, "linux.seccomp.listenerMetadata: set without listenerPath");
  if (parse_flags (s->flags, &flags, err) < 0)
    return -1;

  ctx = seccomp_init (default_act);
  if (ctx == NULL)
    return hull_error_set (err, 0, "linux.seccomp.defaultAction: libseccomp refused %s",
                           hull_seccomp_action_name (s->default_action));
  /* A binary tree of syscall numbers instead of a linear list: big profiles
     then cost a few comparisons per syscall. */
  if (seccomp_attr_set (ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0)
    hull_debug ("seccomp: libseccomp cannot build a binary tree filter, using a linear one");
  if (add_architectures (ctx, s->architectures, err) < 0)
    return -1;
  for (i = 0; i < s->syscalls_len; i++)
    if (add_syscall_rules (ctx, &s->syscalls[i], i, default_act, &added_notify, err) < 0)
      return -1;

  f = xmalloc0 (sizeof *f);
  if (export_bpf (ctx, f, err) < 0)
    {
      hull_seccomp_filter_free (f);
      return -1;
    }
  f->needs_listener = added_notify;
  f->flags = flags;
  if ((f->flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) && !f->needs_listener)
    {
      /* The kernel only takes it together with a listener. */
      hull_debug ("seccomp: no SCMP_ACT_NOTIFY rule, SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV ignored");
      f->flags &= ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
    }
  hull_debug ("seccomp: filter of %zu BPF instructions, flags 0x%x%s", f->len, f->flags,
              f->needs_listener ? ", with listener" : "");
  *out = f;
  return 0;
}

bool
hull_seccomp_needs_listener (const struct hull_seccomp_filter *f)
{
  return f && f->needs_listener;
}

size_t
hull_seccomp_filter_size (const struct hull_seccomp_filter *f)
{
  return f ? f->len : 0;
}

void
hull_seccomp_filter_free (struct hull_seccomp_filter *f)
{
  if (f == NULL)
    return;
  free (f->insns);
  free (f);
}

/* ---- loading ----------------------------------------------------------- */

int
hull_seccomp_load (struct hull_seccomp_filter *f, int *notify_fd, hull_error_t *err)
{
  struct sock_fprog prog = { .len = (unsigned short) f->len, .filter = f->insns };
  unsigned int flags = f->flags;
  long r;

  *notify_fd = -1;
  if (f->needs_listener)
    {
      flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
      /* TSYNC and NEW_LISTENER together need TSYNC_ESRCH (Linux 5.7). */
      if (flags & SECCOMP_FILTER_FLAG_TSYNC)
        flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
    }
  r = sys_seccomp (SECCOMP_SET_MODE_FILTER, flags, &prog);
  if (r < 0 && errno == ENOSYS && flags == 0)
    r = prctl (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
  if (r < 0)
    {
      if (errno == EACCES)
        return hull_error_set (err, errno, "load seccomp filter (needs noNewPrivileges or CAP_SYS_ADMIN)");
      return hull_error_set (err, errno, "load seccomp filter");
    }
  if (f->needs_listener)
    *notify_fd = (int) r;
  return 0;
}
