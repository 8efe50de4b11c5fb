#!/usr/bin/env bats
# linux.seccomp in real containers.  Runtime-agnostic except where marked.

load helpers

LISTENER=${LISTENER:-$HULL_BUILDDIR/tests/seccomp-listener}
PODMAN_PROFILE=/usr/share/containers/seccomp.json

setup() {
	setup_bundle
	# Tests create files: a writable root keeps them independent of mounts.
	update_config '.root.readonly = false'
}

# Skip unless the runtime lists seccomp flag $1 in features' supportedFlags.
requires_seccomp_flag() {
	rt features 2>/dev/null | jq -e --arg f "$1" '.linux.seccomp.supportedFlags // [] | index($f) != null' >/dev/null ||
		skip "$RUNTIME_NAME does not support $1"
}

teardown() {
	if [ -n "${TESTDIR:-}" ] && [ -f "$TESTDIR/listener.pid" ]; then
		kill "$(cat "$TESTDIR/listener.pid")" 2>/dev/null || true
	fi
	teardown_bundle
}

# seccomp_profile DEFAULT_ACTION SYSCALLS_JSON [extra jq assignments]
seccomp_profile() {
	update_config --argjson sc "$2" ".linux.seccomp = {\"defaultAction\": \"$1\", \"syscalls\": \$sc} ${3:-}"
}

@test "seccomp: ERRNO rule with errnoRet makes mkdir fail with that errno" {
	seccomp_profile SCMP_ACT_ALLOW '[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":38}]'
	set_args mkdir /tmp/d
	run_ctr "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Function not implemented"* ]]
}

@test "seccomp: ERRNO rule without errnoRet returns EPERM" {
	seccomp_profile SCMP_ACT_ALLOW '[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]'
	set_args mkdir /tmp/d
	run_ctr "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
}

@test "seccomp: defaultAction ERRNO with defaultErrnoRet, allow-list profile" {
	# Allow everything busybox sh needs except mkdir: derive the list from
	# the Podman profile, then drop mkdir/mkdirat from it.
	[ -r "$PODMAN_PROFILE" ] || skip "no $PODMAN_PROFILE"
	local names
	names=$(jq -c '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW" and ((.includes.caps // []) | length) == 0 and (.args // [] | length) == 0) | .names[]] | unique - ["mkdir","mkdirat"]' "$PODMAN_PROFILE")
	seccomp_profile SCMP_ACT_ERRNO "[{\"names\": $names, \"action\": \"SCMP_ACT_ALLOW\"}]" '| .linux.seccomp.defaultErrnoRet = 38'
	set_args sh -c 'echo before; mkdir /tmp/d; echo after'
	run_ctr "$ID"
	[[ "$output" == *before* ]]
	[[ "$output" == *"Function not implemented"* ]]
	[[ "$output" == *after* ]]
}

@test "seccomp: KILL rule kills the process with SIGSYS (exit 159)" {
	seccomp_profile SCMP_ACT_ALLOW '[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_KILL"}]'
	set_args mkdir /tmp/d
	run_ctr "$ID"
	[ "$status" -eq 159 ]
}

@test "seccomp: KILL_PROCESS rule, exit 159" {
	seccomp_profile SCMP_ACT_ALLOW '[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_KILL_PROCESS"}]'
	set_args mkdir /tmp/d
	run_ctr "$ID"
	[ "$status" -eq 159 ]
}

@test "seccomp: LOG rule allows the syscall" {
	seccomp_profile SCMP_ACT_ALLOW '[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_LOG"}]'
	set_args sh -c 'mkdir /tmp/d && test -d /tmp/d && echo made'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *made* ]]
}

@test "seccomp: unknown syscall names are skipped" {
	seccomp_profile SCMP_ACT_ALLOW '[{"names":["hull_no_such_syscall","mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]'
	set_args sh -c 'mkdir /tmp/d; echo rc=$?'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
	[[ "$output" == *rc=1* ]]
}

@test "seccomp: argument filter (EQ) denies personality(PER_LINUX32) only" {
	seccomp_profile SCMP_ACT_ALLOW '[{"names":["personality"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":8,"op":"SCMP_CMP_EQ"}]}]'
	set_args sh -c 'linux64 true && echo linux64-ok; linux32 true || echo linux32-denied'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *linux64-ok* ]]
	[[ "$output" == *linux32-denied* ]]
}

