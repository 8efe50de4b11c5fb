/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `hull check` rules against the bundle's files: the rootfs, the program
 * of process.args[0] and process.cwd looked up inside the rootfs (never
 * leaving it, whatever its symlinks say), bind mount sources and hook
 * programs on the host.
 */
#include <config.h>
#include "bundle_check_internal.h"
#include "paths.h"
#include "utils.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* hull's PATH when process.env has none (as in hull_find_executable). */
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static bool
may_exec (const struct stat *sb, unsigned uid, unsigned gid)
{
  if (uid == 0)
    return (sb->st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != 0;
  if (sb->st_uid == uid)
    return (sb->st_mode & S_IXUSR) != 0;
  if (sb->st_gid == gid)
    return (sb->st_mode & S_IXGRP) != 0;
  return (sb->st_mode & S_IXOTH) != 0;
}

/* dir/name with dir made absolute against cwd ("" and "." are cwd). */
static char *
join_in_container (const char *cwd, const char *dir, const char *name)
{
  cleanup_free char *d = NULL;
  cleanup_free char *raw = NULL;

  if (dir[0] == '/')
    d = xstrdup (dir);
  else if (dir[0] == '\0')
    d = xstrdup (cwd);
  else
    d = xasprintf ("%s/%s", cwd, dir);
  raw = name ? xasprintf ("%s/%s", d, name) : xstrdup (d);
  return hull_path_clean (raw);
}

/* One candidate: what execve would find at container path p. */
static enum hull_check_exec
probe (int rootfd, const char *p, unsigned uid, unsigned gid)
{
  cleanup_close int fd = hull_path_resolve (rootfd, p, O_PATH | O_CLOEXEC, 0);
  struct stat sb;

  if (fd < 0 || fstat (fd, &sb) < 0)
    return HULL_CHECK_EXEC_NOT_FOUND;
  if (!S_ISREG (sb.st_mode))
    return HULL_CHECK_EXEC_NOT_REGULAR;
  return may_exec (&sb, uid, gid) ? HULL_CHECK_EXEC_OK : HULL_CHECK_EXEC_NOT_EXECUTABLE;
}

enum hull_check_exec
hull_check_find_exec (int rootfd, const char *name, const char *path_env, const char *cwd,
                      unsigned uid, unsigned gid, char **found)
{
  enum hull_check_exec best = HULL_CHECK_EXEC_NOT_FOUND;
  cleanup_free char *copy = NULL;
  char *dir, *save = NULL;

  if (found)
    *found = NULL;
  if (name == NULL || *name == '\0')
    return HULL_CHECK_EXEC_NOT_FOUND;
  if (cwd == NULL || cwd[0] != '/')
    cwd = "/";
  if (strchr (name, '/'))
    {
      char *p = join_in_container (cwd, name[0] == '/' ? "/" : "", name);
      best = probe (rootfd, p, uid, gid);
      if (found)
        *found = p;
      else
        free (p);
      return best;
    }
  /* Split by hand: strtok would drop empty entries, which mean the cwd. */
  copy = xstrdup (path_env ? path_env : DEFAULT_PATH);
  for (dir = copy; dir; dir = save)
    {
      char *colon = strchr (dir, ':');
      cleanup_free char *p = NULL;
      enum hull_check_exec r;

      save = colon ? colon + 1 : NULL;
      if (colon)
        *colon = '\0';
      p = join_in_container (cwd, dir, name);
      r = probe (rootfd, p, uid, gid);
      if (r == HULL_CHECK_EXEC_OK
          || (r == HULL_CHECK_EXEC_NOT_EXECUTABLE && best != HULL_CHECK_EXEC_NOT_EXECUTABLE)
          || (r == HULL_CHECK_EXEC_NOT_REGULAR && best == HULL_CHECK_EXEC_NOT_FOUND))
        {
          best = r;
          if (found)
            {
              free (*found);
              *found = take_ptr (p);
            }
          if (r == HULL_CHECK_EXEC_OK)
            break;
        }
    }
  return best;
}

/* Most levels of "#!" the kernel follows (BINPRM_MAX_RECURSION). */
#define MAX_INTERP_DEPTH 4
/* Longest PT_INTERP looked at, and most program headers read. */
#define MAX_INTERP_LEN 4096
#define MAX_PHDRS 256

/* The NUL-terminated string of len bytes at off in fd (a PT_INTERP segment), or NULL. */
static char *
read_interp (int fd, uint64_t off, uint64_t len)
{
  cleanup_free char *buf = NULL;

  if (len == 0 || len > MAX_INTERP_LEN)
    return NULL;
  buf = xmalloc0 (len + 1);
  if (pread (fd, buf, len, (off_t) off) != (ssize_t) len)
    return NULL;
  return take_ptr (buf);
}

/* PT_INTERP of an ELF file in the host's byte order (32 or 64 bit), or NULL. */
static char *
elf_interpreter (int fd, const unsigned char *ident)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const unsigned char native = ELFDATA2LSB;
#else
  const unsigned char native = ELFDATA2MSB;
#endif
  size_t i;

  if (ident[EI_DATA] != native)
    return NULL;
  if (ident[EI_CLASS] == ELFCLASS64)
    {
      Elf64_Ehdr eh;
      Elf64_Phdr ph;

      if (pread (fd, &eh, sizeof eh, 0) != (ssize_t) sizeof eh || eh.e_phentsize != sizeof ph)
        return NULL;
      for (i = 0; i < eh.e_phnum && i < MAX_PHDRS; i++)
        if (pread (fd, &ph, sizeof ph, (off_t) (eh.e_phoff + i * sizeof ph)) != (ssize_t) sizeof ph)
          return NULL;
        else if (ph.p_type == PT_INTERP)
          return read_interp (fd, ph.p_offset, ph.p_filesz);
    }
  else if (ident[EI_CLASS] == ELFCLASS32)
    {
      Elf32_Ehdr eh;
      Elf32_Phdr ph;

      if (pread (fd, &eh, sizeof eh, 0) != (ssize_t) sizeof eh || eh.e_phentsize != sizeof ph)
        return NULL;
      for (i = 0; i < eh.e_phnum && i < MAX_PHDRS; i++)
        if (pread (fd, &ph, sizeof ph, (off_t) (eh.e_phoff + i * sizeof ph)) != (ssize_t) sizeof ph)
          return NULL;
        else if (ph.p_type == PT_INTERP)
          return read_interp (fd, ph.p_offset, ph.p_filesz);
    }
  return NULL;
}

