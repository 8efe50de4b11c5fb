/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `hull check` rules for the top of the document: ociVersion, root, mounts,
 * process, hooks, annotations.
 *
 * The parser's own validators do the work.  A parser section stops at its
 * first error, so each member is handed to it alone (in a stand-in object,
 * see struct chk_fake), which yields one finding per bad member; lists where
 * several entries may be wrong (capabilities, rlimits) are walked entry by
 * entry.
 */
#include <config.h>
#include "bundle_check_internal.h"
#include "runtime_features.h"
#include "utils.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const hook_keys[] = {
  "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop", NULL,
};

static const char *const top_keys[] = {
  "ociVersion", "root", "mounts", "process", "hostname", "domainname", "hooks", "annotations",
  "linux", "solaris", "windows", "vm", "zos", NULL,
};

static const char *const process_keys[] = {
  "terminal", "consoleSize", "user", "args", "commandLine", "env", "cwd", "capabilities",
  "rlimits", "noNewPrivileges", "apparmorProfile", "oomScoreAdj", "scheduler", "selinuxLabel",
  "ioPriority", "execCPUAffinity", NULL,
};

void
chk_unknown_keys (struct chk *k, yajl_val obj, const char *base, const char *const *known)
{
  size_t i, j;

  for (i = 0; YAJL_IS_OBJECT (obj) && i < obj->u.object.len; i++)
    {
      const char *key = obj->u.object.keys[i];
      bool found = false;

      for (j = 0; known[j] && !found; j++)
        found = strcmp (known[j], key) == 0;
      if (!found && !cfg_key_repeated_later (obj, i))
        {
          cleanup_free char *p = cfg_path_key (base, key);
          chk_warn (k, p, "check the spelling: fields the runtime-spec does not define are ignored",
                    "unknown field, ignored");
        }
    }
}

static void
check_oci_version (struct chk *k)
{
  char *v = NULL;
  unsigned major = 0, minor = 0;

  CHK_TRY (k, cfg_string (&k->cc, k->doc, "", "ociVersion", false, &v));
  if (v == NULL)
    return;
  if (sscanf (v, "%u.%u", &major, &minor) != 2)
    chk_warn (k, "ociVersion", "write the runtime-spec version, e.g. \"" HULL_OCI_VERSION_MAX "\"",
              "\"%s\" is not a runtime-spec version", v);
  else if (major != 1 || minor > 2)
    chk_warn (k, "ociVersion", "hull implements runtime-spec " HULL_OCI_VERSION_MIN " to "
              HULL_OCI_VERSION_MAX "; newer fields are ignored",
              "\"%s\" is newer than the runtime-spec versions hull implements", v);
  free (v);
}

static void
check_root (struct chk *k)
{
  cleanup_free char *path = NULL;
  yajl_val v = NULL;
  bool ro;

  CHK_TRY (k, cfg_object (&k->cc, k->doc, "", "root", &v));
  if (v == NULL)
    {
      if (cfg_member (k->doc, "root") == NULL)
        chk_error (k, "root.path", "add \"root\": {\"path\": \"rootfs\"}", "missing required field");
      return;
    }
  CHK_TRY (k, cfg_string (&k->cc, v, "root", "path", true, &path));
  CHK_TRY (k, cfg_bool (&k->cc, v, "root", "readonly", &ro, NULL));
  if (path && *path == '\0')
    chk_error (k, "root.path", "give the rootfs directory, relative to the bundle or absolute",
               "must not be empty");
}

