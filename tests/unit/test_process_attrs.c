/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the security component, part two: rlimit errors,
 * capabilities and identity (user, groups, no_new_privs), personality,
 * oomScoreAdj, ioPriority, scheduler and CPU affinity.  Identity changes
 * happen only in forked children.  Tests that need root are skipped without
 * it.
 */
#include <config.h>
#include "caps.h"
#include "process_attrs.h"
#include "utils.h"
#include "tap.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#define CAP_BIT(n) ((uint64_t) 1 << (n))

static bool is_root;

/* ---- rlimits ----------------------------------------------------------- */

static int
drop_sys_resource (void)
{
  struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct d[2];
  if (syscall (SYS_capget, &hdr, d) < 0)
    return -1;
  d[0].effective &= ~(1U << CAP_SYS_RESOURCE);
  return (int) syscall (SYS_capset, &hdr, d);
}

static int
rlimit_child (void *arg)
{
  struct rlimit cur;
  struct hull_rlimit rl = { (char *) "RLIMIT_NOFILE", RLIMIT_NOFILE, 0, 0 };
  struct hull_process p;
  hull_error_t err = NULL;
  cleanup_free char *nr = NULL;
  char want[256];

  (void) arg;
  memset (&p, 0, sizeof p);
  p.rlimits = &rl;
  p.rlimits_len = 1;
  if (drop_sys_resource () < 0 || getrlimit (RLIMIT_NOFILE, &cur) < 0
      || cur.rlim_max == RLIM_INFINITY || cur.rlim_max < 2)
    return 100;
  /* Lowering works. */
  rl.soft = rl.hard = cur.rlim_max - 1;
  if (hull_rlimits_apply (&p, &err) < 0)
    {
      printf ("#   %s\n", err->msg);
      return 1;
    }
  if (getrlimit (RLIMIT_NOFILE, &cur) < 0 || cur.rlim_max != rl.hard || cur.rlim_cur != rl.soft)
    return 2;
  /* Raising the hard limit fails with an explanation. */
  rl.soft = rl.hard = cur.rlim_max + 1;
  snprintf (want, sizeof want,
            "process.rlimits[0]: setrlimit RLIMIT_NOFILE to %llu/%llu: operation not permitted "
            "(the hard limit is %llu and raising it needs CAP_SYS_RESOURCE)",
            (unsigned long long) rl.soft, (unsigned long long) rl.hard,
            (unsigned long long) cur.rlim_max);
  if (hull_rlimits_apply (&p, &err) == 0 || strcmp (err->msg, want) != 0)
    {
      printf ("#   got:  %s\n#   want: %s\n", err ? err->msg : "(none)", want);
      return 3;
    }
  hull_error_free (&err);
  /* Above fs.nr_open, the message says so. */
  if (read_file_at (AT_FDCWD, "/proc/sys/fs/nr_open", &nr, NULL, &err) < 0)
    return 5;
  rl.soft = 1;
  rl.hard = strtoull (nr, NULL, 10) + 1;
  if (hull_rlimits_apply (&p, &err) == 0 || !strstr (err->msg, "may not exceed fs.nr_open"))
    {
      printf ("#   got: %s\n", err ? err->msg : "(none)");
      return 6;
    }
  hull_error_free (&err);
  /* soft above hard. */
  rl.soft = 10;
  rl.hard = 5;
  if (hull_rlimits_apply (&p, &err) == 0
      || strcmp (err->msg, "process.rlimits[0]: RLIMIT_NOFILE soft limit 10 is above the hard "
                           "limit 5")
             != 0)
    return 4;
  hull_error_free (&err);
  return 0;
}

static void
test_rlimits (void)
{
  int r = tap_in_child (rlimit_child, NULL);
  if (r == 100)
    tap_skip ("rlimits", "cannot drop CAP_SYS_RESOURCE or no finite hard limit");
  else
    ok (r == 0, "rlimits: lower, refuse raising (hard limit, nr_open), soft > hard (status %d)", r);
}

/* ---- capabilities and identity ----------------------------------------- */

