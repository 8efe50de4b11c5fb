#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build every libFuzzer target in tests/fuzz/ with ASan and UBSan and run each
# for $FUZZ_SECONDS seconds (default 60) on its seed corpus
# tests/fuzz/corpus/<name>/ (fuzz_config uses corpus/config/).  Any crash,
# leak, sanitizer report or build failure fails that target.
#
#   tests/fuzz/run-fuzzers.sh [TARGET...]     e.g. fuzz_signal fuzz_userspec
#
# Run from anywhere after ./configure (the top-level config.h must exist).
# Variables: CC (default clang), FUZZ_SECONDS, FUZZ_BUILD (build dir, default
# a temporary directory), FUZZ_JOBS (parallel compiles, default 2).
# Output is TAP; the last line is "N passed, M failed"; exit status 1 when
# anything failed.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
CC=${CC:-clang}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_JOBS=${FUZZ_JOBS:-2}
keep_build=${FUZZ_BUILD:+1}
build=${FUZZ_BUILD:-$(mktemp -d "${TMPDIR:-/tmp}/hull-fuzz.XXXXXX")}
rm -rf "$build/artifacts"
mkdir -p "$build/obj" "$build/artifacts"
cleanup() { [ -n "$keep_build" ] || rm -rf "$build"; }
trap cleanup EXIT

if [ ! -f "$top/config.h" ]; then
	echo "Bail out! $top/config.h missing: run ./configure first"
	exit 1
fi

# <config.h> is the autoconf one at the top, "config.h" the OCI config in
# libcontainer/.
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cflags="-g -O1 -std=gnu11 -D_GNU_SOURCE -iquote $top/libcontainer -I$top -I$top/libcontainer"
cflags="$cflags $(pkg-config --cflags yajl libseccomp libcap mount libsystemd 2>/dev/null)"
libs="$(pkg-config --libs yajl libseccomp libcap mount libsystemd 2>/dev/null || echo -lyajl -lseccomp -lcap -lmount -lsystemd)"

if [ $# -gt 0 ]; then
	targets="$*"
else
	targets=$(cd "$top/tests/fuzz" && ls fuzz_*.c | sed 's/\.c$//')
fi
ntargets=$(echo $targets | wc -w)
echo "1..$ntargets"

# The library, once: instrumented for coverage, linked as an archive so
# that each target pulls in only the objects it needs.
lib_ok=1
ls "$top"/libcontainer/*.c | xargs -P "$FUZZ_JOBS" -I{} sh -c \
	'o="$1/obj/$(basename "$2" .c).o"; '"$CC"' '"$cflags $san"' -fsanitize=fuzzer-no-link -c "$2" -o "$o" 2>"$o.log" || { cat "$o.log"; exit 1; }' \
	sh "$build" {} >"$build/lib.log" 2>&1 || lib_ok=0
if [ "$lib_ok" = 1 ]; then
	rm -f "$build/libhull-fuzz.a"
	ar rcs "$build/libhull-fuzz.a" "$build"/obj/*.o || lib_ok=0
fi

pass=0
fail=0
n=0
for t in $targets; do
	n=$((n + 1))
	name=${t#fuzz_}
	corpus=$top/tests/fuzz/corpus/$name
	log=$build/$t.log
	if [ "$lib_ok" != 1 ]; then
		echo "not ok $n - $t: libcontainer did not build"
		sed 's/^/# /' "$build/lib.log" | head -40
		fail=$((fail + 1))
		continue
	fi
	if ! $CC $cflags $san -fsanitize=fuzzer "$top/tests/fuzz/$t.c" "$build/libhull-fuzz.a" $libs \
		-o "$build/$t" >"$log" 2>&1; then
		echo "not ok $n - $t: build failed"
		sed 's/^/# /' "$log" | head -40
		fail=$((fail + 1))
		continue
	fi
	# A scratch copy of the seeds receives what the fuzzer finds, so the
	# checked-in corpus stays as it is.
	work=$build/corpus-$name
	rm -rf "$work"
	mkdir -p "$work"
	[ -d "$corpus" ] && cp "$corpus"/* "$work"/ 2>/dev/null
	if (cd "$build" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"./$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$build/artifacts/$t-" "$work" >"$log" 2>&1); then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
		echo "ok $n - $t (${execs:-?} runs in ${FUZZ_SECONDS}s)"
		pass=$((pass + 1))
	else
		echo "not ok $n - $t: crash"
		grep -E 'ERROR:|SUMMARY:|runtime error|Test unit written|deadly signal|#[0-9]+ 0x' "$log" | head -30 | sed 's/^/# /'
		for a in "$build/artifacts/$t-"*; do
			[ -f "$a" ] || continue
			echo "# input ($a):"
			od -c "$a" | head -8 | sed 's/^/#   /'
		done
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
