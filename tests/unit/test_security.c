/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the security component, part one: user spec and cpu list
 * parsing, sysctl classification and validation, verified procfs (including
 * mounts placed over /proc files, done only inside a private mount namespace
 * of a forked child) and id map helpers.  Part two, the process attributes,
 * is test_process_attrs.c.  Tests that need root are skipped without it.
 */
#include <config.h>
#include "caps.h"
#include "config.h"
#include "idmap.h"
#include "process_attrs.h"
#include "procfs.h"
#include "sysctl.h"
#include "utils.h"
#include "tap.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>

static bool is_root;

/* ---- user spec --------------------------------------------------------- */

static void
test_user_spec (void)
{
  static const struct
  {
    const char *s;
    uint32_t uid, gid;
    bool gid_set;
  } good[] = {
    { "0", 0, 0, false },
    { "1000", 1000, 0, false },
    { "1000:100", 1000, 100, true },
    { "0:0", 0, 0, true },
    { "4294967294", 4294967294u, 0, false },
    { "4294967294:4294967294", 4294967294u, 4294967294u, true },
    { "007", 7, 0, false },
  };
  static const char *const bad[] = {
    "",     "4294967295", "4294967295:0", "0:4294967295", "-1", "1:-1", "+1",  "1:",
    ":1",   ":",          " 1",           "1 ",           "1: 2", "0x10", "99999999999",
    "1:2:3", "a",         "1a",           "18446744073709551617", "1:99999999999", "1.5",
    "4294967296",
  };
  size_t i;

  for (i = 0; i < sizeof good / sizeof good[0]; i++)
    {
      hull_error_t err = NULL;
      uint32_t uid = 99, gid = 99;
      bool gs = !good[i].gid_set;
      int r = hull_parse_user_spec (good[i].s, &uid, &gid, &gs, &err);
      ok (r == 0 && uid == good[i].uid && (!good[i].gid_set || gid == good[i].gid)
              && gs == good[i].gid_set,
          "user spec \"%s\" parses", good[i].s);
      if (err)
        diag ("%s", err->msg);
      hull_error_free (&err);
    }
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      hull_error_t err = NULL;
      uint32_t uid = 99, gid = 99;
      bool gs = false;
      int r = hull_parse_user_spec (bad[i], &uid, &gid, &gs, &err);
      ok (r < 0 && err && strstr (err->msg, "invalid user") && uid == 99 && gid == 99,
          "user spec \"%s\" rejected (%s)", bad[i], err ? err->msg : "no error");
      hull_error_free (&err);
    }
}

/* ---- cpu lists --------------------------------------------------------- */

static void
test_cpu_list (void)
{
  static const struct
  {
    const char *s;
    const char *cpus; /* expected members, as a string of single digits */
  } good[] = {
    { "0", "0" }, { "0-3,7", "01237" }, { "7,0-1", "017" }, { "3-3", "3" }, { "1,1", "1" },
  };
  static const char *const bad[] = {
    "", "-1", "1-", "3-1", ",", "0,", ",0", "0,,1", " 0", "0 ", "0x1", "1-2-3", "99999", "8192",
    "a", "1;2", "0-8192",
  };
  size_t i;

  for (i = 0; i < sizeof good / sizeof good[0]; i++)
    {
      hull_error_t err = NULL;
      cpu_set_t *cs = NULL;
      size_t size = 0;
      bool match;
      int c;

      match = hull_parse_cpu_list (good[i].s, "f", &cs, &size, &err) == 0;
      for (c = 0; match && c < 10; c++)
        {
          bool want = strchr (good[i].cpus, '0' + c) != NULL;
          bool got = (size_t) c < size * 8 && CPU_ISSET_S ((size_t) c, size, cs);
          if (want != got)
            match = false;
        }
      ok (match, "cpu list \"%s\"", good[i].s);
      if (cs)
        CPU_FREE (cs);
      hull_error_free (&err);
    }
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      hull_error_t err = NULL;
      cpu_set_t *cs = NULL;
      size_t size = 0;
      int r = hull_parse_cpu_list (bad[i], "process.execCPUAffinity.initial", &cs, &size, &err);
      ok (r < 0 && cs == NULL && err
              && strncmp (err->msg, "process.execCPUAffinity.initial: ", 33) == 0,
          "cpu list \"%s\" rejected (%s)", bad[i], err ? err->msg : "no error");
      hull_error_free (&err);
    }
}

