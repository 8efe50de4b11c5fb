#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Reliability: a runtime killed in the middle of create, two runtimes racing
# on one id, and many create/delete cycles.  After each, `delete --force`
# (or nothing at all) must leave no state, cgroup, mount or process behind.

load helpers
load debris

setup() {
	setup_bundle
	mark_bundle
}

teardown() {
	teardown_bundle
}

# HULL_TEST_KILL_AT=$1: hull SIGKILLs itself at that point of create (see
# hull_fault_point in libcontainer/utils.c); then delete --force must clean up.
killed_create() {
	local phase=$1
	set_args sleep 1000
	status=0
	HULL_TEST_KILL_AT=$phase rtm create --bundle "$BUNDLE" "$ID" </dev/null >"$TESTDIR/out" 2>&1 3>&- || status=$?
	[ "$status" -eq 137 ] || fail "create was not killed at $phase (status $status): $(cat "$TESTDIR/out")"
	# Something is left (the state at least), and the CLI copes with it.
	[ -n "$(debris)" ] || fail "nothing left after a kill at $phase: the fault point did not run"
	run rtm state "$ID"
	[ "$status" -lt 128 ]
	run rtm list
	[ "$status" -eq 0 ]
	run rtm delete --force "$ID"
	[ "$status" -eq 0 ] || fail "delete --force after a kill at $phase: $output"
	assert_no_debris
	# The id can be used again.
	set_args true
	run_detached rtm create --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || fail "create after the cleanup: $output"
	rtm delete --force "$ID"
	assert_no_debris
}

@test "create killed after the state is saved" {
	requires_hull # HULL_TEST_KILL_AT is hull's fault injection
	killed_create state-saved
}

@test "create killed after the cgroup is created" {
	requires_hull
	killed_create cgroup-created
}

@test "create killed right after clone" {
	requires_hull
	killed_create cloned
}

@test "create killed after the child was released" {
	requires_hull
	killed_create child-released
}

@test "create killed when the child is ready" {
	requires_hull
	killed_create child-ready
}

@test "create killed after the running state is saved" {
	requires_hull
	killed_create state-running
}

@test "a kill after the cgroup exists leaves a cgroup that delete --force removes" {
	requires_hull
	set_args sleep 1000
	status=0
	HULL_TEST_KILL_AT=cgroup-created rtm create --bundle "$BUNDLE" "$ID" </dev/null >"$TESTDIR/out" 2>&1 3>&- || status=$?
	[ "$status" -eq 137 ]
	debris | grep -q '^cgroup ' || fail "no cgroup left: $(debris)"
	debris | grep -q '^state ' || fail "no state left: $(debris)"
	rtm delete --force "$ID"
	assert_no_debris
}

@test "a kill after the child is ready: the container process does not outlive it" {
	requires_hull
	set_args sleep 1000
	status=0
	HULL_TEST_KILL_AT=child-ready rtm create --bundle "$BUNDLE" "$ID" </dev/null >"$TESTDIR/out" 2>&1 3>&- || status=$?
	[ "$status" -eq 137 ]
	# The half-made container must not reach created: its process goes away
	# by itself (the sync socket closed), and delete --force removes the rest.
	local i
	for i in $(seq 100); do
		debris | grep -q '^process ' || break
		sleep 0.1
	done
	debris | grep '^process ' && fail "container process of an interrupted create still runs"
	run rtm start "$ID"
	[ "$status" -ne 0 ]
	rtm delete --force "$ID"
	assert_no_debris
}

