#!/usr/bin/env python3
"""Fail on kernel-log reports that passing KUnit tests can hide.

Usage: check-log.py LOG...

A lockdep, KASAN or UBSAN report, a KCSAN report whose block names project
code, a BUG/Oops/panic, or a WARN that no test announced fails the check;
a KCSAN report between two places of the core kernel is printed as a note.
A test that provokes a WARN on purpose prints a line containing
KUNIT-EXPECT-WARN just before; each such marker is paired with the next
WARN splat ("WARNING: CPU: ... at ...") of the same case. Unpaired WARNs
fail, and so does a marker whose case ends (its KTAP result line) without
the WARN it announced: the WARN is what that test checks.
"""
import re
import sys

MARKER = "KUNIT-EXPECT-WARN"
# A KCSAN report fails the log when its report block names project code;
# a race between two places of the core kernel (e.g. the workqueue reading
# a kworker's runtime while the tick updates it) is printed as a note.
PROJECT = re.compile(r"\b(drm_sched|drm_mock|virtio_gpu|virtgpu|vgpu_|vgt_|vu_)\w*")
KCSAN = re.compile(r"BUG: KCSAN: ")
KCSAN_END = re.compile(r"^={20,}$")
WARN = re.compile(r"WARNING: CPU: \d+ PID: \d+ at ")
RESULT = re.compile(r"^(\[[ \d.]+\] )?\s*(not )?ok \d+ ")
REPORTS = [
    (re.compile(r"BUG: KASAN: "), "KASAN report"),
    (re.compile(r"BUG: KCSAN: "), "KCSAN data race"),
    (re.compile(r"UBSAN: "), "UBSAN report"),
    (re.compile(r"WARNING: (possible (circular|recursive|irq) lock|inconsistent lock state|"
                r"suspicious RCU usage|bad unlock balance|held lock freed|"
                r"lock held when returning|.*-safe -> .*-unsafe lock order|"
                r"possible irq lock inversion|Nested lock was not taken)"), "lockdep report"),
    (re.compile(r"INFO: (possible recursive locking|trying to register non-static key)"),
     "lockdep report"),
    (re.compile(r"DEBUG_LOCKS_WARN_ON"), "lockdep report"),
    (re.compile(r"\bBUG: "), "BUG"),
    (re.compile(r"kernel BUG at "), "BUG"),
    (re.compile(r"\bOops\b|general protection fault"), "Oops"),
    (re.compile(r"Kernel panic - not syncing"), "panic"),
    (re.compile(r"ODEBUG: "), "debugobjects report"),
    (re.compile(r"list_(add|del) corruption"), "list corruption"),
    (re.compile(r"INFO: task .* blocked for more than|rcu: INFO: .*stall"), "hang"),
]


def kcsan_blocks(lines):
    """{line index of 'BUG: KCSAN:': True if its report names project code}."""
    out = {}
    for i, line in enumerate(lines):
        if not KCSAN.search(line):
            continue
        j = i
        while j < len(lines) and not KCSAN_END.match(lines[j].strip()):
            j += 1
        out[i] = any(PROJECT.search(t) for t in lines[i:j])
    return out


def check(path):
    problems = []
    notes = []
    pending = []  # markers not yet paired: (lineno, text)
    paired = 0
    with open(path, errors="replace") as log:
        lines = [line.rstrip("\n") for line in log]
    ours = kcsan_blocks(lines)
    for n, line in enumerate(lines, 1):
        if n - 1 in ours and not ours[n - 1]:
            notes.append((n, "KCSAN report outside the project's code", line.strip()))
            continue
        if MARKER in line:
            pending.append((n, line.strip()))
            continue
        if RESULT.match(line):
            for m, text in pending:
                problems.append((m, "announced WARN never came", text))
            pending = []
            continue
        if WARN.search(line):
            if pending:
                pending.pop(0)
                paired += 1
            else:
                problems.append((n, "unexpected WARN", line.strip()))
            continue
        for rx, what in REPORTS:
            if rx.search(line):
                problems.append((n, what, line.strip()))
                break
    return problems, pending, paired, notes


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    failed = False
    for path in argv[1:]:
        try:
            problems, pending, paired, notes = check(path)
        except OSError as err:
            print(f"log-check: cannot read {path}: {err.strerror}")
            failed = True
            continue
        for n, what, text in problems:
            print(f"log-check: {path}:{n}: {what}: {text}")
        for n, what, text in notes:
            print(f"log-check: {path}:{n}: note: {what}: {text}")
        for n, text in pending:
            # The log ended inside the case (a crash or a cut-off log).
            print(f"log-check: {path}:{n}: note: marker without a WARN: {text}")
        print(f"log-check: {path}: {len(problems)} problem(s), {paired} expected WARN(s)")
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