static void
check_mount (struct chk *k, yajl_val e, const char *p)
{
  cleanup_free char *dest = NULL, *src = NULL, *type = NULL;
  cleanup_strv char **opts = NULL;
  struct hull_id_mapping *um = NULL, *gm = NULL;
  size_t nu = 0, ng = 0;

  if (cfg_check_object (&k->cc, e, p) < 0)
    {
      chk_take (k, &k->cerr, NULL, NULL, NULL);
      return;
    }
  CHK_TRY (k, cfg_string (&k->cc, e, p, "destination", true, &dest));
  CHK_TRY (k, cfg_string (&k->cc, e, p, "source", false, &src));
  CHK_TRY (k, cfg_string (&k->cc, e, p, "type", false, &type));
  CHK_TRY (k, cfg_strv (&k->cc, e, p, "options", &opts));
  CHK_TRY (k, cfg_id_mappings (&k->cc, e, p, "uidMappings", &um, &nu));
  CHK_TRY (k, cfg_id_mappings (&k->cc, e, p, "gidMappings", &gm, &ng));
  if (dest && *dest == '\0')
    {
      cleanup_free char *pd = cfg_path_key (p, "destination");
      chk_error (k, pd, "give the path inside the container", "must not be empty");
    }
  else if (dest && dest[0] != '/')
    {
      cleanup_free char *pd = cfg_path_key (p, "destination");
      chk_warn (k, pd, "write the path starting with \"/\" (it is taken relative to \"/\")",
                "\"%s\" should be an absolute path", dest);
    }
  if ((nu == 0) != (ng == 0) && (cfg_member (e, "uidMappings") || cfg_member (e, "gidMappings")))
    chk_error (k, p, "give both uidMappings and gidMappings, or neither",
               "an idmapped mount needs both uidMappings and gidMappings");
  free (um);
  free (gm);
}

static void
check_mounts (struct chk *k)
{
  yajl_val a = NULL;
  size_t i;

  CHK_TRY (k, cfg_array (&k->cc, k->doc, "", "mounts", &a));
  for (i = 0; a && i < a->u.array.len; i++)
    {
      cleanup_free char *p = cfg_path_idx ("mounts", i);
      check_mount (k, a->u.array.values[i], p);
    }
}

static void
check_hook (struct chk *k, yajl_val e, const char *p)
{
  cleanup_free char *path = NULL;
  cleanup_strv char **args = NULL, **env = NULL;
  hull_opt_i64 timeout;

  if (cfg_check_object (&k->cc, e, p) < 0)
    {
      chk_take (k, &k->cerr, NULL, NULL, NULL);
      return;
    }
  CHK_TRY (k, cfg_string (&k->cc, e, p, "path", true, &path));
  CHK_TRY (k, cfg_strv (&k->cc, e, p, "args", &args));
  CHK_TRY (k, cfg_strv (&k->cc, e, p, "env", &env));
  CHK_TRY (k, cfg_opt_i64 (&k->cc, e, p, "timeout", 1, INT32_MAX, &timeout));
  if (path && path[0] != '/')
    {
      cleanup_free char *pp = cfg_path_key (p, "path");
      chk_error (k, pp, "give the absolute path of the hook program on the host",
                 "must be an absolute path, got \"%s\"", path);
    }
}

static void
check_hooks (struct chk *k)
{
  yajl_val hooks = NULL;
  size_t i, j;

  CHK_TRY (k, cfg_object (&k->cc, k->doc, "", "hooks", &hooks));
  if (hooks == NULL)
    return;
  for (i = 0; i < hooks->u.object.len; i++)
    {
      const char *key = hooks->u.object.keys[i];
      cleanup_free char *base = cfg_path_key ("hooks", key);
      yajl_val a = NULL;
      bool known = false;

      for (j = 0; hook_keys[j]; j++)
        known |= strcmp (hook_keys[j], key) == 0;
      if (!known)
        {
          chk_warn (k, base, "hook kinds are prestart, createRuntime, createContainer, "
                    "startContainer, poststart and poststop",
                    "unknown hook kind \"%s\" is ignored", key);
          continue;
        }
      if (cfg_key_repeated_later (hooks, i))
        continue;
      CHK_TRY (k, cfg_array (&k->cc, hooks, "hooks", key, &a));
      for (j = 0; a && j < a->u.array.len; j++)
        {
          cleanup_free char *p = cfg_path_idx (base, j);
          check_hook (k, a->u.array.values[j], p);
        }
    }
  if (cfg_member (hooks, "prestart"))
    chk_warn (k, "hooks.prestart", "use createRuntime hooks instead",
              "prestart hooks are deprecated by the runtime-spec");
}

