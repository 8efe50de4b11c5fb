#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The container's filesystem view: config mounts and their options, /dev,
# masked and read-only paths, root.readonly, symlinks in the rootfs, --no-pivot.

load helpers

setup() {
	setup_bundle
	HOSTDIR=$TESTDIR/host
	mkdir -p "$HOSTDIR"
	echo hostdata >"$HOSTDIR/f"
}

teardown() {
	teardown_bundle
}

# add_mount JSON: append one object to .mounts
add_mount() {
	update_config --argjson m "$1" '.mounts += [$m]'
}

# The mountinfo line (as seen in the container) of mount point $1, from $output.
mnt_line() {
	printf '%s\n' "$output" | awk -v p="$1" '$5 == p' | tail -n 1
}

# The per-mount options field of that line.
mnt_opts() {
	mnt_line "$1" | awk '{print $6}'
}

@test "bind mount ro: content visible, read-only, source untouched" {
	add_mount "{\"destination\":\"/mnt/ro\",\"type\":\"bind\",\"source\":\"$HOSTDIR\",\"options\":[\"bind\",\"ro\"]}"
	set_args sh -c 'cat /mnt/ro/f; touch /mnt/ro/new 2>/dev/null && echo WRITABLE || echo READONLY; cat /proc/self/mountinfo'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *hostdata* ]]
	[[ "$output" == *READONLY* ]]
	[[ ",$(mnt_opts /mnt/ro)," == *,ro,* ]]
	[ ! -e "$HOSTDIR/new" ]
}

@test "bind mount rw: writes reach the host" {
	add_mount "{\"destination\":\"/mnt/rw\",\"type\":\"bind\",\"source\":\"$HOSTDIR\",\"options\":[\"rbind\",\"rw\"]}"
	set_args sh -c 'echo fromctr > /mnt/rw/written'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$HOSTDIR/written")" = fromctr ]
}

@test "bind mount source relative to the bundle, file onto a new file" {
	echo relfile >"$BUNDLE/relsrc"
	add_mount '{"destination":"/etc/relfile","type":"bind","source":"relsrc","options":["bind"]}'
	set_args cat /etc/relfile
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = relfile ]
}

@test "nosuid, nodev, noexec on a bind mount" {
	add_mount "{\"destination\":\"/mnt/x\",\"type\":\"bind\",\"source\":\"$HOSTDIR\",\"options\":[\"bind\",\"nosuid\",\"nodev\",\"noexec\"]}"
	set_args cat /proc/self/mountinfo
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	local o
	o=",$(mnt_opts /mnt/x),"
	[[ "$o" == *,nosuid,* ]]
	[[ "$o" == *,nodev,* ]]
	[[ "$o" == *,noexec,* ]]
}

@test "noatime and strictatime" {
	add_mount "{\"destination\":\"/mnt/na\",\"type\":\"bind\",\"source\":\"$HOSTDIR\",\"options\":[\"bind\",\"noatime\"]}"
	add_mount '{"destination":"/mnt/sa","type":"tmpfs","source":"tmpfs","options":["strictatime"]}'
	set_args cat /proc/self/mountinfo
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[[ ",$(mnt_opts /mnt/na)," == *,noatime,* ]]
	[[ ",$(mnt_opts /mnt/sa)," != *relatime* ]]
	[[ ",$(mnt_opts /mnt/sa)," != *noatime* ]]
}

@test "propagation: rshared, rprivate and rslave as optional fields" {
	# a shared host mount to be a slave of
	mkdir -p "$TESTDIR/shared"
	mount --bind "$TESTDIR/shared" "$TESTDIR/shared"
	mount --make-shared "$TESTDIR/shared"
	add_mount "{\"destination\":\"/mnt/sh\",\"type\":\"bind\",\"source\":\"$HOSTDIR\",\"options\":[\"rbind\",\"rshared\"]}"
	add_mount "{\"destination\":\"/mnt/pr\",\"type\":\"bind\",\"source\":\"$TESTDIR/shared\",\"options\":[\"rbind\",\"rprivate\"]}"
	add_mount "{\"destination\":\"/mnt/sl\",\"type\":\"bind\",\"source\":\"$TESTDIR/shared\",\"options\":[\"rbind\",\"rslave\"]}"
	set_args cat /proc/self/mountinfo
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[[ "$(mnt_line /mnt/sh)" == *" shared:"* ]]
	[[ "$(mnt_line /mnt/pr)" != *" shared:"* ]]
	[[ "$(mnt_line /mnt/pr)" != *" master:"* ]]
	[[ "$(mnt_line /mnt/sl)" == *" master:"* ]]
	[[ "$(mnt_line /mnt/sl)" != *" shared:"* ]]
}

