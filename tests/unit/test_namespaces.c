/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of namespace planning (libcontainer/namespaces.c): fast path,
   general path, the extra fork, and the checks of linux.namespaces[].path. */
#include <config.h>
#include "config.h"
#include "namespaces.h"
#include "utils.h"
#include "tap.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

/* Parse a config whose linux member is lx (single quotes for double). */
static struct hull_config *
cfg (const char *lx)
{
  cleanup_free char *t = xasprintf ("{'ociVersion':'1.2.0','root':{'path':'rootfs'},"
                                    "'process':{'args':['sh'],'cwd':'/'},'linux':%s}",
                                    lx);
  hull_error_t err = NULL;
  struct hull_config *c;
  char *p;

  for (p = t; *p; p++)
    if (*p == '\'')
      *p = '"';
  c = hull_config_parse (t, strlen (t), "config.json", &err);
  if (c == NULL)
    diag ("parse: %s", err->msg);
  hull_error_free (&err);
  return c;
}

/* Plan lx; returns 0 or -1, with the message in *msg (malloc'ed) on failure. */
static int
plan (const char *lx, bool into_cgroup, struct hull_ns_plan *p, char **msg)
{
  struct hull_config *c = cfg (lx);
  hull_error_t err = NULL;
  int r;

  *msg = NULL;
  if (c == NULL)
    return -2;
  r = hull_ns_plan (c, into_cgroup, p, &err);
  if (r < 0)
    *msg = xstrdup (err->msg);
  hull_error_free (&err);
  hull_config_free (c);
  return r;
}

#define ALL "{'type':'pid'},{'type':'network'},{'type':'ipc'},{'type':'uts'},{'type':'mount'}"
#define MAPS                                                                                                 \
  "'uidMappings':[{'containerID':0,'hostID':100000,'size':10},{'containerID':10,'hostID':200000,'size':5}]," \
  "'gidMappings':[{'containerID':0,'hostID':100000,'size':15}]"

int
main (void)
{
  struct hull_ns_plan p;
  cleanup_free char *msg = NULL;
  int base = CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS;

  /* Fast path: everything in the clone. */
  ok (plan ("{'namespaces':[" ALL ",{'type':'cgroup'},{'type':'user'},{'type':'time'}]," MAPS "}", true, &p,
            &msg)
          == 0,
      "fast path plans");
  ok (p.clone_flags == (base | CLONE_NEWCGROUP | CLONE_NEWUSER | CLONE_NEWTIME) && p.unshare_flags == 0
          && p.maps_at_clone && !p.unshare_user && !p.need_fork && p.userns,
      "fast path: all eight namespaces made by clone, maps right after it");
  hull_ns_plan_close (&p);

  /* Without CLONE_INTO_CGROUP the cgroup ns waits until the child is in its cgroup. */
  ok (plan ("{'namespaces':[" ALL ",{'type':'cgroup'}]}", false, &p, &msg) == 0 && p.clone_flags == base
          && p.unshare_flags == CLONE_NEWCGROUP && !p.userns,
      "fast path without CLONE_INTO_CGROUP: the cgroup ns is unshared later");
  hull_ns_plan_close (&p);

  /* Time offsets: general path, unshare then fork. */
  ok (plan ("{'namespaces':[" ALL ",{'type':'time'},{'type':'user'}]," MAPS
            ",'timeOffsets':{'monotonic':{'secs':5,'nanosecs':0}}}",
            true, &p, &msg)
              == 0
          && p.clone_flags == 0 && p.unshare_user && !p.maps_at_clone
          && p.unshare_flags == (base | CLONE_NEWTIME) && p.need_fork,
      "time offsets: the child unshares user (maps via SYNC_USERNS), the rest, and forks");
  hull_ns_plan_close (&p);

  /* Joining by path. */
  ok (plan ("{'namespaces':[{'type':'pid','path':'/proc/self/ns/pid'},{'type':'network',"
            "'path':'/proc/self/ns/net'},{'type':'mount'}]}",
            true, &p, &msg)
              == 0
          && p.fds[HULL_NS_PID] >= 0 && p.fds[HULL_NS_NET] >= 0 && p.fds[HULL_NS_MNT] < 0
          && p.clone_flags == 0 && p.unshare_flags == CLONE_NEWNS && p.need_fork && !p.userns,
      "a pid ns joined by path needs the extra fork; the mount ns is unshared");
  hull_ns_plan_close (&p);
  ok (p.fds[HULL_NS_PID] == -1 && p.fds[HULL_NS_NET] == -1, "hull_ns_plan_close closes the fds");

  ok (plan ("{'namespaces':[{'type':'network','path':'/proc/self/ns/net'},{'type':'mount'},"
            "{'type':'user'}]," MAPS "}",
            true, &p, &msg)
              == 0
          && p.unshare_user && !p.need_fork && p.userns && p.unshare_flags == CLONE_NEWNS,
      "join net, then a new user ns made in the child; no fork without pid/time");
  hull_ns_plan_close (&p);

  ok (plan ("{'namespaces':[{'type':'user','path':'/proc/self/ns/user'},{'type':'mount'}]}", true, &p, &msg)
              == 0
          && !p.userns && !p.unshare_user && !p.maps_at_clone && p.fds[HULL_NS_USER] < 0,
      "our own user ns given by path: nothing to join (setns would refuse it)");
  hull_ns_plan_close (&p);

  /* Bad paths: one line naming the field. */
  ok (plan ("{'namespaces':[{'type':'mount'},{'type':'network','path':'/nonexistent/ns'}]}", true, &p, &msg)
              == -1
          && strstr (msg, "config.json: linux.namespaces[1].path: open \"/nonexistent/ns\"")
          && !strchr (msg, '\n'),
      "a missing path names linux.namespaces[1].path");
  diag ("%s", msg ? msg : "");
  free (take_ptr (msg));
  ok (plan ("{'namespaces':[{'type':'mount'},{'type':'ipc','path':'/proc/self/status'}]}", true, &p, &msg)
              == -1
          && strstr (msg, "linux.namespaces[1].path: \"/proc/self/status\" is not a namespace file"),
      "a file that is not on nsfs is refused");
  free (take_ptr (msg));
  ok (plan ("{'namespaces':[{'type':'mount'},{'type':'uts','path':'/proc/self/ns/net'}]}", true, &p, &msg)
              == -1
          && strstr (msg, "\"/proc/self/ns/net\" is a namespace of type \"network\", not \"uts\""),
      "a namespace of another type is refused");
  diag ("%s", msg ? msg : "");
  ok (p.fds[HULL_NS_UTS] == -1 && p.fds[HULL_NS_MNT] == -1, "nothing is left open on failure");
  return tap_done ();
}
