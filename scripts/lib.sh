# Shared definitions for the build scripts; sourced, never run.
# shellcheck shell=bash
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$REPO/.build}
BASE=$BUILD/base                 # pristine base tree, never modified
SRC=$BUILD/src                   # base tree with the project laid over it
LOCK=${KBUILD_LOCK:-$BUILD/.kbuild.lock}
BASE_TARBALL=${BASE_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
BASE_VERSION=6.12.117
# Top-level directories of the repository that are laid over the base tree.
OVERLAY_ROOTS=(drivers include Documentation)

# The compiler cache outlives clones of the repository (CI clones afresh).
export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/drm-sched-ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}

die() { echo "error: $*" >&2; exit 1; }
say() { echo "==> $*"; }

# locked CMD...: run CMD holding the kernel build lock, so that two kernel
# builds never run at once on this machine, even from two shells.
locked() {
	if [ -n "${KBUILD_LOCK_HELD:-}" ]; then "$@"; return; fi
	mkdir -p "$BUILD"
	local fd rc=0
	exec {fd}>"$LOCK"
	if ! flock -n "$fd"; then
		echo "waiting for the build lock $LOCK (another kernel build is running)..."
		local waited=$SECONDS
		flock "$fd"
		# LOCK_WAIT_LOG=file: add the seconds waited (for timings without them).
		[ -z "${LOCK_WAIT_LOG:-}" ] || echo $((SECONDS - waited)) >>"$LOCK_WAIT_LOG"
		echo "got the build lock"
	fi
	KBUILD_LOCK_HELD=1 "$@" || rc=$?
	flock -u "$fd"
	exec {fd}>&-
	return "$rc"
}

# owned_dirs: owned directories (scripts/overlay.dirs) that exist in the repo.
owned_dirs() {
	local d
	[ "${OVERLAY:-all}" = none ] && return 0
	grep -v -e '^\s*#' -e '^\s*$' "$REPO/scripts/overlay.dirs" | while read -r d; do
		[ -d "$REPO/$d" ] && echo "$d"
	done
	return 0
}

# project_files: every project file under OVERLAY_ROOTS (tracked or new,
# not ignored), repo-relative.
project_files() {
	[ "${OVERLAY:-all}" = none ] && return 0
	local roots=() r
	for r in "${OVERLAY_ROOTS[@]}"; do [ -d "$REPO/$r" ] && roots+=("$r"); done
	[ ${#roots[@]} -eq 0 ] && return 0
	git -C "$REPO" ls-files -co --exclude-standard -- "${roots[@]}" |
		while read -r f; do [ -f "$REPO/$f" ] && echo "$f"; done | sort -u
	return 0
}

# project_sources: the project's .c/.h files under drivers/ and include/.
project_sources() {
	project_files | grep -E '^(drivers|include)/.*\.[ch]$' || true
}

# build_dir ARCH PROFILE
build_dir() {
	local d=$BUILD/${1/um/uml}
	[ "$2" = normal ] || d+=-$2
	echo "$d"
}

# series_author: set author_name and author_mail, the author and
# Signed-off-by of the patch series: AUTHOR='Name <mail>' if given, else git
# config user.name and user.email of the repository.
series_author() {
	if [ -n "${AUTHOR:-}" ]; then
		[[ $AUTHOR =~ ^([^\<\>]*[^\<\>\ ])\ *\<([^\<\>\ ]+@[^\<\>\ ]+)\>$ ]] ||
			die "AUTHOR='$AUTHOR' is not of the form AUTHOR='Your Name <you@example.org>'"
		author_name=${BASH_REMATCH[1]} author_mail=${BASH_REMATCH[2]}
		return 0
	fi
	author_name=$(git -C "$REPO" config user.name || true)
	author_mail=$(git -C "$REPO" config user.email || true)
	[ -n "$author_name" ] && [ -n "$author_mail" ] ||
		die "no author for the patch series: run git config --global user.name 'Your Name' and git config --global user.email you@example.org, or pass AUTHOR='Your Name <you@example.org>'"
}
