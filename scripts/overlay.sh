#!/usr/bin/env bash
# Lay the project over a base tree: .build/src by default, or KDIR.
#   owned directories (scripts/overlay.dirs) replace the base tree's whole;
#   any other project file replaces that one file;
#   patches/*.patch are applied once (idempotent).
# Only files whose content changed are copied, so mtimes of unchanged files
# stay and a rebuild after 'git pull' is incremental. A manifest of what was
# laid (TARGET/.overlay.manifest) detects files edited by hand in the target.
# Env: KDIR (target tree), OVERLAY=none (the base tree as shipped), FORCE=1
# (discard hand edits in the target).
source "$(dirname "$0")/lib.sh"

if [ -n "${KDIR:-}" ]; then
	TARGET=$(cd "$KDIR" 2>/dev/null && pwd) ||
		die "KDIR=$KDIR does not exist; point KDIR at a Linux 6.12 source tree"
	v=$(sed -n 's/^VERSION = //p' "$TARGET/Makefile" 2>/dev/null | head -1)
	p=$(sed -n 's/^PATCHLEVEL = //p' "$TARGET/Makefile" 2>/dev/null | head -1)
	[ "$v.$p" = 6.12 ] ||
		die "KDIR=$KDIR is not a Linux 6.12 tree (its Makefile says VERSION '${v:-?}' PATCHLEVEL '${p:-?}'); point KDIR at a 6.12 source tree"
	PRISTINE=
else
	TARGET=$SRC
	PRISTINE=$BASE
	[ -f "$BASE/.unpacked" ] || die "base tree $BASE is missing; run 'make setup' first"
fi
# The rest runs under the build lock (a build may be reading the tree).
if [ -z "${KBUILD_LOCK_HELD:-}" ]; then locked "$0" "$@"; exit; fi
if [ -z "${KDIR:-}" ]; then
	if [ ! -d "$SRC" ]; then
		say "overlay: creating $SRC from the base tree"
		rm -rf "$SRC.tmp"
		mkdir -p "$SRC.tmp"
		cp -a "$BASE/." "$SRC.tmp/"
		rm -f "$SRC.tmp/.unpacked"
		mv "$SRC.tmp" "$SRC"
	fi
fi

MANIFEST=$TARGET/.overlay.manifest   # "sha256  path" of every file laid
LAIDDIRS=$TARGET/.overlay.dirs       # owned directories laid last time
touch "$MANIFEST" "$LAIDDIRS"
# Build artifacts of in-tree builds (KDIR) survive the replacement of a dir.
PROTECT=(--filter='P *.o' --filter='P .*.cmd' --filter='P *.ko' --filter='P *.mod'
	 --filter='P *.mod.c' --filter='P *.a' --filter='P modules.order'
	 --filter='P .*.d' --filter='P *.lst')

mapfile -t dirs < <(owned_dirs)
mapfile -t files < <(project_files)

# 1. Hand edits: every file laid last time must still have its content.
if [ -s "$MANIFEST" ]; then
	edited=$(cd "$TARGET" && sha256sum -c --quiet "$MANIFEST" 2>/dev/null |
		sed -n 's/: FAILED.*$//p' || true)
	for d in $(cat "$LAIDDIRS"); do   # files added by hand in an owned dir
		[ -d "$TARGET/$d" ] || continue
		edited+=$'\n'$(cd "$TARGET" && find "$d" -type f ! -name '*.o' ! -name '.*.cmd' \
			! -name '*.ko' ! -name '*.mod*' ! -name '*.a' ! -name modules.order |
			sort | comm -23 - <(awk '{print $2}' "$MANIFEST" | sort))
	done
	edited=$(echo "$edited" | sed '/^$/d' | sort -u)
	if [ -n "$edited" ]; then
		if [ "${FORCE:-}" != 1 ]; then
			n=$(echo "$edited" | wc -l)
			die "$TARGET/$(echo "$edited" | head -1)$([ "$n" -gt 1 ] && echo " (and $((n - 1)) more)") was edited by hand after the overlay laid it; move the change into the repository, or run 'make overlay FORCE=1' to discard the edit"
		fi
		echo "overlay: FORCE=1: discarding hand edits in $(echo "$edited" | wc -l) file(s)"
		while read -r f; do     # patched files go back to pristine, then re-patched
			if [ -n "$PRISTINE" ] && [ -f "$PRISTINE/$f" ]; then
				cp -p "$PRISTINE/$f" "$TARGET/$f"
			elif grep -qx "$(dirname "$f")" "$LAIDDIRS" || [ ! -f "$REPO/$f" ]; then
				rm -f "$TARGET/$f"
			fi
		done <<<"$edited"
	fi