static void
test_cap_names (void)
{
  char *names[] = { (char *) "CAP_CHOWN", (char *) "net_admin", (char *) "cap_sys_admin",
                    (char *) "NET_RAW", NULL };
  char *badn[] = { (char *) "CAP_CHOWN", (char *) "CAP_FOO", NULL };
  uint64_t mask = ~(uint64_t) 0; /* overwritten, not OR-ed into */
  hull_error_t err = NULL;

  ok (hull_caps_parse_names (names, &mask, &err) == 0
          && mask
                 == (CAP_BIT (CAP_CHOWN) | CAP_BIT (CAP_NET_ADMIN) | CAP_BIT (CAP_SYS_ADMIN)
                     | CAP_BIT (CAP_NET_RAW)),
      "capability names parsed");
  hull_error_free (&err);
  mask = 0;
  ok (hull_caps_parse_names (badn, &mask, &err) < 0 && mask == 0,
      "unknown capability rejected");
  is_str (err ? err->msg : NULL, "unknown capability \"CAP_FOO\"", "message");
  hull_error_free (&err);
  ok (hull_caps_kernel_last () >= CAP_AUDIT_READ, "kernel cap_last_cap probed: %d",
      hull_caps_kernel_last ());
}

struct ident_case
{
  bool caps_set;
  uint64_t bnd, eff, prm, inh, amb;
  uint32_t uid, gid;
  uint32_t groups[2];
  size_t ngroups;
  int64_t umask; /* -1 = unset */
  const char *want_error;
};

static uint64_t
status_mask (const char *status, const char *key)
{
  const char *p = strstr (status, key);
  return p ? strtoull (p + strlen (key), NULL, 16) : ~(uint64_t) 0;
}

static int
identity_child (void *arg)
{
  const struct ident_case *c = arg;
  struct hull_process p;
  hull_error_t err = NULL;
  cleanup_free char *status = NULL;
  uid_t ru, eu, su;
  gid_t rg, eg, sg, groups[8];
  mode_t old;
  int n;

  memset (&p, 0, sizeof p);
  p.capabilities_set = c->caps_set;
  p.capabilities.bounding = (struct hull_capset){ true, c->bnd, NULL };
  p.capabilities.effective = (struct hull_capset){ true, c->eff, NULL };
  p.capabilities.permitted = (struct hull_capset){ true, c->prm, NULL };
  p.capabilities.inheritable = (struct hull_capset){ true, c->inh, NULL };
  p.capabilities.ambient = (struct hull_capset){ true, c->amb, NULL };
  p.user.uid = c->uid;
  p.user.gid = c->gid;
  p.user.additional_gids = (uint32_t *) c->groups;
  p.user.additional_gids_len = c->ngroups;
  if (c->umask >= 0)
    p.user.umask = (hull_opt_u64){ true, (uint64_t) c->umask };

  if (hull_process_identity (&p, &err) < 0)
    {
      if (c->want_error && strcmp (err->msg, c->want_error) == 0)
        return 0;
      printf ("#   %s\n", err->msg);
      return 1;
    }
  if (c->want_error)
    return 2;
  if (c->caps_set != p.capabilities_set)
    return 10;
  if (getresuid (&ru, &eu, &su) < 0 || ru != c->uid || eu != c->uid || su != c->uid)
    return 3;
  if (getresgid (&rg, &eg, &sg) < 0 || rg != c->gid || eg != c->gid || sg != c->gid)
    return 4;
  n = getgroups (8, groups);
  if (n != (int) c->ngroups || (n > 0 && groups[0] != c->groups[0]))
    return 5;
  old = umask (0);
  if (old != (c->umask >= 0 ? (mode_t) c->umask : 0022))
    return 6;
  if (read_file_at (AT_FDCWD, "/proc/thread-self/status", &status, NULL, &err) < 0)
    return 7;
  if (status_mask (status, "CapBnd:\t") != c->bnd || status_mask (status, "CapEff:\t") != c->eff
      || status_mask (status, "CapPrm:\t") != c->prm || status_mask (status, "CapInh:\t") != c->inh
      || status_mask (status, "CapAmb:\t") != (c->amb & c->prm & c->inh))
    {
      printf ("#   %s", strstr (status, "CapInh"));
      return 8;
    }
  if (prctl (PR_GET_KEEPCAPS, 0, 0, 0, 0) != 0)
    return 9;
  return 0;
}

