# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for hull(8).  Installed as
# $(datadir)/bash-completion/completions/hull; to try it by hand:
#   source contrib/completions/hull.bash
#
# Completes global options, verbs, the options of each verb and their
# values, container ids (from `hull list -q`, with the --root given on the
# command line) and signal names for `hull kill`.

_hull_verbs="spec create start run state kill delete list exec update pause resume ps events features check"
_hull_global_flags="--root --log --log-format --debug --systemd-cgroup --rootless --criu --version -v --help -h"
_hull_global_argflags="--root --log --log-format --rootless --criu"

# Set _hull_flags (all options of verb $1) and _hull_argflags (those that
# take a value).
_hull_verb_flags ()
{
  case $1 in
    spec)
      _hull_flags="--bundle -b --rootless"
      _hull_argflags="--bundle -b" ;;
    create)
      _hull_flags="--bundle -b --pid-file --console-socket --no-pivot --no-new-keyring --preserve-fds"
      _hull_argflags="--bundle -b --pid-file --console-socket --preserve-fds" ;;
    run)
      _hull_flags="--bundle -b --pid-file --console-socket --no-pivot --no-new-keyring --preserve-fds --detach -d --keep"
      _hull_argflags="--bundle -b --pid-file --console-socket --preserve-fds" ;;
    exec)
      _hull_flags="--process -p --tty -t --console-socket --cwd --env -e --user -u --additional-gids -g --cap -c --no-new-privs --process-label --apparmor --detach -d --pid-file --preserve-fds --cgroup --ignore-paused"
      _hull_argflags="--process -p --console-socket --cwd --env -e --user -u --additional-gids -g --cap -c --process-label --apparmor --pid-file --preserve-fds --cgroup" ;;
    kill)
      _hull_flags="--all -a"
      _hull_argflags="" ;;
    delete)
      _hull_flags="--force -f"
      _hull_argflags="" ;;
    list)
      _hull_flags="--format -f --quiet -q"
      _hull_argflags="--format -f" ;;
    update)
      _hull_flags="--resources -r --memory --memory-swap --memory-reservation --kernel-memory --kernel-memory-tcp --cpu-shares --cpu-quota --cpu-period --cpu-rt-period --cpu-rt-runtime --cpuset-cpus --cpuset-mems --pids-limit --blkio-weight"
      _hull_argflags="$_hull_flags" ;;
    ps)
      _hull_flags="--format -f"
      _hull_argflags="--format -f" ;;
    events)
      _hull_flags="--stats --interval"
      _hull_argflags="--interval" ;;
    check)
      _hull_flags="--bundle -b --format"
      _hull_argflags="--bundle -b --format" ;;
    *)
      _hull_flags=""
      _hull_argflags="" ;;
  esac
  _hull_flags="$_hull_flags --help -h"
}

# True when word $1 is in the list $2.
_hull_in ()
{
  case " $2 " in
    *" $1 "*) return 0 ;;
  esac
  return 1
}

# Print the ids of the containers, asking the hull binary $1 with root $2.
_hull_ids ()
{
  if [ -n "$2" ]; then
    "$1" --root "$2" list -q 2> /dev/null
  else
    "$1" list -q 2> /dev/null
  fi
}

# Complete the value of option $1 of verb $2 (empty: a global option).
_hull_value ()
{
  local cur=$3
  case $1 in
    --root|--bundle|-b)
      compopt -o filenames 2> /dev/null
      mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
    --log|--pid-file|--console-socket|--process|-p)
      compopt -o filenames 2> /dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
    --resources|-r)
      compopt -o filenames 2> /dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$cur"; compgen -W "-" -- "$cur") ;;
    --criu)
      compopt -o filenames 2> /dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
    --rootless)
      mapfile -t COMPREPLY < <(compgen -W "true false auto" -- "$cur") ;;
    --log-format)
      mapfile -t COMPREPLY < <(compgen -W "text json" -- "$cur") ;;
    --format|-f)
      if [ "$2" = check ]; then
        mapfile -t COMPREPLY < <(compgen -W "text json" -- "$cur")
      else
        mapfile -t COMPREPLY < <(compgen -W "table json" -- "$cur")
      fi ;;
    --cap|-c)
      mapfile -t COMPREPLY < <(compgen -W "CAP_AUDIT_CONTROL CAP_AUDIT_READ CAP_AUDIT_WRITE CAP_BLOCK_SUSPEND CAP_BPF CAP_CHECKPOINT_RESTORE CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_FSETID CAP_IPC_LOCK CAP_IPC_OWNER CAP_KILL CAP_LEASE CAP_LINUX_IMMUTABLE CAP_MAC_ADMIN CAP_MAC_OVERRIDE CAP_MKNOD CAP_NET_ADMIN CAP_NET_BIND_SERVICE CAP_NET_BROADCAST CAP_NET_RAW CAP_PERFMON CAP_SETFCAP CAP_SETGID CAP_SETPCAP CAP_SETUID CAP_SYSLOG CAP_SYS_ADMIN CAP_SYS_BOOT CAP_SYS_CHROOT CAP_SYS_MODULE CAP_SYS_NICE CAP_SYS_PACCT CAP_SYS_PTRACE CAP_SYS_RAWIO CAP_SYS_RESOURCE CAP_SYS_TIME CAP_SYS_TTY_CONFIG CAP_WAKE_ALARM" -- "$cur") ;;
    *)
      COMPREPLY=() ;;
  esac
}

