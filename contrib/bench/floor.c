/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * floor: the least a runtime must do to run the benchmark's container, as
 * a yardstick for hull's overhead (see README.md in this directory).
 *
 * Per run: clone3 into new pid, network, ipc, uts and mount namespaces;
 * in the child make "/" a recursive slave, bind the rootfs onto itself,
 * pivot_root into it, detach the old root and exec /bin/true; the parent
 * waits for it.  No config parsing, no cgroup, no state, no /proc or /dev,
 * no capabilities, no sync socket: whatever hull spends above this is
 * runtime overhead, the rest is the kernel's price for the namespaces.
 *
 *   floor [-n N] [-q] ROOTFS
 *
 * Runs N containers one after another (default 1) and prints min, median
 * and max wall time per run in microseconds (to stderr; -q: nothing).
 * Exit status: 0 when every run exited 0.  Must run as root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void __attribute__ ((noreturn))
child (const char *rootfs)
{
  static char *const argv[] = { "/bin/true", NULL };
  static char *const envp[] = { "PATH=/bin", NULL };
  const char *what;

  what = "make / a slave";
  if (mount (NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
    goto fail;
  what = "bind the rootfs";
  if (mount (rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
    goto fail;
  what = "chdir to the rootfs";
  if (chdir (rootfs) < 0)
    goto fail;
  what = "pivot_root";
  if (syscall (SYS_pivot_root, ".", ".") < 0)
    goto fail;
  what = "detach the old root";
  if (umount2 (".", MNT_DETACH) < 0)
    goto fail;
  what = "chdir /";
  if (chdir ("/") < 0)
    goto fail;
  execve (argv[0], argv, envp);
  what = "exec /bin/true";
fail:
  fprintf (stderr, "floor: %s: %s\n", what, strerror (errno));
  _exit (127);
}

static int
one_run (const char *rootfs)
{
  struct clone_args a;
  int st;
  pid_t pid;

  memset (&a, 0, sizeof a);
  a.flags = CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS;
  a.exit_signal = SIGCHLD;
  pid = (pid_t) syscall (SYS_clone3, &a, sizeof a);
  if (pid < 0)
    {
      fprintf (stderr, "floor: clone3: %s\n", strerror (errno));
      return -1;
    }
  if (pid == 0)
    child (rootfs);
  while (waitpid (pid, &st, 0) < 0)
    if (errno != EINTR)
      {
        fprintf (stderr, "floor: waitpid: %s\n", strerror (errno));
        return -1;
      }
  return WIFEXITED (st) && WEXITSTATUS (st) == 0 ? 0 : -1;
}

static uint64_t
now_us (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000 + (uint64_t) ts.tv_nsec / 1000;
}

static int
cmp_u64 (const void *x, const void *y)
{
  uint64_t a = *(const uint64_t *) x, b = *(const uint64_t *) y;
  return (a > b) - (a < b);
}

int
main (int argc, char **argv)
{
  long n = 1;
  int quiet = 0, opt, failed = 0;
  uint64_t *t;

  while ((opt = getopt (argc, argv, "n:q")) != -1)
    switch (opt)
      {
      case 'n':
        n = strtol (optarg, NULL, 10);
        break;
      case 'q':
        quiet = 1;
        break;
      default:
        goto usage;
      }
  if (optind != argc - 1 || n < 1 || argv[optind][0] != '/')
    goto usage;
  t = calloc ((size_t) n, sizeof *t);
  if (t == NULL)
    return 1;
  for (long i = 0; i < n; i++)
    {
      uint64_t s = now_us ();
      if (one_run (argv[optind]) < 0)
        failed++;
      t[i] = now_us () - s;
    }
  if (!quiet)
    {
      qsort (t, (size_t) n, sizeof *t, cmp_u64);
      fprintf (stderr, "floor: %ld runs, %d failed; per run (us): min %llu median %llu max %llu\n",
               n, failed, (unsigned long long) t[0], (unsigned long long) t[n / 2],
               (unsigned long long) t[n - 1]);
    }
  free (t);
  return failed ? 1 : 0;

usage:
  fprintf (stderr, "usage: floor [-n N] [-q] /ABSOLUTE/ROOTFS\n");
  return 2;
}
