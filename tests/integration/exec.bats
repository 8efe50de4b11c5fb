#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `exec`: a new process in a running container.  It joins the container's
# namespaces and cgroup, gets its rlimits, capabilities, seccomp filter and
# no_new_privs (unless --process or a flag says otherwise), and every flag of
# runc's exec works the same way.

load helpers

RECVTTY=${RECVTTY:-$HULL_BUILDDIR/tests/recvtty}
LISTENER=${LISTENER:-$HULL_BUILDDIR/tests/seccomp-listener}

setup() {
	require_hullinfo
	setup_bundle
}

teardown() {
	local f
	for f in "$TESTDIR"/*.daemon-pid; do
		[ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null
	done
	if [ -n "${RECVTTY_PID:-}" ]; then
		kill -9 "$RECVTTY_PID" 2>/dev/null || true
		wait "$RECVTTY_PID" 2>/dev/null || true
	fi
	teardown_bundle
}

# Start the container $ID running `hullinfo sleep` in the background; sets
# $PID (its host pid).  Extra arguments go to `run -d`.
start_ctr() {
	set_args hullinfo sleep
	run_d "$ID" "$@"
	[ "$status" -eq 0 ] || fail "run -d: $output"
	wait_status "$ID" running
	PID=$(state_field "$ID" pid)
}

# Stop and delete $ID, then check that nothing of it is left.
stop_ctr() {
	rt delete -f "$ID"
	[ -z "$(leftovers "$ID")" ]
}

# Host directory of the container's cgroup in the v1 hierarchy of
# controller $1 (from /proc/$PID/cgroup).
ctr_cgroup_dir() {
	local p
	p=$(awk -F: -v c="$1" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$PID/cgroup")
	[ -n "$p" ] || return 1
	local m
	m=$(findmnt -n -o TARGET -t cgroup -O "$1" | head -n1)
	echo "$m$p"
}

# Number of processes in the container's cgroup (pids hierarchy).
ctr_procs() {
	wc -l <"$(ctr_cgroup_dir pids)/cgroup.procs"
}

@test "exec runs a command and passes its exit code through: 0, 42" {
	start_ctr
	run rt exec "$ID" true
	[ "$status" -eq 0 ]
	run rt exec "$ID" hullinfo exit 42
	[ "$status" -eq 42 ]
	run rt exec "$ID" sh -c 'echo out; echo err >&2; exit 3'
	[ "$status" -eq 3 ]
	[ "${lines[0]}" = out ]
	[ "${lines[1]}" = err ]
	stop_ctr
}

@test "exec of a process killed by a signal exits 128+N" {
	start_ctr
	run rt exec "$ID" sh -c 'kill -9 $$'
	[ "$status" -eq 137 ]
	run rt exec "$ID" sh -c 'kill -TERM $$'
	[ "$status" -eq 143 ]
	stop_ctr
}

@test "exec passes stdin through" {
	start_ctr
	run bash -c "printf 'one\ntwo\n' | '$RUNTIME' --root '$ROOT' exec '$ID' cat"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'one\ntwo')" ]
	stop_ctr
}

@test "exec joins every namespace of the container (user, and time for hull, included)" {
	# runc 1.1's spec has no cgroup namespace: ask for one.
	update_config '.linux.namespaces |= map(select(.type != "cgroup")) + [{"type": "user"}, {"type": "cgroup"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]'
	# runc 1.1 has no time namespace.
	is_hull && update_config '.linux.namespaces += [{"type": "time"}]'
	start_ctr
	run rt exec "$ID" hullinfo ns
	echo "$output"
	[ "$status" -eq 0 ]
	local ns n=0 want
	for ns in cgroup ipc mnt net pid time user uts; do
		want=$(stat -L -c %i "/proc/$PID/ns/$ns")
		if [ "$ns" != time ] || is_hull; then
			[ "$want" != "$(host_ns "$ns")" ] || fail "$ns: the container has the host's namespace"
		fi
		[[ "$output" == *$'\n'"$ns=$want"* ]] || [[ "$output" == "$ns=$want"* ]] || fail "$ns: not the init's ($want)"
		n=$((n + 1))
	done
	[ "$n" -eq 8 ]
	# root of the container's user namespace: host uid 200000
	run rt exec "$ID" sh -c 'id -u; cat /proc/self/uid_map'
	[ "${lines[0]}" = 0 ]
	[[ "${lines[1]}" =~ ^[[:space:]]*0[[:space:]]+200000[[:space:]]+65536$ ]]
	stop_ctr
}

@test "exec --process: args, env, cwd, user and capabilities come from process.json" {
	start_ctr
	cat >"$TESTDIR/process.json" <<-'EOF'
		{
			"args": ["sh", "-c", "hullinfo ids; hullinfo cwd; hullinfo env; grep -E '^(CapBnd|NoNewPrivs)' /proc/$$/status"],
			"env": ["PATH=/bin:/usr/bin", "ONLY_HERE=1"],
			"cwd": "/tmp",
			"user": {"uid": 1000, "gid": 100, "additionalGids": [5]},
			"capabilities": {
				"bounding": ["CAP_NET_ADMIN", "CAP_KILL"],
				"effective": ["CAP_NET_ADMIN"],
				"permitted": ["CAP_NET_ADMIN"],
				"inheritable": ["CAP_NET_ADMIN"],
				"ambient": ["CAP_NET_ADMIN"]
			},
			"noNewPrivileges": true
		}
	EOF
	run rt exec --process "$TESTDIR/process.json" "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n'"euid=1000"$'\n'* ]]
	[[ "$output" == *$'\n'"egid=100"$'\n'* ]]
	[[ "$output" == *$'\n'"groups=5"$'\n'* ]]
	[[ "$output" == *$'\n'"cwd=/tmp"$'\n'* ]]
	[[ "$output" == *$'\n'"ONLY_HERE=1"$'\n'* ]]
	# the config's environment is not merged in
	[[ "$output" != *TERM=* ]]
	[[ "$output" =~ $'\n'CapBnd:[[:space:]]+0000000000001020$'\n' ]]
	[[ "$output" =~ $'\n'NoNewPrivs:[[:space:]]+1 ]]
	# uid 1000 keeps the ambient capability across its execve
	jq '.args = ["hullinfo", "caps"]' "$TESTDIR/process.json" >"$TESTDIR/caps.json"
	run rt exec --process "$TESTDIR/caps.json" "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n'"CapEff=0000000000001000"$'\n'* ]]
	[[ "$output" == *$'\n'"CapPrm=0000000000001000"$'\n'* ]]
	[[ "$output" == *$'\n'"CapAmb=0000000000001000"$'\n'* ]]
	stop_ctr
}

@test "exec --process: capabilities left out of process.json are the container's" {
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 777, "hard": 888}]
		| .process.noNewPrivileges = true'
	start_ctr
	local want
	want=$(rt exec "$ID" hullinfo caps | grep '^CapEff=')
	echo '{"args": ["/bin/hullinfo", "caps"], "cwd": "/"}' >"$TESTDIR/p.json"
	run rt exec --process "$TESTDIR/p.json" "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx "$want" <<<"$output"
	[ "$want" != CapEff=0000000000000000 ]
	if is_hull; then
		# hull: rlimits and noNewPrivileges too (runc 1.1 takes neither)
		grep -qx NoNewPrivs=1 <<<"$output"
		echo '{"args": ["/bin/sh", "-c", "ulimit -n"], "cwd": "/"}' >"$TESTDIR/p.json"
		run rt exec --process "$TESTDIR/p.json" "$ID"
		[ "$output" = 777 ]
		echo '{"args": ["/bin/hullinfo", "caps"], "cwd": "/", "noNewPrivileges": false}' >"$TESTDIR/p.json"
		run rt exec --process "$TESTDIR/p.json" "$ID"
		grep -qx NoNewPrivs=0 <<<"$output"
	fi
	stop_ctr
}

@test "exec into a created (not yet started) container" {
	set_args hullinfo sleep
	create_ctr "$ID"
	[ "$status" -eq 0 ] || fail "$output"
	PID=$(state_field "$ID" pid)
	run rt exec "$ID" hullinfo ns
	[ "$status" -eq 0 ]
	grep -qx "mnt=$(stat -L -c %i "/proc/$PID/ns/mnt")" <<<"$output"
	grep -qx "pid=$(stat -L -c %i "/proc/$PID/ns/pid")" <<<"$output"
	[ "$(state_field "$ID" status)" = created ]
	stop_ctr
}

@test "exec ignores LISTEN_FDS (socket activation is for create and run)" {
	start_ctr
	run bash -c "export LISTEN_FDS=1; LISTEN_PID=\$\$ exec '$RUNTIME' --root '$ROOT' exec '$ID' sh -c 'hullinfo fds; hullinfo env' </dev/null 3</etc/hostname"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" != *$'\n'3=* ]]
	[[ "$output" != *LISTEN_* ]]
	stop_ctr
}

@test "exec --process with a bad process.json fails naming the field, nothing started" {
	start_ctr
	echo '{"args": "not-a-list"}' >"$TESTDIR/process.json"
	run rt exec --process "$TESTDIR/process.json" "$ID"
	echo "$output"
	[ "$status" -ne 0 ]
	if is_hull; then
		[[ "${lines[-1]}" == *args* ]]
	fi
	run rt exec --process "$TESTDIR/missing.json" "$ID"
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *missing.json* ]]
	[ "$(ctr_procs)" -eq 1 ]
	stop_ctr
}

@test "exec -e adds to the environment of the config, --cwd sets the directory" {
	update_config '.process.env = ["PATH=/bin:/usr/bin", "FROM_CONFIG=yes"]'
	start_ctr
	run rt exec -e FOO=bar -e "SPACED=a b" --cwd /tmp "$ID" sh -c 'hullinfo env; hullinfo cwd'
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx "FROM_CONFIG=yes" <<<"$output"
	grep -qx "FOO=bar" <<<"$output"
	grep -qx "SPACED=a b" <<<"$output"
	[ "${lines[-1]}" = cwd=/tmp ]
	stop_ctr
}

@test "exec -u 1000:1000 -g 5 -g 6 sets the ids (id)" {
	start_ctr
	run rt exec -u 1000:1000 "$ID" id
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == "uid=1000(user1) gid=1000(group1)"* ]]
	run rt exec -u 1000:1000 -g 5 -g 6 "$ID" id
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "uid=1000(user1) gid=1000(group1) groups=5,6" ]
	# uid alone keeps the group of the config's process (0)
	run rt exec -u 1000 "$ID" sh -c 'id -u; id -g'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = 0 ]
	stop_ctr
}

@test "exec -c CAP_NET_ADMIN adds the capability" {
	start_ctr
	run rt exec "$ID" hullinfo caps
	local eff
	eff=$(grep '^CapEff=' <<<"$output" | cut -d= -f2)
	(( ((0x$eff >> 12) & 1) == 0 ))
	run rt exec -c CAP_NET_ADMIN "$ID" hullinfo caps
	echo "$output"
	[ "$status" -eq 0 ]
	eff=$(grep '^CapEff=' <<<"$output" | cut -d= -f2)
	(((0x$eff >> 12) & 1))
	local bnd
	bnd=$(grep '^CapBnd=' <<<"$output" | cut -d= -f2)
	(((0x$bnd >> 12) & 1))
	if is_hull; then
		# runc 1.1 only warns about an unknown capability
		run rt exec -c CAP_NO_SUCH "$ID" true
		[ "$status" -ne 0 ]
		[[ "${lines[-1]}" == *CAP_NO_SUCH* ]]
	fi
	stop_ctr
}

@test "exec --no-new-privs sets NoNewPrivs; without it the config's value applies" {
	update_config '.process.noNewPrivileges = false'
	start_ctr
	run rt exec "$ID" hullinfo caps
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n'"NoNewPrivs=0"$'\n'* ]]
	run rt exec --no-new-privs "$ID" hullinfo caps
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n'"NoNewPrivs=1"$'\n'* ]]
	stop_ctr
}

@test "exec: the container's rlimits apply (ulimit -n)" {
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 777, "hard": 888}]'
	start_ctr
	run rt exec "$ID" sh -c 'ulimit -n; ulimit -Hn'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 777 ]
	[ "${lines[1]}" = 888 ]
	stop_ctr
}

@test "exec: the container's seccomp filter applies (Seccomp: 2, the rule bites)" {
	update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}'
	start_ctr
	run rt exec "$ID" sh -c 'grep ^Seccomp: /proc/self/status; mkdir /tmp/d; echo rc=$?'
	echo "$output"
	[ "$status" -eq 0 ]
	grep -Eq '^Seccomp:[[:space:]]+2$' <<<"$output"
	[[ "$output" == *"Function not implemented"* ]]
	grep -qx rc=1 <<<"$output"
	# also with no_new_privs off, when the filter is loaded before the caps drop
	jq '.process | .noNewPrivileges = false | .args = ["mkdir", "/tmp/e"]' "$BUNDLE/config.json" >"$TESTDIR/p.json"
	run rt exec --process "$TESTDIR/p.json" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Function not implemented"* ]]
	stop_ctr
}

@test "exec: a seccomp notify rule sends the exec'd process's listener fd to the agent" {
	[ -x "$LISTENER" ] || skip "tests/seccomp-listener not built"
	local sock=$TESTDIR/agent.sock
	# the first agent gets the init's fd (and nothing to answer)
	"$LISTENER" --success --count 1 --daemon "$TESTDIR/l1.daemon-pid" "$sock" "$TESTDIR/state1.json"
	update_config --arg s "$sock" '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
		"listenerPath": $s, "listenerMetadata": "exec-test",
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_NOTIFY"}]}'
	start_ctr
	wait_for_file "$TESTDIR/state1.json"
	[ "$(jq .pid "$TESTDIR/state1.json")" = "$PID" ]
	# the second one gets the exec'd process's and answers its mkdir with 0
	"$LISTENER" --success --count 1 --daemon "$TESTDIR/l2.daemon-pid" "$sock" "$TESTDIR/state2.json"
	run rt exec "$ID" sh -c 'mkdir /tmp/n && echo created; test -d /tmp/n && echo exists || echo absent'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = created ]
	[ "${lines[1]}" = absent ]
	run jq -e --arg id "$ID" --argjson init "$PID" '.fds == ["seccompFd"] and .metadata == "exec-test"
		and .state.id == $id and .state.pid == $init and .pid != $init and .pid > 0' "$TESTDIR/state2.json"
	echo "$output"
	[ "$status" -eq 0 ]
	stop_ctr
}

@test "exec -d --pid-file: the pid file is there when exec returns" {
	start_ctr
	run_detached rt exec -d --pid-file "$TESTDIR/exec.pid" "$ID" hullinfo sleep
	[ "$status" -eq 0 ] || fail "$output"
	[ -s "$TESTDIR/exec.pid" ]
	local p
	p=$(cat "$TESTDIR/exec.pid")
	[ "$p" != "$PID" ]
	[ "$(tr '\0' ' ' <"/proc/$p/cmdline")" = "hullinfo sleep " ]
	[ "$(stat -L -c %i "/proc/$p/ns/pid")" = "$(stat -L -c %i "/proc/$PID/ns/pid")" ]
	[ "$(stat -L -c %i "/proc/$p/ns/mnt")" = "$(stat -L -c %i "/proc/$PID/ns/mnt")" ]
	# in the container's cgroup
	[ "$(grep ':pids:' "/proc/$p/cgroup")" = "$(grep ':pids:' "/proc/$PID/cgroup")" ]
	kill -9 "$p"
	wait_pid_gone "$p"
	stop_ctr
}

@test "exec --preserve-fds 1 passes fd 3 and nothing beyond" {
	start_ctr
	echo secret >"$TESTDIR/f3"
	run bash -c "'$RUNTIME' --root '$ROOT' exec --preserve-fds 1 '$ID' sh -c 'hullinfo fds; cat <&3' </dev/null 3<'$TESTDIR/f3' 4</etc/hostname"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n'"3=$TESTDIR/f3"$'\n'* ]]
	[[ "$output" != *$'\n'4=* ]]
	[ "${lines[-1]}" = secret ]
	stop_ctr
}

@test "exec --preserve-fds 1 without fd 3 fails, naming it" {
	requires_hull
	start_ctr
	run bash -c "'$RUNTIME' --root '$ROOT' exec --preserve-fds 1 '$ID' true </dev/null 3<&-"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *"--preserve-fds: fd 3: bad file descriptor"* ]]
	[ "$(ctr_procs)" -eq 1 ]
	stop_ctr
}

@test "exec: no fd of the runtime or its caller reaches the process" {
	start_ctr
	run bash -c "'$RUNTIME' --root '$ROOT' exec '$ID' hullinfo fds </dev/null 5</etc/hostname 6>'$TESTDIR/leak'"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(cut -d= -f1 <<<"$output" | sort -n | tr '\n' ' ')" = "0 1 2 " ]
	stop_ctr
}

@test "exec: /proc/self/exe of the new process is the workload, not the runtime" {
	start_ctr
	run rt exec "$ID" sh -c 'readlink /proc/$$/exe'
	[ "$status" -eq 0 ]
	[ "$output" = /bin/busybox ]
	run rt exec "$ID" sh -c 'hullinfo fds; readlink /proc/self/exe'
	[ "${lines[-1]}" = /bin/hullinfo ] || [ "${lines[-1]}" = /bin/busybox ]
	stop_ctr
}

@test "exec: while it sets up, the runtime's process in the container cannot be opened through /proc/PID/exe" {
	requires_hull
	start_ctr
	# hull writes the pid file (through PIDFILE.hull-tmp) after the new
	# process has joined everything and dropped to its final credentials,
	# just before it execs: a FIFO there holds it at that point.
	mkfifo "$TESTDIR/exec.pid.hull-tmp"
	"$RUNTIME" --root "$ROOT" exec -d --pid-file "$TESTDIR/exec.pid" "$ID" hullinfo sleep \
		</dev/null >"$TESTDIR/exec.out" 2>&1 3>&- &
	local bg=$! i p=""
	for i in $(seq 100); do
		p=$(grep -vx "$PID" "$(ctr_cgroup_dir pids)/cgroup.procs" | head -n1)
		[ -n "$p" ] && break
		sleep 0.1
	done
	[ -n "$p" ] || fail "the exec process never joined the cgroup"
	# wait until hull is blocked opening the FIFO: the process is then ready
	for i in $(seq 100); do
		grep -q fifo_open "/proc/$bg/stack" 2>/dev/null && break
		sleep 0.1
	done
	grep -q fifo_open "/proc/$bg/stack"
	local nspid
	nspid=$(awk '/^NSpid:/ { print $NF }' "/proc/$p/status")
	[ -n "$nspid" ]
	[[ "$(readlink "/proc/$p/exe")" == */hull ]] || [[ "$(readlink "/proc/$p/exe")" == */hull\ * ]]
	# From inside the container: not readable (EACCES), where a dumpable
	# process would give ETXTBSY (the link resolves to the running binary).
	run rt exec "$ID" hullinfo open-write "/proc/$nspid/exe"
	echo "open-write /proc/$nspid/exe: $output"
	[ "$output" = EACCES ]
	run rt exec "$ID" readlink "/proc/$nspid/exe"
	[ "$status" -ne 0 ]
	# let it go on: hull writes the pid into the FIFO (and renames it into place)
	[ "$(cat "$TESTDIR/exec.pid.hull-tmp")" = "$p" ]
	wait "$bg"
	[ "$(tr '\0' ' ' <"/proc/$p/cmdline")" = "hullinfo sleep " ]
	kill -9 "$p"
	wait_pid_gone "$p"
	stop_ctr
}

