#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# spec, create, start, state, kill, delete: the OCI lifecycle through the CLI.

load helpers

setup() {
	setup_bundle
}

teardown() {
	teardown_bundle
}

@test "spec writes a config.json that parses, with the default namespaces, mounts and args" {
	local d=$TESTDIR/specdir
	mkdir "$d"
	run bash -c "cd '$d' && '$RUNTIME' spec"
	[ "$status" -eq 0 ]
	[ -f "$d/config.json" ]
	jq -e . "$d/config.json" >/dev/null
	[ "$(jq -c .process.args "$d/config.json")" = '["sh"]' ]
	[ "$(jq -r .root.path "$d/config.json")" = rootfs ]
	jq -e '.ociVersion | test("^1\\.[0-9]+\\.[0-9]+")' "$d/config.json"
	local ns
	for ns in pid network ipc uts mount; do
		jq -e --arg t "$ns" '[.linux.namespaces[].type] | index($t) != null' "$d/config.json"
	done
	local m
	for m in /proc /dev /dev/pts /dev/shm /dev/mqueue /sys; do
		jq -e --arg m "$m" '[.mounts[].destination] | index($m) != null' "$d/config.json"
	done
}

@test "spec refuses to overwrite an existing config.json" {
	local d=$TESTDIR/specdir
	mkdir "$d"
	echo '{"keep": true}' >"$d/config.json"
	run bash -c "cd '$d' && '$RUNTIME' spec"
	[ "$status" -ne 0 ]
	[ "$(jq -c . "$d/config.json")" = '{"keep":true}' ]
}

@test "spec --bundle writes into the given directory" {
	local d=$TESTDIR/specdir
	mkdir "$d"
	run rt spec --bundle "$d"
	[ "$status" -eq 0 ]
	jq -e .process "$d/config.json" >/dev/null
}

@test "create: status created, live pid, pid file written before create returns" {
	require_hullinfo
	set_args hullinfo sleep
	create_ctr "$ID" --pid-file "$TESTDIR/pid"
	[ "$status" -eq 0 ]
	# The pid file exists as soon as create returns, and holds only digits
	# (containerd parses it with strconv.Atoi: no newline allowed).
	[ -f "$TESTDIR/pid" ]
	grep -qxE '[0-9]+' "$TESTDIR/pid"
	[ "$(wc -l <"$TESTDIR/pid")" -eq 0 ]
	run rt state "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = created ]
	local pid
	pid=$(jq -r .pid <<<"$output")
	[ "$pid" -gt 0 ]
	[ -d "/proc/$pid" ]
	[ "$(cat "$TESTDIR/pid")" = "$pid" ]

	run rt delete --force "$ID"
	[ "$status" -eq 0 ]
	wait_pid_gone "$pid"
	[ -z "$(leftovers "$ID")" ]
}

@test "create with a relative --pid-file writes it relative to the cwd" {
	run_detached bash -c "cd '$TESTDIR' && '$RUNTIME' --root '$ROOT' create --bundle '$BUNDLE' --pid-file rel.pid '$ID'"
	[ "$status" -eq 0 ]
	[ "$(cat "$TESTDIR/rel.pid")" = "$(state_field "$ID" pid)" ]
	rt delete --force "$ID"
	[ -z "$(leftovers "$ID")" ]
}

