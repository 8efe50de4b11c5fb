#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Namespaces: new ones, joined ones (by path), user namespace maps, time
# offsets, cgroup namespace, idmapped mounts, and bad namespace paths.

load helpers

# Ids of the container's user namespace: two ranges, so that a map written
# as a single line would show.
UIDMAP='[{"containerID":0,"hostID":100000,"size":1000},{"containerID":1000,"hostID":300000,"size":64536}]'

setup() {
	setup_bundle
	HOLDER=
	HOLDER_PARENT=
	HOLDER_PIDS=()
}

teardown() {
	# Holders are `unshare --kill-child`: killing one takes its child along.
	local p
	for p in "${HOLDER_PIDS[@]}"; do
		kill -9 "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	teardown_bundle
}

# Field $1 (key=value) of the output of the last `run`.
field() {
	grep "^$1=" <<<"$output" | cut -d= -f2-
}

# Give the container a new user namespace with $UIDMAP for uids and gids, and
# hand the rootfs to its root.
use_userns() {
	update_config --argjson m "$UIDMAP" '.linux.namespaces += [{"type":"user"}]
		| .linux.uidMappings = $m | .linux.gidMappings = $m'
	chown -R 100000:100000 "$BUNDLE/rootfs"
}

# Add namespace type $1 to linux.namespaces unless it is there (`runc spec`
# leaves the cgroup namespace out on cgroup v1 hosts).
want_namespace() {
	update_config --arg t "$1" 'if any(.linux.namespaces[]; .type == $t) then . else .linux.namespaces += [{"type":$t}] end'
}

# Let the container's root chown (not in the default capabilities of `spec`).
allow_chown() {
	update_config '.process.capabilities.bounding += ["CAP_CHOWN"]
		| .process.capabilities.effective += ["CAP_CHOWN"]
		| .process.capabilities.permitted += ["CAP_CHOWN"]'
}

# start_holder UNSHARE-FLAGS...: a sleeping process in new namespaces, made
# by util-linux unshare; sets $HOLDER (its pid) and $HOLDER_PARENT (unshare,
# whose own namespaces are the same but for the pid namespace).
start_holder() {
	unshare "$@" --fork --kill-child sleep 1000 </dev/null >/dev/null 2>&1 3>&- &
	HOLDER_PARENT=$!
	HOLDER_PIDS+=("$HOLDER_PARENT")
	local i
	for i in $(seq 100); do
		HOLDER=$(tr -d ' ' <"/proc/$HOLDER_PARENT/task/$HOLDER_PARENT/children" 2>/dev/null || true)
		[ -n "$HOLDER" ] && return 0
		sleep 0.1
	done
	fail "the namespace holder did not start"
}

# Map ids 0-65535 of the user namespace of the last holder to host 100000-165535.
map_holder() {
	echo "0 100000 65536" >"/proc/$HOLDER_PARENT/uid_map"
	echo "0 100000 65536" >"/proc/$HOLDER_PARENT/gid_map"
}

# Inode of namespace $2 of pid $1.
ns_of() {
	stat -L -c %i "/proc/$1/ns/$2"
}

@test "pid, network, mount, ipc, uts, user and cgroup namespaces are all new" {
	require_hullinfo
	want_namespace cgroup
	use_userns
	set_args hullinfo ns
	run_ctr "$ID"
	[ "$status" -eq 0 ] || fail "status $status: $output"
	local ns
	for ns in pid net mnt ipc uts user cgroup; do
		[ -n "$(field "$ns")" ] || fail "no $ns in: $output"
		[ "$(field "$ns")" != "$(host_ns "$ns")" ] || fail "$ns namespace is the host's"
	done
	# Not asked for: the host's.
	[ "$(field time)" = "$(host_ns time)" ]
	[ -z "$(leftovers "$ID")" ]
}

