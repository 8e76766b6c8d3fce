#!/usr/bin/env bash
# 'make compat': compile every base-tree file of the 10 in-tree scheduler
# users that uses the scheduler API against the overlaid tree (x86_64,
# COMPILE_TEST) in .build/compat. Prints per-driver ok/fail and
# 'compat: N/10 drivers'; exits nonzero below 10.
source "$(dirname "$0")/lib.sh"

OUT=$BUILD/compat
PATTERN='drm_sched_|drm_gpu_scheduler|DRM_SCHED|to_drm_sched_fence'
# driver  Kconfig symbol  directory under drivers/gpu/drm
DRIVERS=(
	"amdgpu DRM_AMDGPU amd/amdgpu"
	"etnaviv DRM_ETNAVIV etnaviv"
	"imagination DRM_POWERVR imagination"
	"lima DRM_LIMA lima"
	"msm DRM_MSM msm"
	"nouveau DRM_NOUVEAU nouveau"
	"panfrost DRM_PANFROST panfrost"
	"panthor DRM_PANTHOR panthor"
	"v3d DRM_V3D v3d"
	"xe DRM_XE xe"
)
MK=(make -C "$SRC" O="$OUT" ARCH=x86_64 CC="ccache gcc" -j2 -s)

configure() {
	mkdir -p "$OUT"
	# Configure again only when the fragment changed (kbuild itself syncs
	# the config when a Kconfig file changes).
	local sum
	sum=$(sha256sum <"$REPO/scripts/compat.fragment")
	if [ -f "$OUT/.config" ] && [ "$(cat "$OUT/.compat-stamp" 2>/dev/null)" = "$sum" ]; then
		return 0
	fi
	say "compat: configuring $OUT (x86_64 defconfig + scripts/compat.fragment)"
	"${MK[@]}" defconfig >/dev/null
	cat "$REPO/scripts/compat.fragment" >>"$OUT/.config"
	"${MK[@]}" olddefconfig >/dev/null 2>&1
	echo "$sum" >"$OUT/.compat-stamp"
}

run() {
	local t0=$SECONDS
	configure
	say "compat: make prepare"
	"${MK[@]}" prepare
	local ok=0 name sym dir files line
	for line in "${DRIVERS[@]}"; do
		read -r name sym dir <<<"$line"
		local note=""
		grep -qE "^CONFIG_$sym=(y|m)" "$OUT/.config" ||
			note=" (CONFIG_$sym could not be enabled on x86_64; files compiled anyway)"
		mapfile -t files < <(cd "$SRC" && grep -rlE "$PATTERN" "drivers/gpu/drm/$dir" --include='*.c' | sort)
		if [ ${#files[@]} -eq 0 ]; then
			echo "compat: $name: fail (no file uses the scheduler?)"; continue
		fi
		local log=$OUT/compat-$name.log
		if "${MK[@]}" -k "${files[@]/%.c/.o}" >"$log" 2>&1; then
			echo "compat: $name: ok (${#files[@]} files)$note"
			ok=$((ok + 1))
		else
			echo "compat: $name: fail (${#files[@]} files, see ${log#"$REPO"/})$note"
			grep -E 'error:|Error [0-9]' "$log" | head -5 | sed 's/^/    /'
		fi
	done
	echo "compat: build took $((SECONDS - t0))s"
	echo "compat: $ok/${#DRIVERS[@]} drivers"
	[ "$ok" -eq ${#DRIVERS[@]} ]
}

locked run
