#!/usr/bin/env bash
# 'make bench': run the benchmark suites (drivers/gpu/drm/bench/) on the
# untouched base tree and on the project, each in its own build directory,
# and print one comparison row per workload and size.
#
# Base: .build/src-base (pristine base tree plus the benchmark directory and
# its hook-up patch), built in .build/uml-bench-base. Ours: .build/src (the
# overlay), built in .build/uml-bench. Results: .build/bench/bench.csv and
# .build/bench/bench.svg.
source "$(dirname "$0")/lib.sh"

SRCB=$BUILD/src-base
OUT=$BUILD/bench
BENCH=drivers/gpu/drm/bench
PATCH=$REPO/patches/0002-drm-build-the-scheduler-benchmarks.patch
FILTER=${SUITES:-drm_sched_bench*}
KCONF=$REPO/$BENCH/.kunitconfig

[ -f "$BASE/.unpacked" ] || die "base tree $BASE is missing; run 'make setup'"

# put SRC DST: copy only when the content differs (keeps mtimes).
put() { cmp -s "$1" "$2" || cp "$1" "$2"; }

prepare_base() {
	if [ ! -d "$SRCB" ]; then
		say "bench: creating ${SRCB#"$REPO"/} from the base tree"
		rm -rf "$SRCB.tmp"
		cp -a "$BASE" "$SRCB.tmp"
		rm -f "$SRCB.tmp/.unpacked"
		mv "$SRCB.tmp" "$SRCB"
	fi
	mkdir -p "$SRCB/$BENCH"
	for f in "$REPO/$BENCH"/*; do
		put "$f" "$SRCB/$BENCH/$(basename "$f")"
	done
	# Apply the hook-up once: a patch that reverse-applies is already in.
	if ! patch -d "$SRCB" -p1 -R --dry-run -s -f <"$PATCH" >/dev/null 2>&1; then
		patch -d "$SRCB" -p1 -s -f <"$PATCH" >/dev/null ||
			die "cannot apply ${PATCH#"$REPO"/} to ${SRCB#"$REPO"/}"
	fi
}

# run_kunit SRC BUILD_DIR
run_kunit() {
	rm -f "$2/test.log"
	python3 "$1/tools/testing/kunit/kunit.py" run --build_dir="$2" \
		--kunitconfig="$KCONF" --kunitconfig="$REPO/scripts/kunitconfig.uml" \
		--make_options="CC=ccache gcc" --jobs=2 --timeout=3600 \
		--raw_output=kunit "$FILTER" >"$2/bench.out"
}

both() {
	prepare_base
	say "bench: base tree's scheduler (${SRCB#"$REPO"/}, build dir .build/uml-bench-base)"
	mkdir -p "$BUILD/uml-bench-base" "$BUILD/uml-bench"
	run_kunit "$SRCB" "$BUILD/uml-bench-base"
	say "bench: the project's scheduler (.build/src, build dir .build/uml-bench)"
	run_kunit "$SRC" "$BUILD/uml-bench"
}

start=$SECONDS
locked both
mkdir -p "$OUT"
python3 "$REPO/scripts/bench-report.py" "$BUILD/uml-bench-base/bench.out" \
	"$BUILD/uml-bench/bench.out" "$OUT"
echo "bench: $((SECONDS - start)) s in all; table in ${OUT#"$REPO"/}/bench.csv, plot in ${OUT#"$REPO"/}/bench.svg"
