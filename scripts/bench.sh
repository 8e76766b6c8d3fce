#!/usr/bin/env bash
# 'make bench': run the benchmark suites (drivers/gpu/drm/bench/) on the
# untouched base tree and on the project, each in its own build directory,
# and print one comparison row per workload and size.
#
# Base: .build/src-base (pristine base tree plus the benchmark directory, its
# hook-up patch and the fake virtio-gpu device), built in
# .build/uml-bench-base. Ours: .build/src (the overlay), built in
# .build/uml-bench. Results: .build/bench/bench.csv and
# .build/bench/bench.svg.
source "$(dirname "$0")/lib.sh"

OUT=$BUILD/bench
BENCH=drivers/gpu/drm/bench
PATCH=$REPO/patches/0002-drm-build-the-scheduler-benchmarks.patch
FILTER=${SUITES:-drm_*bench}
KCONF=$REPO/$BENCH/.kunitconfig

[ -f "$BASE/.unpacked" ] || die "base tree $BASE is missing; run 'make setup'"
source "$REPO/scripts/base-tree.sh"

# The base tree gets the benchmark directory, its hook-up and the fake
# virtio-gpu device the virtio benchmark runs the base driver on.
prepare_base() {
	base_tree_add_fake
	mkdir -p "$SRC_BASE/$BENCH"
	for f in "$REPO/$BENCH"/* "$REPO/$BENCH"/.kunitconfig; do
		put "$f" "$SRC_BASE/$BENCH/$(basename "$f")"
	done
	# Apply the hook-up once: a patch that reverse-applies is already in.
	if ! patch -d "$SRC_BASE" -p1 -R --dry-run -s -f <"$PATCH" >/dev/null 2>&1; then
		patch -d "$SRC_BASE" -p1 -s -f <"$PATCH" >/dev/null ||
			die "cannot apply ${PATCH#"$REPO"/} to ${SRC_BASE#"$REPO"/}"
	fi
}

# run_kunit SRC BUILD_DIR
run_kunit() {
	rm -f "$2/test.log"
	python3 "$1/tools/testing/kunit/kunit.py" run --build_dir="$2" \
		--kunitconfig="$KCONF" --kunitconfig="$REPO/scripts/kunitconfig.uml" \
		--make_options="CC=ccache gcc" --jobs=2 --timeout=3600 \
		--raw_output=kunit "$FILTER" >"$2/bench.out" ||
		die "the benchmarks failed in ${2#"$REPO"/}; see ${2#"$REPO"/}/bench.out"
	# With raw output kunit.py does not judge the cases: a failed one is
	# a broken benchmark, not a slow one.
	if grep -qE '^\s*not ok ' "$2/bench.out"; then
		grep -E -B3 '^\s*not ok ' "$2/bench.out" | head -40 >&2
		die "a benchmark case failed in ${2#"$REPO"/}; see ${2#"$REPO"/}/bench.out"
	fi
}

both() {
	prepare_base
	say "bench: base tree's scheduler and virtio-gpu driver (${SRC_BASE#"$REPO"/}, build dir .build/uml-bench-base)"
	mkdir -p "$BUILD/uml-bench-base" "$BUILD/uml-bench"
	run_kunit "$SRC_BASE" "$BUILD/uml-bench-base"
	say "bench: the project's scheduler and virtio-gpu driver (.build/src, build dir .build/uml-bench)"
	run_kunit "$SRC" "$BUILD/uml-bench"
}

start=$SECONDS
locked both
mkdir -p "$OUT"
python3 "$REPO/scripts/bench-report.py" "$BUILD/uml-bench-base/bench.out" \
	"$BUILD/uml-bench/bench.out" "$OUT"
echo "bench: $((SECONDS - start)) s in all; table in ${OUT#"$REPO"/}/bench.csv, plot in ${OUT#"$REPO"/}/bench.svg"