@test "rro makes submounts read-only too, ro does not" {
	mkdir -p "$HOSTDIR/sub"
	mount -t tmpfs hulltest "$HOSTDIR/sub"
	add_mount "{\"destination\":\"/mnt/rro\",\"type\":\"bind\",\"source\":\"$HOSTDIR\",\"options\":[\"rbind\",\"rro\"]}"
	add_mount "{\"destination\":\"/mnt/ro\",\"type\":\"bind\",\"source\":\"$HOSTDIR\",\"options\":[\"rbind\",\"ro\"]}"
	set_args cat /proc/self/mountinfo
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[[ ",$(mnt_opts /mnt/rro)," == *,ro,* ]]
	[[ ",$(mnt_opts /mnt/rro/sub)," == *,ro,* ]]
	[[ ",$(mnt_opts /mnt/ro)," == *,ro,* ]]
	[[ ",$(mnt_opts /mnt/ro/sub)," == *,rw,* ]]
}

@test "tmpfs with mode and size" {
	add_mount '{"destination":"/scratch","type":"tmpfs","source":"tmpfs","options":["mode=1770","size=1m","nosuid"]}'
	set_args sh -c 'stat -c %a /scratch; cat /proc/self/mountinfo'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1770 ]
	local l
	l=$(mnt_line /scratch)
	[[ "$l" == *" - tmpfs "* ]]
	[[ "$l" == *size=1024k* ]]
	[[ ",$(mnt_opts /scratch)," == *,nosuid,* ]]
}

@test "tmpfs over an existing directory keeps its mode" {
	mkdir -p "$BUNDLE/rootfs/keepmode"
	chmod 0710 "$BUNDLE/rootfs/keepmode"
	add_mount '{"destination":"/keepmode","type":"tmpfs","source":"tmpfs","options":["nosuid"]}'
	set_args stat -c %a /keepmode
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = 710 ]
}

@test "tmpcopyup copies the rootfs content into the tmpfs" {
	mkdir -p "$BUNDLE/rootfs/etc/data/sub"
	echo imagefile >"$BUNDLE/rootfs/etc/data/file"
	ln -s file "$BUNDLE/rootfs/etc/data/link"
	chown 1000:100 "$BUNDLE/rootfs/etc/data/file"
	chmod 0604 "$BUNDLE/rootfs/etc/data/file"
	chmod 0700 "$BUNDLE/rootfs/etc/data/sub"
	add_mount '{"destination":"/etc/data","type":"tmpfs","source":"tmpfs","options":["tmpcopyup","nosuid"]}'
	set_args sh -c 'cat /etc/data/file; readlink /etc/data/link; stat -c "%a %u %g" /etc/data/file; stat -c %a /etc/data/sub; grep " /etc/data " /proc/self/mountinfo; echo new > /etc/data/new'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = imagefile ]
	[ "${lines[1]}" = file ]
	[ "${lines[2]}" = "604 1000 100" ]
	[ "${lines[3]}" = 700 ]
	[[ "${lines[4]}" == *" - tmpfs "* ]]
	# the image itself is untouched
	[ ! -e "$BUNDLE/rootfs/etc/data/new" ]
}

@test "maskedPaths: a file reads empty, a directory is empty" {
	echo secret >"$BUNDLE/rootfs/secret-file"
	mkdir -p "$BUNDLE/rootfs/secret-dir"
	echo secret >"$BUNDLE/rootfs/secret-dir/x"
	update_config '.linux.maskedPaths += ["/secret-file", "/secret-dir", "/does-not-exist"]'
	set_args sh -c 'echo "file=[$(cat /secret-file)]"; echo "dir=[$(ls -A /secret-dir)]"; touch /secret-dir/y 2>/dev/null && echo WRITABLE || echo READONLY'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "file=[]" ]
	[ "${lines[1]}" = "dir=[]" ]
	[ "${lines[2]}" = READONLY ]
	[ "$(cat "$BUNDLE/rootfs/secret-file")" = secret ]
}

