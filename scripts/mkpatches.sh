#!/usr/bin/env bash
# 'make patches': a git format-patch series of the project against the base
# tree in .build/patches/, with a cover letter: the hook-up patches, then one
# commit per component of scripts/patches.series.
source "$(dirname "$0")/lib.sh"

R=$BUILD/patches-repo
OUT=$BUILD/patches
[ -f "$BASE/.unpacked" ] || die "base tree $BASE is missing; run 'make setup' first"
rm -rf "$R" "$OUT"
mkdir -p "$R" "$OUT"
name=$(git -C "$REPO" config user.name || echo "drm-sched developers")
mail=$(git -C "$REPO" config user.email || echo "drm-sched@example.org")
g() { git -C "$R" -c user.name="$name" -c user.email="$mail" -c commit.gpgsign=false "$@"; }
g init -q

mapfile -t dirs < <(owned_dirs)
mapfile -t files < <(project_files)
# 1. Pristine versions of every base file the project touches.
{
	for d in "${dirs[@]}"; do (cd "$BASE" && [ -d "$d" ] && find "$d" -type f); done
	printf '%s\n' "${files[@]}"
	sed -n 's|^+++ b/||p' "$REPO"/patches/*.patch | cut -f1
} | sed '/^$/d' | sort -u | while read -r f; do
	[ -f "$BASE/$f" ] || continue
	mkdir -p "$R/$(dirname "$f")"
	cp "$BASE/$f" "$R/$f"
done
g add -A
g commit -q --allow-empty -m "Linux $BASE_VERSION (base files touched by the project)"
g tag base

# 2. Hook-up patches.
for p in "$REPO"/patches/*.patch; do
	[ -f "$p" ] && g am -q --signoff "$p"
done

# 3. The project, one component at a time.
for d in "${dirs[@]}"; do mkdir -p "$R/$d"; rsync -rc --delete "$REPO/$d/" "$R/$d/"; done
printf '%s\n' "${files[@]}" | sed '/^$/d' | rsync -rc --files-from=- "$REPO/" "$R/"
while IFS='|' read -r subject specs; do
	[[ -z $subject || $subject == \#* ]] && continue
	read -r -a all <<<"$specs"
	spec=()     # pathspecs that match something (git add rejects the others)
	for sp in "${all[@]}"; do
		if [[ $sp == :* ]] || [ -e "$R/$sp" ] || g ls-files --error-unmatch -- "$sp" >/dev/null 2>&1; then
			spec+=("$sp")
		fi
	done
	[[ ${#spec[@]} -gt 0 && ${spec[0]} != :* ]] || continue
	g add -A -- "${spec[@]}"
	g diff --cached --quiet && continue
	g commit -q -s -m "$subject" -m "Part of the from-scratch DRM GPU scheduler series for Linux 6.12."
done <"$REPO/scripts/patches.series"
g add -A
g diff --cached --quiet || g commit -q -s -m "drm: add the remaining project files"

# 4. The series.
n=$(g rev-list --count base..HEAD)
[ "$n" -gt 0 ] || die "the project has no changes against the base tree; nothing to send"
g format-patch -q --cover-letter --subject-prefix=PATCH -o "$OUT" base..HEAD
cover=$(ls "$OUT"/0000-*.patch)
summary=$(g log --reverse --format='  %s' base..HEAD)
python3 - "$cover" "$summary" <<'PY'
import sys
path, summary = sys.argv[1], sys.argv[2]
text = open(path).read()
text = text.replace("*** SUBJECT HERE ***", "drm/sched: a from-scratch DRM GPU scheduler")
text = text.replace("*** BLURB HERE ***",
    "This series replaces the DRM GPU scheduler with a from-scratch\n"
    "implementation for Linux 6.12, with KUnit suites that prove it:\n\n"
    + summary + "\n\nTested with 'make check' (KUnit on UML, plain and under\n"
    "lockdep/KASAN/UBSAN), and compile-tested against the in-tree users.")
open(path, "w").write(text)
PY
echo "patches: $n patch(es) and a cover letter in ${OUT#"$REPO"/}/"
ls "$OUT" | sed 's/^/  /'
