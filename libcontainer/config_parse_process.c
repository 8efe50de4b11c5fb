/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config.json parser: the process object (also used alone for
 * `exec --process`).
 */
#include <config.h>
#include "config_internal.h"
#include "utils.h"

#include <stdlib.h>
#include <string.h>

static void
capset_clear (struct hull_capset *s)
{
  strv_free (s->names);
}

void
cfg_process_clear (struct hull_process *p)
{
  size_t i;

  free (p->user.additional_gids);
  free (p->user.username);
  strv_free (p->args);
  free (p->command_line);
  strv_free (p->env);
  free (p->cwd);
  capset_clear (&p->capabilities.bounding);
  capset_clear (&p->capabilities.effective);
  capset_clear (&p->capabilities.inheritable);
  capset_clear (&p->capabilities.permitted);
  capset_clear (&p->capabilities.ambient);
  for (i = 0; i < p->rlimits_len; i++)
    free (p->rlimits[i].type_name);
  free (p->rlimits);
  free (p->apparmor_profile);
  free (p->scheduler.policy_name);
  strv_free (p->scheduler.flags);
  free (p->selinux_label);
  free (p->io_priority.class_name);
  free (p->exec_cpu_affinity.initial);
  free (p->exec_cpu_affinity.final);
  memset (p, 0, sizeof *p);
}

static int
parse_user (struct cfg_ctx *c, yajl_val proc, const char *base, struct hull_user *u)
{
  cleanup_free char *p = cfg_path_key (base, "user");
  cleanup_free char *pg = NULL;
  yajl_val v, a;
  size_t i;

  if (cfg_object (c, proc, base, "user", &v) < 0)
    return -1;
  if (v == NULL)
    return 0;
  if (cfg_id (c, v, p, "uid", false, &u->uid) < 0 || cfg_id (c, v, p, "gid", false, &u->gid) < 0
      || cfg_opt_u64 (c, v, p, "umask", 0777, &u->umask) < 0
      || cfg_string (c, v, p, "username", false, &u->username) < 0
      || cfg_array (c, v, p, "additionalGids", &a) < 0)
    return -1;
  if (a == NULL)
    return 0;
  pg = cfg_path_key (p, "additionalGids");
  u->additional_gids = xmalloc0 ((a->u.array.len ? a->u.array.len : 1) * sizeof (uint32_t));
  for (i = 0; i < a->u.array.len; i++)
    {
      cleanup_free char *pi = cfg_path_idx (pg, i);
      if (cfg_value_id (c, a->u.array.values[i], pi, &u->additional_gids[i]) < 0)
        return -1;
      u->additional_gids_len = i + 1;
    }
  return 0;
}

static int
parse_capset (struct cfg_ctx *c, yajl_val caps, const char *base, const char *key,
              struct hull_capset *s)
{
  cleanup_free char *p = NULL;
  size_t i;

  if (cfg_strv (c, caps, base, key, &s->names) < 0)
    return -1;
  if (s->names == NULL)
    return 0;
  s->set = true;
  p = cfg_path_key (base, key);
  for (i = 0; s->names[i]; i++)
    {
      int n = hull_cap_from_name (s->names[i]);
      if (n < 0)
        {
          cleanup_free char *pi = cfg_path_idx (p, i);
          return cfg_error (c, pi, "unknown capability \"%s\"", s->names[i]);
        }
      s->mask |= UINT64_C (1) << n;
    }
  return 0;
}

static int
parse_capabilities (struct cfg_ctx *c, yajl_val proc, const char *base,
                    struct hull_process *pr)
{
  cleanup_free char *p = cfg_path_key (base, "capabilities");
  struct hull_capabilities *k = &pr->capabilities;
  yajl_val v;

  if (cfg_object (c, proc, base, "capabilities", &v) < 0)
    return -1;
  if (v == NULL)
    return 0;
  pr->capabilities_set = true;
  if (parse_capset (c, v, p, "bounding", &k->bounding) < 0
      || parse_capset (c, v, p, "effective", &k->effective) < 0
      || parse_capset (c, v, p, "inheritable", &k->inheritable) < 0
      || parse_capset (c, v, p, "permitted", &k->permitted) < 0
      || parse_capset (c, v, p, "ambient", &k->ambient) < 0)
    return -1;
  return 0;
}