@test "maskedPaths: a symlink pointing outside the rootfs masks inside only" {
	echo hostsecret >"$TESTDIR/hostsecret"
	ln -s "$TESTDIR/hostsecret" "$BUNDLE/rootfs/masked-out"
	ln -s /etc/passwd "$BUNDLE/rootfs/masked-in"
	update_config '.linux.maskedPaths += ["/masked-out", "/masked-in"]'
	set_args sh -c 'echo "passwd=[$(cat /etc/passwd)]"'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "passwd=[]" ]
	[ "$(cat "$TESTDIR/hostsecret")" = hostsecret ]
	! grep -F -- "$TESTDIR/hostsecret" /proc/self/mountinfo
}

@test "readonlyPaths and /proc/sys are read-only" {
	mkdir -p "$BUNDLE/rootfs/rodir"
	update_config '.linux.readonlyPaths += ["/rodir", "/nonexistent"] | .root.readonly = false'
	set_args sh -c 'touch /rodir/x 2>/dev/null && echo RODIR-WRITABLE || echo RODIR-READONLY; (echo 1 > /proc/sys/kernel/domainname) 2>/dev/null && echo SYS-WRITABLE || echo SYS-READONLY; touch /rootok && echo ROOT-WRITABLE; cat /proc/self/mountinfo'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = RODIR-READONLY ]
	[ "${lines[1]}" = SYS-READONLY ]
	[ "${lines[2]}" = ROOT-WRITABLE ]
	[[ ",$(mnt_opts /proc/sys)," == *,ro,* ]]
	[[ ",$(mnt_opts /rodir)," == *,ro,* ]]
}

@test "root.readonly" {
	update_config '.root.readonly = true'
	set_args sh -c 'touch /x 2>/dev/null && echo WRITABLE || echo READONLY; touch /dev/shm/ok && echo SHM-OK; cat /proc/self/mountinfo'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = READONLY ]
	[ "${lines[1]}" = SHM-OK ]
	[[ ",$(mnt_opts /)," == *,ro,* ]]
}

@test "default /dev devices and links" {
	set_args sh -c 'for d in null zero full random urandom tty; do stat -c "%n %F %t:%T %a" /dev/$d; done; for l in ptmx fd stdin stdout stderr; do readlink /dev/$l; done; echo x > /dev/null && echo NULL-OK; head -c 4 /dev/zero | od -An -tx1'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "/dev/null character special file 1:3 666" ]
	[ "${lines[1]}" = "/dev/zero character special file 1:5 666" ]
	[ "${lines[2]}" = "/dev/full character special file 1:7 666" ]
	[ "${lines[3]}" = "/dev/random character special file 1:8 666" ]
	[ "${lines[4]}" = "/dev/urandom character special file 1:9 666" ]
	[ "${lines[5]}" = "/dev/tty character special file 5:0 666" ]
	[ "${lines[6]}" = pts/ptmx ]
	[ "${lines[7]}" = /proc/self/fd ]
	[ "${lines[8]}" = /proc/self/fd/0 ]
	[ "${lines[9]}" = /proc/self/fd/1 ]
	[ "${lines[10]}" = /proc/self/fd/2 ]
	[ "${lines[11]}" = NULL-OK ]
	[ "$(echo "${lines[12]}" | tr -d ' ')" = 00000000 ]
}

@test "linux.devices: node created with mode, uid and gid" {
	update_config '.linux.devices = [{"path":"/dev/fuse","type":"c","major":10,"minor":229,"fileMode":416,"uid":1000,"gid":100},
		{"path":"/dev/sub/mydisk","type":"b","major":7,"minor":0,"fileMode":384}]'
	set_args sh -c 'stat -c "%F %t:%T %a %u %g" /dev/fuse /dev/sub/mydisk'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "character special file a:e5 640 1000 100" ]
	[ "${lines[1]}" = "block special file 7:0 600 0 0" ]
}

