#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shell completion check (TAP).  Loads contrib/completions/hull.bash, calls
# its completion function the way bash does (COMP_WORDS/COMP_CWORD set, then
# _hull) and compares what it offers with the help output of the built hull:
# the verbs, the global options and the options of every verb must be offered
# exactly (nothing missing, nothing hull does not have).  Container ids come
# from `hull [--root DIR] list -q`; that part runs against a stub binary that
# records its arguments, so it does not depend on containers existing.
# When zsh and fish are installed, their completions get the same checks:
# zsh through an interactive zsh on a pseudo-terminal (zsh/zpty), fish
# through `complete -C`.
#
# Environment: HULL_BUILDDIR, HULL_SRCDIR (set by `make check`), HULL (the
# binary, default $HULL_BUILDDIR/src/hull).

set -u

srcdir=${HULL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${HULL_BUILDDIR:-$srcdir}
hull=${HULL:-$builddir/src/hull}
compdir=$srcdir/contrib/completions

bail ()
{
  echo "Bail out! $*"
  exit 1
}

# shellcheck source=tests/lib-help.sh disable=SC1091
. "$(dirname "$0")/lib-help.sh"

test -x "$hull" || bail "no hull binary at $hull (build it first)"
for f in hull.bash _hull hull.fish; do
  test -f "$compdir/$f" || bail "missing $compdir/$f"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-completions.XXXXXX") || bail "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

"$hull" --help > "$tmp/top" 2> "$tmp/top.err" \
  || bail "'$hull --help' failed: $(tail -n 1 "$tmp/top.err")"
mapfile -t verbs < <(help_verbs < "$tmp/top")
help_globals < "$tmp/top" | sort -u > "$tmp/globals"
test "${#verbs[@]}" -gt 0 || bail "no verbs found below 'Commands:' in 'hull --help'"
test -s "$tmp/globals" || bail "no flags found below 'Global options:' in 'hull --help'"
# A verb whose help lists no flags fails its option tests (every verb has
# at least --help); the others still run.
for v in "${verbs[@]}"; do
  "$hull" "$v" --help < /dev/null 2> "$tmp/err" | verb_flags | sort -u > "$tmp/flags.$v"
  test -s "$tmp/flags.$v" \
    || echo "'hull $v --help' lists no flags after 'Options:' $(tail -n 1 "$tmp/err")" > "$tmp/noflags.$v"
done

# A stub hull for container ids: logs its arguments, prints two ids for
# `list -q`.
stub=$tmp/bin/hull
mkdir "$tmp/bin"
cat > "$stub" << EOF
#!/bin/sh
echo "\$*" >> "$tmp/stub.log"
case " \$* " in
  *" list -q "*) echo alpha; echo beta.2 ;;
esac
EOF
chmod +x "$stub"

# shellcheck source=contrib/completions/hull.bash disable=SC1091
. "$compdir/hull.bash" || bail "cannot load hull.bash"
complete -p hull > /dev/null 2>&1 || bail "hull.bash does not register a completion for hull"

# Complete the words "$@" (the last one is the word under the cursor) and
# print the candidates sorted, one per line.
bash_complete ()
{
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMP_LINE="$*"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _hull hull "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2> /dev/null
  if [ "${#COMPREPLY[@]}" -gt 0 ]; then
    printf '%s\n' "${COMPREPLY[@]}" | sort -u
  fi
}

