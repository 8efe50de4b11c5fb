/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the config.json parser and of the default spec. */
#include <config.h>
#include "config.h"
#include "utils.h"
#include "tap.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* JSON written with single quotes for readability; returns it with double quotes. */
static char *
q (const char *s)
{
  char *r = xstrdup (s), *p;
  for (p = r; *p; p++)
    if (*p == '\'')
      *p = '"';
  return r;
}

/* A minimal config with the given process and linux members (NULL = default). */
static char *
doc (const char *process, const char *lx)
{
  cleanup_free char *t = xasprintf (
      "{'ociVersion':'1.2.0','root':{'path':'rootfs'},'process':%s%s%s}",
      process ? process : "{'args':['sh'],'cwd':'/'}", lx ? ",'linux':" : "", lx ? lx : "");
  return q (t);
}

static struct hull_config *
parse_q (const char *json_q, hull_error_t *err)
{
  cleanup_free char *t = q (json_q);
  return hull_config_parse (t, strlen (t), "config.json", err);
}

/* Parse text and check that it fails with a message containing want. */
static void
expect_fail_text (const char *text, size_t len, const char *want, const char *what)
{
  hull_error_t err = NULL;
  struct hull_config *c = hull_config_parse (text, len, "config.json", &err);
  bool good = c == NULL && err != NULL && strstr (err->msg, want) != NULL
              && strchr (err->msg, '\n') == NULL;

  ok (good, "rejects %s", what);
  if (!good)
    diag ("got: %s; want substring: %s", err ? err->msg : "(parsed fine)", want);
  hull_config_free (c);
  hull_error_free (&err);
}

static void
expect_fail (const char *json_q, const char *want, const char *what)
{
  cleanup_free char *t = q (json_q);
  expect_fail_text (t, strlen (t), want, what);
}

static void
expect_fail_pl (const char *process, const char *lx, const char *want, const char *what)
{
  cleanup_free char *t = doc (process, lx);
  expect_fail_text (t, strlen (t), want, what);
}

static const char *
src_path (const char *rel)
{
  static char buf[4096];
  const char *srcdir = getenv ("HULL_SRCDIR");

#ifdef HULL_TEST_SRCDIR
  if (srcdir == NULL)
    srcdir = HULL_TEST_SRCDIR;
#endif
  if (srcdir)
    snprintf (buf, sizeof buf, "%s/%s", srcdir, rel);
  else
    {
      /* __FILE__ is tests/unit/test_config.c relative to the build dir. */
      const char *f = __FILE__;
      const char *e = strstr (f, "tests/unit/test_config.c");
      snprintf (buf, sizeof buf, "%.*s%s", (int) (e ? e - f : 0), f, rel);
    }
  return buf;
}

static void
test_default_spec (void)
{
  cleanup_free char *text = hull_spec_default (false);
  hull_error_t err = NULL;
  struct hull_config *c = hull_config_parse (text, strlen (text), "config.json", &err);
  const struct hull_namespace *ns;

  ok (c != NULL, "default spec parses%s%s", err ? ": " : "", err ? err->msg : "");
  if (c == NULL)
    {
      hull_error_free (&err);
      return;
    }
  is_str (c->oci_version, "1.2.0", "default spec: ociVersion");
  ok (c->root_set && !strcmp (c->root.path, "rootfs") && c->root.readonly,
      "default spec: root rootfs, readonly");
  ok (c->process && c->process->terminal && c->process->args && !strcmp (c->process->args[0], "sh")
          && c->process->args[1] == NULL && !strcmp (c->process->cwd, "/")
          && c->process->no_new_privileges,
      "default spec: process terminal, args [sh], cwd /, noNewPrivileges");
  ok (c->process->capabilities.bounding.mask
              == ((1ULL << 29) | (1ULL << 5) | (1ULL << 10))
          && c->process->capabilities.effective.mask == c->process->capabilities.bounding.mask
          && c->process->capabilities.permitted.mask == c->process->capabilities.bounding.mask
          && !c->process->capabilities.inheritable.set,
      "default spec: AUDIT_WRITE, KILL, NET_BIND_SERVICE");
  ok (c->process->rlimits_len == 1 && c->process->rlimits[0].type == RLIMIT_NOFILE
          && c->process->rlimits[0].soft == 1024 && c->process->rlimits[0].hard == 1024,
      "default spec: RLIMIT_NOFILE 1024/1024");
  is_str (c->hostname, "hull", "default spec: hostname");
  ok (c->mounts_len == 7 && !strcmp (c->mounts[5].destination, "/sys")
          && !strcmp (c->mounts[5].type, "sysfs") && !strcmp (c->mounts[2].options[5], "gid=5"),
      "default spec: 7 mounts, sysfs on /sys, devpts gid=5");
  ns = hull_config_namespace (c, HULL_NS_NET);
  ok (c->linux_ && c->linux_->namespaces_len == 6 && ns && ns->clone_flag != 0 && ns->path == NULL
          && hull_config_namespace (c, HULL_NS_CGROUP)
          && hull_config_namespace (c, HULL_NS_USER) == NULL,
      "default spec: 6 namespaces incl. network and cgroup, no user");
  ok (c->linux_->resources && c->linux_->resources->devices_len == 1
          && !c->linux_->resources->devices[0].allow && c->linux_->resources->devices[0].type == 'a'
          && !strcmp (c->linux_->resources->devices[0].access, "rwm"),
      "default spec: deny all devices");
  ok (strv_len (c->linux_->masked_paths) >= 10 && strv_len (c->linux_->readonly_paths) == 5,
      "default spec: masked and readonly paths");
  hull_config_free (c);
}

