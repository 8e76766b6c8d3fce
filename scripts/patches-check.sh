#!/usr/bin/env bash
# What dri-devel's tooling checks on the series of 'make patches' (the
# [patches] step of 'make check'):
#   checkpatch.pl --strict on every patch: no error, warning or check that
#     scripts/checkpatch.exceptions does not accept for the file it is in;
#   git am of the whole series onto a fresh copy of the base tree;
#   the tree after the last patch byte-identical to the overlaid tree.
# BISECT=1 ('make patches BISECT=1') also builds the UML kernel after each
# patch, in one build dir (.build/bisect, ccache), compiles the directories
# whose C files the patch changes, runs the KUnit suites the patch adds and
# prints a table per patch.
source "$(dirname "$0")/lib.sh"

OUT=$BUILD/patches
AM=$BUILD/patches-am
BD=$BUILD/bisect
CP=$BASE/scripts/checkpatch.pl
EXC=$REPO/scripts/checkpatch.exceptions
[ -f "$CP" ] || die "$CP is missing; run 'make setup' first"
series_author
t0=$SECONDS

out=$("$REPO/scripts/mkpatches.sh") || exit 1
head -n 1 <<<"$out"
patches=()
for p in "$OUT"/[0-9][0-9][0-9][0-9]-*.patch; do
	[[ $p == */0000-* ]] || patches+=("$p")
