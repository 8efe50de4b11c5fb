/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* User namespace id maps (see idmap.h). */
#include <config.h>
#include "idmap.h"
#include "procfs.h"
#include "utils.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The kernel accepts at most this many lines in uid_map/gid_map. */
#define MAX_EXTENTS 340

char *
hull_idmap_format (const struct hull_id_mapping *m, size_t n)
{
  size_t i, used = 0, cap = 64 * (n + 1);
  char *buf = xmalloc (cap);

  buf[0] = '\0';
  for (i = 0; i < n; i++)
    used += (size_t) snprintf (buf + used, cap - used, "%u %u %u\n", m[i].container_id,
                               m[i].host_id, m[i].size);
  return buf;
}

static bool
ranges_overlap (uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
  return a < b + blen && b < a + alen;
}

int
hull_idmap_validate (const struct hull_id_mapping *m, size_t n, const char *field,
                     hull_error_t *err)
{
  size_t i, j;

  if (n > MAX_EXTENTS)
    return hull_error_set (err, 0, "%s: %zu mappings, the kernel accepts at most %d", field, n,
                           MAX_EXTENTS);
  for (i = 0; i < n; i++)
    {
      if (m[i].size == 0)
        return hull_error_set (err, 0, "%s[%zu]: size must not be 0", field, i);
      if ((uint64_t) m[i].container_id + m[i].size > (uint64_t) UINT32_MAX + 1
          || (uint64_t) m[i].host_id + m[i].size > (uint64_t) UINT32_MAX + 1)
        return hull_error_set (err, 0, "%s[%zu]: range goes past 4294967295", field, i);
      for (j = 0; j < i; j++)
        {
          if (ranges_overlap (m[i].container_id, m[i].size, m[j].container_id, m[j].size))
            return hull_error_set (err, 0, "%s[%zu]: containerID range overlaps %s[%zu]", field,
                                   i, field, j);
          if (ranges_overlap (m[i].host_id, m[i].size, m[j].host_id, m[j].size))
            return hull_error_set (err, 0, "%s[%zu]: hostID range overlaps %s[%zu]", field, i,
                                   field, j);
        }
    }
  return 0;
}

/* Does one line of a subid file ("name:start:count") delegate cur to user?
   Sets *end to the end of the delegated range containing cur. */
static bool
subid_line_covers (const char *line, size_t len, const char *user, uint32_t uid, uint64_t cur,
                   uint64_t *end)
{
  cleanup_free char *copy = xstrndup (line, len);
  char *name = copy, *start_s, *count_s, *c1, *c2;
  uint64_t start, count;
  char uidbuf[16];

  c1 = strchr (copy, ':');
  if (c1 == NULL)
    return false;
  *c1 = '\0';
  start_s = c1 + 1;
  c2 = strchr (start_s, ':');
  if (c2 == NULL)
    return false;
  *c2 = '\0';
  count_s = c2 + 1;
  snprintf (uidbuf, sizeof uidbuf, "%u", uid);
  if (!((user && strcmp (name, user) == 0) || strcmp (name, uidbuf) == 0))
    return false;
  if (parse_u64 (start_s, &start) < 0 || parse_u64 (count_s, &count) < 0)
    return false;
  if (cur < start || cur >= start + count)
    return false;
  *end = start + count;
  return true;
}

bool
hull_subid_covers (const char *text, const char *user, uint32_t uid, uint32_t host,
                   uint32_t size)
{
  uint64_t cur = host, stop = (uint64_t) host + size;

  while (cur < stop)
    {
      const char *p = text;
      bool advanced = false;

      while (*p)
        {
          const char *nl = strchr (p, '\n');
          size_t len = nl ? (size_t) (nl - p) : strlen (p);
          uint64_t end;

          if (len > 0 && p[0] != '#' && subid_line_covers (p, len, user, uid, cur, &end))
            {
              cur = end;
              advanced = true;
              break;
            }
          p += len + (nl ? 1 : 0);
        }
      if (!advanced)
        return false;
    }
  return true;
}

static bool
have_effective_cap (int cap)
{
  struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[2];

  memset (data, 0, sizeof data);
  if (syscall (SYS_capget, &hdr, data) < 0)
    return false;
  return (data[cap / 32].effective & (1U << (cap % 32))) != 0;
}

static bool
is_self_map (const struct hull_id_mapping *m, size_t n, uint32_t self)
{
  return n == 1 && m[0].size == 1 && m[0].host_id == self;
}