n=0
plan=$((6 + ${#verbs[@]} + 3 + ${#verbs[@]} + 3 + ${#verbs[@]}))
echo "1..$plan"

# ok/not ok for test $1 from the problems in $tmp/problems.
report ()
{
  case $1 in
    *"options of "*)
      test -f "$tmp/noflags.${1##*options of }" \
        && cat "$tmp/noflags.${1##*options of }" >> "$tmp/problems" ;;
  esac
  n=$((n + 1))
  if [ -s "$tmp/problems" ]; then
    echo "not ok $n - $1"
    sed 's/^/# /' "$tmp/problems"
  else
    echo "ok $n - $1"
  fi
  : > "$tmp/problems"
}
: > "$tmp/problems"

# Compare two sorted files: what is offered ($2) against what is expected ($1).
same_set ()
{
  local x
  comm -23 "$1" "$2" | while read -r x; do echo "$3: missing $x"; done >> "$tmp/problems"
  comm -13 "$1" "$2" | while read -r x; do echo "$3: offers unknown $x"; done >> "$tmp/problems"
}

# Write the arguments, sorted, to $tmp/want.
want ()
{
  printf '%s\n' "$@" | sort -u > "$tmp/want"
}

# --- bash ----------------------------------------------------------------

printf '%s\n' "${verbs[@]}" | sort -u > "$tmp/want"
bash_complete hull "" > "$tmp/got"
same_set "$tmp/want" "$tmp/got" "hull <TAB>"
report "bash: verbs"

bash_complete hull - > "$tmp/got"
same_set "$tmp/globals" "$tmp/got" "hull -<TAB>"
bash_complete hull --root /tmp - > "$tmp/got"
same_set "$tmp/globals" "$tmp/got" "hull --root /tmp -<TAB>"
report "bash: global options"

for v in "${verbs[@]}"; do
  bash_complete hull "$v" - > "$tmp/got"
  same_set "$tmp/flags.$v" "$tmp/got" "hull $v -<TAB>"
  bash_complete hull --debug --log-format json "$v" --help - > "$tmp/got"
  same_set "$tmp/flags.$v" "$tmp/got" "hull --debug --log-format json $v --help -<TAB>"
  report "bash: options of $v"
done

# Container ids, with and without --root.
: > "$tmp/stub.log"
printf 'alpha\nbeta.2\n' > "$tmp/want"
bash_complete "$stub" state "" > "$tmp/got"
same_set "$tmp/want" "$tmp/got" "hull state <TAB>"
grep -qx 'list -q' "$tmp/stub.log" \
  || echo "hull state <TAB>: did not run 'hull list -q' (ran: $(tr '\n' ';' < "$tmp/stub.log"))" >> "$tmp/problems"
: > "$tmp/stub.log"
bash_complete "$stub" --root /run/x exec -t "" > "$tmp/got"
same_set "$tmp/want" "$tmp/got" "hull --root /run/x exec -t <TAB>"
grep -qx -- '--root /run/x list -q' "$tmp/stub.log" \
  || echo "hull --root /run/x exec <TAB>: did not run 'hull --root /run/x list -q' (ran: $(tr '\n' ';' < "$tmp/stub.log"))" >> "$tmp/problems"
: > "$tmp/stub.log"
bash_complete "$stub" --root = /run/y kill b > "$tmp/got"
printf 'beta.2\n' > "$tmp/want"
same_set "$tmp/want" "$tmp/got" "hull --root=/run/y kill b<TAB> (split at =)"
grep -qx -- '--root /run/y list -q' "$tmp/stub.log" \
  || echo "hull --root=/run/y kill <TAB>: did not pass --root /run/y (ran: $(tr '\n' ';' < "$tmp/stub.log"))" >> "$tmp/problems"
report "bash: container ids from list -q, with --root"

# Positions that take no container id.
bash_complete "$stub" create "" > "$tmp/got"
[ -s "$tmp/got" ] && echo "hull create <TAB>: offers ids of existing containers: $(tr '\n' ' ' < "$tmp/got")" >> "$tmp/problems"
bash_complete "$stub" start alpha "" > "$tmp/got"
[ -s "$tmp/got" ] && echo "hull start alpha <TAB>: offers a second id: $(tr '\n' ' ' < "$tmp/got")" >> "$tmp/problems"
bash_complete "$stub" exec alpha ls - > "$tmp/got"
[ -s "$tmp/got" ] && echo "hull exec alpha ls -<TAB>: offers hull options for the container command: $(tr '\n' ' ' < "$tmp/got")" >> "$tmp/problems"
bash_complete "$stub" exec --cwd - "" > "$tmp/got"
want alpha beta.2
same_set "$tmp/want" "$tmp/got" "hull exec --cwd - <TAB> (- is the value of --cwd)"
report "bash: argument positions"

# Values of options.
bash_complete hull kill alpha SIGK > "$tmp/got"
grep -qx SIGKILL "$tmp/got" || echo "hull kill alpha SIGK<TAB>: no SIGKILL" >> "$tmp/problems"
bash_complete hull kill alpha KI > "$tmp/got"
grep -qx KILL "$tmp/got" || echo "hull kill alpha KI<TAB>: no KILL" >> "$tmp/problems"
bash_complete hull list --format "" > "$tmp/got"
want json table
same_set "$tmp/want" "$tmp/got" "hull list --format <TAB>"
bash_complete hull ps -f "" > "$tmp/got"
want json table
same_set "$tmp/want" "$tmp/got" "hull ps -f <TAB>"
bash_complete hull check --format "" > "$tmp/got"
want json text
same_set "$tmp/want" "$tmp/got" "hull check --format <TAB>"
bash_complete hull --log-format "" > "$tmp/got"
want json text
same_set "$tmp/want" "$tmp/got" "hull --log-format <TAB>"
bash_complete hull exec --cap CAP_SYS_AD > "$tmp/got"
want CAP_SYS_ADMIN
same_set "$tmp/want" "$tmp/got" "hull exec --cap CAP_SYS_AD<TAB>"
mkdir -p "$tmp/dirs/bundle-a" "$tmp/dirs/bundle-b"
: > "$tmp/dirs/bundle-file"
bash_complete hull create --bundle "$tmp/dirs/bundle-" > "$tmp/got"
want "$tmp/dirs/bundle-a" "$tmp/dirs/bundle-b"
same_set "$tmp/want" "$tmp/got" "hull create --bundle DIR<TAB>"
report "bash: option values"

bash -n "$compdir/hull.bash" 2> "$tmp/problems"
report "bash: syntax"

# --- zsh -----------------------------------------------------------------

# A zsh script that completes a command line ($2) in an interactive zsh on a
# pseudo-terminal, with the completion functions of directory $1, and prints
# the candidates.  compadd is wrapped to print what it adds; the completion
# is ended (and the shell left) in a comppostfuncs hook, so nothing waits
# for keyboard input.
cat > "$tmp/complete.zsh" << 'EOF'
zmodload zsh/zpty || exit 2
zpty z zsh -f -i || exit 2
zpty -w z "fpath=(${(q)1} \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z 'compadd () {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
  local -a __got
  builtin compadd -A __got "$@"
  (( $#__got )) && print -r -l -- "@@HIT:"${^__got}
  builtin compadd "$@"
}'
zpty -w z '__done () { compstate[list]=; compstate[insert]=; exit; }; comppostfuncs=(__done)'
zpty -w z "echo @@READY"
zpty -r z line '*@@READY*'
zpty -r z line '*@@READY*'
zpty -n -w z "$2"$'\t'
out=
while zpty -r z line; do out+=$line; done
zpty -d z
print -r -- "$out" | tr -d '\r' | grep -ao '@@HIT:[^[:cntrl:] ]*' | sed 's/^@@HIT://' | sort -u
EOF

# Candidates of zsh for the command line $1 (hull from the stub directory).
zsh_complete ()
{
  PATH=$tmp/bin:$PATH timeout 60 zsh -f "$tmp/complete.zsh" "$compdir" "$1" 2> "$tmp/zsh.err"
  case $? in
    0) ;;
    124) echo "zsh: completing '$1' did not finish" >> "$tmp/problems" ;;
    *) echo "zsh: completing '$1' failed: $(tail -n 1 "$tmp/zsh.err")" >> "$tmp/problems" ;;
  esac
}

