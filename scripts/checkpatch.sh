#!/usr/bin/env bash
# checkpatch.pl --strict on every project .c/.h; findings must be listed,
# with a reason, in scripts/checkpatch.exceptions.
source "$(dirname "$0")/lib.sh"

CP=$BASE/scripts/checkpatch.pl
[ -f "$CP" ] || die "$CP is missing; run 'make setup' first"
EXC=$REPO/scripts/checkpatch.exceptions

bad=$(grep -v -e '^\s*#' -e '^\s*$' "$EXC" | grep -v -E '^[^ ]+:[A-Z0-9_]+ +# *[^ ]' || true)
[ -z "$bad" ] || die "scripts/checkpatch.exceptions: each line must be 'file:TYPE  # reason': $bad"
allowed=$(grep -v -e '^\s*#' -e '^\s*$' "$EXC" | awk '{print $1}' || true)

mapfile -t srcs < <(project_sources)
[ ${#srcs[@]} -gt 0 ] || { echo "checkpatch: no project sources"; exit 0; }
cd "$REPO"
out=$(perl "$CP" --strict --no-tree -f --terse --show-types --no-summary "${srcs[@]}" 2>&1 || true)
fail=0
while IFS= read -r line; do
	[ -n "$line" ] || continue
	file=${line%%:*}
	type=$(sed -nE 's/^[^:]+:[0-9]+: (ERROR|WARNING|CHECK):([A-Z0-9_]+):.*/\2/p' <<<"$line")
	if [ -n "$type" ] && grep -qxF "$file:$type" <<<"$allowed"; then
		continue
	fi
	echo "$line"
	fail=1
done <<<"$out"
echo "checkpatch: ${#srcs[@]} file(s) checked"
exit $fail