/* ---- process ------------------------------------------------------------ */

/* Run the process parser on member `key` alone (cwd and args get stubs when they are not
   the member looked at); keep the errors about that member. */
static void
process_member (struct chk *k, yajl_val proc, const char *key)
{
  static char stub_cwd_s[] = "/", stub_arg_s[] = "sh";
  struct yajl_val_s stub_cwd = { .type = yajl_t_string, .u.string = stub_cwd_s };
  struct yajl_val_s stub_arg = { .type = yajl_t_string, .u.string = stub_arg_s };
  yajl_val stub_args_v[1] = { &stub_arg };
  struct yajl_val_s stub_args = { .type = yajl_t_array };
  cleanup_free char *under = cfg_path_key ("process", key);
  struct hull_process p = { 0 };
  struct chk_fake f;
  yajl_val fake = chk_fake_init (&f);

  stub_args.u.array.values = stub_args_v;
  stub_args.u.array.len = 1;
  chk_fake_put (&f, key, cfg_member (proc, key));
  if (strcmp (key, "cwd") != 0)
    chk_fake_put (&f, "cwd", &stub_cwd);
  if (strcmp (key, "args") != 0)
    chk_fake_put (&f, "args", &stub_args);
  if (cfg_parse_process (&k->cc, fake, "process", &p) < 0)
    chk_take (k, &k->cerr, NULL, NULL, under);
  cfg_process_clear (&p);
}

static void
check_capabilities (struct chk *k, yajl_val proc)
{
  static const char *const sets[] = { "bounding", "effective", "inheritable", "permitted",
                                      "ambient", NULL };
  yajl_val caps = NULL;
  size_t s, i;

  CHK_TRY (k, cfg_object (&k->cc, proc, "process", "capabilities", &caps));
  for (s = 0; caps && sets[s]; s++)
    {
      cleanup_free char *p = cfg_path_key ("process.capabilities", sets[s]);
      yajl_val a = cfg_member (caps, sets[s]);

      if (a == NULL)
        continue;
      if (!YAJL_IS_ARRAY (a))
        {
          chk_error (k, p, NULL, "expected an array of strings, got %s", cfg_type_name (a));
          continue;
        }
      for (i = 0; i < a->u.array.len; i++)
        {
          cleanup_free char *pi = cfg_path_idx (p, i);
          yajl_val e = a->u.array.values[i];
          int n;

          if (!YAJL_IS_STRING (e))
            {
              chk_error (k, pi, NULL, "expected a string, got %s", cfg_type_name (e));
              continue;
            }
          n = hull_cap_from_name (e->u.string);
          if (n < 0)
            chk_error (k, pi, NULL, "unknown capability \"%s\"", e->u.string);
          else if (n > hull_cap_last ())
            chk_warn (k, pi, "the capability is skipped on this kernel",
                      "the running kernel does not know %s", e->u.string);
        }
    }
}

