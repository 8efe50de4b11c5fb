/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config.json parser: linux.seccomp.  Names are checked against the tables
 * in config_names.c; syscall names are left to the seccomp code, which
 * knows what libseccomp and the kernel support.
 */
#include <config.h>
#include "config_internal.h"
#include "utils.h"

#include <stdlib.h>
#include <string.h>

void
cfg_seccomp_clear (struct hull_seccomp *s)
{
  size_t i, j;

  free (s->default_action_name);
  strv_free (s->architectures);
  strv_free (s->flags);
  free (s->listener_path);
  free (s->listener_metadata);
  for (i = 0; i < s->syscalls_len; i++)
    {
      struct hull_seccomp_syscall *sc = &s->syscalls[i];
      strv_free (sc->names);
      free (sc->action_name);
      for (j = 0; j < sc->args_len; j++)
        free (sc->args[j].op_name);
      free (sc->args);
    }
  free (s->syscalls);
  memset (s, 0, sizeof *s);
}

static int
action_value (struct cfg_ctx *c, const char *name, const char *path, int *out)
{
  long x;

  if (cfg_names_lookup (hull_seccomp_action_names, name, &x) < 0)
    return cfg_error (c, path, "unknown seccomp action \"%s\"", name);
  *out = (int) x;
  return 0;
}

/* Every entry of the list v (at base.key) must be a name in table t. */
static int
check_names (struct cfg_ctx *c, const struct hull_name_value *t, char **v, const char *base,
             const char *key, const char *what)
{
  size_t i;
  long x;

  for (i = 0; v && v[i]; i++)
    if (cfg_names_lookup (t, v[i], &x) < 0)
      {
        cleanup_free char *p = cfg_path_key (base, key);
        cleanup_free char *pi = cfg_path_idx (p, i);
        return cfg_error (c, pi, "unknown %s \"%s\"", what, v[i]);
      }
  return 0;
}

static int
parse_arg (struct cfg_ctx *c, yajl_val e, const char *pi, struct hull_seccomp_arg *a)
{
  cleanup_free char *pop = cfg_path_key (pi, "op");
  uint64_t index;
  long x;

  if (cfg_check_object (c, e, pi) < 0
      || cfg_u64 (c, e, pi, "index", true, 5, &index, NULL) < 0
      || cfg_u64 (c, e, pi, "value", true, UINT64_MAX, &a->value, NULL) < 0
      || cfg_u64 (c, e, pi, "valueTwo", false, UINT64_MAX, &a->value_two, NULL) < 0
      || cfg_string (c, e, pi, "op", true, &a->op_name) < 0)
    return -1;
  a->index = (uint32_t) index;
  if (cfg_names_lookup (hull_seccomp_op_names, a->op_name, &x) < 0)
    return cfg_error (c, pop, "unknown seccomp operator \"%s\"", a->op_name);
  a->op = (int) x;
  return 0;
}

static int
parse_syscall (struct cfg_ctx *c, yajl_val e, const char *pi, struct hull_seccomp_syscall *sc)
{
  cleanup_free char *pa = cfg_path_key (pi, "action");
  cleanup_free char *pn = cfg_path_key (pi, "names");
  cleanup_free char *pargs = cfg_path_key (pi, "args");
  yajl_val a;
  size_t i;

  if (cfg_check_object (c, e, pi) < 0 || cfg_strv (c, e, pi, "names", &sc->names) < 0
      || cfg_string (c, e, pi, "action", true, &sc->action_name) < 0
      || cfg_opt_u64 (c, e, pi, "errnoRet", UINT32_MAX, &sc->errno_ret) < 0
      || cfg_array (c, e, pi, "args", &a) < 0)
    return -1;
  if (sc->names == NULL)
    return cfg_error (c, pn, "missing required field");
  if (sc->names[0] == NULL)
    return cfg_error (c, pn, "must not be empty");
  for (i = 0; sc->names[i]; i++)
    if (sc->names[i][0] == '\0')
      {
        cleanup_free char *pni = cfg_path_idx (pn, i);
        return cfg_error (c, pni, "must not be empty");
      }
  if (action_value (c, sc->action_name, pa, &sc->action) < 0)
    return -1;
  if (a == NULL)
    return 0;
  sc->args = xmalloc0 ((a->u.array.len ? a->u.array.len : 1) * sizeof *sc->args);
  for (i = 0; i < a->u.array.len; i++)
    {
      cleanup_free char *pai = cfg_path_idx (pargs, i);
      sc->args_len = i + 1;
      if (parse_arg (c, a->u.array.values[i], pai, &sc->args[i]) < 0)
        return -1;
    }
  return 0;
}

int
cfg_parse_seccomp (struct cfg_ctx *c, yajl_val v, const char *path, struct hull_seccomp *s)
{
  cleanup_free char *pd = cfg_path_key (path, "defaultAction");
  cleanup_free char *psys = cfg_path_key (path, "syscalls");
  cleanup_free char *plis = cfg_path_key (path, "listenerPath");
  yajl_val a;
  size_t i;

  if (cfg_string (c, v, path, "defaultAction", true, &s->default_action_name) < 0
      || cfg_opt_u64 (c, v, path, "defaultErrnoRet", UINT32_MAX, &s->default_errno_ret) < 0
      || cfg_strv (c, v, path, "architectures", &s->architectures) < 0
      || cfg_strv (c, v, path, "flags", &s->flags) < 0
      || cfg_string (c, v, path, "listenerPath", false, &s->listener_path) < 0
      || cfg_string (c, v, path, "listenerMetadata", false, &s->listener_metadata) < 0
      || cfg_array (c, v, path, "syscalls", &a) < 0)
    return -1;
  if (action_value (c, s->default_action_name, pd, &s->default_action) < 0)
    return -1;
  if (check_names (c, hull_seccomp_arch_names, s->architectures, path, "architectures",
                   "seccomp architecture")
          < 0
      || check_names (c, hull_seccomp_flag_names, s->flags, path, "flags", "seccomp flag") < 0)
    return -1;
  if (s->listener_path && s->listener_path[0] != '/')
    return cfg_error (c, plis, "must be an absolute path, got \"%s\"", s->listener_path);
  /* The filter would make the container wait on every syscall.  */
  if (s->default_action == HULL_SCMP_ACT_NOTIFY)
    return cfg_error (c, pd, "SCMP_ACT_NOTIFY cannot be the default action");
  if (a == NULL)
    return 0;
  s->syscalls = xmalloc0 ((a->u.array.len ? a->u.array.len : 1) * sizeof *s->syscalls);
  for (i = 0; i < a->u.array.len; i++)
    {
      cleanup_free char *pi = cfg_path_idx (psys, i);
      s->syscalls_len = i + 1;
      if (parse_syscall (c, a->u.array.values[i], pi, &s->syscalls[i]) < 0)
        return -1;
      if (s->syscalls[i].action == HULL_SCMP_ACT_NOTIFY && s->listener_path == NULL)
        return cfg_error (c, plis, "required when %s.action is SCMP_ACT_NOTIFY", pi);
    }
  return 0;
}
