#!/usr/bin/env bash
# sparse (C=2) on the project's directories inside a KUnit build dir.
# Env: SPARSE_DIRS (override the directory list), ARCH (um or x86_64,
#      default um) and PROFILE of the build dir.
source "$(dirname "$0")/lib.sh"

SPARSE_ARCH=${ARCH:-um}
BDIR=$(build_dir "$SPARSE_ARCH" "${PROFILE:-normal}")
[ -f "$BDIR/.config" ] || die "$BDIR has no .config; run 'make kunit ARCH=$SPARSE_ARCH' first"
if [ -n "${SPARSE_DIRS:-}" ]; then
	read -r -a dirs <<<"$SPARSE_DIRS"
else
	mapfile -t dirs < <(owned_dirs)
fi
[ ${#dirs[@]} -gt 0 ] || { echo "sparse: no project directories"; exit 0; }
rc=0
out=$(locked make -C "$SRC" ARCH="$SPARSE_ARCH" O="$BDIR" CC="ccache gcc" -j2 C=2 \
	"${dirs[@]/%//}" 2>&1) || rc=$?
warn=$(grep -E '(warning|error):' <<<"$out" || true)
echo "sparse: ${dirs[*]}"
if [ $rc -ne 0 ] || [ -n "$warn" ]; then
	echo "${warn:-$(tail -20 <<<"$out")}"
	exit 1
fi
