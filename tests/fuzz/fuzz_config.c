/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the config parser: the same bytes are fed to the
 * config.json, process and resources entry points.  Build (not part of the
 * automake build):
 *   clang -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I libcontainer -I . \
 *     tests/fuzz/fuzz_config.c libcontainer/{error,utils,config_*}.c \
 *     $(pkg-config --cflags --libs yajl libcap)
 * Seeds: tests/fuzz/corpus/config/.
 */
#include <stddef.h>
#include <stdint.h>

#include "config.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data;
  hull_error_t err = NULL;
  struct hull_config *c;
  struct hull_process *p;
  struct hull_resources *r;

  c = hull_config_parse (text, size, "config.json", &err);
  /* Exactly one of result and error. */
  if ((c == NULL) == (err == NULL))
    __builtin_trap ();
  hull_config_free (c);
  hull_error_free (&err);

  p = hull_process_parse (text, size, "process.json", &err);
  if ((p == NULL) == (err == NULL))
    __builtin_trap ();
  hull_process_free (p);
  hull_error_free (&err);

  r = hull_resources_parse (text, size, "resources.json", &err);
  if ((r == NULL) == (err == NULL))
    __builtin_trap ();
  hull_resources_free (r);
  hull_error_free (&err);
  return 0;
}
