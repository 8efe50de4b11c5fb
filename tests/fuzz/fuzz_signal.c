/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for hull_parse_signal (`kill ID SIGNAL`).  The input is
 * taken as a NUL-terminated string; a parsed signal must be in 0..SIGRTMAX,
 * and a failure must come with a message.  Built and run by
 * tests/fuzz/run-fuzzers.sh; seeds in tests/fuzz/corpus/signal/.
 */
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  hull_error_t err = NULL;
  char *s = malloc (size + 1);
  int sig;

  if (s == NULL)
    return 0;
  memcpy (s, data, size);
  s[size] = '\0';
  sig = hull_parse_signal (s, &err);
  if (sig < 0)
    {
      if (err == NULL || err->msg == NULL || err->msg[0] == '\0')
        __builtin_trap ();
    }
  else if (err != NULL || sig > SIGRTMAX)
    __builtin_trap ();
  hull_error_free (&err);
  free (s);
  return 0;
}
