#!/usr/bin/env bash
# 'make guest': boot a real kernel on QEMU's own virtio-gpu device and run
# userspace on it; OVERLAY=none does the same with the base tree's driver.
#
# The kernel is the x86_64 debug build of the KUnit runs (lockdep, KASAN,
# UBSAN, DEBUG_ATOMIC_SLEEP; .build/x86_64-debug), booted with
# kunit.enable=0 into an initramfs, so the guest costs no build of its own;
# the base tree's kernel is built the same way in .build/x86_64-guest-base.
# The initramfs holds busybox-static, the project's kselftest and ioctl
# fuzzer (tools/testing/selftests/drivers/gpu/virtio, built static),
# Debian's libdrm-tests drmdevice, and modetest for the base driver; on
# the virgl device (GUEST_DEVICE=virtio-gpu-gl-pci) also Mesa, eglinfo and
# the piglit tests of scripts/guest-piglit.list. Its /init is
# scripts/guest-init.sh, which runs each between markers on the serial
# console and reboots; QEMU stops there. QEMU's virgl device needs a GL
# display: an Xvfb of this script's own, with -display sdl,gl=on, so that
# the host side renders with Mesa's llvmpipe.
#
# Env: OVERLAY (all|none), GUEST_DEVICE (QEMU device, default
# virtio-gpu-pci), SMP (default 4), GUEST_TIMEOUT (seconds, default 900),
# GUEST_NO_BUILD=1 (boot the kernel as last built), GUEST_TESTS (all, the
# default, or fuzz: only the ioctl fuzzer, as 'make fuzz' runs it),
# FUZZ_ITERS (ioctls, default 20000), FUZZ_SEED (default 1),
# FUZZ_THREADS (default 4), PIGLIT_JOBS (tests at once, default 4),
# GUEST_PIGLIT_LIST (default scripts/guest-piglit.list).
# Output: .build/guest/<ours|base>/serial.log and results.txt; the last
# line is "guest <name>: N passed, N failed, N skipped".
source "$(dirname "$0")/lib.sh"

OVERLAY=${OVERLAY:-all}
DEVICE=${GUEST_DEVICE:-virtio-gpu-pci}
SMP=${SMP:-4}
TIMEOUT=${GUEST_TIMEOUT:-900}
TESTS=${GUEST_TESTS:-all}
FUZZ_ITERS=${FUZZ_ITERS:-20000}
FUZZ_SEED=${FUZZ_SEED:-1}
FUZZ_THREADS=${FUZZ_THREADS:-4}
PIGLIT_JOBS=${PIGLIT_JOBS:-4}
PIGLIT_LIST=${GUEST_PIGLIT_LIST:-$REPO/scripts/guest-piglit.list}
PIGLIT=/usr/lib/x86_64-linux-gnu/piglit
DRI=/usr/lib/x86_64-linux-gnu/dri
VIRGL=0
case $DEVICE in *-gl-*|*-gl) VIRGL=1 ;; esac
case $OVERLAY in
all) NAME=ours; TREE=$SRC; BDIR=$BUILD/x86_64-debug
     CONFIGS=("$REPO/.kunitconfig" "$REPO/scripts/kunitconfig.x86_64") ;;
none) NAME=base; TREE=$BASE; BDIR=$BUILD/x86_64-guest-base
      CONFIGS=("$REPO/scripts/guest-base.kunitconfig") ;;
*) die "unknown OVERLAY=$OVERLAY; use OVERLAY=all (default) or OVERLAY=none" ;;
esac
CONFIGS+=("$REPO/scripts/kunitconfig.debug" "$REPO/scripts/kunitconfig.x86_64-debug")
[[ $SMP =~ ^[1-9][0-9]*$ ]] || die "SMP=$SMP is not a CPU count"
[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "GUEST_TIMEOUT=$TIMEOUT is not a number of seconds"
[[ $FUZZ_ITERS =~ ^[0-9]+$ ]] || die "FUZZ_ITERS=$FUZZ_ITERS is not a number of ioctls"
[[ $FUZZ_SEED =~ ^[0-9]+$ ]] || die "FUZZ_SEED=$FUZZ_SEED is not a number"
[[ $FUZZ_THREADS =~ ^([1-9]|1[0-6])$ ]] || die "FUZZ_THREADS=$FUZZ_THREADS is not 1 to 16"
case $TESTS in all|fuzz) ;; *) die "unknown GUEST_TESTS=$TESTS; use all or fuzz" ;; esac
[[ $PIGLIT_JOBS =~ ^[1-9][0-9]*$ ]] || die "PIGLIT_JOBS=$PIGLIT_JOBS is not a number of tests"
for t in busybox qemu-system-x86_64 cpio; do
	command -v "$t" >/dev/null || die "$t is missing; run 'make setup'"
