#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Rootless: containers run by an unprivileged user.
#
# setup_file creates a throw-away user with one subordinate id range in
# /etc/subuid and /etc/subgid; every test runs the runtime as that user
# (runuser) with a private XDG_RUNTIME_DIR, on a bundle made by
# `spec --rootless` as that user.  teardown_file kills whatever the user
# still runs, removes the user and restores /etc/subuid and /etc/subgid
# byte for byte.

load helpers

setup_file() {
	[ "$(id -u)" -eq 0 ] || skip "needs root to create the test user"
	local c
	for c in useradd userdel runuser newuidmap newgidmap jq; do
		command -v "$c" >/dev/null || skip "needs $c"
	done
	RL_SAVE=$(mktemp -d /tmp/hullrl-save.XXXXXX)
	export RL_SAVE
	cp -p /etc/subuid "$RL_SAVE/subuid"
	cp -p /etc/subgid "$RL_SAVE/subgid"
	for c in subuid- subgid-; do
		[ -e "/etc/$c" ] && touch "$RL_SAVE/had-$c"
	done
	export RL_USER="hullrl$$"
	# no automatic subordinate ids: the test writes its own lines
	useradd -M -U -d /nonexistent -s /bin/sh -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$RL_USER"
	RL_UID=$(id -u "$RL_USER")
	RL_GID=$(id -g "$RL_USER")
	export RL_UID RL_GID
	# a range of its own, far from the usual 100000+ allocations
	export RL_SUB=$((1000000 + ($$ % 1000) * 70000)) RL_SUBN=65536
	for c in subuid subgid; do
		[ -s "/etc/$c" ] && [ -n "$(tail -c1 "/etc/$c")" ] && echo >>"/etc/$c"
		echo "$RL_USER:$RL_SUB:$RL_SUBN" >>"/etc/$c"
	done
	RL_DIR=$(mktemp -d /tmp/hullrl.XXXXXX)
	export RL_DIR
	chmod 0711 "$RL_DIR"
	export RL_XDG=$RL_DIR/xdg
	mkdir -m 0700 "$RL_XDG"
	chown "$RL_UID:$RL_GID" "$RL_XDG"
}

# Kill every process of the test user or of its subordinate ids: all of
# them were started by this file.
kill_user_processes() {
	local pass d uid
	[ -n "${RL_UID:-}" ] || return 0
	for pass in 1 2 3; do
		for d in /proc/[0-9]*; do
			uid=$(awk '/^Uid:/ { print $2; exit }' "$d/status" 2>/dev/null) || continue
			[ -n "$uid" ] || continue
			if [ "$uid" -eq "$RL_UID" ] || { [ "$uid" -ge "$RL_SUB" ] && [ "$uid" -lt $((RL_SUB + RL_SUBN)) ]; }; then
				kill -9 "${d#/proc/}" 2>/dev/null || true
			fi
		done
	done
}

teardown_file() {
	[ -n "${RL_SAVE:-}" ] || return 0
	kill_user_processes
	if [ -n "${RL_USER:-}" ] && id "$RL_USER" >/dev/null 2>&1; then
		userdel "$RL_USER" || true
	fi
	# same inode, owner and mode; exactly the old bytes
	cat "$RL_SAVE/subuid" >/etc/subuid
	cat "$RL_SAVE/subgid" >/etc/subgid
	local c
	for c in subuid- subgid-; do
		[ -e "$RL_SAVE/had-$c" ] || rm -f "/etc/$c"
	done
	if [ -n "${RL_UID:-}" ]; then
		rm -rf "/tmp/hull-$RL_UID"
		rm -f "/dev/shm/libpod_rootless_lock_$RL_UID" # rootless podman's lock memory
	fi
	[ -n "${RL_DIR:-}" ] && rm -rf "$RL_DIR"
	rm -rf "$RL_SAVE"
}

# Run a command as the test user, with its runtime dir.
as_user() {
	runuser -u "$RL_USER" -- env HOME=/nonexistent XDG_RUNTIME_DIR="$RL_XDG" "$@"
}

# The runtime as the test user, with its default state root.
urt() {
	as_user timeout 60 "$RUNTIME" "$@"
}

# helpers.bash writes config.json 0600 through mktemp; the user must read it.
update_config() {
	local tmp
	tmp=$(mktemp "$BUNDLE/config.XXXXXX")
	jq "$@" "$BUNDLE/config.json" >"$tmp" && chmod 0644 "$tmp" && mv "$tmp" "$BUNDLE/config.json"
}

setup() {
	setup_bundle
	# the bundle directory belongs to the user, so that its spec can write there
	chown "$RL_UID:$RL_GID" "$BUNDLE"
	chmod 0755 "$BUNDLE"
	rm -f "$BUNDLE/config.json"
	(cd "$BUNDLE" && as_user "$RUNTIME" spec --rootless) || return 1
	update_config '.process.terminal = false | .process.args = ["true"]'
}

