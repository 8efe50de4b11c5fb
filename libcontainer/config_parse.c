/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config.json parser, top level: the document, root, mounts, hooks,
 * annotations, and the entry points for bare process and resources
 * objects.  Sections live in config_parse_{process,linux,resources,seccomp}.c.
 */
#include <config.h>
#include "config_internal.h"
#include "utils.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

static const char *const hook_keys[HULL_HOOK_KINDS] = {
  [HULL_HOOK_PRESTART] = "prestart",
  [HULL_HOOK_CREATE_RUNTIME] = "createRuntime",
  [HULL_HOOK_CREATE_CONTAINER] = "createContainer",
  [HULL_HOOK_START_CONTAINER] = "startContainer",
  [HULL_HOOK_POSTSTART] = "poststart",
  [HULL_HOOK_POSTSTOP] = "poststop",
};

static void
mount_clear (struct hull_mount *m)
{
  free (m->destination);
  free (m->source);
  free (m->type);
  strv_free (m->options);
  free (m->uid_mappings);
  free (m->gid_mappings);
}

static void
hook_clear (struct hull_hook *h)
{
  free (h->path);
  strv_free (h->args);
  strv_free (h->env);
}

void
hull_config_free (struct hull_config *c)
{
  size_t i;
  int k;

  if (c == NULL)
    return;
  free (c->oci_version);
  free (c->root.path);
  for (i = 0; i < c->mounts_len; i++)
    mount_clear (&c->mounts[i]);
  free (c->mounts);
  hull_process_free (c->process);
  free (c->hostname);
  free (c->domainname);
  for (k = 0; k < HULL_HOOK_KINDS; k++)
    {
      for (i = 0; i < c->hooks[k].len; i++)
        hook_clear (&c->hooks[k].hooks[i]);
      free (c->hooks[k].hooks);
    }
  cfg_kv_free (c->annotations, c->annotations_len);
  if (c->linux_)
    {
      cfg_linux_clear (c->linux_);
      free (c->linux_);
    }
  free (c);
}

void
hull_process_free (struct hull_process *p)
{
  if (p == NULL)
    return;
  cfg_process_clear (p);
  free (p);
}

void
hull_resources_free (struct hull_resources *r)
{
  if (r == NULL)
    return;
  cfg_resources_clear (r);
  free (r);
}

static int
parse_root (struct cfg_ctx *c, yajl_val doc, struct hull_config *cfg)
{
  yajl_val v;

  if (cfg_object (c, doc, "", "root", &v) < 0)
    return -1;
  if (v == NULL)
    return cfg_error (c, "root.path", "missing required field");
  cfg->root_set = true;
  if (cfg_string (c, v, "root", "path", true, &cfg->root.path) < 0
      || cfg_bool (c, v, "root", "readonly", &cfg->root.readonly, NULL) < 0)
    return -1;
  if (cfg->root.path[0] == '\0')
    return cfg_error (c, "root.path", "must not be empty");
  return 0;
}

static int
parse_mount (struct cfg_ctx *c, yajl_val v, const char *p, struct hull_mount *m)
{
  if (cfg_check_object (c, v, p) < 0 || cfg_string (c, v, p, "destination", true, &m->destination) < 0
      || cfg_string (c, v, p, "source", false, &m->source) < 0
      || cfg_string (c, v, p, "type", false, &m->type) < 0
      || cfg_strv (c, v, p, "options", &m->options) < 0
      || cfg_id_mappings (c, v, p, "uidMappings", &m->uid_mappings, &m->uid_mappings_len) < 0
      || cfg_id_mappings (c, v, p, "gidMappings", &m->gid_mappings, &m->gid_mappings_len) < 0)
    return -1;
  /* The spec says SHOULD be absolute; relative ones are kept and resolved
     against "/" later, as other runtimes do for compatibility.  */
  if (m->destination[0] == '\0')
    {
      cleanup_free char *pd = cfg_path_key (p, "destination");
      return cfg_error (c, pd, "must not be empty");
    }
  if ((m->uid_mappings_len == 0) != (m->gid_mappings_len == 0))
    return cfg_error (c, p, "an idmapped mount needs both uidMappings and gidMappings");
  return 0;
}

static int
parse_mounts (struct cfg_ctx *c, yajl_val doc, struct hull_config *cfg)
{
  yajl_val a;
  size_t i;

  if (cfg_array (c, doc, "", "mounts", &a) < 0)
    return -1;
  if (a == NULL)
    return 0;
  cfg->mounts = xmalloc0 ((a->u.array.len ? a->u.array.len : 1) * sizeof *cfg->mounts);
  for (i = 0; i < a->u.array.len; i++)
    {
      cleanup_free char *p = cfg_path_idx ("mounts", i);
      cfg->mounts_len = i + 1;
      if (parse_mount (c, a->u.array.values[i], p, &cfg->mounts[i]) < 0)
        return -1;
    }
  return 0;
}

static int
parse_hook (struct cfg_ctx *c, yajl_val v, const char *p, struct hull_hook *h)
{
  if (cfg_check_object (c, v, p) < 0 || cfg_string (c, v, p, "path", true, &h->path) < 0
      || cfg_strv (c, v, p, "args", &h->args) < 0 || cfg_strv (c, v, p, "env", &h->env) < 0
      || cfg_opt_i64 (c, v, p, "timeout", 1, INT32_MAX, &h->timeout) < 0)
    return -1;
  if (h->path[0] != '/')
    {
      cleanup_free char *pp = cfg_path_key (p, "path");
      return cfg_error (c, pp, "must be an absolute path, got \"%s\"", h->path);
    }
  return 0;
}

