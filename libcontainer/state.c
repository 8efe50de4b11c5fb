/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <config.h>
#include "state.h"
#include "cgroup.h"
#include "idmap.h"
#include "json.h"
#include "utils.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define HULL_ID_MAX 255 /* one directory name */
#define STATE_FILE "state.jsonl"
#define CONFIG_KEY "{\"hull_config\":"

int
hull_id_validate (const char *id, hull_error_t *err)
{
  size_t i, n;
  if (id == NULL || *id == '\0')
    return hull_error_set (err, 0, "container id must not be empty");
  n = strlen (id);
  if (n > HULL_ID_MAX)
    return hull_error_set (err, 0, "container id is %zu characters long; at most %d are allowed", n,
                           HULL_ID_MAX);
  if (strcmp (id, ".") == 0 || strcmp (id, "..") == 0)
    return hull_error_set (err, 0, "invalid container id \"%s\"", id);
  for (i = 0; i < n; i++)
    {
      unsigned char c = (unsigned char) id[i];
      if (c < 0x20 || c == 0x7f)
        /* Not echoed: the message must stay one line. */
        return hull_error_set (err, 0,
                               "invalid container id: control character 0x%02x at offset %zu: "
                               "only letters, digits and _ . + - are allowed",
                               c, i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
            || c == '.' || c == '+' || c == '-'))
        return hull_error_set (err, 0,
                               "invalid container id \"%.64s\": only letters, digits and _ . + - "
                               "are allowed",
                               id);
    }
  return 0;
}

/* $XDG_RUNTIME_DIR when it is an absolute path to a directory of ours;
   runuser and su often pass root's on to the user, which must not count. */
static const char *
usable_xdg_runtime_dir (uid_t uid)
{
  const char *xdg = getenv ("XDG_RUNTIME_DIR");
  struct stat sb;

  if (xdg == NULL || xdg[0] != '/' || stat (xdg, &sb) < 0 || !S_ISDIR (sb.st_mode)
      || sb.st_uid != uid)
    return NULL;
  return xdg;
}

/* The fallback root in /tmp must be a real directory that belongs to us and
   that nobody else can write: anyone may create /tmp/hull-<uid> first. */
static int
private_tmp_root (const char *path, uid_t uid, hull_error_t *err)
{
  struct stat sb;

  if (mkdir (path, 0700) < 0 && errno != EEXIST)
    return hull_error_set (err, errno, "state root: mkdir \"%s\"", path);
  if (lstat (path, &sb) < 0)
    return hull_error_set (err, errno, "state root: stat \"%s\"", path);
  if (!S_ISDIR (sb.st_mode))
    return hull_error_set (err, 0,
                           "state root \"%s\" is not a directory (a symlink or file put there by "
                           "someone else?); remove it, set XDG_RUNTIME_DIR or pass --root",
                           path);
  if (sb.st_uid != uid)
    return hull_error_set (err, 0,
                           "state root \"%s\" belongs to uid %u, not to this user (uid %u); "
                           "remove it, set XDG_RUNTIME_DIR or pass --root",
                           path, (unsigned) sb.st_uid, (unsigned) uid);
  if (sb.st_mode & 022)
    return hull_error_set (err, 0,
                           "state root \"%s\" is writable by other users (mode %04o); make it 0700 "
                           "or pass --root",
                           path, (unsigned) (sb.st_mode & 07777));
  return 0;
}

char *
hull_state_default_root (hull_error_t *err)
{
  uid_t uid = geteuid ();
  const char *xdg;
  char *tmp;

  if (uid == 0 && !hull_in_user_namespace ())
    return xstrdup ("/run/hull");
  xdg = usable_xdg_runtime_dir (uid);
  if (xdg)
    return xasprintf ("%s/hull", xdg);
  tmp = xasprintf ("/tmp/hull-%u", (unsigned) uid);
  if (private_tmp_root (tmp, uid, err) < 0)
    {
      free (tmp);
      return NULL;
    }
  return tmp;
}

