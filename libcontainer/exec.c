/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * exec: a new process inside a running container.  hull joins the
 * container's pid (and time) namespace itself, so that a single clone
 * creates the process there; the child joins the other namespaces, gets the
 * container's (or process.json's) attributes and execs.
 */
#include <config.h>
#include "container.h"
#include "caps.h"
#include "cgroup.h"
#include "cgroup_sub.h"
#include "create_internal.h"
#include "init.h"
#include "json.h"
#include "log.h"
#include "namespaces.h"
#include "process_attrs.h"
#include "seccomp_filter.h"
#include "state.h"
#include "sync.h"
#include "terminal.h"
#include "utils.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

static const char *const ns_proc_names[HULL_NS_TYPES] = {
  [HULL_NS_PID] = "pid", [HULL_NS_NET] = "net",   [HULL_NS_MNT] = "mnt",       [HULL_NS_IPC] = "ipc",
  [HULL_NS_UTS] = "uts", [HULL_NS_USER] = "user", [HULL_NS_CGROUP] = "cgroup", [HULL_NS_TIME] = "time",
};

/* Open every namespace of pid that differs from ours. */
static int
open_container_namespaces (pid_t pid, int fds[HULL_NS_TYPES], hull_error_t *err)
{
  int t;
  for (t = 0; t < HULL_NS_TYPES; t++)
    {
      char path[64], self[64];
      struct stat a, b;
      fds[t] = -1;
      snprintf (path, sizeof path, "/proc/%d/ns/%s", (int)pid, ns_proc_names[t]);
      snprintf (self, sizeof self, "/proc/self/ns/%s", ns_proc_names[t]);
      if (stat (path, &a) < 0)
        {
          if (errno == ENOENT && access ("/proc/self/ns", F_OK) == 0 && stat (self, &b) < 0)
            continue; /* the kernel lacks this namespace type */
          return hull_error_set (err, errno, "open namespace \"%s\"", path);
        }
      if (stat (self, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
        continue;
      fds[t] = open (path, O_RDONLY | O_CLOEXEC);
      if (fds[t] < 0)
        return hull_error_set (err, errno, "open namespace \"%s\"", path);
    }
  return 0;
}


static void
capset_copy (struct hull_capset *dst, const struct hull_capset *src)
{
  dst->set = src->set;
  dst->mask = src->mask;
  dst->names = src->names ? strv_dup (src->names) : NULL;
}

/* What process.json leaves out comes from the container's process, as the
 * container's init has it: capabilities, rlimits and noNewPrivileges (the
 * seccomp filter is always the container's).  text is process.json. */
static void
inherit_from_container (struct hull_process *p, const struct hull_process *c, const char *text)
{
  if (c == NULL)
    return;
  if (!p->capabilities_set && c->capabilities_set)
    {
      capset_copy (&p->capabilities.bounding, &c->capabilities.bounding);
      capset_copy (&p->capabilities.effective, &c->capabilities.effective);
      capset_copy (&p->capabilities.inheritable, &c->capabilities.inheritable);
      capset_copy (&p->capabilities.permitted, &c->capabilities.permitted);
      capset_copy (&p->capabilities.ambient, &c->capabilities.ambient);
      p->capabilities_set = true;
    }
  if (p->rlimits_len == 0 && c->rlimits_len > 0)
    {
      size_t i;
      p->rlimits = xmalloc0 (c->rlimits_len * sizeof *p->rlimits);
      for (i = 0; i < c->rlimits_len; i++)
        {
          p->rlimits[i] = c->rlimits[i];
          p->rlimits[i].type_name = c->rlimits[i].type_name ? xstrdup (c->rlimits[i].type_name) : NULL;
        }
      p->rlimits_len = c->rlimits_len;
    }
  {
    yajl_val root = yajl_tree_parse (text, NULL, 0);
    bool v;
    if (root && !hull_json_get_bool (root, "noNewPrivileges", &v))
      p->no_new_privileges = c->no_new_privileges;
    yajl_tree_free (root);
  }
}

static void
capset_add (struct hull_capset *s, uint64_t mask)
{
  s->set = true;
  s->mask |= mask;
}

/* Turn the exec options into the process to run, based on the container's. */
static struct hull_process *
build_process (const struct hull_exec_opts *o, struct hull_config *cfg, struct hull_process **owned,
               hull_error_t *err)
{
  struct hull_process *p;
  size_t i, n;

  *owned = NULL;
  if (o->process_file)
    {
      cleanup_free char *text = NULL;
      size_t len;
      if (read_file_at (AT_FDCWD, o->process_file, &text, &len, err) < 0)
        {
          hull_error_prefix (err, "--process");
          return NULL;
        }
      p = hull_process_parse (text, len, "process.json", err);
      if (p == NULL)
        return NULL;
      *owned = p;
      inherit_from_container (p, cfg->process, text);
    }
  else
    {
      if (cfg->process == NULL)
        {
          hull_error_set (err, 0, "the container's config.json has no process to start from");
          return NULL;
        }
      p = cfg->process;
      if (o->args == NULL || o->args[0] == NULL)
        {
          hull_error_set (err, 0, "exec: missing the command to run");
          return NULL;
        }
      strv_free (p->args);
      p->args = strv_dup (o->args);
      p->terminal = o->tty;
      if (o->cwd)
        {
          free (p->cwd);
          p->cwd = xstrdup (o->cwd);
        }
      n = strv_len (p->env);
      if (o->env && o->env[0])
        {
          size_t extra = strv_len (o->env);
          p->env = xrealloc (p->env, (n + extra + 1) * sizeof (char *));
          for (i = 0; i < extra; i++)
            p->env[n + i] = xstrdup (o->env[i]);
          p->env[n + extra] = NULL;
        }
      if (o->no_new_privs)
        p->no_new_privileges = true;
    }
  if (o->process_file && o->tty)
    p->terminal = true;
  if (o->user)
    {
      uint32_t uid, gid;
      bool gid_set = false;
      if (hull_parse_user_spec (o->user, &uid, &gid, &gid_set, err) < 0)
        {
          hull_error_prefix (err, "--user");
          return NULL;
        }
      p->user.uid = uid;
      if (gid_set)
        p->user.gid = gid;
    }
  if (o->additional_gids && o->additional_gids[0])
    {
      /* Appended to the process's own, as runc does. */
      size_t base = p->user.additional_gids_len;
      n = strv_len (o->additional_gids);
      p->user.additional_gids = xrealloc (p->user.additional_gids, (base + n) * sizeof (uint32_t));
      for (i = 0; i < n; i++)
        {
          uint64_t v;
          if (parse_u64 (o->additional_gids[i], &v) < 0 || v >= 4294967295ULL)
            {
              hull_error_set (err, 0, "--additional-gids: invalid group id \"%s\"", o->additional_gids[i]);
              return NULL;
            }
          p->user.additional_gids[base + i] = (uint32_t)v;
        }
      p->user.additional_gids_len = base + n;
    }
  if (o->caps && o->caps[0])
    {
      uint64_t mask = 0;
      if (hull_caps_parse_names (o->caps, &mask, err) < 0)
        {
          hull_error_prefix (err, "--cap");
          return NULL;
        }
      capset_add (&p->capabilities.bounding, mask);
      capset_add (&p->capabilities.effective, mask);
      capset_add (&p->capabilities.permitted, mask);
      p->capabilities_set = true;
    }
  if (o->apparmor && *o->apparmor)
    {
      hull_error_set (err, 0, "--apparmor: AppArmor is not supported by this build of hull");
      return NULL;
    }
  if (o->process_label && *o->process_label)
    {
      hull_error_set (err, 0,
                      "--process-label: SELinux labels are not supported by this build of "
                      "hull");
      return NULL;
    }
  if (p->args == NULL || p->args[0] == NULL)
    {
      hull_error_set (err, 0, "process.json: args: must not be empty");
      return NULL;
    }
  if (!p->terminal && o->console_socket)
    {
      hull_error_set (err, 0,
                      "--console-socket given, but no terminal was requested (--tty or "
                      "process.json terminal)");
      return NULL;
    }
  if (p->terminal && o->console_socket == NULL && o->detach)
    {
      hull_error_set (err, 0, "exec: a terminal was requested with --detach but no --console-socket");
      return NULL;
    }
  return p;
}

/* setns back into the pid and time namespaces we came from (for our children). */
static void
restore_own_namespaces (int own_ns[2])
{
  static const int flags[2] = { CLONE_NEWPID, CLONE_NEWTIME };
  for (int k = 0; k < 2; k++)
    if (own_ns[k] >= 0)
      {
        /* EPERM: rootless, we may enter the container's namespaces (its user
           namespace is ours) but not go back; we fork nothing more anyway */
        if (setns (own_ns[k], flags[k]) < 0 && errno != EPERM)
          hull_warn ("exec: back to our own %s namespace: %s", k ? "time" : "pid", strerror (errno));
        close (own_ns[k]);
        own_ns[k] = -1;
      }
}

int
hull_container_exec (const struct hull_exec_opts *o, int *exit_status, hull_error_t *err)
{
  struct hull_state *st;
  struct hull_config *cfg = NULL;
  struct hull_process *owned = NULL;
  struct hull_cgroup *cg = NULL;
  struct hull_seccomp_filter *filter = NULL;
  struct hull_init in = { 0 };
  struct hull_sync_msg *m = NULL;
  enum hull_status status;
  int socks[2] = { -1, -1 }, pidfd = -1, pty = -1, fd = -1, r = -1, t;
  struct hull_cgroup_join join = { .clone_fd = -1 };
  bool into_cgroup = false;
  pid_t pid = 0;
  static const enum hull_ns_type for_children[] = { HULL_NS_PID, HULL_NS_TIME };
  int own_ns[2] = { -1, -1 };
  size_t k;

  for (t = 0; t < HULL_NS_TYPES; t++)
    in.ns_fds[t] = -1;
  /* Before we open anything: the fds passed on must be the caller's. */
  if (hull_prepare_fds (o->preserve_fds, err) < 0)
    return -1;
  st = hull_state_load (o->root, o->id, err);
  if (st == NULL)
    return -1;
  status = hull_state_status (st);
  if (status == HULL_STATUS_PAUSED && !o->ignore_paused)
    {
      hull_error_set (err, 0, "cannot exec in container \"%s\": it is paused (use --ignore-paused)", o->id);
      goto out;
    }
  if (status != HULL_STATUS_RUNNING && status != HULL_STATUS_CREATED && status != HULL_STATUS_PAUSED)
    {
      hull_error_set (err, 0, "cannot exec in container \"%s\": container is %s", o->id,
                      hull_status_name (status));
      goto out;
    }
  cfg = hull_state_config (st, err);
  if (cfg == NULL)
    goto out;
  {
    struct hull_process *p = build_process (o, cfg, &owned, err);
    if (p == NULL)
      goto out;
    if (st->rootless)
      hull_process_oom_score_adj_rootless (p);
    in.process = p;
  }
  if (o->console_socket && hull_console_socket_check (o->console_socket, err) < 0)
    goto out;
  if (cfg->linux_ && cfg->linux_->seccomp && hull_seccomp_prepare (cfg->linux_->seccomp, &filter, err) < 0)
    goto out;
  if (st->cgroup && *st->cgroup)
    {
      cg = hull_cgroup_deserialize (st->cgroup, err);
      if (cg == NULL)
        goto out;
      if (o->cgroups && o->cgroups[0])
        {
          struct hull_cgroup *sub = hull_cgroup_sub_list (cg, o->cgroups, err);
          if (sub == NULL)
            goto out;
          hull_cgroup_free (cg);
          cg = sub;
        }
      if (hull_cgroup_join_prepare (cg, &join, err) < 0)
        goto out;
      in.cgroup_join = &join;
    }
  else if (o->cgroups && o->cgroups[0])
    {
      hull_error_set (err, 0, "--cgroup \"%s\": the container has no cgroup", o->cgroups[0]);
      goto out;
    }
  if (open_container_namespaces (st->pid, in.ns_fds, err) < 0)
    goto out;
  /* Another exec or a kill may proceed while this one runs. */
  flock (st->dirfd, LOCK_UN);
  st->locked = false;

  /* pid and time namespaces apply to our children: enter them here, and go
     back to our own once the child exists (anything we fork later, such as
     LeakSanitizer's tracer at exit, must not land in the container). */
  for (k = 0; k < sizeof for_children / sizeof for_children[0]; k++)
    if (in.ns_fds[(t = for_children[k])] >= 0)
      {
        own_ns[k] = open (t == HULL_NS_PID ? "/proc/self/ns/pid" : "/proc/self/ns/time",
                          O_RDONLY | O_CLOEXEC);
        if (setns (in.ns_fds[t], hull_ns_clone_flag ((enum hull_ns_type)t)) < 0)
          {
            /* Rootless: the namespace is owned by the container's user
               namespace, where only the child gains privileges.  It joins
               there and forks once more (SYNC_PID). */
            if (errno == EPERM && in.ns_fds[HULL_NS_USER] >= 0)
              {
                in.need_fork = true;
                continue;
              }
            hull_error_set (err, errno, "join the container's %s namespace", hull_ns_type_names[t]);
            goto out;
          }
        close (in.ns_fds[t]);
        in.ns_fds[t] = -1;
      }
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, socks) < 0)
    {
      hull_error_set (err, errno, "socketpair");
      goto out;
    }
  in.cfg = cfg;
  in.id = o->id;
  in.sync_fd = socks[1];
  in.listen_fd = -1;
  in.state_fd = st->dirfd;
  in.exec = true;
  in.outlive_parent = o->detach;
  in.userns = in.ns_fds[HULL_NS_USER] >= 0;
  in.preserve_fds = o->preserve_fds;
  /* No socket activation for exec (LISTEN_FDS is create/run's), as in runc. */
  in.seccomp = filter;
  /* Like the container's init, the new process's listener fd goes to the agent. */
  in.seccomp_listener = filter && hull_seccomp_needs_listener (filter);
  in.parent_pid = getpid ();

  pid = hull_clone_process (0, join.clone_fd, &pidfd, &into_cgroup, "the exec process", err);
  if (pid < 0)
    {
      pid = 0;
      goto out;
    }
  if (pid == 0)
    {
      close (socks[0]);
      hull_init_main (&in);
    }
  close (socks[1]);
  socks[1] = -1;
  restore_own_namespaces (own_ns);
  for (t = 0; t < HULL_NS_TYPES; t++)
    if (in.ns_fds[t] >= 0)
      {
        close (in.ns_fds[t]);
        in.ns_fds[t] = -1;
      }
  if (cg && hull_cgroup_join_finish (cg, &join, pid, into_cgroup, err) < 0)
    goto kill_child;
  hull_cgroup_join_release (&join);
  if (hull_sync_send (socks[0], SYNC_GO, 0, NULL, -1, err) < 0)
    goto kill_child;
  m = xmalloc (sizeof *m);
  for (;;)
    {
      if (hull_sync_recv (socks[0], m, &fd, err) < 0)
        goto kill_child;
      if (m->type == SYNC_PTY && fd >= 0)
        {
          if (o->console_socket)
            {
              int rr = hull_console_socket_send (o->console_socket, fd, err);
              close (fd);
              fd = -1;
              if (rr < 0)
                goto kill_child;
            }
          else
            {
              hull_terminal_relay_prepare (fd);
              pty = take_fd (fd);
            }
          continue;
        }
      if (m->type == SYNC_SECCOMP && fd >= 0)
        {
          cleanup_free char *sj = hull_state_json (st, false);
          int rr = hull_seccomp_send_listener (cfg->linux_->seccomp, fd, pid, sj, err);
          close (fd);
          fd = -1;
          if (rr < 0 || hull_sync_send (socks[0], SYNC_SECCOMP_DONE, 0, NULL, -1, err) < 0)
            goto kill_child;
          continue;
        }
      if (fd >= 0)
        {
          close (fd);
          fd = -1;
        }
      if (m->type == SYNC_PID)
        {
          /* The intermediate exits right away; the grandchild is ours too (CLONE_PARENT). */
          hull_wait_exit_status (pid);
          pid = m->value;
          close_quietly (pidfd);
          pidfd = (int)syscall (SYS_pidfd_open, pid, 0);
          continue;
        }
      if (m->type == SYNC_READY)
        break;
      if (m->type == SYNC_ERROR)
        {
          hull_error_set (err, 0, "%s", m->data);
          (*err)->errnum = m->value;
        }
      else if (m->type == 0)
        hull_error_set (err, 0, "the exec process exited during setup");
      else
        hull_error_set (err, 0, "sync: unexpected message %u", m->type);
      goto kill_child;
    }
  if (hull_process_cpu_affinity_final (in.process, pid, err) < 0)
    goto kill_child;
  if (o->pid_file)
    {
      char buf[32];
      int n = snprintf (buf, sizeof buf, "%d", (int)pid);
      cleanup_free char *tmp = xasprintf ("%s.hull-tmp", o->pid_file);
      if (write_file_at (AT_FDCWD, tmp, O_CREAT | O_TRUNC, 0644, buf, (size_t)n, err) < 0)
        goto kill_child;
      if (rename (tmp, o->pid_file) < 0)
        {
          hull_error_set (err, errno, "--pid-file \"%s\"", o->pid_file);
          unlink (tmp);
          goto kill_child;
        }
    }
  if (hull_sync_send (socks[0], SYNC_STATE, 0, "", -1, err) < 0
      || hull_sync_send (socks[0], SYNC_START, 0, NULL, -1, err) < 0
      || hull_sync_recv (socks[0], m, NULL, err) < 0)
    goto kill_child;
  if (m->type == SYNC_ERROR)
    {
      hull_error_set (err, 0, "%s", m->data);
      (*err)->errnum = m->value;
      hull_wait_exit_status (pid);
      goto out;
    }
  if (o->detach)
    {
      *exit_status = 0;
      r = 0;
      goto out;
    }
  if (pty >= 0)
    {
      hull_error_t e2 = NULL;
      if (hull_terminal_relay (pty, pidfd, &e2) < 0)
        {
          hull_warn ("terminal: %s", e2->msg);
          hull_error_free (&e2);
        }
    }
  *exit_status = pty >= 0 ? hull_wait_exit_status (pid) : hull_wait_forwarding (pid, pidfd);
  r = 0;
  goto out;

kill_child:
  if (pid > 0)
    {
      kill (pid, SIGKILL);
      hull_wait_exit_status (pid);
    }
out:
  restore_own_namespaces (own_ns);
  free (m);
  for (t = 0; t < HULL_NS_TYPES; t++)
    close_quietly (in.ns_fds[t]);
  close_quietly (socks[0]);
  close_quietly (socks[1]);
  close_quietly (pidfd);
  close_quietly (pty);
  hull_seccomp_filter_free (filter);
  hull_cgroup_join_release (&join);
  hull_cgroup_free (cg);
  hull_process_free (owned);
  hull_config_free (cfg);
  hull_state_free (st);
  return r;
}
