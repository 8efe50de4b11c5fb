/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Typed view of an OCI runtime-spec (v1.2) config.json for Linux.
 *
 * Conventions:
 *  - Strings are NUL-terminated heap copies or NULL when absent.
 *  - String arrays are NULL-terminated (char **), NULL when absent.
 *  - Arrays of structs are a pointer plus a count (`x` and `x_len`).
 *  - Optional scalars use the hull_opt_* wrappers: `.set` tells whether the
 *    key was present.  Required scalars are plain fields.
 *  - Enumerations given as strings in JSON are validated by the parser and
 *    stored both as the original string and as a parsed value.
 *  - Maps (annotations, sysctl, unified) are arrays of key/value pairs in
 *    document order.
 *
 * The parser lives in config_parse*.c; every error it reports names the JSON
 * path ("config.json: linux.namespaces[2].type: unknown namespace \"foo\"").
 * JSON null counts as absent; of repeated keys the last wins; unknown keys
 * are ignored.  Checks that need no host access (ranges, enum names,
 * absolute paths, id-map overlaps, namespace/mapping consistency) are done
 * here; what the running kernel supports is checked where it is used.
 */
#ifndef HULL_CONFIG_H
#define HULL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

typedef struct { bool set; int64_t value; } hull_opt_i64;
typedef struct { bool set; uint64_t value; } hull_opt_u64;
typedef struct { bool set; bool value; } hull_opt_bool;

struct hull_kv
{
  char *key;
  char *value;
};

/* ---- root, mounts ------------------------------------------------------- */

struct hull_root
{
  char *path;    /* as written in config.json (may be relative to the bundle) */
  bool readonly;
};

struct hull_id_mapping
{
  uint32_t container_id;
  uint32_t host_id;
  uint32_t size;
};

struct hull_mount
{
  char *destination;
  char *source;      /* may be NULL */
  char *type;        /* may be NULL (then "bind" if options say bind) */
  char **options;    /* raw option strings, may be NULL */
  struct hull_id_mapping *uid_mappings;
  size_t uid_mappings_len;
  struct hull_id_mapping *gid_mappings;
  size_t gid_mappings_len;
};

/* ---- process ------------------------------------------------------------ */

struct hull_rlimit
{
  char *type_name;  /* "RLIMIT_NOFILE" */
  int type;         /* RLIMIT_NOFILE */
  uint64_t soft;
  uint64_t hard;
};

/* Capability sets as 64-bit masks (bit N = capability N) plus the names. */
struct hull_capset
{
  bool set;       /* key present */
  uint64_t mask;
  char **names;   /* as given */
};

struct hull_capabilities
{
  struct hull_capset bounding, effective, inheritable, permitted, ambient;
};

struct hull_user
{
  uint32_t uid;
  uint32_t gid;
  hull_opt_u64 umask;        /* 0..0777 */
  uint32_t *additional_gids;
  size_t additional_gids_len;
  char *username;
};

struct hull_scheduler
{
  bool set;
  char *policy_name;         /* "SCHED_OTHER" ... */
  int policy;                /* SCHED_* value */
  hull_opt_i64 nice;
  hull_opt_i64 priority;
  char **flags;              /* SCHED_FLAG_* names */
  uint64_t flags_mask;       /* parsed SCHED_FLAG_* bits */
  hull_opt_u64 runtime;
  hull_opt_u64 deadline;
  hull_opt_u64 period;
};

struct hull_io_priority
{
  bool set;
  char *class_name;          /* IOPRIO_CLASS_RT|BE|IDLE */
  int class_;                /* 1 RT, 2 BE, 3 IDLE */
  int64_t priority;          /* 0..7 */
};

struct hull_cpu_affinity
{
  char *initial;             /* cpu list "0-3,7" or NULL */
  char *final;
};

struct hull_console_size
{
  bool set;
  uint32_t height;
  uint32_t width;
};

struct hull_process
{
  bool terminal;
  struct hull_console_size console_size;
  struct hull_user user;
  char **args;               /* required, non-empty for a container start */
  char *command_line;        /* Windows only; kept for completeness */
  char **env;
  char *cwd;                 /* required, absolute */
  struct hull_capabilities capabilities;
  bool capabilities_set;     /* "capabilities" key present */
  struct hull_rlimit *rlimits;
  size_t rlimits_len;
  bool no_new_privileges;
  char *apparmor_profile;
  hull_opt_i64 oom_score_adj; /* -1000..1000 */
  struct hull_scheduler scheduler;
  char *selinux_label;
  struct hull_io_priority io_priority;
  struct hull_cpu_affinity exec_cpu_affinity;
};

