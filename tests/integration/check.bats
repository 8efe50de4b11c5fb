#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# `hull check` (a hull extension): every broken bundle yields the expected
# finding, several problems are all reported, a good bundle passes, and the
# JSON form is well formed.  Nothing may be created.

load helpers

setup() {
	requires_hull
	setup_bundle
}

teardown() {
	teardown_bundle
}

# Run `hull check` on the test bundle (extra flags first).
check() {
	run rt check --bundle "$BUNDLE" "$@"
}

# The output has a line starting with $1 (fixed string).
has_line() {
	local l
	for l in "${lines[@]}"; do
		[[ "$l" == "$1"* ]] && return 0
	done
	echo "no line starting with: $1" >&2
	printf '%s\n' "${lines[@]}" >&2
	return 1
}

# Nothing was created by the check: no state, no cgroup named after the bundle.
nothing_created() {
	[ -z "$(find "$ROOT" -mindepth 1 -maxdepth 1)" ] || fail "state left in $ROOT"
	[ -z "$(cgroups_named hull-check)" ] || fail "cgroup hull-check left behind"
}

@test "check: a good bundle passes with exit status 0" {
	check
	[ "$status" -eq 0 ]
	has_line "0 errors, 0 warnings"
	nothing_created
}

@test "check: missing rootfs" {
	rm -rf "$BUNDLE/rootfs"
	check
	[ "$status" -eq 1 ]
	has_line "error: root.path: \"rootfs\" does not exist (looked for \"$BUNDLE/rootfs\") — hint: "
	has_line "1 error, 0 warnings"
}

@test "check: process.args[0] not in the rootfs PATH" {
	set_args nosuchprogram
	update_config '.process.env = ["PATH=/usr/bin:/bin"]'
	check
	[ "$status" -eq 1 ]
	has_line 'error: process.args[0]: "nosuchprogram" not found in the rootfs PATH (/usr/bin:/bin) — hint: install it in the image or use an absolute path'
}

@test "check: process.args[0] is looked up inside the rootfs, not on the host" {
	# jq exists on the host, not in the busybox rootfs; an escaping symlink
	# must not reach the host's copy either.
	ln -s ../../../../../../../usr/bin/jq "$BUNDLE/rootfs/bin/hostjq"
	set_args hostjq
	check
	[ "$status" -eq 1 ]
	has_line 'error: process.args[0]: "hostjq" not found in the rootfs PATH'
	# busybox applets are symlinks to /bin/busybox: found.
	set_args sh -c true
	check
	[ "$status" -eq 0 ]
}

@test "check: process.args[0] not executable" {
	printf '#!/bin/sh\n' >"$BUNDLE/rootfs/bin/plain"
	chmod 0644 "$BUNDLE/rootfs/bin/plain"
	set_args /bin/plain
	check
	[ "$status" -eq 1 ]
	has_line 'error: process.args[0]: "/bin/plain" (found at "/bin/plain" in the rootfs) is not executable'
}