@test "seccomp: argument filter (MASKED_EQ) denies setuid chmod only" {
	# chmod(path, mode) and fchmodat(dirfd, path, mode): mode & 04000 == 04000
	seccomp_profile SCMP_ACT_ALLOW '[
		{"names":["chmod"],"action":"SCMP_ACT_ERRNO","args":[{"index":1,"value":2048,"valueTwo":2048,"op":"SCMP_CMP_MASKED_EQ"}]},
		{"names":["fchmodat"],"action":"SCMP_ACT_ERRNO","args":[{"index":2,"value":2048,"valueTwo":2048,"op":"SCMP_CMP_MASKED_EQ"}]}]'
	set_args sh -c 'touch /tmp/f; chmod 0755 /tmp/f && echo plain-ok; chmod 4755 /tmp/f || echo setuid-denied; stat -c %a /tmp/f'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *plain-ok* ]]
	[[ "$output" == *setuid-denied* ]]
	[[ "$output" == *755* ]]
	[[ "$output" != *4755* ]]
}

@test "seccomp: /proc/self/status shows filter mode 2" {
	seccomp_profile SCMP_ACT_ALLOW '[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"}]'
	set_args grep -E '^Seccomp:' /proc/self/status
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" =~ Seccomp:[[:space:]]+2 ]]
}

@test "seccomp: SECCOMP_FILTER_FLAG_LOG and SPEC_ALLOW are accepted" {
	requires_seccomp_flag SECCOMP_FILTER_FLAG_LOG
	requires_seccomp_flag SECCOMP_FILTER_FLAG_SPEC_ALLOW
	seccomp_profile SCMP_ACT_ALLOW '[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]' \
		'| .linux.seccomp.flags = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"]'
	set_args sh -c 'mkdir /tmp/d; echo done'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
	[[ "$output" == *done* ]]
}

