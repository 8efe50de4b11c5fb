#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad input: a table of configs, arguments and lifecycle misuses.  Every row
# must fail with a non-zero status (not a crash, not a hang), end stderr with
# one line naming the field or argument, write the same message to
# `--log FILE --log-format json` as {"level":"error","msg":...,"time":RFC 3339}
# (and still to stderr),
# and leave nothing behind: no state entry, no cgroup in any hierarchy, no
# host mount naming the test dir or id, no process (see debris.bash).
#
# A row is one @test: the preparation, then `bad REGEX ARGS...` (rt ARGS) or
# `bad_create REGEX [FLAGS]` / `bad_run REGEX [FLAGS]` on $BUNDLE and $ID.
# REGEX is checked against hull's message only: other runtimes word their
# errors differently, and the rest of the checks apply to every runtime.

load helpers
load debris

setup() {
	setup_bundle
	mark_bundle
}

teardown() {
	teardown_bundle
}

RFC3339='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'

# bad REGEX ARGS...: rt ARGS must fail cleanly, twice: once logging to stderr
# (text), once with --log FILE --log-format json.  Nothing may change in
# debris() between before and after (preconditions such as a running
# container of the same test are allowed to stay).
bad() {
	local re=$1 before after err out log last msg n
	shift
	before=$(debris)
	n=${BAD_N:-0}
	BAD_N=$((n + 1))
	err=$TESTDIR/bad$n.err out=$TESTDIR/bad$n.out log=$TESTDIR/bad$n.log

	status=0
	rtm "$@" </dev/null >"$out" 2>"$err" 3>&- || status=$?
	echo "# $RUNTIME_NAME $*: status $status, stderr:" >&2
	sed 's/^/#   /' "$err" >&2
	[ "$status" -ne 0 ] || fail "succeeded"
	# 124: timeout; >= 128: killed by a signal (a crash).
	[ "$status" -ne 124 ] && [ "$status" -lt 128 ] || fail "status $status: hang or crash"
	last=$(grep -v '^[[:space:]]*$' "$err" | tail -n 1)
	[ -n "$last" ] || fail "nothing on stderr"
	if is_hull; then
		[ "$(grep -c . "$err")" -eq 1 ] || fail "more than one line on stderr"
		[[ "$last" =~ $re ]] || fail "last line does not match /$re/"
	fi
	after=$(debris)
	[ "$before" = "$after" ] || fail "left behind (text run):"$'\n'"$(comm -13 <(echo "$before") <(echo "$after"))"

	status=0
	rtm --log "$log" --log-format json "$@" </dev/null >"$out" 2>"$err" 3>&- || status=$?
	[ "$status" -ne 0 ] || fail "succeeded with --log"
	[ "$status" -ne 124 ] && [ "$status" -lt 128 ] || fail "status $status with --log: hang or crash"
	sed 's/^/#   log: /' "$log" >&2
	# Every line is a JSON object; the last error names the same problem.
	jq -e -s 'length > 0 and all(type == "object")' "$log" >/dev/null || fail "log is not JSON objects"
	msg=$(jq -r -s 'map(select(.level == "error")) | last | .msg // empty' "$log")
	[ -n "$msg" ] || fail "no error entry with a msg in the log"
	jq -r -s 'map(select(.level == "error")) | last | .time' "$log" | grep -Eq "$RFC3339" ||
		fail "time is not RFC 3339"
	if is_hull; then
		# The text log writes control characters escaped (\n), JSON as is.
		[[ "$last" == "hull: ${msg//$'\n'/\\n}" ]] || fail "log msg \"$msg\" is not the stderr line \"$last\""
		# and with --log the error is on stderr too, as runc does
		[ "$(grep -v '^[[:space:]]*$' "$err" | tail -n 1)" = "$last" ] || fail "with --log, stderr: $(cat "$err")"
	else
		# runc's text log quotes the message: time=... level=error msg="...".
		local unq=$last
		[[ "$last" == *' msg="'* ]] && unq=$(jq -r . <<<"${last#* msg=}" 2>/dev/null)
		[[ "$unq" == *"$msg"* ]] || fail "log msg \"$msg\" is not in the stderr line \"$last\""
	fi
	after=$(debris)
	[ "$before" = "$after" ] || fail "left behind (json run):"$'\n'"$(comm -13 <(echo "$before") <(echo "$after"))"
}

