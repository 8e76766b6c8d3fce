#!/usr/bin/env bash
# Tests of scripts/timeline.py on a console log of a real run: 'make
# timeline SUITES=drm_sched_trace.drm_sched_trace_dag_records' on UML,
# kept in scripts/tests/data/timeline-dag.log. That case submits three
# jobs and two dependencies (one on a job, one on a foreign fence). Prints
# TAP; exits nonzero when a case fails.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tl=$here/../timeline.py
log=$here/data/timeline-dag.log
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

n=0 bad=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); bad=$((bad + 1)); echo "not ok $n - $1: $2"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1" "$2"; fi; }

check "counts match what the case submitted" \
	'python3 "$tl" "$log" "$out" --expect-jobs 3 --expect-deps 2 >"$out/summary"'
check "a wrong expectation fails" \
	'! python3 "$tl" "$log" "$out/x" --expect-jobs 4 >/dev/null'
check "the JSON parses, one job slice per job, one flow per job-to-job edge" \
	"python3 - \"\$out/timeline.json\" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
ev = t['traceEvents']
jobs = {e['args']['fence'] for e in ev if e.get('cat') == 'job'}
flows = [e for e in ev if e.get('ph') == 's']
assert len(jobs) == 3 and len(flows) == 1, (len(jobs), len(flows))
assert all(e['args']['finished'] for e in ev if e.get('cat') == 'job')
assert all(e['dur'] > 0 for e in ev if e.get('ph') == 'X')
assert {e['args']['case'] for e in ev if e.get('cat') == 'job'} == \\
    {'drm_sched_trace.drm_sched_trace_dag_records'}
PY"
check "the SVG is well-formed and draws three jobs" \
	"python3 -c 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); assert len(r.findall(\"{http://www.w3.org/2000/svg}g\")) == 3' \"\$out/timeline.svg\""
check "an empty log gives an empty, valid picture" \
	'echo "no events here" >"$out/empty.log" && python3 "$tl" "$out/empty.log" "$out/e" --expect-jobs 0 >/dev/null'

echo "1..$n"
[ $bad -eq 0 ]
