/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the state store (state.jsonl: the config line, appended
 * states, a line cut short, corruption) and of rfc3339_utc, which formats
 * the "created" time without the C library's time zone code.
 */
#include <config.h>
#include "config.h"
#include "state.h"
#include "utils.h"
#include "tap.h"

#include <fcntl.h>
#include <time.h>

static char root[64];

static void
test_rfc3339 (void)
{
  static const long long fixed[] = { 0, -1, 86399, 86400, 951782400, 951868799, 4107542399LL,
                                     4107542400LL, 253402300799LL, -62135596800LL, 1796174330 };
  unsigned long long x = 88172645463325252ULL;
  int bad = 0;

  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0] + 20000; i++)
    {
      long long sec;
      time_t t;
      struct tm tm;
      char want[80], got[64];

      if (i < sizeof fixed / sizeof fixed[0])
        sec = fixed[i];
      else
        {
          x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift */
          sec = (long long) (x % 20000000000ULL) - 10000000000LL; /* 1653 .. 2286 */
        }
      t = (time_t) sec;
      gmtime_r (&t, &tm);
      snprintf (want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, 5L);
      rfc3339_utc (got, sizeof got, sec, 5);
      if (strcmp (got, want) != 0 && bad++ < 5)
        diag ("%lld: got %s, want %s", sec, got, want);
    }
  ok (bad == 0, "rfc3339_utc agrees with gmtime_r on 20000 times from 1653 to 2286 and the edges");
  {
    char s[64];
    rfc3339_utc (s, sizeof s, 951782400, 123456789);
    is_str (s, "2000-02-29T00:00:00.123456789Z", "a leap day, nanoseconds kept");
  }
}

static void
append_raw (const char *id, const char *text)
{
  cleanup_free char *p = xasprintf ("%s/%s/state.jsonl", root, id);
  int fd = open (p, O_WRONLY | O_APPEND | O_CREAT, 0600);
  if (fd >= 0)
    {
      write_all (fd, text, strlen (text));
      close (fd);
    }
}

static void
test_state_log (void)
{
  const char *cfgtext = "{\n  \"ociVersion\": \"1.2.0\",\n  \"root\": {\"path\": \"rootfs\"},\n"
                        "  \"annotations\": {\"a\": \"line\\nbreak \\\"q\\\"\"}\n}\n";
  hull_error_t err = NULL;
  struct hull_state *s = hull_state_new (root, "c1", &err);
  struct hull_config *cfg;

  ok (s != NULL, "state_new makes the directory");
  if (s == NULL)
    return;
  s->config_text = xstrdup (cfgtext);
  s->bundle = xstrdup ("/b");
  ok (hull_state_save (s, &err) == 0, "first save");
  s->pid = 4242;
  s->start_time = 7;
  ok (hull_state_save (s, &err) == 0, "second save appends");
  hull_state_free (s);

  s = hull_state_load (root, "c1", &err);
  ok (s && s->pid == 4242 && s->start_time == 7, "load sees the last save");
  cfg = s ? hull_state_config (s, &err) : NULL;
  if (cfg == NULL && err)
    diag ("%s", err->msg);
  ok (cfg && cfg->oci_version && strcmp (cfg->oci_version, "1.2.0") == 0
          && cfg->annotations_len == 1 && strcmp (cfg->annotations[0].value, "line\nbreak \"q\"") == 0,
      "the config comes back from the first line, newlines and escapes intact");
  hull_config_free (cfg);
  hull_state_free (s);

  /* a save cut short by a crash: no newline at the end */
  append_raw ("c1", "{\"ociVersion\":\"1.2.0\",\"id\":\"c1\",\"pid\":999");
  s = hull_state_load (root, "c1", &err);
  ok (s && s->pid == 4242, "a last line without its newline does not count");
  hull_state_free (s);

  append_raw ("c1", "\ngarbage\n");
  s = hull_state_load (root, "c1", &err);
  ok (s == NULL && err && strstr (err->msg, "state.jsonl is corrupt"), "a complete line that is not JSON is an error");
  hull_error_free (&err);
  hull_state_free (s);

  /* interrupted create: only the config line, or no file at all */
  s = hull_state_new (root, "c2", &err);
  hull_state_free (s);
  append_raw ("c2", "{\"hull_config\":\"{}\"}\n");
  s = hull_state_load (root, "c2", &err);
  ok (s && s->pid == 0 && hull_state_status (s) == HULL_STATUS_CREATING, "only the config line: creating");
  hull_state_free (s);
  s = hull_state_new (root, "c3", &err);
  hull_state_free (s);
  s = hull_state_load (root, "c3", &err);
  ok (s && s->pid == 0 && hull_state_status (s) == HULL_STATUS_CREATING, "no state file: creating");
  cfg = s ? hull_state_config (s, &err) : NULL;
  ok (cfg == NULL && err && strstr (err->msg, "no config saved"), "and no config to give");
  hull_error_free (&err);
  hull_state_free (s);

}

int
main (void)
{
  strcpy (root, "/tmp/hull-unit-state.XXXXXX");
  if (mkdtemp (root) == NULL)
    return 1;
  test_rfc3339 ();
  test_state_log ();
  {
    cleanup_free char *cmd = xasprintf ("rm -rf '%s'", root); /* c1 is corrupt on purpose */
    if (system (cmd) != 0)
      diag ("could not remove %s", root);
  }
  return tap_done ();
}
