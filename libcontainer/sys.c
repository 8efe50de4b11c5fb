/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <config.h>
#include "sys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int
real_pivot_root (const char *new_root, const char *put_old)
{
  return (int) syscall (SYS_pivot_root, new_root, put_old);
}

static int
real_mknodat (int dirfd, const char *name, mode_t mode, dev_t dev)
{
  return mknodat (dirfd, name, mode, dev);
}

static int
real_fsmount (int fd, unsigned flags, unsigned attrs)
{
  return fsmount (fd, flags, attrs);
}

static int
real_mount_setattr (int dfd, const char *path, unsigned flags, struct mount_attr *attr, size_t size)
{
  return mount_setattr (dfd, path, flags, attr, size);
}

const struct hull_sys_ops hull_sys_real = {
  .mount = mount,
  .umount2 = umount2,
  .pivot_root = real_pivot_root,
  .chroot = chroot,
  .chdir = chdir,
  .fchdir = fchdir,
  .mknodat = real_mknodat,
  .mount_setattr = real_mount_setattr,
  .open_tree = open_tree,
  .move_mount = move_mount,
  .fsopen = fsopen,
  .fsconfig = fsconfig,
  .fsmount = real_fsmount,
  .root = "/",
};

const struct hull_sys_ops *hull_sys = &hull_sys_real;

void
hull_sys_set (const struct hull_sys_ops *ops)
{
  hull_sys = ops ? ops : &hull_sys_real;
}
