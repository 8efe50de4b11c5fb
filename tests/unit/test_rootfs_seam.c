/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rootfs code run against a recording syscall seam (sys.h) in a scratch
 * directory: checks the exact sequence of mount calls for small configs,
 * that destinations behind symlinks stay inside the rootfs, and the checks
 * on /dev/null and /dev/console.  No root needed.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "config.h"
#include "paths.h"
#include "rootfs.h"
#include "sys.h"
#include "tap.h"
#include "utils.h"

static char scratch[256], root[300], bundle[300];
static char *rec[256];
static size_t nrec;
static int n_tree, n_fsctx, n_fsmnt;

static void
record (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  if (nrec < sizeof rec / sizeof rec[0])
    rec[nrec++] = xvasprintf (fmt, ap);
  va_end (ap);
}

static void
reset (void)
{
  size_t i;
  for (i = 0; i < nrec; i++)
    free (rec[i]);
  nrec = 0;
  n_tree = n_fsctx = n_fsmnt = 0;
  if (scratch[0])
    {
      cleanup_free char *cmd = xasprintf ("rm -rf %s/fake", scratch);
      if (system (cmd) != 0)
        abort ();
    }
}

/* Replace the scratch prefixes by ROOT / BUNDLE / SCRATCH. */
static char *
sub (const char *p)
{
  size_t lr = strlen (root), lb = strlen (bundle), ls = strlen (scratch);
  if (strncmp (p, scratch, ls) == 0 && strncmp (p + ls, "/fake/", 6) == 0)
    return xstrdup (p + ls + 6);
  if (strncmp (p, root, lr) == 0 && (p[lr] == '/' || p[lr] == '\0'))
    return xasprintf ("ROOT%s", p + lr);
  if (strncmp (p, bundle, lb) == 0 && (p[lb] == '/' || p[lb] == '\0'))
    return xasprintf ("BUNDLE%s", p + lb);
  if (strncmp (p, scratch, ls) == 0 && (p[ls] == '/' || p[ls] == '\0'))
    return xasprintf ("SCRATCH%s", p + ls);
  return xstrdup (p);
}

static char *
fd_name (int fd)
{
  char buf[PATH_MAX], p[64];
  ssize_t n;

  snprintf (p, sizeof p, "/proc/self/fd/%d", fd);
  n = readlink (p, buf, sizeof buf - 1);
  if (n < 0)
    return xasprintf ("fd%d?", fd);
  buf[n] = '\0';
  return sub (buf);
}

static char *
path_name (const char *p)
{
  if (p == NULL)
    return xstrdup ("(null)");
  if (strncmp (p, "/proc/self/fd/", 14) == 0)
    return fd_name (atoi (p + 14));
  return sub (p);
}