static void
test_rootless_spec (void)
{
  cleanup_free char *text = hull_spec_default (true);
  hull_error_t err = NULL;
  struct hull_config *c = hull_config_parse (text, strlen (text), "config.json", &err);

  ok (c != NULL, "rootless spec parses%s%s", err ? ": " : "", err ? err->msg : "");
  if (c == NULL)
    {
      hull_error_free (&err);
      return;
    }
  ok (hull_config_namespace (c, HULL_NS_USER) && !hull_config_namespace (c, HULL_NS_NET),
      "rootless spec: user namespace, no network namespace");
  ok (c->linux_->uid_mappings_len == 1 && c->linux_->uid_mappings[0].host_id == geteuid ()
          && c->linux_->uid_mappings[0].container_id == 0 && c->linux_->uid_mappings[0].size == 1
          && c->linux_->gid_mappings_len == 1
          && c->linux_->gid_mappings[0].host_id == getegid (),
      "rootless spec: euid/egid mapped to 0");
  ok (c->linux_->resources == NULL && !strcmp (c->mounts[5].type, "none")
          && !strcmp (c->mounts[5].options[0], "rbind"),
      "rootless spec: no resources, /sys bind-mounted");
  hull_config_free (c);
}

static void
test_maximal (void)
{
  hull_error_t err = NULL;
  struct hull_config *c = hull_config_load (src_path ("tests/fuzz/corpus/config/maximal.json"), &err);
  struct hull_process *p;
  struct hull_linux *l;
  struct hull_resources *r;
  struct hull_seccomp *s;

  ok (c != NULL, "maximal config loads%s%s", err ? ": " : "", err ? err->msg : "");
  if (c == NULL)
    {
      hull_error_free (&err);
      return;
    }
  p = c->process;
  l = c->linux_;
  r = l->resources;
  s = l->seccomp;
  ok (c->mounts_len == 3 && c->mounts[1].uid_mappings_len == 1
          && c->mounts[1].uid_mappings[0].host_id == 100000
          && c->mounts[1].gid_mappings[0].size == 65536
          && !strcmp (c->mounts[2].destination, "relative/dir"),
      "mounts with idmap and relative destination");
  ok (p->console_size.set && p->console_size.height == 25 && p->console_size.width == 80
          && p->user.uid == 1000 && p->user.umask.set && p->user.umask.value == 18
          && p->user.additional_gids_len == 2 && p->user.additional_gids[1] == 4294967294u
          && !strcmp (p->user.username, "joe") && !strcmp (p->command_line, "sh -c 'echo hi'"),
      "process console size, user, commandLine");
  ok (p->capabilities_set && p->capabilities.bounding.mask == ((1ULL << 0) | (1ULL << 5) | (1ULL << 40))
          && p->capabilities.inheritable.set && p->capabilities.inheritable.mask == 0
          && p->capabilities.ambient.mask == (1ULL << 5),
      "capabilities incl. CAP_CHECKPOINT_RESTORE and empty inheritable");
  ok (p->rlimits_len == 2 && p->rlimits[1].type == RLIMIT_CORE
          && p->rlimits[1].hard == UINT64_MAX && !strcmp (p->rlimits[1].type_name, "RLIMIT_CORE"),
      "rlimits with hard = 2^64-1");
  ok (p->oom_score_adj.set && p->oom_score_adj.value == -1000 && p->scheduler.set
          && p->scheduler.policy == 6 && p->scheduler.nice.value == -5
          && p->scheduler.flags_mask == 3 && p->scheduler.period.value == 30000000,
      "oomScoreAdj and scheduler");
  ok (p->io_priority.set && p->io_priority.class_ == 2 && p->io_priority.priority == 7
          && !strcmp (p->exec_cpu_affinity.initial, "0-1,3"),
      "ioPriority and execCPUAffinity");
  ok (c->hooks[HULL_HOOK_PRESTART].len == 1 && c->hooks[HULL_HOOK_PRESTART].hooks[0].timeout.value == 5
          && c->hooks[HULL_HOOK_POSTSTART].len == 2 && c->hooks[HULL_HOOK_CREATE_RUNTIME].len == 1
          && c->hooks[HULL_HOOK_CREATE_CONTAINER].len == 1
          && c->hooks[HULL_HOOK_START_CONTAINER].len == 1 && c->hooks[HULL_HOOK_POSTSTOP].len == 1
          && !strcmp (c->hooks[HULL_HOOK_PRESTART].hooks[0].args[1], "a"),
      "all six hook kinds");
  ok (c->annotations_len == 2 && !strcmp (c->annotations[1].key, "com.example.key2")
          && !strcmp (c->annotations[1].value, "") && !strcmp (c->domainname, "example.org"),
      "annotations in order, domainname");
  ok (l->namespaces_len == 8 && !strcmp (hull_config_namespace (c, HULL_NS_NET)->path, "/var/run/netns/n1")
          && hull_config_namespace (c, HULL_NS_TIME) && l->uid_mappings_len == 2,
      "eight namespaces with a path");
  ok (l->time_monotonic.set && l->time_monotonic.secs == -86400 && l->time_monotonic.nanosecs == 5
          && l->time_boottime.secs == 172800,
      "time offsets");
  ok (l->devices_len == 2 && l->devices[0].type == 'c' && l->devices[0].major == 10
          && l->devices[0].file_mode.value == 438 && l->devices[0].uid.set
          && l->devices[1].type == 'p',
      "devices");
  ok (r && r->devices_len == 2 && r->devices[1].major.value == 10 && r->memory.limit.value == 536870912
          && r->memory.swap.set && r->memory.swap.value == -1 && r->memory.kernel.value == -1
          && r->memory.swappiness.value == 60 && r->memory.check_before_update.value,
      "resources: device rules and memory (2^64-1 = unlimited)");
  ok (r->cpu.shares.value == 1024 && r->cpu.idle.value == 1 && !strcmp (r->cpu.cpus, "0-1")
          && r->pids_limit.set && r->pids_limit.value == 32768,
      "resources: cpu and pids");
  ok (r->blkio.weight.value == 500 && r->blkio.weight_device_len == 1
          && r->blkio.weight_device[0].leaf_weight.value == 200
          && r->blkio.throttle_read_bps[0].rate == UINT64_MAX
          && r->blkio.throttle_write_iops[0].minor == 16,
      "resources: blockIO");
  ok (r->hugepage_limits_len == 2 && !strcmp (r->hugepage_limits[1].page_size, "1GB")
          && r->network.class_id.value == 1048577 && r->network.priorities[0].priority == 500
          && r->rdma_len == 1 && !strcmp (r->rdma[0].device, "mlx5_1")
          && r->rdma[0].hca_objects.value == 10000 && r->unified_len == 2,
      "resources: hugepages, network, rdma, unified");
  ok (l->rootfs_propagation_flags == (MS_SLAVE | MS_REC) && !strcmp (l->cgroups_path, "/hull/box"),
      "rootfsPropagation rslave and cgroupsPath");
  ok (s && s->default_action == HULL_SCMP_ACT_ERRNO && s->default_errno_ret.value == 1
          && strv_len (s->architectures) == 3 && s->syscalls_len == 4
          && s->syscalls[1].args[0].value == UINT64_MAX
          && s->syscalls[1].args[0].op == HULL_SCMP_CMP_MASKED_EQ
          && s->syscalls[2].action == HULL_SCMP_ACT_NOTIFY && s->syscalls[3].errno_ret.value == 38,
      "seccomp with uint64 argument above INT64_MAX");
  ok (l->sysctl_len == 2 && !strcmp (l->sysctl[0].key, "net.ipv4.ip_forward")
          && l->personality.domain == PER_LINUX32 && l->intel_rdt.enable_cmt.value
          && !strcmp (l->intel_rdt.clos_id, "guaranteed") && l->memory_policy.mode == 3
          && l->memory_policy.flags_mask == (1u << 15) && l->net_devices_len == 2
          && !strcmp (l->net_devices[0].name, "ctr1") && l->net_devices[1].name == NULL,
      "sysctl, personality, intelRdt, memoryPolicy, netDevices");
  hull_config_free (c);
}

