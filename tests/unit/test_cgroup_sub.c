/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of hull_cgroup_sub (exec --cgroup) on a fake v1 layout under a
 * temporary directory: each "hierarchy" is a plain directory and a
 * "cgroup" is a directory holding a cgroup.procs file.  Needs no root.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../unit/tap.h"
#include "cgroup_sub.h"
#include "utils.h"

static char tmp[] = "/tmp/hull-cgsub.XXXXXX";

static void
make_cgroup (const char *rel)
{
  char *cmd = xasprintf ("mkdir -p '%s/%s' && touch '%s/%s/cgroup.procs'", tmp, rel, tmp, rel);
  if (system (cmd) != 0)
    {
      printf ("Bail out! %s\n", cmd);
      exit (1);
    }
  free (cmd);
}

static struct hull_cgroup *
fake_cgroup (const char *mode)
{
  hull_error_t err = NULL;
  char *s = xasprintf ("hullcg1 mode=%s sd=0 rl=0 id=ctr h=pids|%s/pids|%s/pids/ctr|1"
                       " h=cpu,cpuacct|%s/cpu|%s/cpu/ctr|1 h=memory|%s/memory|%s/memory/ctr|2",
                       mode, tmp, tmp, tmp, tmp, tmp, tmp);
  struct hull_cgroup *cg = hull_cgroup_deserialize (s, &err);
  if (cg == NULL)
    {
      printf ("Bail out! %s\n", err->msg);
      exit (1);
    }
  free (s);
  return cg;
}

/* Run hull_cgroup_sub and return the message of its error (NULL when it worked). */
static char *
sub_error (struct hull_cgroup *cg, const char *spec)
{
  hull_error_t err = NULL;
  struct hull_cgroup *r = hull_cgroup_sub (cg, spec, &err);
  char *msg;
  if (r)
    {
      hull_cgroup_free (r);
      return NULL;
    }
  msg = xstrdup (err->msg);
  hull_error_free (&err);
  return msg;
}

static char *
expect (const char *rel)
{
  return xasprintf ("%s/%s", tmp, rel);
}

