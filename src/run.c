/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "verbs.h"
#include "create_opts.h"
#include "container.h"

HULL_VERB (run)
{
  struct hull_create_opts o;
  hull_error_t err = NULL;
  int status = 0;
  int r = hull_parse_create_opts (g, argc, argv, true, &o);
  if (r)
    return r == -2 ? 0 : r;
  if (hull_container_run (&o, &status, &err) < 0)
    return hull_cli_fail (&err);
  return status;
}