bad_create() {
	local re=$1
	shift
	bad "$re" create --bundle "$BUNDLE" "$@" "$ID"
}

bad_run() {
	local re=$1
	shift
	bad "$re" run --bundle "$BUNDLE" "$@" "$ID"
}

# A container $ID-pre in state $1 (created, running or stopped), for the rows
# about misuse of an existing container.
pre_container() {
	case $1 in
	created)
		set_args sleep 1000
		run_detached rtm create --bundle "$BUNDLE" "$ID-pre"
		;;
	running)
		set_args sleep 1000
		run_detached rtm run -d --bundle "$BUNDLE" "$ID-pre"
		;;
	stopped)
		set_args true
		run_detached rtm run -d --bundle "$BUNDLE" "$ID-pre"
		[ "$status" -eq 0 ] || return 1
		wait_status "$ID-pre" stopped
		;;
	esac
	[ "$status" -eq 0 ] || fail "could not make the $1 container: $output"
	[ "$(state_field "$ID-pre" status)" = "$1" ]
}

# Remove $ID-pre and check that nothing at all is left.
end_pre_container() {
	rtm delete --force "$ID-pre"
	assert_no_debris
}

# ---- config.json: syntax and types ---------------------------------------

@test "config: truncated JSON" {
	printf '{"ociVersion": "1.2.0", "process": {"args": ["tr' >"$BUNDLE/config.json"
	bad_create '^hull: config\.json: .*JSON'
}

@test "config: not JSON at all" {
	echo 'ociVersion = 1.2.0' >"$BUNDLE/config.json"
	bad_create '^hull: config\.json: .*JSON'
}

@test "config: empty file" {
	: >"$BUNDLE/config.json"
	bad_create '^hull: config\.json'
}

@test "config: a JSON array, not an object" {
	echo '[1, 2]' >"$BUNDLE/config.json"
	bad_create '^hull: config\.json: .*object'
}

@test "config: config.json missing" {
	rm "$BUNDLE/config.json"
	bad_create '^hull: .*bundle/config\.json.*[Nn]o such file'
}

@test "config: ociVersion is a number" {
	update_config '.ociVersion = 1'
	bad_create '^hull: config\.json: ociVersion: .*string'
}

@test "config: process.args is a string" {
	update_config '.process.args = "sh"'
	bad_create '^hull: config\.json: process\.args: .*array'
}

@test "config: process.terminal is a string" {
	update_config '.process.terminal = "no"'
	bad_create '^hull: config\.json: process\.terminal: .*(boolean|bool)'
}

@test "config: process.user.uid is negative" {
	update_config '.process.user.uid = -1'
	bad_create '^hull: config\.json: process\.user\.uid: '
}

@test "config: process.user.uid 4294967295" {
	update_config '.process.user.uid = 4294967295'
	bad_create '^hull: config\.json: process\.user\.uid: '
}

@test "config: process.user.gid 4294967295" {
	update_config '.process.user.gid = 4294967295'
	bad_create '^hull: config\.json: process\.user\.gid: '
}

@test "config: process.env entry is a number" {
	update_config '.process.env += [42]'
	bad_create '^hull: config\.json: process\.env\[[0-9]+\]: .*string'
}

@test "config: linux.resources.memory.limit is a string" {
	update_config '.linux.resources.memory = {"limit": "1G"}'
	bad_create '^hull: config\.json: linux\.resources\.memory\.limit: '
}

# ---- namespaces and ids ---------------------------------------------------

@test "namespaces: unknown type" {
	update_config '.linux.namespaces += [{"type": "foo"}]'
	bad_create '^hull: config\.json: linux\.namespaces\[[0-9]+\]\.type: unknown namespace "foo"'
}

@test "namespaces: the same type twice" {
	update_config '.linux.namespaces += [{"type": "pid"}]'
	bad_create '^hull: config\.json: linux\.namespaces\[[0-9]+\]\.type: .*(twice|duplicate|more than once|already).*"pid"'
}

