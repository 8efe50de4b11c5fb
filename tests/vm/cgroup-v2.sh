#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# cgroup v2 checks, run inside the run-in-vm guest (pure cgroup2 at
# /sys/fs/cgroup, every controller enabled); see tests/vm/run-v2-tests.
# Needs only busybox and the runtime under test ($RUNTIME, default: hull in
# PATH).  Prints TAP and a final "N passed, M failed" line; exits 1 on failure.
#
# The runtime-independent checks also pass with runc (RUNTIME=runc).

RUNTIME=${RUNTIME:-hull}
ROOT=/run/hullv2-state
WORK=/tmp/hullv2
CG=/sys/fs/cgroup
N=0
PASS=0
FAIL=0

rt() { "$RUNTIME" --root "$ROOT" "$@"; }

ok() {
	N=$((N + 1))
	if [ "$1" = 0 ]; then
		PASS=$((PASS + 1))
		echo "ok $N - $2"
	else
		FAIL=$((FAIL + 1))
		echo "not ok $N - $2"
		[ -n "${3:-}" ] && echo "$3" | sed 's/^/#   /'
	fi
}

# check DESC EXPECTED ACTUAL
check() {
	if [ "$2" = "$3" ]; then ok 0 "$1"; else ok 1 "$1" "want: $2
got:  $3"; fi
}

# contains DESC NEEDLE HAYSTACK
contains() {
	case "$3" in
	*"$2"*) ok 0 "$1" ;;
	*) ok 1 "$1" "want substring: $2
got: $3" ;;
	esac
}

# bundle NAME ARGS_JSON RESOURCES_JSON [EXTRA_MOUNTS_JSON]: $WORK/NAME with a config.json
bundle() {
	b=$WORK/$1
	mkdir -p "$b"
	[ -d "$b/rootfs" ] || cp -a "$WORK/rootfs" "$b/rootfs"
	cat >"$b/config.json" <<EOF
{
  "ociVersion": "1.0.2",
  "process": {
    "terminal": false,
    "user": {"uid": 0, "gid": 0},
    "args": $2,
    "env": ["PATH=/bin:/sbin:/usr/bin"],
    "cwd": "/",
    "capabilities": {"bounding": ["CAP_KILL", "CAP_DAC_OVERRIDE", "CAP_SYSLOG"], "effective": ["CAP_KILL", "CAP_DAC_OVERRIDE", "CAP_SYSLOG"],
                     "permitted": ["CAP_KILL", "CAP_DAC_OVERRIDE", "CAP_SYSLOG"]},
    "noNewPrivileges": true
  },
  "root": {"path": "rootfs"},
  "hostname": "v2",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
    {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]},
    {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]}
    ${4:-}
  ],
  "linux": {
    "cgroupsPath": "/hullv2-$1",
    "resources": $3,
    "namespaces": [{"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}, {"type": "cgroup"}]
  }
}
EOF
}

# Run bundle $1 detached as container $1.
start_bg() {
	rt run -d --bundle "$WORK/$1" "$1" </dev/null >"$WORK/$1.out" 2>&1
}

# Run bundle $1 in the foreground; output in $OUT, status in $RC.
run_fg() {
	OUT=$(rt run --bundle "$WORK/$1" "$1" </dev/null 2>&1)
	RC=$?
}

cgf() { cat "$CG/hullv2-$1/$2" 2>&1; }

gone() {
	if [ -e "$CG/hullv2-$1" ]; then ok 1 "$1: cgroup removed" "$CG/hullv2-$1 still exists"; else ok 0 "$1: cgroup removed"; fi
}

# ---------------------------------------------------------------- setup
rm -rf "$WORK" "$ROOT"
mkdir -p "$WORK/rootfs/bin" "$WORK/rootfs/proc" "$WORK/rootfs/dev" "$WORK/rootfs/sys" "$WORK/rootfs/tmp" "$ROOT"
BB=
for p in /bin/busybox /usr/bin/busybox /sbin/busybox "$(readlink -f /bin/sh)"; do
	[ -f "$p" ] && [ ! -L "$p" ] && BB=$p && break
done
cp "$BB" "$WORK/rootfs/bin/busybox"
for a in sh sleep cat dd echo true head grep; do ln -s busybox "$WORK/rootfs/bin/$a"; done
echo "# runtime: $("$RUNTIME" --version 2>&1 | head -1); kernel $(uname -r)"
echo "# root controllers: $(cat $CG/cgroup.subtree_control)"

# ---------------------------------------------------------------- limits
bundle limits '["sleep", "1000"]' '{
  "memory": {"limit": 33554432, "swap": 67108864, "reservation": 16777216},
  "cpu": {"shares": 1024, "quota": 50000, "period": 100000, "cpus": "0", "mems": "0"},
  "pids": {"limit": 20},
  "blockIO": {"weight": 500},
  "unified": {"memory.high": "30000000"}}'
