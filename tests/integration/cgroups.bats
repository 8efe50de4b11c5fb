#!/usr/bin/env bats
# cgroup v1 / hybrid host: resources land in the host cgroup files at
# linux.cgroupsPath, update/pause/resume/ps/events/kill --all work through
# them, and nothing is left in any hierarchy afterwards.

load helpers

V1=/sys/fs/cgroup

setup() {
	[ -d $V1/memory ] && [ -d $V1/freezer ] || skip "needs a cgroup v1 (or hybrid) host"
	setup_bundle
	CGNAME="hulltest-$ID"
	update_config --arg p "/$CGNAME" '.linux.cgroupsPath = $p'
	set_args sleep 1000
}

teardown() {
	teardown_bundle
	# a failed test must not leave cgroups behind for the next one
	local d
	for d in $(find $V1 -mindepth 1 -maxdepth 4 -type d -name "$CGNAME" 2>/dev/null | sort -r); do
		rmdir "$d" 2>/dev/null || true
	done
}

# cg CONTROLLER FILE: contents of the container's cgroup file.
cg() {
	cat "$V1/$1/$CGNAME/$2"
}

# The container's pid as the runtime reports it.
ctr_pid() {
	rt state "$1" | jq -r .pid
}

# No cgroup named $CGNAME in any hierarchy (v1, name=systemd, unified), no state.
no_leftovers() {
	local l
	l=$(leftovers "$CGNAME"; leftovers "$ID")
	[ -z "$l" ] || { echo "left behind: $l" >&2; return 1; }
}

@test "cgroups: every v1 resource is written at cgroupsPath" {
	update_config '.linux.resources = {
		"memory": {"limit": 67108864, "reservation": 33554432, "swap": 134217728,
		           "swappiness": 10, "disableOOMKiller": true},
		"cpu": {"shares": 512, "quota": 50000, "period": 100000,
		        "realtimeRuntime": 10000, "realtimePeriod": 1000000, "cpus": "0", "mems": "0"},
		"pids": {"limit": 42},
		"blockIO": {"weight": 300,
		            "throttleReadBpsDevice": [{"major": 254, "minor": 0, "rate": 1048576}],
		            "throttleWriteIOPSDevice": [{"major": 254, "minor": 0, "rate": 100}]},
		"devices": [{"allow": false, "access": "rwm"},
		            {"allow": true, "type": "c", "major": 4, "minor": 64, "access": "r"}]}'
	run_d "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }

	# the container really is in those cgroups, in every hierarchy
	run cat /proc/"$(ctr_pid "$ID")"/cgroup
	echo "$output"
	for c in memory cpu cpuset pids blkio devices freezer name=systemd; do
		echo "$output" | grep -E "^[0-9]+:([^:]*,)?$c(,[^:]*)?:/$CGNAME\$"
	done
	echo "$output" | grep -x "0::/$CGNAME"

	[ "$(cg memory memory.limit_in_bytes)" = 67108864 ]
	[ "$(cg memory memory.soft_limit_in_bytes)" = 33554432 ]
	[ "$(cg memory memory.memsw.limit_in_bytes)" = 134217728 ]
	[ "$(cg memory memory.swappiness)" = 10 ]
	cg memory memory.oom_control | grep -x "oom_kill_disable 1"
	[ "$(cg cpu cpu.shares)" = 512 ]
	[ "$(cg cpu cpu.cfs_quota_us)" = 50000 ]
	[ "$(cg cpu cpu.cfs_period_us)" = 100000 ]
	[ "$(cg cpu cpu.rt_runtime_us)" = 10000 ]
	[ "$(cg cpu cpu.rt_period_us)" = 1000000 ]
	[ "$(cg cpuset cpuset.cpus)" = 0 ]
	[ "$(cg cpuset cpuset.mems)" = 0 ]
	[ "$(cg pids pids.max)" = 42 ]
	[ "$(cg blkio blkio.bfq.weight | awk '/^default/ {print $2; exit} NF == 1 {print $1}')" = 300 ]
	cg blkio blkio.throttle.read_bps_device | grep -x "254:0 1048576"
	cg blkio blkio.throttle.write_iops_device | grep -x "254:0 100"
	cg devices devices.list | grep -x "c 4:64 r"
	cg devices devices.list | grep -x "c 1:3 rwm"
	! cg devices devices.list | grep -x "a \*:\* rwm"

	run rt delete -f "$ID"
	[ "$status" -eq 0 ]
	no_leftovers
}

