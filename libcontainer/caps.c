/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Capabilities and user identity of the container process (see caps.h). */
#include <config.h>
#include "caps.h"
#include "log.h"
#include "procfs.h"
#include "utils.h"

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_RAISE 2
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

#define CAP_BIT(n) ((uint64_t) 1 << (n))

int
hull_caps_kernel_last (void)
{
  static int last = -1;
  int n;

  if (last >= 0)
    return last;
  /* PR_CAPBSET_READ fails with EINVAL for numbers the kernel does not know:
     bisect between 0 (always known) and 64 (never), six calls instead of ~40. */
  {
    int lo = 0, hi = 64;
    while (hi - lo > 1)
      {
        n = lo + (hi - lo) / 2;
        if (prctl (PR_CAPBSET_READ, (unsigned long) n, 0, 0, 0) < 0 && errno == EINVAL)
          hi = n;
        else
          lo = n;
      }
    last = lo;
  }
  return last;
}

uint64_t
hull_caps_kernel_mask (void)
{
  int last = hull_caps_kernel_last ();
  return last >= 63 ? ~(uint64_t) 0 : CAP_BIT (last + 1) - 1;
}

/* "CAP_FOO" for capability n, or "capability N" when the name is unknown. */
static const char *
cap_label (int n, char *buf, size_t len)
{
  const char *name = hull_cap_name (n);
  if (name)
    return name;
  snprintf (buf, len, "capability %d", n);
  return buf;
}

/* First capability number in mask, or -1. */
static int
first_cap (uint64_t mask)
{
  return mask ? __builtin_ctzll (mask) : -1;
}

/* The configured mask of one set, restricted to what the kernel knows. */
static uint64_t
set_mask (const struct hull_capset *s, const char *field)
{
  uint64_t valid = hull_caps_kernel_mask ();
  uint64_t m = s->set ? s->mask : 0;
  uint64_t unknown = m & ~valid;

  if (unknown)
    {
      char buf[32];
      hull_warn ("%s: %s is not known to the running kernel, ignoring it", field,
                 cap_label (first_cap (unknown), buf, sizeof buf));
    }
  return m & valid;
}

static int
cap_get (uint64_t *eff, uint64_t *prm, uint64_t *inh)
{
  struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct d[2];

  memset (d, 0, sizeof d);
  if (syscall (SYS_capget, &hdr, d) < 0)
    return -1;
  *eff = d[0].effective | ((uint64_t) d[1].effective << 32);
  *prm = d[0].permitted | ((uint64_t) d[1].permitted << 32);
  *inh = d[0].inheritable | ((uint64_t) d[1].inheritable << 32);
  return 0;
}

static int
cap_set (uint64_t eff, uint64_t prm, uint64_t inh)
{
  struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct d[2];

  d[0].effective = (uint32_t) eff;
  d[1].effective = (uint32_t) (eff >> 32);
  d[0].permitted = (uint32_t) prm;
  d[1].permitted = (uint32_t) (prm >> 32);
  d[0].inheritable = (uint32_t) inh;
  d[1].inheritable = (uint32_t) (inh >> 32);
  return (int) syscall (SYS_capset, &hdr, d);
}

static int
drop_bounding (uint64_t keep, hull_error_t *err)
{
  int n, last = hull_caps_kernel_last ();

  for (n = 0; n <= last; n++)
    {
      char buf[32];
      int r;

      if (keep & CAP_BIT (n))
        continue;
      /* Dropping what is already gone succeeds: one call per capability.  Only
         when the drop is refused, look whether there was anything to drop. */
      if (prctl (PR_CAPBSET_DROP, (unsigned long) n, 0, 0, 0) == 0)
        continue;
      r = errno;
      if (prctl (PR_CAPBSET_READ, (unsigned long) n, 0, 0, 0) == 0)
        continue;
      return hull_error_set (err, r, "process.capabilities.bounding: drop %s",
                             cap_label (n, buf, sizeof buf));
    }
  return 0;
}

/* True when /proc/self/setgroups says "deny" (a user namespace whose gid map
   was written without CAP_SETGID). */
static int
setgroups_denied (bool *denied, hull_error_t *err)
{
  cleanup_free char *text = NULL;
  hull_error_t e = NULL;

  *denied = false;
  if (hull_procfs_read ("self/setgroups", &text, &e) < 0)
    {
      if (e->errnum == ENOENT) /* kernels before 3.19 */
        {
          hull_error_free (&e);
          return 0;
        }
      *err = e;
      return -1;
    }
  *denied = strncmp (text, "deny", 4) == 0;
  return 0;
}

