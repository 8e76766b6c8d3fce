#!/usr/bin/env bash
# Tests of scripts/check-log.py's pairing of KUNIT-EXPECT-WARN markers with
# WARN splats, on canned kernel logs. Prints TAP; exits nonzero when a case
# fails.
set -euo pipefail
cl=$(cd "$(dirname "$0")/.." && pwd)/check-log.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0 bad=0
# expect NAME WANT_RC LOG_TEXT
expect() {
	local rc=0
	printf '%b' "$3" >"$tmp/log"
	python3 "$cl" "$tmp/log" >"$tmp/out" || rc=$?
	n=$((n + 1))
	if [ "$rc" = "$2" ]; then
		echo "ok $n - $1"
	else
		bad=$((bad + 1))
		echo "not ok $n - $1: exit $rc, want $2: $(tr '\n' ' ' <"$tmp/out")"
	fi
}

warn='WARNING: CPU: 1 PID: 42 at drivers/gpu/drm/scheduler/sched_main.c:1 f+0x1/0x2\n'
expect "an announced WARN passes" 0 \
	"    # a: KUNIT-EXPECT-WARN: x\n$warn    ok 1 a\n"
expect "a WARN nobody announced fails" 1 \
	"$warn    ok 1 a\n"
expect "an announced WARN that never came fails" 1 \
	"    # a: KUNIT-EXPECT-WARN: x\n    ok 1 a\n"
expect "a marker does not pay for the next case's WARN" 1 \
	"    # a: KUNIT-EXPECT-WARN: x\n    ok 1 a\n$warn    ok 2 b\n"
expect "two markers, two WARNs, one case" 0 \
	"    # a: KUNIT-EXPECT-WARN: x\n$warn    # a: KUNIT-EXPECT-WARN: y\n$warn    ok 1 a\n"
expect "result lines with a printk time" 1 \
	"[    1.000000]     # a: KUNIT-EXPECT-WARN: x\n[    1.100000]     ok 1 a\n"

echo "1..$n"
[ $bad -eq 0 ]