_hull ()
{
  local cur=${COMP_WORDS[COMP_CWORD]} prev="" hull=${COMP_WORDS[0]}
  local root="" verb="" w i=1 npos=0
  local _hull_flags _hull_argflags
  [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}
  COMPREPLY=()

  # Global options up to the verb.  "--opt=value" may arrive as three words
  # ("--opt" "=" "value") when '=' is in COMP_WORDBREAKS.
  while [ "$i" -lt "$COMP_CWORD" ]; do
    w=${COMP_WORDS[i]}
    case $w in
      --root=*)
        root=${w#--root=} ;;
      --root|--log|--log-format|--rootless|--criu)
        if [ "${COMP_WORDS[i+1]}" = "=" ]; then
          [ "$w" = --root ] && root=${COMP_WORDS[i+2]}
          i=$((i + 2))
        else
          [ "$w" = --root ] && root=${COMP_WORDS[i+1]}
          i=$((i + 1))
        fi ;;
      -*) ;;
      *)
        verb=$w
        break ;;
    esac
    i=$((i + 1))
  done
  case $root in
    "~"/*) root=$HOME/${root#"~"/} ;;
  esac

  if [ -z "$verb" ]; then
    if [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 2 ]; then
      prev=${COMP_WORDS[COMP_CWORD-2]}
    fi
    if _hull_in "$prev" "$_hull_global_argflags"; then
      _hull_value "$prev" "" "$cur"
    elif [ "${cur#-}" != "$cur" ]; then
      mapfile -t COMPREPLY < <(compgen -W "$_hull_global_flags" -- "$cur")
    else
      mapfile -t COMPREPLY < <(compgen -W "$_hull_verbs" -- "$cur")
    fi
    return 0
  fi

  _hull_verb_flags "$verb"
  # Count the positional arguments between the verb and the cursor.
  i=$((i + 1))
  while [ "$i" -lt "$COMP_CWORD" ]; do
    w=${COMP_WORDS[i]}
    if [ "$npos" -gt 0 ] && { [ "$verb" = exec ] || [ "$verb" = ps ]; }; then
      npos=$((npos + 1))    # the command or ps options: not ours
    elif [ "$w" = "=" ]; then
      :
    elif _hull_in "$w" "$_hull_argflags"; then
      i=$((i + 1))
      [ "${COMP_WORDS[i]}" = "=" ] && i=$((i + 1))
    elif [ "${w#-}" = "$w" ] || [ "$w" = - ]; then
      npos=$((npos + 1))
    fi
    i=$((i + 1))
  done

  if [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 2 ]; then
    prev=${COMP_WORDS[COMP_CWORD-2]}
  fi
  if [ "$npos" -eq 0 ] || { [ "$verb" != exec ] && [ "$verb" != ps ]; }; then
    if _hull_in "$prev" "$_hull_argflags"; then
      _hull_value "$prev" "$verb" "$cur"
      return 0
    fi
    if [ "${cur#-}" != "$cur" ]; then
      mapfile -t COMPREPLY < <(compgen -W "$_hull_flags" -- "$cur")
      return 0
    fi
  fi

  case $verb in
    spec|list|features|check|create|run)
      ;;    # no positional argument, or a new container id
    kill)
      if [ "$npos" -eq 0 ]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_hull_ids "$hull" "$root")" -- "$cur")
      elif [ "$npos" -eq 1 ]; then
        mapfile -t COMPREPLY < <(compgen -A signal -- "$cur"; compgen -W "$(compgen -A signal | sed 's/^SIG//')" -- "$cur")
      fi ;;
    delete)
      mapfile -t COMPREPLY < <(compgen -W "$(_hull_ids "$hull" "$root")" -- "$cur") ;;
    *)
      if [ "$npos" -eq 0 ]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_hull_ids "$hull" "$root")" -- "$cur")
      fi ;;
  esac
  return 0
}

complete -F _hull hull
