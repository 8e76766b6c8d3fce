#!/usr/bin/env bash
# sparse (C=2) on the project's directories inside the UML build dir.
# Env: SPARSE_DIRS (override the directory list), ARCH/PROFILE of the build dir.
source "$(dirname "$0")/lib.sh"

BDIR=$(build_dir um "${PROFILE:-normal}")
[ -f "$BDIR/.config" ] || die "$BDIR has no .config; run 'make kunit' first"
if [ -n "${SPARSE_DIRS:-}" ]; then
	read -r -a dirs <<<"$SPARSE_DIRS"
else
	mapfile -t dirs < <(owned_dirs)
fi
[ ${#dirs[@]} -gt 0 ] || { echo "sparse: no project directories"; exit 0; }
rc=0
out=$(locked make -C "$SRC" ARCH=um O="$BDIR" CC="ccache gcc" -j2 C=2 \
	"${dirs[@]/%//}" 2>&1) || rc=$?
warn=$(grep -E '(warning|error):' <<<"$out" || true)
echo "sparse: ${dirs[*]}"
if [ $rc -ne 0 ] || [ -n "$warn" ]; then
	echo "${warn:-$(tail -20 <<<"$out")}"
	exit 1
fi
