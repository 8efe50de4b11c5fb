#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# compare.sh - wall time of `RUNTIME run` of a /bin/true bundle next to the
# floor (floor.c: clone + pivot_root + exec, nothing else), interleaved.
#
#   compare.sh [-n N] FLOOR BUNDLE RUNTIME...
#
# FLOOR is the built floor binary, BUNDLE a bundle whose process is /bin/true
# and whose root.path is absolute (the floor uses the same rootfs).  Each
# round runs the floor once and every runtime once, the first one rotating.
# Prints n, p25, median and p75 in ms per command, and each median minus the
# floor's.  Run as root; each runtime keeps its state in a temporary --root.
set -uo pipefail

n=40
[[ ${1-} == -n ]] && { n=$2; shift 2; }
(( $# >= 3 )) || { echo "usage: $0 [-n N] FLOOR BUNDLE RUNTIME..." >&2; exit 2; }
floor=$1 bundle=$2; shift 2
rootfs=$(sed -n 's/.*"root": *{ *"path": *"\([^"]*\)".*/\1/p' "$bundle/config.json")
[[ $rootfs == /* ]] || { echo "$0: cannot find an absolute root.path in $bundle/config.json" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
labels=(floor "$@")
declare -A samples=() fails=() firstfail=()

sample() {   # $1 = index into labels, $2 = round; appends microseconds
    local t0 t1 rc
    if (( $1 == 0 )); then
        t0=${EPOCHREALTIME//[!0-9]/}
        "$floor" -q "$rootfs"; rc=$?
        t1=${EPOCHREALTIME//[!0-9]/}
    else
        t0=${EPOCHREALTIME//[!0-9]/}
        "${labels[$1]}" --root "$work/st$1" run --bundle "$bundle" "cmp$2" >/dev/null 2>&1; rc=$?
        t1=${EPOCHREALTIME//[!0-9]/}
    fi
    if (( rc != 0 )); then
        fails[$1]=$(( ${fails[$1]:-0} + 1 ))
        [[ -n ${firstfail[$1]-} ]] || firstfail[$1]="round $2: exit $rc"
        return
    fi
    samples[$1]+="$((t1 - t0)) "
}

for ((r = 0; r < n; r++)); do
    for ((j = 0; j < ${#labels[@]}; j++)); do
        sample $(( (r + j) % ${#labels[@]} )) "$r"
    done
done

stats() {    # stdin: microseconds, one per line -> "n p25 median p75" in ms
    sort -n | awk '{v[NR] = $1} END {
        if (NR == 0) { print "0 - - -"; exit }
        printf "%d %.2f %.2f %.2f\n", NR, v[int((NR + 3) / 4)] / 1000, v[int((NR + 1) / 2)] / 1000, v[int((3 * NR + 3) / 4)] / 1000 }'
}

printf '%-28s %4s %8s %8s %8s %10s\n' command n p25 median p75 "-floor"
fmed=
for ((i = 0; i < ${#labels[@]}; i++)); do
    read -r cnt p25 med p75 < <(tr ' ' '\n' <<< "${samples[$i]-}" | grep . | stats)
    [[ -z $fmed ]] && fmed=$med
    over=$(awk -v a="$med" -v b="$fmed" 'BEGIN { if (a == "-") print "-"; else printf "%+.2f", a - b }')
    printf '%-28s %4s %8s %8s %8s %10s\n' "$(basename "${labels[i]}")" "$cnt" "$p25" "$med" "$p75" "$over"
done
for ((i = 0; i < ${#labels[@]}; i++)); do
    [[ -n ${fails[$i]-} ]] && echo "$(basename "${labels[i]}"): ${fails[$i]} failed run(s), first ${firstfail[$i]}" >&2
done
exit $(( ${#fails[@]} > 0 ))