static int
parse_rlimits (struct cfg_ctx *c, yajl_val proc, const char *base, struct hull_process *pr)
{
  cleanup_free char *p = cfg_path_key (base, "rlimits");
  yajl_val a;
  size_t i, j;

  if (cfg_array (c, proc, base, "rlimits", &a) < 0)
    return -1;
  if (a == NULL)
    return 0;
  pr->rlimits = xmalloc0 ((a->u.array.len ? a->u.array.len : 1) * sizeof *pr->rlimits);
  for (i = 0; i < a->u.array.len; i++)
    {
      cleanup_free char *pi = cfg_path_idx (p, i);
      cleanup_free char *pt = cfg_path_key (pi, "type");
      struct hull_rlimit *r = &pr->rlimits[i];
      yajl_val e = a->u.array.values[i];
      long type;

      pr->rlimits_len = i + 1;
      if (cfg_check_object (c, e, pi) < 0 || cfg_string (c, e, pi, "type", true, &r->type_name) < 0
          || cfg_u64 (c, e, pi, "soft", true, UINT64_MAX, &r->soft, NULL) < 0
          || cfg_u64 (c, e, pi, "hard", true, UINT64_MAX, &r->hard, NULL) < 0)
        return -1;
      if (cfg_names_lookup (hull_rlimit_names, r->type_name, &type) < 0)
        return cfg_error (c, pt, "unknown rlimit \"%s\"", r->type_name);
      r->type = (int) type;
      for (j = 0; j < i; j++)
        if (pr->rlimits[j].type == r->type)
          return cfg_error (c, pt, "duplicate rlimit \"%s\"", r->type_name);
      if (r->soft > r->hard)
        return cfg_error (c, pi, "soft limit %llu is greater than hard limit %llu",
                          (unsigned long long) r->soft, (unsigned long long) r->hard);
    }
  return 0;
}

/* Look name up in table t; error "<path>: unknown <what> \"name\"". */
static int
lookup_enum (struct cfg_ctx *c, const struct hull_name_value *t, const char *name,
             const char *path, const char *what, long *out)
{
  if (cfg_names_lookup (t, name, out) < 0)
    return cfg_error (c, path, "unknown %s \"%s\"", what, name);
  return 0;
}

/* OR the values of the names in v (a list at path) into *mask. */
static int
lookup_flags (struct cfg_ctx *c, const struct hull_name_value *t, char **v, const char *path,
              const char *what, uint64_t *mask)
{
  size_t i;

  for (i = 0; v && v[i]; i++)
    {
      cleanup_free char *pi = cfg_path_idx (path, i);
      long x;
      if (lookup_enum (c, t, v[i], pi, what, &x) < 0)
        return -1;
      *mask |= (uint64_t) x;
    }
  return 0;
}

static int
parse_scheduler (struct cfg_ctx *c, yajl_val proc, const char *base, struct hull_scheduler *s)
{
  cleanup_free char *p = cfg_path_key (base, "scheduler");
  cleanup_free char *pp = cfg_path_key (p, "policy");
  cleanup_free char *pf = cfg_path_key (p, "flags");
  yajl_val v;
  long x;

  if (cfg_object (c, proc, base, "scheduler", &v) < 0)
    return -1;
  if (v == NULL)
    return 0;
  s->set = true;
  if (cfg_string (c, v, p, "policy", true, &s->policy_name) < 0
      || cfg_opt_i64 (c, v, p, "nice", -20, 19, &s->nice) < 0
      || cfg_opt_i64 (c, v, p, "priority", INT32_MIN, INT32_MAX, &s->priority) < 0
      || cfg_strv (c, v, p, "flags", &s->flags) < 0
      || cfg_opt_u64 (c, v, p, "runtime", UINT64_MAX, &s->runtime) < 0
      || cfg_opt_u64 (c, v, p, "deadline", UINT64_MAX, &s->deadline) < 0
      || cfg_opt_u64 (c, v, p, "period", UINT64_MAX, &s->period) < 0)
    return -1;
  if (lookup_enum (c, hull_sched_policy_names, s->policy_name, pp, "scheduler policy", &x) < 0)
    return -1;
  s->policy = (int) x;
  return lookup_flags (c, hull_sched_flag_names, s->flags, pf, "scheduler flag", &s->flags_mask);
}

static int
parse_io_priority (struct cfg_ctx *c, yajl_val proc, const char *base, struct hull_io_priority *io)
{
  cleanup_free char *p = cfg_path_key (base, "ioPriority");
  cleanup_free char *pc = cfg_path_key (p, "class");
  yajl_val v;
  long x;

  if (cfg_object (c, proc, base, "ioPriority", &v) < 0)
    return -1;
  if (v == NULL)
    return 0;
  io->set = true;
  if (cfg_string (c, v, p, "class", true, &io->class_name) < 0
      || cfg_i64 (c, v, p, "priority", false, 0, 7, &io->priority, NULL) < 0)
    return -1;
  if (lookup_enum (c, hull_ioprio_class_names, io->class_name, pc, "I/O priority class", &x) < 0)
    return -1;
  io->class_ = (int) x;
  return 0;
}

