#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Container ids: invalid ones are refused before anything is written.

load helpers

setup() {
	setup_bundle
	set_args true
}

teardown() {
	teardown_bundle
}

# Entries of $TESTDIR (except run_detached's output files) and of $ROOT.
snapshot() {
	(cd "$TESTDIR" && find . -path ./bundle/rootfs -prune -o -print | grep -v '^\./out\.' | sort)
}

# Each invalid id, one per line (the 1025-character one is built here).
invalid_ids() {
	printf '%s\n' .. . a/b ../x x/.. /abs "a b" "tab	x" café "ü" 'a$b' 'a*' 'a:b' 'a;b' 'a\b' "a'b"
	printf 'x%.0s' $(seq 1025)
	echo
}

@test "create refuses invalid ids and writes nothing" {
	local before id
	before=$(snapshot)
	while IFS= read -r id; do
		run_detached rt create --bundle "$BUNDLE" "$id"
		if [ "$status" -eq 0 ]; then
			echo "id \"$id\" was accepted" >&2
			return 1
		fi
		[ -z "$(ls -A "$ROOT")" ]
		[ "$(snapshot)" = "$before" ]
	done < <(invalid_ids)
	[ -z "$(leftovers "$ID")" ]
}

@test "create refuses the empty id" {
	run_detached rt create --bundle "$BUNDLE" ""
	[ "$status" -ne 0 ]
	[ -z "$(ls -A "$ROOT")" ]
}

@test "run refuses invalid ids and writes nothing" {
	local before id
	before=$(snapshot)
	for id in .. ../x a/b "a b"; do
		run_detached rt run --bundle "$BUNDLE" "$id"
		[ "$status" -ne 0 ]
		[ -z "$(ls -A "$ROOT")" ]
		[ "$(snapshot)" = "$before" ]
	done
}

@test "state, start, kill and delete --force refuse invalid ids and touch nothing" {
	local before id verb
	# Something that a path-joining delete of ".." or "../x" would remove.
	mkdir "$TESTDIR/x"
	touch "$TESTDIR/x/keep"
	before=$(snapshot)
	for id in .. ../x . a/b; do
		for verb in state start kill "delete --force" delete; do
			# shellcheck disable=SC2086
			run rt $verb "$id"
			[ "$status" -ne 0 ]
			[ "$(snapshot)" = "$before" ]
		done
	done
	[ -f "$TESTDIR/x/keep" ]
	[ -d "$BUNDLE/rootfs/bin" ]
}

@test "the error names the bad id" {
	requires_hull
	run_detached rt create --bundle "$BUNDLE" "../x"
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *'../x'* ]]
}

@test "a comma is not a valid id character" {
	# runc's id pattern happens to accept ",": hull follows its documented
	# [A-Za-z0-9_.+-] rule.
	requires_hull
	run_detached rt create --bundle "$BUNDLE" "a,b"
	[ "$status" -ne 0 ]
	[ -z "$(ls -A "$ROOT")" ]
}

@test "valid ids with _ . + - and up to 255 characters work" {
	local id long
	long=$(printf 'y%.0s' $(seq 255))
	for id in "a_b.c+d-e" A1 "x.y" "a..b" "..a" "_" "1" "$long"; do
		create_ctr "$id"
		[ "$status" -eq 0 ]
		[ "$(state_field "$id" id)" = "$id" ]
		[ "$(state_field "$id" status)" = created ]
		run rt list -q
		[[ "$output" == *"$id"* ]]
		run rt delete --force "$id"
		[ "$status" -eq 0 ]
		[ -z "$(ls -A "$ROOT")" ]
	done
}
