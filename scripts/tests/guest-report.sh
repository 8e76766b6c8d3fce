#!/usr/bin/env bash
# Tests of scripts/guest-report.py's judgement of a 'make guest' serial log,
# on canned logs. Prints TAP; exits nonzero when a case fails.
set -euo pipefail
gr=$(cd "$(dirname "$0")/.." && pwd)/guest-report.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0 bad=0
# expect NAME DRIVER WANT_RC WANT_LAST_LINE LOG_TEXT
expect() {
	local rc=0 last
	printf '%b' "$5" >"$tmp/log"
	python3 "$gr" "$2" "$tmp/log" 1 0 >"$tmp/out" || rc=$?
	last=$(tail -n 1 "$tmp/out")
	n=$((n + 1))
	if [ "$rc" = "$3" ] && [ "$last" = "$4" ]; then
		echo "ok $n - $1"
	else
		bad=$((bad + 1))
		echo "not ok $n - $1: exit $rc (want $3), last line '$last' (want '$4')"
	fi
}

tap='guest-begin: virtgpu_uapi\nok 1 a\nok 2 b # SKIP no 3D\nguest-end: virtgpu_uapi rc=0\n'
expect "TAP passes and skips are counted" ours 0 \
	"guest ours: 1 passed, 0 failed, 1 skipped" "$tap""guest-done\n"
expect "a failed TAP case fails the boot" ours 1 \
	"guest ours: 0 passed, 1 failed, 0 skipped" \
	"guest-begin: virtgpu_uapi\nnot ok 1 a\nguest-end: virtgpu_uapi rc=1\nguest-done\n"
expect "a tool counts by its exit status" base 1 \
	"guest base: 0 passed, 1 failed, 0 skipped" \
	"guest-begin: drmdevice\nguest-end: drmdevice rc=2\nguest-done\n"
expect "modetest on ours is expected to fail" ours 0 \
	"guest ours: 0 passed, 0 failed, 1 skipped" \
	"guest-begin: modetest\nguest-end: modetest rc=1\nguest-done\n"
expect "a guest that never finished fails" ours 1 \
	"guest ours: 1 passed, 0 failed, 1 skipped" "$tap"
expect "a kernel report fails a boot whose tests passed" ours 1 \
	"guest ours: 1 passed, 0 failed, 1 skipped" \
	"$tap""BUG: KASAN: slab-use-after-free in f+0x1/0x2\nguest-done\n"

echo "# guest-report: $n cases, $bad failed"
[ "$bad" = 0 ]
