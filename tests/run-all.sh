#!/bin/bash
# Install the test dependencies and run the whole test suite: unit tests,
# bats integration tests (as root, real containers), the documentation
# checks, the Podman/containerd client check and the cgroup v2 tests in a VM.
# Safe to run again.  Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

if [ "$(id -u)" != 0 ]; then
	echo "run-all: the integration tests run real containers: run me as root" >&2
	exit 1
fi
pkgs=(build-essential autoconf automake pkg-config libseccomp-dev libcap-dev libyajl-dev
	libmount-dev libsystemd-dev busybox-static go-md2man bats jq clang cppcheck strace
	podman conmon catatonit containerd uidmap golang-github-containers-common
	qemu-system-x86 linux-image-amd64 xz-utils time runc)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

[ -x configure ] || ./autogen.sh >/dev/null
./configure --quiet --enable-werror
make -s -j"$(nproc)"

# Each phase prints how long it took, so a slow CI machine shows where.
t0=$SECONDS
phase() { echo "run-all: $1 took $((SECONDS - t0)) s (total ${SECONDS} s)"; t0=$SECONDS; }
phase "build"

# Every phase has a time limit (seconds, overridable), so that one hang cannot
# take the whole run past CI's 90 minutes; a phase cut short fails.
limit() { timeout --kill-after=30 "$@"; }

status=0
limit "${HULL_CHECK_TIMEOUT:-1800}" make -s check -j1 || status=1
[ -f test-suite.log ] && grep -E '^# (TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR):' test-suite.log || true
if [ "$status" != 0 ]; then
	sed -n '/^FAIL\|^ERROR/,$p' test-suite.log | head -200 || true
fi

pass=$(awk '/^# PASS:/{print $3}' test-suite.log 2>/dev/null || echo 0)
fail=$(awk '/^# FAIL:/{f=$3} /^# ERROR:/{e=$3} END{print f+e}' test-suite.log 2>/dev/null || echo 1)
echo "make check: ${pass:-0} passed, ${fail:-0} failed"
phase "make check"

# Fuzzing: every libFuzzer target for a bounded time; any crash fails.
fuzz_line=$(FUZZ_SECONDS=${FUZZ_SECONDS:-30} limit "${HULL_FUZZ_TIMEOUT:-600}" tests/fuzz/run-fuzzers.sh 2>&1 | tee fuzz.log | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -1)
echo "fuzz: ${fuzz_line:-no result}"
fuzz_pass=${fuzz_line%% passed*}; fuzz_fail=${fuzz_line#*passed, }; fuzz_fail=${fuzz_fail%% failed*}
[ -n "$fuzz_line" ] && [ "$fuzz_fail" = 0 ] || { status=1; fuzz_fail=${fuzz_fail:-1}; tail -40 fuzz.log; }
phase "fuzz"

# The same unit and integration tests with ASan and UBSan, in a copy of the
# tree (the in-tree build above stays as it is).
asan_pass=0 asan_fail=0
if [ "${HULL_SKIP_SANITIZERS:-0}" != 1 ]; then
	asan=$(mktemp -d /tmp/hull-asan.XXXXXX)
	git ls-files -z | xargs -0 cp --parents -t "$asan"
	(
		cd "$asan" && ./autogen.sh >/dev/null 2>&1 && ./configure --quiet --enable-werror --enable-sanitizers &&
			make -s -j"$(nproc)" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
			limit "${HULL_SANITIZERS_TIMEOUT:-1200}" make -s check -j1 \
			TESTS="$(cd "$top" && ls tests/unit/test_*.c | sed 's/\.c$//' | tr '\n' ' ') tests/integration/lifecycle.bats tests/integration/run.bats tests/integration/kill.bats tests/integration/mounts.bats tests/integration/process.bats tests/integration/seccomp.bats tests/integration/hooks.bats tests/integration/exec.bats ${HULL_ASAN_EXTRA_TESTS:-}"
	) >asan.log 2>&1 || status=1
	asan_pass=$(awk '/^# PASS:/{print $3}' "$asan/test-suite.log" 2>/dev/null)
	asan_fail=$(awk '/^# FAIL:/{f=$3} /^# ERROR:/{e=$3} END{print f+e}' "$asan/test-suite.log" 2>/dev/null)
	[ -n "$asan_pass" ] || { asan_pass=0; asan_fail=1; status=1; tail -60 asan.log; }
	echo "sanitizers: ${asan_pass} passed, ${asan_fail} failed"
	[ "${asan_fail:-1}" = 0 ] || { sed -n '/^FAIL\|^ERROR/,$p' "$asan/test-suite.log" | head -100 || true; }
	rm -rf "$asan"
	phase "sanitizers"
fi

# Pure cgroup v2 in a VM (memory/cpu/pids/io limits, freeze, OOM, eBPF devices).
vm_pass=0 vm_fail=0
if [ -x "${SHARED_DIR:-$top/../shared}/vm/run-in-vm" ] && [ -x tests/vm/run-v2-tests ]; then
	# KVM here aborts in QEMU ("failed to set MSR 0x10a"): software emulation by default.
	VM_ARGS=${VM_ARGS:---accel tcg} SHARED_DIR="${SHARED_DIR:-$top/../shared}" tests/vm/run-v2-tests 2>&1 | tee vm.log || status=1
	vm_line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' vm.log | tail -1)
	vm_pass=${vm_line%% passed*}; vm_fail=${vm_line#*passed, }; vm_fail=${vm_fail%% failed*}
	[ -n "$vm_line" ] || { vm_pass=0; vm_fail=1; status=1; }
	phase "cgroup v2 VM"
else
	echo "run-all: ../shared/vm/run-in-vm not found; cgroup v2 tests not run"
fi

# Podman and containerd driving hull (needs ../shared from the workspace).
clients_pass=0 clients_fail=0
if [ -x "${SHARED_DIR:-$top/../shared}/clients/check" ]; then
	if limit "${HULL_CLIENTS_TIMEOUT:-900}" make -s check-clients SHARED_DIR="${SHARED_DIR:-$top/../shared}" 2>&1 | tee clients.log; then :; else status=1; fi
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' clients.log | tail -1)
	clients_pass=${line%% passed*}
	clients_fail=${line#*passed, }; clients_fail=${clients_fail%% failed*}
	[ -n "$line" ] || { clients_fail=1; status=1; }
	phase "clients"
else
	echo "run-all: ../shared/clients/check not found; client scenarios not run"
fi

echo "summary: make check ${pass:-0}/${fail:-0}, fuzz ${fuzz_pass:-0}/${fuzz_fail:-0}, sanitizers ${asan_pass:-0}/${asan_fail:-0}, cgroup v2 VM ${vm_pass:-0}/${vm_fail:-0}, clients ${clients_pass:-0}/${clients_fail:-0} (passed/failed)"
echo "$((${pass:-0} + ${fuzz_pass:-0} + ${asan_pass:-0} + ${vm_pass:-0} + ${clients_pass:-0})) passed, $((${fail:-0} + ${fuzz_fail:-0} + ${asan_fail:-0} + ${vm_fail:-0} + ${clients_fail:-0})) failed"
exit "$status"
