/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The runtime-spec "features document" printed by `hull features`
 * (features.md, features-linux.md): what this build of hull recognises and
 * implements, plus, for seccomp flags, what the running kernel supports.
 */
#ifndef HULL_RUNTIME_FEATURES_H
#define HULL_RUNTIME_FEATURES_H

#include <stddef.h>

#include "error.h"

/* Range of config.json ociVersion values hull accepts. */
#define HULL_OCI_VERSION_MIN "1.0.0"
#define HULL_OCI_VERSION_MAX "1.2.0"

/* The features document as pretty-printed JSON (malloc'ed), NULL + err on failure. */
HULL_PUBLIC char *hull_features_json (hull_error_t *err);

/* The i-th mount option (mounts[].options) hull recognises, NULL past the end (sorted). */
const char *hull_features_mount_option (size_t i);

#endif