@test "cgroups: hull-only resources (cpu.idle, burst, kernel memory warning)" {
	requires_hull
	update_config '.linux.resources = {"cpu": {"quota": 20000, "period": 100000, "burst": 5000, "idle": 0},
		"memory": {"kernel": 33554432, "kernelTCP": 16777216}}'
	run_d "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(cg cpu cpu.cfs_burst_us)" = 5000 ]
	[ "$(cg cpu cpu.idle)" = 0 ]
	[ "$(cg memory memory.kmem.tcp.limit_in_bytes)" = 16777216 ]
	rt delete -f "$ID"
	no_leftovers
}

@test "cgroups: absent cgroupsPath puts the container at <id> below the runtime's own cgroup" {
	update_config 'del(.linux.cgroupsPath)'
	run_d "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	own=$(awk -F: '$2 == "memory" {print $3}' /proc/self/cgroup)
	grep -x "[0-9]*:memory:${own%/}/$ID" /proc/"$(ctr_pid "$ID")"/cgroup
	grep -x "[0-9]*:pids:$(awk -F: '$2 == "pids" {print $3}' /proc/self/cgroup | sed 's|/$||')/$ID" \
		/proc/"$(ctr_pid "$ID")"/cgroup
	rt delete -f "$ID"
	no_leftovers
}

@test "cgroups: relative nested cgroupsPath is created and fully removed" {
	update_config --arg p "$CGNAME/inner" '.linux.cgroupsPath = $p'
	run_d "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	grep -x "[0-9]*:pids:/$CGNAME/inner" /proc/"$(ctr_pid "$ID")"/cgroup
	rt delete -f "$ID"
	requires_hull # runc leaves the parent directories behind
	no_leftovers
}

@test "cgroups: resources this host cannot apply fail with the field named, leaving nothing" {
	requires_hull
	local res
	for res in '{"network": {"classID": 1048577}}' \
		'{"unified": {"memory.high": "1000000"}}' \
		'{"hugepageLimits": [{"pageSize": "2MB", "limit": 2097152}]}' \
		'{"blockIO": {"leafWeight": 300}}' \
		'{"memory": {"limit": 2000000, "swap": 1000000}}'; do
		update_config --argjson r "$res" '.linux.resources = $r'
		run_d "$ID"
		echo "$res -> $status: $output"
		[ "$status" -ne 0 ]
		echo "${lines[-1]}" | grep -q "linux.resources.$(echo "$res" | jq -r 'keys[0]' | sed 's/hugepageLimits/hugepageLimits/')"
		no_leftovers
	done
}

@test "update: flags change the host cgroup files" {
	update_config '.linux.resources = {"memory": {"limit": 67108864}, "pids": {"limit": 42}}'
	run_d "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }

	run rt update --memory 134217728 --memory-reservation 33554432 --pids-limit 99 \
		--cpu-share 256 --cpu-quota 30000 --cpu-period 100000 --cpuset-cpus 0 --blkio-weight 400 "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(cg memory memory.limit_in_bytes)" = 134217728 ]
	[ "$(cg memory memory.soft_limit_in_bytes)" = 33554432 ]
	[ "$(cg pids pids.max)" = 99 ]
	[ "$(cg cpu cpu.shares)" = 256 ]
	[ "$(cg cpu cpu.cfs_quota_us)" = 30000 ]
	[ "$(cg cpuset cpuset.cpus)" = 0 ]
	[ "$(cg blkio blkio.bfq.weight | awk '/^default/ {print $2; exit} NF == 1 {print $1}')" = 400 ]

	# unlimited pids
	run rt update --pids-limit -1 "$ID"
	[ "$status" -eq 0 ]
	[ "$(cg pids pids.max)" = max ]
	rt delete -f "$ID"
	no_leftovers
}

