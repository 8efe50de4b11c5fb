/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for hull_parse_user_spec (`exec --user uid[:gid]`).
 * Checks the documented contract: decimal only (digits and one colon),
 * each id 0..4294967294, and the values are what strtoul reads.  Built and run by
 * tests/fuzz/run-fuzzers.sh; seeds in tests/fuzz/corpus/userspec/.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  hull_error_t err = NULL;
  uint32_t uid = 0, gid = 0;
  bool gid_set = false;
  char *s = malloc (size + 1);

  if (s == NULL)
    return 0;
  memcpy (s, data, size);
  s[size] = '\0';
  if (hull_parse_user_spec (s, &uid, &gid, &gid_set, &err) < 0)
    {
      if (err == NULL || err->msg == NULL || err->msg[0] == '\0')
        __builtin_trap ();
    }
  else
    {
      if (err != NULL || uid == UINT32_MAX || (gid_set && gid == UINT32_MAX))
        __builtin_trap ();
      /* Decimal only: no sign, space, hex prefix or second colon. */
      char *colon = strchr (s, ':'), *end;
      if (strspn (s, "0123456789:") != strlen (s) || (colon != NULL) != gid_set
          || (colon && strchr (colon + 1, ':')))
        __builtin_trap ();
      if (strtoul (s, &end, 10) != uid || (gid_set && strtoul (colon + 1, &end, 10) != gid))
        __builtin_trap ();
    }
  hull_error_free (&err);
  free (s);
  return 0;
}
