/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The syscall seam of the rootfs code.  Everything that changes the mount
 * table, the root or creates device nodes goes through hull_sys, so the unit
 * tests can swap in a recorder and check the exact sequence without root.
 * File creation (mkdirat, openat, symlinkat) is not in the seam: the tests
 * run it for real in a scratch directory.
 */
#ifndef HULL_SYS_H
#define HULL_SYS_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/mount.h>

struct hull_sys_ops
{
  int (*mount) (const char *src, const char *dst, const char *type, unsigned long flags,
                const void *data);
  int (*umount2) (const char *target, int flags);
  int (*pivot_root) (const char *new_root, const char *put_old);
  int (*chroot) (const char *path);
  int (*chdir) (const char *path);
  int (*fchdir) (int fd);
  int (*mknodat) (int dirfd, const char *name, mode_t mode, dev_t dev);
  int (*mount_setattr) (int dfd, const char *path, unsigned flags, struct mount_attr *attr,
                        size_t size);
  int (*open_tree) (int dfd, const char *path, unsigned flags);
  int (*move_mount) (int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags);
  int (*fsopen) (const char *fstype, unsigned flags);
  int (*fsconfig) (int fd, unsigned cmd, const char *key, const void *value, int aux);
  int (*fsmount) (int fd, unsigned flags, unsigned attrs);
  /* Directory that is "/" of the container after pivot ("/" for real). */
  const char *root;
};

/* The operations in use (the real syscalls unless a test replaced them). */
extern const struct hull_sys_ops *hull_sys;
/* The real operations. */
extern const struct hull_sys_ops hull_sys_real;
/* Replace the operations (NULL restores the real ones); for tests. */
void hull_sys_set (const struct hull_sys_ops *ops);

#endif
