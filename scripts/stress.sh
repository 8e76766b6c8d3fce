#!/usr/bin/env bash
# 'make stress': boot the x86_64 kernel (QEMU, SMP CPUs) again and again,
# each time with another drm_sched_tests.stress_seed, and run the seeded
# stress suites; report every seed that failed.
# Env: STRESS_MINUTES (stop starting boots after this long, default 10),
#      STRESS_RUNS (or stop after this many boots), STRESS_FIRST (first
#      seed, default 1), SMP (CPUs, default 4), PROFILE (normal|debug|kcsan),
#      SUITES (default 'drm_sched_stress*').
source "$(dirname "$0")/lib.sh"

PROFILE=${PROFILE:-normal}
SMP=${SMP:-4}
SUITES=${SUITES:-drm_sched_stress*}
minutes=${STRESS_MINUTES:-10}
runs=${STRESS_RUNS:-0}
seed=${STRESS_FIRST:-1}
for v in "$minutes" "$runs" "$seed" "$SMP"; do
	[[ $v =~ ^[0-9]+$ ]] || die "STRESS_MINUTES, STRESS_RUNS, STRESS_FIRST and SMP take whole numbers, not '$v'"
done

# Build (incrementally) and run once with the fixed seeds.
ARCH=x86_64 PROFILE=$PROFILE SMP=$SMP SUITES=$SUITES "$REPO/scripts/kunit.sh" >/dev/null ||
	die "the stress suites fail with the fixed seeds; run 'make kunit ARCH=x86_64 SUITES=\"$SUITES\"' to see why"

BDIR=$(build_dir x86_64 "$PROFILE")
out=$BUILD/stress
mkdir -p "$out"
boot() { # SEED
	python3 "$SRC/tools/testing/kunit/kunit.py" exec --build_dir="$BDIR" \
		--arch=x86_64 --qemu_args="-smp $SMP -device virtio-gpu-pci" --timeout=1800 \
		--kernel_args="drm_sched_tests.stress_seed=$1" --json="$out/seed-$1.json" \
		"$SUITES" >"$out/seed-$1.out" 2>&1
}

start=$SECONDS n=0 bad=() cases=0
say "stress: $SUITES on $SMP CPUs, profile $PROFILE, for ${minutes} min${runs:+ or $runs boots}"
while :; do
	[ "$runs" -gt 0 ] && [ "$n" -ge "$runs" ] && break
	[ "$runs" -eq 0 ] && [ $((SECONDS - start)) -ge $((minutes * 60)) ] && break
	rc=0
	locked boot "$seed" || rc=$?
	read -r p f s < <(python3 "$REPO/scripts/kunit-count.py" "$out/seed-$seed.json")
	python3 "$REPO/scripts/check-log.py" "$BDIR/test.log" >"$out/seed-$seed.log-check" || rc=1
	cases=$((cases + p + f))
	if [ "$rc" != 0 ] || [ "$f" != 0 ] || [ $((p + f)) = 0 ]; then
		bad+=("$seed")
		cp "$BDIR/test.log" "$out/seed-$seed.kernel.log"
		echo "stress: seed $seed FAILED ($p passed, $f failed; $out/seed-$seed.out, $out/seed-$seed.kernel.log)"
	else
		echo "stress: seed $seed passed ($p cases, $((SECONDS - start)) s so far)"
	fi
	n=$((n + 1)) seed=$((seed + 1))
done
echo "stress: $n boots, $cases cases, ${#bad[@]} failed${bad:+ (seeds ${bad[*]})}, $(((SECONDS - start) / 60)) min $(((SECONDS - start) % 60)) s"
[ ${#bad[@]} -eq 0 ]