if start_bg limits; then
	ok 0 "limits: container started"
	check "memory.max" 33554432 "$(cgf limits memory.max)"
	if [ -e "$CG/hullv2-limits/memory.swap.max" ]; then
		check "memory.swap.max = swap - limit" 33554432 "$(cgf limits memory.swap.max)"
	fi
	check "memory.low from reservation" 16777216 "$(cgf limits memory.low)"
	check "memory.high from unified" 29999104 "$(cgf limits memory.high)"
	check "cpu.weight from shares 1024" 39 "$(cgf limits cpu.weight)"
	check "cpu.max" "50000 100000" "$(cgf limits cpu.max)"
	check "pids.max" 20 "$(cgf limits pids.max)"
	check "cpuset.cpus" 0 "$(cgf limits cpuset.cpus)"
	check "cpuset.mems" 0 "$(cgf limits cpuset.mems)"
	if [ -e "$CG/hullv2-limits/io.bfq.weight" ]; then
		check "io.bfq.weight" "default 500" "$(cgf limits io.bfq.weight | head -1)"
	else
		check "io.weight from blkio weight 500" "default 4950" "$(cgf limits io.weight | head -1)"
	fi
	pid=$(rt state limits | grep '"pid"' | tr -dc 0-9)
	check "init is in the leaf" "0::/hullv2-limits" "$(cat /proc/$pid/cgroup)"

	# update
	if rt update --memory 67108864 --pids-limit 30 --cpu-quota 20000 limits >"$WORK/upd.out" 2>&1; then
		ok 0 "update: accepted"
	else
		ok 1 "update: accepted" "$(cat "$WORK/upd.out")"
	fi
	check "update: memory.max" 67108864 "$(cgf limits memory.max)"
	check "update: pids.max" 30 "$(cgf limits pids.max)"
	check "update: cpu.max keeps the period" "20000 100000" "$(cgf limits cpu.max)"

	# freeze
	rt pause limits
	check "pause: cgroup.freeze" 1 "$(cgf limits cgroup.freeze)"
	contains "pause: cgroup.events frozen 1" "frozen 1" "$(cgf limits cgroup.events)"
	contains "pause: state paused" '"paused"' "$(rt state limits)"
	rt resume limits
	contains "resume: cgroup.events frozen 0" "frozen 0" "$(cgf limits cgroup.events)"
	contains "resume: state running" '"running"' "$(rt state limits)"

	# ps and stats
	contains "ps --format json lists the init" "$pid" "$(rt ps --format json limits)"
	st=$(rt events --stats limits)
	contains "events --stats: type" '"type":"stats"' "$st"
	contains "events --stats: memory limit" '"limit":67108864' "$st"
	contains "events --stats: pids limit" '"limit":30' "$st"

	rt delete -f limits
	gone limits
else
	ok 1 "limits: container started" "$(cat "$WORK/limits.out")"
fi