teardown() {
	local c
	for c in $(urt list -q 2>/dev/null); do
		urt delete -f "$c" >/dev/null 2>&1 || true
	done
	kill_user_processes
	teardown_bundle
}

# Wait until the user's `state $1` reports status $2 (at most ~10 s).
u_wait_status() {
	local i
	for i in $(seq 100); do
		[ "$(urt state "$1" 2>/dev/null | jq -r .status)" = "$2" ] && return 0
		sleep 0.1
	done
	echo "container $1 never reached status $2" >&2
	return 1
}

# State dirs and cgroups of container $1 left behind.
u_leftovers() {
	find "$RL_XDG/$RUNTIME_NAME" -mindepth 1 -maxdepth 1 -name "$1" 2>/dev/null
	cgroups_named "$1"
	true
}

# The user cannot write the cgroup hierarchy (no delegation on this host).
cgroups_unwritable() {
	local d
	for d in /sys/fs/cgroup/memory /sys/fs/cgroup/pids /sys/fs/cgroup; do
		[ -d "$d" ] || continue
		as_user test -w "$d" && return 1
	done
	return 0
}

# Host uid (field 2 of Uid:) of pid $1.
host_uid() {
	awk '/^Uid:/ { print $2; exit }' "/proc/$1/status"
}

@test "rootless: spec --rootless maps the user to root, without network namespace or resources" {
	run jq -c '[.linux.uidMappings, .linux.gidMappings, ([.linux.namespaces[].type] | index("user") != null, index("network") != null), .linux.resources]' "$BUNDLE/config.json"
	[ "$status" -eq 0 ]
	[ "$output" = "[[{\"containerID\":0,\"hostID\":$RL_UID,\"size\":1}],[{\"containerID\":0,\"hostID\":$RL_GID,\"size\":1}],true,false,null]" ]
	# no tty group on devpts (not mapped), and the host's /sys bound instead of a new sysfs
	run jq -r '.mounts[] | select(.destination == "/dev/pts") | .options | map(select(startswith("gid="))) | length' "$BUNDLE/config.json"
	[ "$output" = 0 ]
	run jq -r '.mounts[] | select(.destination == "/sys") | .options | index("rbind") != null' "$BUNDLE/config.json"
	[ "$output" = true ]
}

@test "rootless: run as the user: root inside is the user outside" {
	set_args sh -c 'id -u; id -g; awk "{ print \$1, \$2, \$3 }" /proc/self/uid_map /proc/self/gid_map'
	run urt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *$'0\n0\n'"0 $RL_UID 1"$'\n'"0 $RL_GID 1"* ]]
	# the default state root belongs to the user (hull: and only to the user)
	run stat -c '%u %a' "$RL_XDG/$RUNTIME_NAME"
	[ "${output% *}" = "$RL_UID" ]
	! is_hull || [ "$output" = "$RL_UID 700" ]
	[ -z "$(u_leftovers "$ID")" ]
}

@test "rootless: create, start, state, list, kill and delete as the user" {
	set_args sleep 1000
	run_detached urt create --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(urt state "$ID" | jq -r .status)" = created ]
	run urt list -q
	[ "$output" = "$ID" ]
	run urt start "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	u_wait_status "$ID" running
	pid=$(urt state "$ID" | jq -r .pid)
	[ "$(host_uid "$pid")" = "$RL_UID" ]
	run urt list --format json
	[ "$(echo "$output" | jq -r --arg id "$ID" '.[] | select(.id == $id) | .status')" = running ]
	run urt kill "$ID" KILL
	[ "$status" -eq 0 ]
	u_wait_status "$ID" stopped
	run urt delete "$ID"
	[ "$status" -eq 0 ]
	run urt state "$ID"
	[ "$status" -ne 0 ]
	[ -z "$(u_leftovers "$ID")" ]
}

@test "rootless: exec joins the container's namespaces" {
	set_args sleep 1000
	run_detached urt run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	run urt exec "$ID" sh -c 'id -u; cat /proc/1/cmdline | tr "\0" " "; echo; awk "{ print \$1, \$2, \$3 }" /proc/self/uid_map'
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *$'0\nsleep 1000 \n'"0 $RL_UID 1"* ]]
	run urt exec "$ID" sh -c 'exit 3'
	[ "$status" -eq 3 ]
	run urt delete -f "$ID"
	[ "$status" -eq 0 ]
	[ -z "$(u_leftovers "$ID")" ]
}

