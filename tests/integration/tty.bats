#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Terminals: --console-socket hand-over (received by tests/recvtty) and the
# foreground relay of `run` (driven through script(1), which gives us a tty).

load helpers

RECVTTY=${RECVTTY:-$HULL_BUILDDIR/tests/recvtty}

setup() {
	[ -x "$RECVTTY" ] || skip "tests/recvtty not built"
	setup_bundle
	update_config '.process.terminal = true'
	SOCK=$TESTDIR/tty.sock
}

teardown() {
	if [ -n "${RECVTTY_PID:-}" ]; then
		kill -9 "$RECVTTY_PID" 2>/dev/null || true
		wait "$RECVTTY_PID" 2>/dev/null || true
	fi
	teardown_bundle
}

# Start recvtty on $SOCK in the background; its stdout goes to $TESTDIR/tty.out.
# Extra arguments go to recvtty; stdin comes from $TESTDIR/tty.in when it exists.
start_recvtty() {
	local in=/dev/null
	[ -f "$TESTDIR/tty.in" ] && in=$TESTDIR/tty.in
	"$RECVTTY" --name-file "$TESTDIR/tty.name" "$@" "$SOCK" \
		<"$in" >"$TESTDIR/tty.out" 2>"$TESTDIR/tty.err" 3>&- &
	RECVTTY_PID=$!
	local i
	for i in $(seq 100); do
		[ -S "$SOCK" ] && return 0
		sleep 0.1
	done
	echo "recvtty never listened on $SOCK" >&2
	return 1
}

# What recvtty received, without carriage returns: an exec'd process may write
# before recvtty has cleared ONLCR on the pty, so "\n" can arrive as "\r\n".
tty_output() {
	tr -d '\r' <"$TESTDIR/tty.out"
}

# create and start $ID with its terminal sent to recvtty; $output and $lines
# are then what came through the terminal.
run_through_recvtty() {
	start_recvtty
	rt create --bundle "$BUNDLE" --console-socket "$SOCK" "$ID"
	rt start "$ID"
	wait_recvtty
	run tty_output
	echo "$output"
}

# Wait (at most ~10 s) for recvtty to see the end of the terminal and exit 0.
wait_recvtty() {
	local i
	for i in $(seq 100); do
		if ! kill -0 "$RECVTTY_PID" 2>/dev/null; then
			wait "$RECVTTY_PID"
			local rc=$?
			RECVTTY_PID=
			cat "$TESTDIR/tty.err" >&2
			return $rc
		fi
		sleep 0.1
	done
	echo "recvtty still running: the terminal was never closed" >&2
	return 1
}

@test "create --console-socket: the container's terminal arrives through the socket" {
	update_config '.process.consoleSize = {"height": 25, "width": 100}'
	set_args sh -c 'tty; stty size; test -t 0 && test -t 1 && test -t 2 && echo all-ttys'
	start_recvtty

	run rt create --bundle "$BUNDLE" --console-socket "$SOCK" "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(rt state "$ID" | jq -r .status)" = created ]
	run rt start "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }

	wait_recvtty
	run tty_output
	echo "$output"
	[ "${lines[0]}" = /dev/pts/0 ]
	[ "${lines[1]}" = "25 100" ]
	[ "${lines[2]}" = all-ttys ]
	# The payload that comes with the fd is the master's file name, like runc's.
	[ "$(cat "$TESTDIR/tty.name")" = /dev/ptmx ]

	wait_status "$ID" stopped
	rt delete "$ID"
	[ -z "$(leftovers "$ID")" ]
}

@test "create --console-socket: a non-root process owns its terminal" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	set_args sh -c 'ls -ln "$(tty)"; exec 3<>"$(tty)" && echo reopened'
	run_through_recvtty
	# crw--w---- 1 1000 5 136, 0 ...: owner the process, group the tty group
	[[ "${lines[0]}" =~ ^c[rw-]+\ +[0-9]+\ +1000\ +5\  ]]
	[ "${lines[1]}" = reopened ]
	wait_status "$ID" stopped
	rt delete "$ID"
}

