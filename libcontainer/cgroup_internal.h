/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internals shared by the cgroup managers (cgroup*.c) and the unit tests.
 * Nothing here is public API.
 *
 * A manager is a table of operations (struct cg_ops); hull_cgroup_new()
 * picks one and every public entry point dispatches through it.  The pure
 * helpers at the end (parsing, path computation, value conversions, device
 * programs) touch no files, so the unit tests can feed them fixtures.
 */
#ifndef HULL_CGROUP_INTERNAL_H
#define HULL_CGROUP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <yajl/yajl_gen.h>

#include "cgroup.h"
#include "config.h"
#include "error.h"

#define CG_ROOT "/sys/fs/cgroup"

enum cg_mode
{
  CG_MODE_NONE = 0,
  CG_MODE_V1,
  CG_MODE_V2
};

/* One hierarchy the container's cgroup lives in (v2: exactly one, name ""). */
struct cg_hier
{
  char *name;       /* "cpu", "cpu,cpuacct", "memory", "name=systemd", "" = cgroup2 */
  char *mountpoint; /* "/sys/fs/cgroup/memory" */
  char *dir;        /* the container's directory, absolute */
  int created;      /* directory levels hull created (rmdir'ed again on destroy) */
};

struct hull_cgroup;

struct cg_ops
{
  const char *name;
  int (*create) (struct hull_cgroup *cg, const struct hull_resources *r, hull_error_t *err);
  int (*enter) (struct hull_cgroup *cg, pid_t pid, hull_error_t *err);
  int (*update) (struct hull_cgroup *cg, const struct hull_resources *r, hull_error_t *err);
  int (*destroy) (struct hull_cgroup *cg, hull_error_t *err);
  int (*freeze) (struct hull_cgroup *cg, bool frozen, hull_error_t *err);
  bool (*is_frozen) (struct hull_cgroup *cg);
  int (*kill_all) (struct hull_cgroup *cg, int sig, hull_error_t *err);
  int (*stats) (struct hull_cgroup *cg, yajl_gen gen, hull_error_t *err);
  int (*oom_fd) (struct hull_cgroup *cg, hull_error_t *err);
  int (*oom_read) (struct hull_cgroup *cg, int fd);
  const char *(*pids_dir) (struct hull_cgroup *cg);
};

struct hull_cgroup
{
  const struct cg_ops *ops;
  enum cg_mode mode;
  bool systemd;
  bool rootless;
  bool unwritable;  /* rootless and a hierarchy is not writable: only an empty request may go on */
  char *id;
  struct cg_hier *h;
  size_t nh;
  int clone_fd;
  /* systemd */
  char *slice;      /* "system.slice" */
  char *unit;       /* "hull-<id>.scope" */
  /* devices of linux.devices to allow on create */
  struct hull_device_cgroup *extra_devs;
  size_t extra_devs_len;
  uint64_t oom_seen; /* oom_kill counter seen by oom_read */
  char *self_cgroup; /* systemd: /proc/self/cgroup before hull joined the scope */
};

extern const struct cg_ops cg_v1_ops;
extern const struct cg_ops cg_v2_ops;
extern const struct cg_ops cg_none_ops;
extern const struct cg_ops cg_systemd_ops;

/* ---- file helpers (cgroup_common.c) ------------------------------------ */

/* Write the formatted value to dir/file; the error names the file. */
int cg_write (const char *dir, const char *file, hull_error_t *err, const char *fmt, ...)
    __attribute__((format (printf, 4, 5)));
/* Read dir/file (NUL-terminated, trailing newline kept). */
int cg_read (const char *dir, const char *file, char **out, hull_error_t *err);
/* Read a file holding a single unsigned number ("max" gives UINT64_MAX). */
int cg_read_u64 (const char *dir, const char *file, uint64_t *out);
/* Value of `key` in a flat keyed file ("key value\n" lines). */
int cg_read_keyed (const char *dir, const char *file, const char *key, uint64_t *out);
bool cg_file_exists (const char *dir, const char *file);
/* mkdir -p below mountpoint; *created counts the levels made. */
int cg_mkdir_p (const char *mountpoint, const char *dir, int *created, hull_error_t *err);
/* rmdir dir (retrying EBUSY for up to ~1 s) and then its `created - 1` parents; ok when gone. */
int cg_rmdir (const char *dir, int created, hull_error_t *err);
/* Write pid to dir/cgroup.procs. */
int cg_enter_dir (const char *dir, pid_t pid, hull_error_t *err);
/* Pids in dir/cgroup.procs and in every descendant (appended to *pids). */
int cg_collect_pids (const char *dir, pid_t **pids, size_t *n, hull_error_t *err);
/* Hierarchy whose name contains controller `c` (exact match of one comma item), or NULL. */
struct cg_hier *cg_hier_find (struct hull_cgroup *cg, const char *c);
/* True when r asks for any limit (devices do not count; fields given as
   "unlimited" or left empty do not either). */
bool cg_resources_requested (const struct hull_resources *r);
/* Name of the first field of r that asks for a limit ("memory.limit"), or NULL. */
const char *cg_resources_first_limit (const struct hull_resources *r);
/* Default device rules runc allows plus the extra devices: *out malloc'ed. */
void cg_device_rules (struct hull_cgroup *cg, const struct hull_resources *r,
                      struct hull_device_cgroup **out, size_t *n);

