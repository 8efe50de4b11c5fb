/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for hull_process_parse (the `exec --process FILE`
 * document).  Built and run by tests/fuzz/run-fuzzers.sh; seeds in
 * tests/fuzz/corpus/process/.
 */
#include <stddef.h>
#include <stdint.h>

#include "config.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  hull_error_t err = NULL;
  struct hull_process *p;

  p = hull_process_parse ((const char *)data, size, "process.json", &err);
  /* Exactly one of a result and an error, and an error has a message. */
  if ((p == NULL) == (err == NULL))
    __builtin_trap ();
  if (err && (err->msg == NULL || err->msg[0] == '\0'))
    __builtin_trap ();
  hull_process_free (p);
  hull_error_free (&err);
  return 0;
}
