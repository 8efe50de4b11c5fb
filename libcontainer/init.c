/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The container process: runs in the child right after clone and ends in
 * execve() of the workload.  The order of the steps follows sync.c.
 */
#include <config.h>
#include "cgroup.h"
#include "init.h"
#include "caps.h"
#include "hooks.h"
#include "log.h"
#include "process_attrs.h"
#include "procfs.h"
#include "paths.h"
#include "rootfs.h"
#include "seccomp_filter.h"
#include "sync.h"
#include "sysctl.h"
#include "terminal.h"
#include "utils.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef KEYCTL_JOIN_SESSION_KEYRING
#define KEYCTL_JOIN_SESSION_KEYRING 1
#endif

static const int ns_clone_flags[HULL_NS_TYPES] = {
  [HULL_NS_PID] = CLONE_NEWPID,   [HULL_NS_NET] = CLONE_NEWNET,       [HULL_NS_MNT] = CLONE_NEWNS,
  [HULL_NS_IPC] = CLONE_NEWIPC,   [HULL_NS_UTS] = CLONE_NEWUTS,       [HULL_NS_USER] = CLONE_NEWUSER,
  [HULL_NS_CGROUP] = CLONE_NEWCGROUP, [HULL_NS_TIME] = CLONE_NEWTIME,
};

static void __attribute__((noreturn))
die (struct hull_init *in, hull_error_t *err, int status)
{
  hull_sync_send_error (in->sync_fd, err);
  _exit (status);
}

char *
hull_find_executable (const char *args0, char *const *env, hull_error_t *err)
{
  const char *path = NULL;
  struct stat sb;
  size_t i;

  if (args0 == NULL || *args0 == '\0')
    {
      hull_error_set (err, 0, "process.args[0] is empty");
      return NULL;
    }
  if (strchr (args0, '/'))
    {
      if (stat (args0, &sb) < 0)
        {
          hull_error_set (err, errno, "exec \"%s\"", args0);
          return NULL;
        }
      if (!S_ISREG (sb.st_mode) || access (args0, X_OK) < 0)
        {
          hull_error_set (err, S_ISDIR (sb.st_mode) ? EISDIR : EACCES, "exec \"%s\"", args0);
          return NULL;
        }
      return xstrdup (args0);
    }
  for (i = 0; env && env[i]; i++)
    if (strncmp (env[i], "PATH=", 5) == 0)
      path = env[i] + 5;
  if (path == NULL)
    path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  {
    cleanup_free char *copy = xstrdup (path);
    char *save = NULL, *dir;
    bool denied = false;
    for (dir = strtok_r (copy, ":", &save); dir; dir = strtok_r (NULL, ":", &save))
      {
        char *cand = xasprintf ("%s/%s", *dir ? dir : ".", args0);
        if (stat (cand, &sb) == 0 && S_ISREG (sb.st_mode))
          {
            if (access (cand, X_OK) == 0)
              return cand;
            denied = true;
          }
        free (cand);
      }
    if (denied)
      hull_error_set (err, EACCES, "exec \"%s\"", args0);
    else
      hull_error_set (err, 0, "exec \"%s\": executable file not found in $PATH", args0);
  }
  return NULL;
}

static int
join_one (struct hull_init *in, enum hull_ns_type t, hull_error_t *err)
{
  const struct hull_namespace *ns;

  if (setns (in->ns_fds[t], ns_clone_flags[t]) == 0)
    {
      close (in->ns_fds[t]);
      in->ns_fds[t] = -1;
      return 0;
    }
  ns = hull_config_namespace (in->cfg, t);
  if (!in->exec && ns && ns->path && *ns->path && ns >= in->cfg->linux_->namespaces
      && ns < in->cfg->linux_->namespaces + in->cfg->linux_->namespaces_len)
    return hull_error_set (err, errno, "config.json: linux.namespaces[%zu].path: join %s namespace "
                           "\"%s\"", (size_t) (ns - in->cfg->linux_->namespaces),
                           hull_ns_type_names[t], ns->path);
  return hull_error_set (err, errno, "join the %s namespace", hull_ns_type_names[t]);
}

