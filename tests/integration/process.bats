#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Process attributes seen from inside the container: capabilities, user and
# groups, umask, no_new_privs, rlimits, oomScoreAdj, sysctl, personality,
# ioPriority, scheduler, execCPUAffinity.

load helpers

setup() {
	setup_bundle
}

teardown() {
	teardown_bundle
}

# Capability bits used below.
CAP_CHOWN=0
CAP_KILL=5
CAP_NET_BIND_SERVICE=10
CAP_NET_RAW=13
CAP_AUDIT_WRITE=29

# mask BIT... -> the 16-digit hex form of /proc/PID/status.
mask() {
	local m=0 b
	for b in "$@"; do m=$((m | (1 << b))); done
	printf '%016x' "$m"
}

# Run the container with process.args = sh -c "$1"; output in $output.
run_sh() {
	set_args sh -c "$1"
	run_ctr "$ID"
	# Shown by bats only when the test fails.
	echo "status $status, output:"
	echo "$output"
}

# cap_line NAME -> value of NAME: in the container's /proc/self/status output.
cap_line() {
	echo "$output" | awk -v k="$1:" '$1 == k { print $2 }'
}

# True when the runtime is hull, or another runtime of at least version $1
# (features that runc 1.1 silently ignores).
runtime_supports() {
	is_hull && return 0
	local v
	v=$("$RUNTIME" --version | awk 'NR == 1 { print $3 }')
	[ "$(printf '%s\n%s\n' "$1" "$v" | sort -V | head -1)" = "$1" ]
}

# True when this shell holds CAP_SYS_RESOURCE (then hard limits can be raised).
have_sys_resource() {
	local eff
	eff=$(awk '$1 == "CapEff:" { print $2 }' /proc/self/status)
	(((0x$eff >> 24) & 1))
}

@test "capabilities: no process.capabilities means every set is empty" {
	update_config 'del(.process.capabilities)'
	run_sh 'grep ^Cap /proc/self/status'
	[ "$status" -eq 0 ]
	local z
	z=$(mask)
	[ "$(cap_line CapInh)" = "$z" ]
	[ "$(cap_line CapPrm)" = "$z" ]
	[ "$(cap_line CapEff)" = "$z" ]
	[ "$(cap_line CapBnd)" = "$z" ]
	[ "$(cap_line CapAmb)" = "$z" ]
}

@test "capabilities: the default set for root, nothing inheritable or ambient" {
	update_config '.process.capabilities = {
		"bounding": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
		"effective": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
		"permitted": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]}'
	run_sh 'grep ^Cap /proc/self/status'
	[ "$status" -eq 0 ]
	local m
	m=$(mask $CAP_AUDIT_WRITE $CAP_KILL $CAP_NET_BIND_SERVICE)
	[ "$(cap_line CapInh)" = "$(mask)" ]
	[ "$(cap_line CapPrm)" = "$m" ]
	[ "$(cap_line CapEff)" = "$m" ]
	[ "$(cap_line CapBnd)" = "$m" ]
	[ "$(cap_line CapAmb)" = "$(mask)" ]
}

@test "capabilities: non-root user keeps exactly its ambient capability across exec" {
	update_config '.process.user = {"uid": 1000, "gid": 1000} |
		.process.capabilities = {
		"bounding": ["CAP_CHOWN", "CAP_NET_BIND_SERVICE"],
		"effective": ["CAP_NET_BIND_SERVICE"],
		"permitted": ["CAP_CHOWN", "CAP_NET_BIND_SERVICE"],
		"inheritable": ["CAP_NET_BIND_SERVICE"],
		"ambient": ["CAP_NET_BIND_SERVICE"]}'
	run_sh 'grep ^Cap /proc/self/status'
	[ "$status" -eq 0 ]
	local nbs
	nbs=$(mask $CAP_NET_BIND_SERVICE)
	[ "$(cap_line CapInh)" = "$nbs" ]
	[ "$(cap_line CapPrm)" = "$nbs" ]
	[ "$(cap_line CapEff)" = "$nbs" ]
	[ "$(cap_line CapAmb)" = "$nbs" ]
	[ "$(cap_line CapBnd)" = "$(mask $CAP_CHOWN $CAP_NET_BIND_SERVICE)" ]
}

