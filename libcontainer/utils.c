/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <config.h>
#include "utils.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static void __attribute__((noreturn))
oom (void)
{
  static const char msg[] = "hull: out of memory\n";
  (void) !write (2, msg, sizeof msg - 1);
  abort ();
}

void *
xmalloc (size_t n)
{
  void *p = malloc (n ? n : 1);
  if (p == NULL)
    oom ();
  return p;
}

void *
xmalloc0 (size_t n)
{
  void *p = calloc (1, n ? n : 1);
  if (p == NULL)
    oom ();
  return p;
}

void *
xrealloc (void *p, size_t n)
{
  p = realloc (p, n ? n : 1);
  if (p == NULL)
    oom ();
  return p;
}

char *
xstrdup (const char *s)
{
  char *r;
  if (s == NULL)
    return NULL;
  r = strdup (s);
  if (r == NULL)
    oom ();
  return r;
}

char *
xstrndup (const char *s, size_t n)
{
  char *r = strndup (s, n);
  if (r == NULL)
    oom ();
  return r;
}

char *
xvasprintf (const char *fmt, va_list ap)
{
  char *r;
  if (vasprintf (&r, fmt, ap) < 0)
    oom ();
  return r;
}

char *
xasprintf (const char *fmt, ...)
{
  va_list ap;
  char *r;
  va_start (ap, fmt);
  r = xvasprintf (fmt, ap);
  va_end (ap);
  return r;
}

void
cleanup_freep (void *p)
{
  void **pp = p;
  free (*pp);
  *pp = NULL;
}

void
close_quietly (int fd)
{
  int saved = errno;
  if (fd >= 0)
    close (fd);
  errno = saved;
}

void
cleanup_closep (int *fd)
{
  close_quietly (*fd);
  *fd = -1;
}

void
cleanup_fclosep (void *f)
{
  FILE **fp = f;
  if (*fp)
    fclose (*fp);
  *fp = NULL;
}

void
cleanup_dirp (void *d)
{
  DIR **dp = d;
  if (*dp)
    closedir (*dp);
  *dp = NULL;
}

size_t
strv_len (char *const *v)
{
  size_t n = 0;
  while (v && v[n])
    n++;
  return n;
}

void
strv_free (char **v)
{
  size_t i;
  if (v == NULL)
    return;
  for (i = 0; v[i]; i++)
    free (v[i]);
  free (v);
}

void
cleanup_strvp (char ***v)
{
  strv_free (*v);
  *v = NULL;
}

char **
strv_dup (char *const *v)
{
  size_t i, n = strv_len (v);
  char **r = xmalloc0 ((n + 1) * sizeof (char *));
  for (i = 0; i < n; i++)
    r[i] = xstrdup (v[i]);
  return r;
}

int
read_all_fd (int fd, const char *what, char **out, size_t *len, hull_error_t *err)
{
  size_t cap = 4096, used = 0;
  char *buf = xmalloc (cap);

  for (;;)
    {
      ssize_t r;
      if (used + 1 >= cap)
        {
          cap *= 2;
          buf = xrealloc (buf, cap);
        }
      r = read (fd, buf + used, cap - used - 1);
      if (r < 0)
        {
          if (errno == EINTR)
            continue;
          free (buf);
          return hull_error_set (err, errno, "read \"%s\"", what);
        }
      if (r == 0)
        break;
      used += (size_t) r;
    }
  buf[used] = '\0';
  *out = buf;
  if (len)
    *len = used;
  return 0;
}

int
read_file_at (int dirfd, const char *path, char **out, size_t *len, hull_error_t *err)
{
  cleanup_close int fd = openat (dirfd, path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return hull_error_set (err, errno, "open \"%s\"", path);
  return read_all_fd (fd, path, out, len, err);
}

ssize_t
write_all (int fd, const void *buf, size_t len)
{
  const char *p = buf;
  size_t done = 0;
  while (done < len)
    {
      ssize_t w = write (fd, p + done, len - done);
      if (w < 0)
        {
          if (errno == EINTR)
            continue;
          return -1;
        }
      done += (size_t) w;
    }
  return (ssize_t) done;
}

int
write_file_at (int dirfd, const char *path, int flags, mode_t mode, const void *data, size_t len,
               hull_error_t *err)
{
  cleanup_close int fd = openat (dirfd, path, O_WRONLY | O_CLOEXEC | flags, mode);
  if (fd < 0)
    return hull_error_set (err, errno, "open \"%s\"", path);
  if (write_all (fd, data, len) < 0)
    return hull_error_set (err, errno, "write \"%s\"", path);
  return 0;
}

int
parse_u64 (const char *s, uint64_t *out)
{
  char *end;
  unsigned long long v;
  if (s == NULL || *s < '0' || *s > '9')
    return -1;
  errno = 0;
  v = strtoull (s, &end, 10);
  if (errno || *end)
    return -1;
  *out = v;
  return 0;
}

int
parse_i64 (const char *s, int64_t *out)
{
  char *end;
  long long v;
  if (s == NULL || *s == '\0' || *s == ' ' || *s == '+')
    return -1;
  errno = 0;
  v = strtoll (s, &end, 10);
  if (errno || *end)
    return -1;
  *out = v;
  return 0;
}

int
mark_fds_cloexec (int from, hull_error_t *err)
{
  cleanup_dir DIR *d = NULL;
  struct dirent *de;

  if (syscall (SYS_close_range, (unsigned) from, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
    return 0;
  d = opendir ("/proc/self/fd");
  if (d == NULL)
    return hull_error_set (err, errno, "open /proc/self/fd");
  while ((de = readdir (d)))
    {
      int fd = atoi (de->d_name);
      if (de->d_name[0] == '.' || fd < from || fd == dirfd (d))
        continue;
      if (fcntl (fd, F_SETFD, FD_CLOEXEC) < 0)
        return hull_error_set (err, errno, "fcntl(%d, F_SETFD)", fd);
    }
  return 0;
}

void
hull_fault_point (const char *phase)
{
  static const char *want;
  static bool looked;
  if (!looked)
    {
      want = getenv ("HULL_TEST_KILL_AT");
      looked = true;
    }
  if (want && strcmp (want, phase) == 0)
    kill (getpid (), SIGKILL);
}

uint64_t
now_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000ULL + (uint64_t) ts.tv_nsec;
}

void
rfc3339_utc (char *buf, size_t len, long long sec, long nsec)
{
  /* By hand: gmtime_r and strftime load /etc/localtime on first use. */
  long long days = sec / 86400, secs = sec % 86400, era, doe, yoe, doy, mp, y, m, d;
  if (secs < 0)
    {
      secs += 86400;
      days--;
    }
  /* civil date of a day count since 1970-01-01, in 400-year eras from 0000-03-01 */
  days += 719468;
  era = (days >= 0 ? days : days - 146096) / 146097;
  doe = days - era * 146097;                                   /* day of era, 0..146096 */
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* year of era, 0..399 */
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* day of the year from March 1 */
  mp = (5 * doy + 2) / 153;                                    /* month from March, 0..11 */
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = yoe + era * 400 + (m <= 2);
  snprintf (buf, len, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%09ldZ", y, m, d, secs / 3600,
            secs / 60 % 60, secs % 60, nsec);
}
