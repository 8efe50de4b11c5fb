/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The table of mount options: what each string in mounts[].options means.
 * Classic per-mount and superblock flags become MS_* bits, propagation
 * names a propagation change applied after the mount, the "r" forms are
 * recursive mount_setattr(2) attributes, and hull's extensions (bind, rbind,
 * idmap, ridmap, tmpcopyup) are booleans.  Anything else is filesystem data
 * ("mode=755", "size=64m"), passed on comma-joined.
 */
#include <config.h>
#include "rootfs.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "utils.h"

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#ifndef MOUNT_ATTR_NOSYMFOLLOW
#define MOUNT_ATTR_NOSYMFOLLOW 0x00200000
#endif

enum opt_kind
{
  OPT_SET,       /* set an MS_* flag */
  OPT_CLEAR,     /* clear an MS_* flag */
  OPT_PROP,      /* propagation */
  OPT_REC_SET,   /* recursive attribute on */
  OPT_REC_CLR,   /* recursive attribute off */
  OPT_REC_ATIME, /* recursive atime mode (value is the MOUNT_ATTR_ atime value) */
  OPT_BIND,
  OPT_RBIND,
  OPT_IDMAP,
  OPT_RIDMAP,
  OPT_TMPCOPYUP,
  OPT_NOTMPCOPYUP,
  OPT_IGNORE,
};

struct opt
{
  const char *name;
  enum opt_kind kind;
  unsigned long value;
};

/* Sorted by name for bsearch. */
static const struct opt opts[] = {
  { "async", OPT_CLEAR, MS_SYNCHRONOUS },
  { "atime", OPT_CLEAR, MS_NOATIME },
  { "bind", OPT_BIND, 0 },
  { "defaults", OPT_IGNORE, 0 },
  { "dev", OPT_CLEAR, MS_NODEV },
  { "diratime", OPT_CLEAR, MS_NODIRATIME },
  { "dirsync", OPT_SET, MS_DIRSYNC },
  { "exec", OPT_CLEAR, MS_NOEXEC },
  { "idmap", OPT_IDMAP, 0 },
  { "iversion", OPT_SET, MS_I_VERSION },
  { "lazytime", OPT_SET, MS_LAZYTIME },
  { "loud", OPT_CLEAR, MS_SILENT },
  { "mand", OPT_SET, MS_MANDLOCK },
  { "noatime", OPT_SET, MS_NOATIME },
  { "nodev", OPT_SET, MS_NODEV },
  { "nodiratime", OPT_SET, MS_NODIRATIME },
  { "noexec", OPT_SET, MS_NOEXEC },
  { "noiversion", OPT_CLEAR, MS_I_VERSION },
  { "nolazytime", OPT_CLEAR, MS_LAZYTIME },
  { "nomand", OPT_CLEAR, MS_MANDLOCK },
  { "norelatime", OPT_CLEAR, MS_RELATIME },
  { "nostrictatime", OPT_CLEAR, MS_STRICTATIME },
  { "nosuid", OPT_SET, MS_NOSUID },
  { "nosymfollow", OPT_SET, MS_NOSYMFOLLOW },
  { "notmpcopyup", OPT_NOTMPCOPYUP, 0 },
  { "private", OPT_PROP, MS_PRIVATE },
  { "ratime", OPT_REC_ATIME, MOUNT_ATTR_RELATIME },
  { "rbind", OPT_RBIND, 0 },
  { "rdev", OPT_REC_CLR, MOUNT_ATTR_NODEV },
  { "rdiratime", OPT_REC_CLR, MOUNT_ATTR_NODIRATIME },
  { "relatime", OPT_SET, MS_RELATIME },
  { "remount", OPT_SET, MS_REMOUNT },
  { "rexec", OPT_REC_CLR, MOUNT_ATTR_NOEXEC },
  { "ridmap", OPT_RIDMAP, 0 },
  { "rnoatime", OPT_REC_ATIME, MOUNT_ATTR_NOATIME },
  { "rnodev", OPT_REC_SET, MOUNT_ATTR_NODEV },
  { "rnodiratime", OPT_REC_SET, MOUNT_ATTR_NODIRATIME },
  { "rnoexec", OPT_REC_SET, MOUNT_ATTR_NOEXEC },
  { "rnorelatime", OPT_REC_ATIME, MOUNT_ATTR_STRICTATIME },
  { "rnostrictatime", OPT_REC_ATIME, MOUNT_ATTR_RELATIME },
  { "rnosuid", OPT_REC_SET, MOUNT_ATTR_NOSUID },
  { "rnosymfollow", OPT_REC_SET, MOUNT_ATTR_NOSYMFOLLOW },
  { "ro", OPT_SET, MS_RDONLY },
  { "rprivate", OPT_PROP, MS_PRIVATE | MS_REC },
  { "rrelatime", OPT_REC_ATIME, MOUNT_ATTR_RELATIME },
  { "rro", OPT_REC_SET, MOUNT_ATTR_RDONLY },
  { "rrw", OPT_REC_CLR, MOUNT_ATTR_RDONLY },
  { "rshared", OPT_PROP, MS_SHARED | MS_REC },
  { "rslave", OPT_PROP, MS_SLAVE | MS_REC },
  { "rstrictatime", OPT_REC_ATIME, MOUNT_ATTR_STRICTATIME },
  { "rsuid", OPT_REC_CLR, MOUNT_ATTR_NOSUID },
  { "rsymfollow", OPT_REC_CLR, MOUNT_ATTR_NOSYMFOLLOW },
  { "runbindable", OPT_PROP, MS_UNBINDABLE | MS_REC },
  { "rw", OPT_CLEAR, MS_RDONLY },
  { "shared", OPT_PROP, MS_SHARED },
  { "silent", OPT_SET, MS_SILENT },
  { "slave", OPT_PROP, MS_SLAVE },
  { "strictatime", OPT_SET, MS_STRICTATIME },
  { "suid", OPT_CLEAR, MS_NOSUID },
  { "symfollow", OPT_CLEAR, MS_NOSYMFOLLOW },
  { "sync", OPT_SET, MS_SYNCHRONOUS },
  { "tmpcopyup", OPT_TMPCOPYUP, 0 },
  { "unbindable", OPT_PROP, MS_UNBINDABLE },
};