static void
test_valid_misc (void)
{
  hull_error_t err = NULL;
  struct hull_config *c;
  struct hull_process *p;
  struct hull_resources *r;
  cleanup_free char *pj = NULL, *rj = NULL;

  c = parse_q ("{'root':{'path':'r'},'process':null,'linux':null,'unknown':[1,{}],'hooks':{}}", &err);
  ok (c && c->process == NULL && c->linux_ == NULL && !c->root.readonly,
      "null members are absent, unknown keys ignored");
  hull_config_free (c);
  hull_error_free (&err);

  c = parse_q ("{'root':{'path':'r'},'process':{'args':['a'],'cwd':'/','user':{'uid':1e3,'gid':0}}}",
               &err);
  ok (c && c->process->user.uid == 1000, "integral exponent number accepted");
  hull_config_free (c);
  hull_error_free (&err);

  c = parse_q ("{'root':{'path':'a'},'root':{'path':'b'},'annotations':{'k':'1','j':'2','k':'3'}}",
               &err);
  ok (c && !strcmp (c->root.path, "b") && c->annotations_len == 2
          && !strcmp (c->annotations[0].key, "j") && !strcmp (c->annotations[1].value, "3"),
      "repeated keys: the last one wins");
  hull_config_free (c);
  hull_error_free (&err);

  c = parse_q ("{'root':{'path':'r'},'linux':{'intelRdt':{'closID':'c1','schemata':'L3:0=ff\\nMB:0=50'}}}",
               &err);
  ok (c && strv_len (c->linux_->intel_rdt.schemata) == 1
          && !strcmp (c->linux_->intel_rdt.schemata[0], "L3:0=ff\nMB:0=50"),
      "intelRdt.schemata as a string (runtime-spec 1.2)%s%s", err ? ": " : "", err ? err->msg : "");
  hull_config_free (c);
  hull_error_free (&err);

  pj = q ("{'args':['/bin/true'],'cwd':'/tmp','env':['A=1'],'user':{'uid':5,'gid':6}}");
  p = hull_process_parse (pj, strlen (pj), "process.json", &err);
  ok (p && p->user.uid == 5 && p->user.gid == 6 && !strcmp (p->env[0], "A=1"),
      "bare process object parses");
  hull_process_free (p);
  hull_error_free (&err);

  rj = q ("{'memory':{'limit':1048576},'pids':{'limit':-1},'cpu':{'quota':-1}}");
  r = hull_resources_parse (rj, strlen (rj), "resources.json", &err);
  ok (r && r->memory.limit.value == 1048576 && r->pids_limit.value == -1 && r->cpu.quota.value == -1,
      "bare resources object parses");
  hull_resources_free (r);
  hull_error_free (&err);

  ok (hull_cap_from_name ("CAP_SYS_ADMIN") == 21 && hull_cap_from_name ("CAP_NOPE") == -1
          && !strcmp (hull_cap_name (40), "CAP_CHECKPOINT_RESTORE") && hull_cap_name (41) == NULL
          && hull_cap_last () >= 36 && hull_cap_last () <= 40,
      "capability name table");
  is_str (hull_rlimit_name (RLIMIT_NOFILE), "RLIMIT_NOFILE", "rlimit name table");
}