@test "check: the interpreter of process.args[0] must be in the rootfs" {
	printf '#!/usr/bin/no-such-python -u\nprint(1)\n' >"$BUNDLE/rootfs/bin/script"
	chmod 0755 "$BUNDLE/rootfs/bin/script"
	set_args script
	check
	[ "$status" -eq 1 ]
	has_line 'error: process.args[0]: "script" ("/bin/script" in the rootfs) needs the #! interpreter "/usr/bin/no-such-python", which does not exist in the rootfs'

	printf '#!/bin/sh\ntrue\n' >"$BUNDLE/rootfs/bin/script"
	check
	[ "$status" -eq 0 ]

	# A dynamically linked host program: the busybox rootfs has no loader.
	interp=$(readelf -l /bin/ls 2>/dev/null | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	[ -n "$interp" ] || skip "host /bin/ls is not dynamically linked"
	cp /bin/ls "$BUNDLE/rootfs/bin/hostls"
	set_args hostls
	check
	[ "$status" -eq 1 ]
	has_line "error: process.args[0]: \"hostls\" (\"/bin/hostls\" in the rootfs) needs the dynamic loader \"$interp\", which does not exist in the rootfs"
}

@test "check: namespace paths must be namespace files of the right type" {
	update_config '.linux.namespaces |= map(if .type == "network" then .path = "/proc/self/ns/uts" else . end)
		| .linux.namespaces |= map(if .type == "ipc" then .path = "/no/such/ns" else . end)'
	check
	[ "$status" -eq 1 ]
	[[ "$output" == *'.path: "/proc/self/ns/uts" is not a network namespace'* ]]
	[[ "$output" == *'.path: "/no/such/ns": no such file or directory'* ]]
}

@test "check: hostname needs a uts namespace" {
	drop_namespace uts
	update_config '.hostname = "box"'
	check
	[ "$status" -eq 1 ]
	has_line 'error: hostname: needs a UTS namespace (add {"type": "uts"} to linux.namespaces)'
}

@test "check: relative process.cwd" {
	update_config '.process.cwd = "tmp"'
	check
	[ "$status" -eq 1 ]
	has_line 'error: process.cwd: must be an absolute path, got "tmp" — hint: '
}

@test "check: process.cwd missing in the rootfs (error), or under a tmpfs mount (warning)" {
	update_config '.process.cwd = "/no/such/dir"'
	check
	[ "$status" -eq 1 ]
	has_line 'error: process.cwd: "/no/such/dir" does not exist in the rootfs — hint: '

	update_config '.process.cwd = "/scratch/work" | .mounts += [{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs"}]'
	check
	[ "$status" -eq 0 ]
	has_line 'warning: process.cwd: "/scratch/work" does not exist in the rootfs; it is under the mount at "/scratch"'
}

@test "check: duplicate namespace" {
	update_config '.linux.namespaces += [{"type": "pid"}]'
	check
	[ "$status" -eq 1 ]
	has_line 'error: linux.namespaces['
	[[ "$output" == *'.type: duplicate namespace "pid" (also linux.namespaces['* ]]
}

@test "check: unknown namespace" {
	update_config '.linux.namespaces += [{"type": "foo"}]'
	check
	[ "$status" -eq 1 ]
	n=$(jq '.linux.namespaces | length - 1' "$BUNDLE/config.json")
	has_line "error: linux.namespaces[$n].type: unknown namespace \"foo\" — hint: use one of: pid, network, mount, ipc, uts, user, cgroup, time"
}

@test "check: overlapping uid mappings" {
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 1000},
		                        {"containerID": 500, "hostID": 200000, "size": 10}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 1000}]'
	check
	[ "$status" -eq 1 ]
	has_line 'error: linux.uidMappings[1]: container ids 500-509 overlap linux.uidMappings[0] — hint: make the id ranges of the mappings disjoint'
}

@test "check: two unknown capabilities are both reported" {
	update_config '.process.capabilities.bounding = ["CAP_CHOWN", "CAP_FROB", "CAP_KILL", "CAP_WIBBLE"]'
	check
	[ "$status" -eq 1 ]
	has_line 'error: process.capabilities.bounding[1]: unknown capability "CAP_FROB"'
	has_line 'error: process.capabilities.bounding[3]: unknown capability "CAP_WIBBLE"'
	has_line "2 errors"
}

@test "check: unknown rlimit" {
	update_config '.process.rlimits = [{"type": "RLIMIT_BOGUS", "soft": 1, "hard": 1}]'
	check
	[ "$status" -eq 1 ]
	has_line 'error: process.rlimits[0].type: unknown rlimit "RLIMIT_BOGUS" — hint: use an RLIMIT_* name'
}

@test "check: sysctls not allowed for the namespaces given" {
	drop_namespace network
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1", "vm.swappiness": "10", "kernel.shmmax": "1000000"}'
	check
	[ "$status" -eq 1 ]
	has_line 'error: linux.sysctl.net.ipv4.ip_forward: "net.ipv4.ip_forward" needs a new network namespace — hint: add {"type": "network"} to linux.namespaces'
	has_line 'error: linux.sysctl.vm.swappiness: "vm.swappiness" is not namespaced'
	[[ "$output" != *"kernel.shmmax"* ]]
}