if command -v zsh > /dev/null 2>&1 && zsh -fc 'zmodload zsh/zpty' 2> /dev/null; then
  zsh -n "$compdir/_hull" 2> "$tmp/problems"
  head -n 1 "$compdir/_hull" | grep -qx '#compdef hull' \
    || echo "_hull: first line is not '#compdef hull'" >> "$tmp/problems"
  printf '%s\n' "${verbs[@]}" | sort -u > "$tmp/want"
  zsh_complete "hull " > "$tmp/got"
  same_set "$tmp/want" "$tmp/got" "zsh: hull <TAB>"
  report "zsh: syntax and verbs"

  zsh_complete "hull -" > "$tmp/got"
  same_set "$tmp/globals" "$tmp/got" "zsh: hull -<TAB>"
  report "zsh: global options"

  for v in "${verbs[@]}"; do
    zsh_complete "hull $v -" > "$tmp/got"
    same_set "$tmp/flags.$v" "$tmp/got" "zsh: hull $v -<TAB>"
    report "zsh: options of $v"
  done

  : > "$tmp/stub.log"
  zsh_complete "hull --root /run/z pause " > "$tmp/got"
  want alpha beta.2
  same_set "$tmp/want" "$tmp/got" "zsh: hull --root /run/z pause <TAB>"
  grep -qx -- '--root /run/z list -q' "$tmp/stub.log" \
    || echo "zsh: hull --root /run/z pause <TAB>: did not run 'hull --root /run/z list -q' (ran: $(tr '\n' ';' < "$tmp/stub.log"))" >> "$tmp/problems"
  report "zsh: container ids from list -q, with --root"
