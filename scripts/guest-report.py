#!/usr/bin/env python3
"""Judge one 'make guest' boot from its serial log.

Usage: guest-report.py NAME SERIAL_LOG SECONDS QEMU_RC
       guest-report.py --compare BASE_RESULTS OURS_RESULTS

/init prints "guest-begin: BIN" and "guest-end: BIN rc=N" around every
binary, then "guest-done". A TAP binary (a kselftest) counts its own
results; any other counts as one test, passed when it exits 0. KMS tools
on a driver without KMS (ours, NAME "ours") are expected to fail and
count as skipped. The kernel log is checked by check-log.py: a report
there fails the boot even when every test passed. Exits 1 when anything
failed, the boot did not finish, or the log has a report.
"""
import os
import re
import subprocess
import sys

BEGIN = re.compile(r"guest-begin: (\S+)")
END = re.compile(r"guest-end: (\S+) rc=(\d+)")
TAP = re.compile(r"^(not )?ok \d+ (\S+)(.*)$")
# Tools that need KMS, which only the base driver has.
KMS_TOOLS = {"modetest"}


def parse(lines):
    """[(binary, rc, [output lines])] in the order they ran."""
    runs, cur, out = [], None, []
    for line in lines:
        m = BEGIN.search(line)
        if m:
            cur, out = m.group(1), []
            continue
        m = END.search(line)
        if m and cur == m.group(1):
            runs.append((cur, int(m.group(2)), out))
            cur = None
            continue
        if cur:
            out.append(line)
    return runs


def count(name, binary, rc, out):
    """(passed, failed, skipped, note) of one binary."""
    tap = [TAP.match(line.strip()) for line in out]
    tap = [m for m in tap if m]
    if tap:
        failed = sum(1 for m in tap if m.group(1))
        skipped = sum(1 for m in tap if not m.group(1) and "# SKIP" in m.group(3))
        passed = len(tap) - failed - skipped
        names = [m.group(2) for m in tap if m.group(1)]
        return passed, failed, skipped, ("failed: " + " ".join(names)) if names else ""
    if binary in KMS_TOOLS and name == "ours":
        return 0, 0, 1, "expected to fail: no KMS in this driver (rc=%d)" % rc
    if rc == 0:
        return 1, 0, 0, ""
    return 0, 1, 0, "exit status %d" % rc


ROW = re.compile(r"guest (\w+): (\S+)\s+passed\s+(\d+)\s+failed\s+(\d+)\s+skipped\s+(\d+)")


def compare(base_file, ours_file):
    """One table, base against ours, per binary: passed/failed/skipped."""
    rows = {}
    order = []
    for path in (base_file, ours_file):
        try:
            with open(path) as f:
                text = f.read().splitlines()
        except OSError:
            text = []
        for line in text:
            m = ROW.match(line)
            if not m:
                continue
            if m.group(2) not in rows:
                rows[m.group(2)] = {}
                order.append(m.group(2))
            rows[m.group(2)][m.group(1)] = "/".join(m.group(3, 4, 5))
    print("%-14s  %-12s  %-12s" % ("binary", "base p/f/s", "ours p/f/s"))
    for b in order:
        print("%-14s  %-12s  %-12s" % (b, rows[b].get("base", "-"), rows[b].get("ours", "-")))
    return 0


def main():
    if sys.argv[1] == "--compare":
        return compare(sys.argv[2], sys.argv[3])
    name, log, secs, qemu_rc = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    with open(log, errors="replace") as f:
        lines = f.read().splitlines()
    total = [0, 0, 0]
    for binary, rc, out in parse(lines):
        p, fl, s, note = count(name, binary, rc, out)
        total = [total[0] + p, total[1] + fl, total[2] + s]
        print("guest %s: %-14s passed %3d  failed %3d  skipped %3d  %s"
              % (name, binary, p, fl, s, note))
    problems = 0
    if not any("guest-done" in line for line in lines):
        print("guest %s: the guest did not finish (qemu exit %d); see %s"
              % (name, qemu_rc, log))
        problems += 1
    check = subprocess.run([sys.executable,
                            os.path.join(os.path.dirname(__file__), "check-log.py"), log],
                           capture_output=True, text=True)
    for line in check.stdout.splitlines():
        print("guest %s: %s" % (name, line))
    if check.returncode:
        problems += 1
    print("guest %s: boot and tests took %s s" % (name, secs))
    print("guest %s: %d passed, %d failed, %d skipped" % (name, *total))
    return 1 if total[1] or problems else 0


if __name__ == "__main__":
    sys.exit(main())
