/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * linux.sysctl.  Only namespaced sysctls are accepted, and only when the
 * container gets the namespace they belong to: net.* (network), the System V
 * IPC ones and fs.mqueue.* (ipc), kernel.hostname and kernel.domainname
 * (uts).  Anything else would change the host.
 */
#ifndef HULL_SYSCTL_H
#define HULL_SYSCTL_H

#include "config.h"
#include "error.h"

/* Check every linux.sysctl key (in the parent, before clone). */
int hull_sysctl_validate (const struct hull_config *c, hull_error_t *err);

/* Write every linux.sysctl value below /proc/sys (in the container, after
   the new /proc is mounted and the pivot is done). */
int hull_sysctl_apply (const struct hull_config *c, hull_error_t *err);

/* Namespace a single sysctl key needs (HULL_NS_NET, HULL_NS_IPC or
   HULL_NS_UTS), or -1 (with *err) when the key is invalid or not namespaced. */
int hull_sysctl_namespace (const char *key, hull_error_t *err);

/* Path below /proc of a key: "sys/net/ipv4/ip_forward"; malloc'ed.  Keys in
   slash form ("net/ipv4/conf/eth0.1/forwarding") keep their dots. */
char *hull_sysctl_path (const char *key);

#endif