static void
check_rlimits (struct chk *k, yajl_val proc)
{
  yajl_val a = NULL;
  size_t i, j;

  CHK_TRY (k, cfg_array (&k->cc, proc, "process", "rlimits", &a));
  for (i = 0; a && i < a->u.array.len; i++)
    {
      cleanup_free char *to = xasprintf ("process.rlimits[%zu]", i);
      cleanup_free char *pt = cfg_path_key (to, "type");
      yajl_val e = a->u.array.values[i];
      struct hull_process p = { 0 };
      const char *type = chk_str (e, "type");
      struct chk_fake f;
      yajl_val fake = chk_fake_init (&f);
      static char cwd_s[] = "/", arg_s[] = "sh";
      struct yajl_val_s cwd = { .type = yajl_t_string, .u.string = cwd_s };
      struct yajl_val_s arg = { .type = yajl_t_string, .u.string = arg_s };
      yajl_val argv[1] = { &arg };
      struct yajl_val_s args = { .type = yajl_t_array, .u.array = { argv, 1 } };

      chk_fake_put_elem (&f, "rlimits", e);
      chk_fake_put (&f, "cwd", &cwd);
      chk_fake_put (&f, "args", &args);
      if (cfg_parse_process (&k->cc, fake, "process", &p) < 0)
        chk_take (k, &k->cerr, "process.rlimits[0]", to, NULL);
      cfg_process_clear (&p);
      for (j = 0; type && j < i; j++)
        {
          const char *prev = chk_str (a->u.array.values[j], "type");
          if (prev && strcmp (prev, type) == 0)
            {
              chk_error (k, pt, NULL, "duplicate rlimit \"%s\" (also process.rlimits[%zu])", type,
                         j);
              break;
            }
        }
    }
}

static void
check_env (struct chk *k, yajl_val proc)
{
  yajl_val a = chk_arr (proc, "env");
  size_t i;

  for (i = 0; a && i < a->u.array.len; i++)
    {
      yajl_val e = a->u.array.values[i];
      if (YAJL_IS_STRING (e) && strchr (e->u.string, '=') == NULL)
        {
          cleanup_free char *p = xasprintf ("process.env[%zu]", i);
          chk_warn (k, p, "write entries as NAME=VALUE", "\"%s\" has no \"=\"", e->u.string);
        }
    }
}

static void
check_process (struct chk *k)
{
  yajl_val proc = NULL;
  size_t i;

  CHK_TRY (k, cfg_object (&k->cc, k->doc, "", "process", &proc));
  if (proc == NULL)
    {
      if (cfg_member (k->doc, "process") == NULL)
        chk_error (k, "process", "add a process object with at least args and cwd",
                   "required to create a container");
      return;
    }
  for (i = 0; i < proc->u.object.len; i++)
    {
      const char *key = proc->u.object.keys[i];
      if (cfg_key_repeated_later (proc, i) || strcmp (key, "capabilities") == 0
          || strcmp (key, "rlimits") == 0)
        continue;
      process_member (k, proc, key);
    }
  /* Required members that are absent: the stubs hid them. */
  if (cfg_member (proc, "args") == NULL)
    chk_error (k, "process.args", "give the program to run, e.g. [\"sh\"]", "missing required field");
  if (cfg_member (proc, "cwd") == NULL)
    chk_error (k, "process.cwd", "give the working directory, e.g. \"/\"", "missing required field");
  check_capabilities (k, proc);
  check_rlimits (k, proc);
  check_env (k, proc);
  chk_unknown_keys (k, proc, "process", process_keys);
}

static void
check_names (struct chk *k)
{
  struct hull_kv *kv = NULL;
  char *s = NULL;
  size_t n = 0;

  CHK_TRY (k, cfg_string (&k->cc, k->doc, "", "hostname", false, &s));
  free (s);
  s = NULL;
  CHK_TRY (k, cfg_string (&k->cc, k->doc, "", "domainname", false, &s));
  free (s);
  CHK_TRY (k, cfg_map (&k->cc, k->doc, "", "annotations", &kv, &n));
  cfg_kv_free (kv, n);
}

void
chk_rules_document (struct chk *k)
{
  chk_unknown_keys (k, k->doc, "", top_keys);
  check_oci_version (k);
  check_root (k);
  check_mounts (k);
  check_process (k);
  check_names (k);
  check_hooks (k);
  if (cfg_member (k->doc, "linux") == NULL)
    chk_error (k, "linux", "add a linux object with at least {\"namespaces\": [{\"type\": \"mount\"}]}",
               "required: hull runs Linux containers and needs a mount namespace");
}
