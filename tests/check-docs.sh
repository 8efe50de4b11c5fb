#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Documentation drift check (TAP).  Asks the built hull for its help texts
# and compares them with the man page sources in man/:
#
#   test 1      man/hull.8.md: every global option of `hull --help` is
#               documented under GLOBAL OPTIONS, every verb has an entry under
#               COMMANDS and a hull-VERB(8) reference, and neither section
#               documents anything hull does not have;
#   one a verb  man/hull-VERB.8.md exists, has the usual sections, documents
#               every flag of `hull VERB --help` in its OPTIONS section (as
#               **--flag** or `--flag`), documents no flag hull lacks (every
#               **-x** / **--xyz** at the start of an OPTIONS line must exist),
#               and man/man.am builds it;
#   last test   no man/hull-*.8.md page describes a verb hull does not have.
#
# The help format it relies on is described in tests/lib-help.sh.
#
# Environment: HULL_BUILDDIR, HULL_SRCDIR (set by `make check`), HULL (the
# binary, default $HULL_BUILDDIR/src/hull).

# shellcheck disable=SC2016 # awk programs are single-quoted on purpose
set -u

srcdir=${HULL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${HULL_BUILDDIR:-$srcdir}
hull=${HULL:-$builddir/src/hull}
mandir=$srcdir/man

bail ()
{
  echo "Bail out! $*"
  exit 1
}

. "$(dirname "$0")/lib-help.sh"

test -x "$hull" || bail "no hull binary at $hull (build it first)"
test -d "$mandir" || bail "no man directory at $mandir"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-docs.XXXXXX") || bail "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# --- man page parsing --------------------------------------------------------

# Text of the sections of markdown file $1 whose "# " heading contains $2.
md_sections ()
{
  $AWK -v want="$2" '
    /^# / { on = (index ($0, want) > 0); next }
    on { print }
  ' "$1"
}

# True when flag $1 is mentioned as **FLAG** or `FLAG` (or `FLAG ARG`,
# `FLAG=ARG`) in the text on stdin.
mentions_flag ()
{
  $AWK -v f="$1" '
    index ($0, "**" f "**") || index ($0, "`" f "`") \
      || index ($0, "`" f " ") || index ($0, "`" f "=") { found = 1; exit }
    END { exit !found }
  '
}

# Flags that the text on stdin documents: every **-x** or **--xyz** on a line
# that starts with one (a definition-list term).
documented_flags ()
{
  $AWK '
    /^\*\*-/ {
      line = $0
      while (match (line, /\*\*--?[A-Za-z0-9][-A-Za-z0-9]*\*\*/)) {
        print substr (line, RSTART + 2, RLENGTH - 4)
        line = substr (line, RSTART + RLENGTH)
      }
    }
  '
}

# True when word $1 is a line of file $2.
in_list ()
{
  grep -Fqx -e "$1" "$2"
}

# --- the tests ---------------------------------------------------------------

"$hull" --help > "$tmp/top" 2> "$tmp/top.err" \
  || bail "'$hull --help' failed: $(tail -n 1 "$tmp/top.err")"
help_verbs < "$tmp/top" > "$tmp/verbs"
help_globals < "$tmp/top" > "$tmp/globals"
test -s "$tmp/verbs" || bail "no verbs found below 'Commands:' in 'hull --help'"
test -s "$tmp/globals" \
  || bail "no flags found below 'Global options:' in 'hull --help'"

nverbs=$(wc -l < "$tmp/verbs")
echo "1..$((nverbs + 2))"
n=0

# Print the TAP line for the test just run; problems are in $tmp/problems.
report ()
{
  n=$((n + 1))
  if test -s "$tmp/problems"; then
    echo "not ok $n - $1"
    sed 's/^/# /' "$tmp/problems"
  else
    echo "ok $n - $1"
  fi
  : > "$tmp/problems"
}
: > "$tmp/problems"

# Test 1: the main page.
page=$mandir/hull.8.md
if test -f "$page"; then
  md_sections "$page" "OPTIONS" > "$tmp/opts"
  while read -r flag; do
    mentions_flag "$flag" < "$tmp/opts" \
      || echo "hull.8.md: global option $flag is not documented under GLOBAL OPTIONS" >> "$tmp/problems"
  done < "$tmp/globals"
  documented_flags < "$tmp/opts" | sort -u > "$tmp/doc"
  while read -r flag; do
    in_list "$flag" "$tmp/globals" \
      || echo "hull.8.md: documents global option $flag, which 'hull --help' does not list" >> "$tmp/problems"
  done < "$tmp/doc"
  md_sections "$page" "COMMANDS" \
    | $AWK '/^\*\*[a-z][a-z0-9-]*\*\*/ { s = $0; sub (/^\*\*/, "", s); sub (/\*\*.*/, "", s); print s }' \
    > "$tmp/doccmds"
  md_sections "$page" "SEE ALSO" > "$tmp/seealso"
  while read -r verb; do
    in_list "$verb" "$tmp/doccmds" \
      || echo "hull.8.md: verb $verb has no **$verb** entry under COMMANDS" >> "$tmp/problems"
    grep -Fq "**hull-$verb**(8)" "$tmp/seealso" \
      || echo "hull.8.md: SEE ALSO lacks **hull-$verb**(8)" >> "$tmp/problems"
  done < "$tmp/verbs"
  while read -r verb; do
    in_list "$verb" "$tmp/verbs" \
      || echo "hull.8.md: COMMANDS documents $verb, which 'hull --help' does not list" >> "$tmp/problems"
  done < "$tmp/doccmds"
else
  echo "man/hull.8.md does not exist" >> "$tmp/problems"
fi
report "hull.8.md: global options and verbs"

# One test per verb.
while read -r verb; do
  page=$mandir/hull-$verb.8.md
  if "$hull" "$verb" --help > "$tmp/help" 2> "$tmp/help.err" < /dev/null; then
    head -n 1 "$tmp/help" | grep -Eq "^Usage: .*hull.* $verb( |\$)" \
      || echo "'hull $verb --help' does not start with 'Usage: hull $verb'" >> "$tmp/problems"
    verb_flags < "$tmp/help" > "$tmp/flags"
    test -s "$tmp/flags" \
      || echo "'hull $verb --help' lists no flags after 'Options:' (not even --help)" >> "$tmp/problems"
  else
    echo "'hull $verb --help' failed: $(tail -n 1 "$tmp/help.err")" >> "$tmp/problems"
    : > "$tmp/flags"
  fi
  if test -f "$page"; then
    head -n 1 "$page" | grep -Eiq "^% hull-$verb 8( |\$)" \
      || echo "hull-$verb.8.md: first line is not '% HULL-$verb 8 ...'" >> "$tmp/problems"
    for s in NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLE "SEE ALSO"; do
      grep -q "^# $s" "$page" \
        || echo "hull-$verb.8.md: no '# $s' section" >> "$tmp/problems"
    done
    md_sections "$page" "NAME" | grep -q "^hull-$verb - " \
      || echo "hull-$verb.8.md: NAME is not 'hull-$verb - summary'" >> "$tmp/problems"
    md_sections "$page" "SYNOPSIS" | grep -Fq "**$verb**" \
      || echo "hull-$verb.8.md: SYNOPSIS does not show **$verb**" >> "$tmp/problems"
    md_sections "$page" "OPTIONS" > "$tmp/opts"
    while read -r flag; do
      mentions_flag "$flag" < "$tmp/opts" \
        || echo "hull-$verb.8.md: $flag is not documented under OPTIONS" >> "$tmp/problems"
    done < "$tmp/flags"
    documented_flags < "$tmp/opts" | sort -u > "$tmp/doc"
    while read -r flag; do
      in_list "$flag" "$tmp/flags" \
        || echo "hull-$verb.8.md: documents $flag, which 'hull $verb --help' does not list" >> "$tmp/problems"
    done < "$tmp/doc"
  else
    echo "man/hull-$verb.8.md does not exist" >> "$tmp/problems"
  fi
  grep -Eq "man/hull-$verb\\.8([^.A-Za-z0-9_-]|\$)" "$mandir/man.am" 2> /dev/null \
    || echo "man/man.am does not list man/hull-$verb.8" >> "$tmp/problems"
  report "$verb: hull-$verb.8.md"
done < "$tmp/verbs"

# Last test: no page for a verb that does not exist.
for page in "$mandir"/hull-*.8.md; do
  test -f "$page" || continue
  verb=${page##*/hull-}
  verb=${verb%.8.md}
  in_list "$verb" "$tmp/verbs" \
    || echo "man/hull-$verb.8.md describes a verb that 'hull --help' does not list" >> "$tmp/problems"
done
report "no man page for an unknown verb"