@test "a time namespace is new when asked for (all eight namespaces new)" {
	requires_hull # runc 1.1 has no time namespaces
	require_hullinfo
	want_namespace cgroup
	use_userns
	update_config '.linux.namespaces += [{"type":"time"}]'
	set_args hullinfo ns
	run_ctr "$ID"
	[ "$status" -eq 0 ] || fail "status $status: $output"
	local ns
	for ns in pid net mnt ipc uts user cgroup time; do
		[ "$(field "$ns")" != "$(host_ns "$ns")" ] || fail "$ns namespace is the host's"
	done
	[ -z "$(leftovers "$ID")" ]
}

@test "cgroup namespace: /proc/self/cgroup shows the container's cgroups as /" {
	require_hullinfo
	want_namespace cgroup
	set_args hullinfo cgroup
	run_ctr "$ID"
	[ "$status" -eq 0 ] || fail "status $status: $output"
	[ -n "$output" ]
	# Every hierarchy, v1 and v2: "N:controllers:/".
	local bad
	bad=$(grep -v ':/$' <<<"$output" || true)
	[ -z "$bad" ] || fail "paths other than /: $bad"
	# Without a cgroup namespace the real path shows.
	drop_namespace cgroup
	run_ctr "$ID"
	[ "$status" -eq 0 ] || fail "status $status: $output"
	grep -q "$ID" <<<"$output"
	[ -z "$(leftovers "$ID")" ]
}

