#!/usr/bin/env bash
# scripts/kernel-doc -none -Wall on every project .c/.h: must be silent.
source "$(dirname "$0")/lib.sh"

KD=$BASE/scripts/kernel-doc
[ -f "$KD" ] || die "$KD is missing; run 'make setup' first"
mapfile -t srcs < <(project_sources)
[ ${#srcs[@]} -gt 0 ] || { echo "kernel-doc: no project sources"; exit 0; }
cd "$REPO"
out=$(perl "$KD" -none -Wall "${srcs[@]}" 2>&1 || true)
echo "kernel-doc: ${#srcs[@]} file(s) checked"
[ -z "$out" ] || { echo "$out"; exit 1; }