@test "rootless: several id ranges go through newuidmap and newgidmap" {
	update_config --argjson u "$RL_UID" --argjson g "$RL_GID" --argjson s "$RL_SUB" --argjson n "$RL_SUBN" '
		.linux.uidMappings = [{"containerID": 0, "hostID": $u, "size": 1},
		                      {"containerID": 1, "hostID": $s, "size": $n}] |
		.linux.gidMappings = [{"containerID": 0, "hostID": $g, "size": 1},
		                      {"containerID": 1, "hostID": $s, "size": $n}] |
		.process.user = {"uid": 1000, "gid": 1000}'
	set_args sleep 1000
	run_detached urt run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	pid=$(urt state "$ID" | jq -r .pid)
	# container uid 1000 is subordinate id 999 of the range
	[ "$(host_uid "$pid")" = $((RL_SUB + 999)) ]
	[ "$(awk '/^Gid:/ { print $2 }' "/proc/$pid/status")" = $((RL_SUB + 999)) ]
	run urt exec "$ID" sh -c 'id -u; id -g; awk "{ print \$1, \$2, \$3 }" /proc/self/uid_map'
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$output" = "1000"$'\n'"1000"$'\n'"0 $RL_UID 1"$'\n'"1 $RL_SUB $RL_SUBN" ] || { echo "$output"; false; }
}

@test "rootless: a range not delegated in /etc/subuid is refused" {
	update_config --argjson u "$RL_UID" --argjson g "$RL_GID" --argjson s "$((RL_SUB + RL_SUBN))" '
		.linux.uidMappings = [{"containerID": 0, "hostID": $u, "size": 1},
		                      {"containerID": 1, "hostID": $s, "size": 1000}] |
		.linux.gidMappings = [{"containerID": 0, "hostID": $g, "size": 1}]'
	run urt run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[ -z "$(u_leftovers "$ID")" ]
	if is_hull; then
		[[ "${lines[-1]}" == *"linux.uidMappings[1]: host ids $((RL_SUB + RL_SUBN))-$((RL_SUB + RL_SUBN + 999)) are not delegated to user \"$RL_USER\" (uid $RL_UID) in /etc/subuid"* ]]
	fi
}

@test "rootless: a missing newuidmap is named in the error" {
	# hull-only message; runc fails when it cannot exec the helper too
	requires_hull
	command -v unshare >/dev/null || skip "needs unshare"
	update_config --argjson u "$RL_UID" --argjson s "$RL_SUB" '
		.linux.uidMappings = [{"containerID": 0, "hostID": $u, "size": 1},
		                      {"containerID": 1, "hostID": $s, "size": 10}]'
	: >"$TESTDIR/not-a-helper"
	chmod 0644 "$TESTDIR/not-a-helper"
	# hide the helper in a private mount namespace only
	run unshare -m --propagation private sh -c '
		mount --bind "$1" "$(command -v newuidmap)" || exit 99
		shift
		exec "$@"' sh "$TESTDIR/not-a-helper" \
		runuser -u "$RL_USER" -- env XDG_RUNTIME_DIR="$RL_XDG" timeout 60 "$RUNTIME" run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ] && [ "$status" -ne 99 ]
	[[ "${lines[-1]}" == *"linux.uidMappings: mapping more than the caller's own id without privileges needs newuidmap"*"not installed"* ]]
	[ -z "$(u_leftovers "$ID")" ]
}

@test "rootless: limits that cannot be applied fail clearly" {
	cgroups_unwritable || skip "the user can write a cgroup hierarchy here"
	update_config '.linux.resources = {"memory": {"limit": 67108864}}'
	run urt run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[ -z "$(u_leftovers "$ID")" ]
	if is_hull; then
		[[ "${lines[-1]}" == *"linux.resources.memory.limit: cannot be applied: this user cannot write the cgroup"* ]]
	fi
}

@test "rootless: without limits the container runs without a cgroup, with a warning" {
	requires_hull # runc says nothing
	cgroups_unwritable || skip "the user can write a cgroup hierarchy here"
	# empty sections and "unlimited" values ask for nothing
	update_config '.linux.resources = {"memory": {"limit": -1}, "pids": {"limit": 0}, "cpu": {},
		"devices": [{"allow": false, "access": "rwm"}]}'
	set_args echo ran
	run urt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *"warning: rootless: cannot write the cgroup"*"running without a cgroup"* ]]
	[ "${lines[-1]}" = ran ]
}

@test "rootless: device nodes are bind-mounted from the host and usable" {
	# a user cannot mknod: the host's node at the same path is bound instead
	[ -c /dev/fuse ] || skip "needs /dev/fuse on the host"
	local maj min
	maj=$((0x$(stat -c %t /dev/fuse)))
	min=$((0x$(stat -c %T /dev/fuse)))
	update_config --argjson a "$maj" --argjson b "$min" \
		'.linux.devices = [{"path": "/dev/fuse", "type": "c", "major": $a, "minor": $b}]'
	set_args sh -c 'stat -c "%F %t %T" /dev/null /dev/fuse && echo x >/dev/null && grep -c " /dev/null \| /dev/fuse " /proc/self/mountinfo'
	run urt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *$'character special file 1 3\ncharacter special file '"$(printf %x "$maj") $(printf %x "$min")"$'\n2'* ]]
}

