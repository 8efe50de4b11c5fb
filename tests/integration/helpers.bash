# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for the bats integration tests.
#
# The runtime under test is $RUNTIME (default: the built src/hull), so the
# same suite can be pointed at runc or crun:  RUNTIME=/usr/sbin/runc bats ...
#
# Every test gets:
#   $ROOT    a private state root (passed as --root by `rt`)
#   $BUNDLE  a bundle dir with rootfs/ (busybox-static + /bin/hullinfo) and
#            a config.json from the runtime's own `spec`, terminal off
#   $ID      a unique container id prefix for this test
# and teardown removes every container, cgroup and mount it created.
#
# The rootfs comes from busybox (static) plus $HULLINFO, the static helper
# built from tests/hullinfo.c (`make check` or `make tests/hullinfo`).

HULL_SRCDIR=${HULL_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
HULL_BUILDDIR=${HULL_BUILDDIR:-$HULL_SRCDIR}
RUNTIME=${RUNTIME:-$HULL_BUILDDIR/src/hull}
HULLINFO=${HULLINFO:-$HULL_BUILDDIR/tests/hullinfo}
BUSYBOX=${BUSYBOX:-$(command -v busybox)}
RUNTIME_NAME=$(basename "$RUNTIME")

# Run the runtime with the test's state root.
rt() {
	"$RUNTIME" --root "$ROOT" "$@"
}

is_hull() { [ "$RUNTIME_NAME" = hull ]; }

# Skip a test that exercises a hull-only feature when testing another runtime.
requires_hull() {
	is_hull || skip "hull-only behaviour"
}

# Fail the test unless /bin/hullinfo could be put into the rootfs.
require_hullinfo() {
	[ -x "$HULLINFO" ] || fail "$HULLINFO not built: run make tests/hullinfo"
}

# Print a message and fail the current test.
fail() {
	echo "$@" >&2
	return 1
}

# Build a busybox rootfs in $1.
make_rootfs() {
	local r=$1
	mkdir -p "$r"/{bin,sbin,etc,dev,proc,sys,tmp,root,usr/bin,usr/sbin,var,run,home}
	cp "$BUSYBOX" "$r/bin/busybox"
	local a
	for a in $("$BUSYBOX" --list); do
		[ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"
	done
	if [ -x "$HULLINFO" ]; then cp "$HULLINFO" "$r/bin/hullinfo"; fi
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\nuser1:x:1000:1000::/home:/bin/sh\n' >"$r/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\nusers:x:100:user1\ngroup1:x:1000:\n' >"$r/etc/group"
	chmod 1777 "$r/tmp"
}

setup_bundle() {
	TESTDIR=$(mktemp -d "${BATS_TMPDIR:-/tmp}/hulltest.XXXXXX")
	chmod 0711 "$TESTDIR"
	ROOT=$TESTDIR/state
	BUNDLE=$TESTDIR/bundle
	ID="t$$-${BATS_TEST_NUMBER:-0}"
	mkdir -p "$ROOT" "$BUNDLE"
	if [ -z "${HULL_ROOTFS_CACHE:-}" ] || [ ! -d "$HULL_ROOTFS_CACHE" ]; then
		HULL_ROOTFS_CACHE=${BATS_FILE_TMPDIR:-$TESTDIR}/rootfs-cache
		[ -d "$HULL_ROOTFS_CACHE" ] || make_rootfs "$HULL_ROOTFS_CACHE"
	fi
	cp -a "$HULL_ROOTFS_CACHE" "$BUNDLE/rootfs"
	(cd "$BUNDLE" && "$RUNTIME" spec) || return 1
	update_config '.process.terminal = false | .process.args = ["true"]'
}

# Apply a jq filter to $BUNDLE/config.json.
update_config() {
	local tmp
	tmp=$(mktemp "$BUNDLE/config.XXXXXX")
	jq "$@" "$BUNDLE/config.json" >"$tmp" && mv "$tmp" "$BUNDLE/config.json"
}

# Set process.args from the arguments.
set_args() {
	local json
	json=$(printf '%s\n' "$@" | jq -R . | jq -s .)
	update_config --argjson a "$json" '.process.args = $a'
}

# Run a container in the foreground: run_ctr [extra flags...] -- sets $status/$output.
run_ctr() {
	run rt run --bundle "$BUNDLE" "$@"
}

# Wait until `rt state $1` reports status $2 (at most ~10 s).
wait_status() {
	local i
	for i in $(seq 100); do
		[ "$(rt state "$1" 2>/dev/null | jq -r .status)" = "$2" ] && return 0
		sleep 0.1
	done
	echo "container $1 never reached status $2" >&2
	return 1
}

# Cgroup directories anywhere under /sys/fs/cgroup whose name starts with $1.
cgroups_named() {
	find /sys/fs/cgroup -mindepth 1 -maxdepth 6 -type d -name "$1*" 2>/dev/null
}

# Everything a container with id prefix $1 could leave behind, one line each.
leftovers() {
	local p=$1
	[ -d "$ROOT" ] && find "$ROOT" -mindepth 1 -maxdepth 1 -name "$p*"
	cgroups_named "$p"
	grep -F -- "$TESTDIR" /proc/self/mountinfo | awk '{print "mount " $5}'
	true
}

teardown_bundle() {
	local c d p
	if [ -n "${ROOT:-}" ] && [ -d "$ROOT" ]; then
		# Every state dir, not only what `list` shows; bounded, so that a
		# runtime that hangs cannot hang the whole suite.
		for c in $(timeout 30 "$RUNTIME" --root "$ROOT" list -q 2>/dev/null) "$ROOT"/*; do
			c=${c##*/}
			[ "$c" = "*" ] && continue
			timeout 30 "$RUNTIME" --root "$ROOT" delete -f "$c" >/dev/null 2>&1 || true
		done
	fi
	if [ -n "${TESTDIR:-}" ]; then
		# Processes still naming this test's directory (a stuck runtime, a
		# container whose state was lost) were started by this test.
		for d in /proc/[0-9]*; do
			p=${d#/proc/}
			[ "$p" = "$$" ] && continue
			tr '\0' ' ' 2>/dev/null <"$d/cmdline" | grep -qF -- "$TESTDIR/" && kill -9 "$p" 2>/dev/null
		done
	fi
	if [ -n "${ID:-}" ]; then
		# Cgroups of this test's containers, with anything left in them.
		for d in $(find /sys/fs/cgroup -mindepth 1 -maxdepth 6 -type d \( -name "$ID" -o -name "$ID-*" \) 2>/dev/null | sort -r); do
			for p in $(cat "$d/cgroup.procs" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
			for p in $(seq 50); do
				rmdir "$d" 2>/dev/null && break
				[ -d "$d" ] || break
				sleep 0.1
			done
		done
	fi
	if [ -n "${TESTDIR:-}" ]; then
		grep -F -- "$TESTDIR" /proc/self/mountinfo | awk '{print $5}' | sort -r |
			while read -r m; do umount -l "$m" 2>/dev/null || true; done
		rm -rf "$TESTDIR"
	fi
	true
}

# Wait until file $1 exists and is not empty (at most ~10 s).  Used to learn
# that a container has reached a point, without sleeping a fixed time.
wait_for_file() {
	local i
	for i in $(seq 100); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	echo "file $1 never appeared" >&2
	return 1
}

# Print field $2 (a jq path without the leading dot) of `rt state $1`.
state_field() {
	rt state "$1" | jq -r ".$2"
}

# Inode number of the host's (this shell's) namespace $1 (mnt, uts, ...).
host_ns() {
	stat -L -c %i "/proc/self/ns/$1"
}

# Remove namespace type $1 from linux.namespaces.
drop_namespace() {
	update_config --arg t "$1" '.linux.namespaces |= map(select(.type != $t))'
}

# Start `rt run` for container $1 in the background, stdio to files in
# $TESTDIR ($1.out, $1.err), extra flags after the id; sets $RUN_PID.  bats's
# fd 3 is closed so that bats does not wait for the container.
run_bg() {
	local id=$1
	shift
	rt run --bundle "$BUNDLE" "$@" "$id" </dev/null >"$TESTDIR/$id.out" 2>"$TESTDIR/$id.err" 3>&- &
	RUN_PID=$!
}

# Wait until host pid $1 is gone (or only a zombie), at most ~10 s.
wait_pid_gone() {
	local i
	for i in $(seq 100); do
		[ -e "/proc/$1" ] || return 0
		grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "pid $1 still alive" >&2
	return 1
}

# Like bats `run`, for commands that leave a container holding their stdio
# (create, run -d): stdin is /dev/null and stdout+stderr go to a file, so the
# capture does not wait for the container to exit.  Sets $status, $output and
# $lines.  The container keeps writing to the same file ($RUN_OUT).
run_detached() {
	RUN_OUT=$(mktemp "$TESTDIR/out.XXXXXX")
	status=0
	"$@" </dev/null >"$RUN_OUT" 2>&1 3>&- || status=$?
	output=$(cat "$RUN_OUT")
	mapfile -t lines <<<"$output"
}

# create_ctr ID [flags...]: rt create --bundle $BUNDLE flags ID via run_detached.
create_ctr() {
	local id=$1
	shift
	run_detached rt create --bundle "$BUNDLE" "$@" "$id"
}

# run_d ID [flags...]: rt run -d --bundle $BUNDLE flags ID via run_detached.
run_d() {
	local id=$1
	shift
	run_detached rt run -d --bundle "$BUNDLE" "$@" "$id"
}