/* A fake kernel object: an fd of SCRATCH/fake/<label> (a directory for mounts). */
static int
new_fake (const char *label, bool dir)
{
  char p[400];
  int fd;
  snprintf (p, sizeof p, "%s/fake", scratch);
  mkdir (p, 0755);
  snprintf (p, sizeof p, "%s/fake/%s", scratch, label);
  if (dir)
    {
      mkdir (p, 0755);
      fd = open (p, O_PATH | O_DIRECTORY | O_CLOEXEC);
    }
  else
    fd = open (p, O_CREAT | O_RDONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    abort ();
  return fd;
}

static int
f_mount (const char *src, const char *dst, const char *type, unsigned long flags, const void *data)
{
  cleanup_free char *s = path_name (src), *d = path_name (dst);
  record ("mount %s %s %s 0x%lx %s", s, d, type ? type : "(null)", flags,
          data ? (const char *) data : "(null)");
  return 0;
}

static int
f_umount2 (const char *t, int flags)
{
  record ("umount2 %s 0x%x", t, flags);
  return 0;
}

static int
f_pivot_root (const char *n, const char *o)
{
  record ("pivot_root %s %s", n, o);
  return 0;
}

static int
f_chroot (const char *p)
{
  record ("chroot %s", p);
  return 0;
}

static int
f_chdir (const char *p)
{
  record ("chdir %s", p);
  return 0;
}

static int
f_fchdir (int fd)
{
  cleanup_free char *n = fd_name (fd);
  record ("fchdir %s", n);
  return 0;
}

static int
f_mknodat (int dirfd, const char *name, mode_t mode, dev_t dev)
{
  cleanup_free char *d = fd_name (dirfd);
  int fd;
  record ("mknod %s/%s 0%o %u:%u", d, name, (unsigned) mode, major (dev), minor (dev));
  /* leave a file behind so that chown and later steps see something */
  fd = openat (dirfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, mode & 0777);
  if (fd < 0)
    return -1;
  close (fd);
  return 0;
}

static int
f_mount_setattr (int dfd, const char *path, unsigned flags, struct mount_attr *a, size_t size)
{
  cleanup_free char *d = fd_name (dfd);
  record ("setattr %s%s set=0x%llx clr=0x%llx prop=0x%llx%s", d, path, (unsigned long long) a->attr_set,
          (unsigned long long) a->attr_clr, (unsigned long long) a->propagation,
          (flags & AT_RECURSIVE) ? " rec" : "");
  (void) size;
  return 0;
}

static int
f_open_tree (int dfd, const char *path, unsigned flags)
{
  cleanup_free char *s = dfd == AT_FDCWD ? path_name (path) : fd_name (dfd);
  char label[32];
  record ("open_tree %s%s%s", s, (flags & OPEN_TREE_CLONE) ? " clone" : "",
          (flags & AT_RECURSIVE) ? " rec" : "");
  snprintf (label, sizeof label, "TREE%d", ++n_tree);
  return new_fake (label, false);
}

static int
f_move_mount (int from, const char *fp, int to, const char *tp, unsigned flags)
{
  cleanup_free char *f = fd_name (from), *t = fd_name (to);
  record ("move_mount %s -> %s", f, t);
  (void) fp, (void) tp, (void) flags;
  return 0;
}

static int
f_fsopen (const char *fs, unsigned flags)
{
  char label[32];
  record ("fsopen %s", fs);
  snprintf (label, sizeof label, "FSCTX%d", ++n_fsctx);
  (void) flags;
  return new_fake (label, false);
}

static int
f_fsconfig (int fd, unsigned cmd, const char *key, const void *value, int aux)
{
  cleanup_free char *n = fd_name (fd);
  if (cmd == FSCONFIG_SET_STRING)
    record ("fsconfig %s %s=%s", n, key, (const char *) value);
  else if (cmd == FSCONFIG_SET_FLAG)
    record ("fsconfig %s %s", n, key);
  else if (cmd == FSCONFIG_CMD_CREATE)
    record ("fsconfig %s create", n);
  else
    record ("fsconfig %s cmd%u", n, cmd);
  (void) aux;
  return 0;
}

static int
f_fsmount (int fd, unsigned flags, unsigned attrs)
{
  cleanup_free char *n = fd_name (fd);
  char label[32];
  record ("fsmount %s attrs=0x%x", n, attrs);
  snprintf (label, sizeof label, "FSMNT%d", ++n_fsmnt);
  (void) flags;
  return new_fake (label, true);
}

static struct hull_sys_ops fake = {
  .mount = f_mount,
  .umount2 = f_umount2,
  .pivot_root = f_pivot_root,
  .chroot = f_chroot,
  .chdir = f_chdir,
  .fchdir = f_fchdir,
  .mknodat = f_mknodat,
  .mount_setattr = f_mount_setattr,
  .open_tree = f_open_tree,
  .move_mount = f_move_mount,
  .fsopen = f_fsopen,
  .fsconfig = f_fsconfig,
  .fsmount = f_fsmount,
  .root = "/",
};

/* Compare the recording with the expected lines (NULL-terminated). */
static void
expect (const char *what, const char *const *want)
{
  size_t i, n = 0;
  bool same;
  while (want[n])
    n++;
  same = n == nrec;
  for (i = 0; same && i < n; i++)
    same = strcmp (want[i], rec[i]) == 0;
  ok (same, "%s: syscall sequence", what);
  if (!same)
    {
      for (i = 0; i < n || i < nrec; i++)
        if (i >= n || i >= nrec || strcmp (want[i], rec[i]) != 0)
          printf ("#   [%zu] want: %s\n#   [%zu] got:  %s\n", i, i < n ? want[i] : "-", i,
                  i < nrec ? rec[i] : "-");
    }
}

static void
sh (const char *fmt, ...)
{
  va_list ap;
  cleanup_free char *cmd = NULL;
  va_start (ap, fmt);
  cmd = xvasprintf (fmt, ap);
  va_end (ap);
  if (system (cmd) != 0)
    {
      printf ("Bail out! command failed: %s\n", cmd);
      exit (1);
    }
}

static char *opts_proc[] = { NULL };
static char *opts_dev[] = { "nosuid", "strictatime", "mode=755", "size=65536k", NULL };
static char *opts_bind_ro[] = { "bind", "ro", NULL };
static char *opts_rbind[] = { "rbind", "rprivate", NULL };
static char *opts_rbind_plain[] = { "rbind", NULL };
static char *opts_tmp[] = { "nosuid", NULL };
static char *opts_copyup[] = { "tmpcopyup", "nodev", NULL };

static void
test_prepare_pivot (void)
{
  struct hull_mount mounts[] = {
    { .destination = "/proc", .source = "proc", .type = "proc", .options = opts_proc },
    { .destination = "/dev", .source = "tmpfs", .type = "tmpfs", .options = opts_dev },
    { .destination = "/data", .source = "hostdir", .type = "bind", .options = opts_bind_ro },
    { .destination = "/etc/hostfile", .source = "hostfile", .type = "none", .options = opts_rbind_plain },
    { .destination = "/tmp", .source = "tmpfs", .type = "tmpfs", .options = opts_tmp },
    { .destination = "/var/cache", .source = "tmpfs", .type = "tmpfs", .options = opts_copyup },
    { .destination = "/mnt/new/deep", .source = "hostdir", .type = "bind", .options = opts_rbind },
  };
  struct hull_device devs[] = {
    { .type = 'c', .path = "/dev/fuse", .major = 10, .minor = 229,
      .file_mode = { true, 0640 }, .uid = { true, getuid () }, .gid = { true, getgid () } },
  };
  struct hull_linux lx = { .devices = devs, .devices_len = 1 };
  struct hull_config cfg = { .mounts = mounts, .mounts_len = sizeof mounts / sizeof mounts[0],
                             .linux_ = &lx };
  struct hull_rootfs_ctx ctx = { .cfg = &cfg, .rootfs = root, .bundle = bundle, .new_netns = true,
                                 .cgroup_fd_hint = -1 };
  hull_error_t err = NULL;
  char buf[PATH_MAX];
  struct stat st;
  ssize_t n;
  int r;
  cleanup_free char *copied = NULL;
  cleanup_free char *bind_ro = xasprintf ("setattr TREE1 set=0x%x clr=0x0 prop=0x0", MOUNT_ATTR_RDONLY);
  cleanup_free char *prop = xasprintf ("setattr TREE2 set=0x0 clr=0x0 prop=0x%x rec", MS_PRIVATE);
  const char *want[] = {
    "mount (null) / (null) 0x84000 (null)",               /* MS_REC | MS_SLAVE */
    "mount ROOT ROOT (null) 0x5000 (null)",               /* MS_BIND | MS_REC */
    "mount proc ROOT/proc proc 0x0 (null)",
    "mount tmpfs ROOT/dev tmpfs 0x1000002 mode=755,size=65536k", /* nosuid, strictatime */
    "open_tree BUNDLE/hostdir clone",
    bind_ro,
    "move_mount TREE1 -> ROOT/data",
    "mount BUNDLE/hostfile ROOT/etc/hostfile (null) 0x5000 (null)",
    "mount tmpfs ROOT/tmp tmpfs 0x2 mode=1777",            /* mode of the existing /tmp */
    "fsopen tmpfs",
    "fsconfig FSCTX1 source=tmpfs",
    "fsconfig FSCTX1 mode=755",
    "fsconfig FSCTX1 create",
    "fsmount FSCTX1 attrs=0x4",                            /* MOUNT_ATTR_NODEV */
    "move_mount FSMNT1 -> ROOT/var/cache",
    "open_tree BUNDLE/hostdir clone rec",
    "move_mount TREE2 -> ROOT/mnt/new/deep",
    prop,
    "mknod ROOT/dev/null 020666 1:3",
    "mknod ROOT/dev/zero 020666 1:5",
    "mknod ROOT/dev/full 020666 1:7",
    "mknod ROOT/dev/random 020666 1:8",
    "mknod ROOT/dev/urandom 020666 1:9",
    "mknod ROOT/dev/tty 020666 5:0",
    "mknod ROOT/dev/fuse 020640 10:229",
    "fchdir ROOT",
    "pivot_root . .",
    "umount2 . 0x2",
    "chdir /",
    NULL,
  };

  reset ();
  sh ("mkdir -p %s/proc %s/dev %s/tmp %s/etc %s/var/cache/sub %s/hostdir", root, root, root, root,
      root, bundle);
  sh ("chmod 1777 %s/tmp && chmod 0755 %s/var/cache && echo keep > %s/var/cache/keep.txt", root, root,
      root);
  sh ("ln -s keep.txt %s/var/cache/link && chmod 0710 %s/var/cache/sub", root, root);
  sh ("echo x > %s/hostfile", bundle);

  r = hull_rootfs_prepare (&ctx, &err);
  ok (r == 0, "prepare succeeds%s%s", err ? ": " : "", err ? err->msg : "");
  hull_error_free (&err);
  r = hull_rootfs_pivot (&ctx, &err);
  ok (r == 0, "pivot succeeds%s%s", err ? ": " : "", err ? err->msg : "");
  hull_error_free (&err);
  expect ("prepare + pivot", want);

  snprintf (buf, sizeof buf, "%s/data", root);
  ok (stat (buf, &st) == 0 && S_ISDIR (st.st_mode), "bind destination for a dir source is a dir");
  snprintf (buf, sizeof buf, "%s/etc/hostfile", root);
  ok (stat (buf, &st) == 0 && S_ISREG (st.st_mode), "bind destination for a file source is a file");
  snprintf (buf, sizeof buf, "%s/mnt/new/deep", root);
  ok (stat (buf, &st) == 0 && S_ISDIR (st.st_mode) && (st.st_mode & 07777) == 0755,
      "missing parents are created with mode 0755");
  snprintf (buf, sizeof buf, "%s/fake/FSMNT1/keep.txt", scratch);
  ok (read_file_at (AT_FDCWD, buf, &copied, NULL, &err) == 0 && strcmp (copied, "keep\n") == 0,
      "tmpcopyup copied a file");
  hull_error_free (&err);
  snprintf (buf, sizeof buf, "%s/fake/FSMNT1/link", scratch);
  {
    char t[64];
    n = readlink (buf, t, sizeof t - 1);
    ok (n == 8 && memcmp (t, "keep.txt", 8) == 0, "tmpcopyup copied a symlink as a symlink");
  }
  snprintf (buf, sizeof buf, "%s/fake/FSMNT1/sub", scratch);
  ok (stat (buf, &st) == 0 && S_ISDIR (st.st_mode) && (st.st_mode & 07777) == 0710,
      "tmpcopyup kept a directory's mode");
  {
    char t[64];
    snprintf (buf, sizeof buf, "%s/dev/ptmx", root);
    n = readlink (buf, t, sizeof t - 1);
    ok (n == 8 && memcmp (t, "pts/ptmx", 8) == 0, "/dev/ptmx -> pts/ptmx");
    snprintf (buf, sizeof buf, "%s/dev/fd", root);
    n = readlink (buf, t, sizeof t - 1);
    ok (n == 13 && memcmp (t, "/proc/self/fd", 13) == 0, "/dev/fd -> /proc/self/fd");
    snprintf (buf, sizeof buf, "%s/dev/stderr", root);
    n = readlink (buf, t, sizeof t - 1);
    ok (n == 15 && memcmp (t, "/proc/self/fd/2", 15) == 0, "/dev/stderr -> /proc/self/fd/2");
  }
  snprintf (buf, sizeof buf, "%s/dev/fuse", root);
  ok (stat (buf, &st) == 0 && st.st_uid == getuid () && st.st_gid == getgid (),
      "device node owner set");
  hull_rootfs_ctx_release (&ctx);
}

static void
test_escape (bool walk)
{
  struct hull_mount mounts[] = {
    { .destination = "/escape/x", .source = "hostdir", .type = "bind", .options = opts_rbind_plain },
    { .destination = "/up/y", .source = "tmpfs", .type = "tmpfs", .options = NULL },
    { .destination = "/../../../z", .source = "tmpfs", .type = "tmpfs", .options = NULL },
  };
  struct hull_config cfg = { .mounts = mounts, .mounts_len = 3 };
  struct hull_rootfs_ctx ctx = { .cfg = &cfg, .rootfs = root, .bundle = bundle, .new_netns = true };
  hull_error_t err = NULL;
  char buf[PATH_MAX];
  int r;
  cleanup_free char *w1 = NULL;
  cleanup_free char *w1b = NULL;

  reset ();
  hull_path_force_walk (walk);
  sh ("rm -rf %s %s/fake && mkdir -p %s %s/outside", root, scratch, root, scratch);
  sh ("ln -s %s/outside %s/escape && ln -s ../../../../../../../.. %s/up", scratch, root, root);
  /* a bind mount of hostdir onto /escape/x: /escape points (absolutely) to a host dir */
  r = hull_rootfs_prepare (&ctx, &err);
  ok (r == 0, "%s: prepare with symlinked destinations%s%s", walk ? "walk" : "openat2",
      err ? ": " : "", err ? err->msg : "");
  hull_error_free (&err);
  w1 = xasprintf ("mount BUNDLE/hostdir ROOT%s/outside/x (null) 0x5000 (null)", scratch);
  w1b = xasprintf ("%s/outside/x", scratch);
  ok (nrec >= 5 && strcmp (rec[2], w1) == 0, "%s: /escape/x stays inside the rootfs (%s)",
      walk ? "walk" : "openat2", nrec > 2 ? rec[2] : "-");
  ok (access (w1b, F_OK) < 0 && errno == ENOENT, "%s: nothing created outside the rootfs",
      walk ? "walk" : "openat2");
  ok (nrec >= 5 && strcmp (rec[3], "mount tmpfs ROOT/y tmpfs 0x0 (null)") == 0,
      "%s: ../.. symlink stops at the root (%s)", walk ? "walk" : "openat2",
      nrec > 3 ? rec[3] : "-");
  ok (nrec >= 5 && strcmp (rec[4], "mount tmpfs ROOT/z tmpfs 0x0 (null)") == 0,
      "%s: .. in a destination stops at the root", walk ? "walk" : "openat2");
  snprintf (buf, sizeof buf, "%s%s/outside/x", root, scratch);
  ok (access (buf, F_OK) == 0, "%s: the symlink target was created inside the rootfs",
      walk ? "walk" : "openat2");
  hull_rootfs_ctx_release (&ctx);
  hull_path_force_walk (false);
}

static void
test_proc_symlink (void)
{
  struct hull_mount mounts[] = {
    { .destination = "/proc", .source = "proc", .type = "proc", .options = NULL },
  };
  struct hull_config cfg = { .mounts = mounts, .mounts_len = 1 };
  struct hull_rootfs_ctx ctx = { .cfg = &cfg, .rootfs = root, .bundle = bundle };
  hull_error_t err = NULL;
  int r;

  reset ();
  sh ("rm -rf %s && mkdir -p %s/elsewhere && ln -s /elsewhere %s/proc", root, root, root);
  r = hull_rootfs_prepare (&ctx, &err);
  ok (r < 0 && err && strstr (err->msg, "mounts[0] \"/proc\"") && strstr (err->msg, "directory"),
      "proc onto a symlink is refused: %s", err ? err->msg : "(no error)");
  ok (nrec == 2, "nothing mounted for it");
  hull_error_free (&err);
  hull_rootfs_ctx_release (&ctx);
}

static void
test_finalize (void)
{
  char *masked[] = { "/masked1", "/missing", "/masked2", "/link-out", NULL };
  char *ro[] = { "/ro-dir", "/nope/deeper", NULL };
  struct hull_linux lx = { .masked_paths = masked, .readonly_paths = ro,
                           .rootfs_propagation_flags = MS_SHARED | MS_REC };
  struct hull_config cfg = { .linux_ = &lx, .root = { .readonly = true } };
  struct hull_rootfs_ctx ctx = { .cfg = &cfg, .rootfs = root, .bundle = bundle };
  hull_error_t err = NULL;
  int r;
  cleanup_free char *w_ro = xasprintf ("setattr TREE1 set=0x%x clr=0x0 prop=0x0 rec", MOUNT_ATTR_RDONLY);
  cleanup_free char *w_fsm = xasprintf ("fsmount FSCTX1 attrs=0x%x", MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID
                                        | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
  cleanup_free char *w_root = xasprintf ("setattr ROOT set=0x%x clr=0x0 prop=0x0", MOUNT_ATTR_RDONLY);
  cleanup_free char *w_prop = xasprintf ("mount (null) / (null) 0x%x (null)", MS_SHARED | MS_REC);
  const char *want[] = {
    "open_tree ROOT/ro-dir clone rec",
    w_ro,
    "move_mount TREE1 -> ROOT/ro-dir",
    "fsopen tmpfs",
    "fsconfig FSCTX1 source=tmpfs",
    "fsconfig FSCTX1 nr_inodes=1",
    "fsconfig FSCTX1 create",
    w_fsm,
    "move_mount FSMNT1 -> ROOT/masked1",
    "open_tree FSMNT1 clone",
    "move_mount TREE2 -> ROOT/masked2",
    "open_tree FSMNT1 clone",
    "move_mount TREE3 -> ROOT/inside",
    w_root,
    w_prop,
    NULL,
  };

  reset ();
  sh ("rm -rf %s && mkdir -p %s/ro-dir %s/masked1 %s/masked2 %s/inside %s/dev", root, root, root,
      root, root, root);
  /* /link-out -> /inside: followed, but inside the root */
  sh ("ln -s /inside %s/link-out", root);
  ctx.rootfd = open (root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  ctx.rootfd_open = true;
  r = hull_rootfs_finalize (&ctx, &err);
  ok (r == 0, "finalize succeeds%s%s", err ? ": " : "", err ? err->msg : "");
  hull_error_free (&err);
  expect ("finalize (readonly, masked dirs, root ro, propagation)", want);
  hull_rootfs_ctx_release (&ctx);
}

static void
test_masked_file_null_check (void)
{
  char *masked[] = { "/secret", NULL };
  struct hull_linux lx = { .masked_paths = masked };
  struct hull_config cfg = { .linux_ = &lx };
  struct hull_rootfs_ctx ctx = { .cfg = &cfg, .rootfs = root };
  hull_error_t err = NULL;
  int r;

  reset ();
  /* CVE-2025-31133: /dev/null replaced by a symlink to something else */
  sh ("rm -rf %s && mkdir -p %s/dev %s/etc && echo s > %s/secret && echo p > %s/etc/passwd", root,
      root, root, root, root);
  sh ("ln -s /etc/passwd %s/dev/null", root);
  ctx.rootfd = open (root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  ctx.rootfd_open = true;
  r = hull_rootfs_finalize (&ctx, &err);
  ok (r < 0 && err && strstr (err->msg, "/dev/null"), "symlinked /dev/null refused: %s",
      err ? err->msg : "(no error)");
  ok (nrec == 0, "nothing mounted");
  hull_error_free (&err);

  reset ();
  sh ("rm -f %s/dev/null && echo fake > %s/dev/null", root, root);
  ok (!ctx.rootfd_open, "finalize released the rootfs fd even on failure");
  ctx.rootfd = open (root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  ctx.rootfd_open = true;
  r = hull_rootfs_finalize (&ctx, &err);
  ok (r < 0 && err && strstr (err->msg, "not the null device"), "regular-file /dev/null refused: %s",
      err ? err->msg : "(no error)");
  ok (nrec == 0, "nothing mounted");
  hull_error_free (&err);
  hull_rootfs_ctx_release (&ctx);
}

static void
test_shared_propagation (void)
{
  struct hull_linux lx = { .rootfs_propagation_flags = MS_SHARED };
  struct hull_config cfg = { .linux_ = &lx };
  struct hull_rootfs_ctx ctx = { .cfg = &cfg, .rootfs = root, .no_pivot = false };
  hull_error_t err = NULL;
  int r;
  cleanup_free char *w0 = xasprintf ("mount (null) / (null) 0x%x (null)", MS_SHARED);
  cleanup_free char *w1 = xasprintf ("mount (null) / (null) 0x%x (null)", MS_PRIVATE);

  reset ();
  sh ("rm -rf %s && mkdir -p %s/dev", root, root);
  r = hull_rootfs_prepare (&ctx, &err);
  ok (r == 0, "prepare with shared propagation%s%s", err ? ": " : "", err ? err->msg : "");
  hull_error_free (&err);
  ok (nrec > 4 && strcmp (rec[0], w0) == 0 && strcmp (rec[1], w1) == 0,
      "\"/\" made shared, then private for pivot_root");
  ok (nrec > 4 && strncmp (rec[2], "mount (null) /", 14) == 0 && strstr (rec[2], " 0x40000 "),
      "the mount containing the rootfs made private (%s)", nrec > 2 ? rec[2] : "-");
  ok (nrec > 4 && strcmp (rec[3], "mount ROOT ROOT (null) 0x5000 (null)") == 0, "rootfs bound");
  reset ();
  r = hull_rootfs_pivot (&ctx, &err);
  {
    cleanup_free char *slave = xasprintf ("mount (null) . (null) 0x%x (null)", MS_SLAVE | MS_REC);
    const char *want[] = { "fchdir ROOT", "pivot_root . .", slave, "umount2 . 0x2", "chdir /", NULL };
    ok (r == 0, "pivot");
    expect ("pivot with a shared root: old root made a slave first", want);
  }
  hull_error_free (&err);
  reset ();
  ctx.no_pivot = true;
  r = hull_rootfs_pivot (&ctx, &err);
  {
    cleanup_free char *mv = xasprintf ("mount . / (null) 0x%x (null)", MS_MOVE);
    const char *want[] = { "fchdir ROOT", mv, "chroot .", "chdir /", NULL };
    ok (r == 0, "no-pivot");
    expect ("--no-pivot: MS_MOVE + chroot", want);
  }
  hull_error_free (&err);
  hull_rootfs_ctx_release (&ctx);
}

static void
test_console (void)
{
  hull_error_t err = NULL;
  int m, s, r;
  char pts[64], buf[PATH_MAX];
  struct stat st;

  reset ();
  sh ("rm -rf %s && mkdir -p %s/dev", root, root);
  fake.root = root;
  m = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (m < 0 || grantpt (m) < 0 || unlockpt (m) < 0 || ptsname_r (m, pts, sizeof pts) != 0)
    {
      ok (1, "# SKIP no pty available");
      return;
    }
  s = open (pts, O_RDWR | O_NOCTTY | O_CLOEXEC);
  r = hull_rootfs_bind_console (s, &err);
  ok (r == 0, "bind console%s%s", err ? ": " : "", err ? err->msg : "");
  hull_error_free (&err);
  {
    cleanup_free char *w0 = xasprintf ("open_tree %s clone", pts);
    const char *want[] = { w0, "move_mount TREE1 -> ROOT/dev/console", NULL };
    expect ("console", want);
  }
  snprintf (buf, sizeof buf, "%s/dev/console", root);
  ok (lstat (buf, &st) == 0 && S_ISREG (st.st_mode), "/dev/console created as a regular file");

  reset ();
  sh ("rm -f %s/dev/console && ln -s /etc/shadow %s/dev/console", root, root);
  r = hull_rootfs_bind_console (s, &err);
  ok (r < 0 && nrec == 0, "symlinked /dev/console refused: %s", err ? err->msg : "(no error)");
  hull_error_free (&err);

  reset ();
  sh ("rm -f %s/dev/console && rm -rf %s/dev && ln -s /tmp %s/dev", root, root, root);
  r = hull_rootfs_bind_console (s, &err);
  ok (r < 0 && nrec == 0, "symlinked /dev refused: %s", err ? err->msg : "(no error)");
  hull_error_free (&err);

  r = hull_rootfs_bind_console (m == s ? 0 : open ("/dev/null", O_RDONLY | O_CLOEXEC), &err);
  ok (r < 0 && err && strstr (err->msg, "not a pty"), "a non-pty fd is refused");
  hull_error_free (&err);
  close (s);
  close (m);
  fake.root = "/";
}

static void
test_paths (bool walk)
{
  hull_error_t err = NULL;
  cleanup_close int rfd = -1;
  int fd;
  char buf[PATH_MAX], lbuf[PATH_MAX];
  const char *w = walk ? "walk" : "openat2";
  ssize_t n;

  hull_path_force_walk (walk);
  sh ("rm -rf %s && mkdir -p %s/a/b %s/real && echo hi > %s/real/f", root, root, root, root);
  sh ("ln -s /real %s/abs && ln -s ../../real %s/a/b/rel && ln -s loop %s/loop", root, root, root);
  sh ("ln -s /nonexistent/x %s/dangling", root);
  rfd = open (root, O_PATH | O_DIRECTORY | O_CLOEXEC);

  fd = hull_path_open_in_root (rfd, "/abs/f", O_RDONLY, &err);
  ok (fd >= 0, "%s: absolute symlink resolved in root", w);
  if (fd >= 0)
    {
      n = read (fd, buf, sizeof buf);
      ok (n == 3 && memcmp (buf, "hi\n", 3) == 0, "%s: read through it", w);
      close (fd);
    }
  hull_error_free (&err);
  fd = hull_path_open_in_root (rfd, "/a/b/rel/f", O_PATH, &err);
  ok (fd >= 0, "%s: relative symlink resolved", w);
  if (fd >= 0)
    close (fd);
  hull_error_free (&err);
  fd = hull_path_open_in_root (rfd, "../../../../a/../../real/f", O_PATH, &err);
  ok (fd >= 0, "%s: .. never leaves the root", w);
  if (fd >= 0)
    {
      snprintf (lbuf, sizeof lbuf, "/proc/self/fd/%d", fd);
      n = readlink (lbuf, buf, sizeof buf - 1);
      buf[n > 0 ? n : 0] = '\0';
      snprintf (lbuf, sizeof lbuf, "%s/real/f", root);
      is_str (buf, lbuf, "%s: resolved to the file in the root", w);
      close (fd);
    }
  hull_error_free (&err);
  fd = hull_path_open_in_root (rfd, "/loop", O_PATH, &err);
  ok (fd < 0 && err && err->errnum == ELOOP, "%s: symlink loop -> ELOOP", w);
  hull_error_free (&err);
  fd = hull_path_open_in_root (rfd, "/abs", O_PATH | O_NOFOLLOW, &err);
  ok (fd >= 0, "%s: O_NOFOLLOW gives the symlink itself", w);
  if (fd >= 0)
    {
      struct stat st;
      ok (fstat (fd, &st) == 0 && S_ISLNK (st.st_mode), "%s: it is a symlink", w);
      close (fd);
    }
  hull_error_free (&err);
  fd = hull_path_resolve (rfd, "/abs/f", O_PATH, HULL_RESOLVE_NO_SYMLINKS);
  ok (fd < 0 && errno == ELOOP, "%s: no-symlinks rule", w);
  fd = hull_path_mkdir_in_root (rfd, "/dangling/y", 0755, false, &err);
  ok (fd >= 0, "%s: mkdir through a dangling symlink creates inside the root%s%s", w,
      err ? ": " : "", err ? err->msg : "");
  if (fd >= 0)
    close (fd);
  hull_error_free (&err);
  snprintf (buf, sizeof buf, "%s/nonexistent/x/y", root);
  ok (access (buf, F_OK) == 0 || access ("/nonexistent/x", F_OK) < 0, "%s: and never outside", w);
  fd = hull_path_mkdir_in_root (rfd, "/real/f/sub", 0755, false, &err);
  ok (fd < 0 && err, "%s: mkdir under a file fails: %s", w, err ? err->msg : "-");
  hull_error_free (&err);
  hull_path_force_walk (false);
}

int
main (void)
{
  char tmpl[] = "/tmp/hull-rootfs-test.XXXXXX";
  if (mkdtemp (tmpl) == NULL)
    return 1;
  snprintf (scratch, sizeof scratch, "%s", tmpl);
  snprintf (root, sizeof root, "%s/rootfs", scratch);
  snprintf (bundle, sizeof bundle, "%s/bundle", scratch);
  sh ("mkdir -p %s %s", root, bundle);
  hull_sys_set (&fake);

  test_prepare_pivot ();
  test_escape (false);
  test_escape (true);
  test_proc_symlink ();
  test_finalize ();
  test_masked_file_null_check ();
  test_shared_propagation ();
  test_console ();
  test_paths (false);
  test_paths (true);

  hull_sys_set (NULL);
  reset ();
  sh ("rm -rf %s", scratch);
  return tap_done ();
}