@test "capabilities: non-root user without ambient ends up with no capabilities" {
	update_config '.process.user = {"uid": 1000, "gid": 1000} |
		.process.capabilities = {
		"bounding": ["CAP_CHOWN", "CAP_NET_RAW"],
		"effective": ["CAP_CHOWN", "CAP_NET_RAW"],
		"permitted": ["CAP_CHOWN", "CAP_NET_RAW"]}'
	run_sh 'grep ^Cap /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$(cap_line CapPrm)" = "$(mask)" ]
	[ "$(cap_line CapEff)" = "$(mask)" ]
	[ "$(cap_line CapInh)" = "$(mask)" ]
	[ "$(cap_line CapBnd)" = "$(mask $CAP_CHOWN $CAP_NET_RAW)" ]
}

@test "capabilities: a dropped capability is really gone (chown fails without CAP_CHOWN)" {
	update_config '.root.readonly = false | .process.capabilities = {
		"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]}'
	run_sh 'touch /tmp/f || exit 99; chown 1000 /tmp/f'
	[ "$status" -eq 1 ]
	[[ "$output" == *"Operation not permitted"* ]]
	update_config '.process.capabilities = {
		"bounding": ["CAP_CHOWN"], "effective": ["CAP_CHOWN"], "permitted": ["CAP_CHOWN"]}'
	run_sh 'touch /tmp/f && chown 1000 /tmp/f && stat -c %u /tmp/f'
	[ "$status" -eq 0 ]
	[ "$output" = 1000 ]
}

@test "capabilities: ambient ones that are not inheritable are not raised (runc spec 1.1 style)" {
	update_config '.process.user = {"uid": 1000, "gid": 1000} |
		.process.capabilities = {
		"bounding": ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
		"effective": ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
		"permitted": ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
		"ambient": ["CAP_KILL", "CAP_NET_BIND_SERVICE"]}'
	run_sh 'grep ^Cap /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$(cap_line CapAmb)" = "$(mask)" ]
	[ "$(cap_line CapInh)" = "$(mask)" ]
	[ "$(cap_line CapEff)" = "$(mask)" ]
}

@test "capabilities: effective outside permitted is refused naming the capability" {
	requires_hull
	update_config '.process.capabilities = {
		"bounding": ["CAP_KILL", "CAP_NET_RAW"],
		"effective": ["CAP_KILL", "CAP_NET_RAW"],
		"permitted": ["CAP_KILL"]}'
	run_sh 'true'
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *"process.capabilities.effective: CAP_NET_RAW is not in the permitted set" ]]
	[ -z "$(leftovers "$ID")" ]
}

@test "noNewPrivileges: NoNewPrivs is 0 or 1 as configured" {
	update_config '.process.noNewPrivileges = false'
	run_sh 'grep ^NoNewPrivs /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | awk '{print $2}')" = 0 ]
	update_config '.process.noNewPrivileges = true'
	run_sh 'grep ^NoNewPrivs /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | awk '{print $2}')" = 1 ]
}

@test "user: uid, gid and additionalGids; root's own groups are dropped" {
	update_config '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [100, 2000]}'
	run_sh 'echo "$(id -u) $(id -g)"; grep ^Groups /proc/self/status'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "1000 1000" ]
	[ "$(echo "${lines[1]}" | awk '{$1=""; print}' | xargs)" = "100 2000" ]

	update_config '.process.user = {"uid": 0, "gid": 0}'
	run_sh 'grep ^Groups /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | awk '{$1=""; print}' | xargs)" = "" ]
}

@test "user: real, effective and saved ids all switch" {
	update_config '.process.user = {"uid": 1000, "gid": 100}'
	run_sh 'grep -E "^(Uid|Gid):" /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$(echo "${lines[0]}" | xargs)" = "Uid: 1000 1000 1000 1000" ]
	[ "$(echo "${lines[1]}" | xargs)" = "Gid: 100 100 100 100" ]
}

