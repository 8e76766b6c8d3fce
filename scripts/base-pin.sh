# The base tree package pin and the choice of what to install; sourced by
# setup.sh and by scripts/tests/base-pin.sh, never run.
# shellcheck shell=bash

BASE_PIN=6.12.117-1~deb12u1

# base_pkg_choice: reads 'apt-cache madison linux-source-6.12' output on
# stdin and prints the apt-get argument to install: the pinned version when
# the archive still has it, else the newest 6.12 the archive offers (with a
# warning on stderr). Prints nothing and fails when the archive has none.
# The whole listing is read before deciding: a reader that stops at the
# first match would make the writer die of SIGPIPE under pipefail and turn
# a present pin into a missing one.
base_pkg_choice() {
	local versions newest
	versions=$(awk -F'|' 'NF >= 2 { gsub(/ /, "", $2); print $2 }')
	if printf '%s\n' "$versions" | grep -qxF -- "$BASE_PIN"; then
		echo "linux-source-6.12=$BASE_PIN"
		return 0
	fi
	newest=$(printf '%s\n' "$versions" | sed -n '1p')
	[ -n "$newest" ] || return 1
	echo "WARNING: linux-source-6.12 $BASE_PIN is no longer in the archive; installing the newest 6.12 ($newest) as the base tree instead" >&2
	echo "linux-source-6.12=$newest"
}

# base_tree_version DIR: the kernel version of the tree in DIR, read from
# its top-level Makefile (no make run, so no ARCH or O= from the caller's
# environment gets in the way).
base_tree_version() {
	awk -F'= *' '
		/^VERSION *=/ { v = $2 }
		/^PATCHLEVEL *=/ { p = $2 }
		/^SUBLEVEL *=/ { s = $2 }
		END { if (v != "") printf "%s.%s.%s\n", v, p, s }' "$1/Makefile"
}
