/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the state store's reader: the input is written as
 * <root>/c/state.jsonl, then loaded (the last complete line, the config line),
 * its config parsed, its state JSON generated and its cgroup record read
 * back.  Any outcome is fine as long as failures come with a message.  Built
 * and run by tests/fuzz/run-fuzzers.sh; seeds in tests/fuzz/corpus/state/.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "state.h"
#include "utils.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char root[64];

static void
remove_root (void)
{
  char p[128];
  snprintf (p, sizeof p, "%s/c/state.jsonl", root);
  unlink (p);
  snprintf (p, sizeof p, "%s/c", root);
  rmdir (p);
  rmdir (root);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  hull_error_t err = NULL;
  struct hull_state *s;
  char path[128];
  int fd;

  if (root[0] == '\0')
    {
      strcpy (root, "/tmp/hull-fuzz-state.XXXXXX");
      if (mkdtemp (root) == NULL)
        abort ();
      atexit (remove_root);
    }
  snprintf (path, sizeof path, "%s/c", root);
  mkdir (path, 0700);
  snprintf (path, sizeof path, "%s/c/state.jsonl", root);
  fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    abort ();
  if (size && write_all (fd, data, size) < 0)
    abort ();
  close (fd);

  s = hull_state_load (root, "c", &err);
  if (s == NULL)
    {
      if (err == NULL || err->msg == NULL || err->msg[0] == '\0')
        __builtin_trap ();
      hull_error_free (&err);
      return 0;
    }
  {
    struct hull_config *cfg = hull_state_config (s, &err);
    if (cfg == NULL && (err == NULL || err->msg == NULL))
      __builtin_trap ();
    hull_config_free (cfg);
    hull_error_free (&err);
  }
  free (hull_state_json_status (s, HULL_STATUS_CREATED));
  if (s->cgroup)
    {
      struct hull_cgroup *cg = hull_cgroup_deserialize (s->cgroup, &err);
      if (cg == NULL && err == NULL)
        __builtin_trap ();
      hull_cgroup_free (cg);
      hull_error_free (&err);
    }
  hull_state_free (s);
  return 0;
}
