#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# OCI hooks: when each kind runs, what state it gets on stdin, and what a
# failing or hanging hook does to create.

load helpers

setup() {
	setup_bundle
	LOGDIR=$TESTDIR/hooklog
	mkdir -p "$LOGDIR"
	# One recorder for every hook: "<kind> <state JSON>" appended to a log.
	# It runs on the host (prestart, createRuntime, poststart, poststop), in
	# the container's mount namespace before pivot_root (createContainer,
	# whose path resolves in the runtime namespace) and inside the container
	# (startContainer: path and log resolve there, through a bind mount).
	cat >"$TESTDIR/record.sh" <<-'EOF'
		#!/bin/sh
		state=$(cat)
		printf '%s %s\n' "$1" "$state" >>"$2"
	EOF
	chmod 755 "$TESTDIR/record.sh"
	cp "$TESTDIR/record.sh" "$BUNDLE/rootfs/record.sh"
	update_config --arg logdir "$LOGDIR" \
		'.mounts += [{"destination": "/hooklog", "type": "bind", "source": $logdir, "options": ["rbind", "rw"]}]'
}

teardown() {
	teardown_bundle
}

# hook_json PATH KIND LOG [TIMEOUT]: a hook object running the recorder.
hook_json() {
	jq -n --arg p "$1" --arg k "$2" --arg l "$3" --argjson t "${4:-0}" \
		'{path: $p, args: ["record.sh", $k, $l], env: ["PATH=/usr/bin:/bin"]}
		 + (if $t > 0 then {timeout: $t} else {} end)'
}

# Install recorder hooks for all six kinds.
record_all_hooks() {
	local host=$TESTDIR/record.sh log=$LOGDIR/log
	update_config \
		--argjson pre "$(hook_json "$host" prestart "$log")" \
		--argjson cr "$(hook_json "$host" createRuntime "$log")" \
		--argjson cc "$(hook_json "$host" createContainer "$log")" \
		--argjson sc "$(hook_json /record.sh startContainer /hooklog/log)" \
		--argjson ps "$(hook_json "$host" poststart "$log")" \
		--argjson pst "$(hook_json "$host" poststop "$log")" \
		'.hooks = {prestart: [$pre], createRuntime: [$cr], createContainer: [$cc],
		           startContainer: [$sc], poststart: [$ps], poststop: [$pst]}'
}

# Field of the state a kind got: state_of KIND JQ-FILTER
state_of() {
	grep "^$1 " "$LOGDIR/log" | head -n 1 | cut -d' ' -f2- | jq -r "$2"
}

@test "all six hook kinds run, each once, with the state of its lifecycle step" {
	record_all_hooks
	set_args sleep 100

	rt create --bundle "$BUNDLE" "$ID"
	host_pid=$(rt state "$ID" | jq -r .pid)
	run cut -d' ' -f1 "$LOGDIR/log"
	echo "$output"
	[ "${lines[*]:0:3}" = "prestart createRuntime createContainer" ]
	if is_hull; then
		[ "${#lines[@]}" -eq 3 ]
	else
		# runc before 1.2 runs poststart at create already (fixed in runc 1.2).
		[ "${#lines[@]}" -eq 3 ] || [ "${lines[*]:3}" = poststart ]
	fi

	rt start "$ID"
	wait_status "$ID" running
	# poststart runs before start returns; startContainer before the program runs.
	run cut -d' ' -f1 "$LOGDIR/log"
	echo "$output"
	[ "${#lines[@]}" -eq 5 ]
	[ "$(printf '%s\n' "${lines[@]:3:2}" | sort | tr '\n' ' ')" = "poststart startContainer " ]
	if is_hull; then
		# The spec orders them (lifecycle steps 7 and 9).
		[ "${lines[3]}" = startContainer ]
		[ "${lines[4]}" = poststart ]
	fi

	rt kill "$ID" KILL
	wait_status "$ID" stopped
	rt delete "$ID"
	run cut -d' ' -f1 "$LOGDIR/log"
	[ "${lines[5]}" = poststop ]
	[ "${#lines[@]}" -eq 6 ]

	cat "$LOGDIR/log"
	[ "$(state_of prestart .status)" = creating ]
	[ "$(state_of createRuntime .status)" = creating ]
	[ "$(state_of createContainer .status)" = creating ]
	[ "$(state_of startContainer .status)" = created ]
	# runc < 1.2 runs poststart during create and passes "created".
	if is_hull; then [ "$(state_of poststart .status)" = running ]; fi
	[ "$(state_of poststop .status)" = stopped ]

	local k
	for k in prestart createRuntime createContainer startContainer poststart poststop; do
		[ "$(state_of $k .id)" = "$ID" ]
		[ "$(state_of $k .bundle)" = "$BUNDLE" ]
		[ -n "$(state_of $k .ociVersion)" ]
	done
	# Runtime-namespace hooks see the host pid, container-namespace ones the pid inside.
	[ "$(state_of prestart .pid)" = "$host_pid" ]
	[ "$(state_of createRuntime .pid)" = "$host_pid" ]
	[ "$(state_of poststart .pid)" = "$host_pid" ]
	[ "$(state_of createContainer .pid)" = 1 ]
	[ "$(state_of startContainer .pid)" = 1 ]
}