int
main (void)
{
  struct hull_cgroup *cg, *r;
  hull_error_t err = NULL;
  char *m, *w;

  if (mkdtemp (tmp) == NULL)
    {
      printf ("Bail out! mkdtemp\n");
      return 1;
    }
  make_cgroup ("pids/ctr/s/t");
  make_cgroup ("cpu/ctr/c");
  make_cgroup ("memory/ctr");
  make_cgroup ("pids/ctr/all");
  make_cgroup ("cpu/ctr/all");
  make_cgroup ("memory/ctr/all");
  make_cgroup ("pids/ctr-sibling");
  {
    char *f = xasprintf ("%s/pids/ctr/file", tmp);
    FILE *fp = fopen (f, "w");
    if (fp)
      fclose (fp);
    free (f);
  }
  cg = fake_cgroup ("v1");

  r = hull_cgroup_sub (cg, "pids:s/t", &err);
  ok (r != NULL, "pids:s/t is accepted");
  if (r)
    {
      is_str (hull_cgroup_path (r, "pids"), w = expect ("pids/ctr/s/t"), "pids moves into s/t");
      free (w);
      is_str (hull_cgroup_path (r, "memory"), w = expect ("memory/ctr"), "memory stays");
      free (w);
      is_str (hull_cgroup_path (r, "cpu"), w = expect ("cpu/ctr"), "cpu stays");
      free (w);
      {
        char *s = hull_cgroup_serialize (r);
        ok (strstr (s, "|1") == NULL && strstr (s, "|2") == NULL, "the sub handle owns no levels");
        free (s);
      }
      hull_cgroup_free (r);
    }
  is_str (hull_cgroup_path (cg, "pids"), w = expect ("pids/ctr"), "the container's handle is unchanged");
  free (w);

  r = hull_cgroup_sub (cg, "pids:/s//./t/", &err);
  ok (r != NULL, "a leading slash, doubled slashes and . are tolerated");
  if (r)
    {
      is_str (hull_cgroup_path (r, "pids"), w = expect ("pids/ctr/s/t"), "same directory");
      free (w);
      hull_cgroup_free (r);
    }
  hull_error_free (&err);

  r = hull_cgroup_sub (cg, "cpuacct:c", &err);
  ok (r != NULL, "a controller of a shared hierarchy (cpuacct in cpu,cpuacct)");
  if (r)
    {
      is_str (hull_cgroup_path (r, "cpu"), w = expect ("cpu/ctr/c"), "cpu,cpuacct moves");
      free (w);
      hull_cgroup_free (r);
    }
  hull_error_free (&err);

  r = hull_cgroup_sub (cg, "all", &err);
  ok (r != NULL, "a plain path moves every hierarchy");
  if (r)
    {
      is_str (hull_cgroup_path (r, "memory"), w = expect ("memory/ctr/all"), "memory moves");
      free (w);
      is_str (hull_cgroup_path (r, "pids"), w = expect ("pids/ctr/all"), "pids moves");
      free (w);
      hull_cgroup_free (r);
    }
  hull_error_free (&err);

  m = sub_error (cg, "s/t");
  ok (m && strstr (m, "cpu/ctr/s/t") && strstr (m, "does not exist"),
      "a plain path must exist in every hierarchy: %s", m ? m : "(no error)");
  free (m);
  m = sub_error (cg, "pids:missing");
  ok (m && strstr (m, "\"pids:missing\"") && strstr (m, "does not exist"), "missing sub-cgroup: %s",
      m ? m : "(no error)");
  free (m);
  m = sub_error (cg, "pids:../ctr-sibling");
  ok (m && strstr (m, "\"..\" is not allowed"), "a sibling through ..: %s", m ? m : "(no error)");
  free (m);
  m = sub_error (cg, "pids:s/../../ctr-sibling");
  ok (m && strstr (m, "\"..\" is not allowed"), ".. in the middle: %s", m ? m : "(no error)");
  free (m);
  m = sub_error (cg, "pids:/../ctr-sibling");
  ok (m && strstr (m, "\"..\" is not allowed"), "absolute with ..: %s", m ? m : "(no error)");
  free (m);
  m = sub_error (cg, "nosuch:s");
  ok (m && strstr (m, "unknown controller \"nosuch\""), "unknown controller: %s", m ? m : "(no error)");
  free (m);
  m = sub_error (cg, ":s");
  ok (m && strstr (m, "empty controller"), "empty controller: %s", m ? m : "(no error)");
  free (m);
  m = sub_error (cg, "pids,:s");
  ok (m && strstr (m, "empty controller"), "empty item in the controller list: %s", m ? m : "(no error)");
  free (m);
  m = sub_error (cg, "a:b:c");
  ok (m && strstr (m, "expected PATH"), "two colons: %s", m ? m : "(no error)");
  free (m);
  m = sub_error (cg, "pids:");
  ok (m && strstr (m, "empty sub-cgroup path"), "empty path: %s", m ? m : "(no error)");
  free (m);
  m = sub_error (cg, "pids:file");
  ok (m && strstr (m, "is not a cgroup"), "a file is not a cgroup: %s", m ? m : "(no error)");
  free (m);

  {
    char *both[] = { "pids:s/t", "cpu:c", NULL };
    char *plain[] = { "pids:s/t", "all", NULL };
    char *twice[] = { "cpu:c", "cpuacct:c", NULL };
    r = hull_cgroup_sub_list (cg, both, &err);
    ok (r != NULL, "two --cgroup options for two hierarchies");
    if (r)
      {
        is_str (hull_cgroup_path (r, "pids"), w = expect ("pids/ctr/s/t"), "pids moved");
        free (w);
        is_str (hull_cgroup_path (r, "cpuacct"), w = expect ("cpu/ctr/c"), "cpu,cpuacct moved");
        free (w);
        is_str (hull_cgroup_path (r, "memory"), w = expect ("memory/ctr"), "memory stays");
        free (w);
        hull_cgroup_free (r);
      }
    hull_error_free (&err);
    r = hull_cgroup_sub_list (cg, plain, &err);
    ok (r == NULL && err && strstr (err->msg, "CONTROLLER: prefix"), "several need prefixes: %s",
        err ? err->msg : "(no error)");
    hull_error_free (&err);
    r = hull_cgroup_sub_list (cg, twice, &err);
    ok (r == NULL && err && strstr (err->msg, "more than once"), "one hierarchy twice: %s",
        err ? err->msg : "(no error)");
    hull_error_free (&err);
  }
  hull_cgroup_free (cg);

  cg = fake_cgroup ("none");
  m = sub_error (cg, "pids:s/t");
  ok (m && strstr (m, "no cgroup"), "no cgroup manager: %s", m ? m : "(no error)");
  free (m);
  hull_cgroup_free (cg);

  {
    char *cmd = xasprintf ("rm -rf '%s'", tmp);
    if (system (cmd) != 0)
      diag ("could not remove %s", tmp);
    free (cmd);
  }
  return tap_done ();
}