/* ---- sysctl ------------------------------------------------------------ */

static void
test_sysctl (void)
{
  static const struct
  {
    const char *key;
    int ns;
  } table[] = {
    { "net.ipv4.ip_forward", HULL_NS_NET },
    { "net.core.somaxconn", HULL_NS_NET },
    { "net/ipv4/conf/eth0.1/forwarding", HULL_NS_NET },
    { "kernel.msgmax", HULL_NS_IPC },
    { "kernel.msgmnb", HULL_NS_IPC },
    { "kernel.msgmni", HULL_NS_IPC },
    { "kernel.sem", HULL_NS_IPC },
    { "kernel.shmall", HULL_NS_IPC },
    { "kernel.shmmax", HULL_NS_IPC },
    { "kernel.shmmni", HULL_NS_IPC },
    { "kernel.shm_rmid_forced", HULL_NS_IPC },
    { "fs.mqueue.msg_max", HULL_NS_IPC },
    { "kernel.hostname", HULL_NS_UTS },
    { "kernel.domainname", HULL_NS_UTS },
    { "vm.swappiness", -1 },
    { "kernel.pid_max", -1 },
    { "kernel.msgmaxx", -1 },
    { "kernel", -1 },
    { "fs.mqueue", -1 },
    { "fs.file-max", -1 },
    { "net..ipv4", -1 },
    { "net.ipv4.", -1 },
    { ".net.ipv4", -1 },
    { "", -1 },
    { "net/../kernel/core_pattern", -1 },
    { "net/./ipv4/ip_forward", -1 },
    { "net/ipv4/", -1 },
  };
  static const struct
  {
    const char *key;
    const char *path;
  } paths[] = {
    { "net.ipv4.ip_forward", "sys/net/ipv4/ip_forward" },
    { "net/ipv4/conf/eth0.1/forwarding", "sys/net/ipv4/conf/eth0.1/forwarding" },
    { "kernel.msgmax", "sys/kernel/msgmax" },
  };
  struct hull_namespace nss[3] = {
    { .type = HULL_NS_IPC }, { .type = HULL_NS_UTS }, { .type = HULL_NS_NET },
  };
  struct hull_kv kv[1];
  struct hull_linux lin;
  struct hull_config cfg;
  hull_error_t err = NULL;
  size_t i;

  for (i = 0; i < sizeof table / sizeof table[0]; i++)
    {
      int r = hull_sysctl_namespace (table[i].key, &err);
      ok (r == table[i].ns && (r >= 0) == (err == NULL), "sysctl \"%s\" -> %d%s%s", table[i].key,
          r, err ? ": " : "", err ? err->msg : "");
      hull_error_free (&err);
    }
  for (i = 0; i < sizeof paths / sizeof paths[0]; i++)
    {
      cleanup_free char *p = hull_sysctl_path (paths[i].key);
      is_str (p, paths[i].path, "sysctl path of \"%s\"", paths[i].key);
    }

  memset (&cfg, 0, sizeof cfg);
  memset (&lin, 0, sizeof lin);
  cfg.linux_ = &lin;
  lin.sysctl = kv;
  lin.sysctl_len = 1;
  lin.namespaces = nss;
  kv[0].value = (char *) "1";

  kv[0].key = (char *) "net.ipv4.ip_forward";
  lin.namespaces_len = 2;
  ok (hull_sysctl_validate (&cfg, &err) < 0, "net sysctl without netns rejected");
  is_str (err ? err->msg : NULL, "linux.sysctl: \"net.ipv4.ip_forward\" needs a new network namespace",
          "message");
  hull_error_free (&err);
  lin.namespaces_len = 3;
  ok (hull_sysctl_validate (&cfg, &err) == 0, "net sysctl with netns accepted");
  hull_error_free (&err);

  kv[0].key = (char *) "kernel.msgmax";
  lin.namespaces = nss + 1;
  lin.namespaces_len = 2;
  ok (hull_sysctl_validate (&cfg, &err) < 0, "ipc sysctl without ipcns rejected");
  is_str (err ? err->msg : NULL, "linux.sysctl: \"kernel.msgmax\" needs a new ipc namespace",
          "message");
  hull_error_free (&err);
  lin.namespaces = nss;
  lin.namespaces_len = 1;
  ok (hull_sysctl_validate (&cfg, &err) == 0, "ipc sysctl with ipcns accepted");
  hull_error_free (&err);

  kv[0].key = (char *) "kernel.hostname";
  ok (hull_sysctl_validate (&cfg, &err) < 0 && err
          && strcmp (err->msg, "linux.sysctl: \"kernel.hostname\" needs a new uts namespace") == 0,
      "uts sysctl without utsns rejected");
  hull_error_free (&err);

  kv[0].key = (char *) "kernel.core_pattern";
  lin.namespaces_len = 3;
  ok (hull_sysctl_validate (&cfg, &err) < 0 && err && strstr (err->msg, "not namespaced"),
      "non-namespaced sysctl rejected (%s)", err ? err->msg : "");
  hull_error_free (&err);

  /* Joining the host's own network namespace does not count. */
  kv[0].key = (char *) "net.ipv4.ip_forward";
  nss[2].path = (char *) "/proc/self/ns/net";
  ok (hull_sysctl_validate (&cfg, &err) < 0 && err && strstr (err->msg, "is the host's"),
      "net sysctl when joining the host netns rejected (%s)", err ? err->msg : "");
  hull_error_free (&err);
  nss[2].path = NULL;
}