@test "check: bind mount source missing on the host" {
	update_config --arg s "$TESTDIR/nonexistent" '.mounts += [{"destination": "/data", "type": "bind", "source": $s, "options": ["rbind"]}]'
	n=$(jq '.mounts | length - 1' "$BUNDLE/config.json")
	check
	[ "$status" -eq 1 ]
	has_line "error: mounts[$n].source: \"$TESTDIR/nonexistent\" does not exist on the host — hint: "
}

@test "check: an idmap mount without mappings needs a user namespace" {
	mkdir -p "$TESTDIR/src"
	update_config --arg s "$TESTDIR/src" '.mounts += [{"destination": "/data", "type": "bind", "source": $s, "options": ["rbind", "ridmap"]}]'
	n=$(jq '.mounts | length - 1' "$BUNDLE/config.json")
	check
	[ "$status" -eq 1 ]
	has_line "error: mounts[$n]: option \"ridmap\" without mappings takes the container's user namespace, and there is none — hint: "
}

@test "check: hook program missing" {
	update_config --arg p "$TESTDIR/no-hook" '.hooks.createRuntime = [{"path": $p}]'
	check
	[ "$status" -eq 1 ]
	has_line "error: hooks.createRuntime[0].path: \"$TESTDIR/no-hook\" does not exist on the host"
}

@test "check: hook program not executable" {
	printf '#!/bin/sh\nexit 0\n' >"$TESTDIR/hook.sh"
	chmod 0644 "$TESTDIR/hook.sh"
	update_config --arg p "$TESTDIR/hook.sh" '.hooks.poststop = [{"path": $p}]'
	check
	[ "$status" -eq 1 ]
	has_line "error: hooks.poststop[0].path: \"$TESTDIR/hook.sh\" is not executable — hint: make it executable (chmod +x)"
	chmod 0755 "$TESTDIR/hook.sh"
	check
	[ "$status" -eq 0 ]
}

@test "check: linux.resources.network.classID against this host's cgroups" {
	update_config '.linux.resources.network = {"classID": 1048577}'
	check
	if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
		[ "$status" -eq 1 ]
		has_line 'error: linux.resources.network: net_cls and net_prio do not exist on cgroup v2'
	elif grep -q '[:,]net_cls[,:]' /proc/self/cgroup; then
		[[ "$output" != *"classID"* ]]
	else
		[ "$status" -eq 1 ]
		has_line 'error: linux.resources.network.classID: needs the net_cls controller, which is not available on this host'
	fi
}

@test "check: seccomp: unknown action is an error, unknown syscall a warning" {
	update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["getcwd", "no_such_syscall"], "action": "SCMP_ACT_ERRNO"},
		{"names": ["read"], "action": "SCMP_ACT_FROB"}]}'
	check
	[ "$status" -eq 1 ]
	has_line 'error: linux.seccomp.syscalls[1].action: unknown seccomp action "SCMP_ACT_FROB"'
	has_line 'warnings:'
	has_line 'warning: linux.seccomp.syscalls[0].names[1]: syscall "no_such_syscall" is unknown to libseccomp'
}

@test "check: terminal without a console socket is a warning only" {
	update_config '.process.terminal = true'
	check
	[ "$status" -eq 0 ]
	has_line 'warnings:'
	has_line 'warning: process.terminal: a terminal needs --console-socket unless the container is run in the foreground'
	has_line '0 errors, 1 warning'
}

@test "check: misspelled fields are warnings" {
	update_config '.proccess = {} | .process.noNewPrivilege = true | .linux.namspaces = []'
	check
	[ "$status" -eq 0 ]
	has_line 'warning: proccess: unknown field, ignored'
	has_line 'warning: process.noNewPrivilege: unknown field, ignored'
	has_line 'warning: linux.namspaces: unknown field, ignored'
	has_line '0 errors, 3 warnings'
}