/* Is the namespace behind fd owned by the user namespace behind userns_fd? */
static bool
owned_by (int fd, int userns_fd)
{
  struct stat a, b;
  int owner = ioctl (fd, NS_GET_USERNS);
  bool same;

  if (owner < 0)
    return true; /* can't tell (old kernel, or owned by an ancestor we can't see) */
  same = fstat (owner, &a) == 0 && fstat (userns_fd, &b) == 0 && a.st_dev == b.st_dev
         && a.st_ino == b.st_ino;
  close (owner);
  return same;
}

/* setns into the namespaces given by path.  The user namespace comes first, so
   that its capabilities let us into the namespaces it owns (all there is for a
   rootless caller); namespaces owned by some other user namespace (the host's
   network namespace, say) are joined before it, while our capabilities still
   reach them.  The mount namespace is joined last in each round. */
static int
join_namespaces (struct hull_init *in, hull_error_t *err)
{
  static const enum hull_ns_type order[] = { HULL_NS_PID, HULL_NS_NET, HULL_NS_IPC, HULL_NS_UTS,
                                             HULL_NS_CGROUP, HULL_NS_TIME, HULL_NS_MNT };
  int userns_fd = in->ns_fds[HULL_NS_USER];
  size_t i;

  if (userns_fd >= 0)
    for (i = 0; i < sizeof order / sizeof order[0]; i++)
      if (in->ns_fds[order[i]] >= 0 && !owned_by (in->ns_fds[order[i]], userns_fd)
          && join_one (in, order[i], err) < 0)
        return -1;
  if (userns_fd >= 0 && join_one (in, HULL_NS_USER, err) < 0)
    return -1;
  for (i = 0; i < sizeof order / sizeof order[0]; i++)
    if (in->ns_fds[order[i]] >= 0 && join_one (in, order[i], err) < 0)
      return -1;
  return 0;
}

/* Become root of the user namespace when 0 is mapped there. */
static void
become_ns_root (void)
{
  if (setresgid (0, 0, 0) == 0)
    (void) setresuid (0, 0, 0);
}

static int
write_time_offsets (const struct hull_linux *l, hull_error_t *err)
{
  char buf[128];
  int n = 0;
  if (l->time_monotonic.set)
    n += snprintf (buf + n, sizeof buf - (size_t) n, "monotonic %lld %u\n",
                   (long long) l->time_monotonic.secs, l->time_monotonic.nanosecs);
  if (l->time_boottime.set)
    n += snprintf (buf + n, sizeof buf - (size_t) n, "boottime %lld %u\n",
                   (long long) l->time_boottime.secs, l->time_boottime.nanosecs);
  if (n == 0)
    return 0;
  if (hull_procfs_write ("self/timens_offsets", buf, err) < 0)
    return hull_error_prefix (err, "linux.timeOffsets");
  return 0;
}