fi

changed=0
# 2. Things laid last time that the project no longer has go back to the base.
if [ -n "$PRISTINE" ]; then
	for d in $(cat "$LAIDDIRS"); do
		printf '%s\n' "${dirs[@]}" | grep -qx "$d" && continue
		echo "overlay: $d is no longer owned; restoring the base tree's"
		mkdir -p "$TARGET/$d"
		rsync -rc --delete "$PRISTINE/$d/" "$TARGET/$d/"
		changed=$((changed + 1))
	done
	while read -r _ f; do
		[ -n "$f" ] || continue
		printf '%s\n' "${files[@]}" | grep -qxF "$f" && continue
		grep -qF "+++ b/$f" "$REPO"/patches/*.patch 2>/dev/null && continue
		if [ -f "$PRISTINE/$f" ]; then
			cmp -s "$PRISTINE/$f" "$TARGET/$f" || { cp "$PRISTINE/$f" "$TARGET/$f"; changed=$((changed + 1)); }
		elif [ -f "$TARGET/$f" ]; then
			rm -f "$TARGET/$f"; changed=$((changed + 1))
		fi
	done <"$MANIFEST"
fi

# 3. Owned directories replace the base tree's whole; other files one by one.
count() { grep -c '^[<>*c]' || true; }
for d in "${dirs[@]}"; do
	mkdir -p "$TARGET/$d"
	n=$(rsync -rc --delete -i "${PROTECT[@]}" "$REPO/$d/" "$TARGET/$d/" | count)
	changed=$((changed + n))
done
singles=()
for f in "${files[@]}"; do
	in_owned=0
	for d in "${dirs[@]}"; do [[ $f == "$d"/* ]] && in_owned=1; done
	[ $in_owned = 1 ] || singles+=("$f")
done
if [ ${#singles[@]} -gt 0 ]; then
	n=$(printf '%s\n' "${singles[@]}" |
		rsync -rc -i --files-from=- "$REPO/" "$TARGET/" | count)
	changed=$((changed + n))
fi

# 4. Hook-up patches, applied once (OVERLAY=none takes them back out: the
#    result is the base tree as shipped).
patched=()
for p in "$REPO"/patches/*.patch; do
	[ -f "$p" ] || continue
	if [ "${OVERLAY:-all}" = none ]; then
		if patch -d "$TARGET" -p1 -R -s -f --dry-run <"$p" >/dev/null 2>&1; then
			patch -d "$TARGET" -p1 -R -s -f --no-backup-if-mismatch <"$p" >/dev/null
			echo "overlay: OVERLAY=none: reverted patches/$(basename "$p")"
			changed=$((changed + 1))
		fi
		continue
	fi
	mapfile -t -O ${#patched[@]} patched < <(sed -n 's|^+++ b/||p' "$p" | cut -f1)
	if patch -d "$TARGET" -p1 -R -s -f --dry-run <"$p" >/dev/null 2>&1; then
		continue        # already applied
	fi
	patch -d "$TARGET" -p1 -N -s -f --dry-run <"$p" >/dev/null 2>&1 ||
		die "patches/$(basename "$p") does not apply to $TARGET; refresh the patch against the base tree (or run 'make overlay FORCE=1' if its target was edited by hand)"
	patch -d "$TARGET" -p1 -N -s -f --no-backup-if-mismatch <"$p" >/dev/null
	echo "overlay: applied patches/$(basename "$p")"
	changed=$((changed + 1))
done

# 5. Record what was laid.
printf '%s\n' "${dirs[@]}" | sed '/^$/d' >"$LAIDDIRS"
{
	for d in "${dirs[@]}"; do (cd "$TARGET" && find "$d" -type f | sort | grep -Fxf <(cd "$REPO" && find "$d" -type f) || true); done
	printf '%s\n' "${singles[@]}" "${patched[@]}"
} | sed '/^$/d' | sort -u | (cd "$TARGET" && xargs -r -d '\n' sha256sum) >"$MANIFEST.tmp"
mv "$MANIFEST.tmp" "$MANIFEST"

echo "overlay: $TARGET up to date (${#dirs[@]} owned dir(s), ${#singles[@]} single file(s), $(ls "$REPO"/patches/*.patch 2>/dev/null | wc -l) patch(es); $changed change(s))"
