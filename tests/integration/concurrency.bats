#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Verbs racing each other on one state root.

load helpers

setup() {
	setup_bundle
	require_hullinfo
	set_args hullinfo sleep
}

teardown() {
	teardown_bundle
}

# create_bg ID TAG: start `rt create` of ID in the background (its pid is
# then in $!); the exit status goes to $TESTDIR/TAG.rc and the output to
# $TESTDIR/TAG.log.
create_bg() {
	(
		rc=0
		rt create --bundle "$BUNDLE" "$1" </dev/null >"$TESTDIR/$2.log" 2>&1 || rc=$?
		echo "$rc" >"$TESTDIR/$2.rc"
	) </dev/null >/dev/null 2>&1 3>&- &
}

@test "two creates of one id race: exactly one wins, the other says \"already exists\"" {
	local round
	for round in 1 2 3 4 5; do
		local id="$ID-r$round" p1 p2
		create_bg "$id" "$round-a"
		p1=$!
		create_bg "$id" "$round-b"
		p2=$!
		wait "$p1" "$p2"
		local a b
		a=$(cat "$TESTDIR/$round-a.rc")
		b=$(cat "$TESTDIR/$round-b.rc")
		echo "round $round: rc $a $b" >&2
		cat "$TESTDIR/$round-a.log" "$TESTDIR/$round-b.log" >&2
		if [ "$a" -eq 0 ]; then
			[ "$b" -ne 0 ]
			grep -q "already exists" "$TESTDIR/$round-b.log"
		else
			[ "$b" -eq 0 ]
			grep -q "already exists" "$TESTDIR/$round-a.log"
		fi
		[ "$(state_field "$id" status)" = created ]
		# Exactly one container process exists for the id: the state's pid.
		# The loser must not have left a second init behind.
		run rt list -q
		[ "$output" = "$id" ]
		run rt delete --force "$id"
		[ "$status" -eq 0 ]
		[ -z "$(leftovers "$id")" ]
	done
	[ -z "$(leftovers "$ID")" ]
}

@test "ten parallel creates of different ids all succeed" {
	local i pids=()
	for i in $(seq 10); do
		create_bg "$ID-$i" "$i"
		pids+=($!)
	done
	wait "${pids[@]}"
	for i in $(seq 10); do
		[ "$(cat "$TESTDIR/$i.rc")" -eq 0 ] || { cat "$TESTDIR/$i.log" >&2; false; }
		[ "$(state_field "$ID-$i" status)" = created ]
	done
	run rt list -q
	[ "${#lines[@]}" -eq 10 ]
	for i in $(seq 10); do
		rt delete --force "$ID-$i"
	done
	[ -z "$(leftovers "$ID")" ]
}

@test "two delete --force of one container race: both succeed, nothing is left" {
	run_d "$ID"
	[ "$status" -eq 0 ]
	local pid p1 p2 r1=0 r2=0
	pid=$(state_field "$ID" pid)
	rt delete --force "$ID" >"$TESTDIR/d1.log" 2>&1 3>&- &
	p1=$!
	rt delete --force "$ID" >"$TESTDIR/d2.log" 2>&1 3>&- &
	p2=$!
	wait "$p1" || r1=$?
	wait "$p2" || r2=$?
	cat "$TESTDIR/d1.log" "$TESTDIR/d2.log" >&2
	[ "$r1" -eq 0 ]
	[ "$r2" -eq 0 ]
	wait_pid_gone "$pid"
	[ -z "$(leftovers "$ID")" ]
}