static void
test_load_errors (void)
{
  hull_error_t err = NULL;
  char dir[] = "/tmp/hull-test-config-XXXXXX";
  cleanup_free char *path = NULL, *missing = NULL;
  struct hull_config *c;

  ok (mkdtemp (dir) != NULL, "temporary directory");
  missing = xasprintf ("%s/config.json", dir);
  c = hull_config_load (missing, &err);
  {
    cleanup_free char *want = xasprintf ("open \"%s\": no such file or directory", missing);
    ok (c == NULL && err && !strcmp (err->msg, want), "missing file: %s", err ? err->msg : "");
  }
  hull_error_free (&err);

  path = xasprintf ("%s/bad.json", dir);
  ok (write_file_at (AT_FDCWD, path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600, "{\"root\": 3}", 11, &err) == 0,
      "write test file");
  c = hull_config_load (path, &err);
  ok (c == NULL && err && !strcmp (err->msg, "bad.json: root: expected an object, got number"),
      "file errors are prefixed with the base name: %s", err ? err->msg : "");
  hull_error_free (&err);
  unlink (path);
  rmdir (dir);
}

static void
test_invalid (void)
{
  static const char big[] = "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[";
  static const char truncated[] = "{\"root\": {\"path\": \"rootfs\"}, \"process\": {\"args\": [\"s";
  cleanup_free char *pe = NULL;
  hull_error_t err = NULL;
  struct hull_process *p;
  struct hull_resources *r;

  /* Syntax. */
  expect_fail_text (truncated, strlen (truncated), "config.json: invalid JSON: ", "truncated JSON");
  expect_fail_text ("hello", 5, "config.json: invalid JSON: lexical error", "non-JSON text");
  expect_fail_text ("", 0, "config.json: invalid JSON: empty document", "empty file");
  expect_fail_text ("{\"a\":1}\0{", 9, "invalid JSON: NUL byte", "NUL byte");
  expect_fail_text (big, strlen (big), "invalid JSON: nested deeper", "absurd nesting");
  expect_fail ("[1,2]", "config.json: expected an object, got array", "top-level array");

  /* Types. */
  expect_fail_pl ("{'args':3,'cwd':'/'}", NULL,
                  "config.json: process.args: expected an array of strings, got number",
                  "args of the wrong type");
  expect_fail_pl ("{'args':['a',2],'cwd':'/'}", NULL,
                  "config.json: process.args[1]: expected a string, got number",
                  "args element of the wrong type");
  expect_fail ("{'root':'rootfs'}", "config.json: root: expected an object, got string",
               "root as a string");
  expect_fail_pl ("{'args':['a'],'cwd':'/','terminal':'yes'}", NULL,
                  "config.json: process.terminal: expected a boolean, got string",
                  "terminal as a string");
  expect_fail ("{'root':{'path':'r'},'annotations':{'a':1}}",
               "config.json: annotations.a: expected a string, got number",
               "annotation value not a string");
  expect_fail_pl ("{'args':['a'],'cwd':'/','user':{'uid':'0'}}", NULL,
                  "config.json: process.user.uid: expected an integer, got string", "uid string");
  expect_fail_pl ("{'args':['a'],'cwd':'/','user':{'uid':1.5}}", NULL,
                  "config.json: process.user.uid: expected an integer, got 1.5", "fractional uid");

  /* Ranges. */
  expect_fail_pl ("{'args':['a'],'cwd':'/','user':{'uid':4294967295}}", NULL,
                  "config.json: process.user.uid: 4294967295 is not a valid id", "uid (uint32)-1");
  expect_fail_pl ("{'args':['a'],'cwd':'/','user':{'gid':4294967296}}", NULL,
                  "config.json: process.user.gid: 4294967296 out of range (0..4294967294)",
                  "gid above 32 bits");
  expect_fail_pl ("{'args':['a'],'cwd':'/','user':{'uid':-1}}", NULL,
                  "process.user.uid: -1 out of range", "negative uid");
  expect_fail_pl ("{'args':['a'],'cwd':'/','user':{'additionalGids':[1,4294967295]}}", NULL,
                  "process.user.additionalGids[1]: 4294967295 is not a valid id",
                  "additional gid (uint32)-1");
  expect_fail_pl ("{'args':['a'],'cwd':'/','user':{'umask':512}}", NULL,
                  "process.user.umask: 512 out of range (0..511)", "umask above 0777");
  expect_fail_pl ("{'args':['a'],'cwd':'/','oomScoreAdj':1001}", NULL,
                  "process.oomScoreAdj: 1001 out of range (-1000..1000)", "oomScoreAdj 1001");
  expect_fail_pl ("{'args':['a'],'cwd':'/','rlimits':[{'type':'RLIMIT_CORE','soft':1,'hard':18446744073709551616}]}",
                  NULL, "process.rlimits[0].hard: 18446744073709551616 out of range", "rlimit above 2^64");

  /* Process semantics. */
  expect_fail_pl ("{'args':['a'],'cwd':'tmp'}", NULL,
                  "config.json: process.cwd: must be an absolute path, got \"tmp\"", "relative cwd");
  expect_fail_pl ("{'args':['a']}", NULL, "config.json: process.cwd: missing required field",
                  "missing cwd");
  expect_fail_pl ("{'args':[],'cwd':'/'}", NULL, "config.json: process.args: must not be empty",
                  "empty args");
  expect_fail_pl ("{'cwd':'/'}", NULL, "config.json: process.args: missing required field",
                  "missing args");
  expect_fail_pl ("{'args':['a'],'cwd':'/','capabilities':{'bounding':['CAP_KILL','CAP_FLY']}}", NULL,
                  "config.json: process.capabilities.bounding[1]: unknown capability \"CAP_FLY\"",
                  "unknown capability");
  expect_fail_pl ("{'args':['a'],'cwd':'/','rlimits':[{'type':'RLIMIT_FOO','soft':1,'hard':1}]}", NULL,
                  "config.json: process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\"",
                  "unknown rlimit");
  expect_fail_pl ("{'args':['a'],'cwd':'/','rlimits':[{'type':'RLIMIT_NOFILE','soft':1,'hard':1},"
                  "{'type':'RLIMIT_NOFILE','soft':1,'hard':1}]}",
                  NULL, "process.rlimits[1].type: duplicate rlimit \"RLIMIT_NOFILE\"",
                  "duplicate rlimit");
  expect_fail_pl ("{'args':['a'],'cwd':'/','rlimits':[{'type':'RLIMIT_NOFILE','soft':2048,'hard':1024}]}",
                  NULL, "process.rlimits[0]: soft limit 2048 is greater than hard limit 1024",
                  "rlimit soft > hard");
  expect_fail_pl ("{'args':['a'],'cwd':'/','scheduler':{'policy':'SCHED_FAST'}}", NULL,
                  "process.scheduler.policy: unknown scheduler policy \"SCHED_FAST\"",
                  "bad scheduler policy");
  expect_fail_pl ("{'args':['a'],'cwd':'/','scheduler':{'policy':'SCHED_RR','flags':['X']}}", NULL,
                  "process.scheduler.flags[0]: unknown scheduler flag \"X\"", "bad scheduler flag");
  expect_fail_pl ("{'args':['a'],'cwd':'/','ioPriority':{'class':'IOPRIO_CLASS_NONE'}}", NULL,
                  "process.ioPriority.class: unknown I/O priority class \"IOPRIO_CLASS_NONE\"",
                  "bad ioPriority class");
  expect_fail_pl ("{'args':['a'],'cwd':'/','ioPriority':{'class':'IOPRIO_CLASS_BE','priority':8}}",
                  NULL, "process.ioPriority.priority: 8 out of range (0..7)", "ioPriority 8");
  expect_fail_pl ("{'args':['a'],'cwd':'/','execCPUAffinity':{'initial':'3-1'}}", NULL,
                  "process.execCPUAffinity.initial: invalid CPU list \"3-1\"", "bad CPU list");

  /* Root, mounts, hooks. */
  expect_fail ("{'process':{'args':['a'],'cwd':'/'}}", "config.json: root.path: missing required field",
               "missing root");
  expect_fail ("{'root':{'path':''}}", "config.json: root.path: must not be empty", "empty root.path");
  expect_fail ("{'root':{'path':'r'},'mounts':[{'destination':'/a','uidMappings':[{'containerID':0,'hostID':1,'size':1}]}]}",
               "config.json: mounts[0]: an idmapped mount needs both uidMappings and gidMappings",
               "idmapped mount with only uid mappings");
  expect_fail ("{'root':{'path':'r'},'mounts':[{'type':'tmpfs'}]}",
               "config.json: mounts[0].destination: missing required field", "mount without destination");
  expect_fail ("{'root':{'path':'r'},'hooks':{'prestart':[{'path':'bin/hook'}]}}",
               "config.json: hooks.prestart[0].path: must be an absolute path, got \"bin/hook\"",
               "relative hook path");
  expect_fail ("{'root':{'path':'r'},'hooks':{'poststop':[{'path':'/h','timeout':0}]}}",
               "config.json: hooks.poststop[0].timeout: 0 out of range (1..", "hook timeout 0");

  /* Namespaces and mappings. */
  expect_fail_pl (NULL, "{'namespaces':[{'type':'pid'},{'type':'mount'},{'type':'foo'}]}",
                  "config.json: linux.namespaces[2].type: unknown namespace \"foo\"",
                  "unknown namespace");
  expect_fail_pl (NULL, "{'namespaces':[{'type':'pid'},{'type':'pid'}]}",
                  "config.json: linux.namespaces[1].type: duplicate namespace \"pid\"",
                  "duplicate namespace");
  expect_fail_pl (NULL, "{'namespaces':[{'type':'network','path':'run/netns/x'}]}",
                  "config.json: linux.namespaces[0].path: must be an absolute path", "relative namespace path");
  expect_fail_pl (NULL,
                  "{'namespaces':[{'type':'user'}],'uidMappings':[{'containerID':0,'hostID':1000,'size':10},"
                  "{'containerID':5,'hostID':5000,'size':10}],'gidMappings':[{'containerID':0,'hostID':0,'size':1}]}",
                  "config.json: linux.uidMappings[1]: container ids 5-14 overlap linux.uidMappings[0]",
                  "overlapping container-side uid mappings");
  expect_fail_pl (NULL,
                  "{'namespaces':[{'type':'user'}],'uidMappings':[{'containerID':0,'hostID':0,'size':1}],"
                  "'gidMappings':[{'containerID':0,'hostID':100,'size':10},{'containerID':10,'hostID':105,'size':10}]}",
                  "config.json: linux.gidMappings[1]: host ids 105-114 overlap linux.gidMappings[0]",
                  "overlapping host-side gid mappings");
  expect_fail_pl (NULL, "{'namespaces':[{'type':'user'}],'uidMappings':[{'containerID':0,'hostID':0,'size':0}]}",
                  "config.json: linux.uidMappings[0]: size must be greater than 0", "mapping of size 0");
  expect_fail_pl (NULL, "{'namespaces':[{'type':'user'}],'uidMappings':[{'containerID':0,'hostID':4294967295,'size':1}]}",
                  "linux.uidMappings[0].hostID: 4294967295 is not a valid id", "mapping host id (uint32)-1");
  expect_fail_pl (NULL, "{'namespaces':[{'type':'user'}],'uidMappings':[{'containerID':4294967290,'hostID':0,'size':10}]}",
                  "linux.uidMappings[0]: container ids 4294967290+10 go beyond id 4294967294",
                  "mapping past the last id");
  expect_fail_pl (NULL, "{'uidMappings':[{'containerID':0,'hostID':1000,'size':1}]}",
                  "config.json: linux.uidMappings: id mappings given, but no user namespace requested",
                  "mappings without a user namespace");
  expect_fail_pl (NULL, "{'namespaces':[{'type':'user'}]}",
                  "config.json: linux.uidMappings: user namespace requested, but no uid mappings given",
                  "user namespace without mappings");

  /* Other linux fields. */
  expect_fail_pl (NULL, "{'devices':[{'type':'x','path':'/dev/x'}]}",
                  "config.json: linux.devices[0].type: unknown device type \"x\"", "bad device type");
  expect_fail_pl (NULL, "{'devices':[{'type':'c','path':'dev/null','major':1,'minor':3}]}",
                  "config.json: linux.devices[0].path: must be an absolute path", "relative device path");
  expect_fail_pl (NULL, "{'devices':[{'type':'c','path':'/dev/null'}]}",
                  "config.json: linux.devices[0].major: missing required field", "char device without major");
  expect_fail_pl (NULL, "{'rootfsPropagation':'sideways'}",
                  "config.json: linux.rootfsPropagation: unknown propagation \"sideways\"",
                  "bad rootfsPropagation");
  expect_fail_pl (NULL, "{'personality':{'domain':'BSD'}}",
                  "config.json: linux.personality.domain: unknown personality domain \"BSD\"",
                  "bad personality");
  expect_fail_pl (NULL, "{'memoryPolicy':{'mode':'MPOL_RANDOM'}}",
                  "config.json: linux.memoryPolicy.mode: unknown memory policy mode \"MPOL_RANDOM\"",
                  "bad memory policy mode");
  expect_fail_pl (NULL, "{'memoryPolicy':{'mode':'MPOL_BIND','nodes':'0','flags':['MPOL_F_FOO']}}",
                  "linux.memoryPolicy.flags[0]: unknown memory policy flag \"MPOL_F_FOO\"",
                  "bad memory policy flag");
  expect_fail_pl (NULL, "{'timeOffsets':{'realtime':{'secs':1}}}",
                  "linux.timeOffsets.realtime: unknown clock \"realtime\"", "time offset for an unknown clock");
  expect_fail_pl (NULL, "{'maskedPaths':['proc/kcore']}",
                  "linux.maskedPaths[0]: must be an absolute path", "relative masked path");

  expect_fail ("{'root':{'path':'r'},'hostname':'box','linux':{'namespaces':[{'type':'pid'}]}}",
               "config.json: hostname: needs a UTS namespace", "hostname without a UTS namespace");
  expect_fail ("{'root':{'path':'r'},'domainname':'example.org'}",
               "config.json: domainname: needs a UTS namespace", "domainname without linux section");
  expect_fail_pl (NULL, "{'timeOffsets':{'monotonic':{'secs':1}}}",
                  "config.json: linux.timeOffsets: time offsets given, but no time namespace requested",
                  "time offsets without a time namespace");
  expect_fail_pl (NULL, "{'netDevices':{'averyveryverylongname':{}}}",
                  "linux.netDevices.averyveryverylongname: invalid network interface name",
                  "network interface name too long");

  /* Seccomp. */
  expect_fail_pl (NULL, "{'seccomp':{'defaultAction':'SCMP_ACT_EXPLODE'}}",
                  "config.json: linux.seccomp.defaultAction: unknown seccomp action \"SCMP_ACT_EXPLODE\"",
                  "bad seccomp default action");
  expect_fail_pl (NULL, "{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],'action':'KILL'}]}}",
                  "config.json: linux.seccomp.syscalls[0].action: unknown seccomp action \"KILL\"",
                  "bad seccomp syscall action");
  expect_fail_pl (NULL, "{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','architectures':['SCMP_ARCH_Z80']}}",
                  "linux.seccomp.architectures[0]: unknown seccomp architecture \"SCMP_ARCH_Z80\"",
                  "bad seccomp architecture");
  expect_fail_pl (NULL, "{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],"
                  "'action':'SCMP_ACT_ERRNO','args':[{'index':0,'value':1,'op':'SCMP_CMP_APPROX'}]}]}}",
                  "linux.seccomp.syscalls[0].args[0].op: unknown seccomp operator \"SCMP_CMP_APPROX\"",
                  "bad seccomp operator");
  expect_fail_pl (NULL, "{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],"
                  "'action':'SCMP_ACT_ERRNO','args':[{'index':6,'value':1,'op':'SCMP_CMP_EQ'}]}]}}",
                  "linux.seccomp.syscalls[0].args[0].index: 6 out of range (0..5)", "seccomp arg index 6");
  expect_fail_pl (NULL, "{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],"
                  "'action':'SCMP_ACT_ERRNO','args':[{'index':0,'value':18446744073709551616,'op':'SCMP_CMP_EQ'}]}]}}",
                  "linux.seccomp.syscalls[0].args[0].value: 18446744073709551616 out of range",
                  "seccomp arg value above 2^64");
  expect_fail_pl (NULL, "{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],"
                  "'action':'SCMP_ACT_NOTIFY'}]}}",
                  "linux.seccomp.listenerPath: required when", "SCMP_ACT_NOTIFY without listenerPath");

  expect_fail_pl (NULL, "{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','flags':['SECCOMP_FILTER_FLAG_NEW_LISTENER']}}",
                  "linux.seccomp.flags[0]: unknown seccomp flag \"SECCOMP_FILTER_FLAG_NEW_LISTENER\"",
                  "seccomp flag the spec does not define");
  expect_fail_pl (NULL, "{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'action':'SCMP_ACT_ALLOW'}]}}",
                  "linux.seccomp.syscalls[0].names: missing required field", "seccomp rule without names");

  /* Resources. */
  expect_fail_pl (NULL, "{'resources':{'memory':{'limit':-2}}}",
                  "config.json: linux.resources.memory.limit: -2 out of range (-1..", "memory limit -2");
  expect_fail_pl (NULL, "{'resources':{'memory':{'limit':18446744073709551614}}}",
                  "linux.resources.memory.limit: 18446744073709551614 out of range", "memory limit above int64");
  expect_fail_pl (NULL, "{'resources':{'memory':{'swappiness':101}}}",
                  "linux.resources.memory.swappiness: 101 out of range (0..100)", "swappiness 101");
  expect_fail_pl (NULL, "{'resources':{'blockIO':{'weight':5}}}",
                  "linux.resources.blockIO.weight: 5 out of range (10..1000)", "blkio weight 5");
  expect_fail_pl (NULL, "{'resources':{'devices':[{'allow':true,'access':'rwx'}]}}",
                  "linux.resources.devices[0].access: invalid access \"rwx\"", "bad device access");
  expect_fail_pl (NULL, "{'resources':{'devices':[{'access':'r'}]}}",
                  "linux.resources.devices[0].allow: missing required field", "device rule without allow");
  expect_fail_pl (NULL, "{'resources':{'hugepageLimits':[{'pageSize':'huge','limit':1}]}}",
                  "linux.resources.hugepageLimits[0].pageSize: invalid page size \"huge\"", "bad page size");
  expect_fail_pl (NULL, "{'resources':{'unified':{'../escape':'1'}}}",
                  "linux.resources.unified: invalid cgroup file name \"../escape\"", "unified key with a slash");

  /* Bare objects use their own origin. */
  pe = q ("{'args':['a'],'cwd':'x'}");
  p = hull_process_parse (pe, strlen (pe), "process.json", &err);
  ok (p == NULL && err && !strcmp (err->msg, "process.json: cwd: must be an absolute path, got \"x\""),
      "bare process errors use its origin: %s", err ? err->msg : "");
  hull_error_free (&err);
  r = hull_resources_parse ("{\"pids\": {\"limit\": \"many\"}}", 27, "resources.json", &err);
  ok (r == NULL && err
          && !strcmp (err->msg, "resources.json: pids.limit: expected an integer, got string"),
      "bare resources errors use its origin: %s", err ? err->msg : "");
  hull_error_free (&err);
  r = hull_resources_parse ("[", 1, "resources.json", &err);
  ok (r == NULL && err && !strncmp (err->msg, "resources.json: invalid JSON: ", 30),
      "bare resources truncated: %s", err ? err->msg : "");
  hull_error_free (&err);
}

int
main (void)
{
  test_default_spec ();
  test_rootless_spec ();
  test_maximal ();
  test_valid_misc ();
  test_load_errors ();
  test_invalid ();
  return tap_done ();
}
