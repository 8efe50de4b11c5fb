/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <config.h>
#include "error.h"
#include "utils.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
hull_strerror (int errnum)
{
  /* One buffer per thread is enough: messages are copied right away. */
  static __thread char buf[128];
  const char *s = strerror (errnum);
  size_t i;

  for (i = 0; s[i] && i + 1 < sizeof buf; i++)
    buf[i] = s[i];
  buf[i] = '\0';
  if (buf[0] && !(buf[0] == 'I' && buf[1] == '/'))
    buf[0] = (char) tolower ((unsigned char) buf[0]);
  return buf;
}

int
hull_error_setv (hull_error_t *err, int errnum, const char *fmt, va_list ap)
{
  char *base = xvasprintf (fmt, ap);
  struct hull_error *e;

  if (err == NULL)
    {
      free (base);
      return -1;
    }
  hull_error_free (err);
  e = xmalloc0 (sizeof *e);
  e->errnum = errnum;
  if (errnum)
    {
      e->msg = xasprintf ("%s: %s", base, hull_strerror (errnum));
      free (base);
    }
  else
    e->msg = base;
  *err = e;
  return -1;
}

int
hull_error_set (hull_error_t *err, int errnum, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  hull_error_setv (err, errnum, fmt, ap);
  va_end (ap);
  return -1;
}

int
hull_error_prefix (hull_error_t *err, const char *fmt, ...)
{
  va_list ap;
  char *ctx, *msg;

  if (err == NULL || *err == NULL)
    return -1;
  va_start (ap, fmt);
  ctx = xvasprintf (fmt, ap);
  va_end (ap);
  msg = xasprintf ("%s: %s", ctx, (*err)->msg);
  free (ctx);
  free ((*err)->msg);
  (*err)->msg = msg;
  return -1;
}

void
hull_error_free (hull_error_t *err)
{
  if (err == NULL || *err == NULL)
    return;
  free ((*err)->msg);
  free (*err);
  *err = NULL;
}
