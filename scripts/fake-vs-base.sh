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

BDIR=$BUILD/uml-base
FILTER=${SUITES:-virtio_gpu_wire*}

[ -f "$BASE/.unpacked" ] || "$REPO/scripts/setup.sh"
source "$REPO/scripts/base-tree.sh"

prepare() {
	base_tree_add_fake
	mkdir -p "$BDIR"
	printf '%s\n' CONFIG_KUNIT=y CONFIG_DRM=y CONFIG_DRM_VIRTIO_GPU=y \
		CONFIG_DRM_VIRTIO_GPU_KUNIT_TEST=y >"$BDIR/kunitconfig.tmp"
	put "$BDIR/kunitconfig.tmp" "$BDIR/kunitconfig"
	rm -f "$BDIR/kunitconfig.tmp"
}

run() {
	prepare
	rm -f "$BDIR/results.json"
	python3 "$SRC_BASE/tools/testing/kunit/kunit.py" run --build_dir="$BDIR" \
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