@test "exec -t -d --console-socket: the terminal arrives through the socket (recvtty)" {
	[ -x "$RECVTTY" ] || skip "tests/recvtty not built"
	start_ctr
	local sock=$TESTDIR/tty.sock
	"$RECVTTY" "$sock" </dev/null >"$TESTDIR/tty.out" 2>"$TESTDIR/tty.err" 3>&- &
	RECVTTY_PID=$!
	local i
	for i in $(seq 100); do
		[ -S "$sock" ] && break
		sleep 0.1
	done
	run rt exec -t -d --console-socket "$sock" "$ID" sh -c 'tty; test -t 0 && test -t 1 && test -t 2 && echo all-ttys'
	[ "$status" -eq 0 ] || fail "$output"
	for i in $(seq 100); do
		kill -0 "$RECVTTY_PID" 2>/dev/null || break
		sleep 0.1
	done
	wait "$RECVTTY_PID"
	RECVTTY_PID=
	run tr -d '\r' <"$TESTDIR/tty.out"
	echo "$output"
	[[ "${lines[0]}" =~ ^/dev/pts/[0-9]+$ ]]
	[[ "${lines[1]}" == all-ttys* ]]
	stop_ctr
}

@test "exec -t -d without --console-socket and --console-socket without -t are refused" {
	start_ctr
	run rt exec -t -d "$ID" true
	[ "$status" -ne 0 ]
	run rt exec --console-socket "$TESTDIR/nope.sock" "$ID" true
	[ "$status" -ne 0 ]
	[ "$(ctr_procs)" -eq 1 ]
	stop_ctr
}