/* ---- shared by the v1 and v2 managers (cgroup_common.c) ----------------- */

/* Write to dir/file inside a function taking `hull_error_t *err`; on failure
   return with the error prefixed by field. */
#define CG_SETF(field, dir, file, ...)                                                        \
  do                                                                                          \
    {                                                                                         \
      if (cg_write ((dir), (file), err, __VA_ARGS__) < 0)                                     \
        return hull_error_prefix (err, "%s", (field));                                        \
    }                                                                                         \
  while (0)

/* Write one linux.resources.rdma entry to dir/rdma.max (same format in v1 and v2). */
int cg_set_rdma (const char *dir, const struct hull_rdma *x, hull_error_t *err);
/* Sleep ms milliseconds (freezer polling). */
void cg_msleep (long ms);
/* Send sig to every task of cg, frozen meanwhile with `freeze` when can_freeze
   (thawed again after, and always after SIGKILL); ESRCH is not an error. */
int cg_signal_all (struct hull_cgroup *cg, int sig, bool can_freeze,
                   int (*freeze) (struct hull_cgroup *cg, bool frozen, hull_error_t *err),
                   bool (*is_frozen) (struct hull_cgroup *cg), hull_error_t *err);

/* ---- pure helpers (cgroup_paths.c) -------------------------------------- */

struct cg_proc_entry
{
  char *controllers;  /* "cpu,cpuacct", "name=systemd", "" for cgroup2 */
  char *path;
};

struct cg_mount
{
  char *mountpoint;
  char *root;         /* mount root inside the hierarchy */
  char *controllers;  /* from the super options: "cpu,cpuacct", "name=systemd"; "" for cgroup2 */
  bool v2;
};

/* Parse /proc/<pid>/cgroup text. */
int cg_parse_proc_cgroup (const char *text, struct cg_proc_entry **out, size_t *n, hull_error_t *err);
void cg_proc_entries_free (struct cg_proc_entry *e, size_t n);
/* Parse /proc/self/mountinfo text, keeping cgroup and cgroup2 mounts (first per hierarchy). */
int cg_parse_mountinfo (const char *text, struct cg_mount **out, size_t *n, hull_error_t *err);
void cg_mounts_free (struct cg_mount *m, size_t n);
/* True when the comma lists a and b hold the same items. */
bool cg_same_controllers (const char *a, const char *b);
/* Normalise a cgroupsPath: NULL/"" -> id; "." and ".." removed; absolute stays absolute. */
char *cg_inner_path (const char *id, const char *cgroups_path);
/* Host directory for inner in a hierarchy mounted at mountpoint with mount root `root`,
   where hull's own cgroup is `own`; v2_parent uses the parent of own for relative paths. */
char *cg_hier_dir (const char *mountpoint, const char *root, const char *own, const char *inner,
                   bool v2_parent);
/* systemd "slice:prefix:name" (NULL: defaults) -> slice and unit names. */
int cg_systemd_names (const char *id, const char *cgroups_path, bool rootless, char **slice,
                      char **unit, hull_error_t *err);
/* "a-b-c.slice" -> "/a.slice/a-b.slice/a-b-c.slice" ("-.slice" -> ""). */
int cg_systemd_slice_path (const char *slice, char **out, hull_error_t *err);
/* dlopen libsystemd (soname NULL: "libsystemd.so.0") and resolve the sd-bus
   calls of the systemd driver, once; on failure nothing stays loaded. */
int cg_systemd_load (const char *soname, hull_error_t *err);
/* cpu.shares (2..262144) -> cpu.weight (1..10000). */
uint64_t cg_shares_to_weight (uint64_t shares);
/* blkio.weight (10..1000) -> io.weight (1..10000). */
uint64_t cg_blkio_to_io_weight (uint64_t w);
/* OCI memory.swap (memory+swap) -> memory.swap.max; -1 = "max", returns 1 when nothing to write. */
int cg_swap_to_v2 (int64_t swap, int64_t limit, int64_t *out, hull_error_t *err);
/* One devices.allow/deny line: "c 1:3 rwm", "a *:* rwm". */
char *cg_device_rule_v1 (const struct hull_device_cgroup *d);
/* unified key check: "memory.high"; no '/', not "." or "..", controller known. */
int cg_unified_key_check (const char *key, hull_error_t *err);
/* Percent-encode anything outside a safe set (for the serialized form) and back. */
char *cg_escape (const char *s);
char *cg_unescape (const char *s);
/* Parse a hugepage size "2MB", "1GB", "64KB" into bytes (0 on error). */
uint64_t cg_hugepage_bytes (const char *s);

/* ---- eBPF device program (cgroup_ebpf.c) -------------------------------- */

struct bpf_insn;
/* Build the device filter program for rules (default deny, last match wins); *n instructions. */
struct bpf_insn *cg_ebpf_build (const struct hull_device_cgroup *rules, size_t n_rules, size_t *n);
/* Load the program for rules and attach it to the cgroup dir fd, replacing hull's previous one. */
int cg_ebpf_apply (int dirfd, const struct hull_device_cgroup *rules, size_t n_rules, hull_error_t *err);

/* ---- stats (cgroup_stats.c) --------------------------------------------- */

int cg_v1_stats (struct hull_cgroup *cg, yajl_gen gen, hull_error_t *err);
int cg_v2_stats (struct hull_cgroup *cg, yajl_gen gen, hull_error_t *err);

#endif
