/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The --systemd-cgroup driver.  The container's cgroup is a transient scope
 * unit started over D-Bus (StartTransientUnit with PIDs, Slice and
 * Delegate=yes); limits are then written through the v1 or v2 file
 * interface on the scope's directories, which systemd leaves to us because
 * the scope is delegated.
 *
 * A scope needs a process when it starts, but the container's init does not
 * exist yet when hull_cgroup_create() runs.  So hull starts the scope with
 * itself as the only pid: the container is then forked (or clone3'd) straight
 * into it, and hull_cgroup_enter() moves hull back to where it came from.
 *
 * libsystemd (and the half dozen libraries it needs) is not linked into
 * hull: it is dlopen'ed the first time this driver talks to D-Bus, so the
 * invocations that do not use --systemd-cgroup do not load it at all.
 */
#include <config.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_SYSTEMD
#include <systemd/sd-bus.h>
#endif

#include "cgroup_internal.h"
#include "log.h"
#include "utils.h"

static const struct cg_ops *
fs (struct hull_cgroup *cg)
{
  return cg->mode == CG_MODE_V2 ? &cg_v2_ops : &cg_v1_ops;
}

/* Put hull back into the cgroups listed in cg->self_cgroup. */
static void
restore_self (struct hull_cgroup *cg)
{
  struct cg_proc_entry *e = NULL;
  size_t n = 0;
  hull_error_t err = NULL;

  if (cg->self_cgroup == NULL || cg_parse_proc_cgroup (cg->self_cgroup, &e, &n, &err) < 0)
    {
      hull_error_free (&err);
      return;
    }
  for (size_t i = 0; i < n; i++)
    {
      struct cg_hier *h = cg_hier_find (cg, e[i].controllers);
      cleanup_free char *dir = NULL;
      if (cg->mode == CG_MODE_V2 && *e[i].controllers == '\0')
        h = &cg->h[0];
      if (h == NULL)
        continue;
      dir = xasprintf ("%s%s", h->mountpoint, e[i].path);
      if (cg_enter_dir (dir, getpid (), &err) < 0)
        {
          hull_debug ("systemd cgroup: cannot move back to \"%s\": %s", dir, err->msg);
          hull_error_free (&err);
        }
    }
  cg_proc_entries_free (e, n);
  free (cg->self_cgroup);
  cg->self_cgroup = NULL;
}

#ifdef HAVE_SYSTEMD

#define SD_SONAME "libsystemd.so.0"

/* The libsystemd entry points this file uses, typed from <systemd/sd-bus.h>. */
static struct
{
  void *handle;
  __typeof__ (sd_bus_open_system) *open_system;
  __typeof__ (sd_bus_open_user) *open_user;
  __typeof__ (sd_bus_message_new_method_call) *message_new_method_call;
  __typeof__ (sd_bus_message_append) *message_append;
  __typeof__ (sd_bus_message_open_container) *message_open_container;
  __typeof__ (sd_bus_message_close_container) *message_close_container;
  __typeof__ (sd_bus_message_unref) *message_unref;
  __typeof__ (sd_bus_call) *call;
  __typeof__ (sd_bus_call_method) *call_method;
  __typeof__ (sd_bus_error_free) *error_free;
  __typeof__ (sd_bus_flush_close_unref) *flush_close_unref;
} sd;

#define SD_SYM(field, name) { offsetof (__typeof__ (sd), field), name }

static const struct
{
  size_t offset;
  const char *name;
} sd_syms[] = {
  SD_SYM (open_system, "sd_bus_open_system"),
  SD_SYM (open_user, "sd_bus_open_user"),
  SD_SYM (message_new_method_call, "sd_bus_message_new_method_call"),
  SD_SYM (message_append, "sd_bus_message_append"),
  SD_SYM (message_open_container, "sd_bus_message_open_container"),
  SD_SYM (message_close_container, "sd_bus_message_close_container"),
  SD_SYM (message_unref, "sd_bus_message_unref"),
  SD_SYM (call, "sd_bus_call"),
  SD_SYM (call_method, "sd_bus_call_method"),
  SD_SYM (error_free, "sd_bus_error_free"),
  SD_SYM (flush_close_unref, "sd_bus_flush_close_unref"),
};

int
cg_systemd_load (const char *soname, hull_error_t *err)
{
  void *h;

  if (sd.handle != NULL)
    return 0;
  if (soname == NULL)
    soname = SD_SONAME;
  dlerror ();
  h = dlopen (soname, RTLD_NOW | RTLD_LOCAL);
  if (h == NULL)
    {
      const char *why = dlerror ();
      return hull_error_set (err, 0, "--systemd-cgroup: cannot load %s (%s): install libsystemd0", soname,
                             why ? why : "dlopen failed");
    }
  for (size_t i = 0; i < sizeof sd_syms / sizeof sd_syms[0]; i++)
    {
      void *f;
      dlerror ();
      f = dlsym (h, sd_syms[i].name);
      if (f == NULL)
        {
          const char *why = dlerror ();
          hull_error_set (err, 0, "--systemd-cgroup: cannot load %s (%s): install libsystemd0", soname,
                          why ? why : sd_syms[i].name);
          memset (&sd, 0, sizeof sd);
          dlclose (h);
          return -1;
        }
      /* POSIX guarantees that a dlsym() result converts to a function pointer */
      memcpy ((char *) &sd + sd_syms[i].offset, &f, sizeof f);
    }
  sd.handle = h;
  return 0;
}

static int
open_bus (struct hull_cgroup *cg, sd_bus **bus, hull_error_t *err)
{
  int r;

  if (cg_systemd_load (NULL, err) < 0)
    return -1;
  r = cg->rootless ? sd.open_user (bus) : sd.open_system (bus);
  if (r < 0)
    return hull_error_set (err, -r, "--systemd-cgroup: connect to the %s bus",
                           cg->rootless ? "user" : "system");
  return 0;
}

static int
start_unit (struct hull_cgroup *cg, hull_error_t *err)
{
  sd_bus *bus = NULL;
  sd_bus_message *m = NULL, *reply = NULL;
  sd_bus_error e = SD_BUS_ERROR_NULL;
  cleanup_free char *desc = xasprintf ("hull container %s", cg->id);
  int r, ret = -1;

  if (open_bus (cg, &bus, err) < 0)
    return -1;
  r = sd.message_new_method_call (bus, &m, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                                  "org.freedesktop.systemd1.Manager", "StartTransientUnit");
  if (r >= 0)
    r = sd.message_append (m, "ss", cg->unit, "fail");
  if (r >= 0)
    r = sd.message_open_container (m, 'a', "(sv)");
  if (r >= 0)
    r = sd.message_append (m, "(sv)(sv)(sv)(sv)(sv)", "Description", "s", desc, "Slice", "s", cg->slice,
                           "Delegate", "b", 1, "DefaultDependencies", "b", 0, "PIDs", "au", 1,
                           (uint32_t) getpid ());
  if (r >= 0)
    r = sd.message_close_container (m);
  if (r >= 0)
    r = sd.message_append (m, "a(sa(sv))", 0);
  if (r < 0)
    {
      hull_error_set (err, -r, "--systemd-cgroup: build StartTransientUnit message");
      goto out;
    }
  r = sd.call (bus, m, 0, &e, &reply);
  if (r < 0)
    {
      hull_error_set (err, 0, "--systemd-cgroup: start unit \"%s\" in \"%s\": %s", cg->unit, cg->slice,
                      e.message ? e.message : hull_strerror (-r));
      goto out;
    }
  ret = 0;
out:
  sd.error_free (&e);
  sd.message_unref (m);
  sd.message_unref (reply);
  sd.flush_close_unref (bus);
  return ret;
}

static void
stop_unit (struct hull_cgroup *cg)
{
  sd_bus *bus = NULL;
  sd_bus_error e = SD_BUS_ERROR_NULL;
  hull_error_t err = NULL;

  if (open_bus (cg, &bus, &err) < 0)
    {
      hull_error_free (&err);
      return;
    }
  if (sd.call_method (bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                      "org.freedesktop.systemd1.Manager", "StopUnit", &e, NULL, "ss", cg->unit, "replace")
      < 0)
    hull_debug ("systemd cgroup: stop \"%s\": %s", cg->unit, e.message ? e.message : "failed");
  sd.error_free (&e);
  sd.flush_close_unref (bus);
}

#else

int
cg_systemd_load (const char *soname, hull_error_t *err)
{
  return hull_error_set (err, 0, "--systemd-cgroup: hull was built without systemd support");
}

static int
start_unit (struct hull_cgroup *cg, hull_error_t *err)
{
  return hull_error_set (err, 0, "--systemd-cgroup: hull was built without systemd support");
}

static void
stop_unit (struct hull_cgroup *cg)
{
}

#endif

static int
sd_create (struct hull_cgroup *cg, const struct hull_resources *r, hull_error_t *err)
{
  hull_error_t e = NULL;

  if (access ("/run/systemd/system", F_OK) < 0)
    return hull_error_set (err, 0, "--systemd-cgroup: systemd is not running on this host "
                                   "(no /run/systemd/system); use the cgroupfs driver");
  if (read_file_at (AT_FDCWD, "/proc/self/cgroup", &cg->self_cgroup, NULL, err) < 0)
    return -1;
  if (start_unit (cg, err) < 0)
    return -1;
  /* the job runs asynchronously; the scope's directory shows up once it started */
  for (int i = 0; i < 1000 && access (cg->h[0].dir, F_OK) < 0; i++)
    nanosleep (&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
  if (access (cg->h[0].dir, F_OK) < 0)
    {
      hull_error_set (err, errno, "--systemd-cgroup: unit \"%s\" started but \"%s\" did not appear", cg->unit,
                      cg->h[0].dir);
      goto fail;
    }
  if (fs (cg)->create (cg, r, err) < 0)
    goto fail;
  return 0;
fail:
  restore_self (cg);
  stop_unit (cg);
  fs (cg)->destroy (cg, &e);
  hull_error_free (&e);
  return -1;
}

static int
sd_enter (struct hull_cgroup *cg, pid_t pid, hull_error_t *err)
{
  if (fs (cg)->enter (cg, pid, err) < 0)
    return -1;
  if (pid != getpid ())
    restore_self (cg);
  return 0;
}

static int
sd_update (struct hull_cgroup *cg, const struct hull_resources *r, hull_error_t *err)
{
  return fs (cg)->update (cg, r, err);
}

static int
sd_destroy (struct hull_cgroup *cg, hull_error_t *err)
{
  hull_error_t e = NULL;

  restore_self (cg);
  if (fs (cg)->kill_all (cg, SIGKILL, &e) < 0)
    hull_error_free (&e);
  stop_unit (cg);
  /* what systemd does not manage (v1 freezer, cpuset ...) is ours to remove */
  return fs (cg)->destroy (cg, err);
}

static int
sd_freeze (struct hull_cgroup *cg, bool frozen, hull_error_t *err)
{
  return fs (cg)->freeze (cg, frozen, err);
}

static bool
sd_is_frozen (struct hull_cgroup *cg)
{
  return fs (cg)->is_frozen (cg);
}

static int
sd_kill_all (struct hull_cgroup *cg, int sig, hull_error_t *err)
{
  return fs (cg)->kill_all (cg, sig, err);
}

static int
sd_stats (struct hull_cgroup *cg, yajl_gen gen, hull_error_t *err)
{
  return fs (cg)->stats (cg, gen, err);
}

static int
sd_oom_fd (struct hull_cgroup *cg, hull_error_t *err)
{
  return fs (cg)->oom_fd (cg, err);
}

static int
sd_oom_read (struct hull_cgroup *cg, int fd)
{
  return fs (cg)->oom_read (cg, fd);
}

static const char *
sd_pids_dir (struct hull_cgroup *cg)
{
  return fs (cg)->pids_dir (cg);
}

const struct cg_ops cg_systemd_ops = {
  .name = "systemd",
  .create = sd_create,
  .enter = sd_enter,
  .update = sd_update,
  .destroy = sd_destroy,
  .freeze = sd_freeze,
  .is_frozen = sd_is_frozen,
  .kill_all = sd_kill_all,
  .stats = sd_stats,
  .oom_fd = sd_oom_fd,
  .oom_read = sd_oom_read,
  .pids_dir = sd_pids_dir,
};
