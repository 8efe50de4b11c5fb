/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Pieces the v1 and v2 managers share word for word: short sleeps while
 * polling a freezer, rdma.max lines, and signalling every task of a
 * (frozen) cgroup.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <time.h>

#include "cgroup_internal.h"
#include "utils.h"

void
cg_msleep (long ms)
{
  nanosleep (&(struct timespec){ ms / 1000, (ms % 1000) * 1000000 }, NULL);
}

int
cg_set_rdma (const char *dir, const struct hull_rdma *x, hull_error_t *err)
{
  cleanup_free char *hh = NULL, *ho = NULL;

  hh = x->hca_handles.set ? xasprintf (" hca_handle=%" PRIu64, x->hca_handles.value) : xstrdup ("");
  ho = x->hca_objects.set ? xasprintf (" hca_object=%" PRIu64, x->hca_objects.value) : xstrdup ("");
  return cg_write (dir, "rdma.max", err, "%s%s%s", x->device, hh, ho);
}

int
cg_signal_all (struct hull_cgroup *cg, int sig, bool can_freeze,
               int (*freeze) (struct hull_cgroup *cg, bool frozen, hull_error_t *err),
               bool (*is_frozen) (struct hull_cgroup *cg), hull_error_t *err)
{
  cleanup_free pid_t *pids = NULL;
  size_t n = 0;
  bool was_frozen = is_frozen (cg);
  bool froze = false;

  /* freeze first so nothing forks between reading cgroup.procs and signalling */
  if (can_freeze && !was_frozen && freeze (cg, true, err) == 0)
    froze = true;
  hull_error_free (err);
  if (hull_cgroup_pids (cg, &pids, &n, err) < 0)
    goto out;
  for (size_t i = 0; i < n; i++)
    if (kill (pids[i], sig) < 0 && errno != ESRCH)
      {
        hull_error_set (err, errno, "kill %d", (int) pids[i]);
        goto out;
      }
out:
  /* a SIGKILLed task only dies once thawed */
  if (froze || (sig == SIGKILL && was_frozen))
    {
      hull_error_t e = NULL;
      freeze (cg, false, &e);
      hull_error_free (&e);
    }
  return *err ? -1 : 0;
}
