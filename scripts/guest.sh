#!/usr/bin/env bash
# 'make guest': boot a real kernel on QEMU's own virtio-gpu device and run
# userspace on it; OVERLAY=none does the same with the base tree's driver.
#
# The kernel is the x86_64 debug build of the KUnit runs (lockdep, KASAN,
# UBSAN, DEBUG_ATOMIC_SLEEP; .build/x86_64-debug), booted with
# kunit.enable=0 into an initramfs, so the guest costs no build of its own;
# the base tree's kernel is built the same way in .build/x86_64-guest-base.
# The initramfs holds busybox-static, the project's kselftest
# (tools/testing/selftests/drivers/gpu/virtio, built static), and Debian's
# libdrm-tests drmdevice, and modetest for the base driver. /init runs
# each between markers on the serial console and reboots; QEMU stops there.
#
# Env: OVERLAY (all|none), GUEST_DEVICE (QEMU device, default
# virtio-gpu-pci), SMP (default 4), GUEST_TIMEOUT (seconds, default 900),
# GUEST_NO_BUILD=1 (boot the kernel as last built).
# Output: .build/guest/<ours|base>/serial.log and results.txt; the last
# line is "guest <name>: N passed, N failed, N skipped".
source "$(dirname "$0")/lib.sh"

OVERLAY=${OVERLAY:-all}
DEVICE=${GUEST_DEVICE:-virtio-gpu-pci}
SMP=${SMP:-4}
TIMEOUT=${GUEST_TIMEOUT:-900}
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
for t in busybox qemu-system-x86_64 cpio gzip; do
	command -v "$t" >/dev/null || die "$t is missing; run 'make setup'"
done
[ -x /usr/bin/drmdevice ] || die "drmdevice is missing (libdrm-tests); run 'make setup'"

OUT=$BUILD/guest/$NAME
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
	gcc -static -O2 -Wall -Werror -isystem "$inc" \
		-o "$OUT/virtgpu_uapi" "$st/drivers/gpu/virtio/virtgpu_uapi.c" ||
		die "the selftest did not build"
}
build_selftest

# A dynamically linked binary and the libraries ldd names, at their paths.
add_binary() {
	local bin=$1 lib
	mkdir -p "$ROOT$(dirname "$bin")"
	cp "$bin" "$ROOT$bin"
	for lib in $(ldd "$bin" | grep -oE '/[^ ]+'); do
		mkdir -p "$ROOT$(dirname "$lib")"
		cp -L "$lib" "$ROOT$lib"
	done
}

rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,dev,proc,sys,tmp,tests}
cp "$(command -v busybox)" "$ROOT/bin/busybox"
cp "$OUT/virtgpu_uapi" "$ROOT/tests/virtgpu_uapi"
add_binary /usr/bin/drmdevice
add_binary /usr/bin/modetest
cat >"$ROOT/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
# The driver binds asynchronously to the PCI device: wait for its node.
for i in $(seq 50); do ls /dev/dri/renderD* >/dev/null 2>&1 && break; sleep 0.1; done
echo "guest-begin: virtgpu_uapi"
/tests/virtgpu_uapi; echo "guest-end: virtgpu_uapi rc=$?"
echo "guest-begin: drmdevice"
drmdevice; echo "guest-end: drmdevice rc=$?"
if [ -e /dev/dri/card0 ]; then
	echo "guest-begin: modetest"
	modetest -M virtio_gpu -c; echo "guest-end: modetest rc=$?"
fi
echo "guest-done"
reboot -f
EOF
chmod +x "$ROOT/init"
(cd "$ROOT" && find . | cpio -o -H newc --quiet | gzip -1) >"$OUT/initramfs.cpio.gz"

say "guest: booting ${BDIR#"$REPO"/} on -device $DEVICE with $SMP CPUs (timeout ${TIMEOUT}s)"
start=$SECONDS
rc=0
timeout "$TIMEOUT" qemu-system-x86_64 -smp "$SMP" -m 2G -no-reboot \
	-display none -monitor none -serial stdio \
	-kernel "$BDIR/arch/x86/boot/bzImage" -initrd "$OUT/initramfs.cpio.gz" \
	-append "console=ttyS0 kunit.enable=0 panic=-1 rdinit=/init trace_event=gpu_scheduler" \
	-device "$DEVICE" </dev/null >"$OUT/serial.log" 2>&1 || rc=$?
secs=$((SECONDS - start))
tr -d '\r' <"$OUT/serial.log" >"$OUT/serial.clean.log"

python3 "$REPO/scripts/guest-report.py" "$NAME" "$OUT/serial.clean.log" "$secs" "$rc" \
	>"$OUT/results.txt" || { cat "$OUT/results.txt"; exit 1; }
cat "$OUT/results.txt"