@test "update: -r FILE and -r - (stdin)" {
	run_d "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	echo '{"memory": {"limit": 100663296}, "cpu": {"shares": 300}, "pids": {"limit": 77}}' >"$TESTDIR/res.json"
	run rt update -r "$TESTDIR/res.json" "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(cg memory memory.limit_in_bytes)" = 100663296 ]
	[ "$(cg cpu cpu.shares)" = 300 ]
	[ "$(cg pids pids.max)" = 77 ]

	run rt update -r - "$ID" <<<'{"pids": {"limit": 55}}'
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(cg pids pids.max)" = 55 ]
	[ "$(cg memory memory.limit_in_bytes)" = 100663296 ]
	rt delete -f "$ID"
	no_leftovers
}

@test "update: hull-only flags and errors" {
	requires_hull
	run_d "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	run rt update --memory 64m --memory-swap 128m --cpu-shares 600 "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(cg memory memory.limit_in_bytes)" = 67108864 ]
	[ "$(cg memory memory.memsw.limit_in_bytes)" = 134217728 ]
	[ "$(cg cpu cpu.shares)" = 600 ]
	run rt update --memory lots "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"--memory"*"lots"* ]]
	run rt update -r - "$ID" <<<'{"network": {"classID": 3}}'
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *"linux.resources.network.classID"* ]]
	run rt update --pids-limit 5 nosuchcontainer
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *nosuchcontainer* ]]
	run rt update --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"  -r, --resources FILE"* ]]
	rt delete -f "$ID"
	no_leftovers
}

@test "pause and resume: state and freezer follow" {
	run_d "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	run rt pause "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(rt state "$ID" | jq -r .status)" = paused ]
	[ "$(cg freezer freezer.state)" = FROZEN ]
	grep -q '^State:.*(stopped)\|^State:.*D\|^State:.*S' /proc/"$(ctr_pid "$ID")"/status

	run rt resume "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(rt state "$ID" | jq -r .status)" = running ]
	[ "$(cg freezer freezer.state)" = THAWED ]

	# a paused container can be deleted with -f
	rt pause "$ID"
	run rt delete -f "$ID"
	[ "$status" -eq 0 ]
	no_leftovers
}

@test "pause: a stopped container is refused" {
	set_args true
	create_ctr "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	rt start "$ID"
	wait_status "$ID" stopped
	run rt pause "$ID"
	[ "$status" -ne 0 ]
	if is_hull; then [[ "${lines[-1]}" == *"container \"$ID\" is not running"* ]]; fi
	run rt resume "$ID"
	[ "$status" -ne 0 ]
	rt delete "$ID"
	no_leftovers
}

@test "ps --format json lists the container's host pids" {
	set_args sh -c 'sleep 1000 & sleep 1000 & wait'
	run_d "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	pid=$(ctr_pid "$ID")
	for i in $(seq 50); do
		[ "$(rt ps --format json "$ID" | jq length)" -ge 3 ] && break
		sleep 0.1
	done
	run rt ps --format json "$ID"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e --argjson p "$pid" 'index($p) != null'
	[ "$(echo "$output" | jq length)" -eq 3 ]
	# every pid listed is in the container's cgroup
	for p in $(echo "$output" | jq '.[]'); do
		grep -x "[0-9]*:pids:/$CGNAME" /proc/"$p"/cgroup
	done

	run rt ps "$ID"
	[ "$status" -eq 0 ]
	echo "$output" | head -1 | grep -w PID
	[ "$(echo "$output" | grep -c ' sleep 1000$')" -eq 2 ]
	rt delete -f "$ID"
	no_leftovers
}

@test "events --stats prints one stats event" {
	update_config '.linux.resources = {"memory": {"limit": 67108864}, "pids": {"limit": 42}}'
	run_d "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	run rt events --stats "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "${#lines[@]}" -eq 1 ]
	echo "$output" | jq -e --arg id "$ID" '.type == "stats" and .id == $id'
	echo "$output" | jq -e '.data.memory.usage.limit == 67108864'
	echo "$output" | jq -e '.data.memory.usage.usage > 0'
	echo "$output" | jq -e '.data.pids.current >= 1 and .data.pids.limit == 42'
	echo "$output" | jq -e '.data.cpu.usage.total > 0'
	echo "$output" | jq -e '.data.blkio | type == "object"'
	rt delete -f "$ID"
	no_leftovers
}

