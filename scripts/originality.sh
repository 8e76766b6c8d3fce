#!/usr/bin/env bash
# ../shared/tools/originality-check, when present: must exit 0.
# Exits 3 when the tool is absent (not counted).
source "$(dirname "$0")/lib.sh"

TOOL=$REPO/../shared/tools/originality-check
[ -x "$TOOL" ] || [ -f "$TOOL" ] || { echo "originality-check: not present"; exit 3; }
bash "$TOOL" "$REPO"