/* ---- hooks -------------------------------------------------------------- */

struct hull_hook
{
  char *path;                /* absolute */
  char **args;
  char **env;
  hull_opt_i64 timeout;      /* seconds, > 0 */
};

enum hull_hook_kind
{
  HULL_HOOK_PRESTART = 0,
  HULL_HOOK_CREATE_RUNTIME,
  HULL_HOOK_CREATE_CONTAINER,
  HULL_HOOK_START_CONTAINER,
  HULL_HOOK_POSTSTART,
  HULL_HOOK_POSTSTOP,
  HULL_HOOK_KINDS
};

struct hull_hook_list
{
  struct hull_hook *hooks;
  size_t len;
};

/* ---- linux -------------------------------------------------------------- */

enum hull_ns_type
{
  HULL_NS_PID = 0,
  HULL_NS_NET,
  HULL_NS_MNT,
  HULL_NS_IPC,
  HULL_NS_UTS,
  HULL_NS_USER,
  HULL_NS_CGROUP,
  HULL_NS_TIME,
  HULL_NS_TYPES
};

struct hull_namespace
{
  enum hull_ns_type type;
  int clone_flag;            /* CLONE_NEWPID ... */
  char *path;                /* join this namespace when non-NULL */
};

struct hull_time_offset
{
  bool set;
  int64_t secs;
  uint32_t nanosecs;
};

struct hull_device
{
  char type;                 /* 'c', 'u', 'b' or 'p' */
  char *path;                /* absolute, inside the container */
  int64_t major;
  int64_t minor;
  hull_opt_u64 file_mode;
  hull_opt_u64 uid;
  hull_opt_u64 gid;
};

struct hull_device_cgroup
{
  bool allow;
  char type;                 /* 'a' (also when absent), 'c', 'b' */
  hull_opt_i64 major;        /* absent = wildcard */
  hull_opt_i64 minor;
  char *access;              /* subset of "rwm"; NULL = "rwm" */
};

struct hull_memory
{
  bool set;
  hull_opt_i64 limit;        /* -1 = unlimited */
  hull_opt_i64 reservation;
  hull_opt_i64 swap;
  hull_opt_i64 kernel;
  hull_opt_i64 kernel_tcp;
  hull_opt_u64 swappiness;
  hull_opt_bool disable_oom_killer;
  hull_opt_bool use_hierarchy;
  hull_opt_bool check_before_update;
};

struct hull_cpu
{
  bool set;
  hull_opt_u64 shares;
  hull_opt_i64 quota;
  hull_opt_u64 burst;
  hull_opt_u64 period;
  hull_opt_i64 realtime_runtime;
  hull_opt_u64 realtime_period;
  char *cpus;
  char *mems;
  hull_opt_i64 idle;
};

struct hull_weight_device
{
  int64_t major;
  int64_t minor;
  hull_opt_u64 weight;
  hull_opt_u64 leaf_weight;
};

struct hull_throttle_device
{
  int64_t major;
  int64_t minor;
  uint64_t rate;
};

struct hull_blkio
{
  bool set;
  hull_opt_u64 weight;
  hull_opt_u64 leaf_weight;
  struct hull_weight_device *weight_device;
  size_t weight_device_len;
  struct hull_throttle_device *throttle_read_bps;
  size_t throttle_read_bps_len;
  struct hull_throttle_device *throttle_write_bps;
  size_t throttle_write_bps_len;
  struct hull_throttle_device *throttle_read_iops;
  size_t throttle_read_iops_len;
  struct hull_throttle_device *throttle_write_iops;
  size_t throttle_write_iops_len;
};

struct hull_hugepage_limit
{
  char *page_size;           /* "2MB", "1GB" */
  uint64_t limit;
};

struct hull_net_priority
{
  char *name;
  uint32_t priority;
};

struct hull_network
{
  bool set;
  hull_opt_u64 class_id;
  struct hull_net_priority *priorities;
  size_t priorities_len;
};

struct hull_rdma
{
  char *device;
  hull_opt_u64 hca_handles;
  hull_opt_u64 hca_objects;
};