@test "events: an OOM kill is reported while streaming" {
	# swap == limit: no swap, so the 64 MiB buffer cannot fit in 16 MiB
	update_config '.linux.resources = {"memory": {"limit": 16777216, "swap": 16777216}}'
	set_args sh -c 'while [ ! -e /tmp/go ]; do sleep 0.1; done; dd if=/dev/zero of=/dev/null bs=64M count=1; sleep 1000'
	run_d "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	rt events --interval 1s "$ID" </dev/null >"$TESTDIR/events" 2>&1 3>&- &
	evpid=$!
	# the first stats line shows the stream is up before the OOM is triggered
	for i in $(seq 100); do grep -q '"type":"stats"' "$TESTDIR/events" && break; sleep 0.1; done
	touch "$BUNDLE/rootfs/tmp/go"
	for i in $(seq 100); do grep -q '"type":"oom"' "$TESTDIR/events" && break; sleep 0.1; done
	kill "$evpid"
	wait "$evpid" || true
	cat "$TESTDIR/events"
	grep '"type":"oom"' "$TESTDIR/events" | head -1 | jq -e --arg id "$ID" '.id == $id'
	rt delete -f "$ID"
	no_leftovers
}

@test "kill --all signals every process of the container" {
	set_args sh -c 'sleep 1000 & sleep 1000 & wait'
	run_d "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	for i in $(seq 50); do [ "$(wc -l <"$V1/pids/$CGNAME/cgroup.procs")" -ge 3 ] && break; sleep 0.1; done
	run rt kill --all "$ID" KILL
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	wait_status "$ID" stopped
	for i in $(seq 50); do [ -z "$(cat "$V1/pids/$CGNAME/cgroup.procs")" ] && break; sleep 0.1; done
	[ -z "$(cat "$V1/pids/$CGNAME/cgroup.procs")" ]
	rt delete "$ID"
	no_leftovers
}

@test "cgroups: everything is removed after the init is SIGKILLed from outside" {
	set_args sh -c 'sleep 1000 & sleep 1000 & wait'
	run_d "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	kill -9 "$(ctr_pid "$ID")"
	wait_status "$ID" stopped
	run rt delete "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	no_leftovers
}

@test "cgroups: a foreground run removes its cgroups on exit" {
	set_args sh -c 'cat /proc/self/cgroup'
	run rt run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *"pids:/$CGNAME"* ]] || [[ "$output" == *"pids:/"* ]]
	no_leftovers
}

@test "events: the stream ends by itself when the container goes away" {
	requires_hull
	run_d "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	rt events --interval 100ms "$ID" </dev/null >"$TESTDIR/events" 2>&1 3>&- &
	evpid=$!
	for i in $(seq 100); do grep -q '"type":"stats"' "$TESTDIR/events" && break; sleep 0.1; done
	rt delete -f "$ID"
	for i in $(seq 100); do kill -0 "$evpid" 2>/dev/null || break; sleep 0.1; done
	! kill -0 "$evpid" 2>/dev/null || { kill "$evpid"; false; }
	wait "$evpid"
	head -1 "$TESTDIR/events" | jq -e '.type == "stats"'
	no_leftovers
}

@test "events, ps, pause: usage errors and missing containers" {
	requires_hull
	run rt events --interval soon "$ID"
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *"--interval"*"soon"* ]]
	run rt ps --format xml "$ID"
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *"--format"*"xml"* ]]
	for v in pause resume "ps" "events --stats"; do
		run rt $v nosuch
		[ "$status" -ne 0 ]
		[[ "${lines[-1]}" == *nosuch* ]]
	done
	for v in update pause resume ps events; do
		run rt $v --help
		[ "$status" -eq 0 ]
		[[ "$output" == *"  -h, --help"* ]]
	done
}