@test "namespaces: relative path" {
	update_config '(.linux.namespaces[] | select(.type == "network")) += {"path": "proc/1/ns/net"}'
	bad_create '^hull: config\.json: linux\.namespaces\[[0-9]+\]\.path: .*absolute'
}

@test "namespaces: path that does not exist" {
	update_config '(.linux.namespaces[] | select(.type == "network")) += {"path": "/nonexistent/ns/net"}'
	bad_create '^hull: .*linux\.namespaces\[[0-9]+\]\.path.*/nonexistent/ns/net|^hull: .*network namespace.*/nonexistent/ns/net'
}

@test "namespaces: no mount namespace" {
	requires_hull # runc runs a container in the host's mount namespace
	drop_namespace mount
	bad_create '^hull: config\.json: linux\.namespaces: .*mount namespace'
}

@test "namespaces: hostname without a uts namespace" {
	drop_namespace uts
	update_config '.hostname = "box"'
	bad_create '^hull: config\.json: hostname: .*uts'
}

@test "idmap: overlapping uidMappings" {
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 1000},
		                        {"containerID": 500, "hostID": 200000, "size": 1000}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	bad_create '^hull: config\.json: linux\.uidMappings(\[[0-9]+\])?: .*overlap'
}

@test "idmap: user namespace without mappings" {
	requires_hull # runc would run in a user namespace with no mapping at all
	update_config '.linux.namespaces += [{"type": "user"}] | del(.linux.uidMappings, .linux.gidMappings)'
	bad_create '^hull: config\.json: linux\.(uid|gid)Mappings'
}

@test "idmap: an idmap mount without mappings and without a user namespace" {
	requires_hull # runc 1.1 ignores the option
	mkdir -p "$TESTDIR/src"
	update_config --arg s "$TESTDIR/src" '.mounts += [{"destination": "/mnt", "type": "bind", "source": $s, "options": ["bind", "idmap"]}]'
	bad_create '^hull: config\.json: mounts\[[0-9]+\]: option "idmap" .*user namespace'
}

# ---- root and paths -------------------------------------------------------

@test "root: missing" {
	update_config 'del(.root)'
	bad_create '^hull: config\.json: root'
}

@test "root: root.path missing" {
	update_config 'del(.root.path)'
	bad_create '^hull: config\.json: root\.path: '
}

@test "root: rootfs directory missing" {
	update_config '.root.path = "nonexistent-rootfs"'
	bad_create '^hull: config\.json: root\.path: .*nonexistent-rootfs'
}

@test "root: rootfs is a file" {
	touch "$BUNDLE/rootfs-file"
	update_config '.root.path = "rootfs-file"'
	bad_create '^hull: config\.json: root\.path: .*rootfs-file.* not a directory'
}

@test "paths: process.cwd is relative" {
	update_config '.process.cwd = "tmp"'
	bad_create '^hull: config\.json: process\.cwd: .*absolute'
}

# A relative mount destination is allowed (runtime-spec: relative to "/",
# deprecated), so it is not in the table; a missing one is.
@test "paths: a mount without destination" {
	update_config '.mounts += [{"type": "tmpfs", "source": "tmpfs"}]'
	bad_create '^hull: config\.json: mounts\[[0-9]+\]\.destination: '
}

@test "paths: a hook path is relative" {
	update_config '.hooks.prestart = [{"path": "bin/true"}]'
	bad_create '^hull: config\.json: hooks\.prestart\[0\]\.path: .*absolute'
}

@test "paths: a maskedPaths entry is relative" {
	requires_hull # runc skips it
	update_config '.linux.maskedPaths += ["proc/kcore"]'
	bad_create '^hull: config\.json: linux\.maskedPaths\[[0-9]+\]: .*absolute'
}

@test "paths: --bundle does not exist" {
	bad '^hull: .*nonexistent/config\.json.*[Nn]o such file' create --bundle "$TESTDIR/nonexistent" "$ID"
}

# ---- the process ----------------------------------------------------------

@test "process: args empty" {
	update_config '.process.args = []'
	bad_create '^hull: config\.json: process\.args: .*empty'
}