static void
test_identity (void)
{
  const uint64_t nbs = CAP_BIT (CAP_NET_BIND_SERVICE), chown = CAP_BIT (CAP_CHOWN),
                 kill = CAP_BIT (CAP_KILL), raw = CAP_BIT (CAP_NET_RAW);
  const struct ident_case cases[] = {
    /* No process.capabilities: everything empty. */
    { false, 0, 0, 0, 0, 0, 0, 0, { 0 }, 0, -1, NULL },
    /* Root with a small set, no inheritable. */
    { true, chown | kill | nbs, chown | kill | nbs, chown | kill | nbs, 0, 0, 0, 0, { 10, 0 }, 1,
      077, NULL },
    /* Non-root with an ambient capability. */
    { true, chown | nbs, nbs, chown | nbs, nbs, nbs, 1000, 1000, { 100, 200 }, 2, 027, NULL },
    /* Non-root, permitted only (effective empty). */
    { true, chown, 0, chown, 0, 0, 65534, 65534, { 0 }, 0, -1, NULL },
    /* Ambient not inheritable: skipped (with a warning), like runc. */
    { true, nbs | raw, nbs, nbs | raw, nbs, nbs | raw, 1000, 1000, { 0 }, 0, -1, NULL },
    /* Effective beyond permitted. */
    { true, nbs | raw, nbs | raw, nbs, 0, 0, 0, 0, { 0 }, 0, -1,
      "process.capabilities.effective: CAP_NET_RAW is not in the permitted set" },
    /* Inheritable beyond bounding. */
    { true, nbs, 0, nbs, raw, 0, 0, 0, { 0 }, 0, -1,
      "process.capabilities.inheritable: CAP_NET_RAW is not in the bounding set" },
  };
  size_t i;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      int r;
      if (!is_root)
        {
          tap_skip ("identity", "needs root");
          continue;
        }
      r = tap_in_child (identity_child, (void *) &cases[i]);
      ok (r == 0, "identity case %zu (child status %d)", i, r);
    }
}

/* In a user namespace that maps only root (and denies setgroups), switching
   to an unmapped id or setting groups fails with a message naming the field. */
static int
unmapped_child (void *arg)
{
  const int which = *(const int *) arg;
  uint32_t groups[1] = { 0 };
  struct hull_process p;
  hull_error_t err = NULL;
  const char *want;

  if (unshare (CLONE_NEWUSER) < 0
      || write_file_at (AT_FDCWD, "/proc/self/uid_map", 0, 0, "0 0 1", 5, &err) < 0
      || write_file_at (AT_FDCWD, "/proc/self/setgroups", 0, 0, "deny", 4, &err) < 0
      || write_file_at (AT_FDCWD, "/proc/self/gid_map", 0, 0, "0 0 1", 5, &err) < 0)
    return 100;
  memset (&p, 0, sizeof p);
  switch (which)
    {
    case 0:
      p.user.gid = 1000;
      want = "process.user.gid: gid 1000 is not mapped in the container's user namespace";
      break;
    case 1:
      p.user.uid = 1000;
      want = "process.user.uid: uid 1000 is not mapped in the container's user namespace";
      break;
    default:
      p.user.additional_gids = groups;
      p.user.additional_gids_len = 1;
      want = "process.user.additionalGids: cannot set supplementary groups: setgroups is denied "
             "in this user namespace (rootless without newgidmap)";
      break;
    }
  if (hull_process_identity (&p, &err) == 0)
    return 1;
  if (strcmp (err->msg, want) != 0)
    {
      printf ("#   got:  %s\n#   want: %s\n", err->msg, want);
      return 2;
    }
  hull_error_free (&err);
  return 0;
}

static void
test_identity_unmapped (void)
{
  int i;
  for (i = 0; i < 3; i++)
    {
      int r = tap_in_child (unmapped_child, &i);
      if (r == 100)
        tap_skip ("unmapped ids", "cannot create a user namespace");
      else
        ok (r == 0, "unmapped id case %d (child status %d)", i, r);
    }
}