@test "start: created -> running -> kill -> stopped -> delete" {
	require_hullinfo
	set_args hullinfo sleep
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	run rt start "$ID"
	[ "$status" -eq 0 ]
	[ "$(state_field "$ID" status)" = running ]

	run rt kill "$ID"
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped

	run rt delete "$ID"
	[ "$status" -eq 0 ]
	run rt state "$ID"
	[ "$status" -ne 0 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "start: a short process ends up stopped" {
	set_args true
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	run rt start "$ID"
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	run rt delete "$ID"
	[ "$status" -eq 0 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "kill by name KILL, SIGKILL and number 9" {
	require_hullinfo
	set_args hullinfo sleep
	local sig n=0
	for sig in KILL SIGKILL 9; do
		n=$((n + 1))
		run_d "$ID-$n"
		[ "$status" -eq 0 ]
		[ "$(state_field "$ID-$n" status)" = running ]
		run rt kill "$ID-$n" "$sig"
		[ "$status" -eq 0 ]
		wait_status "$ID-$n" stopped
		rt delete "$ID-$n"
	done
	[ -z "$(leftovers "$ID")" ]
}

@test "start of a container that was not created fails" {
	run rt start "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"does not exist"* ]]
	[ -z "$(leftovers "$ID")" ]
}

@test "start twice fails the second time" {
	require_hullinfo
	set_args hullinfo sleep
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	rt start "$ID"
	run rt start "$ID"
	[ "$status" -ne 0 ]
	[ "$(state_field "$ID" status)" = running ]
	rt delete --force "$ID"
	[ -z "$(leftovers "$ID")" ]
}

@test "start of a stopped container fails" {
	set_args true
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	rt start "$ID"
	wait_status "$ID" stopped
	run rt start "$ID"
	[ "$status" -ne 0 ]
	rt delete "$ID"
	[ -z "$(leftovers "$ID")" ]
}

@test "create twice with the same id fails and leaves the first intact" {
	require_hullinfo
	set_args hullinfo sleep
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	local pid
	pid=$(state_field "$ID" pid)
	create_ctr "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"already exists"* ]]
	[ "$(state_field "$ID" status)" = created ]
	[ "$(state_field "$ID" pid)" = "$pid" ]
	rt delete --force "$ID"
	[ -z "$(leftovers "$ID")" ]
}

@test "delete of a running container fails without --force, works with it" {
	require_hullinfo
	set_args hullinfo sleep
	run_d "$ID"
	[ "$status" -eq 0 ]
	local pid
	pid=$(state_field "$ID" pid)
	run rt delete "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"not stopped"* ]]
	[ "$(state_field "$ID" status)" = running ]
	[ -d "/proc/$pid" ]

	run rt delete --force "$ID"
	[ "$status" -eq 0 ]
	run rt state "$ID"
	[ "$status" -ne 0 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "delete of a created container kills it (no --force needed)" {
	require_hullinfo
	set_args hullinfo sleep
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	run rt delete "$ID"
	[ "$status" -eq 0 ]
	run rt state "$ID"
	[ "$status" -ne 0 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "delete of a missing container fails with \"does not exist\"" {
	run rt delete "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"does not exist"* ]]
	[ -z "$(leftovers "$ID")" ]
}

@test "delete --force of a missing container succeeds (already gone)" {
	# runc 1.1.5 and containerd both treat this as success.
	run rt delete --force "$ID"
	[ "$status" -eq 0 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "state of a missing container fails with \"does not exist\"" {
	run rt state "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"does not exist"* ]]
}

@test "state JSON fields" {
	require_hullinfo
	set_args hullinfo sleep
	update_config '.annotations = {"org.hull.test": "yes", "other": "a b"}'
	# A relative --bundle must still be reported as an absolute path.
	run_detached bash -c "cd '$TESTDIR' && '$RUNTIME' --root '$ROOT' create --bundle bundle '$ID'"
	[ "$status" -eq 0 ]
	run rt state "$ID"
	[ "$status" -eq 0 ]
	local j=$output
	jq -e . <<<"$j" >/dev/null
	jq -e '.ociVersion | type == "string" and test("^1\\.[0-9]+\\.[0-9]+")' <<<"$j"
	[ "$(jq -r .id <<<"$j")" = "$ID" ]
	jq -e '.pid | type == "number" and . > 0' <<<"$j"
	[ "$(jq -r .status <<<"$j")" = created ]
	[ "$(jq -r .bundle <<<"$j")" = "$BUNDLE" ]
	[ "$(jq -r .rootfs <<<"$j")" = "$BUNDLE/rootfs" ]
	jq -e '.created | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")' <<<"$j"
	# created parses as a time and is not in the future or long ago.
	local created now
	created=$(date -d "$(jq -r .created <<<"$j")" +%s)
	now=$(date +%s)
	[ "$created" -le "$now" ]
	[ "$created" -gt $((now - 3600)) ]
	jq -e '.owner | type == "string"' <<<"$j"
	[ "$(jq -r '.annotations["org.hull.test"]' <<<"$j")" = yes ]
	[ "$(jq -r '.annotations.other' <<<"$j")" = "a b" ]

	rt start "$ID"
	[ "$(state_field "$ID" status)" = running ]
	rt kill "$ID" KILL
	wait_status "$ID" stopped
	# A stopped container keeps its state; runc reports pid 0 then.
	run rt state "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .id <<<"$output")" = "$ID" ]
	rt delete "$ID"
	[ -z "$(leftovers "$ID")" ]
}

@test "state without annotations in the config has none or an empty object" {
	set_args true
	update_config 'del(.annotations)'
	create_ctr "$ID"
	[ "$status" -eq 0 ]
	run rt state "$ID"
	[ "$status" -eq 0 ]
	jq -e '(.annotations // {}) == {}' <<<"$output"
	rt delete --force "$ID"
	[ -z "$(leftovers "$ID")" ]
}

@test "create with a missing bundle fails and leaves nothing" {
	run_detached rt create --bundle "$TESTDIR/nonexistent" "$ID"
	[ "$status" -ne 0 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "create with a broken config.json fails and leaves nothing" {
	echo '{"ociVersion": ' >"$BUNDLE/config.json"
	create_ctr "$ID"
	[ "$status" -ne 0 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "a broken config.json is named in the last error line" {
	# runc only says "unexpected EOF".
	requires_hull
	echo '{"ociVersion": ' >"$BUNDLE/config.json"
	create_ctr "$ID"
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *config.json* ]]
	[ -z "$(leftovers "$ID")" ]
}

@test "create with a missing executable fails and leaves nothing" {
	set_args /bin/no-such-binary
	create_ctr "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *no-such-binary* ]]
	[ -z "$(leftovers "$ID")" ]
}

@test "create with a --pid-file in a missing directory fails and leaves nothing" {
	require_hullinfo
	set_args hullinfo sleep
	create_ctr "$ID" --pid-file "$TESTDIR/nodir/pid"
	[ "$status" -ne 0 ]
	[ ! -e "$TESTDIR/nodir" ]
	[ -z "$(leftovers "$ID")" ]
	[ -z "$(ls -A "$ROOT")" ]
}

@test "a container whose init was killed behind the runtime's back is stopped" {
	require_hullinfo
	set_args hullinfo sleep
	run_d "$ID"
	[ "$status" -eq 0 ]
	local pid
	pid=$(state_field "$ID" pid)
	kill -9 "$pid"
	wait_status "$ID" stopped
	run rt list
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | awk -v id="$ID" '$1 == id {print $3}')" = stopped ]
	run rt delete "$ID"
	[ "$status" -eq 0 ]
	[ -z "$(leftovers "$ID")" ]
}
