#!/usr/bin/env bash
# Install what the build needs (only what is missing) and unpack the pristine
# base tree into .build/base.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/base-pin.sh"

PKGS=(linux-source-6.12 flex bison bc python3 ccache sparse libelf-dev
      libssl-dev qemu-system-x86 rsync gcc make libc6-dev patch perl git
      util-linux xz-utils tar kmod cpio pkg-config python3-sphinx
      busybox-static libdrm-tests)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for p in "${PKGS[@]}"; do
	if [ "$p" = linux-source-6.12 ] && [ -f "$BASE_TARBALL" ]; then continue; fi
	installed "$p" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	say "setup: installing ${missing[*]}"
	command -v apt-get >/dev/null ||
		die "missing packages: ${missing[*]}; no apt-get here: install them by hand (or use a Debian 12 machine)"
	SUDO=
	if [ "$(id -u)" != 0 ]; then
		command -v sudo >/dev/null ||
			die "missing packages: ${missing[*]}; run 'sudo make setup' or install them as root"
		SUDO=sudo
	fi
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -q
	for i in "${!missing[@]}"; do
		[ "${missing[$i]}" = linux-source-6.12 ] || continue
		listing=$(apt-cache madison linux-source-6.12)
		missing[i]=$(base_pkg_choice <<<"$listing") ||
			die "linux-source-6.12 is not in the apt archive; enable bookworm-security (or bookworm-backports) in /etc/apt/sources.list and rerun 'make setup'"
	done
	$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

[ -f "$BASE_TARBALL" ] ||
	die "base tree $BASE_TARBALL is missing; install it with 'apt-get install linux-source-6.12' (as root) and rerun"

# Unpack the pristine base tree once (again only if the tarball changed).
stamp="$BASE/.unpacked"
id=$(stat -c '%s %Y' "$BASE_TARBALL")
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$id" ]; then
	say "setup: unpacking $BASE_TARBALL into $BASE"
	rm -rf "$BASE" "$BASE.tmp" "$SRC"
	mkdir -p "$BASE.tmp"
	tar -xJf "$BASE_TARBALL" -C "$BASE.tmp" --strip-components=1
	mv "$BASE.tmp" "$BASE"
	echo "$id" >"$stamp"
	v=$(base_tree_version "$BASE")
	[ "$v" = "$BASE_VERSION" ] ||
		echo "WARNING: base tree is Linux $v, not $BASE_VERSION; results may differ"
fi
exit 0
