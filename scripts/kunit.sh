#!/usr/bin/env bash
# Build a kernel and run the project's KUnit suites with the base tree's
# kunit.py, under the build lock.
# Env: ARCH (um|x86_64), PROFILE (normal|debug|kcsan), SMP (CPUs of the
#      x86_64 guest, default 4), SUITES (filter glob),
#      JSON (also write kunit.py's KernelCI JSON there), KUNITCONFIG (root
#      kunitconfig, default .kunitconfig).
source "$(dirname "$0")/lib.sh"

ARCH=${ARCH:-um}
PROFILE=${PROFILE:-normal}
case $ARCH in
um|x86_64) ;;
*) die "unknown ARCH=$ARCH; only ARCH=um (default) and ARCH=x86_64 are supported" ;;
esac
case $PROFILE in
normal|debug) ;;
kcsan) [ "$ARCH" = x86_64 ] || die "PROFILE=kcsan needs ARCH=x86_64 (UML has no KCSAN): make kunit ARCH=x86_64 PROFILE=kcsan" ;;
*) die "unknown PROFILE=$PROFILE; use PROFILE=normal, debug or kcsan" ;;
esac
SMP=${SMP:-4}
[[ $SMP =~ ^[1-9][0-9]*$ ]] || die "SMP=$SMP is not a CPU count; use e.g. SMP=4"
KUNITCONFIG=${KUNITCONFIG:-$REPO/.kunitconfig}
[ -f "$KUNITCONFIG" ] || die "kunitconfig $KUNITCONFIG not found; create it or pass KUNITCONFIG=path"
[ -f "$SRC/tools/testing/kunit/kunit.py" ] || die "$SRC is missing; run 'make overlay' first"

BDIR=$(build_dir "$ARCH" "$PROFILE")
mkdir -p "$BDIR"
args=(run --build_dir="$BDIR" --kunitconfig="$KUNITCONFIG"
      --make_options="CC=ccache gcc" --jobs=2 --json="$BDIR/results.json")
[ "$ARCH" = um ] && args+=(--kunitconfig="$REPO/scripts/kunitconfig.uml")
[ "$ARCH" = x86_64 ] && args+=(--kunitconfig="$REPO/scripts/kunitconfig.x86_64")
[ "$PROFILE" != normal ] && args+=(--kunitconfig="$REPO/scripts/kunitconfig.$PROFILE")
# Options only one architecture has (DEBUG_VIRTUAL is x86_64's, not UML's).
[ -f "$REPO/scripts/kunitconfig.$ARCH-$PROFILE" ] &&
	args+=(--kunitconfig="$REPO/scripts/kunitconfig.$ARCH-$PROFILE")
[ "$ARCH" = x86_64 ] && args+=(--arch=x86_64 --qemu_args="-smp $SMP -device virtio-gpu-pci")
# The scheduler's trace events record into the global trace buffer during
# every SMP run, so lockdep, KASAN and KCSAN see what the tracepoints read.
[ "$ARCH" = x86_64 ] && args+=(--kernel_args=trace_event=gpu_scheduler)
# KERNEL_ARGS='a b': extra kernel command line words (make timeline).
for a in ${KERNEL_ARGS:-}; do args+=(--kernel_args="$a"); done
# kunit.py's default (300 s) is for the whole run, not for one suite.
args+=(--timeout=3000)
[ -n "${SUITES:-}" ] && args+=("$SUITES")

cpus=; [ "$ARCH" = x86_64 ] && cpus=" cpus=$SMP"
say "kunit: ARCH=$ARCH profile=$PROFILE$cpus build dir ${BDIR#"$REPO"/}${SUITES:+ suites '$SUITES'}"

# Runs under the lock, so the results read are this run's own.
run() {
	local rc=0
	rm -f "$BDIR/results.json" "$BDIR/test.log"
	ccache -z >/dev/null
	python3 "$SRC/tools/testing/kunit/kunit.py" "${args[@]}" || rc=$?
	ccache --print-stats 2>/dev/null | awk -F'\t' '
		$1=="direct_cache_hit"||$1=="preprocessed_cache_hit"{h+=$2}
		$1=="cache_miss"{m=$2} END{printf "ccache: %d hits, %d misses\n", h, m}'
	if [ -n "${JSON:-}" ] && [ -f "$BDIR/results.json" ]; then
		cp "$BDIR/results.json" "$JSON"
		echo "kunit: KernelCI JSON written to $JSON"
	fi
	# RESULTS=prefix: keep this run's JSON and kernel log (for make check).
	if [ -n "${RESULTS:-}" ]; then
		mkdir -p "$(dirname "$RESULTS")"
		rm -f "$RESULTS.json" "$RESULTS.log"
		[ -f "$BDIR/results.json" ] && cp "$BDIR/results.json" "$RESULTS.json"
		[ -f "$BDIR/test.log" ] && cp "$BDIR/test.log" "$RESULTS.log"
	fi
	return "$rc"
}
locked run
