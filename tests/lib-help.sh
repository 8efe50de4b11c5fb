# SPDX-License-Identifier: GPL-2.0-or-later
# Shell functions that parse hull's help output; sourced by check-docs.sh and
# check-completions.sh.  Uses $AWK (default awk).
#
# Help format: `hull --help` lists verbs as "  VERB  summary" lines below a
# "Commands:" line and global options below "Global options:";
# `hull VERB --help` starts with "Usage: hull VERB" and lists its flags after
# an "Options:" line.  A flag line matches
#   ^  (-[A-Za-z], )?(    )?--[a-z0-9-]+
# Sections end at an empty line.

# shellcheck disable=SC2016 # awk programs are single-quoted on purpose
AWK=${AWK:-awk}

# Lines of the section that starts after the line equal to $1, up to the
# first empty line.
help_section ()
{
  $AWK -v head="$1" '
    on && /^[ \t]*$/ { exit }
    on { print }
    $0 == head { on = 1 }
  '
}

# Every flag of the flag lines on stdin, one per line ("-b", "--bundle").
help_flags ()
{
  $AWK '
    /^  (-[A-Za-z], )?(    )?--[a-z0-9-]+/ {
      line = substr ($0, 3)
      if (line ~ /^-[A-Za-z], /) {
        print substr (line, 1, 2)
        line = substr (line, 5)
      } else
        sub (/^    /, "", line)
      match (line, /^--[a-z0-9-]+/)
      print substr (line, RSTART, RLENGTH)
    }
  '
}

# The verbs of the `hull --help` text on stdin.
help_verbs ()
{
  help_section "Commands:" | $AWK '/^  [a-z][a-z0-9-]*( |$)/ { print $1 }'
}

# The global flags of the `hull --help` text on stdin.
help_globals ()
{
  help_section "Global options:" | help_flags
}

# The flags of the `hull VERB --help` text on stdin: flag lines after the
# "Options:" line.
verb_flags ()
{
  $AWK 'on { print } /^Options:[ \t]*$/ { on = 1 }' | help_flags
}