@test "several hooks of one kind run in order" {
	local host=$TESTDIR/record.sh log=$LOGDIR/log
	update_config \
		--argjson a "$(hook_json "$host" first "$log")" \
		--argjson b "$(hook_json "$host" second "$log")" \
		--argjson c "$(hook_json "$host" third "$log")" \
		'.hooks = {createRuntime: [$a, $b, $c]}'
	rt create --bundle "$BUNDLE" "$ID"
	run cut -d' ' -f1 "$LOGDIR/log"
	[ "$output" = "$(printf 'first\nsecond\nthird')" ]
	rt delete -f "$ID"
}

@test "a failing prestart hook makes create fail and leaves nothing behind" {
	update_config '.hooks = {prestart: [{path: "/bin/false"}]}'
	run rt create --bundle "$BUNDLE" "$ID"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *hook* ]]
	[ -z "$(leftovers "$ID")" ]
	run rt state "$ID"
	[ "$status" -ne 0 ]
}

@test "a failing prestart hook is named in the last error line (hull message)" {
	requires_hull
	update_config '.hooks = {prestart: [{path: "/bin/true"}, {path: "/bin/false"}]}'
	run rt create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *'prestart hook[1] "/bin/false": exited with status 1'* ]]
}

@test "a failing createContainer hook (run in the container) fails create cleanly" {
	update_config '.hooks = {createContainer: [{path: "/bin/sh", args: ["sh", "-c", "exit 3"]}]}'
	run rt create --bundle "$BUNDLE" "$ID"
	echo "$output"
	[ "$status" -ne 0 ]
	[ -z "$(leftovers "$ID")" ]
	if is_hull; then
		[[ "${lines[-1]}" == *'createContainer hook[0] "/bin/sh": exited with status 3'* ]]
	fi
}

@test "a missing hook binary fails create with the path named" {
	update_config '.hooks = {createRuntime: [{path: "/nonexistent/hook"}]}'
	run rt create --bundle "$BUNDLE" "$ID"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"no such file or directory"* ]]
	[ -z "$(leftovers "$ID")" ]
	if is_hull; then
		[[ "${lines[-1]}" == *'createRuntime hook[0] "/nonexistent/hook": exec: no such file or directory'* ]]
	fi
}

@test "a hook that outlives its timeout is killed and create fails" {
	update_config '.hooks = {prestart: [{path: "/bin/sh", args: ["sh", "-c", "sleep 10"], timeout: 1}]}'
	run rt create --bundle "$BUNDLE" "$ID"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" =~ tim(e|ed).?out ]]
	[ -z "$(leftovers "$ID")" ]
	if is_hull; then
		[[ "${lines[-1]}" == *'prestart hook[0] "/bin/sh": timed out after 1s'* ]]
	fi
}

@test "poststop runs on delete of a container that never started" {
	local host=$TESTDIR/record.sh log=$LOGDIR/log
	update_config --argjson p "$(hook_json "$host" poststop "$log")" '.hooks = {poststop: [$p]}'
	set_args sleep 100
	rt create --bundle "$BUNDLE" "$ID"
	[ ! -e "$LOGDIR/log" ]
	rt delete -f "$ID"
	[ "$(cut -d' ' -f1 "$LOGDIR/log")" = poststop ]
	[ "$(state_of poststop .status)" = stopped ]
	[ "$(state_of poststop .id)" = "$ID" ]
	[ -z "$(leftovers "$ID")" ]
}

@test "hooks get exactly their own env and args" {
	cat >"$TESTDIR/envhook.sh" <<-'EOF'
		#!/bin/sh
		tr '\0' ' ' </proc/$$/cmdline >"$OUT"
		echo >>"$OUT"
		/usr/bin/env >>"$OUT"
	EOF
	update_config --arg out "$LOGDIR/env" --arg script "$TESTDIR/envhook.sh" \
		'.hooks = {createRuntime: [{path: "/bin/sh", args: ["custom-name", $script, "arg 1"],
		                           env: ["OUT=\($out)", "HOOKVAR=x y"]}]}'
	export HULL_LEAK_CHECK=1
	rt create --bundle "$BUNDLE" "$ID"
	run cat "$LOGDIR/env"
	echo "$output"
	[ "${lines[0]}" = "custom-name $TESTDIR/envhook.sh arg 1 " ]
	printf '%s\n' "${lines[@]:1}" | grep -qx "HOOKVAR=x y"
	printf '%s\n' "${lines[@]:1}" | grep -qx "OUT=$LOGDIR/env"
	# Nothing of the runtime's own environment (sh adds PWD by itself).
	! printf '%s\n' "${lines[@]:1}" | grep -Eq '^(HOME|PATH|HULL_LEAK_CHECK)='
	rt delete -f "$ID"
}