static int
set_groups (const struct hull_user *u, hull_error_t *err)
{
  cleanup_free gid_t *groups = NULL;
  bool denied;
  size_t i;

  if (setgroups_denied (&denied, err) < 0)
    return hull_error_prefix (err, "process.user.additionalGids");
  if (denied)
    {
      if (u->additional_gids_len > 0)
        return hull_error_set (err, 0,
                               "process.user.additionalGids: cannot set supplementary groups: "
                               "setgroups is denied in this user namespace (rootless without "
                               "newgidmap)");
      return 0;
    }
  groups = xmalloc0 ((u->additional_gids_len + 1) * sizeof (gid_t));
  for (i = 0; i < u->additional_gids_len; i++)
    groups[i] = (gid_t) u->additional_gids[i];
  /* Also with an empty list: clear whatever groups hull itself had. */
  if (setgroups (u->additional_gids_len, groups) < 0)
    {
      if (errno == EINVAL)
        return hull_error_set (err, 0,
                               "process.user.additionalGids: setgroups: a gid is not mapped in "
                               "the container's user namespace");
      return hull_error_set (err, errno, "process.user.additionalGids: setgroups");
    }
  return 0;
}

/* Check the configured sets against each other and against what we hold,
   so that a failing capset names the capability instead of just EPERM. */
static int
check_sets (uint64_t bnd, uint64_t eff, uint64_t prm, uint64_t inh, hull_error_t *err)
{
  uint64_t cur_eff, cur_prm, cur_inh, bad;
  char buf[32];

  if ((bad = eff & ~prm))
    return hull_error_set (err, 0,
                           "process.capabilities.effective: %s is not in the permitted set",
                           cap_label (first_cap (bad), buf, sizeof buf));
  if (cap_get (&cur_eff, &cur_prm, &cur_inh) < 0)
    return hull_error_set (err, errno, "capget");
  if ((bad = prm & ~cur_prm))
    return hull_error_set (err, 0,
                           "process.capabilities.permitted: %s is not held by the runtime",
                           cap_label (first_cap (bad), buf, sizeof buf));
  if ((bad = inh & ~(cur_inh | bnd)))
    return hull_error_set (err, 0,
                           "process.capabilities.inheritable: %s is not in the bounding set",
                           cap_label (first_cap (bad), buf, sizeof buf));
  return 0;
}

