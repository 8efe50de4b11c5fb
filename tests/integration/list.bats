#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `list`: table, JSON and quiet formats.

load helpers

setup() {
	setup_bundle
	require_hullinfo
	set_args hullinfo sleep
}

teardown() {
	teardown_bundle
}

@test "list of an empty root prints only the header" {
	run rt list
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[ "$(echo "${lines[0]}" | tr -s ' ')" = "ID PID STATUS BUNDLE CREATED OWNER" ]
}

@test "list -q and --format json of an empty root" {
	run rt list -q
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run rt list --format json
	[ "$status" -eq 0 ]
	# runc prints "null" for no containers; an empty array is as good.
	jq -e '. == null or . == []' <<<"$output"
}

@test "list of a root that does not exist yet" {
	run "$RUNTIME" --root "$TESTDIR/fresh" list -q
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "list table shows each container with its pid, status, bundle, created and owner" {
	create_ctr "$ID-a"
	[ "$status" -eq 0 ]
	run_d "$ID-b"
	[ "$status" -eq 0 ]
	run rt list
	[ "$status" -eq 0 ]
	[ "$(echo "${lines[0]}" | tr -s ' ')" = "ID PID STATUS BUNDLE CREATED OWNER" ]
	[ "${#lines[@]}" -eq 3 ]
	local id row
	for id in "$ID-a" "$ID-b"; do
		row=$(printf '%s\n' "${lines[@]}" | awk -v id="$id" '$1 == id')
		[ -n "$row" ]
		read -r -a f <<<"$row"
		[ "${f[1]}" = "$(state_field "$id" pid)" ]
		[ "${f[2]}" = "$(state_field "$id" status)" ]
		[ "${f[3]}" = "$BUNDLE" ]
		[ "${f[4]}" = "$(state_field "$id" created)" ]
		[ "${f[5]}" = "$(id -un)" ]
	done
	[[ "$(printf '%s\n' "${lines[@]}" | awk -v id="$ID-a" '$1 == id {print $3}')" = created ]]
	[[ "$(printf '%s\n' "${lines[@]}" | awk -v id="$ID-b" '$1 == id {print $3}')" = running ]]
	rt delete --force "$ID-a"
	rt delete --force "$ID-b"
	[ -z "$(leftovers "$ID")" ]
}

@test "list --format json is an array of state objects" {
	create_ctr "$ID-a"
	[ "$status" -eq 0 ]
	run_d "$ID-b"
	[ "$status" -eq 0 ]
	run rt list --format json
	[ "$status" -eq 0 ]
	jq -e 'type == "array" and length == 2' <<<"$output"
	local j=$output id
	for id in "$ID-a" "$ID-b"; do
		local e
		e=$(jq -c --arg id "$id" '.[] | select(.id == $id)' <<<"$j")
		[ -n "$e" ]
		[ "$(jq -r .pid <<<"$e")" = "$(state_field "$id" pid)" ]
		[ "$(jq -r .status <<<"$e")" = "$(state_field "$id" status)" ]
		[ "$(jq -r .bundle <<<"$e")" = "$BUNDLE" ]
		[ "$(jq -r .created <<<"$e")" = "$(state_field "$id" created)" ]
		[ "$(jq -r .owner <<<"$e")" = "$(id -un)" ]
	done
	run rt list -f json
	[ "$status" -eq 0 ]
	jq -e 'length == 2' <<<"$output"
	rt delete --force "$ID-a"
	rt delete --force "$ID-b"
	[ -z "$(leftovers "$ID")" ]
}

@test "list -q prints only the ids, sorted" {
	local id
	for id in "$ID-c" "$ID-a" "$ID-b"; do
		create_ctr "$id"
		[ "$status" -eq 0 ]
	done
	run rt list -q
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' "$ID-a" "$ID-b" "$ID-c")" ]
	run rt list --quiet
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	for id in "$ID-a" "$ID-b" "$ID-c"; do
		rt delete --force "$id"
	done
	[ -z "$(leftovers "$ID")" ]
}

@test "list shows a stopped container as stopped" {
	set_args true
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	rt start "$ID"
	wait_status "$ID" stopped
	run rt list
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | awk -v id="$ID" '$1 == id {print $3}')" = stopped ]
	rt delete "$ID"
	[ -z "$(leftovers "$ID")" ]
}

@test "list with an unknown --format fails" {
	run rt list --format yaml
	[ "$status" -ne 0 ]
}
