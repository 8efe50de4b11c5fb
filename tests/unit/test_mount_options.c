/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Mount option table: every option string -> flags, propagation, recursive attributes, data. */
#include <config.h>

#include <sys/mount.h>

#include "rootfs.h"
#include "tap.h"
#include "utils.h"

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

static struct hull_mount_opts
parse1 (const char *a, const char *b)
{
  char *v[3] = { (char *) a, (char *) b, NULL };
  struct hull_mount_opts o;
  hull_error_t err = NULL;
  if (hull_mount_opts_parse (v, &o, &err) < 0)
    {
      diag ("parse failed: %s", err->msg);
      hull_error_free (&err);
    }
  return o;
}

struct flag_case
{
  const char *name;
  unsigned long set;   /* expected in flags */
  unsigned long clear; /* expected in clear */
};

static const struct flag_case flag_cases[] = {
  { "ro", MS_RDONLY, 0 },          { "rw", 0, MS_RDONLY },
  { "nosuid", MS_NOSUID, 0 },      { "suid", 0, MS_NOSUID },
  { "nodev", MS_NODEV, 0 },        { "dev", 0, MS_NODEV },
  { "noexec", MS_NOEXEC, 0 },      { "exec", 0, MS_NOEXEC },
  { "sync", MS_SYNCHRONOUS, 0 },   { "async", 0, MS_SYNCHRONOUS },
  { "dirsync", MS_DIRSYNC, 0 },    { "remount", MS_REMOUNT, 0 },
  { "mand", MS_MANDLOCK, 0 },      { "nomand", 0, MS_MANDLOCK },
  { "noatime", MS_NOATIME, 0 },    { "atime", 0, MS_NOATIME },
  { "nodiratime", MS_NODIRATIME, 0 }, { "diratime", 0, MS_NODIRATIME },
  { "relatime", MS_RELATIME, 0 },  { "norelatime", 0, MS_RELATIME },
  { "strictatime", MS_STRICTATIME, 0 }, { "nostrictatime", 0, MS_STRICTATIME },
  { "nosymfollow", MS_NOSYMFOLLOW, 0 }, { "symfollow", 0, MS_NOSYMFOLLOW },
  { "lazytime", MS_LAZYTIME, 0 },  { "nolazytime", 0, MS_LAZYTIME },
  { "iversion", MS_I_VERSION, 0 }, { "noiversion", 0, MS_I_VERSION },
  { "silent", MS_SILENT, 0 },      { "loud", 0, MS_SILENT },
};

struct prop_case
{
  const char *name;
  unsigned long prop;
};

static const struct prop_case prop_cases[] = {
  { "private", MS_PRIVATE },        { "rprivate", MS_PRIVATE | MS_REC },
  { "shared", MS_SHARED },          { "rshared", MS_SHARED | MS_REC },
  { "slave", MS_SLAVE },            { "rslave", MS_SLAVE | MS_REC },
  { "unbindable", MS_UNBINDABLE },  { "runbindable", MS_UNBINDABLE | MS_REC },
};

struct rec_case
{
  const char *name;
  uint64_t set, clr;
};

