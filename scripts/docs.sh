#!/usr/bin/env bash
# 'make docs': the project's documentation as 'make htmldocs' would build it.
#  1. every kernel-doc directive naming a project file, in any .rst of the
#     overlaid tree (the base tree's drm-mm.rst too), gives output and no
#     kernel-doc warning;
#  2. the project's .rst pages build with Sphinx and the kernel's own
#     conf.py and extensions, warnings as errors, into .build/docs/html.
# A full 'make htmldocs' takes far longer; these are the parts of it the
# project can break.
source "$(dirname "$0")/lib.sh"

command -v sphinx-build >/dev/null || die "sphinx-build is missing; run 'make setup' first"
[ -d "$SRC/Documentation" ] || die "$SRC is missing; run 'make overlay' first"
rc=0
python3 "$REPO/scripts/docs/directives.py" "$SRC" "$REPO" || rc=1

out=$BUILD/docs
rm -rf "$out"
mkdir -p "$out/rst"
mapfile -t pages < <(cd "$REPO" && git ls-files -co --exclude-standard -- 'Documentation/*.rst')
[ ${#pages[@]} -gt 0 ] || die "no project .rst pages"
{
	printf '%s\n' '=====================' 'Project documentation' '=====================' \
		'' '.. toctree::' ''
	for p in "${pages[@]}"; do
		mkdir -p "$out/rst/$(dirname "$p")"
		cp "$REPO/$p" "$out/rst/$p"
		echo "   ${p%.rst}"
	done
} >"$out/rst/index.rst"
# The pictures the pages include.
while IFS= read -r f; do
	mkdir -p "$out/rst/$(dirname "$f")"
	cp "$REPO/$f" "$out/rst/$f"
done < <(cd "$REPO" && git ls-files -co --exclude-standard -- 'Documentation/*.svg')
log=$out/sphinx.log
if KDOC_WERROR=1 KSRC=$SRC sphinx-build -q -W --keep-going -c "$REPO/scripts/docs" \
	-d "$out/doctrees" -b html "$out/rst" "$out/html" >"$log" 2>&1; then
	echo "docs: Sphinx built ${#pages[@]} page(s) without a warning: $out/html/index.html"
else
	grep -v '^Using alabaster theme$' "$log" | head -n 20
	echo "docs: Sphinx warned on the project's pages (log: $log)"
	rc=1
fi
exit $rc