else
  for t in "syntax and verbs" "global options" "${verbs[@]/#/options of }" "container ids from list -q, with --root"; do
    n=$((n + 1))
    echo "ok $n - zsh: $t # SKIP zsh or its zpty module is not installed"
  done
fi

# --- fish ----------------------------------------------------------------

if command -v fish > /dev/null 2>&1; then
  # Candidates for the command line $1, sorted; anything fish prints on
  # stderr (errors in hull.fish) is a problem.
  fish_complete ()
  {
    PATH=$tmp/bin:$PATH fish --no-config \
      -c "source '$compdir/hull.fish'; complete -C '$1'" 2> "$tmp/fish.err" \
      | cut -f 1 | sort -u
    sed "s/^/fish stderr: /" "$tmp/fish.err" >> "$tmp/problems"
  }
  printf '%s\n' "${verbs[@]}" | sort -u > "$tmp/want"
  fish_complete "hull " > "$tmp/got"
  same_set "$tmp/want" "$tmp/got" "fish: hull <TAB>"
  report "fish: verbs"

  : > "$tmp/stub.log"
  fish_complete "hull --root /run/f resume " > "$tmp/got"
  want alpha beta.2
  same_set "$tmp/want" "$tmp/got" "fish: hull --root /run/f resume <TAB>"
  grep -qx -- '--root /run/f list -q' "$tmp/stub.log" \
    || echo "fish: hull --root /run/f resume <TAB>: did not run 'hull --root /run/f list -q' (ran: $(tr '\n' ';' < "$tmp/stub.log"))" >> "$tmp/problems"
  report "fish: container ids from list -q, with --root"

  fish_complete "hull -" > "$tmp/got"
  # fish lists the verbs too when nothing excludes them; keep options only.
  grep -- '^-' "$tmp/got" > "$tmp/got.opts"
  same_set "$tmp/globals" "$tmp/got.opts" "fish: hull -<TAB>"
  report "fish: global options"
  for v in "${verbs[@]}"; do
    fish_complete "hull $v -" > "$tmp/got"
    same_set "$tmp/flags.$v" "$tmp/got" "fish: hull $v -<TAB>"
    report "fish: options of $v"
  done
else
  for t in verbs "container ids from list -q, with --root" "global options"; do
    n=$((n + 1))
    echo "ok $n - fish: $t # SKIP fish is not installed"
  done
  for v in "${verbs[@]}"; do
    n=$((n + 1))
    echo "ok $n - fish: options of $v # SKIP fish is not installed"
  done
fi