done
if [ "$VIRGL" = 1 ]; then
	for t in Xvfb /usr/bin/eglinfo "$PIGLIT/bin/shader_runner" "$DRI/virtio_gpu_dri.so" \
		 /usr/lib/x86_64-linux-gnu/qemu/ui-sdl.so; do
		[ -e "$t" ] || command -v "$t" >/dev/null ||
			die "$t is missing; apt-get install xvfb qemu-system-gui piglit mesa-utils-bin libgl1-mesa-dri (not yet in make setup)"
	done
	[ -f "$PIGLIT_LIST" ] || die "no piglit list $PIGLIT_LIST"
fi
[ -x /usr/bin/drmdevice ] || die "drmdevice is missing (libdrm-tests); run 'make setup'"

OUT=$BUILD/guest/$NAME
[ "$TESTS" = fuzz ] && OUT=$BUILD/guest/$NAME-fuzz
ROOT=$OUT/root
mkdir -p "$OUT"

build_kernel() {
	local args=(build --build_dir="$BDIR" --arch=x86_64 --jobs=2
		    --make_options="CC=ccache gcc")
	local c
	for c in "${CONFIGS[@]}"; do args+=(--kunitconfig="$c"); done
	say "guest: kernel ${BDIR#"$REPO"/} from ${TREE#"$REPO"/}"
	python3 "$TREE/tools/testing/kunit/kunit.py" "${args[@]}" >"$OUT/build.log" 2>&1 ||
		{ tail -30 "$OUT/build.log" >&2; die "the guest kernel did not build; see ${OUT#"$REPO"/}/build.log"; }
}
if [ -n "${GUEST_NO_BUILD:-}" ]; then
	[ -f "$BDIR/arch/x86/boot/bzImage" ] || die "GUEST_NO_BUILD=1 but ${BDIR#"$REPO"/} has no kernel yet"
else
	locked build_kernel
fi