struct hull_resources
{
  struct hull_device_cgroup *devices;
  size_t devices_len;
  struct hull_memory memory;
  struct hull_cpu cpu;
  hull_opt_i64 pids_limit;   /* linux.resources.pids.limit; <= 0 = unlimited */
  struct hull_blkio blkio;
  struct hull_hugepage_limit *hugepage_limits;
  size_t hugepage_limits_len;
  struct hull_network network;
  struct hull_rdma *rdma;
  size_t rdma_len;
  struct hull_kv *unified;
  size_t unified_len;
};

struct hull_seccomp_arg
{
  uint32_t index;
  uint64_t value;
  uint64_t value_two;
  char *op_name;             /* "SCMP_CMP_EQ" ... */
  int op;                    /* enum hull_seccomp_op */
};

enum hull_seccomp_op
{
  HULL_SCMP_CMP_NE = 0,
  HULL_SCMP_CMP_LT,
  HULL_SCMP_CMP_LE,
  HULL_SCMP_CMP_EQ,
  HULL_SCMP_CMP_GE,
  HULL_SCMP_CMP_GT,
  HULL_SCMP_CMP_MASKED_EQ
};

enum hull_seccomp_action
{
  HULL_SCMP_ACT_KILL = 0,      /* = KILL_THREAD */
  HULL_SCMP_ACT_KILL_PROCESS,
  HULL_SCMP_ACT_KILL_THREAD,
  HULL_SCMP_ACT_TRAP,
  HULL_SCMP_ACT_ERRNO,
  HULL_SCMP_ACT_TRACE,
  HULL_SCMP_ACT_ALLOW,
  HULL_SCMP_ACT_LOG,
  HULL_SCMP_ACT_NOTIFY
};

struct hull_seccomp_syscall
{
  char **names;
  char *action_name;
  int action;                /* enum hull_seccomp_action */
  hull_opt_u64 errno_ret;
  struct hull_seccomp_arg *args;
  size_t args_len;
};

struct hull_seccomp
{
  char *default_action_name;
  int default_action;        /* enum hull_seccomp_action */
  hull_opt_u64 default_errno_ret;
  char **architectures;      /* "SCMP_ARCH_X86_64" ... */
  char **flags;              /* "SECCOMP_FILTER_FLAG_LOG" ... */
  char *listener_path;
  char *listener_metadata;
  struct hull_seccomp_syscall *syscalls;
  size_t syscalls_len;
};

struct hull_personality
{
  bool set;
  char *domain_name;         /* "LINUX" or "LINUX32" */
  unsigned long domain;      /* PER_LINUX / PER_LINUX32 */
  char **flags;
};

struct hull_intel_rdt
{
  bool set;
  char *clos_id;
  char *l3_cache_schema;
  char *mem_bw_schema;
  hull_opt_bool enable_cmt;
  hull_opt_bool enable_mbm;
  char **schemata;           /* raw schemata (a string in 1.2, a list later) */
  hull_opt_bool enable_monitoring;
};

struct hull_net_device
{
  char *host_name;           /* key of linux.netDevices: interface on the host */
  char *name;                /* name inside the container; NULL = same as host_name */
};

struct hull_memory_policy
{
  bool set;
  char *mode_name;           /* "MPOL_BIND" ... */
  int mode;                  /* MPOL_* value */
  char *nodes;               /* node list "0-3" */
  char **flags;              /* "MPOL_F_STATIC_NODES" ... */
  unsigned flags_mask;
};

struct hull_linux
{
  struct hull_namespace *namespaces;
  size_t namespaces_len;
  struct hull_id_mapping *uid_mappings;
  size_t uid_mappings_len;
  struct hull_id_mapping *gid_mappings;
  size_t gid_mappings_len;
  struct hull_time_offset time_monotonic;
  struct hull_time_offset time_boottime;
  struct hull_device *devices;
  size_t devices_len;
  char *cgroups_path;
  struct hull_resources *resources;   /* NULL when absent */
  char *rootfs_propagation;            /* as given */
  unsigned long rootfs_propagation_flags; /* MS_* value, 0 when absent */
  struct hull_seccomp *seccomp;        /* NULL when absent */
  struct hull_kv *sysctl;
  size_t sysctl_len;
  char **masked_paths;
  char **readonly_paths;
  char *mount_label;
  struct hull_personality personality;
  struct hull_intel_rdt intel_rdt;
  struct hull_memory_policy memory_policy;
  struct hull_net_device *net_devices;
  size_t net_devices_len;
};

