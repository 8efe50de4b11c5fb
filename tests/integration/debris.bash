# SPDX-License-Identifier: GPL-2.0-or-later
# Debris checks shared by badinput.bats, faults.bats and security.bats.
#
# mark_bundle puts HULL_TEST_MARK=$TESTDIR into process.env, and rtm runs the
# runtime with the same variable in its environment, so every process of the
# test -- the runtime, its clones before exec, and the workload after exec --
# can be found through /proc/PID/environ even when its command line does not
# name the test directory.

# The runtime with the test's state root and the process marker.
rtm() {
	env HULL_TEST_MARK="$TESTDIR" timeout 60 "$RUNTIME" --root "$ROOT" "$@"
}

# Add the marker to process.env of $BUNDLE/config.json.
mark_bundle() {
	update_config --arg m "HULL_TEST_MARK=$TESTDIR" '.process.env += [$m]'
}

# Processes started by this test: the command line names $TESTDIR (pgrep -f),
# the environment carries the marker, or the process is in a cgroup named
# after id prefix $1 (a runtime's own init before exec, e.g. `runc init`).
# One "process PID CMDLINE" per line.
test_processes() {
	local id=${1:-$ID} d p env cmd cg
	{
		pgrep -f -- "$TESTDIR" || true
		for d in /proc/[0-9]*; do
			p=${d#/proc/}
			[ "$p" = "$$" ] || [ "$p" = "$BASHPID" ] && continue
			cg=
			mapfile -t cg 2>/dev/null <"$d/cgroup" || continue
			if [[ " ${cg[*]}" == *"/$id"* ]]; then
				echo "$p"
				continue
			fi
			env=
			mapfile -d "" -t env 2>/dev/null <"$d/environ" || continue
			[[ " ${env[*]} " == *" HULL_TEST_MARK=$TESTDIR "* ]] && echo "$p"
		done
	} | sort -un | while read -r p; do
		[ -e "/proc/$p" ] || continue
		grep -q '^State:[[:space:]]*Z' "/proc/$p/status" 2>/dev/null && continue
		cmd=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)
		# An empty command line: the process is exiting (its memory is gone
		# already), e.g. a killed pid-namespace init reaping its namespace.
		# Debris only if it is still there a second later.
		if [ -z "$cmd" ]; then
			local i
			for i in 1 2 3 4 5 6 7 8 9 10; do
				[ -e "/proc/$p" ] || break
				sleep 0.1
			done
			[ -e "/proc/$p" ] || continue
			grep -q '^State:[[:space:]]*Z' "/proc/$p/status" 2>/dev/null && continue
		fi
		echo "process $p $cmd"
	done
}

# Everything that containers with id prefix $1 (default $ID) may have left:
# state entries, cgroups in every hierarchy, host mounts naming the test
# directory or the id, processes.  Sorted, one item a line.
debris() {
	local p=${1:-$ID}
	{
		[ -d "$ROOT" ] && find "$ROOT" -mindepth 1 -maxdepth 1 -name "$p*" | sed 's/^/state /'
		find /sys/fs/cgroup -mindepth 1 -type d -name "$p*" 2>/dev/null | sed 's/^/cgroup /'
		grep -F -e "$TESTDIR" -e "$p" /proc/self/mountinfo | awk '{print "mount " $5}'
		test_processes "$p"
	} | sort
}

# Fail unless debris() prints nothing.
assert_no_debris() {
	local d
	d=$(debris "$@")
	[ -z "$d" ] || fail "left behind:"$'\n'"$d"
}