/* ---- procfs ------------------------------------------------------------ */

static int
check_open_refused (const char *path, const char *needle)
{
  hull_error_t err = NULL;
  int fd = hull_procfs_open (path, O_RDONLY, &err);
  int r = fd < 0 && err && strstr (err->msg, needle) ? 0 : 1;
  if (r)
    printf ("#   open \"%s\": fd %d, error: %s\n", path, fd, err ? err->msg : "(none)");
  close_quietly (fd);
  hull_error_free (&err);
  return r;
}

static void
test_procfs_basic (bool fallback)
{
  const char *mode = fallback ? "walk" : "openat2";
  hull_error_t err = NULL;
  struct statfs sfs;
  char buf[64];
  int fd;

  hull_procfs_force_fallback (fallback);
  fd = hull_procfs_open ("self/status", O_RDONLY, &err);
  ok (fd >= 0 && fstatfs (fd, &sfs) == 0 && sfs.f_type == 0x9fa0, "%s: open self/status", mode);
  ok (fd < 0 || (fcntl (fd, F_GETFD) & FD_CLOEXEC), "%s: fd is close-on-exec", mode);
  close_quietly (fd);
  hull_error_free (&err);

  fd = hull_procfs_open ("thread-self/comm", O_RDONLY, &err);
  ok (fd >= 0, "%s: open thread-self/comm", mode);
  close_quietly (fd);
  hull_error_free (&err);

  fd = hull_procfs_open ("sys/kernel/ostype", O_RDONLY, &err);
  ok (fd >= 0 && read (fd, buf, sizeof buf) > 0 && strncmp (buf, "Linux", 5) == 0,
      "%s: read sys/kernel/ostype", mode);
  close_quietly (fd);
  hull_error_free (&err);

  ok (check_open_refused ("../etc/passwd", "") == 0, "%s: \"..\" refused", mode);
  ok (check_open_refused ("self/../../etc/passwd", "") == 0, "%s: nested \"..\" refused", mode);
  ok (check_open_refused ("/etc/passwd", "relative") == 0, "%s: absolute path refused", mode);
  ok (check_open_refused ("self/exe", "in the way") == 0, "%s: magic link self/exe refused", mode);
  ok (check_open_refused ("self/root/etc/passwd", "in the way") == 0,
      "%s: magic link self/root refused", mode);
  ok (check_open_refused ("self/nonexistent", "no such file") == 0, "%s: ENOENT reported", mode);
  hull_procfs_force_fallback (false);
}

struct overmount
{
  const char *what;
  bool fallback;
};

/* In a private mount namespace: put something over a /proc file and check
   that hull_procfs refuses it.  Returns 0 when refused, >0 otherwise. */
