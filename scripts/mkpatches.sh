#!/usr/bin/env bash
# 'make patches': the project as a patch series against the base tree in
# .build/patches/, one commit per patch of scripts/patches.series (files,
# order and commit messages are written there), with a cover letter.
# Author and Signed-off-by: AUTHOR='Name <mail>', else git config
# user.name and user.email.
source "$(dirname "$0")/lib.sh"

R=$BUILD/patches-repo
OUT=$BUILD/patches
PLAN=$BUILD/patches-plan
SERIES=$REPO/scripts/patches.series
[ -f "$BASE/.unpacked" ] || die "base tree $BASE is missing; run 'make setup' first"

series_author
name=$author_name mail=$author_mail
g() { git -C "$R" -c user.name="$name" -c user.email="$mail" -c commit.gpgsign=false "$@"; }

# 1. The plan: which files, parts and hook-ups each patch holds.
rm -rf "$R" "$OUT" "$PLAN"
mkdir -p "$R" "$OUT" "$PLAN"
mapfile -t dirs < <(owned_dirs)
mapfile -t files < <(project_files)
printf '%s\n' "${dirs[@]}" | sed '/^$/d' >"$PLAN/owned"
printf '%s\n' "${files[@]}" | sed '/^$/d' >"$PLAN/files"
(cd "$REPO" && ls patches/*.patch 2>/dev/null || true) >"$PLAN/hookups"
python3 "$REPO/scripts/patches-series.py" "$SERIES" "$PLAN/files" "$PLAN/owned" \
	"$PLAN/hookups" "$REPO/README.md" "$BUILD/check" "$PLAN/series" || exit 1

# 2. A repository holding the base versions of every file the series touches.
g init -q
{
	for d in "${dirs[@]}"; do (cd "$BASE" && [ -d "$d" ] && find "$d" -type f); done
	printf '%s\n' "${files[@]}"
	sed -n 's|^+++ b/||p' "$REPO"/patches/*.patch | cut -f1
} | sed '/^$/d' | sort -u | while read -r f; do
	[ -f "$BASE/$f" ] || continue
	mkdir -p "$R/$(dirname "$f")"
	cp "$BASE/$f" "$R/$f"
done
g add -A -f
g commit -q --allow-empty -m "Linux $BASE_VERSION (the base files the series touches)"
g tag base

# 3. One commit per patch.
for p in "$PLAN"/series/[0-9]*; do
	subject=$(head -n 1 "$p/message")
	while read -r h; do
		g apply --index "$REPO/$h" || die "$h does not apply in '$subject'"
	done <"$p/hookups"
	while read -r d; do
		g rm -r -q --ignore-unmatch -- "$d"
	done <"$p/removes"
	while read -r f; do
		mkdir -p "$R/$(dirname "$f")"
		cp "$REPO/$f" "$R/$f"
		g add -f -- "$f"
	done <"$p/files"
	while IFS=$'\t' read -r f script; do
		mkdir -p "$R/$(dirname "$f")"
		sed -e "$script" "$REPO/$f" >"$R/$f.part" ||
			die "scripts/patches.series: Part: $f: the sed script '$script' fails"
		printf '%s\n' "$(cat "$R/$f.part")" >"$R/$f"   # no trailing blank lines
		rm -f "$R/$f.part"
		cmp -s "$REPO/$f" "$R/$f" &&
			die "scripts/patches.series: Part: $f: the sed script '$script' changes nothing; update it"
		g add -f -- "$f"
	done <"$p/parts"
	g diff --cached --quiet && die "'$subject' changes nothing against the patches before it"
	g commit -q -s --cleanup=whitespace -F "$p/message"
done

# Every project file must now be the repository's, whole.
for f in "${files[@]}"; do
	[ -n "$f" ] || continue
	cmp -s "$REPO/$f" "$R/$f" || die "$f is not whole after the last patch; check its Part: lines in scripts/patches.series"
done

# 4. The series and its cover letter.
n=$(g rev-list --count base..HEAD)
g format-patch -q --cover-letter --no-renames --break-rewrites --subject-prefix=PATCH \
	-o "$OUT" base..HEAD
cover=$(ls "$OUT"/0000-*.patch)
python3 - "$cover" "$PLAN/series/cover/subject" "$PLAN/series/cover/body" <<'PY'
import sys
path, subject, body = sys.argv[1:]
text = open(path).read()
text = text.replace("*** SUBJECT HERE ***", open(subject).read().strip())
text = text.replace("*** BLURB HERE ***", open(body).read().rstrip("\n"))
open(path, "w").write(text)
PY
echo "patches: $n patches and a cover letter in ${OUT#"$REPO"/}/ (author $name <$mail>)"
ls "$OUT" | sed 's/^/  /'
