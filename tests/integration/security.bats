#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Attacks a container (or its config) can try on the runtime and the host.
# Each test makes the attempt and checks that it fails to escape: the host
# file is untouched, the runtime binary cannot be reached, the container
# sees only what it should.  Then that nothing is left behind.

load helpers
load debris

setup() {
	setup_bundle
	mark_bundle
	require_hullinfo
}

teardown() {
	teardown_bundle
}

# process.args = sh -c SCRIPT (set_args takes one line per argument).
set_script() {
	update_config --arg s "$1" '.process.args = ["sh", "-c", $s]'
}

# ---- CVE-2019-5736: overwriting the runtime binary ------------------------

@test "CVE-2019-5736: /proc/self/exe in the container is the workload, not the runtime" {
	local sum
	sum=$(sha256sum <"$RUNTIME")
	set_args sh -c 'readlink /proc/self/exe; hullinfo open-write /proc/self/exe; readlink /proc/1/exe'
	run_ctr "$ID" </dev/null
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = /bin/busybox ]
	# hullinfo's own exe is busy (it is running), never "ok".
	[ "${lines[1]}" != ok ]
	[ "${lines[2]}" = /bin/busybox ]
	[ "$(sha256sum <"$RUNTIME")" = "$sum" ]
	assert_no_debris
}

