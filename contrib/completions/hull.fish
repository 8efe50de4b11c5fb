# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for hull(8).  Installed in
# $(datadir)/fish/vendor_completions.d; to try it by hand:
#   source contrib/completions/hull.fish

set -l hull_verbs spec create start run state kill delete list exec update pause resume ps events features check

# Print the ids of the containers, from `hull list -q`, passing on the --root
# of the command line being completed.
function __hull_ids
    set -l words (commandline -opc)
    set -l cmd $words[1]
    set -l root
    set -l i 2
    while test $i -le (count $words)
        switch $words[$i]
            case --root
                set i (math $i + 1)
                if test $i -le (count $words)
                    set root $words[$i]
                end
            case '--root=*'
                set root (string replace -- --root= '' $words[$i])
            case --log --log-format --rootless --criu
                set i (math $i + 1)
            case '-*'
            case '*'
                break
        end
        set i (math $i + 1)
    end
    type -q -- $cmd; or return
    if test -n "$root"
        $cmd --root $root list -q 2>/dev/null
    else
        $cmd list -q 2>/dev/null
    end
end

# Number of arguments after the verb that are not options (nor their values).
function __hull_npos
    set -l words (commandline -opc)
    set -l n 0
    set -l seen_verb 0
    set -l skip 0
    for w in $words[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        if test $seen_verb = 0
            switch $w
                case --root --log --log-format --rootless --criu
                    set skip 1
                case '-*'
                case '*'
                    set seen_verb 1
            end
            continue
        end
        switch $w
            case -b --bundle --pid-file --console-socket --preserve-fds -p --process --cwd -e --env -u --user -g --additional-gids -c --cap --process-label --apparmor --cgroup -r --resources --memory --memory-swap --memory-reservation --kernel-memory --kernel-memory-tcp --cpu-shares --cpu-quota --cpu-period --cpu-rt-period --cpu-rt-runtime --cpuset-cpus --cpuset-mems --pids-limit --blkio-weight --interval --format
                set skip 1
            case -f
                # --format for list and ps, --force (no value) for delete
                if not contains -- delete $words
                    set skip 1
                end
            case '-*'
            case '*'
                set n (math $n + 1)
        end
    end
    echo $n
end

# Signal names, with and without the SIG prefix.
function __hull_signals
    for s in HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS
        echo $s
        echo SIG$s
    end
end

# True when the verb is $argv[1] and no positional argument was given yet.
function __hull_want_id
    __fish_seen_subcommand_from $argv[1]; and test (__hull_npos) -eq 0
end

complete -c hull -f

# Global options and verbs.
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -l root -r -a '(__fish_complete_directories)' -d 'directory of the container state'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -l log -r -F -d 'log file'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -l log-format -x -a 'text json' -d 'log format'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -l debug -d 'log debug messages'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -l systemd-cgroup -d 'manage cgroups through systemd'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -l rootless -x -a 'true false auto' -d 'accepted for runc compatibility'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -l criu -r -F -d 'accepted for runc compatibility'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -s v -l version -d 'print the version'
complete -c hull -s h -l help -d 'print help'

complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -a spec -d 'write a template config.json'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -a create -d 'create a container'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -a start -d 'start a created container'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -a run -d 'create and start a container'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -a state -d 'print the state of a container'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -a kill -d 'send a signal to a container'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -a delete -d 'delete a container'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -a list -d 'list the containers'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -a exec -d 'run a process in a container'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -a update -d 'change resource limits'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -a pause -d 'freeze a container'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -a resume -d 'thaw a paused container'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -a ps -d 'list the processes of a container'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -a events -d 'print statistics and events'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -a features -d 'show the supported OCI features'
complete -c hull -n "not __fish_seen_subcommand_from $hull_verbs" -a check -d 'validate a bundle'

# Container ids for the verbs that act on an existing container.
for v in start state kill exec update pause resume ps events
    complete -c hull -n "__hull_want_id $v" -a '(__hull_ids)' -d container
end
# delete takes several ids
complete -c hull -n '__fish_seen_subcommand_from delete' -a '(__hull_ids)' -d container
complete -c hull -n "__fish_seen_subcommand_from kill; and test (__hull_npos) -eq 1" -a '(__hull_signals)' -d signal

# spec
complete -c hull -n '__fish_seen_subcommand_from spec' -s b -l bundle -r -a '(__fish_complete_directories)' -d 'bundle directory'
complete -c hull -n '__fish_seen_subcommand_from spec' -l rootless -d 'configuration for a rootless container'

# create and run
for v in create run
    complete -c hull -n "__fish_seen_subcommand_from $v" -s b -l bundle -r -a '(__fish_complete_directories)' -d 'bundle directory'
    complete -c hull -n "__fish_seen_subcommand_from $v" -l pid-file -r -F -d 'write the init pid to this file'
    complete -c hull -n "__fish_seen_subcommand_from $v" -l console-socket -r -F -d 'socket that receives the pty master'
    complete -c hull -n "__fish_seen_subcommand_from $v" -l no-pivot -d 'use chroot instead of pivot_root'
    complete -c hull -n "__fish_seen_subcommand_from $v" -l no-new-keyring -d 'keep the caller session keyring'
    complete -c hull -n "__fish_seen_subcommand_from $v" -l preserve-fds -x -d 'pass N extra file descriptors'
end
complete -c hull -n '__fish_seen_subcommand_from run' -s d -l detach -d 'return once the program has started'
complete -c hull -n '__fish_seen_subcommand_from run' -l keep -d 'do not delete the container after it exits'

# exec: options only before the command
set -l exec_opts "__fish_seen_subcommand_from exec; and test (__hull_npos) -lt 2"
complete -c hull -n $exec_opts -s p -l process -r -F -d 'JSON file describing the process'
complete -c hull -n $exec_opts -s t -l tty -d 'allocate a pseudo-terminal'
complete -c hull -n $exec_opts -l console-socket -r -F -d 'socket that receives the pty master'
complete -c hull -n $exec_opts -l cwd -x -d 'working directory in the container'
complete -c hull -n $exec_opts -s e -l env -x -d 'set an environment variable'
complete -c hull -n $exec_opts -s u -l user -x -d 'UID[:GID]'
complete -c hull -n $exec_opts -s g -l additional-gids -x -d 'supplementary group'
complete -c hull -n $exec_opts -s c -l cap -x -a 'CAP_AUDIT_CONTROL CAP_AUDIT_READ CAP_AUDIT_WRITE CAP_BLOCK_SUSPEND CAP_BPF CAP_CHECKPOINT_RESTORE CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_FSETID CAP_IPC_LOCK CAP_IPC_OWNER CAP_KILL CAP_LEASE CAP_LINUX_IMMUTABLE CAP_MAC_ADMIN CAP_MAC_OVERRIDE CAP_MKNOD CAP_NET_ADMIN CAP_NET_BIND_SERVICE CAP_NET_BROADCAST CAP_NET_RAW CAP_PERFMON CAP_SETFCAP CAP_SETGID CAP_SETPCAP CAP_SETUID CAP_SYSLOG CAP_SYS_ADMIN CAP_SYS_BOOT CAP_SYS_CHROOT CAP_SYS_MODULE CAP_SYS_NICE CAP_SYS_PACCT CAP_SYS_PTRACE CAP_SYS_RAWIO CAP_SYS_RESOURCE CAP_SYS_TIME CAP_SYS_TTY_CONFIG CAP_WAKE_ALARM' -d 'add a capability'
complete -c hull -n $exec_opts -l no-new-privs -d 'set no-new-privileges'
complete -c hull -n $exec_opts -l process-label -x -d 'SELinux label'
complete -c hull -n $exec_opts -l apparmor -x -d 'AppArmor profile'
complete -c hull -n $exec_opts -s d -l detach -d 'return once the process has started'
complete -c hull -n $exec_opts -l pid-file -r -F -d 'write the pid to this file'
complete -c hull -n $exec_opts -l preserve-fds -x -d 'pass N extra file descriptors'
complete -c hull -n $exec_opts -l cgroup -x -d '[controller:]path of a sub-cgroup'
complete -c hull -n $exec_opts -l ignore-paused -d 'allow exec into a paused container'

# kill, delete, list
complete -c hull -n '__fish_seen_subcommand_from kill' -s a -l all -d 'signal every process of the container'
complete -c hull -n '__fish_seen_subcommand_from delete' -s f -l force -d 'kill the container first if it runs'
complete -c hull -n '__fish_seen_subcommand_from list' -s f -l format -x -a 'table json' -d 'output format'
complete -c hull -n '__fish_seen_subcommand_from list' -s q -l quiet -d 'print only the ids'

# update
complete -c hull -n '__fish_seen_subcommand_from update' -s r -l resources -r -F -d 'JSON file with the limits, - for stdin'
complete -c hull -n '__fish_seen_subcommand_from update' -l memory -x -d 'memory limit in bytes'
complete -c hull -n '__fish_seen_subcommand_from update' -l memory-swap -x -d 'memory plus swap limit in bytes'
complete -c hull -n '__fish_seen_subcommand_from update' -l memory-reservation -x -d 'soft memory limit in bytes'
complete -c hull -n '__fish_seen_subcommand_from update' -l kernel-memory -x -d 'kernel memory limit (deprecated)'
complete -c hull -n '__fish_seen_subcommand_from update' -l kernel-memory-tcp -x -d 'kernel TCP buffer limit (deprecated)'
complete -c hull -n '__fish_seen_subcommand_from update' -l cpu-shares -x -d 'relative CPU weight'
complete -c hull -n '__fish_seen_subcommand_from update' -l cpu-quota -x -d 'CPU time per period (usec)'
complete -c hull -n '__fish_seen_subcommand_from update' -l cpu-period -x -d 'CFS period (usec)'
complete -c hull -n '__fish_seen_subcommand_from update' -l cpu-rt-period -x -d 'real-time period (usec)'
complete -c hull -n '__fish_seen_subcommand_from update' -l cpu-rt-runtime -x -d 'real-time CPU time per period (usec)'
complete -c hull -n '__fish_seen_subcommand_from update' -l cpuset-cpus -x -d 'CPUs to run on'
complete -c hull -n '__fish_seen_subcommand_from update' -l cpuset-mems -x -d 'memory nodes to use'
complete -c hull -n '__fish_seen_subcommand_from update' -l pids-limit -x -d 'maximum number of pids'
complete -c hull -n '__fish_seen_subcommand_from update' -l blkio-weight -x -d 'block I/O weight, 10 to 1000'

# ps, events, check
complete -c hull -n '__fish_seen_subcommand_from ps' -s f -l format -x -a 'table json' -d 'output format'
complete -c hull -n '__fish_seen_subcommand_from events' -l stats -d 'print the statistics once and exit'
complete -c hull -n '__fish_seen_subcommand_from events' -l interval -x -d 'time between statistics'
complete -c hull -n '__fish_seen_subcommand_from check' -s b -l bundle -r -a '(__fish_complete_directories)' -d 'bundle directory'
complete -c hull -n '__fish_seen_subcommand_from check' -l format -x -a 'text json' -d 'output format'