@test "umask: 0022 by default, process.user.umask when set" {
	run_sh 'umask'
	[ "$status" -eq 0 ]
	[ "$output" = 0022 ]
	update_config '.process.user.umask = 23' # 0027
	run_sh 'umask'
	[ "$status" -eq 0 ]
	[ "$output" = 0027 ]
}

@test "rlimits: soft and hard limits apply" {
	update_config '.process.rlimits = [
		{"type": "RLIMIT_NOFILE", "soft": 1000, "hard": 2000},
		{"type": "RLIMIT_NPROC", "soft": 500, "hard": 600},
		{"type": "RLIMIT_CORE", "soft": 0, "hard": 0}]'
	run_sh 'ulimit -n; ulimit -Hn; grep -E "^Max (open files|processes|core file size)" /proc/self/limits'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = 2000 ]
	echo "$output" | grep -Eq '^Max open files +1000 +2000 +files'
	echo "$output" | grep -Eq '^Max processes +500 +600 +processes'
	echo "$output" | grep -Eq '^Max core file size +0 +0 +bytes'
}

@test "rlimits: raising a hard limit without CAP_SYS_RESOURCE fails and says why" {
	requires_hull
	have_sys_resource && skip "the runtime may raise hard limits here"
	local hard=$(ulimit -Hn) want
	[ "$hard" != unlimited ] || skip "no finite hard limit"
	want=$((hard + 1))
	update_config --argjson n "$want" '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": $n, "hard": $n}]'
	run_sh 'true'
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *"process.rlimits[0]: setrlimit RLIMIT_NOFILE to $want/$want: operation not permitted (the hard limit is $hard and raising it needs CAP_SYS_RESOURCE)"* ]]
	[ -z "$(leftovers "$ID")" ]
}

@test "oomScoreAdj is set" {
	update_config '.process.oomScoreAdj = 500'
	run_sh 'cat /proc/self/oom_score_adj'
	[ "$status" -eq 0 ]
	[ "$output" = 500 ]
}

@test "oomScoreAdj: lowering it without CAP_SYS_RESOURCE fails and says why" {
	requires_hull
	have_sys_resource && skip "the runtime may lower oom_score_adj here"
	[ "$(cat /proc/self/oom_score_adj)" -gt -500 ] || skip "already at or below -500"
	update_config '.process.oomScoreAdj = -500'
	run_sh 'true'
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *'process.oomScoreAdj: -500 (lowering it needs CAP_SYS_RESOURCE): write "/proc/self/oom_score_adj": permission denied' ]]
	[ -z "$(leftovers "$ID")" ]
}

@test "sysctl: kernel.msgmax with an ipc namespace, net.ipv4.ip_forward with a network namespace" {
	local host_msgmax
	host_msgmax=$(cat /proc/sys/kernel/msgmax)
	[ "$host_msgmax" != 4321 ] || skip "the host already uses the test value"
	update_config '.linux.sysctl = {"kernel.msgmax": "4321", "net.ipv4.ip_forward": "1"}'
	run_sh 'cat /proc/sys/kernel/msgmax /proc/sys/net/ipv4/ip_forward'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 4321 ]
	[ "${lines[1]}" = 1 ]
	# The host is untouched.
	[ "$(cat /proc/sys/kernel/msgmax)" = "$host_msgmax" ]
}

@test "sysctl: a net sysctl without a new network namespace is refused, nothing left behind" {
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1"} |
		.linux.namespaces |= map(select(.type != "network"))'
	run_sh 'true'
	[ "$status" -ne 0 ]
	if is_hull; then
		[[ "${lines[-1]}" == *'linux.sysctl: "net.ipv4.ip_forward" needs a new network namespace' ]]
	fi
	[ -z "$(leftovers "$ID")" ]
}

@test "sysctl: an ipc sysctl without a new ipc namespace is refused" {
	update_config '.linux.sysctl = {"kernel.msgmax": "4321"} |
		.linux.namespaces |= map(select(.type != "ipc"))'
	run_sh 'true'
	[ "$status" -ne 0 ]
	if is_hull; then
		[[ "${lines[-1]}" == *'linux.sysctl: "kernel.msgmax" needs a new ipc namespace' ]]
	fi
	[ -z "$(leftovers "$ID")" ]
}

