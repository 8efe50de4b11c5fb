/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hullinfo: a small static program the integration tests copy into the
 * container rootfs as /bin/hullinfo.  Each subcommand prints what the
 * process sees from inside the container, one `key=value` per line, so a
 * bats test can grep or `jq -R` the output.  It links only against libc so
 * it runs in any rootfs.
 *
 * Exit status: 0 on success, 1 when the probed operation failed (open-write),
 * 2 on a usage error, N for `exit N`.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Copy a file to stdout unchanged; returns 0 or 1. */
static int
cat_file (const char *path)
{
  char buf[4096];
  ssize_t n;
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    {
      fprintf (stderr, "hullinfo: open %s: %s\n", path, strerror (errno));
      return 1;
    }
  fflush (stdout);
  while ((n = read (fd, buf, sizeof buf)) > 0)
    if (fwrite (buf, 1, (size_t) n, stdout) != (size_t) n)
      break;
  close (fd);
  return n < 0 ? 1 : 0;
}

/* Print the /proc/self/status lines whose key is in keys, as key=value. */
static int
status_fields (const char *const *keys)
{
  char line[512];
  FILE *f = fopen ("/proc/self/status", "re");

  if (f == NULL)
    {
      fprintf (stderr, "hullinfo: /proc/self/status: %s\n", strerror (errno));
      return 1;
    }
  while (fgets (line, sizeof line, f))
    {
      char *colon = strchr (line, ':');
      char *val;
      size_t i;

      if (colon == NULL)
        continue;
      *colon = '\0';
      val = colon + 1;
      val += strspn (val, " \t");
      val[strcspn (val, "\n")] = '\0';
      for (i = 0; keys[i]; i++)
        if (strcmp (line, keys[i]) == 0)
          printf ("%s=%s\n", line, val);
    }
  fclose (f);
  return 0;
}

static int
cmd_ids (int argc, char **argv)
{
  gid_t groups[NGROUPS_MAX];
  int n = getgroups (NGROUPS_MAX, groups);
  int i;

  printf ("uid=%u\ngid=%u\neuid=%u\negid=%u\n", (unsigned) getuid (),
          (unsigned) getgid (), (unsigned) geteuid (), (unsigned) getegid ());
  if (n < 0)
    {
      fprintf (stderr, "hullinfo: getgroups: %s\n", strerror (errno));
      return 1;
    }
  printf ("groups=");
  for (i = 0; i < n; i++)
    printf ("%s%u", i ? "," : "", (unsigned) groups[i]);
  printf ("\n");
  return 0;
}

static int
cmd_caps (int argc, char **argv)
{
  static const char *const keys[] = { "CapInh", "CapPrm", "CapEff", "CapBnd",
                                      "CapAmb", "NoNewPrivs", "Seccomp", NULL };
  return status_fields (keys);
}

static int
cmd_cwd (int argc, char **argv)
{
  char buf[PATH_MAX];

  if (getcwd (buf, sizeof buf) == NULL)
    {
      fprintf (stderr, "hullinfo: getcwd: %s\n", strerror (errno));
      return 1;
    }
  printf ("cwd=%s\n", buf);
  return 0;
}

static int
cmd_env (int argc, char **argv)
{
  char **e;

  for (e = environ; e && *e; e++)
    printf ("%s\n", *e);
  return 0;
}

/* One line per open fd: N=readlink target.  The directory fd used for the
   listing itself is left out. */
static int
cmd_fds (int argc, char **argv)
{
  DIR *d = opendir ("/proc/self/fd");
  struct dirent *de;

  if (d == NULL)
    {
      fprintf (stderr, "hullinfo: /proc/self/fd: %s\n", strerror (errno));
      return 1;
    }
  while ((de = readdir (d)))
    {
      char path[64], target[PATH_MAX];
      ssize_t n;
      int fd;

      if (de->d_name[0] == '.')
        continue;
      fd = atoi (de->d_name);
      if (fd == dirfd (d))
        continue;
      snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
      n = readlink (path, target, sizeof target - 1);
      if (n < 0)
        continue;
      target[n] = '\0';
      printf ("%d=%s\n", fd, target);
    }
  closedir (d);
  return 0;
}

static int
cmd_mounts (int argc, char **argv)
{
  return cat_file ("/proc/self/mountinfo");
}

static int
cmd_cgroup (int argc, char **argv)
{
  return cat_file ("/proc/self/cgroup");
}