# Two runtimes create the same id at the same time: exactly one wins, the
# other fails saying so, and the winner's container is intact.
@test "two creates racing on one id" {
	set_args sleep 1000
	local i s1 s2 wins
	for i in $(seq 10); do
		s1=0 s2=0
		rtm create --bundle "$BUNDLE" "$ID" </dev/null >"$TESTDIR/c1" 2>&1 3>&- &
		local p1=$!
		rtm create --bundle "$BUNDLE" "$ID" </dev/null >"$TESTDIR/c2" 2>&1 3>&- &
		local p2=$!
		wait "$p1" || s1=$?
		wait "$p2" || s2=$?
		wins=$(( (s1 == 0) + (s2 == 0) ))
		[ "$wins" -eq 1 ] || fail "round $i: $wins creates succeeded ($s1 $s2): $(cat "$TESTDIR/c1" "$TESTDIR/c2")"
		[ "$s1" -lt 128 ] && [ "$s2" -lt 128 ]
		grep -q 'already exists\|busy\|locked' "$TESTDIR/c1" "$TESTDIR/c2" ||
			fail "round $i: the loser does not say why: $(cat "$TESTDIR/c1" "$TESTDIR/c2")"
		local st
		st=$(rtm state "$ID" 2>&1 | jq -r .status 2>/dev/null)
		if [ "$st" != created ] && ! is_hull; then
			# runc 1.1.5 sometimes lets the losing create remove the
			# winner's state ("container does not exist" afterwards).
			rtm delete --force "$ID" || true
			skip "$RUNTIME_NAME: the losing create removed the winner's state (round $i)"
		fi
		[ "$st" = created ] || fail "round $i: status \"$st\": $(cat "$TESTDIR/c1" "$TESTDIR/c2")"
		[ "$(debris | grep -c '^process ')" -eq 1 ] || fail "round $i: $(debris)"
		rtm delete --force "$ID"
		assert_no_debris
	done
}

@test "two delete --force racing on one container" {
	set_args sleep 1000
	local i s1 s2
	for i in $(seq 10); do
		s1=0 s2=0
		run_detached rtm run -d --bundle "$BUNDLE" "$ID"
		[ "$status" -eq 0 ]
		rtm delete --force "$ID" </dev/null >"$TESTDIR/d1" 2>&1 3>&- &
		local p1=$!
		rtm delete --force "$ID" </dev/null >"$TESTDIR/d2" 2>&1 3>&- &
		local p2=$!
		wait "$p1" || s1=$?
		wait "$p2" || s2=$?
		[ "$s1" -lt 128 ] && [ "$s2" -lt 128 ] || fail "round $i: crashed ($s1 $s2)"
		assert_no_debris
	done
}

# Open fds naming the test directory, anywhere on the host.
test_fds() {
	local f
	for f in /proc/[0-9]*/fd/*; do
		[[ "$(readlink "$f" 2>/dev/null)" == "$TESTDIR"* ]] && echo "$f"
	done
	true
}

@test "200 create/delete cycles leave nothing behind" {
	set_args true
	local mounts0 cgroups0 fds0 mounts1 cgroups1 fds1 i
	mounts0=$(wc -l </proc/self/mountinfo)
	cgroups0=$(find /sys/fs/cgroup -mindepth 1 -type d 2>/dev/null | wc -l)
	fds0=$(ls /proc/$$/fd | wc -l)
	for i in $(seq 200); do
		run_detached rtm create --bundle "$BUNDLE" "$ID"
		[ "$status" -eq 0 ] || fail "cycle $i: create: $output"
		run rtm delete --force "$ID"
		[ "$status" -eq 0 ] || fail "cycle $i: delete: $output"
	done
	assert_no_debris
	[ -z "$(test_fds)" ] || fail "fds into the test dir: $(test_fds)"
	[ -z "$(ls -A "$ROOT")" ] || fail "state root not empty: $(ls -A "$ROOT")"
	mounts1=$(wc -l </proc/self/mountinfo)
	cgroups1=$(find /sys/fs/cgroup -mindepth 1 -type d 2>/dev/null | wc -l)
	fds1=$(ls /proc/$$/fd | wc -l)
	echo "# mountinfo lines $mounts0 -> $mounts1, cgroup dirs $cgroups0 -> $cgroups1, fds $fds0 -> $fds1"
	# A leak in every cycle shows as 200 more; other users of the machine may
	# add a few of their own meanwhile.
	[ $((mounts1 - mounts0)) -lt 50 ] || fail "mountinfo grew from $mounts0 to $mounts1"
	[ $((cgroups1 - cgroups0)) -lt 50 ] || fail "cgroup dirs grew from $cgroups0 to $cgroups1"
	[ "$fds1" -le "$fds0" ] || fail "the test shell has more fds: $fds0 -> $fds1"
}
