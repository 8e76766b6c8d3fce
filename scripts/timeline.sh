#!/usr/bin/env bash
# make timeline: run KUnit suites with the scheduler's trace events printed
# to the console, then draw what the scheduler did (scripts/timeline.py).
# Env: SUITES (default 'drm_sched*'), ARCH (default x86_64: its clock
# resolves microseconds, UML's printk clock only jiffies), PROFILE, SMP.
source "$(dirname "$0")/lib.sh"
S=$REPO/scripts

out=$BUILD/timeline
mkdir -p "$out"
rc=0
# tp_printk: every enabled event is also a console line, in its print
# format; printk.time puts the time on each line.
ARCH=${ARCH:-x86_64} SUITES=${SUITES:-'drm_sched*'} RESULTS=$out/run \
	KERNEL_ARGS="trace_event=gpu_scheduler tp_printk printk.time=1 ${KERNEL_ARGS:-}" \
	"$S/kunit.sh" || rc=$?
[ -f "$out/run.log" ] || die "no kernel log in $out/run.log"
python3 "$S/timeline.py" "$out/run.log" "$out" || rc=1
exit $rc
