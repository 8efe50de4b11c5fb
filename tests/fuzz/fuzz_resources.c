/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for hull_resources_parse (the `update -r FILE`
 * document).  Built and run by tests/fuzz/run-fuzzers.sh; seeds in
 * tests/fuzz/corpus/resources/.
 */
#include <stddef.h>
#include <stdint.h>

#include "config.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  hull_error_t err = NULL;
  struct hull_resources *r;

  r = hull_resources_parse ((const char *)data, size, "resources.json", &err);
  if ((r == NULL) == (err == NULL))
    __builtin_trap ();
  if (err && (err->msg == NULL || err->msg[0] == '\0'))
    __builtin_trap ();
  hull_resources_free (r);
  hull_error_free (&err);
  return 0;
}