# The UAPI headers as headers_install leaves them (no __user and friends),
# from the tree the kernel was built from.
build_selftest() {
	local inc=$OUT/include st=$OUT/selftests/tools/testing/selftests
	local h
	rm -rf "$inc" "$OUT/selftests"
	mkdir -p "$inc/drm" "$st/drivers/gpu/virtio"
	for h in drm.h drm_mode.h virtgpu_drm.h; do
		sed -E 's/([[:space:](])(__user|__force|__iomem)[[:space:]]/\1/g' \
			"$TREE/include/uapi/drm/$h" >"$inc/drm/$h"
	done
	cp "$BASE/tools/testing/selftests/kselftest_harness.h" \
	   "$BASE/tools/testing/selftests/kselftest.h" "$st/"
	cp "$REPO"/tools/testing/selftests/drivers/gpu/virtio/*.c "$st/drivers/gpu/virtio/"
	for prog in virtgpu_uapi virtgpu_fuzz; do
		gcc -static -O2 -Wall -Werror -pthread -isystem "$inc" \
			-o "$OUT/$prog" "$st/drivers/gpu/virtio/$prog.c" ||
			die "the selftest $prog did not build"
	done
}
build_selftest

# A dynamically linked binary (or library) and the libraries ldd names,
# at their paths; each library is copied once.
add_binary() {
	local bin=$1 lib
	mkdir -p "$ROOT$(dirname "$bin")"
	cp -L "$bin" "$ROOT$bin"
	for lib in $(ldd "$bin" | grep -oE '/[^ ]+'); do
		[ -e "$ROOT$lib" ] && continue
		mkdir -p "$ROOT$(dirname "$lib")"
		cp -L "$lib" "$ROOT$lib"
	done
}

# Mesa as a client on a render node needs: the virgl driver, EGL through
# glvnd with Mesa's vendor file, GBM; then eglinfo and each piglit test of
# the list with the shader_test files it names.
add_mesa_and_piglit() {
	local line bin arg
	add_binary "$DRI/virtio_gpu_dri.so"
	add_binary /usr/lib/x86_64-linux-gnu/libEGL_mesa.so.0
	mkdir -p "$ROOT/usr/share/glvnd/egl_vendor.d"
	cp /usr/share/glvnd/egl_vendor.d/50_mesa.json "$ROOT/usr/share/glvnd/egl_vendor.d/"
	add_binary /usr/bin/eglinfo
	while read -r line; do
		case $line in ''|'#'*) continue ;; esac
		bin=${line%% *}
		[ -x "$PIGLIT/bin/$bin" ] || die "${PIGLIT_LIST#"$REPO"/}: no piglit test '$bin'"
		add_binary "$PIGLIT/bin/$bin"
		for arg in $line; do
			case $arg in *.shader_test)
				[ -f "$PIGLIT/$arg" ] || die "${PIGLIT_LIST#"$REPO"/}: no file $arg"
				mkdir -p "$ROOT$PIGLIT/$(dirname "$arg")"
				cp "$PIGLIT/$arg" "$ROOT$PIGLIT/$arg" ;;
			esac
		done
	done <"$PIGLIT_LIST"
	cp "$PIGLIT_LIST" "$ROOT/tests/piglit.list"
}

rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,dev,proc,sys,tmp,tests}
cp "$(command -v busybox)" "$ROOT/bin/busybox"
cp "$OUT/virtgpu_uapi" "$OUT/virtgpu_fuzz" "$ROOT/tests/"
add_binary /usr/bin/drmdevice
add_binary /usr/bin/modetest
[ "$VIRGL" = 1 ] && add_mesa_and_piglit
cat >"$ROOT/config" <<EOF
TESTS=$TESTS
VIRGL=$VIRGL
FUZZ_ARGS="-s $FUZZ_SEED -n $FUZZ_ITERS -t $FUZZ_THREADS"
PIGLIT_JOBS=$PIGLIT_JOBS
EOF
cp "$REPO/scripts/guest-init.sh" "$ROOT/init"
chmod +x "$ROOT/init"
# Not compressed: Mesa makes it large, and gunzip under TCG is slow.
(cd "$ROOT" && find . | cpio -o -H newc --quiet) >"$OUT/initramfs.cpio"

# QEMU's virgl renders on the host through a GL display; Xvfb gives it one.
display=(-display none)
if [ "$VIRGL" = 1 ]; then
	for n in $(seq 90 150); do
		[ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] || break
	done
	Xvfb ":$n" -screen 0 1024x768x24 -nolisten tcp >"$OUT/xvfb.log" 2>&1 &
	xvfb=$!
	trap 'kill "$xvfb" 2>/dev/null; wait "$xvfb" 2>/dev/null' EXIT
	for i in $(seq 100); do
		[ -e "/tmp/.X11-unix/X$n" ] && break
		sleep 0.1
	done
	[ -e "/tmp/.X11-unix/X$n" ] || die "Xvfb did not start on :$n; see ${OUT#"$REPO"/}/xvfb.log"
	export DISPLAY=:$n
	display=(-display sdl,gl=on)
fi

say "guest: booting ${BDIR#"$REPO"/} on -device $DEVICE with $SMP CPUs (timeout ${TIMEOUT}s)"
start=$SECONDS
rc=0
timeout "$TIMEOUT" qemu-system-x86_64 -smp "$SMP" -m 2G -no-reboot \
	"${display[@]}" -monitor none -serial stdio \
	-kernel "$BDIR/arch/x86/boot/bzImage" -initrd "$OUT/initramfs.cpio" \
	-append "console=ttyS0 kunit.enable=0 panic=-1 rdinit=/init trace_event=gpu_scheduler" \
	-device "$DEVICE" </dev/null >"$OUT/serial.log" 2>&1 || rc=$?
secs=$((SECONDS - start))
tr -d '\r' <"$OUT/serial.log" >"$OUT/serial.clean.log"

python3 "$REPO/scripts/guest-report.py" "$NAME" "$OUT/serial.clean.log" "$secs" "$rc" \
	>"$OUT/results.txt" || { cat "$OUT/results.txt"; exit 1; }
cat "$OUT/results.txt"
