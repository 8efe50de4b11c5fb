/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <config.h>
#include "log.h"
#include "utils.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int log_fd = 2;
static bool log_json;
static bool log_debug;

static const char *const level_names[] = { "error", "warning", "info", "debug" };

int
hull_log_init (const char *path, bool json, bool debug, hull_error_t *err)
{
  log_json = json;
  log_debug = debug;
  if (path && *path)
    {
      int fd = open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
      if (fd < 0)
        return hull_error_set (err, errno, "--log \"%s\"", path);
      log_fd = fd;
    }
  return 0;
}

bool
hull_log_debug_enabled (void)
{
  return log_debug;
}

/* Append s to buf as a JSON string body (without quotes). */
static size_t
json_escape (char *out, size_t cap, const char *s)
{
  size_t n = 0;
  for (; *s && n + 7 < cap; s++)
    {
      unsigned char c = (unsigned char) *s;
      if (c == '"' || c == '\\')
        {
          out[n++] = '\\';
          out[n++] = (char) c;
        }
      else if (c == '\n')
        {
          out[n++] = '\\';
          out[n++] = 'n';
        }
      else if (c == '\t')
        {
          out[n++] = '\\';
          out[n++] = 't';
        }
      else if (c < 0x20)
        n += (size_t) snprintf (out + n, cap - n, "\\u%04x", c);
      else
        out[n++] = (char) c;
    }
  out[n] = '\0';
  return n;
}

static void
format_time (char *buf, size_t len)
{
  struct timespec ts;
  clock_gettime (CLOCK_REALTIME, &ts);
  rfc3339_utc (buf, len, ts.tv_sec, ts.tv_nsec);
}

/* Copy s to out with control characters written as \n, \t or \xNN, so
   that a text log message stays one line whatever it quotes. */
static void
text_escape (char *out, size_t cap, const char *s)
{
  size_t n = 0;
  for (; *s && n + 5 < cap; s++)
    {
      unsigned char c = (unsigned char) *s;
      if (c == '\n' || c == '\t')
        {
          out[n++] = '\\';
          out[n++] = c == '\n' ? 'n' : 't';
        }
      else if (c < 0x20 || c == 0x7f)
        n += (size_t) snprintf (out + n, cap - n, "\\x%02x", c);
      else
        out[n++] = (char) c;
    }
  out[n] = '\0';
}

static void
log_vwrite (enum hull_log_level level, const char *fmt, va_list ap)
{
  char msg[4096], esc[8200], line[9000], ts[64];
  int n;

  vsnprintf (msg, sizeof msg, fmt, ap);
  if (log_json)
    {
      json_escape (esc, sizeof esc, msg);
      format_time (ts, sizeof ts);
      n = snprintf (line, sizeof line, "{\"level\":\"%s\",\"msg\":\"%s\",\"time\":\"%s\"}\n",
                    level_names[level], esc, ts);
    }
  else
    {
      text_escape (esc, sizeof esc, msg);
      if (log_fd != 2)
        {
          format_time (ts, sizeof ts);
          n = snprintf (line, sizeof line, "%s %s: %s\n", ts, level_names[level], esc);
        }
      else if (level == HULL_LOG_ERROR)
        n = snprintf (line, sizeof line, "hull: %s\n", esc);
      else
        n = snprintf (line, sizeof line, "hull: %s: %s\n", level_names[level], esc);
    }
  if (n > (int) sizeof line - 1)
    n = (int) sizeof line - 1;
  if (n > 0)
    (void) write_all (log_fd, line, (size_t) n);
  /* With --log, errors still reach a person at the terminal, as runc's do. */
  if (level == HULL_LOG_ERROR && log_fd != 2)
    {
      text_escape (esc, sizeof esc, msg);
      n = snprintf (line, sizeof line, "hull: %s\n", esc);
      if (n > (int) sizeof line - 1)
        n = (int) sizeof line - 1;
      (void) write_all (2, line, (size_t) n);
    }
}

void
hull_log (enum hull_log_level level, const char *fmt, ...)
{
  va_list ap;
  if (level == HULL_LOG_DEBUG && !log_debug)
    return;
  va_start (ap, fmt);
  log_vwrite (level, fmt, ap);
  va_end (ap);
}

void
hull_log_phase (const char *phase, unsigned long long start_ns)
{
  unsigned long long d;
  if (!log_debug)
    return;
  d = now_ns () - start_ns;
  hull_log (HULL_LOG_DEBUG, "phase %s: %llu.%03llu ms", phase, d / 1000000ULL, (d / 1000ULL) % 1000ULL);
}