@test "create --console-socket: input typed into the master reaches the container" {
	printf 'hello there\n' >"$TESTDIR/tty.in"
	set_args sh -c 'read -r line; echo "got:$line"'
	run_through_recvtty
	[[ "$output" == *"got:hello there"* ]]
	wait_status "$ID" stopped
	rt delete "$ID"
}

@test "create --console-socket: the container is the session leader with a controlling tty" {
	# /dev/tty opens only with a controlling terminal.
	set_args sh -c 'echo ctty >/dev/tty; read -r _ _ _ _ _ sid _ </proc/$$/stat; [ "$sid" = "$$" ] && echo leader'
	run_through_recvtty
	[ "${lines[0]}" = ctty ]
	[ "${lines[1]}" = leader ]
	wait_status "$ID" stopped
	rt delete "$ID"
}

@test "run with a terminal in the foreground relays through our tty (script)" {
	set_args sh -c 'tty; test -t 0 && echo stdin-tty; read -r l; echo "got:$l"; exit 7'
	cmd="$(printf '%q ' "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$ID")"
	run bash -c "printf 'typed\n' | script -qec '$cmd' /dev/null"
	echo "$output"
	[ "$status" -eq 7 ]
	[[ "$output" == *"/dev/pts/0"* ]]
	[[ "$output" == *"stdin-tty"* ]]
	[[ "$output" == *"got:typed"* ]]
	[ -z "$(leftovers "$ID")" ]
}

@test "run with a terminal: the pty gets the size of our terminal" {
	set_args stty size
	cmd="$(printf '%q ' "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$ID")"
	run script -qec "stty rows 31 cols 97; $cmd" /dev/null </dev/null
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"31 97"* ]]
}

@test "create with a terminal and no --console-socket fails and leaves nothing" {
	set_args true
	run rt create --bundle "$BUNDLE" "$ID"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" =~ console[\ -]socket ]]
	[ -z "$(leftovers "$ID")" ]
	run rt state "$ID"
	[ "$status" -ne 0 ]
}

@test "create --console-socket with a missing socket fails and leaves nothing" {
	set_args true
	run rt create --bundle "$BUNDLE" --console-socket "$TESTDIR/nope.sock" "$ID"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"no such file or directory"* ]]
	[ -z "$(leftovers "$ID")" ]
	run rt state "$ID"
	[ "$status" -ne 0 ]
}

@test "create --console-socket names the socket in its error (hull message)" {
	requires_hull
	set_args true
	run rt create --bundle "$BUNDLE" --console-socket "$TESTDIR/nope.sock" "$ID"
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *"--console-socket \"$TESTDIR/nope.sock\": "*"no such file or directory"* ]]
}

@test "exec -t -d --console-socket gives the new process its own pty" {
	set_args sleep 100
	start_recvtty --mode null
	rt create --bundle "$BUNDLE" --console-socket "$SOCK" "$ID"
	rt start "$ID"
	kill -9 "$RECVTTY_PID"
	wait "$RECVTTY_PID" 2>/dev/null || true
	rm -f "$SOCK"

	start_recvtty
	run rt exec -t -d --console-socket "$SOCK" "$ID" sh -c 'tty; test -t 0 && echo tty-stdin'
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	wait_recvtty
	run tty_output
	echo "$output"
	[[ "${lines[0]}" =~ ^/dev/pts/[0-9]+$ ]]
	[ "${lines[0]}" != /dev/pts/0 ]
	[ "${lines[1]}" = tty-stdin ]
	rt kill "$ID" KILL
	wait_status "$ID" stopped
	rt delete "$ID"
}

@test "exec -t in the foreground relays through our tty (script)" {
	update_config '.process.terminal = false'
	set_args sleep 100
	rt run -d --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
	cmd="$(printf '%q ' "$RUNTIME" --root "$ROOT" exec -t "$ID" sh -c 'tty; read -r l; echo "got:$l"; exit 9')"
	run bash -c "printf 'typed\n' | script -qec '$cmd' /dev/null"
	echo "$output"
	[ "$status" -eq 9 ]
	[[ "$output" =~ /dev/pts/[0-9]+ ]]
	[[ "$output" == *"got:typed"* ]]
	rt kill "$ID" KILL
	wait_status "$ID" stopped
	rt delete "$ID"
}