/* ---- the whole document ------------------------------------------------- */

struct hull_config
{
  char *oci_version;
  struct hull_root root;
  bool root_set;
  struct hull_mount *mounts;
  size_t mounts_len;
  struct hull_process *process;      /* NULL when absent */
  char *hostname;
  char *domainname;
  struct hull_hook_list hooks[HULL_HOOK_KINDS];
  struct hull_kv *annotations;
  size_t annotations_len;
  struct hull_linux *linux_;         /* NULL when absent */
};

/* Parse config.json text; `origin` prefixes error messages ("config.json"). */
HULL_PUBLIC struct hull_config *hull_config_parse (const char *text, size_t len, const char *origin,
                                                   hull_error_t *err);
/* Read and parse the file at path; errors are prefixed with its base name. */
HULL_PUBLIC struct hull_config *hull_config_load (const char *path, hull_error_t *err);
/* Free a config returned by the parser (NULL is fine). */
HULL_PUBLIC void hull_config_free (struct hull_config *c);

/* Parse a process object alone (exec --process FILE). */
HULL_PUBLIC struct hull_process *hull_process_parse (const char *text, size_t len, const char *origin,
                                                     hull_error_t *err);
HULL_PUBLIC void hull_process_free (struct hull_process *p);

/* Parse a linux.resources object alone (update -r FILE). */
HULL_PUBLIC struct hull_resources *hull_resources_parse (const char *text, size_t len,
                                                         const char *origin, hull_error_t *err);
HULL_PUBLIC void hull_resources_free (struct hull_resources *r);

/* The namespace of the given type in the config, or NULL when not requested. */
HULL_PUBLIC const struct hull_namespace *hull_config_namespace (const struct hull_config *c,
                                                                enum hull_ns_type t);

/* Default config.json text for `hull spec` (rootless selects the rootless variant); malloc'ed. */
HULL_PUBLIC char *hull_spec_default (bool rootless);

/* Name tables shared by the parser, `hull features` and `hull check`. */
extern const char *const hull_ns_type_names[HULL_NS_TYPES]; /* "pid", "network", ... */

/* A name and its numeric value; tables end with a { NULL, 0 } entry. */
struct hull_name_value
{
  const char *name;
  long value;
};
/* Table of every "RLIMIT_*" name and its RLIMIT_* number. */
extern const struct hull_name_value hull_rlimit_names[];
/* "SCMP_ACT_*" -> enum hull_seccomp_action. */
extern const struct hull_name_value hull_seccomp_action_names[];
/* "SCMP_CMP_*" -> enum hull_seccomp_op. */
extern const struct hull_name_value hull_seccomp_op_names[];
/* "SCMP_ARCH_*" names (value is an index only; libseccomp resolves them). */
extern const struct hull_name_value hull_seccomp_arch_names[];
/* "SECCOMP_FILTER_FLAG_*" -> SECCOMP_FILTER_FLAG_* bit. */
extern const struct hull_name_value hull_seccomp_flag_names[];
/* rootfsPropagation / mount propagation name -> MS_* flags. */
extern const struct hull_name_value hull_propagation_names[];
/* "SCHED_*" policy -> value, "SCHED_FLAG_*" -> bit. */
extern const struct hull_name_value hull_sched_policy_names[];
extern const struct hull_name_value hull_sched_flag_names[];
/* "IOPRIO_CLASS_*" -> class number. */
extern const struct hull_name_value hull_ioprio_class_names[];
/* personality domain "LINUX"/"LINUX32" -> PER_*. */
extern const struct hull_name_value hull_personality_names[];
/* "MPOL_*" mode -> value, "MPOL_F_*" flag -> bit. */
extern const struct hull_name_value hull_mpol_mode_names[];
extern const struct hull_name_value hull_mpol_flag_names[];
/* Name of the RLIMIT_* number n ("RLIMIT_NOFILE"), or NULL. */
const char *hull_rlimit_name (int n);
/* Capability number for "CAP_CHOWN", or -1. */
int hull_cap_from_name (const char *name);
/* Name of capability number n ("CAP_CHOWN"), or NULL. */
const char *hull_cap_name (int n);
/* Highest capability number known to this build and the running kernel. */
int hull_cap_last (void);

#endif
