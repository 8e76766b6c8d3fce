# The copy of the base tree that the comparisons build: .build/src-base,
# the untouched base tree plus only what a comparison adds (the fake
# virtio-gpu device, the benchmark directory). Sourced after lib.sh by
# fake-vs-base.sh and bench.sh, which run under the build lock.
# shellcheck shell=bash

SRC_BASE=$BUILD/src-base
# The fake device's files and the suites the base tree builds with it.
BASE_FAKE_DIR=drivers/gpu/drm/virtio/tests
BASE_FAKE_FILES=(fake_transport.c fake_host.c fake_script.c fake_host.h fake_priv.h
	tests_wire.c)

# put SRC DST: copy only when the content differs (keeps mtimes).
put() { cmp -s "$1" "$2" || cp "$1" "$2"; }
# append_once FILE MARKER: append stdin to FILE unless it holds MARKER.
append_once() { grep -qF -- "$2" "$1" || cat >>"$1"; }

# base_tree_copy: create .build/src-base from the base tree once.
base_tree_copy() {
	[ -f "$BASE/.unpacked" ] || die "base tree $BASE is missing; run 'make setup'"
	[ -d "$SRC_BASE" ] && return 0
	say "creating ${SRC_BASE#"$REPO"/} from the base tree"
	rm -rf "$SRC_BASE.tmp"
	cp -a "$BASE" "$SRC_BASE.tmp"
	rm -f "$SRC_BASE.tmp/.unpacked"
	mv "$SRC_BASE.tmp" "$SRC_BASE"
}

# base_tree_add_fake: the fake virtio-gpu device next to the base tree's
# own virtio-gpu driver, behind a DRM_VIRTIO_GPU_KUNIT_TEST symbol.
base_tree_add_fake() {
	local f mk
	base_tree_copy
	mkdir -p "$SRC_BASE/$BASE_FAKE_DIR"
	for f in "${BASE_FAKE_FILES[@]}"; do
		[ -f "$REPO/$BASE_FAKE_DIR/$f" ] || die "$BASE_FAKE_DIR/$f is missing"
		put "$REPO/$BASE_FAKE_DIR/$f" "$SRC_BASE/$BASE_FAKE_DIR/$f"
	done
	mk=$SRC_BASE/$BASE_FAKE_DIR/Makefile.new
	printf '%s\n' "# SPDX-License""-Identifier: GPL-2.0" '' \
		'obj-$(CONFIG_DRM_VIRTIO_GPU_KUNIT_TEST) += virtio-gpu-tests.o' \
		'virtio-gpu-tests-y := fake_transport.o fake_host.o fake_script.o tests_wire.o' \
		>"$mk"
	put "$mk" "$SRC_BASE/$BASE_FAKE_DIR/Makefile"
	rm -f "$mk"
	echo 'obj-$(CONFIG_DRM_VIRTIO_GPU_KUNIT_TEST) += tests/' |
		append_once "$SRC_BASE/drivers/gpu/drm/virtio/Makefile" 'tests/'
	append_once "$SRC_BASE/drivers/gpu/drm/virtio/Kconfig" DRM_VIRTIO_GPU_KUNIT_TEST <<'KC'

config DRM_VIRTIO_GPU_KUNIT_TEST
	tristate "KUnit tests on a fake virtio-gpu device" if !KUNIT_ALL_TESTS
	depends on DRM_VIRTIO_GPU && KUNIT
	select DRM_KUNIT_TEST_HELPERS
	default KUNIT_ALL_TESTS
KC
}