@test "sysctl: a sysctl that is not namespaced is refused" {
	local before
	before=$(cat /proc/sys/vm/swappiness)
	update_config '.linux.sysctl = {"vm.swappiness": "13"}'
	run_sh 'true'
	[ "$status" -ne 0 ]
	if is_hull; then
		[[ "${lines[-1]}" == *'linux.sysctl: "vm.swappiness" is not namespaced'* ]]
	fi
	[ "$(cat /proc/sys/vm/swappiness)" = "$before" ]
	[ -z "$(leftovers "$ID")" ]
}

@test "personality LINUX32: uname -m shows i686" {
	[ "$(uname -m)" = x86_64 ] || skip "not an x86_64 host"
	runtime_supports 1.2 || skip "linux.personality needs runc 1.2"
	update_config '.linux.personality = {"domain": "LINUX32"}'
	run_sh 'uname -m'
	[ "$status" -eq 0 ]
	[ "$output" = i686 ]
}

@test "ioPriority is set" {
	runtime_supports 1.2 || skip "process.ioPriority needs runc 1.2"
	update_config '.process.ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 6}'
	run_sh 'ionice'
	[ "$status" -eq 0 ]
	[ "$output" = "best-effort: prio 6" ]
}

@test "scheduler: SCHED_BATCH with nice 7" {
	runtime_supports 1.2 || skip "process.scheduler needs runc 1.2"
	update_config '.process.scheduler = {"policy": "SCHED_BATCH", "nice": 7}'
	# Fields after the command name: 19 is nice, 41 the policy (3 = SCHED_BATCH).
	run_sh 'cat /proc/self/stat'
	[ "$status" -eq 0 ]
	local rest
	rest=${output##*) }
	[ "$(echo "$rest" | awk '{print $17}')" = 7 ]
	[ "$(echo "$rest" | awk '{print $39}')" = 3 ]
}

@test "execCPUAffinity.initial restricts the cpus" {
	runtime_supports 1.2 || skip "process.execCPUAffinity needs runc 1.2"
	update_config '.process.execCPUAffinity = {"initial": "0"}'
	run_sh 'grep ^Cpus_allowed_list /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | awk '{print $2}')" = 0 ]
}

@test "execCPUAffinity: a malformed cpu list is refused with the field named" {
	requires_hull
	update_config '.process.execCPUAffinity = {"initial": "0-"}'
	run_sh 'true'
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *'process.execCPUAffinity.initial: invalid CPU list "0-"'* ]]
	[ -z "$(leftovers "$ID")" ]
}

@test "execCPUAffinity: a list with no usable CPU is refused" {
	requires_hull
	update_config '.process.execCPUAffinity = {"initial": "4000"}'
	run_sh 'true'
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *'process.execCPUAffinity.initial: none of the CPUs in "4000" is available to the container' ]]
	[ -z "$(leftovers "$ID")" ]
}

# Start a long-running container for the exec tests.
start_sleeper() {
	set_args sleep 1000
	# Not through `run`: the container keeps the output pipe open.
	rt create --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>"$TESTDIR/create.err" 3>&-
	timeout 20 "$RUNTIME" --root "$ROOT" start "$ID"
	wait_status "$ID" running
}

@test "exec --user uid:gid and --cap" {
	start_sleeper
	run rt exec --user 1000:100 "$ID" sh -c 'echo "$(id -u) $(id -g)"'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "1000 100" ]
	run rt exec --cap CAP_NET_RAW "$ID" grep ^CapEff /proc/self/status
	echo "$output"
	[ "$status" -eq 0 ]
	local eff
	eff=$(echo "$output" | awk '{print $2}')
	(((0x$eff >> CAP_NET_RAW) & 1))
}

@test "exec --user refuses ids that are not plain decimal numbers in range" {
	requires_hull
	start_sleeper
	local u
	for u in 4294967295 -1 1: :1 ' 1' 0x10 99999999999; do
		run rt exec --user "$u" "$ID" true
		echo "--user '$u': $status $output"
		[ "$status" -ne 0 ]
		[[ "${lines[-1]}" == *"invalid user \"$u\""* ]]
	done
}