static int
overmount_child (void *arg)
{
  const struct overmount *o = arg;
  hull_error_t err = NULL;
  int fd;

  hull_procfs_force_fallback (o->fallback);
  if (unshare (CLONE_NEWNS) < 0 || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    return 100;
  hull_procfs_reset ();
  if (strcmp (o->what, "bind-procfs-file") == 0)
    {
      /* The CVE-2025-52881 trick: a harmless procfs file over the target. */
      if (mount ("/proc/self/sched", "/proc/self/oom_score_adj", NULL, MS_BIND, NULL) < 0)
        return 101;
      return check_open_refused ("self/oom_score_adj", "in the way");
    }
  if (strcmp (o->what, "tmpfs-dir") == 0)
    {
      if (mount ("tmpfs", "/proc/sys/kernel", "tmpfs", 0, "size=16k") < 0)
        return 101;
      if (write_file_at (AT_FDCWD, "/proc/sys/kernel/hostname", O_CREAT, 0644, "x", 1, &err) < 0)
        return 102;
      return check_open_refused ("sys/kernel/hostname", "in the way");
    }
  if (strcmp (o->what, "tmpfs-proc") == 0)
    {
      if (mount ("tmpfs", "/proc", "tmpfs", 0, "size=16k") < 0)
        return 101;
      return check_open_refused ("self/status", "not a procfs mount");
    }
  if (strcmp (o->what, "proc-subdir") == 0)
    {
      /* /proc replaced by a procfs directory that is not the procfs root. */
      if (mount ("/proc/sys", "/proc", NULL, MS_BIND, NULL) < 0)
        return 101;
      return check_open_refused ("kernel/ostype", "not the root");
    }
  if (strcmp (o->what, "write-blocked") == 0)
    {
      if (mount ("/proc/self/sched", "/proc/self/oom_score_adj", NULL, MS_BIND, NULL) < 0)
        return 101;
      fd = hull_procfs_write ("self/oom_score_adj", "0", &err);
      if (fd == 0 || err == NULL || err->errnum != EXDEV)
        return 1;
      hull_error_free (&err);
      /* After reset with a fresh /proc on top, writes work again. */
      if (mount ("proc", "/proc", "proc", 0, NULL) < 0)
        return 103;
      hull_procfs_reset ();
      if (hull_procfs_write ("self/oom_score_adj", "0", &err) < 0)
        {
          printf ("#   %s\n", err->msg);
          return 2;
        }
      return 0;
    }
  return 99;
}

static void
test_procfs_overmounts (void)
{
  static const char *const kinds[] = { "bind-procfs-file", "tmpfs-dir", "tmpfs-proc", "proc-subdir",
                                       "write-blocked" };
  size_t i;
  int fb;

  for (fb = 0; fb < 2; fb++)
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
      {
        struct overmount o = { kinds[i], fb == 1 };
        int r;
        if (!is_root)
          {
            tap_skip (kinds[i], "needs root");
            continue;
          }
        r = tap_in_child (overmount_child, &o);
        if (r == 100)
          tap_skip (kinds[i], "no private mount namespace");
        else
          ok (r == 0, "%s: %s refused (child status %d)", fb ? "walk" : "openat2", kinds[i], r);
      }
}

/* ---- id maps ----------------------------------------------------------- */

static void
test_idmap (void)
{
  struct hull_id_mapping m[3] = { { 0, 1000, 1 }, { 1, 100000, 65536 }, { 70000, 300000, 10 } };
  struct hull_id_mapping overlap[2] = { { 0, 100000, 10 }, { 5, 200000, 10 } };
  struct hull_id_mapping hoverlap[2] = { { 0, 100000, 10 }, { 20, 100005, 10 } };
  struct hull_id_mapping zero[1] = { { 0, 1, 0 } };
  struct hull_id_mapping wrap[1] = { { 4294967290u, 0, 10 } };
  const char *subuid = "# comment\nalice:100000:65536\n1000:300000:5\nbob:300005:5\n"
                       "alice:165536:100\n";
  cleanup_free char *text = hull_idmap_format (m, 3);
  hull_error_t err = NULL;

  is_str (text, "0 1000 1\n1 100000 65536\n70000 300000 10\n", "uid_map text");
  ok (hull_idmap_validate (m, 3, "linux.uidMappings", &err) == 0, "valid mappings accepted");
  hull_error_free (&err);
  ok (hull_idmap_validate (overlap, 2, "linux.uidMappings", &err) < 0 && err
          && strcmp (err->msg, "linux.uidMappings[1]: containerID range overlaps "
                               "linux.uidMappings[0]")
                 == 0,
      "overlapping container ranges rejected");
  hull_error_free (&err);
  ok (hull_idmap_validate (hoverlap, 2, "linux.gidMappings", &err) < 0 && err
          && strstr (err->msg, "hostID range overlaps"),
      "overlapping host ranges rejected");
  hull_error_free (&err);
  ok (hull_idmap_validate (zero, 1, "linux.uidMappings", &err) < 0, "size 0 rejected");
  hull_error_free (&err);
  ok (hull_idmap_validate (wrap, 1, "linux.uidMappings", &err) < 0, "range past 2^32 rejected");
  hull_error_free (&err);

  ok (hull_subid_covers (subuid, "alice", 1001, 100000, 65536), "subuid: exact range");
  ok (hull_subid_covers (subuid, "alice", 1001, 100000, 65636), "subuid: two adjacent lines");
  ok (!hull_subid_covers (subuid, "alice", 1001, 100000, 65637), "subuid: one past the end");
  ok (!hull_subid_covers (subuid, "bob", 1002, 100000, 1), "subuid: other user's range");
  ok (hull_subid_covers (subuid, "carol", 1000, 300000, 5), "subuid: by numeric uid");
  ok (!hull_subid_covers (subuid, "carol", 1000, 300000, 10), "subuid: numeric uid partial");
  ok (hull_subid_covers (subuid, NULL, 1000, 300001, 2), "subuid: no user name");
}

/* Child in a new user namespace that waits until the parent wrote its maps,
   then reports uid_map, gid_map and setgroups. */
struct userns_case
{
  uid_t as_uid;                   /* run the parent side as this uid (0 = root) */
  bool rootless;
  struct hull_id_mapping uids[2], gids[2];
  size_t nuids, ngids;
  const char *want_uid_map, *want_gid_map, *want_setgroups; /* NULL = expect failure */
  const char *want_error;         /* prefix of the expected error */
  const char *subids;             /* bind-mounted over /etc/subuid and /etc/subgid */
};

/* Put text over /etc/subuid and /etc/subgid in a private mount namespace. */
static int
fake_subids (const char *text)
{
  char tmpl[] = "/tmp/hull-subid.XXXXXX";
  int fd = mkstemp (tmpl);
  int r = 0;

  if (fd < 0)
    return -1;
  if (write_all (fd, text, strlen (text)) < 0 || fchmod (fd, 0644) < 0
      || unshare (CLONE_NEWNS) < 0 || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0
      || mount (tmpl, "/etc/subuid", NULL, MS_BIND, NULL) < 0
      || mount (tmpl, "/etc/subgid", NULL, MS_BIND, NULL) < 0)
    r = -1;
  close (fd);
  unlink (tmpl);
  return r;
}

static int
userns_case_child (void *arg)
{
  const struct userns_case *c = arg;
  int go[2], ready[2];
  hull_error_t err = NULL;
  cleanup_free char *umap = NULL, *gmap = NULL, *sg = NULL;
  char path[64], b = 0;
  pid_t pid;
  int status, ret = 0;

  if (c->subids && (access ("/usr/bin/newuidmap", X_OK) < 0 || fake_subids (c->subids) < 0))
    return 100;
  if (c->as_uid && (setresgid (c->as_uid, c->as_uid, c->as_uid) < 0
                    || setresuid (c->as_uid, c->as_uid, c->as_uid) < 0
                    || prctl (PR_SET_DUMPABLE, 1, 0, 0, 0) < 0))
    return 100;
  if (pipe2 (go, O_CLOEXEC) < 0 || pipe2 (ready, O_CLOEXEC) < 0)
    return 100;
  pid = fork ();
  if (pid < 0)
    return 100;
  if (pid == 0)
    {
      char r = unshare (CLONE_NEWUSER) == 0 ? 'y' : 'n';
      (void) !write (ready[1], &r, 1);
      (void) !read (go[0], &b, 1);
      _exit (0);
    }
  if (read (ready[0], &b, 1) != 1 || b != 'y')
    {
      kill (pid, SIGKILL);
      waitpid (pid, NULL, 0);
      return 100;
    }
  if (hull_idmap_write (pid, c->uids, c->nuids, c->gids, c->ngids, c->rootless, &err) < 0)
    {
      if (c->want_error == NULL || strncmp (err->msg, c->want_error, strlen (c->want_error)) != 0)
        {
          printf ("#   %s\n", err->msg);
          ret = 1;
        }
    }
  else if (c->want_error)
    ret = 2;
  else
    {
      snprintf (path, sizeof path, "/proc/%d/uid_map", (int) pid);
      read_file_at (AT_FDCWD, path, &umap, NULL, &err);
      snprintf (path, sizeof path, "/proc/%d/gid_map", (int) pid);
      read_file_at (AT_FDCWD, path, &gmap, NULL, &err);
      snprintf (path, sizeof path, "/proc/%d/setgroups", (int) pid);
      read_file_at (AT_FDCWD, path, &sg, NULL, &err);
      /* The kernel pads the columns: compare without repeated spaces. */
      for (char **t = (char *[]){ umap, gmap, NULL }; *t; t++)
        {
          char *r = *t, *w = *t;
          for (; *r; r++)
            if (!(*r == ' ' && (w == *t || w[-1] == ' ' || w[-1] == '\n')))
              *w++ = *r;
          *w = '\0';
        }
      if (!umap || !gmap || !sg || strcmp (umap, c->want_uid_map) || strcmp (gmap, c->want_gid_map)
          || strcmp (sg, c->want_setgroups))
        {
          printf ("#   uid_map %s#   gid_map %s#   setgroups %s", umap ? umap : "?\n",
                  gmap ? gmap : "?\n", sg ? sg : "?\n");
          ret = 3;
        }
    }
  hull_error_free (&err);
  (void) !write (go[1], "x", 1);
  waitpid (pid, &status, 0);
  return ret;
}

static void
test_idmap_write (void)
{
  const struct userns_case cases[] = {
    { 0, false, { { 0, 100000, 65536 } }, { { 0, 100000, 65536 } }, 1, 1,
      "0 100000 65536\n", "0 100000 65536\n", "allow\n", NULL },
    { 0, false, { { 0, 0, 1 }, { 1, 200000, 10 } }, { { 0, 0, 1 }, { 1, 200000, 10 } }, 2, 2,
      "0 0 1\n1 200000 10\n", "0 0 1\n1 200000 10\n", "allow\n", NULL },
    /* Rootless, own ids only: direct writes, setgroups denied. */
    { 65534, true, { { 0, 65534, 1 } }, { { 0, 65534, 1 } }, 1, 1, "0 65534 1\n", "0 65534 1\n",
      "deny\n", NULL },
    /* Rootless, more than our own uid: needs delegated subordinate ids. */
    { 65534, true, { { 0, 65534, 1 }, { 1, 1900000000, 10 } }, { { 0, 65534, 1 } }, 2, 1, NULL,
      NULL, NULL, "linux.uidMappings" },
    /* Rootless with delegated ranges: newuidmap and newgidmap. */
    { 65534, true, { { 0, 65534, 1 }, { 1, 1900000000, 10 } },
      { { 0, 65534, 1 }, { 1, 1900000000, 10 } }, 2, 2, "0 65534 1\n1 1900000000 10\n",
      "0 65534 1\n1 1900000000 10\n", "allow\n", NULL, "nobody:1900000000:65536\n" },
    /* Rootless, delegated uids but own gid only: gid_map direct, setgroups denied. */
    { 65534, true, { { 0, 65534, 1 }, { 1, 1900000000, 10 } }, { { 0, 65534, 1 } }, 2, 1,
      "0 65534 1\n1 1900000000 10\n", "0 65534 1\n", "deny\n", NULL,
      "nobody:1900000000:65536\n" },
    /* Overlap is caught before anything is written. */
    { 0, false, { { 0, 100000, 10 }, { 5, 200000, 10 } }, { { 0, 100000, 1 } }, 2, 1, NULL, NULL,
      NULL, "linux.uidMappings[1]: containerID range overlaps" },
  };
  size_t i;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      int r;
      if (!is_root)
        {
          tap_skip ("idmap write", "needs root");
          continue;
        }
      r = tap_in_child (userns_case_child, (void *) &cases[i]);
      if (r == 100)
        tap_skip ("idmap write", "cannot create a user namespace");
      else
        ok (r == 0, "idmap write case %zu (child status %d)", i, r);
    }
}

int
main (void)
{
  is_root = geteuid () == 0;
  test_user_spec ();
  test_cpu_list ();
  test_sysctl ();
  test_procfs_basic (false);
  test_procfs_basic (true);
  test_procfs_overmounts ();
  test_idmap ();
  test_idmap_write ();
  return tap_done ();
}
