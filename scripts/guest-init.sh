#!/bin/busybox sh
# /init of the 'make guest' initramfs, which scripts/guest.sh builds: runs
# each userspace test between "guest-begin: NAME" and "guest-end: NAME
# rc=N" markers on the serial console, prints "guest-done" and reboots
# (QEMU runs with -no-reboot, so it stops there). /config, written by
# guest.sh, sets TESTS (all or fuzz), VIRGL (1 on virtio-gpu-gl-pci),
# FUZZ_ARGS and PIGLIT_JOBS.
. /config
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
export HOME=/tmp XDG_RUNTIME_DIR=/tmp MESA_SHADER_CACHE_DISABLE=true
PIGLIT=/usr/lib/x86_64-linux-gnu/piglit

# The driver binds asynchronously to the PCI device: wait for its node.
for i in $(seq 50); do ls /dev/dri/renderD* >/dev/null 2>&1 && break; sleep 0.1; done

run() {
	name=$1
	shift
	echo "guest-begin: $name"
	"$@"
	echo "guest-end: $name rc=$?"
}

# Mesa's EGL on the surfaceless platform must find the virgl driver.
eglinfo_virgl() {
	eglinfo >/tmp/eglinfo.txt 2>&1
	cat /tmp/eglinfo.txt
	grep -q 'renderer: virgl' /tmp/eglinfo.txt
}

# The name of a piglit list line: the test binary, or the shader_test file.
piglit_name() {
	case $1 in
	shader_runner*) basename "${1##* }" .shader_test ;;
	*) echo "${1%% *}" ;;
	esac
}

# One finished piglit test as a TAP line, from the last result it printed.
piglit_report() {
	i=$1 line=$2
	name=$(piglit_name "$line")
	result=$(sed -n 's/.*"result": *"\([a-z]*\)".*/\1/p' "/tmp/piglit/$i.out" | tail -n 1)
	case $result in
	pass|warn) echo "ok $i $name" ;;
	skip) echo "ok $i $name # SKIP $(tail -n 1 "/tmp/piglit/$i.out")" ;;
	*)
		echo "not ok $i $name # result '${result:-none}', exit $(cat "/tmp/piglit/$i.rc")"
		tail -n 5 "/tmp/piglit/$i.out" | sed 's/^/# /'
		failed=1
		;;
	esac
}

# Every test of /tests/piglit.list, PIGLIT_JOBS at a time: each is its
# own process, so several GL contexts use the device at once.
piglit_list() {
	grep -v -e '^#' -e '^$' /tests/piglit.list >/tmp/piglit.list
	mkdir -p /tmp/piglit
	echo "TAP version 13"
	echo "1..$(wc -l </tmp/piglit.list)"
	failed=0 i=0 batch=""
	while read -r line; do
		i=$((i + 1))
		(cd "$PIGLIT" && PIGLIT_PLATFORM=surfaceless_egl \
			timeout 300 bin/$line -auto -fbo </dev/null >"/tmp/piglit/$i.out" 2>&1
		 echo $? >"/tmp/piglit/$i.rc") &
		batch="$batch $i"
		[ $((i % PIGLIT_JOBS)) -eq 0 ] || continue
		wait
		for j in $batch; do
			piglit_report "$j" "$(sed -n "${j}p" /tmp/piglit.list)"
		done
		batch=""
	done </tmp/piglit.list
	wait
	for j in $batch; do
		piglit_report "$j" "$(sed -n "${j}p" /tmp/piglit.list)"
	done
	return $failed
}

if [ "$TESTS" = all ]; then
	run virtgpu_uapi /tests/virtgpu_uapi
	run drmdevice drmdevice
	[ -e /dev/dri/card0 ] && run modetest modetest -M virtio_gpu -c
	if [ "$VIRGL" = 1 ]; then
		run eglinfo eglinfo_virgl
		run piglit piglit_list
	fi
fi
# Last, so that what it breaks cannot fail the tests before it.
run virtgpu_fuzz /tests/virtgpu_fuzz $FUZZ_ARGS
echo "guest-done"
reboot -f