static int
enter_namespaces (struct hull_init *in, hull_error_t *err)
{
  struct hull_sync_msg m;

  if (join_namespaces (in, err) < 0)
    return -1;
  if (in->unshare_user)
    {
      if (unshare (CLONE_NEWUSER) < 0)
        return hull_error_set (err, errno, "unshare user namespace");
      if (hull_sync_send (in->sync_fd, SYNC_USERNS, 0, NULL, -1, err) < 0
          || hull_sync_expect (in->sync_fd, SYNC_USERNS_DONE, &m, NULL, err) < 0)
        return -1;
    }
  if (in->unshare_flags && unshare (in->unshare_flags) < 0)
    return hull_error_set (err, errno, "unshare namespaces (flags 0x%x)", in->unshare_flags);
  /* Still as our host uid: /proc/self belongs to it (to host root once we are
     not dumpable), so timens_offsets can be opened. */
  if ((in->unshare_flags & CLONE_NEWTIME) && in->cfg->linux_
      && write_time_offsets (in->cfg->linux_, err) < 0)
    return -1;
  if (in->unshare_user)
    prctl (PR_SET_DUMPABLE, 0); /* maps are in: see hull_init_main */
  /* In a user ns (made by clone, unshared or joined) our host uid means nothing
     (files we create would fail with EOVERFLOW) until we switch to its root. */
  if (in->userns)
    become_ns_root ();
  if (in->need_fork)
    {
      /* The grandchild waits until SYNC_PID is out (EOF on the gate when we
         exit), so the parent always learns the pid before any later message. */
      int gate[2];
      pid_t pid;
      char c;
      if (pipe2 (gate, O_CLOEXEC) < 0)
        return hull_error_set (err, errno, "pipe");
      pid = (pid_t) syscall (SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
      if (pid < 0)
        return hull_error_set (err, errno, "fork into the new pid namespace");
      if (pid > 0)
        {
          hull_error_t e2 = NULL;
          hull_sync_send (in->sync_fd, SYNC_PID, pid, NULL, -1, &e2);
          _exit (0);
        }
      close (gate[1]);
      while (read (gate[0], &c, 1) < 0 && errno == EINTR)
        ;
      close (gate[0]);
      prctl (PR_SET_PDEATHSIG, SIGKILL);
    }
  return 0;
}

/* Idmapped mounts need host privilege: the parent makes them once our user
   namespace is mapped and sends one fd per mount; *fds gets cfg->mounts_len
   entries (-1 where none). */
static int
receive_mount_fds (struct hull_init *in, int **fds, hull_error_t *err)
{
  size_t n = in->cfg->mounts_len, i;
  struct hull_sync_msg *m;
  int *a, fd = -1;

  if (hull_sync_send (in->sync_fd, SYNC_IDMAP, 0, NULL, -1, err) < 0)
    return -1;
  a = xmalloc ((n ? n : 1) * sizeof *a);
  for (i = 0; i < n; i++)
    a[i] = -1;
  m = xmalloc (sizeof *m);
  for (;;)
    {
      if (hull_sync_recv (in->sync_fd, m, &fd, err) < 0)
        break;
      if (m->type == SYNC_IDMAP_DONE)
        {
          free (m);
          *fds = a;
          return 0;
        }
      if (m->type != SYNC_MOUNT_FD || fd < 0 || m->value < 0 || (size_t) m->value >= n
          || a[m->value] >= 0)
        {
          hull_error_set (err, 0, "sync: unexpected message %u while receiving mount fds", m->type);
          close_quietly (fd);
          break;
        }
      a[m->value] = fd;
      fd = -1;
    }
  for (i = 0; i < n; i++)
    close_quietly (a[i]);
  free (a);
  free (m);
  return -1;
}

/* Find the state JSON of the container for hooks that run inside it. */
static int
setup_rootfs (struct hull_init *in, char **state_json, hull_error_t *err)
{
  struct hull_rootfs_ctx rc = { 0 };
  cleanup_free int *mount_fds = NULL;
  struct hull_sync_msg m;
  uint64_t t = now_ns ();

  rc.cfg = in->cfg;
  rc.rootfs = in->rootfs;
  rc.bundle = in->bundle;
  rc.no_pivot = in->no_pivot;
  rc.userns = in->userns;
  rc.new_netns = in->new_netns;
  rc.cgroup_fd_hint = -1;

  if (in->idmap_mounts)
    {
      size_t i;
      int r;
      if (receive_mount_fds (in, &mount_fds, err) < 0)
        return -1;
      rc.mount_fds = mount_fds;
      r = hull_rootfs_prepare (&rc, err);
      for (i = 0; i < in->cfg->mounts_len; i++)
        close_quietly (mount_fds[i]);
      rc.mount_fds = NULL;
      if (r < 0)
        return -1;
    }
  else if (hull_rootfs_prepare (&rc, err) < 0)
    return -1;
  hull_log_phase ("mounts", t);
  if (in->hooks_in_parent)
    {
      if (hull_sync_send (in->sync_fd, SYNC_HOOKS, 0, NULL, -1, err) < 0
          || hull_sync_expect (in->sync_fd, SYNC_HOOKS_DONE, &m, NULL, err) < 0)
        return -1;
      /* Inside the container the spec wants the pid as seen there. */
      *state_json = hull_hook_state (m.data, "creating", getpid ());
      if (hull_hooks_run (&in->cfg->hooks[HULL_HOOK_CREATE_CONTAINER], "createContainer", *state_json,
                          err)
          < 0)
        return -1;
    }
  t = now_ns ();
  if (hull_rootfs_pivot (&rc, err) < 0)
    return -1;
  hull_procfs_reset ();
  if (in->process->terminal)
    {
      int master = -1, slave = -1;
      if (hull_terminal_open (&in->process->console_size, &master, &slave, err) < 0
          || hull_terminal_own (slave, in->process->user.uid, err) < 0)
        return -1;
      if (hull_sync_send (in->sync_fd, SYNC_PTY, 0, NULL, master, err) < 0)
        return -1;
      close (master);
      if (hull_rootfs_bind_console (slave, err) < 0)
        return -1;
      if (hull_terminal_become_controlling (slave, err) < 0)
        return -1;
      if (slave > 2)
        close (slave);
    }
  if (in->process->cwd && strcmp (in->process->cwd, "/") != 0)
    {
      /* Like runc, create a missing cwd (inside the new root, before it may turn read-only). */
      int rootfd = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
      int fd = rootfd < 0 ? -1 : hull_path_mkdir_in_root (rootfd, in->process->cwd, 0755, false, err);
      close_quietly (rootfd);
      if (fd < 0)
        return rootfd < 0 ? hull_error_set (err, errno, "open /") : hull_error_prefix (err, "process.cwd");
      close (fd);
    }
  /* sysctls go through /proc/sys before readonlyPaths turn it read-only. */
  if (hull_sysctl_apply (in->cfg, err) < 0)
    return -1;
  if (hull_rootfs_finalize (&rc, err) < 0)
    return -1;
  hull_log_phase ("pivot", t);
  return 0;
}

static int
setup_uts (struct hull_init *in, hull_error_t *err)
{
  const struct hull_config *c = in->cfg;
  if (c->hostname && in->new_utsns && sethostname (c->hostname, strlen (c->hostname)) < 0)
    return hull_error_set (err, errno, "hostname: sethostname \"%s\"", c->hostname);
  if (c->domainname && in->new_utsns && setdomainname (c->domainname, strlen (c->domainname)) < 0)
    return hull_error_set (err, errno, "domainname: setdomainname \"%s\"", c->domainname);
  return 0;
}

/* Change to process.cwd as the final user and make sure it is inside the container. */
static int
enter_cwd (const struct hull_process *p, hull_error_t *err)
{
  char buf[4096];
  const char *cwd = p->cwd ? p->cwd : "/";
  if (chdir (cwd) < 0)
    return hull_error_set (err, errno, "process.cwd: chdir to \"%s\"", cwd);
  if (getcwd (buf, sizeof buf) == NULL || buf[0] != '/')
    return hull_error_set (err, 0, "process.cwd: \"%s\" resolves outside the container", cwd);
  return 0;
}

/* The home directory of uid in the container's /etc/passwd (read by hand:
 * NSS modules of the image must not be loaded into hull), or "/". */
static char *
home_of (uid_t uid)
{
  cleanup_file FILE *f = fopen ("/etc/passwd", "re");
  char line[1024];

  while (f && fgets (line, sizeof line, f))
    {
      char *field[7] = { 0 }, *p = line;
      int k;
      uint64_t id;
      for (k = 0; k < 7 && p; k++)
        {
          field[k] = p;
          p = strchr (p, ':');
          if (p)
            *p++ = '\0';
        }
      if (k < 6 || field[5] == NULL || parse_u64 (field[2], &id) < 0 || id != uid)
        continue;
      field[5][strcspn (field[5], "\n")] = '\0';
      if (field[5][0] == '/')
        return xstrdup (field[5]);
    }
  return xstrdup ("/");
}

static char **
build_env (struct hull_init *in)
{
  size_t n = strv_len (in->process->env), i;
  char **env = xmalloc0 ((n + 4) * sizeof (char *));
  bool has_home = false;
  for (i = 0; i < n; i++)
    {
      env[i] = in->process->env[i];
      if (strncmp (env[i], "HOME=", 5) == 0)
        has_home = true;
    }
  if (in->listen_fds_env)
    {
      env[n++] = xasprintf ("LISTEN_FDS=%d", in->listen_fds);
      env[n++] = xstrdup ("LISTEN_PID=1");
    }
  if (!has_home)
    {
      /* Like runc: HOME of the process's user when the config sets none. */
      cleanup_free char *home = home_of (in->process->user.uid);
      env[n++] = xasprintf ("HOME=%s", home);
    }
  return env;
}

/* Wait for the start signal: SYNC_START on the sync socket (run, exec) or a
 * connection on exec.sock (create).  Returns the fd to report exec errors to. */
static int
wait_for_start (struct hull_init *in, bool *is_sync, hull_error_t *err)
{
  struct hull_sync_msg m;
  if (in->listen_fd < 0)
    {
      if (hull_sync_expect (in->sync_fd, SYNC_START, &m, NULL, err) < 0)
        return -1;
      *is_sync = true;
      return in->sync_fd;
    }
  close (in->sync_fd);
  in->sync_fd = -1;
  for (;;)
    {
      int c = accept4 (in->listen_fd, NULL, NULL, SOCK_CLOEXEC);
      if (c >= 0)
        {
          close (in->listen_fd);
          in->listen_fd = -1;
          *is_sync = false;
          return c;
        }
      if (errno != EINTR && errno != ECONNABORTED)
        return hull_error_set (err, errno, "wait for start: accept");
    }
}

static void __attribute__((noreturn))
report_start_failure (struct hull_init *in, int fd, bool is_sync, hull_error_t *err, int status)
{
  if (is_sync)
    hull_sync_send_error (fd, err);
  else if (fd >= 0)
    (void) write_all (fd, (*err)->msg, strlen ((*err)->msg));
  else
    hull_log (HULL_LOG_ERROR, "%s", (*err)->msg);
  _exit (status);
}

void
hull_init_main (struct hull_init *in)
{
  hull_error_t err = NULL;
  struct hull_sync_msg m;
  cleanup_free char *state_json = NULL;
  cleanup_free char *exe = NULL;
  const struct hull_process *p = in->process;
  bool seccomp_loaded = false, is_sync = false;
  uint64_t t;
  int startfd, notify_fd = -1;
  char **env;

  /* If hull died before this, the sync socket is closed and the first
   * receive fails; getppid() can't tell (it is 0 in a new pid namespace). */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (in->state_fd >= 0)
    close (in->state_fd); /* it carries hull's flock on the state dir */
  /* Nothing of hull's may be opened through /proc/<pid> while we set up.
   * Exception: the maps of a user namespace we create are written by the
   * parent through /proc/<pid>, which an unprivileged (rootless) parent can
   * only do while we are dumpable.  That namespace is still empty, so we
   * stay dumpable just until the maps are in (after SYNC_GO, or after
   * SYNC_USERNS_DONE when the namespace is unshared later). */
  if (!(in->userns && in->ns_fds[HULL_NS_USER] < 0 && !in->exec))
    prctl (PR_SET_DUMPABLE, 0);

  if (hull_sync_expect (in->sync_fd, SYNC_GO, &m, NULL, &err) < 0)
    _exit (1);
  if (!in->unshare_user)
    prctl (PR_SET_DUMPABLE, 0);
  /* Still one thread, and no fork or cgroup namespace yet. */
  if (in->cgroup_join && hull_cgroup_join_self (in->cgroup_join, &err) < 0)
    die (in, &err, 1);
  t = now_ns ();
  if (enter_namespaces (in, &err) < 0)
    die (in, &err, 1);
  hull_log_phase ("namespaces", t);
  if (!in->exec)
    {
      (void) setsid (); /* EPERM when already a session leader is fine */
      if (!in->no_new_keyring)
        syscall (SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL); /* ENOSYS etc. are not fatal */
      if (setup_rootfs (in, &state_json, &err) < 0)
        die (in, &err, 1);
      if (setup_uts (in, &err) < 0)
        die (in, &err, 1);
    }
  else if (p->terminal)
    {
      int master = -1, slave = -1;
      setsid ();
      if (hull_terminal_open (&p->console_size, &master, &slave, &err) < 0
          || hull_terminal_own (slave, p->user.uid, &err) < 0
          || hull_sync_send (in->sync_fd, SYNC_PTY, 0, NULL, master, &err) < 0
          || hull_terminal_become_controlling (slave, &err) < 0)
        die (in, &err, 1);
      close (master);
      if (slave > 2)
        close (slave);
    }

  if (hull_process_attrs_apply (p, in->cfg->linux_ ? &in->cfg->linux_->personality : NULL, &err) < 0
      || hull_rlimits_apply (p, &err) < 0)
    die (in, &err, 1);

  env = build_env (in);
  /* Resolve the executable while we can still report to the parent. */
  exe = hull_find_executable (p->args ? p->args[0] : NULL, env, &err);
  if (exe == NULL)
    die (in, &err, 1);

  /* Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: do it now.
   * A listener fd must reach the parent, so that case is handled now too. */
  if (in->seccomp && (!p->no_new_privileges || in->seccomp_listener))
    {
      t = now_ns ();
      if (hull_seccomp_load (in->seccomp, &notify_fd, &err) < 0)
        die (in, &err, 1);
      hull_log_phase ("seccomp", t);
      seccomp_loaded = true;
      if (notify_fd >= 0)
        {
          if (hull_sync_send (in->sync_fd, SYNC_SECCOMP, 0, NULL, notify_fd, &err) < 0
              || hull_sync_expect (in->sync_fd, SYNC_SECCOMP_DONE, &m, NULL, &err) < 0)
            die (in, &err, 1);
          close (notify_fd);
        }
    }

  if (hull_process_identity (p, &err) < 0 || hull_process_nnp (p, &err) < 0)
    die (in, &err, 1);
  if (enter_cwd (p, &err) < 0)
    die (in, &err, 1);
  /* run/exec: die with hull; create: outlive it (an interrupted create is
   * cleaned up through the cgroup recorded in state.jsonl). */
  prctl (PR_SET_PDEATHSIG, in->outlive_parent ? 0 : SIGKILL);

  if (hull_sync_send (in->sync_fd, SYNC_READY, 0, NULL, -1, &err) < 0)
    _exit (1);
  if (hull_sync_expect (in->sync_fd, SYNC_STATE, &m, NULL, &err) < 0)
    _exit (1);
  free (state_json);
  state_json = hull_hook_state (m.data, "created", getpid ());

  startfd = wait_for_start (in, &is_sync, &err);
  if (startfd < 0)
    report_start_failure (in, -1, false, &err, 1);
  if (!in->exec
      && hull_hooks_run (&in->cfg->hooks[HULL_HOOK_START_CONTAINER], "startContainer", state_json, &err)
             < 0)
    report_start_failure (in, startfd, is_sync, &err, 1);
  if (in->seccomp && !seccomp_loaded && hull_seccomp_load (in->seccomp, &notify_fd, &err) < 0)
    report_start_failure (in, startfd, is_sync, &err, 1);

  hull_debug ("phase exec: %s", exe);
  execve (exe, p->args, env);
  hull_error_set (&err, errno, "exec \"%s\"", p->args[0]);
  report_start_failure (in, startfd, is_sync, &err, errno == ENOENT ? 127 : 126);
}