/* Absolute path of helper in PATH (or the usual directories), or NULL. */
static char *
find_helper (const char *name)
{
  const char *path = getenv ("PATH");
  cleanup_free char *all = xasprintf ("%s:/usr/bin:/bin:/usr/sbin:/sbin", path ? path : "");
  char *save = NULL, *dir;

  for (dir = strtok_r (all, ":", &save); dir; dir = strtok_r (NULL, ":", &save))
    {
      char *cand;
      if (dir[0] != '/')
        continue;
      cand = xasprintf ("%s/%s", dir, name);
      if (access (cand, X_OK) == 0)
        return cand;
      free (cand);
    }
  return NULL;
}

/* Check the ranges against /etc/subuid or /etc/subgid before running the
   helper, so the message says which mapping is not delegated. */
static int
check_subids (const char *file, const char *field, const struct hull_id_mapping *m, size_t n,
              uint32_t self, hull_error_t *err)
{
  cleanup_free char *text = NULL;
  struct passwd pw, *res = NULL;
  char pwbuf[4096];
  const char *user = NULL;
  uid_t uid = geteuid ();
  size_t i;

  if (getpwuid_r (uid, &pw, pwbuf, sizeof pwbuf, &res) == 0 && res)
    user = res->pw_name;
  if (read_file_at (AT_FDCWD, file, &text, NULL, err) < 0)
    return hull_error_prefix (err, "%s: needs host ids delegated to user %s%s%s(uid %u) in %s", field,
                              user ? "\"" : "", user ? user : "", user ? "\" " : "", uid, file);
  for (i = 0; i < n; i++)
    {
      if (m[i].size == 1 && m[i].host_id == self)
        continue;
      if (!hull_subid_covers (text, user, uid, m[i].host_id, m[i].size))
        return hull_error_set (err, 0,
                               "%s[%zu]: host ids %u-%u are not delegated to user %s%s%s(uid %u) "
                               "in %s",
                               field, i, m[i].host_id,
                               (uint32_t) ((uint64_t) m[i].host_id + m[i].size - 1),
                               user ? "\"" : "", user ? user : "", user ? "\" " : "", uid, file);
    }
  return 0;
}

/* Run newuidmap/newgidmap PID ID HOST SIZE...; its stderr goes into the error. */
static int
run_helper (const char *helper, const char *path, pid_t pid, const struct hull_id_mapping *m,
            size_t n, hull_error_t *err)
{
  size_t i, argc = 0;
  cleanup_free char **argv = xmalloc0 ((3 * n + 3) * sizeof (char *));
  cleanup_free char *cmdline = NULL;
  cleanup_free char *output = NULL;
  char pidbuf[16];
  int pipefd[2], status;
  pid_t child;
  int ret = 0;

  snprintf (pidbuf, sizeof pidbuf, "%d", (int) pid);
  argv[argc++] = (char *) helper;
  argv[argc++] = pidbuf;
  for (i = 0; i < n; i++)
    {
      argv[argc++] = xasprintf ("%u", m[i].container_id);
      argv[argc++] = xasprintf ("%u", m[i].host_id);
      argv[argc++] = xasprintf ("%u", m[i].size);
    }
  argv[argc] = NULL;

  if (pipe2 (pipefd, O_CLOEXEC) < 0)
    {
      ret = hull_error_set (err, errno, "pipe");
      goto out;
    }
  child = fork ();
  if (child < 0)
    {
      ret = hull_error_set (err, errno, "fork");
      close_quietly (pipefd[0]);
      close_quietly (pipefd[1]);
      goto out;
    }
  if (child == 0)
    {
      int devnull = open ("/dev/null", O_RDWR | O_CLOEXEC);
      if (devnull >= 0)
        {
          dup2 (devnull, 0);
          dup2 (devnull, 1);
        }
      dup2 (pipefd[1], 2);
      execv (path, argv);
      dprintf (2, "exec: %s", hull_strerror (errno));
      _exit (127);
    }
  close_quietly (pipefd[1]);
  {
    hull_error_t rerr = NULL;
    if (read_all_fd (pipefd[0], helper, &output, NULL, &rerr) < 0)
      hull_error_free (&rerr);
  }
  close_quietly (pipefd[0]);
  while (waitpid (child, &status, 0) < 0)
    if (errno != EINTR)
      {
        ret = hull_error_set (err, errno, "waitpid %s", helper);
        goto out;
      }
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      size_t len = output ? strlen (output) : 0;
      size_t k;
      while (len > 0 && (output[len - 1] == '\n' || output[len - 1] == ' '))
        output[--len] = '\0';
      for (k = 0; output && output[k]; k++) /* one line: join the helper's lines */
        if (output[k] == '\n')
          output[k] = ' ';
      cmdline = xstrdup (helper);
      for (k = 1; argv[k]; k++)
        {
          char *t = xasprintf ("%s %s", cmdline, argv[k]);
          free (cmdline);
          cmdline = t;
        }
      if (WIFEXITED (status))
        ret = hull_error_set (err, 0, "%s failed (exit status %d)%s%s", cmdline,
                              WEXITSTATUS (status), len ? ": " : "", len ? output : "");
      else
        ret = hull_error_set (err, 0, "%s killed by signal %d", cmdline, WTERMSIG (status));
    }

