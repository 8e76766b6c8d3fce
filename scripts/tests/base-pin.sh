#!/usr/bin/env bash
# Tests of setup.sh's choice of the base tree package (scripts/base-pin.sh),
# on canned 'apt-cache madison' listings. Runs under the same shell options
# as setup.sh (errexit, nounset, pipefail). Prints TAP; exits nonzero when a
# case fails.
set -euo pipefail
source "$(dirname "$0")/../base-pin.sh"

n=0 bad=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); bad=$((bad + 1)); echo "not ok $n - $1: $2"; }

# expect NAME LISTING WANT_STDOUT WANT_RC WANT_WARNING(0|1)
expect() {
	local out err rc=0
	err=$(mktemp)
	out=$(base_pkg_choice <<<"$2" 2>"$err") || rc=$?
	if [ "$out" != "$3" ]; then
		not_ok "$1" "printed '$out', want '$3'"
	elif [ "$rc" != "$4" ]; then
		not_ok "$1" "returned $rc, want $4"
	elif [ "$5" = 1 ] && ! grep -q WARNING "$err"; then
		not_ok "$1" "no warning for a missing pin"
	elif [ "$5" = 0 ] && [ -s "$err" ]; then
		not_ok "$1" "unexpected output on stderr: $(cat "$err")"
	else
		ok "$1"
	fi
	rm -f "$err"
}

row() { printf ' linux-source-6.12 | %s | http://deb.debian.org/debian-security bookworm-security/main amd64 Packages\n' "$1"; }

pin=$BASE_PIN
# The pin is listed first, as apt lists the newest first.
expect "pin present, listed first" "$(row "$pin")" "linux-source-6.12=$pin" 0 0
# A newer security update is out: the pin is still in the archive, later in
# the listing; a large listing makes sure nothing is cut short.
many=$(row 6.12.999-1~deb12u1; for i in $(seq 1 2000); do row "6.12.$i-9"; done; row "$pin")
expect "pin present after 2000 newer versions" "$many" "linux-source-6.12=$pin" 0 0
expect "pin absent: the newest instead, with a warning" \
	"$(row 6.12.120-1~deb12u1; row 6.12.119-1~deb12u1)" "linux-source-6.12=6.12.120-1~deb12u1" 0 1
# A version that only contains the pin as a prefix is not the pin.
expect "pin only as a prefix of another version" "$(row "${pin}+b1")" \
	"linux-source-6.12=${pin}+b1" 0 1
expect "nothing in the archive" "" "" 1 0

# base_tree_version reads the version from a tree's Makefile.
tree=$(mktemp -d)
printf 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 117\nEXTRAVERSION =\nNAME = Baby Opossum Posse\n' >"$tree/Makefile"
v=$(ARCH='' base_tree_version "$tree")
[ "$v" = 6.12.117 ] && ok "tree version from the Makefile" ||
	not_ok "tree version from the Makefile" "got '$v'"
rm -rf "$tree"

echo "1..$n"
echo "$((n - bad)) passed, $bad failed"
[ "$bad" = 0 ]