/* A CPU list like "0-3,7": non-empty, numbers and ascending ranges only. */
static bool
valid_cpu_list (const char *s)
{
  while (*s)
    {
      char *end;
      unsigned long a, b;

      if (*s < '0' || *s > '9')
        return false;
      a = strtoul (s, &end, 10);
      b = a;
      s = end;
      if (*s == '-')
        {
          s++;
          if (*s < '0' || *s > '9')
            return false;
          b = strtoul (s, &end, 10);
          s = end;
        }
      if (b < a)
        return false;
      if (*s == ',')
        {
          s++;
          if (*s == '\0')
            return false;
        }
      else if (*s)
        return false;
    }
  return true;
}

static int
parse_cpu_affinity (struct cfg_ctx *c, yajl_val proc, const char *base,
                    struct hull_cpu_affinity *a)
{
  cleanup_free char *p = cfg_path_key (base, "execCPUAffinity");
  yajl_val v;

  if (cfg_object (c, proc, base, "execCPUAffinity", &v) < 0)
    return -1;
  if (v == NULL)
    return 0;
  if (cfg_string (c, v, p, "initial", false, &a->initial) < 0
      || cfg_string (c, v, p, "final", false, &a->final) < 0)
    return -1;
  if (a->initial && !valid_cpu_list (a->initial))
    {
      cleanup_free char *pi = cfg_path_key (p, "initial");
      return cfg_error (c, pi, "invalid CPU list \"%s\"", a->initial);
    }
  if (a->final && !valid_cpu_list (a->final))
    {
      cleanup_free char *pf = cfg_path_key (p, "final");
      return cfg_error (c, pf, "invalid CPU list \"%s\"", a->final);
    }
  return 0;
}

static int
parse_console_size (struct cfg_ctx *c, yajl_val proc, const char *base,
                    struct hull_console_size *cs)
{
  cleanup_free char *p = cfg_path_key (base, "consoleSize");
  uint64_t h, w;
  yajl_val v;

  if (cfg_object (c, proc, base, "consoleSize", &v) < 0)
    return -1;
  if (v == NULL)
    return 0;
  if (cfg_u64 (c, v, p, "height", true, UINT16_MAX, &h, NULL) < 0
      || cfg_u64 (c, v, p, "width", true, UINT16_MAX, &w, NULL) < 0)
    return -1;
  cs->set = true;
  cs->height = (uint32_t) h;
  cs->width = (uint32_t) w;
  return 0;
}

int
cfg_parse_process (struct cfg_ctx *c, yajl_val v, const char *path, struct hull_process *p)
{
  cleanup_free char *pargs = cfg_path_key (path, "args");
  cleanup_free char *pcwd = cfg_path_key (path, "cwd");

  if (cfg_bool (c, v, path, "terminal", &p->terminal, NULL) < 0
      || parse_console_size (c, v, path, &p->console_size) < 0
      || parse_user (c, v, path, &p->user) < 0 || cfg_strv (c, v, path, "args", &p->args) < 0
      || cfg_string (c, v, path, "commandLine", false, &p->command_line) < 0
      || cfg_strv (c, v, path, "env", &p->env) < 0
      || cfg_string (c, v, path, "cwd", true, &p->cwd) < 0
      || parse_capabilities (c, v, path, p) < 0 || parse_rlimits (c, v, path, p) < 0
      || cfg_bool (c, v, path, "noNewPrivileges", &p->no_new_privileges, NULL) < 0
      || cfg_string (c, v, path, "apparmorProfile", false, &p->apparmor_profile) < 0
      || cfg_opt_i64 (c, v, path, "oomScoreAdj", -1000, 1000, &p->oom_score_adj) < 0
      || parse_scheduler (c, v, path, &p->scheduler) < 0
      || cfg_string (c, v, path, "selinuxLabel", false, &p->selinux_label) < 0
      || parse_io_priority (c, v, path, &p->io_priority) < 0
      || parse_cpu_affinity (c, v, path, &p->exec_cpu_affinity) < 0)
    return -1;
  if (p->args == NULL)
    return cfg_error (c, pargs, "missing required field");
  if (p->args[0] == NULL)
    return cfg_error (c, pargs, "must not be empty");
  if (p->cwd[0] != '/')
    return cfg_error (c, pcwd, "must be an absolute path, got \"%s\"", p->cwd);
  return 0;
}
