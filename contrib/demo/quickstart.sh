#!/bin/sh
# Install the build dependencies, build hull, make a busybox bundle and run a
# container in it.  Safe to run again.  Run as root on Debian 12.
set -eu
cd "$(dirname "$0")/../.."

if [ "$(id -u)" != 0 ]; then
	echo "quickstart: run me as root (apt-get and containers need it)" >&2
	exit 1
fi
if ! dpkg -s libseccomp-dev libcap-dev libyajl-dev libmount-dev libsystemd-dev \
	busybox-static autoconf automake pkg-config gcc make >/dev/null 2>&1; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential autoconf automake \
		pkg-config libseccomp-dev libcap-dev libyajl-dev libmount-dev libsystemd-dev \
		busybox-static go-md2man >/dev/null
fi
[ -x configure ] || ./autogen.sh >/dev/null
[ -f Makefile ] || ./configure --quiet
make -s -j"$(nproc)"

# A bundle with a static busybox as its whole root filesystem.
bundle=contrib/demo/bundle
if [ ! -x "$bundle/rootfs/bin/busybox" ]; then
	rm -rf "$bundle"
	mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/proc" "$bundle/rootfs/sys" \
		"$bundle/rootfs/dev" "$bundle/rootfs/tmp" "$bundle/rootfs/etc"
	cp /bin/busybox "$bundle/rootfs/bin/busybox"
	for applet in $(/bin/busybox --list); do
		[ "$applet" = busybox ] || ln -sf busybox "$bundle/rootfs/bin/$applet"
	done
	echo 'root:x:0:0:root:/root:/bin/sh' >"$bundle/rootfs/etc/passwd"
fi
rm -f "$bundle/config.json"
src/hull spec --bundle "$bundle"
# Not interactive: print something and exit.
sed -i -e 's/"terminal": true/"terminal": false/' \
	-e 's|"sh"$|"sh", "-c", "echo Hello from a hull container: $(hostname), pid $$, as uid $(id -u)"|' \
	"$bundle/config.json"
src/hull delete --force quickstart >/dev/null 2>&1 || true
exec src/hull run --bundle "$bundle" quickstart