@test "check: a hard rlimit above ours without CAP_SYS_RESOURCE is a warning with the numbers" {
	eff=$(awk '/^CapEff:/ { print $2 }' /proc/self/status)
	if (( (16#$eff >> 24) & 1 )); then skip "we hold CAP_SYS_RESOURCE"; fi
	hard=$(ulimit -Hn)
	[ "$hard" != unlimited ] || skip "hard RLIMIT_NOFILE is unlimited"
	update_config --argjson h $((hard + 1)) '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 1024, "hard": $h}]'
	check
	[ "$status" -eq 0 ]
	has_line "warning: process.rlimits[0].hard: RLIMIT_NOFILE hard limit $((hard + 1)) is above the current hard limit $hard, and hull lacks CAP_SYS_RESOURCE"
}

@test "check: several problems at once are all reported" {
	update_config '.process.cwd = "relative"
		| .process.user.uid = "root"
		| .process.oomScoreAdj = 5000
		| .process.capabilities.bounding += ["CAP_NOPE"]
		| .linux.namespaces += [{"type": "ipc"}, {"type": "bogus"}]
		| .linux.maskedPaths += ["not/absolute"]
		| .linux.devices = [{"type": "x", "path": "/dev/foo", "major": 1, "minor": 1}]
		| .hooks.prestart = [{"path": "relative/hook"}]'
	check
	[ "$status" -eq 1 ]
	has_line 'error: process.cwd: must be an absolute path, got "relative"'
	has_line 'error: process.user.uid: expected an integer, got string'
	has_line 'error: process.oomScoreAdj: 5000 out of range (-1000..1000)'
	has_line 'error: process.capabilities.bounding['
	has_line 'error: linux.maskedPaths['
	has_line 'error: linux.devices[0].type: unknown device type "x"'
	has_line 'error: hooks.prestart[0].path: must be an absolute path, got "relative/hook"'
	[[ "$output" == *'duplicate namespace "ipc"'* ]]
	[[ "$output" == *'unknown namespace "bogus"'* ]]
	has_line "9 errors"
	# one line per finding, no path reported twice
	[ "$(printf '%s\n' "${lines[@]}" | grep '^error: ' | cut -d' ' -f2 | sort | uniq -d)" = "" ]
	nothing_created
}

@test "check: --format json" {
	update_config '.process.capabilities.bounding += ["CAP_ONE", "CAP_TWO"] | .process.terminal = true'
	check --format json
	[ "$status" -eq 1 ]
	echo "$output" | jq -e '.valid == false' >/dev/null
	echo "$output" | jq -e --arg b "$BUNDLE" '.bundle == $b' >/dev/null
	echo "$output" | jq -e '.errors | length == 2' >/dev/null
	echo "$output" | jq -e '[.errors[].message] == ["unknown capability \"CAP_ONE\"", "unknown capability \"CAP_TWO\""]' >/dev/null
	echo "$output" | jq -e '[.errors[] | .path | startswith("process.capabilities.bounding[")] | all' >/dev/null
	echo "$output" | jq -e '[.errors[], .warnings[] | (.path|type) == "string" and (.message|type) == "string" and (.hint|type) == "string" and (.hint|length) > 0] | all' >/dev/null
	echo "$output" | jq -e '.warnings | map(.path) == ["process.terminal"]' >/dev/null

	update_config '.process.capabilities.bounding = ["CAP_KILL"] | .process.terminal = false'
	check --format json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.valid == true and .errors == [] and .warnings == []' >/dev/null
}

@test "check: invalid JSON is one error" {
	printf '{"ociVersion": "1.2.0",' >"$BUNDLE/config.json"
	check
	[ "$status" -eq 1 ]
	has_line 'error: invalid JSON: '
	has_line '1 error, 0 warnings'
	check --format json
	[ "$status" -eq 1 ]
	echo "$output" | jq -e '.valid == false and (.errors | length) == 1 and .errors[0].path == ""' >/dev/null
}

@test "check: usage errors exit 1 without a report" {
	check --format xml
	[ "$status" -eq 1 ]
	[[ "$output" == *'--format: expected text or json, got "xml"'* ]]
	[[ "$output" != *"errors,"* ]]
	run rt check --bundle "$TESTDIR/no-such-bundle"
	[ "$status" -eq 1 ]
	[[ "$output" == *"no-such-bundle"* ]]
	[[ "$output" != *"errors,"* ]]
}
