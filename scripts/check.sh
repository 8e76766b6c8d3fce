#!/usr/bin/env bash
# 'make check': every project suite on x86_64 QEMU with SMP CPUs under the
# normal, debug and KCSAN kernels, the kernel-log checks, compat,
# fake-vs-base, checkpatch, kernel-doc, sparse and originality-check. Prints
# each step's time; ends with the line 'N passed, N failed[, N skipped]' and
# exits nonzero on a failure.
source "$(dirname "$0")/lib.sh"
set +e
S=$REPO/scripts
passed=0 failed=0 skipped=0
failures=() # what failed, printed just above the last line

step_start=$SECONDS
start_step() { # HEADER
	step_start=$SECONDS
	echo "==> $1"
}
took() { local t=$((SECONDS - step_start)); printf '%dm%02ds' $((t / 60)) $((t % 60)); }
verdict() { # NAME RC [DETAIL]
	local detail="${3:+$3, }$(took)"
	if [ "$2" = 0 ]; then echo "<== $1: PASS ($detail)"; passed=$((passed + 1))
	else
		echo "<== $1: FAIL ($detail)"
		failed=$((failed + 1)) failures+=("step $1")
	fi
}
note_failed_cases() { # STEP JSON
	local c
	while read -r c; do failures+=("case $1: $c"); done \
		< <(python3 "$S/kunit-count.py" --failed "$2")
}
finish() {
	local line="$passed passed, $failed failed"
	echo "make check: $((SECONDS / 60)) min $((SECONDS % 60)) s"
	local f
	for f in "${failures[@]}"; do echo "failed: $f"; done
	[ $skipped -gt 0 ] && line+=", $skipped skipped"
	echo "$line"
	[ $failed -eq 0 ]
	exit
}

start_step "[scripts] tests of the build scripts' own logic (scripts/tests)"
rc=0
for t in "$S"/tests/*.sh; do "$t" || rc=1; done
verdict scripts $rc

start_step "[setup] packages and base tree"
"$S/setup.sh"; rc=$?; verdict setup $rc
[ $rc = 0 ] || finish
start_step "[overlay] lay the project over .build/src"
"$S/overlay.sh"; rc=$?; verdict overlay $rc
[ $rc = 0 ] || finish

# Every suite on x86_64 under QEMU with SMP CPUs: the normal kernel, the
# debug kernel (lockdep, KASAN, UBSAN, debug objects and lists) and the
# KCSAN kernel. UML (one CPU) is the quick local run of 'make kunit'; it
# adds nothing here that the SMP runs do not check, and its build would
# push a cold run past the time budget.
for run in x86_64:normal x86_64:debug x86_64:kcsan; do
	arch=${run%%:*} profile=${run#*:}
	name=$profile; [ "$arch" = um ] && name=uml-$profile || name=smp-$profile
	res=$BUILD/check/$name
	start_step "[kunit-$name] $arch, profile $profile, all project suites"
	ARCH=$arch PROFILE=$profile RESULTS=$res "$S/kunit.sh"; rc=$?
	read -r p f s < <(python3 "$S/kunit-count.py" "$res.json")
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	note_failed_cases "kunit-$name" "$res.json"
	if [ $rc != 0 ] && [ "$f" = 0 ]; then
		verdict "kunit-$name" 1 "kunit.py failed (exit $rc) without a failing case"
	elif [ $((p + f + s)) = 0 ]; then
		verdict "kunit-$name" 1 "no test ran"
	else
		echo "<== kunit-$name: $([ "$f" = 0 ] && echo PASS || echo FAIL) ($p passed, $f failed, $s skipped, $(took))"
	fi
	start_step "[log-$name] kernel log: lockdep/KASAN/KCSAN/UBSAN/BUG/unexpected WARN"
	python3 "$S/check-log.py" "$res.log" | tee "$res.log-check"
	rc=${PIPESTATUS[0]}
	verdict "log-$name" $rc
	[ $rc = 0 ] || while read -r l; do failures+=("  $l"); done \
		< <(grep -v ': note: ' "$res.log-check" | grep -E '^log-check: .*:[0-9]+: ' | head -n 3)
done

# Real userspace on QEMU's own 2D device, on the debug kernel just built:
# the kselftest and Debian's libdrm tools (make guest; the base driver's
# side is make guest-compare, which needs a kernel build of its own).
start_step "[guest] the debug kernel on -device virtio-gpu-pci, userspace tests, log check"
gout=$BUILD/check/guest.out
GUEST_NO_BUILD=1 OVERLAY=all "$S/guest.sh" | tee "$gout"; rc=${PIPESTATUS[0]}
if read -r p f s < <(sed -nE 's/^guest ours: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$/\1 \2 \3/p' "$gout"); then
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
fi
verdict guest $rc "$(tail -n 1 "$gout")"

start_step "[compat] the 10 in-tree scheduler users compile against the project's header"
"$S/compat.sh"; verdict compat $?
start_step "[fake-vs-base] the wire suite on the fake device with the base tree's virtio-gpu driver"
fvb=$BUILD/check/fake-vs-base.out
"$S/fake-vs-base.sh" | tee "$fvb"; rc=${PIPESTATUS[0]}
verdict fake-vs-base $rc "$(tail -n 1 "$fvb")"
[ $rc = 0 ] || note_failed_cases fake-vs-base "$BUILD/uml-base/results.json"

start_step "[checkpatch] checkpatch.pl --strict on project sources"
"$S/checkpatch.sh"; verdict checkpatch $?
start_step "[patches] the series of make patches: checkpatch --strict, git am on the base tree, identical to the overlay"
# The series is only checked here, not sent: a machine without a git
# identity (a CI runner) checks it under a placeholder author.
check_author=${AUTHOR:-}
if [ -z "$check_author" ] && { [ -z "$(git -C "$REPO" config user.name)" ] ||
	[ -z "$(git -C "$REPO" config user.email)" ]; }; then
	check_author='make check <make-check@example.invalid>'
fi
AUTHOR=$check_author BISECT='' "$S/patches-check.sh"; verdict patches $?
start_step "[kernel-doc] kernel-doc -none -Wall on project sources"
"$S/kerneldoc.sh"; verdict kernel-doc $?
start_step "[docs] kernel-doc directives on project files in every .rst; Sphinx on the project's pages"
"$S/docs.sh"; verdict docs $?
start_step "[sparse] make C=2 on project directories (x86_64 build dir)"
ARCH=x86_64 "$S/sparse.sh"; verdict sparse $?
start_step "[originality] ../shared/tools/originality-check"
"$S/originality.sh"; rc=$?
if [ $rc = 3 ]; then echo "<== originality: not present, not counted"; else verdict originality $rc; fi
finish