out:
  for (i = 2; i < argc; i++)
    free (argv[i]);
  return ret;
}

static int
write_map_file (pid_t pid, const char *file, const struct hull_id_mapping *m, size_t n,
                hull_error_t *err)
{
  cleanup_free char *path = xasprintf ("%d/%s", (int) pid, file);
  cleanup_free char *text = hull_idmap_format (m, n);

  if (hull_procfs_write (path, text, err) < 0)
    {
      /* /proc/<pid> of a non-dumpable process belongs to root. */
      if ((*err)->errnum == EACCES && geteuid () != 0)
        {
          cleanup_free char *msg = xstrdup ((*err)->msg);
          hull_error_set (err, 0, "%s (the child must stay dumpable until its maps are written)",
                          msg);
          (*err)->errnum = EACCES;
        }
      return -1;
    }
  return 0;
}

static int
map_with_helper (pid_t pid, const char *helper, const char *subfile, const char *field,
                 const struct hull_id_mapping *m, size_t n, uint32_t self, hull_error_t *err)
{
  cleanup_free char *path = find_helper (helper);

  if (path == NULL)
    return hull_error_set (err, 0,
                           "%s: mapping more than the caller's own id without privileges "
                           "needs %s (Debian package \"uidmap\"), which is not installed",
                           field, helper);
  if (check_subids (subfile, field, m, n, self, err) < 0)
    return -1;
  if (run_helper (helper, path, pid, m, n, err) < 0)
    return hull_error_prefix (err, "%s", field);
  return 0;
}

int
hull_idmap_write (pid_t pid, const struct hull_id_mapping *uids, size_t nuids,
                  const struct hull_id_mapping *gids, size_t ngids, bool rootless,
                  hull_error_t *err)
{
  uid_t euid = geteuid ();
  gid_t egid = getegid ();
  bool uid_direct = !rootless || have_effective_cap (CAP_SETUID) || is_self_map (uids, nuids, euid);
  bool gid_privileged = !rootless || have_effective_cap (CAP_SETGID);
  bool gid_direct = gid_privileged || is_self_map (gids, ngids, egid);

  if (hull_idmap_validate (uids, nuids, "linux.uidMappings", err) < 0
      || hull_idmap_validate (gids, ngids, "linux.gidMappings", err) < 0)
    return -1;

  if (nuids > 0)
    {
      if (uid_direct)
        {
          if (write_map_file (pid, "uid_map", uids, nuids, err) < 0)
            return hull_error_prefix (err, "linux.uidMappings");
        }
      else if (map_with_helper (pid, "newuidmap", "/etc/subuid", "linux.uidMappings", uids, nuids,
                                euid, err)
               < 0)
        return -1;
    }

  if (ngids > 0)
    {
      if (gid_direct)
        {
          /* Without CAP_SETGID the kernel takes a gid_map only once
             setgroups(2) is disabled for the namespace. */
          if (!gid_privileged)
            {
              cleanup_free char *sg = xasprintf ("%d/setgroups", (int) pid);
              if (hull_procfs_write (sg, "deny", err) < 0)
                return hull_error_prefix (err, "linux.gidMappings");
            }
          if (write_map_file (pid, "gid_map", gids, ngids, err) < 0)
            return hull_error_prefix (err, "linux.gidMappings");
        }
      else if (map_with_helper (pid, "newgidmap", "/etc/subgid", "linux.gidMappings", gids, ngids,
                                egid, err)
               < 0)
        return -1;
    }
  return 0;
}

bool
hull_in_user_namespace (void)
{
  cleanup_free char *text = NULL;
  unsigned long a, b, c;

  if (read_file_at (AT_FDCWD, "/proc/self/uid_map", &text, NULL, NULL) < 0)
    return false; /* no user namespaces at all */
  /* The initial namespace maps everything onto itself in one line. */
  return !(sscanf (text, "%lu %lu %lu", &a, &b, &c) == 3 && a == 0 && b == 0 && c == 4294967295UL
           && strchr (text, '\n') == text + strlen (text) - 1);
}
