/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Hand the seccomp listener fd to the agent at linux.seccomp.listenerPath.
 *
 * runtime-spec config-linux.md, "The Container Process State": one
 * connection per container process, SOCK_STREAM, the JSON document as the
 * payload and the fds (only "seccompFd" here) as SCM_RIGHTS on the first
 * sendmsg; then the connection is closed.  Failing to send is an error.
 */
#include <config.h>
#include "runtime_features.h"
#include "seccomp_filter.h"
#include "unixsock.h"
#include "utils.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Append s to buf as a JSON string literal. */
static void
json_string (char **buf, size_t *len, size_t *cap, const char *s)
{
  static const char hex[] = "0123456789abcdef";
  size_t need = *len + strlen (s) * 6 + 3;

  if (need > *cap)
    {
      *cap = need * 2;
      *buf = xrealloc (*buf, *cap);
    }
  (*buf)[(*len)++] = '"';
  for (; *s; s++)
    {
      unsigned char c = (unsigned char) *s;
      if (c == '"' || c == '\\')
        {
          (*buf)[(*len)++] = '\\';
          (*buf)[(*len)++] = (char) c;
        }
      else if (c < 0x20)
        {
          memcpy (*buf + *len, "\\u00", 4);
          *len += 4;
          (*buf)[(*len)++] = hex[c >> 4];
          (*buf)[(*len)++] = hex[c & 15];
        }
      else
        (*buf)[(*len)++] = (char) c;
    }
  (*buf)[(*len)++] = '"';
  (*buf)[*len] = '\0';
}

char *
hull_seccomp_process_state_json (const struct hull_seccomp *s, pid_t pid, const char *state_json)
{
  cleanup_free char *meta = NULL;
  size_t mlen = 0, mcap = 0;

  if (s->listener_metadata)
    json_string (&meta, &mlen, &mcap, s->listener_metadata);
  return xasprintf ("{\"ociVersion\":\"%s\",\"fds\":[\"seccompFd\"],\"pid\":%d%s%s,\"state\":%s}",
                    HULL_OCI_VERSION_MAX, (int) pid, meta ? ",\"metadata\":" : "", meta ? meta : "",
                    state_json && *state_json ? state_json : "{}");
}

int
hull_seccomp_send_listener (const struct hull_seccomp *s, int notify_fd, pid_t pid,
                            const char *state_json, hull_error_t *err)
{
  cleanup_free char *doc = NULL;
  cleanup_close int sock = -1;
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  const char *path = s->listener_path;
  size_t len, off;
  ssize_t n;

  if (path == NULL || *path == '\0')
    return hull_error_set (err, 0, "linux.seccomp.listenerPath: not set");
  if (strlen (path) >= sizeof addr.sun_path)
    return hull_error_set (err, ENAMETOOLONG, "linux.seccomp.listenerPath \"%s\"", path);
  strcpy (addr.sun_path, path);

  sock = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock < 0)
    return hull_error_set (err, errno, "seccomp listener: socket");
  if (connect (sock, (struct sockaddr *) &addr, sizeof addr) < 0)
    return hull_error_set (err, errno, "linux.seccomp.listenerPath: connect to \"%s\"", path);

  doc = hull_seccomp_process_state_json (s, pid, state_json);
  len = strlen (doc);

  /* First message: the fd and as much of the document as the socket takes. */
  n = hull_unix_send_fd (sock, notify_fd, doc, len, err);
  if (n < 0)
    return hull_error_prefix (err, "linux.seccomp.listenerPath \"%s\"", path);

  /* The rest, without fds, as the spec requires. */
  for (off = (size_t) n; off < len; off += (size_t) n)
    {
      do
        n = send (sock, doc + off, len - off, MSG_NOSIGNAL);
      while (n < 0 && errno == EINTR);
      if (n < 0)
        return hull_error_set (err, errno, "linux.seccomp.listenerPath: send to \"%s\"", path);
    }
  return 0;
}