# ---------------------------------------------------------------- io.max
dev=$(for d in /sys/block/*; do [ -e "$d/dev" ] || continue; case ${d##*/} in loop* | ram* | zram*) ;; *) cat "$d/dev" ;; esac; done | head -1)
if [ -n "$dev" ]; then
	maj=${dev%:*}
	min=${dev#*:}
	bundle iomax '["sleep", "1000"]' "{\"blockIO\": {\"throttleReadBpsDevice\": [{\"major\": $maj, \"minor\": $min, \"rate\": 1048576}],
	  \"throttleWriteIOPSDevice\": [{\"major\": $maj, \"minor\": $min, \"rate\": 100}]}}"
	if start_bg iomax; then
		contains "io.max rbps and wiops" "$dev rbps=1048576 wbps=max riops=max wiops=100" "$(cgf iomax io.max)"
		rt delete -f iomax
	else
		ok 1 "io.max: container started" "$(cat "$WORK/iomax.out")"
	fi
else
	echo "ok $((N + 1)) - io.max # skip no block device in the VM"
	N=$((N + 1))
	PASS=$((PASS + 1))
fi

# ---------------------------------------------------------------- OOM
bundle oom '["dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"]' '{"memory": {"limit": 16777216, "swap": 16777216}}'
run_fg oom
check "oom: dd killed, exit 137" 137 "$RC"
bundle oom2 '["sh", "-c", "dd if=/dev/zero of=/dev/null bs=64M count=1; echo rc=$?; cat /sys/fs/cgroup/memory.events"]' \
	'{"memory": {"limit": 16777216, "swap": 16777216}}'
run_fg oom2
contains "oom: memory.events oom_kill 1 (inside the container)" "oom_kill 1" "$OUT"
contains "oom: the shell saw 137" "rc=137" "$OUT"
gone oom2

# ---------------------------------------------------------------- devices (eBPF)
KMSG=', {"destination": "/dev/kmsg", "type": "bind", "source": "/dev/kmsg", "options": ["bind", "ro"]}'
bundle devdeny '["sh", "-c", "echo x >/dev/null && echo null-ok; dd if=/dev/kmsg of=/dev/null bs=4096 count=1 2>&1 || echo kmsg-denied"]' '{}' "$KMSG"
run_fg devdeny
contains "devices: /dev/null is allowed by default" "null-ok" "$OUT"
contains "devices: /dev/kmsg (not in linux.devices) is denied" "kmsg-denied" "$OUT"
contains "devices: denial is EPERM" "ermitted" "$OUT"
bundle devallow '["sh", "-c", "dd if=/dev/kmsg of=/dev/null bs=4096 count=1 2>/dev/null && echo kmsg-read-ok; echo x 2>/dev/null >/dev/kmsg || echo kmsg-write-denied"]' \
	'{"devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 11, "access": "r"}]}' \
	', {"destination": "/dev/kmsg", "type": "bind", "source": "/dev/kmsg", "options": ["bind"]}'
run_fg devallow
contains "devices: allow c 1:11 r permits reading" "kmsg-read-ok" "$OUT"
contains "devices: ... but not writing" "kmsg-write-denied" "$OUT"

# ---------------------------------------------------------------- kill --all
bundle killall '["sh", "-c", "sleep 1000 & sleep 1000 & wait"]' '{}'
if start_bg killall; then
	i=0
	while [ "$(wc -l <"$CG/hullv2-killall/cgroup.procs")" -lt 3 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	rt kill --all killall KILL
	i=0
	while [ -n "$(cat "$CG/hullv2-killall/cgroup.procs" 2>/dev/null)" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	check "kill --all: cgroup empty" "" "$(cat "$CG/hullv2-killall/cgroup.procs" 2>/dev/null)"
	rt delete -f killall
	gone killall
else
	ok 1 "kill --all: container started" "$(cat "$WORK/killall.out")"
fi

# ---------------------------------------------------------------- exec
# exec clones straight into the leaf (CLONE_INTO_CGROUP), also when it is frozen.
bundle execcg '["sleep", "1000"]' '{"pids": {"limit": 10}}'
if start_bg execcg; then
	if rt exec -d --pid-file "$WORK/execcg.pid" execcg sleep 1000 >"$WORK/execcg.exec" 2>&1; then
		check "exec: the new process is in the container's leaf" "0::/hullv2-execcg" "$(cat /proc/"$(cat "$WORK/execcg.pid")"/cgroup)"
		check "exec: pids.current counts it" 2 "$(cgf execcg pids.current)"
	else
		ok 1 "exec: the new process is in the container's leaf" "$(cat "$WORK/execcg.exec")"
	fi
	rt pause execcg
	rt exec --ignore-paused execcg sh -c 'echo ran' >"$WORK/execcg.paused" 2>&1 &
	bg=$!
	i=0
	while [ "$(wc -l <"$CG/hullv2-execcg/cgroup.procs")" -lt 3 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	check "exec --ignore-paused: the process waits in the frozen leaf" 3 "$(wc -l <"$CG/hullv2-execcg/cgroup.procs")"
	rt resume execcg
	wait $bg
	check "exec --ignore-paused: it runs on resume" ran "$(cat "$WORK/execcg.paused")"
	rt delete -f execcg
	gone execcg
else
	ok 1 "exec: container started" "$(cat "$WORK/execcg.out")"
fi

# ---------------------------------------------------------------- errors (hull wording)
if [ "${RUNTIME##*/}" = hull ]; then
	bundle badkey '["true"]' '{"unified": {"../memory.max": "1"}}'
	run_fg badkey
	contains "unified: bad key rejected with the field named" "linux.resources.unified" "$OUT"
	gone badkey
	bundle rt '["true"]' '{"cpu": {"realtimeRuntime": 1000, "realtimePeriod": 100000}}'
	run_fg rt
	contains "realtime on v2 rejected with the field named" "linux.resources.cpu.realtime" "$OUT"
	gone rt
	bundle netcls '["true"]' '{"network": {"classID": 1}}'
	run_fg netcls
	contains "network on v2 rejected with the field named" "linux.resources.network" "$OUT"
	gone netcls
fi

left=$(ls -d "$CG"/hullv2-* 2>/dev/null)
check "no cgroup left behind" "" "$left"

echo "1..$N"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