@test "process: args missing" {
	update_config 'del(.process.args)'
	bad_create '^hull: config\.json: process\.args'
}

@test "process: the executable does not exist (create)" {
	set_args /bin/nonexistent-program
	bad_create '^hull: exec "/bin/nonexistent-program": .*([Nn]o such file|not found)'
}

@test "process: the executable is not on PATH (run)" {
	set_args nonexistent-program
	bad_run '^hull: exec "nonexistent-program": .*not found'
}

@test "process: args[0] with a newline still gives one line" {
	update_config '.process.args = ["/bin/no\nexist"]'
	bad_run '^hull: exec "/bin/no\\nexist": '
}

@test "process: the executable is a directory" {
	set_args /tmp
	bad_run '^hull: exec "/tmp": .*(directory|denied)'
}

@test "process: unknown rlimit" {
	update_config '.process.rlimits = [{"type": "RLIMIT_FOO", "soft": 1, "hard": 1}]'
	bad_create '^hull: config\.json: process\.rlimits\[0\]\.type: .*RLIMIT_FOO'
}

@test "process: unknown capability" {
	requires_hull # runc warns "ignoring unknown or unavailable capabilities" and runs
	update_config '.process.capabilities.bounding += ["CAP_FOO"]'
	bad_create '^hull: config\.json: process\.capabilities\.bounding(\[[0-9]+\])?: .*CAP_FOO'
}

@test "process: terminal without --console-socket (create)" {
	update_config '.process.terminal = true'
	bad_create '^hull: config\.json: process\.terminal.*--console-socket'
}

@test "process: --console-socket that does not exist" {
	update_config '.process.terminal = true'
	bad_create '^hull: --console-socket .*nonexistent' --console-socket "$TESTDIR/nonexistent.sock"
}

@test "process: --pid-file in a directory that does not exist" {
	set_args sleep 1000
	bad_create '^hull: --pid-file: .*nonexistent' --pid-file "$TESTDIR/nonexistent/pid"
}

# ---- hooks, sysctl, devices, seccomp --------------------------------------

@test "hooks: a prestart hook that does not exist" {
	update_config '.hooks.prestart = [{"path": "/nonexistent-hook"}]'
	bad_create '^hull: .*prestart.*/nonexistent-hook'
}

@test "hooks: a createRuntime hook that fails" {
	update_config '.hooks.createRuntime = [{"path": "/bin/false"}]'
	bad_create '^hull: .*createRuntime.*/bin/false'
}

@test "sysctl: unknown key" {
	update_config '.linux.sysctl = {"net.nonexistent.key": "1"}'
	bad_create '^hull: .*linux\.sysctl.*net\.nonexistent\.key'
}

@test "sysctl: a net key without a network namespace" {
	drop_namespace network
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	bad_create '^hull: (config\.json: )?linux\.sysctl: .*net\.ipv4\.ip_forward.*network namespace'
}

@test "devices: unknown type" {
	update_config '.linux.devices = [{"path": "/dev/foo", "type": "x", "major": 1, "minor": 3}]'
	bad_create '^hull: config\.json: linux\.devices\[0\]\.type: '
}

@test "seccomp: unknown action" {
	update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_EXPLODE"}]}'
	bad_create '^hull: config\.json: linux\.seccomp\.syscalls\[0\]\.action: .*SCMP_ACT_EXPLODE'
}

@test "seccomp: unknown defaultAction" {
	update_config '.linux.seccomp = {"defaultAction": "ALLOW"}'
	bad_create '^hull: config\.json: linux\.seccomp\.defaultAction: .*ALLOW'
}

@test "seccomp: unknown architecture" {
	update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_Z80"]}'
	bad_create '^hull: config\.json: linux\.seccomp\.architectures(\[0\])?: .*SCMP_ARCH_Z80'
}

# ---- container ids --------------------------------------------------------

@test "id: a slash" {
	bad '^hull: .*(container )?id.*-a/b"' create --bundle "$BUNDLE" "$ID-a/b"
}

