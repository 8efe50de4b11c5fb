/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* linux.sysctl validation and application (see sysctl.h). */
#include <config.h>
#include "sysctl.h"
#include "procfs.h"
#include "utils.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* System V IPC sysctls below kernel.* that belong to the ipc namespace. */
static const char *const ipc_kernel_keys[] = {
  "msgmax", "msgmnb", "msgmni", "sem", "shmall", "shmmax", "shmmni", "shm_rmid_forced", NULL,
};

static const char *const ns_words[HULL_NS_TYPES] = {
  [HULL_NS_NET] = "network", [HULL_NS_IPC] = "ipc", [HULL_NS_UTS] = "uts",
};

char *
hull_sysctl_path (const char *key)
{
  char *path = xasprintf ("sys/%s", key);
  char *p;

  if (strchr (key, '/') == NULL)
    for (p = path + 4; *p; p++)
      if (*p == '.')
        *p = '/';
  return path;
}

int
hull_sysctl_namespace (const char *key, hull_error_t *err)
{
  cleanup_free char *path = NULL;
  const char *rel, *c;
  size_t i;

  if (key == NULL || *key == '\0')
    return hull_error_set (err, 0, "linux.sysctl: empty key");
  /* Every component non-empty and not "." or "..": the key becomes a path. */
  path = hull_sysctl_path (key);
  rel = path + 4;
  for (c = rel; *c;)
    {
      const char *end = strchr (c, '/');
      size_t len = end ? (size_t) (end - c) : strlen (c);
      if (len == 0 || (len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
        return hull_error_set (err, 0, "linux.sysctl: invalid key \"%s\"", key);
      c += len + (end ? 1 : 0);
      if (end && *c == '\0')
        return hull_error_set (err, 0, "linux.sysctl: invalid key \"%s\"", key);
    }

  if (strncmp (rel, "net/", 4) == 0)
    return HULL_NS_NET;
  if (strncmp (rel, "fs/mqueue/", 10) == 0)
    return HULL_NS_IPC;
  if (strncmp (rel, "kernel/", 7) == 0)
    {
      const char *name = rel + 7;
      for (i = 0; ipc_kernel_keys[i]; i++)
        if (strcmp (name, ipc_kernel_keys[i]) == 0)
          return HULL_NS_IPC;
      if (strcmp (name, "hostname") == 0 || strcmp (name, "domainname") == 0)
        return HULL_NS_UTS;
    }
  return hull_error_set (err, 0, "linux.sysctl: \"%s\" is not namespaced, refusing to change it "
                                 "on the host",
                         key);
}

/* Is the namespace at path (to be joined) the one hull itself is in? */
static int
is_own_namespace (const char *path, enum hull_ns_type t, bool *same, hull_error_t *err)
{
  static const char *const names[HULL_NS_TYPES] = {
    [HULL_NS_NET] = "net", [HULL_NS_IPC] = "ipc", [HULL_NS_UTS] = "uts",
  };
  cleanup_close int nsdir = -1;
  struct stat theirs, ours;

  if (stat (path, &theirs) < 0)
    return hull_error_set (err, errno, "stat \"%s\"", path);
  nsdir = hull_procfs_open ("self/ns", O_PATH | O_DIRECTORY, err);
  if (nsdir < 0)
    return -1;
  if (fstatat (nsdir, names[t], &ours, 0) < 0)
    return hull_error_set (err, errno, "stat \"/proc/self/ns/%s\"", names[t]);
  *same = theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino;
  return 0;
}

int
hull_sysctl_validate (const struct hull_config *c, hull_error_t *err)
{
  size_t i;

  if (c->linux_ == NULL)
    return 0;
  for (i = 0; i < c->linux_->sysctl_len; i++)
    {
      const char *key = c->linux_->sysctl[i].key;
      const struct hull_namespace *ns;
      int t = hull_sysctl_namespace (key, err);
      bool same = false;

      if (t < 0)
        return -1;
      ns = hull_config_namespace (c, (enum hull_ns_type) t);
      if (ns == NULL)
        return hull_error_set (err, 0, "linux.sysctl: \"%s\" needs a new %s namespace", key,
                               ns_words[t]);
      if (ns->path)
        {
          if (is_own_namespace (ns->path, (enum hull_ns_type) t, &same, err) < 0)
            return hull_error_prefix (err, "linux.sysctl: \"%s\"", key);
          if (same)
            return hull_error_set (err, 0,
                                   "linux.sysctl: \"%s\" needs a new %s namespace, but the "
                                   "namespace at \"%s\" is the host's",
                                   key, ns_words[t], ns->path);
        }
      if (c->linux_->sysctl[i].value == NULL)
        return hull_error_set (err, 0, "linux.sysctl: \"%s\" has no value", key);
    }
  return 0;
}

int
hull_sysctl_apply (const struct hull_config *c, hull_error_t *err)
{
  size_t i;

  if (c->linux_ == NULL)
    return 0;
  for (i = 0; i < c->linux_->sysctl_len; i++)
    {
      const struct hull_kv *kv = &c->linux_->sysctl[i];
      cleanup_free char *path = NULL;

      if (hull_sysctl_namespace (kv->key, err) < 0)
        return -1;
      path = hull_sysctl_path (kv->key);
      if (hull_procfs_write (path, kv->value ? kv->value : "", err) < 0)
        return hull_error_prefix (err, "linux.sysctl: \"%s\"", kv->key);
    }
  return 0;
}