@test "exec --cgroup pids:SUB runs the process in an existing sub-cgroup" {
	start_ctr
	local base sub=$ID-sub
	base=$(ctr_cgroup_dir pids)
	mkdir "$base/$sub"
	run_detached rt exec -d --pid-file "$TESTDIR/exec.pid" --cgroup "pids:$sub" "$ID" hullinfo sleep
	[ "$status" -eq 0 ] || fail "$output"
	local p
	p=$(cat "$TESTDIR/exec.pid")
	grep -qx "$p" "$base/$sub/cgroup.procs"
	[[ "$(grep ':pids:' "/proc/$p/cgroup")" == *"/$sub" ]]
	# the other hierarchies are the container's own
	[ "$(grep ':memory:' "/proc/$p/cgroup")" = "$(grep ':memory:' "/proc/$PID/cgroup")" ]
	kill -9 "$p"
	wait_pid_gone "$p"
	rmdir "$base/$sub"
	stop_ctr
}

@test "exec --cgroup: a missing sub-cgroup or a path leaving the container's cgroup is refused" {
	start_ctr
	local base
	base=$(ctr_cgroup_dir pids)
	run rt exec --cgroup "pids:$ID-nosuch" "$ID" true
	echo "$output"
	[ "$status" -ne 0 ]
	if is_hull; then
		[[ "${lines[-1]}" == *"$ID-nosuch"*"does not exist"* ]]
	fi
	[ ! -d "$base/$ID-nosuch" ]
	run rt exec --cgroup "pids:../x" "$ID" true
	[ "$status" -ne 0 ]
	run rt exec --cgroup "nosuchctrl:x" "$ID" true
	[ "$status" -ne 0 ]
	if is_hull; then
		[[ "${lines[-1]}" == *'unknown controller "nosuchctrl"'* ]]
		run rt exec --cgroup "pids:a/../../x" "$ID" true
		[ "$status" -ne 0 ]
		[[ "${lines[-1]}" == *'".." is not allowed'* ]]
	fi
	[ "$(ctr_procs)" -eq 1 ]
	stop_ctr
}