char *
hull_check_exec_interpreter (int rootfd, const char *p, const char *cwd, bool *script)
{
  cleanup_close int fd = hull_path_resolve (rootfd, p, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
  char head[256];
  ssize_t n;

  *script = false;
  if (fd < 0)
    return NULL;
  n = pread (fd, head, sizeof head - 1, 0);
  if (n < 4)
    return NULL;
  head[n] = '\0';
  if (head[0] == '#' && head[1] == '!')
    {
      char *s = head + 2, *e;
      s += strspn (s, " \t");
      e = s + strcspn (s, " \t\n");
      if (e == s || *e == '\0')
        return NULL; /* empty, or longer than what was read */
      *e = '\0';
      *script = true;
      return s[0] == '/' ? hull_path_clean (s) : join_in_container (cwd ? cwd : "/", "", s);
    }
  if (memcmp (head, ELFMAG, SELFMAG) == 0 && n >= EI_NIDENT)
    return elf_interpreter (fd, (const unsigned char *) head);
  return NULL;
}

/* Follow the interpreters of the program at container path prog (found for args[0]). */
static void
check_interpreters (struct chk *k, const char *name, const char *prog, const char *cwd,
                    unsigned uid, unsigned gid)
{
  cleanup_free char *cur = xstrdup (prog);
  int depth;

  for (depth = 0; depth < MAX_INTERP_DEPTH; depth++)
    {
      bool script;
      cleanup_free char *interp = hull_check_exec_interpreter (k->rootfd, cur, cwd, &script);
      const char *what = script ? "the #! interpreter" : "the dynamic loader";
      const char *hint = script ? "install the interpreter in the image or fix the #! line"
                                : "install the program's loader and libraries in the image, or "
                                  "use a statically linked program";
      enum hull_check_exec r;

      if (interp == NULL)
        return;
      r = probe (k->rootfd, interp, uid, gid);
      if (r == HULL_CHECK_EXEC_NOT_FOUND && chk_mount_covering (k, interp))
        return;
      if (r == HULL_CHECK_EXEC_NOT_FOUND)
        chk_error (k, "process.args[0]", hint, "\"%s\" (\"%s\" in the rootfs) needs %s \"%s\", "
                   "which does not exist in the rootfs", name, cur, what, interp);
      else if (r != HULL_CHECK_EXEC_OK)
        chk_error (k, "process.args[0]", hint, "\"%s\" (\"%s\" in the rootfs) needs %s \"%s\", "
                   "which is not an executable file", name, cur, what, interp);
      if (r != HULL_CHECK_EXEC_OK || !script)
        return;
      free (cur);
      cur = take_ptr (interp);
    }
}

static void
check_rootfs (struct chk *k)
{
  yajl_val root = chk_obj (k->doc, "root");
  const char *rp = chk_str (root, "path");
  cleanup_free char *full = NULL;
  char buf[PATH_MAX];
  struct stat sb;

  if (rp == NULL || *rp == '\0')
    return;
  full = rp[0] == '/' ? xstrdup (rp) : xasprintf ("%s/%s", k->bundle, rp);
  if (realpath (full, buf) == NULL)
    {
      if (errno == ENOENT)
        chk_error (k, "root.path", "unpack the image there, or point root.path at the root "
                   "filesystem (a relative path is taken from the bundle directory)",
                   "\"%s\" does not exist (looked for \"%s\")", rp, full);
      else
        chk_error (k, "root.path", "fix the permissions or the path", "\"%s\": %s", full,
                   hull_strerror (errno));
      return;
    }
  if (stat (buf, &sb) < 0 || !S_ISDIR (sb.st_mode))
    {
      chk_error (k, "root.path", "point root.path at a directory holding the root filesystem",
                 "\"%s\" is not a directory", buf);
      return;
    }
  k->rootfd = open (buf, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (k->rootfd < 0)
    {
      chk_error (k, "root.path", "fix the permissions or the path", "open \"%s\": %s", buf,
                 hull_strerror (errno));
      return;
    }
  k->rootfs = xstrdup (buf);
}

/* The PATH of process.env: the last PATH= entry, as hull's lookup uses. */
static const char *
env_path (yajl_val proc)
{
  yajl_val env = chk_arr (proc, "env");
  const char *path = NULL;
  size_t i;

  for (i = 0; env && i < env->u.array.len; i++)
    {
      yajl_val e = env->u.array.values[i];
      if (YAJL_IS_STRING (e) && strncmp (e->u.string, "PATH=", 5) == 0)
        path = e->u.string + 5;
    }
  return path;
}

/* A uid/gid of process.user, or 0 when absent or invalid. */
static unsigned
user_id (yajl_val proc, const char *key)
{
  yajl_val u = chk_obj (proc, "user"), v = cfg_member (u, key);
  return YAJL_IS_INTEGER (v) && v->u.number.i >= 0 && v->u.number.i <= UINT32_MAX
             ? (unsigned) v->u.number.i
             : 0;
}

/* Some directory of path_env (made absolute against cwd) under a mounts[] destination. */
static const char *
path_dir_covered (struct chk *k, const char *path_env, const char *cwd)
{
  cleanup_free char *copy = xstrdup (path_env);
  char *dir, *save = NULL;

  for (dir = copy; dir; dir = save)
    {
      char *colon = strchr (dir, ':');
      cleanup_free char *p = NULL;
      const char *m;

      save = colon ? colon + 1 : NULL;
      if (colon)
        *colon = '\0';
      p = join_in_container (cwd, dir, NULL);
      if ((m = chk_mount_covering (k, p)))
        return m;
    }
  return NULL;
}

static void
check_args0 (struct chk *k, yajl_val proc)
{
  yajl_val args = chk_arr (proc, "args");
  const char *name, *cwd = chk_str (proc, "cwd"), *path_env = env_path (proc);
  unsigned uid = user_id (proc, "uid"), gid = user_id (proc, "gid");
  cleanup_free char *found = NULL;
  const char *shown = path_env ? path_env : DEFAULT_PATH, *m;

  if (args == NULL || args->u.array.len == 0 || !YAJL_IS_STRING (args->u.array.values[0]))
    return;
  name = args->u.array.values[0]->u.string;
  if (*name == '\0')
    {
      chk_error (k, "process.args[0]", "give the program to run", "must not be empty");
      return;
    }
  if (cwd == NULL || cwd[0] != '/')
    cwd = "/";
  switch (hull_check_find_exec (k->rootfd, name, path_env, cwd, uid, gid, &found))
    {
    case HULL_CHECK_EXEC_OK:
      check_interpreters (k, name, found, cwd, uid, gid);
      return;
    case HULL_CHECK_EXEC_NOT_EXECUTABLE:
      chk_error (k, "process.args[0]", "make the file executable in the image (chmod +x)",
                 "\"%s\" (found at \"%s\" in the rootfs) is not executable for uid %u", name,
                 found, uid);
      return;
    case HULL_CHECK_EXEC_NOT_REGULAR:
      chk_error (k, "process.args[0]", "name a program file, not a directory",
                 "\"%s\" (found at \"%s\" in the rootfs) is not a regular file", name, found);
      return;
    case HULL_CHECK_EXEC_NOT_FOUND:
    default:
      break;
    }
  if (strchr (name, '/'))
    {
      if ((m = chk_mount_covering (k, found)))
        chk_warn (k, "process.args[0]", "make sure the mount provides the program",
                  "\"%s\" is not in the rootfs; it can only come from the mount at \"%s\"", found,
                  m);
      else
        chk_error (k, "process.args[0]", "install it in the image or fix the path",
                   "\"%s\" does not exist in the rootfs", found);
      return;
    }
  if ((m = path_dir_covered (k, shown, cwd)))
    chk_warn (k, "process.args[0]", "make sure the mount provides the program",
              "\"%s\" is not in the rootfs PATH (%s); it can only come from the mount at \"%s\"",
              name, shown, m);
  else
    chk_error (k, "process.args[0]", "install it in the image or use an absolute path",
               "\"%s\" not found in the rootfs PATH (%s)", name, shown);
}

static void
check_cwd (struct chk *k, yajl_val proc)
{
  const char *cwd = chk_str (proc, "cwd"), *m;
  cleanup_close int fd = -1;

  if (cwd == NULL || cwd[0] != '/')
    return;
  fd = hull_path_resolve (k->rootfd, cwd, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd >= 0)
    return;
  if (errno == ENOTDIR)
    chk_error (k, "process.cwd", "point process.cwd at a directory",
               "\"%s\" is not a directory in the rootfs", cwd);
  else if (errno != ENOENT)
    chk_error (k, "process.cwd", "fix the rootfs or process.cwd", "\"%s\": %s", cwd,
               hull_strerror (errno));
  else if ((m = chk_mount_covering (k, cwd)))
    chk_warn (k, "process.cwd", "make sure the directory exists on that mount",
              "\"%s\" does not exist in the rootfs; it is under the mount at \"%s\"", cwd, m);
  else
    chk_error (k, "process.cwd", "create the directory in the image or change process.cwd",
               "\"%s\" does not exist in the rootfs", cwd);
}

static bool
is_bind (yajl_val m)
{
  const char *type = chk_str (m, "type");
  yajl_val opts = chk_arr (m, "options");
  size_t i;

  if (type && strcmp (type, "bind") == 0)
    return true;
  for (i = 0; opts && i < opts->u.array.len; i++)
    {
      yajl_val o = opts->u.array.values[i];
      if (YAJL_IS_STRING (o) && (strcmp (o->u.string, "bind") == 0 || strcmp (o->u.string, "rbind") == 0))
        return true;
    }
  return false;
}

static void
check_mount_sources (struct chk *k)
{
  yajl_val a = chk_arr (k->doc, "mounts");
  size_t i;

  for (i = 0; a && i < a->u.array.len; i++)
    {
      yajl_val m = a->u.array.values[i];
      const char *src = chk_str (m, "source");
      cleanup_free char *full = NULL, *p = NULL;
      struct stat sb;

      if (src == NULL || *src == '\0' || !is_bind (m))
        continue;
      full = src[0] == '/' ? xstrdup (src) : xasprintf ("%s/%s", k->bundle, src);
      if (stat (full, &sb) == 0)
        continue;
      p = xasprintf ("mounts[%zu].source", i);
      if (errno == ENOENT)
        chk_error (k, p, "create it on the host, or fix the source (a relative source is taken "
                   "from the bundle directory)",
                   "\"%s\" does not exist on the host", full);
      else
        chk_error (k, p, "fix the source path or its permissions", "\"%s\": %s", full,
                   hull_strerror (errno));
    }
}

/* idmap/ridmap without the mount's own mappings uses the container's user namespace. */
static void
check_idmap_userns (struct chk *k)
{
  yajl_val a = chk_arr (k->doc, "mounts");

  for (size_t i = 0; a && !k->ns[HULL_NS_USER] && i < a->u.array.len; i++)
    {
      yajl_val m = a->u.array.values[i], um = chk_arr (m, "uidMappings");
      const char *opt = chk_mount_idmap_option (m);
      cleanup_free char *p = NULL;

      if (opt == NULL || (um && um->u.array.len))
        continue;
      p = xasprintf ("mounts[%zu]", i);
      chk_error (k, p, "give the mount uidMappings and gidMappings, or add a user namespace with "
                 "mappings to linux.namespaces",
                 "option \"%s\" without mappings takes the container's user namespace, and "
                 "there is none", opt);
    }
}

static void
check_hook_programs (struct chk *k)
{
  yajl_val hooks = chk_obj (k->doc, "hooks");
  size_t i, j;

  for (i = 0; hooks && i < hooks->u.object.len; i++)
    {
      yajl_val a = hooks->u.object.values[i];
      for (j = 0; YAJL_IS_ARRAY (a) && j < a->u.array.len; j++)
        {
          const char *path = chk_str (a->u.array.values[j], "path");
          cleanup_free char *p = NULL;
          struct stat sb;

          if (path == NULL || path[0] != '/')
            continue;
          p = xasprintf ("hooks.%s[%zu].path", hooks->u.object.keys[i], j);
          if (stat (path, &sb) < 0 && errno == ENOENT)
            chk_error (k, p, "install the hook program or fix the path (hooks run on the host)",
                       "\"%s\" does not exist on the host", path);
          else if (stat (path, &sb) < 0)
            chk_error (k, p, "install the hook program or fix the path (hooks run on the host)",
                       "\"%s\": %s", path, hull_strerror (errno));
          else if (!S_ISREG (sb.st_mode))
            chk_error (k, p, "name a program file", "\"%s\" is not a regular file", path);
          else if (access (path, X_OK) < 0)
            chk_error (k, p, "make it executable (chmod +x)", "\"%s\" is not executable", path);
        }
    }
}

void
chk_rules_rootfs (struct chk *k)
{
  yajl_val proc = chk_obj (k->doc, "process");

  check_rootfs (k);
  if (k->rootfd >= 0 && proc)
    {
      check_args0 (k, proc);
      check_cwd (k, proc);
    }
  check_mount_sources (k);
  check_idmap_userns (k);
  check_hook_programs (k);
}