@test "id: ../ escape" {
	bad '^hull: .*(container )?id.*"\.\./' create --bundle "$BUNDLE" "../$ID-x"
	[ ! -e "$TESTDIR/$ID-x" ]
}

@test "id: .." {
	bad '^hull: .*(container )?id.*"\.\."' create --bundle "$BUNDLE" ..
}

@test "id: empty" {
	bad '^hull: .*(container )?id' create --bundle "$BUNDLE" ""
}

@test "id: a space and a newline" {
	bad '^hull: .*(container )?id' create --bundle "$BUNDLE" "$ID x"
	bad '^hull: .*(container )?id.*control character' create --bundle "$BUNDLE" "$ID"$'\n'"x"
}

@test "id: 1024 characters" {
	bad '^hull: .*(container )?id.*(long|length|characters)' create --bundle "$BUNDLE" "$ID-$(printf 'a%.0s' $(seq 1024))"
}

@test "id: missing argument" {
	bad '^hull: create: .*(id|ID)' create --bundle "$BUNDLE"
}

@test "id: already in use" {
	pre_container created
	bad "^hull: .*\"$ID-pre\".*already exists" create --bundle "$BUNDLE" "$ID-pre"
	[ "$(state_field "$ID-pre" status)" = created ]
	end_pre_container
}

# ---- lifecycle misuse -----------------------------------------------------

@test "lifecycle: start of a container that was not created" {
	bad "^hull: .*\"$ID\".*does not exist" start "$ID"
}

@test "lifecycle: start of a running container" {
	pre_container running
	bad "^hull: cannot start container \"$ID-pre\": .*running" start "$ID-pre"
	end_pre_container
}

@test "lifecycle: delete of a running container without --force" {
	pre_container running
	bad "^hull: cannot delete container \"$ID-pre\".*running.*--force" delete "$ID-pre"
	[ "$(state_field "$ID-pre" status)" = running ]
	end_pre_container
}

@test "lifecycle: delete of a container that does not exist" {
	bad "^hull: .*\"$ID\".*does not exist" delete "$ID"
}

@test "lifecycle: kill with an unknown signal name" {
	pre_container running
	bad '^hull: invalid signal "SIGFOO"' kill "$ID-pre" SIGFOO
	[ "$(state_field "$ID-pre" status)" = running ]
	end_pre_container
}

@test "lifecycle: kill with signal number 999" {
	pre_container running
	bad '^hull: invalid signal "999"' kill "$ID-pre" 999
	[ "$(state_field "$ID-pre" status)" = running ]
	end_pre_container
}

@test "lifecycle: kill of a stopped container" {
	pre_container stopped
	bad "^hull: cannot kill container \"$ID-pre\": container not running" kill "$ID-pre" KILL
	end_pre_container
}

@test "lifecycle: exec into a stopped container" {
	pre_container stopped
	bad "^hull: .*\"$ID-pre\".*(not running|stopped)" exec "$ID-pre" true
	end_pre_container
}

@test "lifecycle: exec into a container that does not exist" {
	bad "^hull: .*\"$ID\".*does not exist" exec "$ID" true
}

@test "lifecycle: exec --process with a file that does not exist" {
	pre_container running
	bad '^hull: --process: .*nonexistent\.json.*[Nn]o such file' exec --process "$TESTDIR/nonexistent.json" "$ID-pre"
	end_pre_container
}

@test "lifecycle: exec --process with args empty" {
	pre_container running
	echo '{"args": [], "cwd": "/"}' >"$TESTDIR/p.json"
	bad '^hull: .*process\.json: (process\.)?args: .*empty' exec --process "$TESTDIR/p.json" "$ID-pre"
	end_pre_container
}

@test "cli: an unknown option" {
	bad '^hull: .*--frobnicate' create --frobnicate --bundle "$BUNDLE" "$ID"
}

@test "cli: an unknown command" {
	bad '^hull: .*frobnicate' frobnicate "$ID"
}

# ---- the table itself -----------------------------------------------------

@test "the table has at least 40 rows" {
	local n
	n=$(grep -c '^@test "[a-z]*: ' "$BATS_TEST_FILENAME")
	[ "$n" -ge 40 ] || fail "only $n rows"
}
