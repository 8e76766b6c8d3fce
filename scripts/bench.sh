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
RUNS=${BENCH_RUNS:-3}
case $RUNS in ''|*[!0-9]*|0) die "BENCH_RUNS must be a positive number, not '$RUNS'" ;; esac

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

# run_kunit run|exec SRC BUILD_DIR RUN: build (run) or only boot (exec)
# a kernel and keep its output of the RUN-th pass in BUILD_DIR/bench.out.RUN.
run_kunit() {
	local out=$3/bench.out.$4 jobs=()
	[ "$1" = run ] && jobs=(--jobs=2)
	python3 "$2/tools/testing/kunit/kunit.py" "$1" --build_dir="$3" \
		--kunitconfig="$KCONF" --kunitconfig="$REPO/scripts/kunitconfig.uml" \
		--make_options="CC=ccache gcc" "${jobs[@]}" --timeout=3600 \
		--raw_output=kunit "$FILTER" >"$out" ||
		die "the benchmarks failed in ${3#"$REPO"/}; see ${out#"$REPO"/}"
	# With raw output kunit.py does not judge the cases: a failed one is
	# a broken benchmark, not a slow one.
	if grep -qE '^\s*not ok ' "$out"; then
		grep -E -B3 '^\s*not ok ' "$out" | head -40 >&2
		die "a benchmark case failed in ${3#"$REPO"/}; see ${out#"$REPO"/}"
	fi
}

# Every pass boots both kernels, base first; the report takes the median
# of the passes' medians, so that one slow boot does not make a figure.
both() {
	local run mode
	prepare_base
	rm -f "$BUILD"/uml-bench-base/bench.out* "$BUILD"/uml-bench/bench.out*
	mkdir -p "$BUILD/uml-bench-base" "$BUILD/uml-bench"
	for run in $(seq 1 "$RUNS"); do
		mode=exec
		[ "$run" = 1 ] && mode=run
		say "bench: pass $run of $RUNS, base tree's scheduler and virtio-gpu driver (.build/uml-bench-base)"
		run_kunit "$mode" "$SRC_BASE" "$BUILD/uml-bench-base" "$run"
		say "bench: pass $run of $RUNS, the project's scheduler and virtio-gpu driver (.build/uml-bench)"
		run_kunit "$mode" "$SRC" "$BUILD/uml-bench" "$run"
	done
}

start=$SECONDS
locked both
mkdir -p "$OUT"
python3 "$REPO/scripts/bench-report.py" "$OUT" \
	--base "$BUILD"/uml-bench-base/bench.out.* --ours "$BUILD"/uml-bench/bench.out.*
echo "bench: passes: $RUNS, $((SECONDS - start)) s in all; table in ${OUT#"$REPO"/}/bench.csv, plot in ${OUT#"$REPO"/}/bench.svg"