@test "exec into a paused container fails unless --ignore-paused" {
	start_ctr
	rt pause "$ID"
	wait_status "$ID" paused
	run rt exec "$ID" true
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *paused* ]]
	[ "$(ctr_procs)" -eq 1 ]
	# With --ignore-paused the process joins the frozen cgroup and runs on resume.
	rt exec --ignore-paused "$ID" sh -c 'echo ran' </dev/null >"$TESTDIR/exec.out" 2>&1 3>&- &
	local bg=$! i
	for i in $(seq 100); do
		[ "$(ctr_procs)" -ge 2 ] && break
		sleep 0.1
	done
	[ "$(ctr_procs)" -ge 2 ]
	rt resume "$ID"
	wait "$bg"
	[ "$(cat "$TESTDIR/exec.out")" = ran ]
	stop_ctr
}

@test "exec into a stopped container fails and changes nothing" {
	set_args true
	run_d "$ID"
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	run rt exec "$ID" true
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *stopped* ]]
	[ "$(state_field "$ID" status)" = stopped ]
	rt delete "$ID"
	[ -z "$(leftovers "$ID")" ]
}

@test "exec into a missing container fails naming it" {
	run rt exec "$ID-missing" true
	echo "$output"
	[ "$status" -ne 0 ]
	if is_hull; then
		[[ "${lines[-1]}" == *"$ID-missing"* ]]
	fi
	[ -z "$(leftovers "$ID")" ]
}