static int
parse_hooks (struct cfg_ctx *c, yajl_val doc, struct hull_config *cfg)
{
  yajl_val hooks;
  int k;

  if (cfg_object (c, doc, "", "hooks", &hooks) < 0)
    return -1;
  if (hooks == NULL)
    return 0;
  for (k = 0; k < HULL_HOOK_KINDS; k++)
    {
      cleanup_free char *base = cfg_path_key ("hooks", hook_keys[k]);
      struct hull_hook_list *l = &cfg->hooks[k];
      yajl_val a;
      size_t i;

      if (cfg_array (c, hooks, "hooks", hook_keys[k], &a) < 0)
        return -1;
      if (a == NULL)
        continue;
      l->hooks = xmalloc0 ((a->u.array.len ? a->u.array.len : 1) * sizeof *l->hooks);
      for (i = 0; i < a->u.array.len; i++)
        {
          cleanup_free char *p = cfg_path_idx (base, i);
          l->len = i + 1;
          if (parse_hook (c, a->u.array.values[i], p, &l->hooks[i]) < 0)
            return -1;
        }
    }
  return 0;
}

#define NEED_UTS "needs a UTS namespace (add {\"type\": \"uts\"} to linux.namespaces)"

static int
parse_document (struct cfg_ctx *c, yajl_val doc, struct hull_config *cfg)
{
  yajl_val v;

  if (cfg_check_object (c, doc, NULL) < 0)
    return -1;
  if (cfg_string (c, doc, "", "ociVersion", false, &cfg->oci_version) < 0)
    return -1;
  if (parse_root (c, doc, cfg) < 0 || parse_mounts (c, doc, cfg) < 0)
    return -1;
  if (cfg_object (c, doc, "", "process", &v) < 0)
    return -1;
  if (v)
    {
      cfg->process = xmalloc0 (sizeof *cfg->process);
      if (cfg_parse_process (c, v, "process", cfg->process) < 0)
        return -1;
    }
  if (cfg_string (c, doc, "", "hostname", false, &cfg->hostname) < 0
      || cfg_string (c, doc, "", "domainname", false, &cfg->domainname) < 0)
    return -1;
  if (parse_hooks (c, doc, cfg) < 0)
    return -1;
  if (cfg_map (c, doc, "", "annotations", &cfg->annotations, &cfg->annotations_len) < 0)
    return -1;
  if (cfg_object (c, doc, "", "linux", &v) < 0)
    return -1;
  if (v)
    {
      cfg->linux_ = xmalloc0 (sizeof *cfg->linux_);
      if (cfg_parse_linux (c, v, "linux", cfg->linux_) < 0)
        return -1;
    }
  /* Setting the names would change the host's otherwise.  */
  if (cfg->hostname && cfg->hostname[0] && !hull_config_namespace (cfg, HULL_NS_UTS))
    return cfg_error (c, "hostname", "%s", NEED_UTS);
  if (cfg->domainname && cfg->domainname[0] && !hull_config_namespace (cfg, HULL_NS_UTS))
    return cfg_error (c, "domainname", "%s", NEED_UTS);
  return 0;
}

struct hull_config *
hull_config_parse (const char *text, size_t len, const char *origin, hull_error_t *err)
{
  struct cfg_ctx c = { origin ? origin : "config.json", err };
  struct hull_config *cfg;
  yajl_val doc;

  doc = cfg_parse_tree (&c, text, len);
  if (doc == NULL)
    return NULL;
  cfg = xmalloc0 (sizeof *cfg);
  if (parse_document (&c, doc, cfg) < 0)
    {
      yajl_tree_free (doc);
      hull_config_free (cfg);
      return NULL;
    }
  yajl_tree_free (doc);
  return cfg;
}

struct hull_config *
hull_config_load (const char *path, hull_error_t *err)
{
  cleanup_free char *text = NULL;
  const char *base;
  size_t len;

  if (read_file_at (AT_FDCWD, path, &text, &len, err) < 0)
    return NULL;
  base = strrchr (path, '/');
  base = base ? base + 1 : path;
  return hull_config_parse (text, len, base, err);
}

struct hull_process *
hull_process_parse (const char *text, size_t len, const char *origin, hull_error_t *err)
{
  struct cfg_ctx c = { origin ? origin : "process.json", err };
  struct hull_process *p;
  yajl_val doc;

  doc = cfg_parse_tree (&c, text, len);
  if (doc == NULL)
    return NULL;
  p = xmalloc0 (sizeof *p);
  if (cfg_check_object (&c, doc, NULL) < 0 || cfg_parse_process (&c, doc, "", p) < 0)
    {
      yajl_tree_free (doc);
      hull_process_free (p);
      return NULL;
    }
  yajl_tree_free (doc);
  return p;
}

struct hull_resources *
hull_resources_parse (const char *text, size_t len, const char *origin, hull_error_t *err)
{
  struct cfg_ctx c = { origin ? origin : "resources.json", err };
  struct hull_resources *r;
  yajl_val doc;

  doc = cfg_parse_tree (&c, text, len);
  if (doc == NULL)
    return NULL;
  r = xmalloc0 (sizeof *r);
  if (cfg_check_object (&c, doc, NULL) < 0 || cfg_parse_resources (&c, doc, "", r) < 0)
    {
      yajl_tree_free (doc);
      hull_resources_free (r);
      return NULL;
    }
  yajl_tree_free (doc);
  return r;
}

const struct hull_namespace *
hull_config_namespace (const struct hull_config *c, enum hull_ns_type t)
{
  size_t i;

  if (c == NULL || c->linux_ == NULL)
    return NULL;
  for (i = 0; i < c->linux_->namespaces_len; i++)
    if (c->linux_->namespaces[i].type == t)
      return &c->linux_->namespaces[i];
  return NULL;
}
