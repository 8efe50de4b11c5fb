/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef HULL_CREATE_OPTS_H
#define HULL_CREATE_OPTS_H
#include <stdbool.h>
#include "container.h"
#include "verbs.h"
/* Parse the flags of create (or run); 0 on success, -2 after --help, else an exit status. */
int hull_parse_create_opts (struct hull_globals *g, int argc, char **argv, bool run,
                            struct hull_create_opts *o);
#endif