@test "a symlink in the rootfs cannot lead a mount outside it" {
	mkdir -p "$TESTDIR/victim"
	ln -s "$TESTDIR/victim" "$BUNDLE/rootfs/escape"
	ln -s ../../../../../../.. "$BUNDLE/rootfs/up"
	add_mount '{"destination":"/escape/x","type":"tmpfs","source":"tmpfs","options":["size=1m"]}'
	add_mount "{\"destination\":\"/up/y\",\"type\":\"bind\",\"source\":\"$HOSTDIR\",\"options\":[\"rbind\"]}"
	set_args sh -c 'cat /proc/self/mountinfo'
	run_ctr "$ID"
	# Either refused or done inside the rootfs; the host is never touched.
	[ -z "$(ls -A "$TESTDIR/victim")" ]
	! grep -F -- "$TESTDIR/victim" /proc/self/mountinfo
	if [ "$status" -eq 0 ]; then
		[[ "$(mnt_line /y)" == *" /y "* ]]
		[ -e "$BUNDLE/rootfs/y" ]
		[ -d "$BUNDLE/rootfs$TESTDIR/victim/x" ]
	fi
}

@test "proc is not mounted through a symlink" {
	rmdir "$BUNDLE/rootfs/proc"
	mkdir -p "$BUNDLE/rootfs/notproc"
	ln -s /notproc "$BUNDLE/rootfs/proc"
	set_args true
	run_ctr "$ID"
	[ "$status" -ne 0 ]
	[ -z "$(leftovers "$ID")" ]
}

@test "cgroup mount shows the controllers" {
	set_args sh -c 'ls /sys/fs/cgroup; grep " /sys/fs/cgroup" /proc/self/mountinfo'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
		[[ "$output" == *cgroup.controllers* ]]
	else
		[[ "$output" == *memory* ]]
		[[ "$output" == *pids* ]]
		[[ "$output" == *" - cgroup "* ]]
	fi
}

@test "sysfs is read-only as configured" {
	set_args sh -c 'cat /proc/self/mountinfo'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[[ ",$(mnt_opts /sys)," == *,ro,* ]]
}

@test "--no-pivot" {
	set_args sh -c 'cat /etc/passwd >/dev/null && ls / >/dev/null && cat /proc/self/mountinfo'
	run_ctr --no-pivot "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *" / "* ]]
	[[ "$output" == *" /proc "* ]]
	[ -z "$(leftovers "$ID")" ]
}

@test "missing bind source: clear error naming the mount, nothing left behind" {
	requires_hull
	add_mount '{"destination":"/mnt/none","type":"bind","source":"/nonexistent/hull-src","options":["bind"]}'
	run_ctr "$ID"
	[ "$status" -ne 0 ]
	[[ "${lines[-1]}" == *mounts\[*\]*/mnt/none*nonexistent/hull-src*"no such file or directory"* ]]
	[ -z "$(leftovers "$ID")" ]
}

@test "unknown mount type fails cleanly" {
	add_mount '{"destination":"/mnt/bogus","type":"hullbogusfs","source":"x"}'
	run_ctr "$ID"
	[ "$status" -ne 0 ]
	[ -z "$(leftovers "$ID")" ]
}

userns_config() {
	update_config '.linux.namespaces += [{"type":"user"}]
		| .linux.uidMappings = [{"containerID":0,"hostID":100000,"size":65536}]
		| .linux.gidMappings = [{"containerID":0,"hostID":100000,"size":65536}]'
}

@test "user namespace: device nodes are bind-mounted from the host" {
	userns_config
	set_args sh -c 'for d in null zero tty; do stat -c "%n %t:%T" /dev/$d; done; echo x > /dev/null && echo NULL-OK; head -c 2 /dev/zero | od -An -tx1; cat /proc/self/mountinfo'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "/dev/null 1:3" ]
	[ "${lines[1]}" = "/dev/zero 1:5" ]
	[ "${lines[2]}" = "/dev/tty 5:0" ]
	[ "${lines[3]}" = NULL-OK ]
	[ "$(echo "${lines[4]}" | tr -d ' ')" = 0000 ]
	[ -n "$(mnt_line /dev/null)" ]
}