static int
nnp_child (void *arg)
{
  struct hull_process p;
  hull_error_t err = NULL;
  memset (&p, 0, sizeof p);
  (void) arg;
  if (hull_process_nnp (&p, &err) < 0 || prctl (PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 0)
    return 1;
  p.no_new_privileges = true;
  if (hull_process_nnp (&p, &err) < 0 || prctl (PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
    return 2;
  return 0;
}

/* ---- other attributes -------------------------------------------------- */

static void
test_personality (void)
{
  char *flags[] = { (char *) "ADDR_NO_RANDOMIZE", NULL };
  char *bad[] = { (char *) "NOPE", NULL };
  struct hull_personality pers = { true, (char *) "LINUX32", PER_LINUX32, NULL };
  hull_error_t err = NULL;
  unsigned long v = 0;

  ok (hull_personality_value (&pers, &v, &err) == 0 && v == PER_LINUX32, "personality LINUX32");
  pers.flags = flags;
  pers.domain_name = (char *) "LINUX";
  ok (hull_personality_value (&pers, &v, &err) == 0 && v == (PER_LINUX | ADDR_NO_RANDOMIZE),
      "personality LINUX + ADDR_NO_RANDOMIZE");
  pers.flags = bad;
  ok (hull_personality_value (&pers, &v, &err) < 0, "unknown personality flag rejected");
  is_str (err ? err->msg : NULL, "linux.personality.flags[0]: unknown flag \"NOPE\"", "message");
  hull_error_free (&err);
  pers.flags = NULL;
  pers.domain_name = (char *) "LINUX64";
  ok (hull_personality_value (&pers, &v, &err) < 0, "unknown personality domain rejected");
  hull_error_free (&err);
}

static int
attrs_child (void *arg)
{
  struct hull_personality pers = { true, (char *) "LINUX32", PER_LINUX32, NULL };
  struct hull_process p;
  hull_error_t err = NULL;
  cleanup_free char *oom = NULL;
  struct utsname u;
  cpu_set_t cs;

  (void) arg;
  memset (&p, 0, sizeof p);
  p.oom_score_adj = (hull_opt_i64){ true, 500 };
  p.io_priority = (struct hull_io_priority){ true, (char *) "IOPRIO_CLASS_BE", 2, 3 };
  p.scheduler.set = true;
  p.scheduler.policy_name = (char *) "SCHED_BATCH";
  p.scheduler.policy = SCHED_BATCH;
  p.scheduler.nice = (hull_opt_i64){ true, 5 };
  p.exec_cpu_affinity.initial = (char *) "0";
  if (hull_process_attrs_apply (&p, &pers, &err) < 0)
    {
      printf ("#   %s\n", err->msg);
      return 1;
    }
  if (read_file_at (AT_FDCWD, "/proc/self/oom_score_adj", &oom, NULL, &err) < 0
      || strcmp (oom, "500\n") != 0)
    return 2;
  if (syscall (SYS_ioprio_get, 1, 0) != ((2 << 13) | 3))
    return 3;
  if (sched_getscheduler (0) != SCHED_BATCH || getpriority (PRIO_PROCESS, 0) != 5)
    return 4;
  if (sched_getaffinity (0, sizeof cs, &cs) < 0 || CPU_COUNT (&cs) != 1 || !CPU_ISSET (0, &cs))
    return 5;
  if (uname (&u) < 0 || strcmp (u.machine, "i686") != 0)
    return 6;
  /* A cpu that does not exist. */
  p.oom_score_adj.set = false;
  p.io_priority.set = false;
  p.scheduler.set = false;
  p.exec_cpu_affinity.initial = (char *) "8000";
  if (hull_process_attrs_apply (&p, NULL, &err) == 0 || !strstr (err->msg, "none of the CPUs"))
    return 7;
  hull_error_free (&err);
  return 0;
}

int
main (void)
{
  is_root = geteuid () == 0;
  test_rlimits ();
  test_cap_names ();
  test_identity ();
  test_identity_unmapped ();
  ok (tap_in_child (nnp_child, NULL) == 0, "no_new_privs only when asked");
  test_personality ();
  if (is_root)
    ok (tap_in_child (attrs_child, NULL) == 0, "oomScoreAdj, ioPriority, scheduler, affinity, personality");
  else
    tap_skip ("attrs", "needs root");
  return tap_done ();
}