/* uid_map and gid_map lines, prefixed with uid_map= / gid_map=, with the
   kernel's column padding squeezed to single spaces. */
static int
cmd_idmap (int argc, char **argv)
{
  static const char *const files[] = { "uid_map", "gid_map" };
  size_t i;

  for (i = 0; i < 2; i++)
    {
      char path[64], line[256];
      FILE *f;

      snprintf (path, sizeof path, "/proc/self/%s", files[i]);
      f = fopen (path, "re");
      if (f == NULL)
        {
          fprintf (stderr, "hullinfo: %s: %s\n", path, strerror (errno));
          return 1;
        }
      while (fgets (line, sizeof line, f))
        {
          char *tok, *save = NULL;
          const char *sep = "";

          printf ("%s=", files[i]);
          for (tok = strtok_r (line, " \t\n", &save); tok;
               tok = strtok_r (NULL, " \t\n", &save), sep = " ")
            printf ("%s%s", sep, tok);
          printf ("\n");
        }
      fclose (f);
    }
  return 0;
}

/* Namespace inode numbers: mnt=4026531840 ... */
static int
cmd_ns (int argc, char **argv)
{
  static const char *const names[] = { "cgroup", "ipc", "mnt", "net", "pid",
                                       "time", "user", "uts", NULL };
  size_t i;

  for (i = 0; names[i]; i++)
    {
      char path[64];
      struct stat st;

      snprintf (path, sizeof path, "/proc/self/ns/%s", names[i]);
      if (stat (path, &st) == 0)
        printf ("%s=%lu\n", names[i], (unsigned long) st.st_ino);
    }
  return 0;
}

/* Whole seconds of CLOCK_MONOTONIC and CLOCK_BOOTTIME (moved by a time
   namespace's offsets). */
static int
cmd_clocks (int argc, char **argv)
{
  struct timespec mono, boot;

  if (clock_gettime (CLOCK_MONOTONIC, &mono) < 0 || clock_gettime (CLOCK_BOOTTIME, &boot) < 0)
    {
      fprintf (stderr, "hullinfo: clock_gettime: %s\n", strerror (errno));
      return 1;
    }
  printf ("monotonic=%lld\nboottime=%lld\n", (long long) mono.tv_sec, (long long) boot.tv_sec);
  return 0;
}

static void
print_limit (rlim_t v)
{
  if (v == RLIM_INFINITY)
    printf ("unlimited");
  else
    printf ("%llu", (unsigned long long) v);
}