static int
mkdir_p (const char *path, mode_t mode, hull_error_t *err)
{
  cleanup_free char *p = xstrdup (path);
  char *s;
  for (s = p + 1; *s; s++)
    if (*s == '/')
      {
        *s = '\0';
        if (mkdir (p, 0755) < 0 && errno != EEXIST)
          return hull_error_set (err, errno, "mkdir \"%s\"", p);
        *s = '/';
      }
  if (mkdir (p, mode) < 0 && errno != EEXIST)
    return hull_error_set (err, errno, "mkdir \"%s\"", p);
  return 0;
}

static struct hull_state *
state_alloc (const char *root, const char *id)
{
  struct hull_state *s = xmalloc0 (sizeof *s);
  s->id = xstrdup (id);
  s->root = xstrdup (root);
  s->dirfd = -1;
  return s;
}

struct hull_state *
hull_state_new (const char *root, const char *id, hull_error_t *err)
{
  cleanup_close int rootfd = -1;
  struct hull_state *s;

  if (hull_id_validate (id, err) < 0)
    return NULL;
  /* The root exists after the first container: create it only when it is missing. */
  rootfd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0 && errno == ENOENT)
    {
      if (mkdir_p (root, 0700, err) < 0)
        return NULL;
      rootfd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
  if (rootfd < 0)
    {
      hull_error_set (err, errno, "open state root \"%s\"", root);
      return NULL;
    }
  if (mkdirat (rootfd, id, 0700) < 0)
    {
      if (errno == EEXIST)
        hull_error_set (err, 0, "container \"%s\" already exists", id);
      else
        hull_error_set (err, errno, "mkdir \"%s/%s\"", root, id);
      return NULL;
    }
  s = state_alloc (root, id);
  s->dirfd = openat (rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (s->dirfd < 0 || flock (s->dirfd, LOCK_EX) < 0)
    {
      hull_error_set (err, errno, "open \"%s/%s\"", root, id);
      unlinkat (rootfd, id, AT_REMOVEDIR);
      hull_state_free (s);
      return NULL;
    }
  s->locked = true;
  s->owner = geteuid ();
  return s;
}

static int
state_parse (struct hull_state *s, const char *text, hull_error_t *err)
{
  char ebuf[256];
  yajl_val t = yajl_tree_parse (text, ebuf, sizeof ebuf), v;
  int64_t i;
  uint64_t u;
  bool b;
  const char *str;

  if (t == NULL)
    return hull_error_set (err, 0, "container \"%s\": " STATE_FILE " is corrupt", s->id);
  if ((str = hull_json_get_str (t, "ociVersion")))
    s->oci_version = xstrdup (str);
  if (hull_json_get_i64 (t, "pid", &i))
    s->pid = (pid_t) i;
  if (hull_json_get_u64 (t, "hull_start_time", &u))
    s->start_time = u;
  if ((str = hull_json_get_str (t, "bundle")))
    s->bundle = xstrdup (str);
  if ((str = hull_json_get_str (t, "rootfs")))
    s->rootfs = xstrdup (str);
  if ((str = hull_json_get_str (t, "created")))
    s->created = xstrdup (str);
  if ((str = hull_json_get_str (t, "hull_cgroup")))
    s->cgroup = xstrdup (str);
  if (hull_json_get_u64 (t, "hull_owner", &u))
    s->owner = (uid_t) u;
  if (hull_json_get_bool (t, "hull_systemd_cgroup", &b))
    s->systemd_cgroup = b;
  if (hull_json_get_bool (t, "hull_rootless", &b))
    s->rootless = b;
  v = hull_json_get (t, "annotations");
  if (v && YAJL_IS_OBJECT (v))
    {
      size_t k, n = 0;
      s->annotations = xmalloc0 ((v->u.object.len + 1) * sizeof *s->annotations);
      for (k = 0; k < v->u.object.len; k++)
        if (YAJL_IS_STRING (v->u.object.values[k]))
          {
            s->annotations[n].key = xstrdup (v->u.object.keys[k]);
            s->annotations[n].value = xstrdup (v->u.object.values[k]->u.string);
            n++;
          }
      s->annotations_len = n;
    }
  yajl_tree_free (t);
  return 0;
}

/* The state is the log's last complete line; a last line without its
   newline was cut short by a crash while it was written and does not count.
   With only the config line (or nothing) create never got to save: the
   state is "creating". */
static int
state_parse_log (struct hull_state *s, char *text, hull_error_t *err)
{
  char *end = strrchr (text, '\n'), *line;

  if (strncmp (text, CONFIG_KEY, sizeof CONFIG_KEY - 1) == 0)
    {
      char *nl = strchr (text, '\n');
      if (nl)
        s->config_line = xstrndup (text, (size_t) (nl - text));
    }
  s->owner = geteuid ();
  if (end == NULL)
    return 0;
  *end = '\0';
  line = strrchr (text, '\n');
  line = line ? line + 1 : text;
  if (strncmp (line, CONFIG_KEY, sizeof CONFIG_KEY - 1) == 0)
    return 0;
  return state_parse (s, line, err);
}

struct hull_state *
hull_state_load (const char *root, const char *id, hull_error_t *err)
{
  cleanup_free char *text = NULL;
  struct hull_state *s;
  int fd;

  if (hull_id_validate (id, err) < 0)
    return NULL;
  {
    cleanup_free char *path = xasprintf ("%s/%s", root, id);
    fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
      {
        if (errno == ENOENT || errno == ENOTDIR)
          hull_error_set (err, 0, "container \"%s\" does not exist", id);
        else
          hull_error_set (err, errno, "open \"%s\"", path);
        return NULL;
      }
  }
  s = state_alloc (root, id);
  s->dirfd = fd;
  if (flock (fd, LOCK_EX) < 0)
    {
      hull_error_set (err, errno, "lock container \"%s\"", id);
      hull_state_free (s);
      return NULL;
    }
  s->locked = true;
  if (read_file_at (fd, STATE_FILE, &text, NULL, err) < 0)
    {
      if ((*err)->errnum == ENOENT)
        {
          /* Interrupted create: the directory exists but no state yet. */
          hull_error_free (err);
          s->owner = geteuid ();
          return s;
        }
      hull_state_free (s);
      return NULL;
    }
  if (state_parse_log (s, text, err) < 0)
    {
      hull_state_free (s);
      return NULL;
    }
  return s;
}

static void
gen_public (yajl_gen g, struct hull_state *s, enum hull_status st)
{
  size_t i;
  hull_json_kstr (g, "ociVersion", s->oci_version ? s->oci_version : "1.2.0");
  hull_json_kstr (g, "id", s->id);
  hull_json_kint (g, "pid", st == HULL_STATUS_STOPPED ? 0 : s->pid);
  hull_json_kstr (g, "status", hull_status_name (st));
  hull_json_kstr (g, "bundle", s->bundle ? s->bundle : "");
  hull_json_kstr (g, "rootfs", s->rootfs ? s->rootfs : "");
  hull_json_kstr (g, "created", s->created ? s->created : "");
  hull_json_kstr (g, "owner", "");
  if (s->annotations_len)
    {
      hull_json_key (g, "annotations");
      yajl_gen_map_open (g);
      for (i = 0; i < s->annotations_len; i++)
        hull_json_kstr (g, s->annotations[i].key, s->annotations[i].value);
      yajl_gen_map_close (g);
    }
}

/* One write per save, so a line is either whole or cut short by a crash. */
static int
append_state (struct hull_state *s, const char *line, hull_error_t *err)
{
  cleanup_free char *buf = NULL;
  cleanup_close int fd = -1;
  size_t len;

  fd = openat (s->dirfd, STATE_FILE, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0 && errno == ENOENT)
    {
      yajl_gen g = hull_json_gen (false);
      cleanup_free char *cl = NULL;
      yajl_gen_map_open (g);
      hull_json_kstr (g, "hull_config", s->config_text ? s->config_text : "");
      yajl_gen_map_close (g);
      cl = hull_json_finish (g);
      buf = xasprintf ("%s\n%s\n", cl, line);
      fd = openat (s->dirfd, STATE_FILE, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    }
  else
    buf = xasprintf ("%s\n", line);
  if (fd < 0)
    return hull_error_set (err, errno, "container \"%s\": open " STATE_FILE, s->id);
  len = strlen (buf);
  if (write_all (fd, buf, len) < 0)
    return hull_error_set (err, errno, "container \"%s\": write " STATE_FILE, s->id);
  return 0;
}

int
hull_state_save (struct hull_state *s, hull_error_t *err)
{
  yajl_gen g = hull_json_gen (false);
  cleanup_free char *text = NULL;

  yajl_gen_map_open (g);
  gen_public (g, s, s->pid ? HULL_STATUS_CREATED : HULL_STATUS_CREATING);
  hull_json_key (g, "hull_start_time");
  yajl_gen_integer (g, (long long) s->start_time);
  hull_json_kstr (g, "hull_cgroup", s->cgroup);
  hull_json_kint (g, "hull_owner", s->owner);
  hull_json_kbool (g, "hull_systemd_cgroup", s->systemd_cgroup);
  hull_json_kbool (g, "hull_rootless", s->rootless);
  yajl_gen_map_close (g);
  text = hull_json_finish (g);
  return append_state (s, text, err);
}

static int
remove_tree_at (int dirfd, const char *name)
{
  int fd = openat (dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (fd >= 0)
    {
      DIR *d = fdopendir (fd);
      struct dirent *de;
      if (d == NULL)
        {
          close (fd);
          return -1;
        }
      while ((de = readdir (d)))
        {
          if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
            continue;
          if (unlinkat (fd, de->d_name, 0) < 0 && (errno == EISDIR || errno == EPERM))
            remove_tree_at (fd, de->d_name);
        }
      closedir (d);
    }
  return unlinkat (dirfd, name, AT_REMOVEDIR);
}

int
hull_state_remove (struct hull_state *s, hull_error_t *err)
{
  cleanup_close int rootfd = open (s->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0)
    return hull_error_set (err, errno, "open state root \"%s\"", s->root);
  if (remove_tree_at (rootfd, s->id) < 0 && errno != ENOENT)
    return hull_error_set (err, errno, "remove state of container \"%s\"", s->id);
  return 0;
}

void
hull_state_free (struct hull_state *s)
{
  size_t i;
  if (s == NULL)
    return;
  if (s->dirfd >= 0)
    close (s->dirfd); /* also releases the flock */
  for (i = 0; i < s->annotations_len; i++)
    {
      free (s->annotations[i].key);
      free (s->annotations[i].value);
    }
  free (s->annotations);
  free (s->id);
  free (s->root);
  free (s->oci_version);
  free (s->bundle);
  free (s->rootfs);
  free (s->created);
  free (s->cgroup);
  free (s->config_text);
  free (s->config_line);
  free (s);
}

/* Read state letter and start time of pid from /proc/pid/stat. */
static int
pid_stat (pid_t pid, char *state, uint64_t *start)
{
  char path[64], buf[1024], *p;
  ssize_t n;
  int fd, field;

  snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  n = read (fd, buf, sizeof buf - 1);
  close (fd);
  if (n <= 0)
    return -1;
  buf[n] = '\0';
  p = strrchr (buf, ')'); /* comm may contain spaces and parens */
  if (p == NULL || p[1] != ' ')
    return -1;
  p += 2;
  *state = *p;
  /* p is at field 3; start time is field 22. */
  for (field = 3; field < 22 && p; field++)
    {
      p = strchr (p, ' ');
      if (p)
        p++;
    }
  if (p == NULL)
    return -1;
  *start = strtoull (p, NULL, 10);
  return 0;
}

uint64_t
hull_pid_start_time (pid_t pid)
{
  char st;
  uint64_t start;
  if (pid <= 0 || pid_stat (pid, &st, &start) < 0 || st == 'Z' || st == 'X')
    return 0;
  return start;
}

enum hull_status
hull_state_status (struct hull_state *s)
{
  uint64_t start;
  struct stat sb;

  if (s->pid <= 0)
    return HULL_STATUS_CREATING;
  start = hull_pid_start_time (s->pid);
  if (start == 0 || (s->start_time && start != s->start_time))
    return HULL_STATUS_STOPPED;
  if (fstatat (s->dirfd, "exec.sock", &sb, AT_SYMLINK_NOFOLLOW) == 0)
    return HULL_STATUS_CREATED;
  if (s->cgroup && *s->cgroup)
    {
      hull_error_t err = NULL;
      struct hull_cgroup *cg = hull_cgroup_deserialize (s->cgroup, &err);
      bool frozen = cg && hull_cgroup_is_frozen (cg);
      hull_cgroup_free (cg);
      hull_error_free (&err);
      if (frozen)
        return HULL_STATUS_PAUSED;
    }
  return HULL_STATUS_RUNNING;
}

const char *
hull_status_name (enum hull_status st)
{
  static const char *const names[] = { "creating", "created", "running", "paused", "stopped" };
  return names[st];
}

struct hull_config *
hull_state_config (struct hull_state *s, hull_error_t *err)
{
  char ebuf[256];
  yajl_val t;
  const char *text;
  struct hull_config *cfg;

  if (s->config_line == NULL)
    {
      hull_error_set (err, 0, "container \"%s\": no config saved (create was interrupted)", s->id);
      return NULL;
    }
  t = yajl_tree_parse (s->config_line, ebuf, sizeof ebuf);
  text = t ? hull_json_get_str (t, "hull_config") : NULL;
  cfg = text ? hull_config_parse (text, strlen (text), "config.json", err) : NULL;
  if (text == NULL)
    hull_error_set (err, 0, "container \"%s\": " STATE_FILE " is corrupt", s->id);
  yajl_tree_free (t);
  return cfg;
}

char *
hull_state_json_status (struct hull_state *s, enum hull_status status)
{
  yajl_gen g = hull_json_gen (false);
  yajl_gen_map_open (g);
  gen_public (g, s, status);
  yajl_gen_map_close (g);
  return hull_json_finish (g);
}

char *
hull_state_json (struct hull_state *s, bool pretty)
{
  yajl_gen g = hull_json_gen (pretty);
  yajl_gen_map_open (g);
  gen_public (g, s, hull_state_status (s));
  yajl_gen_map_close (g);
  return hull_json_finish (g);
}

static int
cmp_str (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

char **
hull_state_list (const char *root, hull_error_t *err)
{
  cleanup_dir DIR *d = opendir (root);
  struct dirent *de;
  size_t n = 0, cap = 16;
  char **ids;

  if (d == NULL)
    {
      if (errno == ENOENT)
        return xmalloc0 (sizeof (char *));
      hull_error_set (err, errno, "open state root \"%s\"", root);
      return NULL;
    }
  ids = xmalloc0 (cap * sizeof (char *));
  while ((de = readdir (d)))
    {
      if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0
          || (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN))
        continue;
      if (n + 2 > cap)
        {
          cap *= 2;
          ids = xrealloc (ids, cap * sizeof (char *));
        }
      ids[n++] = xstrdup (de->d_name);
    }
  ids[n] = NULL;
  qsort (ids, n, sizeof (char *), cmp_str);
  return ids;
}
