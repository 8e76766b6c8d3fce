#!/usr/bin/env python3
"""Parse scripts/patches.series into a plan that scripts/mkpatches.sh follows.

usage: patches-series.py SERIES PROJECT_FILES OWNED_DIRS HOOKUPS README CHECKDIR PLANDIR

PROJECT_FILES, OWNED_DIRS and HOOKUPS are files with one repo-relative
path a line. For patch number NN the plan holds PLANDIR/NN/message (the
commit message), files (the files it commits whole), parts ("PATH<TAB>SED"
lines), hookups (patches to apply first) and removes (owned directories
whose base files it removes); PLANDIR/cover/subject and body are the cover
letter. The format of the series file is described at its top. Errors are
one line on stderr and exit status 1.
"""
import datetime
import json
import os
import re
import subprocess
import sys
import textwrap

HEADERS = ("Files", "Except", "Part", "Hook-up")


def die(msg):
    print("error: " + msg, file=sys.stderr)
    sys.exit(1)


def lines_of(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def parse(path):
    """Stanzas of the series file: dicts with kind, subject, headers, body."""
    stanzas = []
    cur = None
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if line.startswith("#"):
                continue
            m = re.match(r"^(Subject|Cover): (.+)$", line)
            if m:
                cur = {"kind": m.group(1), "subject": m.group(2).strip(),
                       "line": n, "in_header": True, "body": []}
                cur.update({h: [] for h in HEADERS})
                stanzas.append(cur)
                continue
            if cur is None:
                if line.strip():
                    die(f"{path}:{n}: text before the first 'Subject:' line")
                continue
            if cur["in_header"]:
                if not line.strip():
                    cur["in_header"] = False
                    continue
                m = re.match(r"^([A-Za-z-]+): *(.*)$", line)
                if not m or m.group(1) not in HEADERS:
                    die(f"{path}:{n}: unknown header line '{line}' (known: "
                        + ", ".join(h + ":" for h in HEADERS) + ")")
                key, val = m.group(1), m.group(2).strip()
                if key == "Part":
                    part = val.split(None, 1)
                    if len(part) != 2:
                        die(f"{path}:{n}: 'Part:' needs a path and a sed script")
                    cur["Part"].append((part[0], part[1]))
                else:
                    cur[key].extend(val.split())
                continue
            cur["body"].append(line)
    for s in stanzas:
        while s["body"] and not s["body"][0].strip():
            s["body"].pop(0)
        while s["body"] and not s["body"][-1].strip():
            s["body"].pop()
    return stanzas


def covers(spec, f):
    return f == spec or f.startswith(spec.rstrip("/") + "/")


def bench_table(readme):
    """{(workload, N): (base, ours, speedup)} from README's Performance table."""
    table, section, workload = {}, False, None
    for line in readme.splitlines():
        if line.startswith("## "):
            section = line.strip() == "## Performance"
            continue
        if not section or not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or cells[1] in ("N", "---:") or set(cells[1]) <= set("-:"):
            continue
        workload = cells[0] or workload
        table[(workload, cells[1])] = tuple(cells[2:])
        # Also by the name without its unit, e.g. "submit_8_entities".
        table[(re.sub(r"\s*\(.*\)$", "", workload), cells[1])] = tuple(cells[2:])
    return table


def kunit_counts(path):
    counts = [0, 0, 0]

    def walk(group):
        for case in group.get("test_cases", []):
            counts[{"PASS": 0, "SKIP": 2}.get(case.get("status"), 1)] += 1
        for sub in group.get("sub_groups", []):
            walk(sub)
    with open(path) as f:
        walk(json.load(f))
    return counts


# How the cover letter names a KUnit run of 'make check' (the name of its
# results in .build/check, or of its "<== kunit-NAME:" line in README.md).
DEBUG = "PROVE_LOCKING, KASAN, UBSAN, DEBUG_LIST, DEBUG_OBJECTS, DEBUG_ATOMIC_SLEEP"
RUNS = {
    "normal": "KUnit on UML (one CPU)",
    "uml-normal": "KUnit on UML (one CPU)",
    "debug": "KUnit on UML under the debug profile (" + DEBUG + ")",
    "uml-debug": "KUnit on UML under the debug profile (" + DEBUG + ")",
    "smp-normal": "KUnit on x86_64 under QEMU with several CPUs and a virtio-gpu-pci device",
    "smp-debug": "KUnit on x86_64 under QEMU with several CPUs, debug profile (" + DEBUG + ")",
    "smp-kcsan": "KUnit on x86_64 under QEMU with several CPUs, KCSAN and lockdep",
}
# Result files written by one 'make check' are this close in time.
ONE_RUN_SECONDS = 6 * 3600


def kunit_runs(runs, logs):
    """Bullet lines "- <run>: N cases passed, ..." in a fixed order; logs
    maps a run to whether its kernel log passed the check."""
    order = list(RUNS)
    names = sorted(runs, key=lambda n: (order.index(n) if n in order else len(order), n))
    lines = []
    for n in names:
        p, f, s = runs[n]
        figure = f"{p} cases passed, {f} failed, {s} skipped".replace(" ", "\xa0")
        if n in logs:
            figure += ", kernel log " + ("clean" if logs[n] else "NOT clean")
        lines.append(f"- {RUNS.get(n, 'KUnit run ' + n)}: {figure};")
    return "\n".join(lines)


def results(readme_path, checkdir):
    """The figures of the last full test run: .build/check, else README."""
    readme = open(readme_path).read()
    res = {}
    runs = {}
    logs = {}
    jsons = []
    if os.path.isdir(checkdir):
        jsons = [os.path.join(checkdir, f) for f in os.listdir(checkdir) if f.endswith(".json")]
    if jsons:
        newest = max(os.path.getmtime(j) for j in jsons)
        for j in jsons:
            if os.path.getmtime(j) >= newest - ONE_RUN_SECONDS:
                name = os.path.basename(j)[:-5]
                runs[name] = kunit_counts(j)
                log = j[:-5] + ".log"
                if os.path.isfile(log):
                    check = os.path.join(os.path.dirname(os.path.abspath(__file__)), "check-log.py")
                    logs[name] = subprocess.run([sys.executable, check, log],
                                                capture_output=True).returncode == 0
        day = datetime.datetime.fromtimestamp(newest, datetime.timezone.utc)
        res["TESTED_RUN"] = "the full run of " + day.strftime("%Y-%m-%d")
        fvb = os.path.join(checkdir, "fake-vs-base.out")
        if os.path.isfile(fvb) and os.path.getmtime(fvb) >= newest - ONE_RUN_SECONDS:
            with open(fvb) as f:
                tail = (f.read().strip().splitlines() or [""])[-1]
            m = re.search(r"(\d+) passed, (\d+) failed", tail)
            if m:
                res["FAKE_VS_BASE"] = f"{m.group(1)} cases passed, {m.group(2)} failed"
    else:
        day = subprocess.run(["git", "-C", os.path.dirname(readme_path), "log",
                              "-1", "--format=%cs", "--", "README.md"],
                             capture_output=True, text=True).stdout.strip()
        res["TESTED_RUN"] = "the full run of " + (day or "README.md")
        for m in re.finditer(r"<== kunit-(\S+): \w+ \((\d+) passed, (\d+) failed, (\d+) skipped",
                             readme):
            runs[m.group(1)] = m.groups()[1:]
        for m in re.finditer(r"<== log-(\S+): (\w+)", readme):
            logs[m.group(1)] = m.group(2) == "PASS"
    if runs:
        res["KUNIT_RUNS"] = kunit_runs(runs, logs)
    if "FAKE_VS_BASE" not in res:
        m = re.search(r"<== fake-vs-base: \w+ \((\d+) passed, (\d+) failed", readme)
        if m:
            res["FAKE_VS_BASE"] = "%s cases passed, %s failed" % m.groups()
    m = re.search(r"(\d+) bytes with the base\s+scheduler, (\d+) bytes with ours", readme)
    if m:
        res["BENCH_MEMORY"] = f"{m.group(1)} -> {m.group(2)} bytes"
    return res, bench_table(readme)


def render(text, where, res, bench):
    def sub(m):
        key = " ".join(m.group(1).split())
        if key.startswith("BENCH "):
            workload, _, n = key[6:].rpartition("|")
            row = bench.get((workload.strip(), n.strip()))
            if not row:
                die(f"{where}: '@{key}@': no such row in README.md's Performance table")
            base, ours, speedup = row
            if speedup in ("-", ""):
                return f"{base} -> {ours} ns"
            return f"{base} -> {ours} ns ({speedup}x)"
        if key not in res:
            die(f"{where}: '@{key}@': no figure for it (README.md or .build/check)")
        return res[key]
    # A placeholder may be wrapped over two lines of the text; what it
    # becomes is kept on one line by reflow() (no-break spaces until then).
    return re.sub(r"@(BENCH\s[^@]+|[A-Z_]+)@",
                  lambda m: sub(m) if m.group(1) == "KUNIT_RUNS" else
                  sub(m).replace(" ", "\xa0"), text)


def reflow(text, width=72):
    """Wrap each paragraph and "- " item again, so that placeholders that
    grew or shrank leave no long or ragged lines. A paragraph whose first
    line is indented is kept as it is."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        lines = block.split("\n")
        if lines[0][:1] in (" ", "\t"):
            out.append(block)
            continue
        items = []
        for line in lines:
            if line.startswith("- ") or not items:
                items.append(line.strip())
            else:
                items[-1] += " " + line.strip()
        wrapped = []
        for item in items:
            bullet = item.startswith("- ")
            wrapped.append(textwrap.fill(item, width, subsequent_indent="  " if bullet else "",
                                         break_long_words=False, break_on_hyphens=False))
        out.append("\n".join(wrapped))
    return "\n\n".join(out).replace("\xa0", " ")


def main():
    if len(sys.argv) != 8:
        die("usage: patches-series.py SERIES PROJECT_FILES OWNED_DIRS HOOKUPS README CHECKDIR PLANDIR")
    series, pfiles, powned, phooks, readme, checkdir, plandir = sys.argv[1:]
    name = "scripts/patches.series"
    files = lines_of(pfiles)
    owned = lines_of(powned)
    hookups = lines_of(phooks)
    stanzas = parse(series)
    patches = [s for s in stanzas if s["kind"] == "Subject"]
    covers_ = [s for s in stanzas if s["kind"] == "Cover"]
    if len(covers_) != 1:
        die(f"{name}: needs exactly one 'Cover:' stanza (has {len(covers_)})")
    if not patches:
        die(f"{name}: no 'Subject:' stanza")

    # Every path named must mean something.
    for s in patches:
        for key in ("Files", "Except"):
            for spec in s[key]:
                if not any(covers(spec, f) for f in files):
                    die(f"{name}:{s['line']}: '{spec}' ({key}: of '{s['subject']}') "
                        "matches no project file")
        for path, _ in s["Part"]:
            if path not in files:
                die(f"{name}:{s['line']}: Part: '{path}' is not a project file")
        for h in s["Hook-up"]:
            if h not in hookups:
                die(f"{name}:{s['line']}: Hook-up: '{h}' is not one of patches/*.patch")
        if not s["body"]:
            die(f"{name}:{s['line']}: '{s['subject']}' has no commit message body")

    # Each file belongs to the first patch that names it and does not except it.
    owner = {}
    for f in files:
        for i, s in enumerate(patches):
            if any(covers(p, f) for p in s["Files"]) and \
               not any(covers(p, f) for p in s["Except"]):
                owner[f] = i
                break
        else:
            die(f"{f} is in no patch of {name}: add it to the Files: of the patch it belongs to")
    for i, s in enumerate(patches):
        for path, _ in s["Part"]:
            if owner[path] <= i:
                die(f"{name}:{s['line']}: Part: '{path}' must come before the patch "
                    f"that commits it whole ('{patches[owner[path]]['subject']}')")
    for h in hookups:
        users = [s for s in patches if h in s["Hook-up"]]
        if len(users) != 1:
            die(f"{h} is the Hook-up: of {len(users)} patches of {name}; it must be of exactly one")

    res, bench = results(readme, checkdir)
    first_touch = {}
    for i, s in enumerate(patches):
        touched = [f for f in files if owner[f] == i] + [p for p, _ in s["Part"]]
        for d in owned:
            if d not in first_touch and any(covers(d, f) for f in touched):
                first_touch[d] = i
        if not touched and not s["Hook-up"]:
            die(f"{name}:{s['line']}: '{s['subject']}' changes nothing")

    os.makedirs(plandir, exist_ok=True)
    for i, s in enumerate(patches):
        d = os.path.join(plandir, "%02d" % (i + 1))
        os.makedirs(d)
        where = f"{name}:{s['line']}"
        body = reflow(render("\n".join(s["body"]), where, res, bench))
        with open(os.path.join(d, "message"), "w") as f:
            f.write(s["subject"] + "\n\n" + body + "\n")
        with open(os.path.join(d, "files"), "w") as f:
            f.writelines(x + "\n" for x in files if owner[x] == i)
        with open(os.path.join(d, "parts"), "w") as f:
            f.writelines(f"{p}\t{sed}\n" for p, sed in s["Part"])
        with open(os.path.join(d, "hookups"), "w") as f:
            f.writelines(h + "\n" for h in s["Hook-up"])
        with open(os.path.join(d, "removes"), "w") as f:
            f.writelines(x + "\n" for x in owned if first_touch.get(x) == i)
    c = covers_[0]
    d = os.path.join(plandir, "cover")
    os.makedirs(d)
    with open(os.path.join(d, "subject"), "w") as f:
        f.write(c["subject"] + "\n")
    with open(os.path.join(d, "body"), "w") as f:
        f.write(reflow(render("\n".join(c["body"]), f"{name}:{c['line']}", res, bench)) + "\n")


if __name__ == "__main__":
    main()