@test "user namespace with two id ranges: maps, root inside, mapped owners on the host" {
	require_hullinfo
	use_userns
	mkdir "$TESTDIR/vol" "$BUNDLE/rootfs/vol"
	chown 100000:100000 "$TESTDIR/vol"
	update_config --arg v "$TESTDIR/vol" '.root.readonly = false
		| .mounts += [{"source":$v,"destination":"/vol","type":"bind","options":["bind"]}]'
	allow_chown
	set_args sh -c 'hullinfo idmap && hullinfo ids && touch /vol/root /root/made-here && touch /vol/user && chown 1000:1000 /vol/user && touch /vol/mid && chown 999:999 /vol/mid'
	run_ctr "$ID"
	[ "$status" -eq 0 ] || fail "status $status: $output"
	# The kernel shows both lines of each map.
	[ "$(grep -c '^uid_map=' <<<"$output")" -eq 2 ]
	grep -qx 'uid_map=0 100000 1000' <<<"$output"
	grep -qx 'uid_map=1000 300000 64536' <<<"$output"
	grep -qx 'gid_map=1000 300000 64536' <<<"$output"
	[ "$(field uid)" = 0 ] && [ "$(field gid)" = 0 ] && [ "$(field euid)" = 0 ]
	# On the host the files belong to the mapped ids.
	[ "$(stat -c %u:%g "$TESTDIR/vol/root")" = 100000:100000 ]
	[ "$(stat -c %u:%g "$BUNDLE/rootfs/root/made-here")" = 100000:100000 ]
	[ "$(stat -c %u:%g "$TESTDIR/vol/mid")" = 100999:100999 ]
	[ "$(stat -c %u:%g "$TESTDIR/vol/user")" = 300000:300000 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "an unmapped host id shows as the overflow id; an unmapped id cannot be set" {
	require_hullinfo
	use_userns
	mkdir "$BUNDLE/rootfs/vol"
	update_config --arg v "$TESTDIR" '.root.readonly = false
		| .mounts += [{"source":$v,"destination":"/vol","type":"bind","options":["bind","ro"]}]'
	# $TESTDIR belongs to host root, which is not mapped.
	allow_chown
	set_args sh -c 'stat -c %u:%g /vol; chown 1000 /tmp && echo mapped-ok; chown 70000 /tmp 2>/dev/null || echo unmapped-refused'
	run_ctr "$ID"
	[ "$status" -eq 0 ] || fail "status $status: $output"
	[ "$output" = "$(printf '65534:65534\nmapped-ok\nunmapped-refused')" ] || fail "got: $output"
	[ "$(stat -c %u "$BUNDLE/rootfs/tmp")" = 300000 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "network, ipc, uts, pid and mount namespaces are joined by path" {
	require_hullinfo
	start_holder --net --ipc --uts --pid --mount
	update_config --arg p "/proc/$HOLDER/ns" '.linux.namespaces = [
		{"type":"network","path":($p+"/net")}, {"type":"ipc","path":($p+"/ipc")},
		{"type":"uts","path":($p+"/uts")}, {"type":"pid","path":($p+"/pid")},
		{"type":"mount","path":($p+"/mnt")}, {"type":"cgroup"}]'
	set_args sh -c 'hullinfo ns; echo "me=$$"'
	run_ctr "$ID"
	[ "$status" -eq 0 ] || fail "status $status: $output"
	local ns
	for ns in net ipc uts pid mnt; do
		[ "$(field "$ns")" = "$(ns_of "$HOLDER" "$ns")" ] || fail "$ns: $(field "$ns") is not the holder's"
	done
	[ "$(field cgroup)" != "$(host_ns cgroup)" ]
	# The holder is pid 1 of that pid namespace; the shell is another process in it.
	[ "$(field me)" -gt 1 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "joining a pid namespace by path: the container init is in it (seen from the host)" {
	require_hullinfo
	start_holder --pid
	update_config --arg p "/proc/$HOLDER/ns/pid" '.linux.namespaces |= map(if .type == "pid" then .path = $p else . end)'
	set_args hullinfo sleep
	run_d "$ID"
	[ "$status" -eq 0 ] || fail "status $status: $output"
	local pid
	pid=$(state_field "$ID" pid)
	[ "$(ns_of "$pid" pid)" = "$(ns_of "$HOLDER" pid)" ]
	# NSpid: the host's number, then the number in the holder's namespace.
	local nspid
	nspid=$(awk '/^NSpid:/ {print NF - 1, $3}' "/proc/$pid/status")
	[ "${nspid% *}" = 2 ]
	[ "${nspid#* }" -gt 1 ]
	rt kill "$ID" KILL
	wait_status "$ID" stopped
	rt delete "$ID"
	[ -z "$(leftovers "$ID")" ]
}

@test "a user namespace is joined by path first, then the namespaces it owns" {
	require_hullinfo
	# The maps in the config only describe the holder's (runc wants them);
	# nothing is written to a joined user namespace.
	start_holder --user --net --ipc --uts --pid
	map_holder
	chown -R 100000:100000 "$BUNDLE/rootfs"
	mkdir "$TESTDIR/vol" "$BUNDLE/rootfs/vol"
	chown 100000:100000 "$TESTDIR/vol"
	update_config --arg p "/proc/$HOLDER/ns" --arg v "$TESTDIR/vol" '.linux.namespaces = [
		{"type":"pid","path":($p+"/pid")}, {"type":"network","path":($p+"/net")},
		{"type":"ipc","path":($p+"/ipc")}, {"type":"uts","path":($p+"/uts")},
		{"type":"mount"}, {"type":"cgroup"}, {"type":"user","path":($p+"/user")}]
		| .linux.uidMappings = [{"containerID":0,"hostID":100000,"size":65536}]
		| .linux.gidMappings = .linux.uidMappings
		| .mounts += [{"source":$v,"destination":"/vol","type":"bind","options":["bind"]}]'
	set_args sh -c 'hullinfo ns; hullinfo ids; hullinfo idmap; touch /vol/f'
	run_ctr "$ID"
	[ "$status" -eq 0 ] || fail "status $status: $output"
	local ns
	for ns in user pid net ipc uts; do
		[ "$(field "$ns")" = "$(ns_of "$HOLDER" "$ns")" ] || fail "$ns is not the holder's"
	done
	[ "$(field mnt)" != "$(ns_of "$HOLDER" mnt)" ]
	[ "$(field uid)" = 0 ]
	grep -qx 'uid_map=0 100000 65536' <<<"$output"
	[ "$(stat -c %u:%g "$TESTDIR/vol/f")" = 100000:100000 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "a user namespace path naming the host's own user namespace joins nothing" {
	requires_hull # runc 1.1 fails: setns into the user namespace it is in
	require_hullinfo
	update_config --arg p "/proc/$$/ns/user" '.linux.namespaces += [{"type":"user","path":$p}]
		| .linux.uidMappings = [{"containerID":0,"hostID":0,"size":4294967295}]
		| .linux.gidMappings = .linux.uidMappings'
	set_args sh -c 'hullinfo ns; hullinfo ids'
	run_ctr "$ID"
	[ "$status" -eq 0 ] || fail "status $status: $output"
	[ "$(field user)" = "$(host_ns user)" ]
	[ "$(field uid)" = 0 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "a joined user namespace and a namespace it does not own (joined before it)" {
	requires_hull # runc 1.1 joins the user namespace first and then lacks the privilege
	require_hullinfo
	start_holder --net
	local hostnet=$HOLDER
	start_holder --user --uts
	map_holder
	chown -R 100000:100000 "$BUNDLE/rootfs"
	update_config --arg p "/proc/$HOLDER/ns" --arg n "/proc/$hostnet/ns/net" '.linux.namespaces = [
		{"type":"user","path":($p+"/user")}, {"type":"uts","path":($p+"/uts")},
		{"type":"network","path":$n}, {"type":"pid"}, {"type":"ipc"}, {"type":"mount"}]
		| .linux.uidMappings = [{"containerID":0,"hostID":100000,"size":65536}]
		| .linux.gidMappings = .linux.uidMappings'
	set_args sh -c 'hullinfo ns; hullinfo ids'
	run_ctr "$ID"
	[ "$status" -eq 0 ] || fail "status $status: $output"
	[ "$(field user)" = "$(ns_of "$HOLDER" user)" ]
	[ "$(field uts)" = "$(ns_of "$HOLDER" uts)" ]
	[ "$(field net)" = "$(ns_of "$hostnet" net)" ]
	[ "$(field uid)" = 0 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "a new user namespace after joining a host-owned namespace gets all its id ranges" {
	# runc 1.1 fails to mount sysfs there (hull binds the host's /sys).
	requires_hull
	require_hullinfo
	# The network namespace is joined first (it belongs to the host's user
	# namespace), the user namespace is made afterwards and mapped by the parent.
	start_holder --net
	use_userns
	update_config --arg p "/proc/$HOLDER/ns/net" '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)'
	set_args sh -c 'hullinfo ns; hullinfo idmap; hullinfo ids'
	run_ctr "$ID"
	[ "$status" -eq 0 ] || fail "status $status: $output"
	[ "$(field net)" = "$(ns_of "$HOLDER" net)" ]
	[ "$(field user)" != "$(host_ns user)" ]
	grep -qx 'uid_map=0 100000 1000' <<<"$output"
	grep -qx 'uid_map=1000 300000 64536' <<<"$output"
	grep -qx 'gid_map=0 100000 1000' <<<"$output"
	[ "$(field uid)" = 0 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "exec enters a container whose network namespace its user namespace does not own" {
	requires_hull # runc 1.1 cannot create this container (sysfs)
	require_hullinfo
	start_holder --net
	use_userns
	update_config --arg p "/proc/$HOLDER/ns/net" '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)'
	set_args hullinfo sleep
	run_d "$ID"
	[ "$status" -eq 0 ] || fail "status $status: $output"
	run rt exec "$ID" sh -c 'hullinfo ns; hullinfo ids'
	[ "$status" -eq 0 ] || fail "status $status: $output"
	[ "$(field net)" = "$(ns_of "$HOLDER" net)" ]
	[ "$(field user)" = "$(ns_of "$(state_field "$ID" pid)" user)" ]
	[ "$(field uid)" = 0 ]
	rt kill "$ID" KILL
	wait_status "$ID" stopped
	rt delete "$ID"
	[ -z "$(leftovers "$ID")" ]
}

# check_clock NAME OFFSET BEFORE AFTER [CARRY]: the container's value of clock
# NAME (from $output) is a host reading between BEFORE and AFTER plus OFFSET
# (whole seconds; CARRY=1 when the offset has nanoseconds that may carry).
check_clock() {
	local v
	v=$(field "$1")
	[ -n "$v" ] || fail "no $1 in: $output"
	[ "$v" -ge $(($3 + $2)) ] && [ "$v" -le $(($4 + $2 + ${5:-0})) ] || fail "$1=$v, host $3..$4, offset $2"
}

@test "linux.timeOffsets move CLOCK_MONOTONIC and CLOCK_BOOTTIME in a new time namespace" {
	requires_hull # runc 1.1 has no time namespaces
	require_hullinfo
	update_config '.linux.namespaces += [{"type":"time"}]
		| .linux.timeOffsets = {"monotonic":{"secs":1000000,"nanosecs":0},"boottime":{"secs":2000000,"nanosecs":500}}'
	set_args sh -c 'hullinfo clocks; hullinfo ns; echo "uptime=$(cut -d. -f1 /proc/uptime)"'
	local before after
	before=$("$HULLINFO" clocks)
	run_ctr "$ID"
	after=$("$HULLINFO" clocks)
	[ "$status" -eq 0 ] || fail "status $status: $output"
	check_clock monotonic 1000000 "$(grep ^monotonic= <<<"$before" | cut -d= -f2)" "$(grep ^monotonic= <<<"$after" | cut -d= -f2)"
	check_clock boottime 2000000 "$(grep ^boottime= <<<"$before" | cut -d= -f2)" "$(grep ^boottime= <<<"$after" | cut -d= -f2)" 1
	check_clock uptime 2000000 "$(grep ^boottime= <<<"$before" | cut -d= -f2)" "$(grep ^boottime= <<<"$after" | cut -d= -f2)" 1
	[ "$(field time)" != "$(host_ns time)" ]
	[ -z "$(leftovers "$ID")" ]
}

@test "linux.timeOffsets with a new user namespace (unshared in the child, then mapped)" {
	requires_hull
	require_hullinfo
	use_userns
	update_config '.linux.namespaces += [{"type":"time"}] | .linux.timeOffsets = {"monotonic":{"secs":86400,"nanosecs":0}}'
	set_args sh -c 'hullinfo clocks; hullinfo ids; hullinfo idmap; hullinfo pid'
	local before after
	before=$("$HULLINFO" clocks)
	run_ctr "$ID"
	after=$("$HULLINFO" clocks)
	[ "$status" -eq 0 ] || fail "status $status: $output"
	check_clock monotonic 86400 "$(grep ^monotonic= <<<"$before" | cut -d= -f2)" "$(grep ^monotonic= <<<"$after" | cut -d= -f2)"
	check_clock boottime 0 "$(grep ^boottime= <<<"$before" | cut -d= -f2)" "$(grep ^boottime= <<<"$after" | cut -d= -f2)"
	[ "$(field uid)" = 0 ]
	grep -qx 'uid_map=1000 300000 64536' <<<"$output"
	# The extra fork made the shell pid 1 of the new pid namespace.
	[ "$(field pid)" = 1 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "linux.timeOffsets: nanosecs may be left out" {
	requires_hull
	require_hullinfo
	update_config '.linux.namespaces += [{"type":"time"}] | .linux.timeOffsets = {"boottime":{"secs":5000000}}'
	set_args hullinfo clocks
	local before after
	before=$("$HULLINFO" clocks)
	run_ctr "$ID"
	after=$("$HULLINFO" clocks)
	[ "$status" -eq 0 ] || fail "status $status: $output"
	check_clock boottime 5000000 "$(grep ^boottime= <<<"$before" | cut -d= -f2)" "$(grep ^boottime= <<<"$after" | cut -d= -f2)"
	[ -z "$(leftovers "$ID")" ]
}

@test "linux.timeOffsets without a new time namespace is an error" {
	requires_hull
	update_config '.linux.timeOffsets = {"monotonic":{"secs":10}}'
	run_ctr "$ID"
	[ "$status" -ne 0 ]
	grep -q 'timeOffsets' <<<"${lines[-1]}"
	[ -z "$(leftovers "$ID")" ]
}

@test "idmapped mounts in a user-namespaced container (the container's map, and the mount's own)" {
	requires_hull # runc 1.1 has no idmapped mounts
	require_hullinfo
	use_userns
	mkdir -p "$TESTDIR/vol" "$TESTDIR/own" "$BUNDLE/rootfs/vol" "$BUNDLE/rootfs/plain" "$BUNDLE/rootfs/own"
	touch "$TESTDIR/vol/f" "$TESTDIR/own/g"
	chown 2000:2001 "$TESTDIR/own/g"
	update_config --arg v "$TESTDIR/vol" --arg o "$TESTDIR/own" '.mounts += [
		{"source":$v,"destination":"/vol","type":"bind","options":["bind","idmap"]},
		{"source":$v,"destination":"/plain","type":"bind","options":["bind"]},
		{"source":$o,"destination":"/own","type":"bind","options":["rbind","ridmap"],
		 "uidMappings":[{"containerID":2000,"hostID":100007,"size":1}],
		 "gidMappings":[{"containerID":2001,"hostID":100008,"size":1}]}]'
	set_args sh -c 'echo "vol=$(stat -c %u:%g /vol/f)"; echo "plain=$(stat -c %u:%g /plain/f)"; echo "own=$(stat -c %u:%g /own/g)"; touch /vol/new'
	run_ctr "$ID"
	[ "$status" -eq 0 ] || fail "status $status: $output"
	# Host root's file, idmapped with the container's map: root inside.
	[ "$(field vol)" = 0:0 ]
	# The same directory without idmap: host root is not mapped.
	[ "$(field plain)" = 65534:65534 ]
	# The mount's own map: on-disk 2000 -> host 100007 -> 7 in the container.
	[ "$(field own)" = 7:8 ]
	# Written by the container's root through the idmapped mount: host root's.
	[ "$(stat -c %u:%g "$TESTDIR/vol/new")" = 0:0 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "a namespace path that does not exist: one line naming the field, nothing left behind" {
	update_config '.linux.namespaces |= map(if .type == "network" then .path = "/proc/no-such-pid/ns/net" else . end)'
	run_ctr "$ID"
	[ "$status" -ne 0 ]
	[ -z "$(leftovers "$ID")" ]
	requires_hull
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == *'linux.namespaces[1].path: open "/proc/no-such-pid/ns/net": no such file or directory'* ]]
}

@test "a namespace path that is not a namespace file is refused" {
	local i=0 path
	for path in "$BUNDLE/config.json" /proc /dev/null; do
		update_config --arg p "$path" '.linux.namespaces |= map(if .type == "ipc" then .path = $p else . end)'
		run_ctr "$ID-$i"
		[ "$status" -ne 0 ]
		[ -z "$(leftovers "$ID")" ]
		if is_hull; then
			[ "${#lines[@]}" -eq 1 ]
			[[ "${lines[0]}" == *"linux.namespaces[2].path: \"$path\" is not a namespace file"* ]]
		fi
		i=$((i + 1))
	done
}

@test "a namespace path of another type is refused before anything runs" {
	start_holder --net --uts
	update_config --arg p "/proc/$HOLDER/ns/net" '.linux.namespaces |= map(if .type == "uts" then .path = $p else . end)'
	set_args sh -c "touch $TESTDIR/ran"
	run_ctr "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$TESTDIR/ran" ]
	[ -z "$(leftovers "$ID")" ]
	requires_hull
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == *"linux.namespaces[3].path: \"/proc/$HOLDER/ns/net\" is a namespace of type \"network\", not \"uts\""* ]]
}