@test "seccomp: Podman default profile loads, forbidden syscalls fail" {
	[ -r "$PODMAN_PROFILE" ] || skip "no $PODMAN_PROFILE"
	# Resolve Podman's extensions (archMap, includes/excludes) the way Podman
	# does for a container without extra capabilities on x86_64.
	local prof
	prof=$(jq -c '{
		defaultAction, defaultErrnoRet,
		architectures: [.archMap[] | select(.architecture == "SCMP_ARCH_X86_64") | .architecture, .subArchitectures[]],
		syscalls: [.syscalls[]
			| select(((.includes.caps // []) | length) == 0)
			| select(((.includes.arches // []) | length) == 0 or ((.includes.arches // []) | index("amd64")) != null)
			| select(((.excludes.arches // []) | index("amd64")) == null)
			| del(.includes, .excludes, .comment)]}' "$PODMAN_PROFILE")
	update_config --argjson p "$prof" '.linux.seccomp = $p'
	# swapoff is denied with EPERM (without the filter: ENOENT for a missing file)
	set_args sh -c 'grep -E "^Seccomp:" /proc/self/status; swapoff /nonexistent; echo end'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" =~ Seccomp:[[:space:]]+2 ]]
	[[ "$output" == *"swapoff: /nonexistent: Operation not permitted"* ]]
	[[ "$output" == *end* ]]
}

@test "seccomp: profile from a config.json generated by Podman" {
	command -v podman >/dev/null || skip "podman not installed"
	# A private Podman store; the runtime is /bin/false: we only want the
	# config.json Podman writes before it calls the runtime.
	local p="podman --root $TESTDIR/podman/store --runroot $TESTDIR/podman/run --tmpdir $TESTDIR/podman/tmp
		--storage-driver vfs --cgroup-manager cgroupfs --events-backend none --runtime /bin/false"
	$p create --name "$ID" --network none --rootfs "$BUNDLE/rootfs" true >/dev/null
	$p init "$ID" >/dev/null 2>&1 || true
	local generated
	generated=$(find "$TESTDIR/podman/store" -path '*/userdata/config.json' | head -n1)
	[ -n "$generated" ] && cp "$generated" "$TESTDIR/podman-config.json"
	$p rm -f "$ID" >/dev/null 2>&1 || true
	[ -f "$TESTDIR/podman-config.json" ] || skip "podman did not write a config.json"
	run jq -e '.linux.seccomp.syscalls | length > 10' "$TESTDIR/podman-config.json"
	[ "$status" -eq 0 ]

	update_config --slurpfile p "$TESTDIR/podman-config.json" '.linux.seccomp = $p[0].linux.seccomp'
	set_args sh -c 'grep -E "^Seccomp:" /proc/self/status; swapoff /nonexistent; echo end'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" =~ Seccomp:[[:space:]]+2 ]]
	[[ "$output" == *"swapoff: /nonexistent: Operation not permitted"* ]]
	[[ "$output" == *end* ]]
}

@test "seccomp: notify listener receives the state and answers mkdir" {
	[ -x "$LISTENER" ] || skip "tests/seccomp-listener not built"
	local sock=$TESTDIR/agent.sock
	"$LISTENER" --success --count 1 --daemon "$TESTDIR/listener.pid" "$sock" "$TESTDIR/state.json"
	seccomp_profile SCMP_ACT_ALLOW '[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_NOTIFY"}]' \
		"| .linux.seccomp.listenerPath = \"$sock\" | .linux.seccomp.listenerMetadata = \"hull-test\""
	set_args sh -c 'mkdir /tmp/n && echo created; if test -d /tmp/n; then echo exists; else echo absent; fi'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *created* ]]
	[[ "$output" == *absent* ]]
	[ -f "$TESTDIR/state.json" ]
	run jq -e --arg id "$ID" '.ociVersion != null and .fds == ["seccompFd"] and .pid > 0
		and .metadata == "hull-test" and .state.id == $id and .state.pid == .pid
		and (.state.bundle | length) > 0' "$TESTDIR/state.json"
	[ "$status" -eq 0 ]
}

@test "seccomp: notify with SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" {
	[ -x "$LISTENER" ] || skip "tests/seccomp-listener not built"
	requires_seccomp_flag SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
	local sock=$TESTDIR/agent.sock
	"$LISTENER" --errno 18 --count 1 --daemon "$TESTDIR/listener.pid" "$sock" "$TESTDIR/state.json"
	seccomp_profile SCMP_ACT_ALLOW '[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_NOTIFY"}]' \
		"| .linux.seccomp.listenerPath = \"$sock\" | .linux.seccomp.flags = [\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]"
	set_args sh -c 'mkdir /tmp/n; echo end'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Invalid cross-device link"* ]]
	[[ "$output" == *end* ]]
}

@test "seccomp: NOTIFY without listenerPath fails at create, nothing left" {
	seccomp_profile SCMP_ACT_ALLOW '[{"names":["mkdir"],"action":"SCMP_ACT_NOTIFY"}]'
	run_ctr "$ID"
	[ "$status" -ne 0 ]
	if is_hull; then
		[[ "${lines[-1]}" == *"linux.seccomp.listenerPath"* ]]
	fi
	[ -z "$(leftovers "$ID")" ]
}

@test "seccomp: unknown flag fails with a message naming it, nothing left" {
	seccomp_profile SCMP_ACT_ALLOW '[]' '| .linux.seccomp.flags = ["SECCOMP_FILTER_FLAG_BOGUS"]'
	run_ctr "$ID"
	[ "$status" -ne 0 ]
	if is_hull; then
		[[ "${lines[-1]}" == *'linux.seccomp.flags[0]: unknown'*'"SECCOMP_FILTER_FLAG_BOGUS"'* ]]
	fi
	[ -z "$(leftovers "$ID")" ]
}

@test "seccomp: unknown architecture fails, nothing left" {
	seccomp_profile SCMP_ACT_ALLOW '[]' '| .linux.seccomp.architectures = ["SCMP_ARCH_VAX"]'
	run_ctr "$ID"
	[ "$status" -ne 0 ]
	if is_hull; then
		[[ "${lines[-1]}" == *'linux.seccomp.architectures[0]'*SCMP_ARCH_VAX* ]]
	fi
	[ -z "$(leftovers "$ID")" ]
}

@test "seccomp: errnoRet with a non-errno action is refused (hull)" {
	requires_hull
	seccomp_profile SCMP_ACT_ALLOW '[{"names":["mkdir"],"action":"SCMP_ACT_KILL","errnoRet":1}]'
	run_ctr "$ID"
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *'linux.seccomp.syscalls[0].errnoRet'* ]]
	[ -z "$(leftovers "$ID")" ]
}
