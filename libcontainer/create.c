/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * create and run: the parent side of container creation (see sync.c for the
 * protocol with the child).
 */
#include <config.h>
#include "container.h"
#include "cgroup.h"
#include "create_internal.h"
#include "hooks.h"
#include "idmap.h"
#include "init.h"
#include "log.h"
#include "namespaces.h"
#include "process_attrs.h"
#include "rootfs.h"
#include "seccomp_filter.h"
#include "state.h"
#include "sync.h"
#include "sysctl.h"
#include "terminal.h"
#include "utils.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

void
hull_created_free (struct hull_created *c)
{
  if (c->pidfd >= 0)
    close (c->pidfd);
  if (c->sync_fd >= 0)
    close (c->sync_fd);
  if (c->pty_master >= 0)
    close (c->pty_master);
  hull_cgroup_free (c->cg);
  hull_state_free (c->state);
  hull_config_free (c->cfg);
  free (c->config_text);
  free (c->rootfs);
  free (c->bundle);
  memset (c, 0, sizeof *c);
  c->pidfd = c->sync_fd = c->pty_master = -1;
}

/* Undo a failed create: kill what was started, remove cgroup and state. */
static void
create_abort (struct hull_created *c)
{
  hull_error_t e = NULL;
  if (c->pidfd >= 0)
    {
      syscall (SYS_pidfd_send_signal, c->pidfd, SIGKILL, NULL, 0);
    }
  if (c->child > 0)
    while (waitpid (c->child, NULL, 0) < 0 && errno == EINTR)
      ;
  if (c->pid > 0 && c->pid != c->child)
    {
      kill (c->pid, SIGKILL);
      while (waitpid (c->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    }
  if (c->cg && hull_cgroup_destroy (c->cg, &e) < 0)
    {
      hull_warn ("cleanup: %s", e->msg);
      hull_error_free (&e);
    }
  if (c->state && hull_state_remove (c->state, &e) < 0)
    {
      hull_warn ("cleanup: %s", e->msg);
      hull_error_free (&e);
    }
}

static char *
now_rfc3339 (void)
{
  struct timespec ts;
  char buf[64];
  clock_gettime (CLOCK_REALTIME, &ts);
  rfc3339_utc (buf, sizeof buf, ts.tv_sec, ts.tv_nsec);
  return xstrdup (buf);
}

/* Checks that need only the config, before anything is created. */
static int
validate_for_create (const struct hull_create_opts *o, const struct hull_config *c, bool run,
                     hull_error_t *err)
{
  if (c->process == NULL)
    return hull_error_set (err, 0, "config.json: process: required to create a container");
  if (c->process->args == NULL || c->process->args[0] == NULL)
    return hull_error_set (err, 0, "config.json: process.args: must not be empty");
  if (c->process->terminal && o->console_socket == NULL && (!run || o->detach))
    return hull_error_set (err, 0, "config.json: process.terminal is true, but no --console-socket "
                                   "was given to receive the terminal (or use `run` in the "
                                   "foreground)");
  if (!c->process->terminal && o->console_socket)
    return hull_error_set (err, 0, "--console-socket given, but config.json: process.terminal is "
                                   "false");
  if (o->console_socket && hull_console_socket_check (o->console_socket, err) < 0)
    return -1;
  if (c->linux_ == NULL || hull_config_namespace (c, HULL_NS_MNT) == NULL)
    return hull_error_set (err, 0, "config.json: linux.namespaces: a mount namespace is required");
  if ((c->hostname && *c->hostname) && hull_config_namespace (c, HULL_NS_UTS) == NULL)
    return hull_error_set (err, 0, "config.json: hostname: setting a hostname needs a new uts "
                                   "namespace");
  if ((c->domainname && *c->domainname) && hull_config_namespace (c, HULL_NS_UTS) == NULL)
    return hull_error_set (err, 0, "config.json: domainname: setting a domainname needs a new uts "
                                   "namespace");
  for (size_t i = 0; i < c->mounts_len && hull_config_namespace (c, HULL_NS_USER) == NULL; i++)
    if (hull_mount_idmap_option (&c->mounts[i]) && c->mounts[i].uid_mappings_len == 0)
      return hull_error_set (err, 0, "config.json: mounts[%zu]: option \"%s\" without "
                                     "uidMappings and gidMappings takes the container's user "
                                     "namespace, and there is none in linux.namespaces",
                             i, hull_mount_idmap_option (&c->mounts[i]));
  if (hull_sysctl_validate (c, err) < 0)
    return -1;
  return 0;
}

static int
resolve_paths (const struct hull_create_opts *o, struct hull_created *c, hull_error_t *err)
{
  char buf[PATH_MAX];
  struct stat sb;
  cleanup_free char *rp = NULL;

  if (realpath (o->bundle ? o->bundle : ".", buf) == NULL)
    return hull_error_set (err, errno, "--bundle \"%s\"", o->bundle ? o->bundle : ".");
  c->bundle = xstrdup (buf);
  if (c->cfg->root.path[0] == '/')
    rp = xstrdup (c->cfg->root.path);
  else
    rp = xasprintf ("%s/%s", c->bundle, c->cfg->root.path);
  if (realpath (rp, buf) == NULL)
    return hull_error_set (err, errno, "config.json: root.path: \"%s\"", rp);
  if (stat (buf, &sb) < 0 || !S_ISDIR (sb.st_mode))
    return hull_error_set (err, 0, "config.json: root.path: \"%s\" is not a directory", buf);
  c->rootfs = xstrdup (buf);
  return 0;
}

/* Bind a listening unix socket at <state dir>/exec.sock. */
static int
make_start_socket (struct hull_state *st, hull_error_t *err)
{
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return hull_error_set (err, errno, "socket");
  snprintf (sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d/exec.sock", st->dirfd);
  if (bind (fd, (struct sockaddr *) &sa, sizeof sa) < 0 || listen (fd, 1) < 0)
    {
      close_quietly (fd);
      return hull_error_set (err, errno, "bind %s/%s/exec.sock", st->root, st->id);
    }
  return fd;
}

static int
write_pid_file (const char *path, pid_t pid, hull_error_t *err)
{
  char buf[32], *tmp;
  int n = snprintf (buf, sizeof buf, "%d", (int) pid);
  int r;
  tmp = xasprintf ("%s.hull-tmp", path);
  r = write_file_at (AT_FDCWD, tmp, O_CREAT | O_TRUNC, 0644, buf, (size_t) n, err);
  if (r == 0 && rename (tmp, path) < 0)
    r = hull_error_set (err, errno, "rename to \"%s\"", path);
  if (r < 0)
    {
      unlink (tmp);
      hull_error_prefix (err, "--pid-file");
    }
  free (tmp);
  return r;
}

/* State JSON as hooks see it, with a status of our choosing. */
static char *
hook_state_json (struct hull_created *c, const char *status)
{
  /* The lifecycle step, not what the process looks like now: that would cost
     /proc, exec.sock and freezer reads on every create. */
  return hull_state_json_status (c->state, strcmp (status, "created") == 0 ? HULL_STATUS_CREATED
                                                                           : HULL_STATUS_CREATING);
}

/* SYNC_IDMAP: the container's user namespace is mapped; make its idmapped
   mounts here (that needs privilege over the host filesystems) and send them. */
static int
send_idmapped_mounts (struct hull_created *c, hull_error_t *err)
{
  cleanup_free char *path = xasprintf ("/proc/%d/ns/user", (int) c->pid);
  cleanup_close int nsfd = open (path, O_RDONLY | O_CLOEXEC);
  cleanup_free int *fds = NULL;
  size_t i;
  int r = 0;

  if (nsfd < 0)
    return hull_error_set (err, errno, "idmapped mounts: open \"%s\"", path);
  if (hull_rootfs_open_idmapped_all (c->cfg, c->bundle, nsfd, &fds, err) < 0)
    return hull_error_prefix (err, "config.json");
  for (i = 0; i < c->cfg->mounts_len; i++)
    {
      if (fds[i] >= 0 && r == 0)
        r = hull_sync_send (c->sync_fd, SYNC_MOUNT_FD, (int32_t) i, NULL, fds[i], err);
      close_quietly (fds[i]);
    }
  if (r < 0)
    return -1;
  return hull_sync_send (c->sync_fd, SYNC_IDMAP_DONE, 0, NULL, -1, err);
}

/* Handle the child's messages until it is ready to exec. */
static int
drive_setup (const struct hull_create_opts *o, struct hull_created *c, bool pty_for_relay,
             hull_error_t *err)
{
  struct hull_sync_msg *m = xmalloc (sizeof *m);
  int fd = -1, r = -1;

  for (;;)
    {
      if (hull_sync_recv (c->sync_fd, m, &fd, err) < 0)
        goto out;
      switch (m->type)
        {
        case 0:
          hull_error_set (err, 0, "the container process exited during setup");
          goto out;
        case SYNC_ERROR:
          hull_error_set (err, 0, "%s", m->data);
          (*err)->errnum = m->value;
          goto out;
        case SYNC_USERNS:
          {
            const struct hull_linux *l = c->cfg->linux_;
            if (hull_idmap_write (c->child, l->uid_mappings, l->uid_mappings_len, l->gid_mappings,
                                  l->gid_mappings_len, o->rootless, err)
                    < 0
                || hull_sync_send (c->sync_fd, SYNC_USERNS_DONE, 0, NULL, -1, err) < 0)
              goto out;
            break;
          }
        case SYNC_IDMAP:
          if (send_idmapped_mounts (c, err) < 0)
            goto out;
          break;
        case SYNC_PID:
          c->pid = m->value;
          /* The intermediate process exits right away. */
          while (waitpid (c->child, NULL, 0) < 0 && errno == EINTR)
            ;
          c->child = 0;
          if (c->pidfd >= 0)
            close (c->pidfd);
          c->pidfd = (int) syscall (SYS_pidfd_open, c->pid, 0);
          break;
        case SYNC_HOOKS:
          {
            cleanup_free char *sj = NULL;
            uint64_t t = now_ns ();
            c->state->pid = c->pid;
            sj = hook_state_json (c, "creating");
            if (hull_hooks_run (&c->cfg->hooks[HULL_HOOK_PRESTART], "prestart", sj, err) < 0
                || hull_hooks_run (&c->cfg->hooks[HULL_HOOK_CREATE_RUNTIME], "createRuntime", sj, err)
                       < 0)
              goto out;
            hull_log_phase ("hooks", t);
            if (hull_sync_send (c->sync_fd, SYNC_HOOKS_DONE, 0, sj, -1, err) < 0)
              goto out;
            break;
          }
        case SYNC_PTY:
          if (fd < 0)
            {
              hull_error_set (err, 0, "sync: terminal message without a file descriptor");
              goto out;
            }
          if (o->console_socket)
            {
              int rr = hull_console_socket_send (o->console_socket, fd, err);
              close (fd);
              fd = -1;
              if (rr < 0)
                goto out;
            }
          else if (pty_for_relay)
            {
              /* Size and modes before the workload can look at them. */
              hull_terminal_relay_prepare (fd);
              c->pty_master = take_fd (fd);
            }
          break;
        case SYNC_SECCOMP:
          {
            cleanup_free char *sj = NULL;
            c->state->pid = c->pid;
            sj = hook_state_json (c, "creating");
            if (hull_seccomp_send_listener (c->cfg->linux_->seccomp, fd, c->pid, sj, err) < 0)
              goto out;
            close (fd);
            fd = -1;
            if (hull_sync_send (c->sync_fd, SYNC_SECCOMP_DONE, 0, NULL, -1, err) < 0)
              goto out;
            break;
          }
        case SYNC_READY:
          r = 0;
          goto out;
        default:
          hull_error_set (err, 0, "sync: unexpected message %u", m->type);
          goto out;
        }
      if (fd >= 0)
        {
          close (fd);
          fd = -1;
        }
    }
out:
  if (fd >= 0)
    close (fd);
  free (m);
  return r;
}

int
hull_create_container (const struct hull_create_opts *o, bool run, struct hull_created *c,
                       hull_error_t *err)
{
  struct hull_init in = { 0 };
  struct hull_ns_plan plan;
  cleanup_free char *cfgpath = NULL;
  struct hull_seccomp_filter *filter = NULL;
  int socks[2] = { -1, -1 };
  int listen_fd = -1;
  struct hull_cgroup_join join = { .clone_fd = -1 };
  bool into_cgroup = false;
  size_t len;
  uint64_t t0 = now_ns (), t;
  const struct hull_linux *l;
  int i;

  memset (c, 0, sizeof *c);
  c->pidfd = c->sync_fd = c->pty_master = -1;
  for (i = 0; i < HULL_NS_TYPES; i++)
    plan.fds[i] = -1;

  /* 1. Everything that can be checked without side effects. */
  if (hull_id_validate (o->id, err) < 0)
    return -1;
  cfgpath = xasprintf ("%s/config.json", o->bundle ? o->bundle : ".");
  if (read_file_at (AT_FDCWD, cfgpath, &c->config_text, &len, err) < 0)
    goto fail_early;
  c->cfg = hull_config_parse (c->config_text, len, "config.json", err);
  if (c->cfg == NULL)
    goto fail_early;
  if (validate_for_create (o, c->cfg, run, err) < 0 || resolve_paths (o, c, err) < 0)
    goto fail_early;
  l = c->cfg->linux_;
  if (l->seccomp && hull_seccomp_prepare (l->seccomp, &filter, err) < 0)
    goto fail_early;
  hull_log_phase ("parse", t0);
  /* Before we open anything: the fds passed on must be the caller's. */
  in.preserve_fds = o->preserve_fds;
  hull_listen_fds (&in);
  if (hull_prepare_fds (in.preserve_fds, err) < 0)
    goto fail_early;

  /* 2. The state directory: from here on, failures undo what was done. */
  c->state = hull_state_new (o->root, o->id, err);
  if (c->state == NULL)
    goto fail_early;
  c->state->oci_version = xstrdup (c->cfg->oci_version ? c->cfg->oci_version : "1.2.0");
  c->state->bundle = xstrdup (c->bundle);
  c->state->rootfs = xstrdup (c->rootfs);
  c->state->created = now_rfc3339 ();
  c->state->systemd_cgroup = o->systemd_cgroup;
  c->state->rootless = o->rootless;
  if (c->cfg->annotations_len)
    {
      size_t k;
      c->state->annotations = xmalloc0 (c->cfg->annotations_len * sizeof (struct hull_kv));
      for (k = 0; k < c->cfg->annotations_len; k++)
        {
          c->state->annotations[k].key = xstrdup (c->cfg->annotations[k].key);
          c->state->annotations[k].value = xstrdup (c->cfg->annotations[k].value);
        }
      c->state->annotations_len = c->cfg->annotations_len;
    }
  c->state->config_text = c->config_text; /* saved with the first state; c->cfg has its own copies */
  c->config_text = NULL;

  /* 3. cgroup: recorded in the state before it exists, so delete can always find it. */
  t = now_ns ();
  c->cg = hull_cgroup_new (o->id, l->cgroups_path, o->systemd_cgroup, o->rootless, err);
  if (c->cg == NULL)
    goto fail;
  hull_cgroup_allow_devices (c->cg, l->devices, l->devices_len);
  c->state->cgroup = hull_cgroup_serialize (c->cg);
  if (hull_state_save (c->state, err) < 0)
    goto fail;
  hull_fault_point ("state-saved");
  if (hull_cgroup_create (c->cg, l->resources, err) < 0)
    goto fail;
  /* Rootless without a writable hierarchy, create chose the "none" manager:
     exec, kill and delete must see that (saved with the pid below). */
  free (c->state->cgroup);
  c->state->cgroup = hull_cgroup_serialize (c->cg);
  hull_fault_point ("cgroup-created");
  /* create may have settled on another mode (rootless without a writable
   * hierarchy): what state.jsonl records from now on is what exists. */
  free (c->state->cgroup);
  c->state->cgroup = hull_cgroup_serialize (c->cg);
  hull_log_phase ("cgroup", t);

  /* 4. The child. */
  if (hull_cgroup_join_prepare (c->cg, &join, err) < 0)
    goto fail;
  if (hull_ns_plan (c->cfg, hull_cgroup_join_whole (&join), &plan, err) < 0)
    goto fail;
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, socks) < 0)
    {
      hull_error_set (err, errno, "socketpair");
      goto fail;
    }
  if (!run)
    {
      listen_fd = make_start_socket (c->state, err);
      if (listen_fd < 0)
        goto fail;
    }
  if (o->rootless)
    hull_process_oom_score_adj_rootless (c->cfg->process);
  in.cfg = c->cfg;
  in.process = c->cfg->process;
  in.id = o->id;
  in.rootfs = c->rootfs;
  in.bundle = c->bundle;
  in.sync_fd = socks[1];
  in.listen_fd = listen_fd;
  in.state_fd = c->state->dirfd;
  in.outlive_parent = !run || o->detach;
  for (i = 0; i < HULL_NS_TYPES; i++)
    in.ns_fds[i] = plan.fds[i];
  in.unshare_flags = plan.unshare_flags;
  in.unshare_user = plan.unshare_user;
  in.need_fork = plan.need_fork;
  in.userns = plan.userns;
  in.idmap_mounts = plan.userns && hull_rootfs_needs_idmap_fds (c->cfg);
  in.new_netns = (plan.new_flags & CLONE_NEWNET) != 0;
  in.new_utsns = (plan.new_flags & CLONE_NEWUTS) != 0;
  in.new_cgroupns = (plan.new_flags & CLONE_NEWCGROUP) != 0;
  in.no_pivot = o->no_pivot;
  in.no_new_keyring = o->no_new_keyring;
  in.hooks_in_parent = c->cfg->hooks[HULL_HOOK_PRESTART].len
                       || c->cfg->hooks[HULL_HOOK_CREATE_RUNTIME].len
                       || c->cfg->hooks[HULL_HOOK_CREATE_CONTAINER].len;
  in.seccomp = filter;
  in.seccomp_listener = filter && hull_seccomp_needs_listener (filter);
  in.parent_pid = getpid ();
  in.cgroup_join = &join;

  t = now_ns ();
  c->child = hull_clone_process ((uint64_t) plan.clone_flags, join.clone_fd, &c->pidfd,
                                 &into_cgroup, "the container process", err);
  if (c->child < 0)
    {
      c->child = 0;
      goto fail;
    }
  if (c->child == 0)
    {
      close (socks[0]);
      hull_init_main (&in);
    }
  hull_log_phase ("clone", t);
  hull_fault_point ("cloned");
  close (socks[1]);
  socks[1] = -1;
  if (listen_fd >= 0)
    {
      close (listen_fd);
      listen_fd = -1;
    }
  hull_ns_plan_close (&plan);
  c->sync_fd = socks[0];
  socks[0] = -1;
  c->pid = c->child;

  /* 5. Ids, cgroup, then let the child go. */
  if (plan.maps_at_clone
      && hull_idmap_write (c->child, l->uid_mappings, l->uid_mappings_len, l->gid_mappings,
                           l->gid_mappings_len, o->rootless, err)
             < 0)
    goto fail;
  if (hull_cgroup_join_finish (c->cg, &join, c->child, into_cgroup, err) < 0)
    goto fail;
  hull_cgroup_join_release (&join);
  if (hull_sync_send (c->sync_fd, SYNC_GO, 0, NULL, -1, err) < 0)
    goto fail;
  hull_fault_point ("child-released");

  t = now_ns ();
  if (drive_setup (o, c, run && !o->detach, err) < 0)
    goto fail;
  hull_fault_point ("child-ready");
  hull_log_phase ("container setup", t);

  /* 6. Record the running init. */
  c->state->pid = c->pid;
  c->state->start_time = hull_pid_start_time (c->pid);
  if (hull_state_save (c->state, err) < 0)
    goto fail;
  hull_fault_point ("state-running");
  if (o->pid_file && write_pid_file (o->pid_file, c->pid, err) < 0)
    goto fail;
  {
    cleanup_free char *sj = hook_state_json (c, "created");
    if (hull_sync_send (c->sync_fd, SYNC_STATE, 0, sj, -1, err) < 0)
      goto fail;
  }
  hull_seccomp_filter_free (filter);
  hull_log_phase ("create", t0);
  return 0;

fail:
  close_quietly (socks[0]);
  close_quietly (socks[1]);
  close_quietly (listen_fd);
  hull_ns_plan_close (&plan);
  hull_cgroup_join_release (&join);
  create_abort (c);
fail_early:
  hull_seccomp_filter_free (filter);
  hull_created_free (c);
  return -1;
}

int
hull_container_create (const struct hull_create_opts *o, hull_error_t *err)
{
  struct hull_created c;
  if (hull_create_container (o, false, &c, err) < 0)
    return -1;
  /* The child is reparented when we exit; it keeps waiting on exec.sock. */
  c.child = 0;
  hull_created_free (&c);
  return 0;
}
