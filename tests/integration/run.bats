#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `run`: exit codes, stdio, the process from the config, namespaces, fds.

load helpers

setup() {
	setup_bundle
}

teardown() {
	teardown_bundle
}

@test "run passes the exit code through: 0, 3, 42" {
	local n
	for n in 0 3 42; do
		set_args sh -c "exit $n"
		run_ctr "$ID" </dev/null
		[ "$status" -eq "$n" ]
	done
	[ -z "$(leftovers "$ID")" ]
}

@test "run of a self-killed process exits 128+signal" {
	# pid 1 of a pid namespace cannot kill itself with a default-action
	# signal, so this runs in the host's pid namespace.
	drop_namespace pid
	set_args sh -c 'kill -9 $$'
	run_ctr "$ID" </dev/null
	[ "$status" -eq 137 ]
	set_args sh -c 'kill -15 $$'
	run_ctr "$ID" </dev/null
	[ "$status" -eq 143 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "run exits 137 when the container is killed with KILL from outside" {
	require_hullinfo
	set_args hullinfo sleep
	run_bg "$ID"
	wait_status "$ID" running
	rt kill "$ID" KILL
	local rc=0
	wait "$RUN_PID" || rc=$?
	[ "$rc" -eq 137 ]
	run rt state "$ID"
	[ "$status" -ne 0 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "run exits 143 when the container gets TERM (hullinfo sleep exits 128+sig)" {
	require_hullinfo
	set_args hullinfo sleep
	run_bg "$ID"
	wait_status "$ID" running
	rt kill "$ID" TERM
	local rc=0
	wait "$RUN_PID" || rc=$?
	[ "$rc" -eq 143 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "run passes stdout and stderr through separately" {
	set_args sh -c 'echo to-out; echo to-err >&2'
	rt run --bundle "$BUNDLE" "$ID" </dev/null >"$TESTDIR/out" 2>"$TESTDIR/err"
	[ "$(cat "$TESTDIR/out")" = to-out ]
	[ "$(cat "$TESTDIR/err")" = to-err ]
	[ -z "$(leftovers "$ID")" ]
}

@test "run passes stdin through" {
	set_args cat
	run bash -c "printf 'hi\nthere\n' | '$RUNTIME' --root '$ROOT' run --bundle '$BUNDLE' '$ID'"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'hi\nthere')" ]
	[ -z "$(leftovers "$ID")" ]
}

@test "run removes the container when it exits" {
	set_args true
	run_ctr "$ID" </dev/null
	[ "$status" -eq 0 ]
	run rt state "$ID"
	[ "$status" -ne 0 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "run -d returns with the container running" {
	require_hullinfo
	set_args hullinfo sleep
	run_d "$ID"
	[ "$status" -eq 0 ]
	[ "$(state_field "$ID" status)" = running ]
	[ -d "/proc/$(state_field "$ID" pid)" ]
	rt delete --force "$ID"
	[ -z "$(leftovers "$ID")" ]
}

@test "run --keep leaves a stopped container that can be deleted" {
	set_args sh -c 'exit 7'
	run_ctr --keep "$ID" </dev/null
	[ "$status" -eq 7 ]
	[ "$(state_field "$ID" status)" = stopped ]
	run rt delete "$ID"
	[ "$status" -eq 0 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "run --pid-file writes the container pid" {
	require_hullinfo
	set_args hullinfo sleep
	run_d "$ID" --pid-file "$TESTDIR/pid"
	[ "$status" -eq 0 ]
	[ "$(cat "$TESTDIR/pid")" = "$(state_field "$ID" pid)" ]
	rt delete --force "$ID"
	[ -z "$(leftovers "$ID")" ]
}

@test "args, env and cwd come from the config" {
	require_hullinfo
	update_config '.process.env = ["FOO=bar baz", "PATH=/bin:/usr/bin", "EMPTY="] | .process.cwd = "/tmp"'
	set_args sh -c 'printf "[%s]" "$@"; echo; hullinfo cwd; hullinfo env' argv0 "a b" "" 'c$d'
	run_ctr "$ID" </dev/null
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '[a b][][c$d]' ]
	[[ "$output" == *$'\n'cwd=/tmp$'\n'* ]]
	[[ "$output" == *$'\n'"FOO=bar baz"* ]]
	[[ "$output" == *$'\n'"EMPTY="* ]]
	[[ "$output" == *$'\n'"PATH=/bin:/usr/bin"* ]]
	[ -z "$(leftovers "$ID")" ]
}

@test "a cwd that does not exist yet is created" {
	require_hullinfo
	update_config '.process.cwd = "/new/dir"'
	set_args hullinfo cwd
	run_ctr "$ID" </dev/null
	[ "$status" -eq 0 ]
	[ "$output" = cwd=/new/dir ]
	[ -z "$(leftovers "$ID")" ]
}

@test "hostname from the config" {
	require_hullinfo
	update_config '.hostname = "box-1"'
	set_args hullinfo hostname
	run_ctr "$ID" </dev/null
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = hostname=box-1 ]
	[ "$(hostname)" != box-1 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "the process is pid 1 of a new pid namespace" {
	require_hullinfo
	set_args hullinfo pid
	run_ctr "$ID" </dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *pid=1$'\n'ppid=0* ]]
	[ -z "$(leftovers "$ID")" ]
}

@test "mount, uts, ipc, pid and net namespaces differ from the host's" {
	require_hullinfo
	set_args hullinfo ns
	run_ctr "$ID" </dev/null
	[ "$status" -eq 0 ]
	local ns v
	for ns in mnt uts ipc pid net; do
		v=$(grep "^$ns=" <<<"$output" | cut -d= -f2)
		[ -n "$v" ]
		[ "$v" != "$(host_ns "$ns")" ]
	done
	[ -z "$(leftovers "$ID")" ]
}

@test "a namespace left out of the config is shared with the host" {
	require_hullinfo
	drop_namespace uts
	drop_namespace ipc
	update_config 'del(.hostname)'
	set_args hullinfo ns
	run_ctr "$ID" </dev/null
	[ "$status" -eq 0 ]
	[ "$(grep '^uts=' <<<"$output" | cut -d= -f2)" = "$(host_ns uts)" ]
	[ "$(grep '^ipc=' <<<"$output" | cut -d= -f2)" = "$(host_ns ipc)" ]
	[ "$(grep '^mnt=' <<<"$output" | cut -d= -f2)" != "$(host_ns mnt)" ]
	[ -z "$(leftovers "$ID")" ]
}

@test "a new network namespace has only lo" {
	set_args sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'
	run_ctr "$ID" </dev/null
	[ "$status" -eq 0 ]
	[ "$output" = lo ]
	[ -z "$(leftovers "$ID")" ]
}

@test "no host fd leaks into the container" {
	require_hullinfo
	set_args hullinfo fds
	# fds 5 and 6 are open (without CLOEXEC) in the runtime's caller.
	run bash -c "'$RUNTIME' --root '$ROOT' run --bundle '$BUNDLE' '$ID' </dev/null 5</etc/hostname 6>'$TESTDIR/leak'"
	[ "$status" -eq 0 ]
	[ "$(cut -d= -f1 <<<"$output" | sort -n | tr '\n' ' ')" = "0 1 2 " ]
	[ -z "$(leftovers "$ID")" ]
}

@test "--preserve-fds 1 passes fd 3 and nothing beyond" {
	require_hullinfo
	echo secret >"$TESTDIR/f3"
	set_args sh -c 'hullinfo fds; cat <&3'
	run bash -c "'$RUNTIME' --root '$ROOT' run --preserve-fds 1 --bundle '$BUNDLE' '$ID' </dev/null 3<'$TESTDIR/f3' 4</etc/hostname"
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n'"3=$TESTDIR/f3"$'\n'* ]]
	[[ "$output" != *$'\n'4=* ]]
	[ "${lines[-1]}" = secret ]
	[ -z "$(leftovers "$ID")" ]
}

@test "--preserve-fds 2 with fd 4 not open fails, naming it, and leaves nothing" {
	requires_hull # runc passes on whatever it has open itself at that number
	set_args true
	run bash -c "'$RUNTIME' --root '$ROOT' run --preserve-fds 2 --bundle '$BUNDLE' '$ID' </dev/null 3</etc/hostname 4<&-"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *"--preserve-fds: fd 4: bad file descriptor"* ]]
	[ -z "$(leftovers "$ID")" ]
}

@test "LISTEN_FDS: fds 3.. and the LISTEN_* variables are passed when LISTEN_PID is the runtime" {
	require_hullinfo
	set_args sh -c 'hullinfo fds; hullinfo env'
	run bash -c "export LISTEN_FDS=2; LISTEN_PID=\$\$ exec '$RUNTIME' --root '$ROOT' run --bundle '$BUNDLE' '$ID' </dev/null 3</etc/hostname 4</etc/passwd 5</etc/group"
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n'3=/etc/hostname$'\n'* ]]
	[[ "$output" == *$'\n'4=/etc/passwd$'\n'* ]]
	[[ "$output" != *$'\n'5=* ]]
	[[ "$output" == *$'\n'LISTEN_FDS=2$'\n'* ]]
	[[ "$output" == *$'\n'LISTEN_PID=1$'\n'* ]] || [[ "$output" == *$'\n'LISTEN_PID=1 ]]
	[ -z "$(leftovers "$ID")" ]
}

@test "LISTEN_FDS is ignored when LISTEN_PID is another process" {
	require_hullinfo
	set_args sh -c 'hullinfo fds; hullinfo env'
	run bash -c "LISTEN_FDS=1 LISTEN_PID=1 '$RUNTIME' --root '$ROOT' run --bundle '$BUNDLE' '$ID' </dev/null 3</etc/hostname"
	[ "$status" -eq 0 ]
	[[ "$output" != *$'\n'3=* ]]
	[[ "$output" != *LISTEN_FDS* ]]
	[ -z "$(leftovers "$ID")" ]
}

@test "run of a missing executable fails, names it and leaves nothing" {
	set_args /no/such/prog
	run_ctr "$ID" </dev/null
	[ "$status" -ne 0 ]
	[[ "$output" == */no/such/prog* ]]
	run rt state "$ID"
	[ "$status" -ne 0 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "run -d of a short process leaves it stopped until deleted" {
	set_args true
	run_d "$ID"
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	run rt delete "$ID"
	[ "$status" -eq 0 ]
	[ -z "$(leftovers "$ID")" ]
}