static int
opt_cmp (const void *key, const void *elem)
{
  return strcmp (key, ((const struct opt *) elem)->name);
}

static const struct opt *
find_opt (const char *name)
{
  return bsearch (name, opts, sizeof opts / sizeof opts[0], sizeof opts[0], opt_cmp);
}

bool
hull_propagation_from_name (const char *name, unsigned long *flags)
{
  const struct opt *o = find_opt (name);
  if (o == NULL || o->kind != OPT_PROP)
    return false;
  *flags = o->value;
  return true;
}

static void
append_data (char **data, size_t *len, const char *s)
{
  size_t l = strlen (s);
  *data = xrealloc (*data, *len + l + 2);
  if (*len)
    (*data)[(*len)++] = ',';
  memcpy (*data + *len, s, l + 1);
  *len += l;
}

int
hull_mount_opts_parse (char *const *options, struct hull_mount_opts *o, hull_error_t *err)
{
  size_t data_len = 0;
  char *const *p;

  memset (o, 0, sizeof *o);
  for (p = options; p && *p; p++)
    {
      const struct opt *e = find_opt (*p);
      if (e == NULL)
        {
          if (**p != '\0')
            append_data (&o->data, &data_len, *p);
          continue;
        }
      switch (e->kind)
        {
        case OPT_SET:
          o->flags |= e->value;
          o->clear &= ~e->value;
          break;
        case OPT_CLEAR:
          o->flags &= ~e->value;
          o->clear |= e->value;
          break;
        case OPT_PROP:
          o->propagation = e->value;
          break;
        case OPT_REC_SET:
          o->rec_set |= e->value;
          o->rec_clr &= ~e->value;
          break;
        case OPT_REC_CLR:
          o->rec_clr |= e->value;
          o->rec_set &= ~e->value;
          break;
        case OPT_REC_ATIME:
          /* atime is a mode, not a bit: clear the whole field and set one value. */
          o->rec_set = (o->rec_set & ~(uint64_t) MOUNT_ATTR__ATIME) | e->value;
          o->rec_clr |= MOUNT_ATTR__ATIME;
          break;
        case OPT_BIND:
          o->bind = true;
          break;
        case OPT_RBIND:
          o->bind = o->recursive = true;
          break;
        case OPT_IDMAP:
          o->idmap = true;
          break;
        case OPT_RIDMAP:
          o->idmap = o->recursive_idmap = true;
          break;
        case OPT_TMPCOPYUP:
          o->tmpcopyup = true;
          break;
        case OPT_NOTMPCOPYUP:
          o->tmpcopyup = false;
          break;
        case OPT_IGNORE:
          break;
        }
    }
  (void) err;
  return 0;
}

void
hull_mount_opts_clear (struct hull_mount_opts *o)
{
  free (o->data);
  o->data = NULL;
}

uint64_t
hull_ms_to_mount_attr (unsigned long ms, uint64_t *clr)
{
  uint64_t a = 0;

  *clr = 0;
  if (ms & MS_RDONLY)
    a |= MOUNT_ATTR_RDONLY;
  if (ms & MS_NOSUID)
    a |= MOUNT_ATTR_NOSUID;
  if (ms & MS_NODEV)
    a |= MOUNT_ATTR_NODEV;
  if (ms & MS_NOEXEC)
    a |= MOUNT_ATTR_NOEXEC;
  if (ms & MS_NODIRATIME)
    a |= MOUNT_ATTR_NODIRATIME;
  if (ms & MS_NOSYMFOLLOW)
    a |= MOUNT_ATTR_NOSYMFOLLOW;
  if (ms & (MS_NOATIME | MS_STRICTATIME | MS_RELATIME))
    {
      *clr |= MOUNT_ATTR__ATIME;
      if (ms & MS_NOATIME)
        a |= MOUNT_ATTR_NOATIME;
      else if (ms & MS_STRICTATIME)
        a |= MOUNT_ATTR_STRICTATIME;
    }
  return a;
}
