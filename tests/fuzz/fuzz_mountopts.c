/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for hull_mount_opts_parse (mounts[].options).  The input
 * is split at newlines into the option list, so "ro\nnosuid\nsize=1m" is
 * three options; empty options are kept.  Built and run by
 * tests/fuzz/run-fuzzers.sh; seeds in tests/fuzz/corpus/mountopts/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rootfs.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  hull_error_t err = NULL;
  struct hull_mount_opts o;
  char *buf = malloc (size + 1), **opts, *p;
  size_t n = 1, i;

  if (buf == NULL)
    return 0;
  memcpy (buf, data, size);
  buf[size] = '\0';
  for (i = 0; i < size; i++)
    if (buf[i] == '\n')
      n++;
  opts = calloc (n + 1, sizeof *opts);
  if (opts == NULL)
    {
      free (buf);
      return 0;
    }
  /* A NUL byte inside the input ends the last option early: fine. */
  for (i = 0, p = buf; i < n; i++)
    {
      char *nl = strchr (p, '\n');
      opts[i] = p;
      if (nl == NULL)
        break;
      *nl = '\0';
      p = nl + 1;
    }
  if (hull_mount_opts_parse (opts, &o, &err) < 0)
    {
      if (err == NULL || err->msg == NULL)
        __builtin_trap ();
    }
  else
    {
      /* Unknown options end up in data, comma-joined, never longer than the input. */
      if (err != NULL || (o.data && strlen (o.data) > size))
        __builtin_trap ();
      hull_mount_opts_clear (&o);
      if (o.data != NULL)
        __builtin_trap ();
    }
  hull_error_free (&err);
  free (opts);
  free (buf);
  return 0;
}