@test "rootless: sysfs without a network namespace becomes a read-only bind of /sys" {
	requires_hull # runc fails with EPERM (its rootless spec binds /sys itself)
	update_config '(.mounts[] | select(.destination == "/sys")) |= {"destination": "/sys",
		"type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]}'
	set_args sh -c 'grep " /sys " /proc/self/mountinfo; ls /sys/kernel >/dev/null && echo listed'
	run urt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *" /sys ro,"* ]]
	[ "${lines[-1]}" = listed ]
}

@test "rootless: devpts with an unmapped gid=5 is mounted without it" {
	requires_hull # runc fails with EINVAL
	update_config '(.mounts[] | select(.destination == "/dev/pts") | .options) += ["gid=5"]'
	set_args sh -c 'grep " /dev/pts " /proc/self/mountinfo'
	run urt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *" - devpts "* ]]
}

@test "rootless: oomScoreAdj can be raised; lowering it is skipped with a warning" {
	cur=$(as_user cat /proc/self/oom_score_adj)
	update_config --argjson v "$((cur + 100))" '.process.oomScoreAdj = $v'
	set_args cat /proc/self/oom_score_adj
	run urt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "${lines[-1]}" = $((cur + 100)) ]

	requires_hull # lowering is an error in runc
	[ "$cur" -gt -1000 ] || skip "already at the minimum"
	update_config --argjson v "$((cur - 1))" '.process.oomScoreAdj = $v'
	run urt run --bundle "$BUNDLE" "$ID-low"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *"process.oomScoreAdj: cannot set $((cur - 1))"* ]]
	[ "${lines[-1]}" = "$cur" ]
}

@test "rootless: without XDG_RUNTIME_DIR the state root is a private dir in /tmp" {
	requires_hull # runc has its own fallback
	local t=/tmp/hull-$RL_UID
	rm -rf "$t"
	run runuser -u "$RL_USER" -- env -u XDG_RUNTIME_DIR timeout 60 "$RUNTIME" list -q
	[ "$status" -eq 0 ]
	[ "$(stat -c '%u %a %F' "$t")" = "$RL_UID 700 directory" ]
	# XDG_RUNTIME_DIR of another user (runuser passes root's on) is not used
	run runuser -u "$RL_USER" -- env XDG_RUNTIME_DIR=/root timeout 60 "$RUNTIME" list -q
	[ "$status" -eq 0 ]
	# a directory planted by someone else is refused
	rm -rf "$t"
	mkdir -m 0777 "$t"
	run runuser -u "$RL_USER" -- env -u XDG_RUNTIME_DIR timeout 60 "$RUNTIME" list -q
	rm -rf "$t"
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *"state root \"$t\" belongs to uid 0, not to this user (uid $RL_UID)"* ]]
}

@test "rootless: podman as the user runs busybox with this runtime" {
	command -v podman >/dev/null && command -v conmon >/dev/null || skip "needs podman and conmon"
	local pm=$TESTDIR/podman
	mkdir -p "$pm/home" "$pm/run" "$pm/tmp"
	chmod 0700 "$pm/run"
	tar -C "$BUNDLE/rootfs" -cf "$pm/busybox.tar" .
	chown -R "$RL_UID:$RL_GID" "$pm"
	chmod 0755 "$pm"
	# everything podman keeps lives below $pm: nothing of the host's configuration is used or touched
	pmu() {
		runuser -u "$RL_USER" -- env HOME="$pm/home" XDG_RUNTIME_DIR="$pm/run" \
			XDG_CONFIG_HOME="$pm/home/.config" XDG_DATA_HOME="$pm/home/.local/share" \
			CONTAINERS_CONF=/dev/null CONTAINERS_REGISTRIES_CONF=/dev/null TMPDIR="$pm/tmp" \
			timeout 120 podman --root "$pm/home/storage" --runroot "$pm/run/containers" \
			--storage-driver vfs --cgroup-manager cgroupfs --events-backend file \
			--runtime "$RUNTIME" "$@"
	}
	run pmu import "$pm/busybox.tar" localhost/hullrl-busybox
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	run pmu run --rm --network none localhost/hullrl-busybox sh -c 'echo hello from podman; id -u'
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *$'hello from podman\n0'* ]]
	run pmu run -d --name "$ID" --network none localhost/hullrl-busybox sleep 1000
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	run pmu exec "$ID" sh -c 'echo exec ok'
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *"exec ok"* ]]
	run pmu rm -f -t 0 "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	run pmu ps -aq
	[ -z "$output" ]
}
