#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The client snippets in contrib/ are read by the real clients' parsers:
# containerd loads contrib/containerd/config.toml and registers the hull
# runtime with its binary; contrib/podman/containers.conf is valid TOML that
# names hull as a runtime and lists it in runtime_supports_json (without
# which conmon would not pass --log-format json).  TAP output.
set -u
src=${HULL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
echo "1..2"

ctr_conf=$src/contrib/containerd/config.toml
if ! command -v containerd >/dev/null 2>&1; then
	echo "ok 1 # SKIP containerd not installed"
else
	dump=$(containerd --config "$ctr_conf" config dump 2>&1)
	if printf '%s\n' "$dump" | grep -q 'runtimes.hull\]' &&
		printf '%s\n' "$dump" | grep -q 'BinaryName = "/usr/local/bin/hull"' &&
		printf '%s\n' "$dump" | grep -q 'runtime_type = "io.containerd.runc.v2"'; then
		echo "ok 1 containerd reads contrib/containerd/config.toml and registers hull"
	else
		echo "not ok 1 containerd does not register hull from contrib/containerd/config.toml"
		printf '%s\n' "$dump" | sed 's/^/# /' | head -40
	fi
fi

if python3 - "$src/contrib/podman/containers.conf" <<'PY'
import sys, tomllib
with open(sys.argv[1], "rb") as f:
    c = tomllib.load(f)
e = c["engine"]
assert "hull" in e["runtime_supports_json"], "hull missing from runtime_supports_json"
assert any(p.endswith("/hull") for p in e["runtimes"]["hull"]), "no hull path in engine.runtimes"
PY
then
	echo "ok 2 contrib/podman/containers.conf registers hull with JSON logging"
else
	echo "not ok 2 contrib/podman/containers.conf"
fi