@test "exec of a missing executable fails, names it and leaves nothing running" {
	start_ctr
	run rt exec "$ID" /no/such/prog
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == */no/such/prog* ]]
	[ "$(ctr_procs)" -eq 1 ]
	stop_ctr
}

@test "exec: bad flags are refused before anything starts" {
	requires_hull
	start_ctr
	local args
	for args in "-u abc" "-u 1:x" "-g x" "--preserve-fds x" "-e NOEQUALS" "--apparmor p" "--process-label l"; do
		# shellcheck disable=SC2086
		run rt exec $args "$ID" true
		echo "$args: $status $output"
		[ "$status" -ne 0 ]
	done
	run rt exec --apparmor myprofile "$ID" true
	[[ "${lines[-1]}" == *"--apparmor"*"not supported"* ]]
	run rt exec -e NOEQUALS "$ID" true
	[[ "${lines[-1]}" == *"--env"* ]]
	run rt exec --process "$TESTDIR/x.json" "$ID" true
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *"mutually exclusive"* ]]
	run rt exec "$ID"
	[ "$status" -ne 0 ]
	[ "$(ctr_procs)" -eq 1 ]
	stop_ctr
}

@test "exec in the foreground passes TERM on to the process" {
	start_ctr
	"$RUNTIME" --root "$ROOT" exec "$ID" hullinfo sleep </dev/null >"$TESTDIR/exec.out" 2>&1 3>&- &
	local bg=$! i p
	for i in $(seq 100); do
		p=$(grep -vx "$PID" "$(ctr_cgroup_dir pids)/cgroup.procs" | head -n1)
		[ -n "$p" ] && [ "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" = "hullinfo sleep " ] && break
		sleep 0.1
	done
	[ "$(tr '\0' ' ' <"/proc/$p/cmdline")" = "hullinfo sleep " ]
	kill -TERM "$bg"
	local rc=0
	wait "$bg" || rc=$?
	# hullinfo sleep exits 128+15 on TERM: the signal reached it
	[ "$rc" -eq 143 ]
	[ "$(ctr_procs)" -eq 1 ]
	stop_ctr
}
