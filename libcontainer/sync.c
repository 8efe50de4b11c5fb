/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Parent/child synchronisation.  Read this first.
 *
 * hull creates the container process with a single clone (clone3 with
 * CLONE_INTO_CGROUP into the cgroup2 directory).  The two talk over a
 * SOCK_SEQPACKET socketpair; every step is one typed packet:
 *
 *   parent (hull create/run)                child (future container init)
 *   ------------------------                ---------------------------------
 *   open the v1 `tasks` files
 *   clone3(namespaces[, INTO_CGROUP]) ----> blocks in recv
 *   write uid_map/gid_map (new userns)
 *   (cgroup.procs only for systemd, or
 *   without clone3)
 *   SYNC_GO ------------------------------> v1: write "0" to each `tasks` fd
 *                                           (joins itself, cgroup.h), then
 *                                           setns() into namespaces given by
 *                                           path, unshare() the rest:
 *                      <------------------- SYNC_USERNS     (only when a userns
 *   write maps, SYNC_USERNS_DONE --------->                  has to be unshared)
 *                      <------------------- SYNC_PID pid    (only when a fork was
 *                                            needed to enter a pid/time ns; the
 *                                            grandchild carries on)
 *                      <------------------- SYNC_IDMAP      (only with a user ns
 *   open /proc/<pid>/ns/user, make an                        and idmap/ridmap
 *   idmapped detached mount per such                         mounts)
 *   mount (needs host privilege)
 *   SYNC_MOUNT_FD i + fd (one each) ------> kept for mounts[i]
 *   SYNC_IDMAP_DONE ---------------------->
 *                                           mounts inside the rootfs
 *                      <------------------- SYNC_HOOKS      (only with prestart or
 *   prestart + createRuntime hooks                           createRuntime hooks)
 *   SYNC_HOOKS_DONE ----------------------> createContainer hooks, pivot_root,
 *                                           pty (terminal: true):
 *                      <------------------- SYNC_PTY + master fd
 *   console socket / relay                  masked paths, sysctl, hostname,
 *                                           rlimits, attributes, seccomp with
 *                                           a listener:
 *                      <------------------- SYNC_SECCOMP + notify fd
 *   send to listenerPath, SYNC_SECCOMP_DONE>
 *                                           user, capabilities, look up args[0]
 *                      <------------------- SYNC_READY
 *   write state.jsonl and the pid file
 *   SYNC_STATE (when startContainer hooks) >
 *   create: exit; the child waits for       run: SYNC_START ---> exec
 *   `hull start` on <state>/exec.sock
 *
 * Any failure in the child is sent as SYNC_ERROR with the message, so that
 * the parent reports the real cause; the child then exits.  The parent that
 * sees an error or an unexpected EOF kills the child and removes the cgroup
 * and the state directory.
 */
#include <config.h>
#include "sync.h"
#include "unixsock.h"
#include "utils.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define HDR_LEN (offsetof (struct hull_sync_msg, data))

int
hull_sync_send (int sock, enum hull_sync_type type, int32_t value, const char *data, int fd,
                hull_error_t *err)
{
  struct hull_sync_msg m;
  size_t len = data ? strlen (data) : 0;

  if (len >= HULL_SYNC_MAX)
    len = HULL_SYNC_MAX - 1;
  m.type = type;
  m.value = value;
  m.len = (uint32_t) len;
  if (len)
    memcpy (m.data, data, len);
  m.data[len] = '\0';
  if (hull_unix_send_fd (sock, fd, &m, HDR_LEN + len + 1, err) < 0)
    return hull_error_prefix (err, "sync");
  return 0;
}

int
hull_sync_recv (int sock, struct hull_sync_msg *msg, int *fd, hull_error_t *err)
{
  struct iovec iov = { msg, sizeof *msg };
  struct msghdr mh = { 0 };
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } u;
  ssize_t n;
  struct cmsghdr *c;

  if (fd)
    *fd = -1;
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  mh.msg_control = u.buf;
  mh.msg_controllen = sizeof u.buf;
  do
    n = recvmsg (sock, &mh, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return hull_error_set (err, errno, "sync: receive");
  if (n == 0)
    {
      msg->type = 0;
      msg->len = 0;
      msg->data[0] = '\0';
      return 0;
    }
  if ((size_t) n < HDR_LEN + 1)
    return hull_error_set (err, 0, "sync: short message");
  msg->data[sizeof msg->data - 1] = '\0';
  for (c = CMSG_FIRSTHDR (&mh); c; c = CMSG_NXTHDR (&mh, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
      {
        int got;
        memcpy (&got, CMSG_DATA (c), sizeof (int));
        if (fd && *fd < 0)
          *fd = got;
        else
          close (got);
      }
  return 0;
}

int
hull_sync_expect (int sock, enum hull_sync_type want, struct hull_sync_msg *msg, int *fd,
                  hull_error_t *err)
{
  if (hull_sync_recv (sock, msg, fd, err) < 0)
    return -1;
  if (msg->type == SYNC_ERROR)
    {
      hull_error_set (err, 0, "%s", msg->data);
      (*err)->errnum = msg->value;
      return -1;
    }
  if (msg->type == 0)
    return hull_error_set (err, 0, "the container process exited during setup");
  if (msg->type != (uint32_t) want)
    return hull_error_set (err, 0, "sync: expected message %d, got %u", (int) want, msg->type);
  return 0;
}

void
hull_sync_send_error (int sock, hull_error_t *err)
{
  hull_error_t ignored = NULL;
  if (err == NULL || *err == NULL)
    return;
  hull_sync_send (sock, SYNC_ERROR, (*err)->errnum, (*err)->msg, -1, &ignored);
  hull_error_free (&ignored);
}
