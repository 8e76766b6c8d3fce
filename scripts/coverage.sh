#!/usr/bin/env bash
# Line, function and branch coverage of the project's production code under
# its KUnit suites: a UML kernel with CONFIG_GCOV (the UML way, see
# Documentation/dev-tools/kunit/running_tips.rst) in its own build
# directory, every project suite, then lcov and genhtml.
# Env: SUITES (filter glob, default every suite), COVERAGE_MIN (fail below
# this line coverage of the production files as a whole, default 0).
source "$(dirname "$0")/lib.sh"

BDIR=$BUILD/uml-coverage
OUT=$BUILD/coverage
[ -f "$SRC/tools/testing/kunit/kunit.py" ] || die "$SRC is missing; run 'make overlay' first"
command -v lcov >/dev/null || die "lcov is missing; run 'make setup' (as root)"

# Production files only: tests, mocks, fakes and benchmarks are not counted.
PROD=('*/drivers/gpu/drm/scheduler/*' '*/drivers/gpu/drm/virtio/*')
NOT_PROD=('*/tests/*' '*/bench/*')

run() {
	mkdir -p "$BDIR"
	# Counters of an earlier run would add up with this one's.
	find "$BDIR" -name '*.gcda' -delete
	python3 "$SRC/tools/testing/kunit/kunit.py" run --build_dir="$BDIR" \
		--kunitconfig="$REPO/.kunitconfig" \
		--kunitconfig="$REPO/scripts/kunitconfig.uml" \
		--kconfig_add CONFIG_DEBUG_KERNEL=y --kconfig_add CONFIG_DEBUG_INFO=y \
		--kconfig_add CONFIG_DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT=y \
		--kconfig_add CONFIG_GCOV=y \
		--make_options="CC=ccache gcc" --jobs=2 --timeout=3000 \
		${SUITES:+"$SUITES"}
}

say "coverage: UML with CONFIG_GCOV, build dir ${BDIR#"$REPO"/}${SUITES:+ suites '$SUITES'}"
rc=0
locked run || rc=$?
[ "$rc" -eq 0 ] || echo "coverage: some suites failed (rc $rc); coverage of what ran follows"

n=$(find "$BDIR" -name '*.gcda' | wc -l)
[ "$n" -gt 0 ] || die "no .gcda files under $BDIR: the UML kernel wrote no coverage data"

mkdir -p "$OUT"
lcov -q --capture --directory "$BDIR" --base-directory "$SRC" \
	--rc lcov_branch_coverage=1 --output-file "$OUT/all.info" 2>"$OUT/lcov.log"
lcov -q --rc lcov_branch_coverage=1 --extract "$OUT/all.info" "${PROD[@]}" \
	--output-file "$OUT/prod-tests.info" 2>>"$OUT/lcov.log"
lcov -q --rc lcov_branch_coverage=1 --remove "$OUT/prod-tests.info" "${NOT_PROD[@]}" \
	--output-file "$OUT/prod.info" 2>>"$OUT/lcov.log"
genhtml -q --branch-coverage --output-directory "$OUT" "$OUT/prod.info" \
	>>"$OUT/lcov.log" 2>&1
python3 "$REPO/scripts/coverage-table.py" "$OUT/prod.info" "$SRC" \
	${COVERAGE_MIN:+--min "$COVERAGE_MIN"}
echo "coverage: report in ${OUT#"$REPO"/}/index.html"
