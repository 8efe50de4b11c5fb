#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `kill`: signal names and numbers, --all, containers that are not running.
#
# The container init is `hullinfo sleep`, which catches TERM, INT and HUP
# (pid 1 ignores signals it has no handler for) and exits 128+signal.

load helpers

setup() {
	setup_bundle
	require_hullinfo
	set_args hullinfo sleep
}

teardown() {
	teardown_bundle
}

# Start container $1 detached and check that it runs.
start_sleeper() {
	run_d "$1"
	[ "$status" -eq 0 ]
	[ "$(state_field "$1" status)" = running ]
}

@test "kill defaults to TERM" {
	start_sleeper "$ID"
	run rt kill "$ID"
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	rt delete "$ID"
	[ -z "$(leftovers "$ID")" ]
}

@test "kill accepts TERM, SIGTERM, 15 and lower case names" {
	local sig n=0
	for sig in TERM SIGTERM 15 term sigterm HUP SIGINT 1; do
		n=$((n + 1))
		start_sleeper "$ID-$n"
		run rt kill "$ID-$n" "$sig"
		[ "$status" -eq 0 ]
		wait_status "$ID-$n" stopped
		rt delete "$ID-$n"
	done
	[ -z "$(leftovers "$ID")" ]
}

@test "a foreground run killed with HUP exits 129" {
	run_bg "$ID"
	wait_status "$ID" running
	rt kill "$ID" SIGHUP
	local rc=0
	wait "$RUN_PID" || rc=$?
	[ "$rc" -eq 129 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "kill with an unknown signal name fails and names it" {
	start_sleeper "$ID"
	local sig
	for sig in FOO SIGFOO 1.5 TERMX; do
		run rt kill "$ID" "$sig"
		[ "$status" -ne 0 ]
		[[ "$output" == *"$sig"* ]] || [[ "$output" == *"invalid"* ]]
	done
	[ "$(state_field "$ID" status)" = running ]
	rt delete --force "$ID"
	[ -z "$(leftovers "$ID")" ]
}

@test "kill with an out-of-range signal number fails" {
	start_sleeper "$ID"
	run rt kill "$ID" 99
	[ "$status" -ne 0 ]
	run rt kill "$ID" 65
	[ "$status" -ne 0 ]
	[ "$(state_field "$ID" status)" = running ]
	rt delete --force "$ID"
	[ -z "$(leftovers "$ID")" ]
}

@test "kill with signal 0 probes without stopping" {
	start_sleeper "$ID"
	run rt kill "$ID" 0
	[ "$status" -eq 0 ]
	[ "$(state_field "$ID" status)" = running ]
	rt delete --force "$ID"
	[ -z "$(leftovers "$ID")" ]
}

@test "kill of a created container" {
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	run rt kill "$ID" KILL
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	rt delete "$ID"
	[ -z "$(leftovers "$ID")" ]
}

@test "kill of a stopped container fails with \"container not running\"" {
	# containerd matches this text to treat the process as already gone.
	start_sleeper "$ID"
	rt kill "$ID" KILL
	wait_status "$ID" stopped
	run rt kill "$ID" KILL
	[ "$status" -ne 0 ]
	[[ "$output" == *"container not running"* ]]
	run rt kill "$ID" 0
	[ "$status" -ne 0 ]
	rt delete "$ID"
	[ -z "$(leftovers "$ID")" ]
}

@test "kill --all of a stopped container succeeds" {
	start_sleeper "$ID"
	rt kill "$ID" KILL
	wait_status "$ID" stopped
	run rt kill --all "$ID" KILL
	[ "$status" -eq 0 ]
	rt delete "$ID"
	[ -z "$(leftovers "$ID")" ]
}

@test "kill of a missing container fails with \"does not exist\"" {
	run rt kill "$ID" KILL
	[ "$status" -ne 0 ]
	[[ "$output" == *"does not exist"* ]]
	[ -z "$(leftovers "$ID")" ]
}

@test "kill --all signals every process, kill only the init" {
	update_config '.root.readonly = false'
	# The init shell (pid 1: ignores TERM) waits for a child sleep, records
	# how it ended, then becomes hullinfo sleep.
	set_args sh -c 'sleep 1000 & echo $! >/tmp/child; wait $!; echo "child=$?" >/tmp/result; exec hullinfo sleep'
	start_sleeper "$ID"
	wait_for_file "$BUNDLE/rootfs/tmp/child"
	run rt kill --all "$ID" TERM
	[ "$status" -eq 0 ]
	wait_for_file "$BUNDLE/rootfs/tmp/result"
	[ "$(cat "$BUNDLE/rootfs/tmp/result")" = child=143 ]
	[ "$(state_field "$ID" status)" = running ]

	run rt kill -a "$ID" KILL
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	rt delete "$ID"
	[ -z "$(leftovers "$ID")" ]
}

@test "kill without --all does not reach other processes" {
	update_config '.root.readonly = false'
	# As above, but the init is the one receiving TERM: the shell ignores it,
	# so the child keeps running and no result is written.
	set_args sh -c 'sleep 1000 & echo $! >/tmp/child; wait $!; echo "child=$?" >/tmp/result; exec hullinfo sleep'
	start_sleeper "$ID"
	wait_for_file "$BUNDLE/rootfs/tmp/child"
	run rt kill "$ID" TERM
	[ "$status" -eq 0 ]
	# The container is still running, and so is the init's child.
	[ "$(state_field "$ID" status)" = running ]
	local pid
	pid=$(state_field "$ID" pid)
	[ -n "$(cat "/proc/$pid/task/$pid/children")" ]
	[ ! -e "$BUNDLE/rootfs/tmp/result" ]
	rt delete --force "$ID"
	[ -z "$(leftovers "$ID")" ]
}