int
hull_process_identity (const struct hull_process *p, hull_error_t *err)
{
  const struct hull_capabilities *c = &p->capabilities;
  bool have = p->capabilities_set;
  uint64_t bnd = have ? set_mask (&c->bounding, "process.capabilities.bounding") : 0;
  uint64_t eff = have ? set_mask (&c->effective, "process.capabilities.effective") : 0;
  uint64_t prm = have ? set_mask (&c->permitted, "process.capabilities.permitted") : 0;
  uint64_t inh = have ? set_mask (&c->inheritable, "process.capabilities.inheritable") : 0;
  uint64_t amb = have ? set_mask (&c->ambient, "process.capabilities.ambient") : 0;
  int n;

  if (check_sets (bnd, eff, prm, inh, err) < 0)
    return -1;
  /* The kernel raises an ambient capability only when it is both permitted
     and inheritable.  Configs from `runc spec` (1.1) list ambient ones
     without inheritable and runc skips them silently; do the same, but say
     so. */
  if (amb & ~(prm & inh))
    {
      uint64_t skipped = amb & ~(prm & inh);
      cleanup_free char *list = NULL;
      for (n = 0; n < 64; n++)
        if (skipped & CAP_BIT (n))
          {
            char buf[32];
            char *t = xasprintf ("%s%s%s", list ? list : "", list ? ", " : "",
                                 cap_label (n, buf, sizeof buf));
            free (list);
            list = t;
          }
      hull_warn ("process.capabilities.ambient: not raising %s: only capabilities in both the "
                 "permitted and the inheritable set can be ambient",
                 list);
      amb &= prm & inh;
    }

  if (prctl (PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
    return hull_error_set (err, errno, "prctl PR_SET_KEEPCAPS");
  if (drop_bounding (bnd, err) < 0)
    return -1;
  if (set_groups (&p->user, err) < 0)
    return -1;
  if (setresgid (p->user.gid, p->user.gid, p->user.gid) < 0)
    {
      if (errno == EINVAL)
        return hull_error_set (err, 0,
                               "process.user.gid: gid %u is not mapped in the container's user "
                               "namespace",
                               p->user.gid);
      return hull_error_set (err, errno, "process.user.gid: setresgid %u", p->user.gid);
    }
  if (setresuid (p->user.uid, p->user.uid, p->user.uid) < 0)
    {
      if (errno == EINVAL)
        return hull_error_set (err, 0,
                               "process.user.uid: uid %u is not mapped in the container's user "
                               "namespace",
                               p->user.uid);
      return hull_error_set (err, errno, "process.user.uid: setresuid %u", p->user.uid);
    }
  umask (p->user.umask.set ? (mode_t) (p->user.umask.value & 07777) : 0022);

  if (cap_set (eff, prm, inh) < 0)
    return hull_error_set (err, errno, "process.capabilities: capset");

  /* Ambient: exactly the configured ones. */
  if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
    {
      if (amb)
        return hull_error_set (err, errno,
                               "process.capabilities.ambient: the kernel does not support "
                               "ambient capabilities");
    }
  for (n = 0; n < 64; n++)
    {
      char buf[32];
      if (!(amb & CAP_BIT (n)))
        continue;
      if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (unsigned long) n, 0, 0) < 0)
        return hull_error_set (err, errno, "process.capabilities.ambient: raise %s",
                               cap_label (n, buf, sizeof buf));
    }

  if (prctl (PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
    return hull_error_set (err, errno, "prctl PR_SET_KEEPCAPS");
  return 0;
}

int
hull_process_nnp (const struct hull_process *p, hull_error_t *err)
{
  if (!p->no_new_privileges)
    return 0;
  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return hull_error_set (err, errno, "process.noNewPrivileges: prctl PR_SET_NO_NEW_PRIVS");
  return 0;
}

/* One id: decimal digits only, 0..4294967294. */
static int
parse_id (const char *whole, const char *s, size_t len, const char *what, uint32_t *out,
          hull_error_t *err)
{
  uint64_t v = 0;
  size_t i;

  if (len == 0)
    return hull_error_set (err, 0, "invalid user \"%s\": empty %s (want uid[:gid])", whole, what);
  for (i = 0; i < len; i++)
    {
      if (s[i] < '0' || s[i] > '9')
        return hull_error_set (err, 0,
                               "invalid user \"%s\": %s must be a decimal number (want uid[:gid])",
                               whole, what);
      v = v * 10 + (uint64_t) (s[i] - '0');
      if (v > UINT32_MAX)
        break;
    }
  if (v >= UINT32_MAX)
    return hull_error_set (err, 0, "invalid user \"%s\": %s out of range 0..4294967294", whole,
                           what);
  *out = (uint32_t) v;
  return 0;
}

int
hull_parse_user_spec (const char *s, uint32_t *uid, uint32_t *gid, bool *gid_set,
                      hull_error_t *err)
{
  const char *colon;
  uint32_t u, g = 0;

  if (s == NULL)
    return hull_error_set (err, 0, "invalid user: missing value (want uid[:gid])");
  colon = strchr (s, ':');
  if (parse_id (s, s, colon ? (size_t) (colon - s) : strlen (s), "uid", &u, err) < 0)
    return -1;
  if (colon && parse_id (s, colon + 1, strlen (colon + 1), "gid", &g, err) < 0)
    return -1;
  *uid = u;
  *gid = g;
  if (gid_set)
    *gid_set = colon != NULL;
  return 0;
}

int
hull_caps_parse_names (char *const *names, uint64_t *mask, hull_error_t *err)
{
  uint64_t m = 0;
  size_t i;

  for (i = 0; names && names[i]; i++)
    {
      const char *name = names[i];
      int n = hull_cap_from_name (name);

      if (n < 0)
        {
          /* Accept "net_admin", "NET_ADMIN", "cap_net_admin" as well. */
          size_t k, len = strlen (name);
          bool prefixed = len >= 4 && strncasecmp (name, "cap_", 4) == 0;
          cleanup_free char *up = xasprintf ("%s%s", prefixed ? "" : "CAP_", name);
          for (k = 0; up[k]; k++)
            up[k] = (char) toupper ((unsigned char) up[k]);
          n = hull_cap_from_name (up);
        }
      if (n < 0 || n > 63)
        return hull_error_set (err, 0, "unknown capability \"%s\"", name);
      if (n > hull_caps_kernel_last ())
        return hull_error_set (err, 0, "capability \"%s\" is not supported by the running kernel",
                               name);
      m |= CAP_BIT (n);
    }
  *mask = m;
  return 0;
}
