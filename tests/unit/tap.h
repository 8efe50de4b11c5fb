/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A tiny TAP producer for the C unit tests (run by automake's tap-driver.sh). */
#ifndef HULL_TAP_H
#define HULL_TAP_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int tap_n, tap_failed;

/* Record one test result with a printf-style description. */
#define ok(cond, ...)                                                        \
  do {                                                                       \
    int _c = !!(cond);                                                       \
    tap_n++;                                                                 \
    if (!_c)                                                                 \
      tap_failed++;                                                          \
    printf ("%sok %d - ", _c ? "" : "not ", tap_n);                          \
    printf (__VA_ARGS__);                                                    \
    printf ("\n");                                                           \
    if (!_c)                                                                 \
      printf ("#   failed at %s:%d\n", __FILE__, __LINE__);                  \
    fflush (stdout);                                                         \
  } while (0)

/* Compare two strings (NULL-safe). */
#define is_str(got, want, ...)                                               \
  do {                                                                       \
    const char *_g = (got), *_w = (want);                                    \
    int _eq = (_g == NULL && _w == NULL) || (_g && _w && !strcmp (_g, _w));  \
    ok (_eq, __VA_ARGS__);                                                   \
    if (!_eq)                                                                \
      printf ("#   got:  %s\n#   want: %s\n", _g ? _g : "(null)", _w ? _w : "(null)"); \
  } while (0)

#define diag(...) do { printf ("# "); printf (__VA_ARGS__); printf ("\n"); } while (0)

/* Record a skipped test. */
static inline void
tap_skip (const char *what, const char *why)
{
  ok (1, "%s # SKIP %s", what, why);
}

/* Run fn in a forked child and return its exit status (0 = pass), or
   200 + the signal that killed it; a failing child prints a "#" line first. */
static inline int
tap_in_child (int (*fn) (void *), void *arg)
{
  int status;
  pid_t pid;

  fflush (stdout);
  pid = fork ();
  if (pid < 0)
    return -1;
  if (pid == 0)
    {
      int r = fn (arg);
      fflush (stdout);
      _exit (r);
    }
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  if (WIFSIGNALED (status))
    return 200 + WTERMSIG (status);
  return WEXITSTATUS (status);
}

/* Print the plan and return the exit status for main(). */
static inline int
tap_done (void)
{
  printf ("1..%d\n", tap_n);
  return tap_failed ? 1 : 0;
}

#endif