@test "CVE-2019-5736: no runtime process is visible or writable from inside, also during exec" {
	local sum
	sum=$(sha256sum <"$RUNTIME")
	set_args hullinfo sleep
	run_detached rtm run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	# Every process the container can see: its exe, and an open for writing.
	run rtm exec "$ID" sh -c 'for p in /proc/[0-9]*; do
		e=$(readlink "$p/exe" 2>/dev/null) || continue
		echo "${p#/proc/} $e $(hullinfo open-write "$p/exe")"
	done'
	[ "$status" -eq 0 ]
	echo "$output"
	[ "${#lines[@]}" -ge 2 ] # the init and the exec'd shell at least
	local l e
	for l in "${lines[@]}"; do
		e=${l#* }
		e=${e%% *}
		[ "$e" != "$RUNTIME" ] && [ "${e##*/}" != "$RUNTIME_NAME" ] || fail "runtime visible: $l"
		[[ "$l" != *" ok" ]] || fail "an exe is writable: $l"
	done
	[ "$(sha256sum <"$RUNTIME")" = "$sum" ]
	rtm delete --force "$ID"
	assert_no_debris
}

# ---- CVE-2024-21626: leaked fds and cwd -----------------------------------

@test "CVE-2024-21626: the container init and exec see only fds 0, 1 and 2" {
	set_args hullinfo fds
	run_ctr "$ID" </dev/null
	[ "$status" -eq 0 ]
	[ "$(cut -d= -f1 <<<"$output" | sort -n | tr '\n' ' ')" = "0 1 2 " ] || fail "fds: $output"

	set_args hullinfo sleep
	run_detached rtm run -d --bundle "$BUNDLE" "$ID-e"
	[ "$status" -eq 0 ]
	run rtm exec "$ID-e" hullinfo fds </dev/null
	[ "$status" -eq 0 ]
	[ "$(cut -d= -f1 <<<"$output" | sort -n | tr '\n' ' ')" = "0 1 2 " ] || fail "exec fds: $output"
	rtm delete --force "$ID-e"
	assert_no_debris
}

# A cwd of /proc/self/fd/N may only ever name something of the container.
check_cwd_attempt() {
	[[ "$output" != *"(unreachable)"* ]] || fail "cwd outside the root: $output"
	if [ "$status" -eq 0 ]; then
		# Landed somewhere inside: the path must exist in the container's
		# own tree, and .. from it must stay in it.
		[[ "$output" == *cwd=/* ]] || fail "no cwd: $output"
		[[ "$output" != *"$TESTDIR"* ]] || fail "a host path: $output"
	fi
}

@test "CVE-2024-21626: process.cwd /proc/self/fd/N is refused or stays in the rootfs" {
	local n
	for n in 3 4 5 6 7 8 9 10; do
		update_config --arg c "/proc/self/fd/$n" '.process.cwd = $c'
		set_args sh -c 'hullinfo cwd; ls ../../../../ | head -3'
		run_ctr "$ID-$n" </dev/null
		echo "# cwd fd $n: status $status: $output"
		check_cwd_attempt
	done
	assert_no_debris
}

@test "CVE-2024-21626: exec --cwd /proc/self/fd/N is refused or stays in the rootfs" {
	set_args hullinfo sleep
	run_detached rtm run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	local n
	for n in 3 4 5 6 7 8 9 10; do
		run rtm exec --cwd "/proc/self/fd/$n" "$ID" hullinfo cwd </dev/null
		echo "# exec cwd fd $n: status $status: $output"
		check_cwd_attempt
	done
	rtm delete --force "$ID"
	assert_no_debris
}

# ---- symlinks out of the rootfs -------------------------------------------

@test "symlink: a mount destination through /escape -> host dir stays in the rootfs" {
	mkdir "$TESTDIR/hostdir"
	ln -s "$TESTDIR/hostdir" "$BUNDLE/rootfs/escape"
	ln -s ../../../../../../../.. "$BUNDLE/rootfs/escape2"
	update_config '.mounts += [{"destination": "/escape/new", "type": "tmpfs", "source": "tmpfs"},
		{"destination": "/escape2/new2", "type": "tmpfs", "source": "tmpfs"}]'
	set_args sh -c 'touch /escape/new/x /escape2/new2/y && echo done'
	run_ctr "$ID" </dev/null
	echo "# status $status: $output"
	# Nothing may appear on the host, whether the runtime refused or resolved in the root.
	[ -z "$(ls -A "$TESTDIR/hostdir")" ] || fail "created on the host: $(ls -A "$TESTDIR/hostdir")"
	[ ! -e /new2 ]
	if [ "$status" -eq 0 ]; then
		[ "${lines[-1]}" = done ]
		# Resolved in the root: /escape -> $TESTDIR/hostdir inside the rootfs.
		[ -d "$BUNDLE/rootfs$TESTDIR/hostdir/new" ] || fail "mountpoint not made in the rootfs"
		[ -d "$BUNDLE/rootfs/new2" ] || fail "relative escape not clamped to the rootfs"
	fi
	assert_no_debris
}

@test "symlink: a maskedPaths entry pointing out of the rootfs does not touch the host" {
	echo secret >"$TESTDIR/secret"
	ln -s "$TESTDIR/secret" "$BUNDLE/rootfs/mask-me"
	update_config '.linux.maskedPaths += ["/mask-me"]'
	set_args sh -c 'cat /mask-me 2>/dev/null; echo x >/mask-me 2>/dev/null; echo end'
	run_ctr "$ID" </dev/null
	echo "# status $status: $output"
	[[ "$output" != *secret* ]] || fail "host file readable: $output"
	[ "$(cat "$TESTDIR/secret")" = secret ]
	[ -f "$TESTDIR/secret" ] && [ ! -L "$TESTDIR/secret" ]
	assert_no_debris
}

@test "symlink: a readonlyPaths entry pointing out of the rootfs does not touch the host" {
	mkdir "$TESTDIR/hostw"
	ln -s "$TESTDIR/hostw" "$BUNDLE/rootfs/ro-me"
	update_config '.linux.readonlyPaths += ["/ro-me"] | .root.readonly = false'
	set_args sh -c 'touch /ro-me/x 2>/dev/null; echo end'
	run_ctr "$ID" </dev/null
	echo "# status $status: $output"
	[ -z "$(ls -A "$TESTDIR/hostw")" ] || fail "written on the host: $(ls -A "$TESTDIR/hostw")"
	# The host dir is still writable from the host (no read-only bind leaked here).
	touch "$TESTDIR/hostw/probe"
	assert_no_debris
}

# /dev/null of the rootfs is a symlink to a host file; the runtime makes
# /dev itself (no /dev tmpfs), so it meets the symlink.
@test "symlink: rootfs/dev/null -> host file: /dev/null is char 1:3, the file untouched" {
	# runc 1.1.5 leaves the symlink in place: the container's /dev/null is
	# "symbolic link" (the host file is not written only because the target
	# path does not exist inside the rootfs).
	requires_hull
	cp /etc/passwd "$TESTDIR/passwd-copy"
	local sum
	sum=$(sha256sum <"$TESTDIR/passwd-copy")
	mkdir -p "$BUNDLE/rootfs/dev"
	ln -s "$TESTDIR/passwd-copy" "$BUNDLE/rootfs/dev/null"
	ln -s "$TESTDIR/passwd-copy" "$BUNDLE/rootfs/dev/console"
	update_config '.mounts |= map(select(.destination != "/dev" and (.destination | startswith("/dev/") | not)))
		| .root.readonly = false'
	set_args sh -c 'echo pwned >/dev/null; echo pwned >/dev/console 2>/dev/null; stat -c "%F %t:%T" /dev/null'
	run_ctr "$ID" </dev/null
	echo "# status $status: $output"
	[ "$(sha256sum <"$TESTDIR/passwd-copy")" = "$sum" ] || fail "host file changed"
	if [ "$status" -eq 0 ]; then
		[ "${lines[-1]}" = "character special file 1:3" ] || fail "/dev/null is: ${lines[-1]}"
	fi
	assert_no_debris
}

@test "symlink: rootfs/dev/null -> host file under the default /dev tmpfs" {
	cp /etc/passwd "$TESTDIR/passwd-copy"
	local sum
	sum=$(sha256sum <"$TESTDIR/passwd-copy")
	ln -s "$TESTDIR/passwd-copy" "$BUNDLE/rootfs/dev/null"
	set_args sh -c 'echo pwned >/dev/null; stat -c "%F %t:%T" /dev/null'
	run_ctr "$ID" </dev/null
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "character special file 1:3" ]
	[ "$(sha256sum <"$TESTDIR/passwd-copy")" = "$sum" ]
	assert_no_debris
}

@test "symlink: rootfs/dev -> host dir: nothing is created on the host" {
	# runc 1.1.5 follows the symlink on the host and creates fd, ptmx, stdin,
	# stdout and stderr symlinks in the host directory.
	requires_hull
	mkdir "$TESTDIR/host-dev"
	rm -rf "$BUNDLE/rootfs/dev"
	ln -s "$TESTDIR/host-dev" "$BUNDLE/rootfs/dev"
	set_args sh -c 'echo pwned >/dev/null; stat -c "%F %t:%T" /dev/null'
	run_ctr "$ID" </dev/null
	echo "# status $status: $output"
	[ -z "$(ls -A "$TESTDIR/host-dev")" ] || fail "created on the host: $(ls -A "$TESTDIR/host-dev")"
	if [ "$status" -eq 0 ]; then
		[ "${lines[-1]}" = "character special file 1:3" ]
	fi
	assert_no_debris
}

# ---- procfs write redirection ---------------------------------------------

@test "procfs: a bind over /proc/sys/net does not receive the sysctl" {
	mkdir -p "$TESTDIR/fakesys/ipv4"
	echo 0 >"$TESTDIR/fakesys/ipv4/ip_forward"
	update_config --arg s "$TESTDIR/fakesys" '.mounts += [{"destination": "/proc/sys/net", "type": "bind",
		"source": $s, "options": ["rbind", "rw"]}] | .linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	run_ctr "$ID" </dev/null
	echo "# status $status: $output"
	[ "$(cat "$TESTDIR/fakesys/ipv4/ip_forward")" = 0 ] || fail "the sysctl went to the bind mount"
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" =~ (sysctl|/proc/sys|procfs|proc) ]]
	assert_no_debris
}

@test "procfs: a tmpfs over /proc/sys with a sysctl is an error" {
	update_config '.mounts += [{"destination": "/proc/sys", "type": "tmpfs", "source": "tmpfs"}]
		| .linux.sysctl = {"kernel.domainname": "evil"}'
	run_ctr "$ID" </dev/null
	echo "# status $status: $output"
	[ "$status" -ne 0 ]
	assert_no_debris
}

@test "procfs: a bind over /proc/self/oom_score_adj does not receive oomScoreAdj" {
	echo 0 >"$TESTDIR/oom"
	update_config --arg s "$TESTDIR/oom" '.mounts += [{"destination": "/proc/self/oom_score_adj",
		"type": "bind", "source": $s, "options": ["bind", "rw"]}] | .process.oomScoreAdj = 500'
	set_args sh -c 'cat /proc/$$/oom_score_adj'
	run_ctr "$ID" </dev/null
	echo "# status $status: $output"
	[ "$(cat "$TESTDIR/oom")" = 0 ] || fail "oomScoreAdj went to the bind mount"
	if [ "$status" -eq 0 ]; then
		[ "${lines[-1]}" = 500 ]
	fi
	assert_no_debris
}

# ---- user ids -------------------------------------------------------------

@test "process.user uid or gid 4294967295 is an error, not root" {
	set_args hullinfo ids
	update_config '.process.user.uid = 4294967295'
	run_ctr "$ID-u" </dev/null
	echo "# uid: status $status: $output"
	[ "$status" -ne 0 ]
	[[ "$output" != *uid=0* ]]
	update_config '.process.user = {"uid": 0, "gid": 4294967295}'
	run_ctr "$ID-g" </dev/null
	echo "# gid: status $status: $output"
	[ "$status" -ne 0 ]
	[[ "$output" != *gid=0* ]]
	assert_no_debris
}

@test "exec --user with a bad form is an error" {
	requires_hull # runc 1.1 looks names up in /etc/passwd and takes some of these
	set_args hullinfo sleep
	run_detached rtm run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	local u
	for u in 0x0 -1 1: " 1" 4294967295 1:4294967295 ":0" "1:2:3" "" "1 " "+1"; do
		run rtm exec --user "$u" "$ID" hullinfo ids </dev/null
		echo "# --user '$u': status $status: $output"
		[ "$status" -ne 0 ] || fail "--user '$u' accepted: $output"
		[[ "${lines[-1]}" == *"user"* ]] || fail "--user '$u': message does not name the user: $output"
	done
	run rtm exec --user 1000:1000 "$ID" hullinfo ids </dev/null
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = uid=1000 ]
	rtm delete --force "$ID"
	assert_no_debris
}

# ---- capabilities ---------------------------------------------------------

cap_field() {
	grep "^$1=" <<<"$output" | cut -d= -f2
}

@test "capabilities: inheritable 0 and ambient 0 by default" {
	set_args hullinfo caps
	run_ctr "$ID" </dev/null
	[ "$status" -eq 0 ]
	[ "$(cap_field CapInh)" = 0000000000000000 ]
	[ "$(cap_field CapAmb)" = 0000000000000000 ]
	assert_no_debris
}

@test "capabilities: every set exactly as configured" {
	# CAP_CHOWN 0, CAP_KILL 5, CAP_NET_BIND_SERVICE 10.
	update_config '.process.capabilities = {"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
		"permitted": ["CAP_CHOWN", "CAP_KILL"], "effective": ["CAP_CHOWN", "CAP_KILL"],
		"inheritable": ["CAP_KILL"], "ambient": ["CAP_KILL"]}'
	set_args hullinfo caps
	run_ctr "$ID" </dev/null
	[ "$status" -eq 0 ]
	echo "$output"
	[ "$(cap_field CapBnd)" = 0000000000000421 ]
	[ "$(cap_field CapPrm)" = 0000000000000021 ]
	[ "$(cap_field CapEff)" = 0000000000000021 ]
	[ "$(cap_field CapInh)" = 0000000000000020 ]
	[ "$(cap_field CapAmb)" = 0000000000000020 ]
	assert_no_debris
}

# ---- masked and read-only paths, devices ----------------------------------

@test "maskedPaths are unreadable, readonlyPaths and /proc/sys read-only" {
	set_script '[ -z "$(head -c 1 /proc/kcore 2>/dev/null)" ] && echo kcore-empty;
		[ -z "$(ls -A /proc/acpi 2>/dev/null)" ] && echo acpi-empty;
		[ -z "$(cat /proc/keys 2>/dev/null)" ] && echo keys-empty;
		{ echo evil >/proc/sys/kernel/domainname; } 2>/dev/null || echo sys-ro;
		{ echo h >/proc/sysrq-trigger; } 2>/dev/null || echo sysrq-ro;
		touch /proc/fs/x 2>/dev/null || echo fs-ro;
		hullinfo open-write /proc/sys/kernel/core_pattern; true'
	run_ctr "$ID" </dev/null
	echo "$output"
	[ "$status" -eq 0 ]
	local w
	for w in kcore-empty acpi-empty keys-empty sys-ro sysrq-ro fs-ro; do
		[[ " ${lines[*]} " == *" $w "* ]] || fail "missing $w: $output"
	done
	[ "${lines[-1]}" = EROFS ]
	[ "$(cat /proc/sys/kernel/domainname)" != evil ]
	assert_no_debris
}

@test "devices: no host disk, mknod fails, a made node cannot be opened" {
	set_args sh -c 'hullinfo open-write /dev/sda; mknod /tmp/sda b 8 0 2>/dev/null && echo mknod-ok || echo mknod-denied'
	update_config '.root.readonly = false'
	run_ctr "$ID" </dev/null
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = ENOENT ]
	[ "${lines[1]}" = mknod-denied ]

	# With CAP_MKNOD the node can be made, but the device cgroup (deny all
	# in the default spec) refuses to open it.
	update_config '.process.capabilities.bounding += ["CAP_MKNOD"] | .process.capabilities.effective += ["CAP_MKNOD"]
		| .process.capabilities.permitted += ["CAP_MKNOD"]'
	set_args sh -c 'mknod /tmp/sda b 8 0 && hullinfo open-write /tmp/sda; hullinfo open-write /dev/null'
	run_ctr "$ID-m" </dev/null
	echo "$output"
	[ "${lines[0]}" = EPERM ]
	[ "${lines[1]}" = ok ]
	assert_no_debris
}