static const struct rec_case rec_cases[] = {
  { "rro", MOUNT_ATTR_RDONLY, 0 },
  { "rrw", 0, MOUNT_ATTR_RDONLY },
  { "rnosuid", MOUNT_ATTR_NOSUID, 0 },
  { "rsuid", 0, MOUNT_ATTR_NOSUID },
  { "rnodev", MOUNT_ATTR_NODEV, 0 },
  { "rdev", 0, MOUNT_ATTR_NODEV },
  { "rnoexec", MOUNT_ATTR_NOEXEC, 0 },
  { "rexec", 0, MOUNT_ATTR_NOEXEC },
  { "rnodiratime", MOUNT_ATTR_NODIRATIME, 0 },
  { "rdiratime", 0, MOUNT_ATTR_NODIRATIME },
  { "rnosymfollow", MOUNT_ATTR_NOSYMFOLLOW, 0 },
  { "rsymfollow", 0, MOUNT_ATTR_NOSYMFOLLOW },
  { "rnoatime", MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME },
  { "rstrictatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME },
  { "rrelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME },
  { "ratime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME },
  { "rnostrictatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME },
  { "rnorelatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME },
};

int
main (void)
{
  struct hull_mount_opts o;
  size_t i;
  unsigned long pf;
  uint64_t clr, a;

  for (i = 0; i < sizeof flag_cases / sizeof flag_cases[0]; i++)
    {
      const struct flag_case *c = &flag_cases[i];
      o = parse1 (c->name, NULL);
      ok (o.flags == c->set && o.clear == c->clear && o.data == NULL && !o.propagation
              && !o.rec_set && !o.rec_clr && !o.bind,
          "%s -> flags 0x%lx clear 0x%lx (got 0x%lx 0x%lx)", c->name, c->set, c->clear, o.flags,
          o.clear);
      hull_mount_opts_clear (&o);
    }
  for (i = 0; i < sizeof prop_cases / sizeof prop_cases[0]; i++)
    {
      const struct prop_case *c = &prop_cases[i];
      o = parse1 (c->name, NULL);
      ok (o.propagation == c->prop && o.flags == 0 && o.data == NULL, "%s -> propagation 0x%lx",
          c->name, c->prop);
      ok (hull_propagation_from_name (c->name, &pf) && pf == c->prop, "%s is a propagation name",
          c->name);
      hull_mount_opts_clear (&o);
    }
  ok (!hull_propagation_from_name ("ro", &pf), "ro is not a propagation name");
  for (i = 0; i < sizeof rec_cases / sizeof rec_cases[0]; i++)
    {
      const struct rec_case *c = &rec_cases[i];
      o = parse1 (c->name, NULL);
      ok (o.rec_set == c->set && o.rec_clr == c->clr && o.flags == 0 && o.data == NULL,
          "%s -> recursive set 0x%llx clr 0x%llx (got 0x%llx 0x%llx)", c->name,
          (unsigned long long) c->set, (unsigned long long) c->clr,
          (unsigned long long) o.rec_set, (unsigned long long) o.rec_clr);
      hull_mount_opts_clear (&o);
    }

  o = parse1 ("bind", NULL);
  ok (o.bind && !o.recursive && o.flags == 0, "bind");
  hull_mount_opts_clear (&o);
  o = parse1 ("rbind", NULL);
  ok (o.bind && o.recursive && o.flags == 0, "rbind");
  hull_mount_opts_clear (&o);
  o = parse1 ("idmap", NULL);
  ok (o.idmap && !o.recursive_idmap, "idmap");
  hull_mount_opts_clear (&o);
  o = parse1 ("ridmap", NULL);
  ok (o.idmap && o.recursive_idmap, "ridmap");
  hull_mount_opts_clear (&o);
  o = parse1 ("tmpcopyup", NULL);
  ok (o.tmpcopyup && o.data == NULL, "tmpcopyup is an extension, not data");
  hull_mount_opts_clear (&o);
  o = parse1 ("tmpcopyup", "notmpcopyup");
  ok (!o.tmpcopyup, "notmpcopyup cancels tmpcopyup");
  hull_mount_opts_clear (&o);
  o = parse1 ("defaults", NULL);
  ok (o.flags == 0 && o.data == NULL, "defaults is a no-op");
  hull_mount_opts_clear (&o);

  /* last one wins */
  o = parse1 ("ro", "rw");
  ok (!(o.flags & MS_RDONLY) && (o.clear & MS_RDONLY), "ro,rw -> rw");
  hull_mount_opts_clear (&o);
  o = parse1 ("rw", "ro");
  ok ((o.flags & MS_RDONLY) && !(o.clear & MS_RDONLY), "rw,ro -> ro");
  hull_mount_opts_clear (&o);
  o = parse1 ("rro", "rrw");
  ok (o.rec_set == 0 && o.rec_clr == MOUNT_ATTR_RDONLY, "rro,rrw -> rrw");
  hull_mount_opts_clear (&o);
  o = parse1 ("rnoatime", "rstrictatime");
  ok (o.rec_set == MOUNT_ATTR_STRICTATIME && o.rec_clr == MOUNT_ATTR__ATIME,
      "atime modes replace each other");
  hull_mount_opts_clear (&o);
  o = parse1 ("rprivate", "rslave");
  ok (o.propagation == (MS_SLAVE | MS_REC), "last propagation wins");
  hull_mount_opts_clear (&o);

  /* data */
  o = parse1 ("mode=755", "size=65536k");
  is_str (o.data, "mode=755,size=65536k", "unknown options become comma-joined data");
  ok (o.flags == 0, "data options set no flags");
  hull_mount_opts_clear (&o);
  {
    char *v[] = { "nosuid", "strictatime", "mode=755", "ro", "newinstance", "rprivate", "", NULL };
    hull_error_t err = NULL;
    ok (hull_mount_opts_parse (v, &o, &err) == 0, "parse a mixed list");
    ok (o.flags == (MS_NOSUID | MS_STRICTATIME | MS_RDONLY), "mixed list flags");
    is_str (o.data, "mode=755,newinstance", "mixed list data (empty strings dropped)");
    ok (o.propagation == (MS_PRIVATE | MS_REC), "mixed list propagation");
    hull_mount_opts_clear (&o);
  }
  o = parse1 (NULL, NULL);
  ok (o.flags == 0 && o.data == NULL, "no options");
  hull_mount_opts_clear (&o);

  /* MS_* -> MOUNT_ATTR_* */
  a = hull_ms_to_mount_attr (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NODIRATIME
                                 | MS_NOSYMFOLLOW,
                             &clr);
  ok (a == (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC
            | MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW)
          && clr == 0,
      "per-mount flags map to MOUNT_ATTR_*");
  a = hull_ms_to_mount_attr (MS_NOATIME, &clr);
  ok (a == MOUNT_ATTR_NOATIME && clr == MOUNT_ATTR__ATIME, "noatime clears the atime field");
  a = hull_ms_to_mount_attr (MS_STRICTATIME, &clr);
  ok (a == MOUNT_ATTR_STRICTATIME && clr == MOUNT_ATTR__ATIME, "strictatime");
  a = hull_ms_to_mount_attr (MS_RELATIME, &clr);
  ok (a == MOUNT_ATTR_RELATIME && clr == MOUNT_ATTR__ATIME, "relatime");
  a = hull_ms_to_mount_attr (MS_SYNCHRONOUS | MS_DIRSYNC | MS_MANDLOCK, &clr);
  ok (a == 0 && clr == 0, "superblock flags have no mount attribute");

  return tap_done ();
}
