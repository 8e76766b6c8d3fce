#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run the virtio_gpu_wire KUnit suite on the fake virtio-gpu device against
# the base tree's OWN virtio-gpu driver: the honest check of the fake.
#
# Source tree .build/src-base: a copy of the pristine base tree plus only the
# fake's files from drivers/gpu/drm/virtio/tests/, a Makefile line and the
# DRM_VIRTIO_GPU_KUNIT_TEST symbol. Build dir .build/uml-base. Incremental:
# files are copied only when their content changed. Ends with a line
# "N passed, N failed[, N skipped]"; exits nonzero if anything failed.
source "$(dirname "$0")/lib.sh"

SRCB=$BUILD/src-base
BDIR=$BUILD/uml-base
TESTS=drivers/gpu/drm/virtio/tests
FILES=(fake_transport.c fake_host.c fake_host.h fake_priv.h tests_wire.c)
FILTER=${SUITES:-virtio_gpu_wire*}

[ -f "$BASE/.unpacked" ] || "$REPO/scripts/setup.sh"
[ -f "$BASE/.unpacked" ] || die "base tree $BASE is missing; run 'make setup'"

# put SRC DST: copy only when the content differs (keeps mtimes).
put() { cmp -s "$1" "$2" || cp "$1" "$2"; }
# append_once FILE MARKER: append stdin to FILE unless it holds MARKER.
append_once() { grep -qF -- "$2" "$1" || cat >>"$1"; }

prepare() {
	if [ ! -d "$SRCB" ]; then
		say "fake-vs-base: creating ${SRCB#"$REPO"/} from the base tree"
		rm -rf "$SRCB.tmp"
		cp -a "$BASE" "$SRCB.tmp"
		rm -f "$SRCB.tmp/.unpacked"
		mv "$SRCB.tmp" "$SRCB"
	fi
	mkdir -p "$SRCB/$TESTS" "$BDIR"
	for f in "${FILES[@]}"; do
		[ -f "$REPO/$TESTS/$f" ] || die "$TESTS/$f is missing"
		put "$REPO/$TESTS/$f" "$SRCB/$TESTS/$f"
	done
	printf '%s\n' "# SPDX-License""-Identifier: GPL-2.0" '' \
		'obj-$(CONFIG_DRM_VIRTIO_GPU_KUNIT_TEST) += virtio-gpu-tests.o' \
		'virtio-gpu-tests-y := fake_transport.o fake_host.o tests_wire.o' \
		>"$BDIR/tests.mk"
	put "$BDIR/tests.mk" "$SRCB/$TESTS/Makefile"
	echo 'obj-$(CONFIG_DRM_VIRTIO_GPU_KUNIT_TEST) += tests/' |
		append_once "$SRCB/drivers/gpu/drm/virtio/Makefile" 'tests/'
	append_once "$SRCB/drivers/gpu/drm/virtio/Kconfig" DRM_VIRTIO_GPU_KUNIT_TEST <<'KC'

config DRM_VIRTIO_GPU_KUNIT_TEST
	tristate "KUnit tests on a fake virtio-gpu device" if !KUNIT_ALL_TESTS
	depends on DRM_VIRTIO_GPU && KUNIT
	select DRM_KUNIT_TEST_HELPERS
	default KUNIT_ALL_TESTS
KC
	printf '%s\n' CONFIG_KUNIT=y CONFIG_DRM=y CONFIG_DRM_VIRTIO_GPU=y \
		CONFIG_DRM_VIRTIO_GPU_KUNIT_TEST=y >"$BDIR/kunitconfig.tmp"
	put "$BDIR/kunitconfig.tmp" "$BDIR/kunitconfig"
	rm -f "$BDIR/kunitconfig.tmp"
}

run() {
	prepare
	rm -f "$BDIR/results.json"
	python3 "$SRCB/tools/testing/kunit/kunit.py" run --build_dir="$BDIR" \
		--kunitconfig="$BDIR/kunitconfig" \
		--kunitconfig="$REPO/scripts/kunitconfig.uml" \
		--make_options="CC=ccache gcc" --jobs=2 \
		--json="$BDIR/results.json" "$FILTER"
}

say "fake-vs-base: base tree's virtio-gpu driver, suites '$FILTER'"
rc=0
start=$SECONDS
locked run || rc=$?
read -r pass fail skip < <(python3 "$REPO/scripts/kunit-count.py" "$BDIR/results.json")
echo "fake-vs-base: $((SECONDS - start)) s"
line="$pass passed, $fail failed"
[ "$skip" -gt 0 ] && line+=", $skip skipped"
echo "$line"
[ "$rc" -eq 0 ] && [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ] || exit 1