/* RLIMIT_NAME=soft hard, with "unlimited" for RLIM_INFINITY. */
static int
cmd_rlimits (int argc, char **argv)
{
  static const struct
  {
    const char *name;
    int res;
  } limits[] = {
    { "RLIMIT_AS", RLIMIT_AS },
    { "RLIMIT_CORE", RLIMIT_CORE },
    { "RLIMIT_CPU", RLIMIT_CPU },
    { "RLIMIT_DATA", RLIMIT_DATA },
    { "RLIMIT_FSIZE", RLIMIT_FSIZE },
    { "RLIMIT_LOCKS", RLIMIT_LOCKS },
    { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
    { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
    { "RLIMIT_NICE", RLIMIT_NICE },
    { "RLIMIT_NOFILE", RLIMIT_NOFILE },
    { "RLIMIT_NPROC", RLIMIT_NPROC },
    { "RLIMIT_RSS", RLIMIT_RSS },
    { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
    { "RLIMIT_RTTIME", RLIMIT_RTTIME },
    { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
    { "RLIMIT_STACK", RLIMIT_STACK },
  };
  size_t i;

  for (i = 0; i < sizeof limits / sizeof limits[0]; i++)
    {
      struct rlimit rl;

      if (getrlimit (limits[i].res, &rl) < 0)
        continue;
      printf ("%s=", limits[i].name);
      print_limit (rl.rlim_cur);
      printf (" ");
      print_limit (rl.rlim_max);
      printf ("\n");
    }
  return 0;
}

static int
cmd_umask (int argc, char **argv)
{
  mode_t m = umask (0);

  umask (m);
  printf ("umask=%04o\n", (unsigned) m);
  return 0;
}

static int
cmd_pid (int argc, char **argv)
{
  printf ("pid=%d\nppid=%d\nsid=%d\npgid=%d\n", (int) getpid (),
          (int) getppid (), (int) getsid (0), (int) getpgrp ());
  return 0;
}

static int
cmd_hostname (int argc, char **argv)
{
  struct utsname u;

  if (uname (&u) < 0)
    {
      fprintf (stderr, "hullinfo: uname: %s\n", strerror (errno));
      return 1;
    }
  printf ("hostname=%s\ndomainname=%s\n", u.nodename, u.domainname);
  return 0;
}

/* Try to open PATH for writing (never truncating); print "ok" or the errno
   name (ETXTBSY, EACCES...). */
static int
cmd_open_write (int argc, char **argv)
{
  const char *name;
  int fd;

  if (argc != 3)
    {
      fprintf (stderr, "usage: hullinfo open-write PATH\n");
      return 2;
    }
  fd = open (argv[2], O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd >= 0)
    {
      close (fd);
      printf ("ok\n");
      return 0;
    }
  name = strerrorname_np (errno);
  if (name)
    printf ("%s\n", name);
  else
    printf ("errno%d\n", errno);
  return 1;
}

static int
cmd_exit (int argc, char **argv)
{
  char *end;
  long n;

  if (argc != 3)
    {
      fprintf (stderr, "usage: hullinfo exit N\n");
      return 2;
    }
  errno = 0;
  n = strtol (argv[2], &end, 10);
  if (errno || *end || end == argv[2] || n < 0 || n > 255)
    {
      fprintf (stderr, "hullinfo: exit: bad status \"%s\"\n", argv[2]);
      return 2;
    }
  fflush (stdout);
  _exit ((int) n);
}

/* Sleep forever, or for SECONDS when given.  As pid 1 of a pid namespace a
   process without handlers ignores SIGTERM, so sleep catches TERM, INT and
   HUP and exits with 128+signal, as a shell reports a signal death. */
static void
on_signal (int sig)
{
  _exit (128 + sig);
}

static int
cmd_sleep (int argc, char **argv)
{
  struct sigaction sa;

  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGHUP, &sa, NULL);
  if (argc >= 3)
    {
      unsigned s = (unsigned) strtoul (argv[2], NULL, 10);
      while ((s = sleep (s)) > 0)
        ;
      return 0;
    }
  for (;;)
    pause ();
}

static const struct
{
  const char *name;
  int (*fn) (int argc, char **argv);
  const char *help;
} commands[] = {
  { "ids", cmd_ids, "uid, gid, euid, egid, supplementary groups" },
  { "caps", cmd_caps, "capability sets, NoNewPrivs, Seccomp mode" },
  { "cwd", cmd_cwd, "working directory" },
  { "env", cmd_env, "environment" },
  { "fds", cmd_fds, "open fds with their targets (N=target)" },
  { "mounts", cmd_mounts, "/proc/self/mountinfo" },
  { "cgroup", cmd_cgroup, "/proc/self/cgroup" },
  { "idmap", cmd_idmap, "uid_map and gid_map" },
  { "ns", cmd_ns, "namespace inode numbers" },
  { "clocks", cmd_clocks, "CLOCK_MONOTONIC and CLOCK_BOOTTIME seconds" },
  { "rlimits", cmd_rlimits, "resource limits (RLIMIT_X=soft hard)" },
  { "umask", cmd_umask, "umask in octal" },
  { "pid", cmd_pid, "pid, ppid, sid, pgid" },
  { "hostname", cmd_hostname, "hostname and domainname" },
  { "open-write", cmd_open_write, "PATH: open for writing, print ok or errno name" },
  { "exit", cmd_exit, "N: exit with status N" },
  { "sleep", cmd_sleep, "[SECONDS]: sleep (forever by default); TERM/INT/HUP exit 128+sig" },
};

static int
usage (FILE *out)
{
  size_t i;

  fprintf (out, "usage: hullinfo COMMAND [ARG]\n");
  for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf (out, "  %-11s %s\n", commands[i].name, commands[i].help);
  return out == stdout ? 0 : 2;
}

int
main (int argc, char **argv)
{
  size_t i;

  if (argc < 2)
    return usage (stderr);
  if (strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "--help") == 0)
    return usage (stdout);
  for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      {
        int r = commands[i].fn (argc, argv);
        if (fflush (stdout) != 0)
          return 1;
        return r;
      }
  fprintf (stderr, "hullinfo: unknown command \"%s\"\n", argv[1]);
  return usage (stderr);
}