@test "user namespace, no network namespace: /sys is bound from the host, read-only" {
	# runc 1.1 fails here (sysfs cannot be mounted without owning the netns)
	requires_hull
	userns_config
	update_config '.linux.namespaces |= map(select(.type != "network"))'
	set_args sh -c 'ls /sys/class/net; touch /sys/x 2>/dev/null && echo WRITABLE || echo READONLY; cat /proc/self/mountinfo'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *lo* ]]
	[[ "$output" == *READONLY* ]]
	[[ ",$(mnt_opts /sys)," == *,ro,* ]]
}

@test "user namespace: ro bind keeps the locked nosuid/nodev flags" {
	# runc 1.1.5 fails with EPERM here (it drops the locked flags on remount)
	requires_hull
	userns_config
	mkdir -p "$TESTDIR/locked" "$BUNDLE/rootfs/mnt/l"
	mount -t tmpfs -o nosuid,nodev,noexec hulllocked "$TESTDIR/locked"
	echo hi >"$TESTDIR/locked/f"
	add_mount "{\"destination\":\"/mnt/l\",\"type\":\"bind\",\"source\":\"$TESTDIR/locked\",\"options\":[\"bind\",\"ro\"]}"
	set_args sh -c 'cat /mnt/l/f; cat /proc/self/mountinfo'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = hi ]
	local o
	o=",$(mnt_opts /mnt/l),"
	[[ "$o" == *,ro,* ]]
	[[ "$o" == *,nosuid,* ]]
	[[ "$o" == *,nodev,* ]]
	[[ "$o" == *,noexec,* ]]
}

@test "idmap bind mount with the mount's own mappings" {
	requires_hull
	mkdir -p "$TESTDIR/idsrc"
	touch "$TESTDIR/idsrc/byroot" "$TESTDIR/idsrc/by5"
	chown 0:0 "$TESTDIR/idsrc/byroot"
	chown 5:5 "$TESTDIR/idsrc/by5"
	add_mount "{\"destination\":\"/idm\",\"type\":\"bind\",\"source\":\"$TESTDIR/idsrc\",\"options\":[\"bind\",\"idmap\"],
		\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":10}],\"gidMappings\":[{\"containerID\":0,\"hostID\":2000,\"size\":10}]}"
	set_args sh -c 'stat -c "%u %g" /idm/byroot /idm/by5; grep " /idm " /proc/self/mountinfo'
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "1000 2000" ]
	[ "${lines[1]}" = "1005 2005" ]
	[[ "${lines[2]}" == *idmapped* ]]
	[ "$(stat -c %u "$TESTDIR/idsrc/byroot")" = 0 ]
}

@test "mounts over /proc: allowed files work, others are refused (also through a symlink)" {
	echo fakecpu >"$TESTDIR/cpuinfo"
	echo fakever >"$TESTDIR/version"
	cp "$BUNDLE/config.json" "$TESTDIR/config.orig"

	add_mount "{\"destination\":\"/proc/cpuinfo\",\"type\":\"bind\",\"source\":\"$TESTDIR/cpuinfo\",\"options\":[\"bind\",\"ro\"]}"
	set_args cat /proc/cpuinfo
	run_ctr "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = fakecpu ]

	cp "$TESTDIR/config.orig" "$BUNDLE/config.json"
	add_mount "{\"destination\":\"/proc/version\",\"type\":\"bind\",\"source\":\"$TESTDIR/version\",\"options\":[\"bind\"]}"
	set_args cat /proc/version
	run_ctr "$ID-2"
	[ "$status" -ne 0 ]
	[ -z "$(leftovers "$ID")" ]

	cp "$TESTDIR/config.orig" "$BUNDLE/config.json"
	ln -s /proc "$BUNDLE/rootfs/procln"
	add_mount "{\"destination\":\"/procln/version\",\"type\":\"bind\",\"source\":\"$TESTDIR/version\",\"options\":[\"bind\"]}"
	set_args cat /proc/version
	run_ctr "$ID-3"
	[ "$status" -ne 0 ]
	[ -z "$(leftovers "$ID")" ]
}