done
[ ${#patches[@]} -gt 0 ] || die "make patches wrote no patch"

# 1. checkpatch --strict on each patch. A finding is accepted when
#    scripts/checkpatch.exceptions lists the file it is in with its type
#    (an entry for a directory, ending in '/', covers the files below it).
#    Findings in the commit message cannot be accepted.
allowed=$(grep -v -e '^\s*#' -e '^\s*$' "$EXC" | awk '{print $1}' || true)
accepted() { # FILE TYPE
	local e
	[ -n "$1" ] || return 1
	while read -r e; do
		[ -n "$e" ] || continue
		[ "${e##*:}" = "$2" ] || continue
		e=${e%:*}
		if [ "$e" = "$1" ] || { [[ $e == */ ]] && [[ $1 == "$e"* ]]; }; then return 0; fi
	done <<<"$allowed"
	return 1
}
cp_fail=0
echo "checkpatch --strict (errors/warnings/checks, how many accepted by scripts/checkpatch.exceptions):"
for p in "${patches[@]}"; do
	# Which file each line of the patch belongs to ("" for the message).
	mapfile -t fileof < <(awk '/^diff --git a\//{f=$3; sub(/^a\//, "", f)} {print f}' "$p")
	out=$(cd "$BASE" && perl "$CP" --strict --terse --show-types --no-summary "$p" 2>&1 || true)
	e=0 w=0 c=0 ok=0 bad=() oktypes=()
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		if [[ ! $line =~ ^[^:]+:([0-9]+):\ (ERROR|WARNING|CHECK):([A-Z0-9_]+): ]]; then
			bad+=("    $line"); continue
		fi
		ln=${BASH_REMATCH[1]} level=${BASH_REMATCH[2]} type=${BASH_REMATCH[3]}
		case $level in ERROR) e=$((e + 1)) ;; WARNING) w=$((w + 1)) ;; CHECK) c=$((c + 1)) ;; esac
		f=${fileof[ln - 1]:-}
		if accepted "$f" "$type"; then ok=$((ok + 1)) oktypes+=("$type"); continue; fi
		bad+=("    ${f:-commit message}: ${line#*: }")
	done <<<"$out"
	printf '  %-64s %d/%d/%d, %d accepted' "$(basename "$p")" $e $w $c $ok
	[ $ok -gt 0 ] && printf ' (%s)' "$(printf '%s\n' "${oktypes[@]}" | sort | uniq -c |
		awk '{printf "%s%s x%d", (NR > 1 ? ", " : ""), $2, $1}')"
	echo
	if [ ${#bad[@]} -gt 0 ]; then printf '%s\n' "${bad[@]}"; cp_fail=1; fi
done

# 2. A fresh copy of the base tree as a git repository, for git am.
say "patches: fresh copy of the base tree in ${AM#"$REPO"/}"
rm -rf "$AM" "$AM.tmp"
# New mtimes: a base file must never look older than an object built from
# a later patch's version of it in .build/bisect (ccache makes it cheap).
cp -a --no-preserve=timestamps "$BASE" "$AM.tmp"
rm -f "$AM.tmp/.unpacked"
mv "$AM.tmp" "$AM"
a() { git -C "$AM" -c user.name="$author_name" -c user.email="$author_mail" -c commit.gpgsign=false "$@"; }
a init -q
a add -A -f        # the Debian tree's .gitignore ignores its top level
a commit -q -m "Linux $BASE_VERSION"

# symbols_in_tree CONFIG_LINE...: the lines whose symbol the tree defines.
symbols_in_tree() {
	local line sym
	for line in "$@"; do
		sym=$(sed -nE 's/^(# )?CONFIG_([A-Za-z0-9_]+)[= ].*/\2/p' <<<"$line")
		if [ -z "$sym" ]; then echo "$line"; continue; fi
		if a grep -q -E "^[[:space:]]*(menu)?config $sym([[:space:]]|\$)" -- ':(glob)**/Kconfig*'; then
			echo "$line"
		else
			echo "bisect: without CONFIG_$sym (not in the tree yet)" >&2
		fi
	done
}
# suites_of COMMIT FILE...: the KUnit suites the files define at COMMIT.
suites_of() {
	local c=$1 f
	shift
	for f in "$@"; do
		a show "$c:$f" 2>/dev/null | awk '
			/struct kunit_suite [A-Za-z0-9_]+ = \{/ { s = 1 }
			s && match($0, /\.name = "[^"]+"/) {
				print substr($0, RSTART + 9, RLENGTH - 10); s = 0 }'
	done | sort -u
}
# bisect_step: build and test the tree at HEAD; appends a row to $table.
bisect_step() {
	local i=$1 subj ts=$SECONDS cfg=$BD/step.kunitconfig builds=no compiled=() tests=-
	local waits=$BD/lock-waits
	local changed dirs d syms added built json
	subj=$(a log -1 --format=%s)
	mkdir -p "$BD"
	: >"$waits"
	export LOCK_WAIT_LOG=$waits
	mapfile -t lines <"$REPO/.kunitconfig"
	mapfile -t uml <"$REPO/scripts/kunitconfig.uml"
	symbols_in_tree "${lines[@]}" "${uml[@]}" >"$cfg"
	say "bisect $i/${#patches[@]}: $subj"
	if locked python3 "$AM/tools/testing/kunit/kunit.py" build --build_dir="$BD" \
		--kunitconfig="$cfg" --make_options="CC=ccache gcc" --jobs=2 >"$BD/build.log" 2>&1; then
		builds=yes
	else
		tail -n 20 "$BD/build.log"
	fi
	# Directories whose C files changed, compiled with their own symbols on
	# (a component nothing selects yet still gets compiled).
	mapfile -t changed < <(a diff --name-only --diff-filter=AM HEAD~1 HEAD -- '*.c')
	mapfile -t dirs < <(printf '%s\n' "${changed[@]}" | sed '/^$/d' | xargs -r -n1 dirname | sort -u)
	for d in "${dirs[@]}"; do
		[ -f "$AM/$d/Makefile" ] || continue
		mapfile -t syms < <(sed -nE 's/.*obj-\$\(CONFIG_([A-Z0-9_]+)\).*/\1/p' "$AM/$d/Makefile" | sort -u |
			while read -r s; do symbols_in_tree "CONFIG_$s=y" 2>/dev/null; done)
		if [ $builds = no ]; then
			compiled+=("$d/:not-tried")
		elif locked make -C "$AM" O="$BD" ARCH=um CC="ccache gcc" -j2 \
			"${syms[@]}" "$d/" >"$BD/compile.log" 2>&1; then
			compiled+=("$d/")
		else
			tail -n 20 "$BD/compile.log"
			compiled+=("$d/:FAILED")
			builds=no
		fi
	done
	# The suites this patch adds, run on the kernel just built.
	mapfile -t changed < <(a diff --name-only HEAD~1 HEAD -- '*.c')
	mapfile -t added < <(comm -13 <(suites_of HEAD~1 "${changed[@]}") <(suites_of HEAD "${changed[@]}"))
	if [ ${#added[@]} -gt 0 ] && [ $builds = yes ]; then
		built=$(locked python3 "$AM/tools/testing/kunit/kunit.py" exec --build_dir="$BD" \
			--list_tests 2>/dev/null | sed -nE 's/^([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+$/\1/p' | sort -u)
		mapfile -t run < <(printf '%s\n' "${added[@]}" | grep -Fxf <(echo "$built") || true)
		if [ ${#run[@]} -eq 0 ]; then
			tests="${#added[@]} suites, none in this .kunitconfig"
		else
			json=$BD/results.json
			rm -f "$json"
			locked python3 "$AM/tools/testing/kunit/kunit.py" exec --build_dir="$BD" \
				--timeout=1800 --json="$json" >"$BD/exec.log" 2>&1 || true
			tests=$(python3 - "$json" "${run[@]}" <<'PY'
import json, sys
path, want = sys.argv[1], set(sys.argv[2:])
counts = [0, 0, 0]
seen = set()
def walk(g, inside):
    inside = inside or g.get("name") in want
    if g.get("name") in want:
        seen.add(g["name"])
    for case in g.get("test_cases", []):
        if inside:
            counts[{"PASS": 0, "SKIP": 2}.get(case.get("status"), 1)] += 1
    for sub in g.get("sub_groups", []):
        walk(sub, inside)
try:
    walk(json.load(open(path)), False)
except (OSError, ValueError):
    print("FAIL (no results)")
    sys.exit()
missing = len(want - seen)
ok = counts[1] == 0 and missing == 0
print("%s (%d suites: %d passed, %d failed, %d skipped%s)" % (
    "pass" if ok else "FAIL", len(want), counts[0], counts[1], counts[2],
    ", %d did not run" % missing if missing else ""))
PY
)
			if ! python3 "$REPO/scripts/check-log.py" "$BD/test.log" >"$BD/log-check.out" 2>&1; then
				tests="FAIL (kernel log: $(head -n 1 "$BD/log-check.out")); $tests"
			fi
			local nb=$(( ${#added[@]} - ${#run[@]} ))
			[ $nb -gt 0 ] && tests+="; $nb suites not in this .kunitconfig"
		fi
	fi
	# The time of the step without what it waited for the build lock.
	local t=$((SECONDS - ts - $(awk '{s += $1} END {print s + 0}' "$waits")))
	unset LOCK_WAIT_LOG
	total=$((total + t))
	row=$(printf '%-4s %-58.58s %-6s %-5s %s' "$i" "$subj" "$builds" "${t}s" "$tests")
	[ ${#compiled[@]} -gt 0 ] && row+=$'\n'"     compiled: ${compiled[*]}"
	table+="$row"$'\n'
	echo "$row"
	[ $builds = yes ] && [[ $tests != FAIL* ]]
}

# 3. git am, patch by patch when bisecting.
am_fail=0 bisect_fail=0 table='' total=0
amlog=$BUILD/patches-am.log
if [ "${BISECT:-}" = 1 ]; then
	i=0
	for p in "${patches[@]}"; do
		i=$((i + 1))
		if ! a am -q --whitespace=error "$p" >"$amlog" 2>&1 || grep -qi warning "$amlog"; then
			cat "$amlog"; am_fail=1; a am --abort >/dev/null 2>&1 || true; break
		fi
		bisect_step "$i" || bisect_fail=1
	done
else
	if ! a am -q --whitespace=error "${patches[@]}" >"$amlog" 2>&1 || grep -qi warning "$amlog"; then
		cat "$amlog"; am_fail=1; a am --abort >/dev/null 2>&1 || true
	fi
fi
if [ $am_fail = 0 ]; then
	echo "git am: all ${#patches[@]} patches apply to a fresh copy of Linux $BASE_VERSION"
else
	echo "git am: FAILED (see above)"
fi

# 4. The tree after the last patch against the overlaid tree.
id_fail=1
if [ $am_fail = 0 ]; then
	if ! ov=$(KDIR='' "$REPO/scripts/overlay.sh" 2>&1); then
		echo "$ov"
		diffs="the overlay failed"
	else
		tail -n 1 <<<"$ov"
		diffs=$(diff -rq --no-dereference -x .git -x .overlay.manifest -x .overlay.dirs "$AM" "$SRC" 2>&1 || true)
	fi
	if [ -z "$diffs" ]; then
		id_fail=0
		echo "identity: the tree after the last patch is byte-identical to ${SRC#"$REPO"/} ($(project_files | wc -l) project files, $(ls "$REPO"/patches/*.patch | wc -l) hook-up patches)"
	else
		echo "identity: FAILED: the tree after the last patch (${AM#"$REPO"/}) and the overlaid tree (${SRC#"$REPO"/}) differ:"
		head -n 20 <<<"$diffs" | sed 's/^/  /'
	fi
fi

if [ "${BISECT:-}" = 1 ]; then
	{
		echo "BISECT=1: ${#patches[@]} patches, builds and tests ${total} s without waits for the build lock, $((SECONDS - t0)) s in all (build dir ${BD#"$REPO"/})"
		printf '%-4s %-58s %-6s %-5s %s\n' patch subject builds time "tests the patch adds"
		printf '%s' "$table"
	} | tee "$OUT/bisect.txt"
fi
echo "patches: checkpatch $([ $cp_fail = 0 ] && echo clean || echo FAILED), git am $([ $am_fail = 0 ] && echo clean || echo FAILED), identity $([ $id_fail = 0 ] && echo yes || echo FAILED)$([ "${BISECT:-}" = 1 ] && echo ", bisect $([ $bisect_fail = 0 ] && echo clean || echo FAILED)") ($((SECONDS - t0)) s)"
[ $cp_fail = 0 ] && [ $am_fail = 0 ] && [ $id_fail = 0 ] && [ $bisect_fail = 0 ]
