#!/usr/bin/env bash
# 'make check': everything of 'make kunit', the debug profile, the kernel-log
# checks, checkpatch, kernel-doc, sparse and originality-check. Ends with
# the line 'N passed, N failed[, N skipped]' and exits nonzero on a failure.
source "$(dirname "$0")/lib.sh"
set +e
S=$REPO/scripts
passed=0 failed=0 skipped=0

verdict() { # NAME RC [DETAIL]
	if [ "$2" = 0 ]; then echo "<== $1: PASS${3:+ ($3)}"; passed=$((passed + 1))
	else echo "<== $1: FAIL${3:+ ($3)}"; failed=$((failed + 1)); fi
}
finish() {
	local line="$passed passed, $failed failed"
	[ $skipped -gt 0 ] && line+=", $skipped skipped"
	echo "$line"
	[ $failed -eq 0 ]
	exit
}

echo "==> [setup] packages and base tree"
"$S/setup.sh"; rc=$?; verdict setup $rc
[ $rc = 0 ] || finish
echo "==> [overlay] lay the project over .build/src"
"$S/overlay.sh"; rc=$?; verdict overlay $rc
[ $rc = 0 ] || finish

for profile in normal debug; do
	res=$BUILD/check/$profile
	echo "==> [kunit-$profile] UML, all project suites"
	PROFILE=$profile ARCH=um RESULTS=$res "$S/kunit.sh"; rc=$?
	read -r p f s < <(python3 "$S/kunit-count.py" "$res.json")
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	if [ $rc != 0 ] && [ "$f" = 0 ]; then
		verdict "kunit-$profile" 1 "kunit.py failed (exit $rc) without a failing case"
	elif [ $((p + f + s)) = 0 ]; then
		verdict "kunit-$profile" 1 "no test ran"
	else
		echo "<== kunit-$profile: $([ "$f" = 0 ] && echo PASS || echo FAIL) ($p passed, $f failed, $s skipped)"
	fi
	echo "==> [log-$profile] kernel log: lockdep/KASAN/UBSAN/BUG/unexpected WARN"
	python3 "$S/check-log.py" "$res.log"; verdict "log-$profile" $?
done

echo "==> [compat] the 10 in-tree scheduler users compile against the project's header"
"$S/compat.sh"; verdict compat $?
echo "==> [fake-vs-base] the wire suite on the fake device with the base tree's virtio-gpu driver"
fvb=$BUILD/check/fake-vs-base.out
"$S/fake-vs-base.sh" | tee "$fvb"; rc=${PIPESTATUS[0]}
verdict fake-vs-base $rc "$(tail -n 1 "$fvb")"

echo "==> [checkpatch] checkpatch.pl --strict on project sources"
"$S/checkpatch.sh"; verdict checkpatch $?
echo "==> [kernel-doc] kernel-doc -none -Wall on project sources"
"$S/kerneldoc.sh"; verdict kernel-doc $?
echo "==> [sparse] make C=2 on project directories (UML build dir)"
"$S/sparse.sh"; verdict sparse $?
echo "==> [originality] ../shared/tools/originality-check"
"$S/originality.sh"; rc=$?
if [ $rc = 3 ]; then echo "<== originality: not present, not counted"; else verdict originality $rc; fi
finish
