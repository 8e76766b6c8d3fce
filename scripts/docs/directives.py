#!/usr/bin/env python3
"""Run every kernel-doc directive that names a project file, in any .rst
of the overlaid tree, the way Documentation/sphinx/kerneldoc.py runs it.

Usage: directives.py KSRC REPO

A directive fails when kernel-doc warns, exits nonzero or prints nothing
(a ':doc:' section or ':identifiers:' name that is not there). Prints one
line per failure and a summary; exits 1 on a failure.
"""
import os
import re
import subprocess
import sys

DIRECTIVE = re.compile(r"^\.\. kernel-doc::\s+(\S+)\s*$")
OPTION = re.compile(r"^\s+:(\w[\w-]*):\s*(.*)$")


def directives(rst):
    """Yield (line number, path, {option: value}) for each directive."""
    with open(rst, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    for n, line in enumerate(lines):
        m = DIRECTIVE.match(line)
        if not m:
            continue
        opts = {}
        for opt in lines[n + 1:]:
            o = OPTION.match(opt)
            if not o:
                break
            opts[o.group(1)] = o.group(2).strip()
        yield n + 1, m.group(1), opts


def command(ksrc, path, opts):
    cmd = ["perl", os.path.join(ksrc, "scripts", "kernel-doc"), "-rst", "-Werror"]
    if "export" in opts:
        cmd.append("-export")
    elif "internal" in opts:
        cmd.append("-internal")
    elif "doc" in opts:
        cmd += ["-function", opts["doc"]]
    for key in ("functions", "identifiers"):
        for name in opts.get(key, "").split():
            cmd += ["-function", name]
    return cmd + [os.path.join(ksrc, path)]


def main(ksrc, repo):
    checked, failures = 0, []
    for root, _, files in os.walk(os.path.join(ksrc, "Documentation")):
        for name in sorted(files):
            if not name.endswith(".rst"):
                continue
            rst = os.path.join(root, name)
            where = os.path.relpath(rst, ksrc)
            for n, path, opts in directives(rst):
                if not os.path.isfile(os.path.join(repo, path)):
                    continue  # not a project file
                checked += 1
                run = subprocess.run(command(ksrc, path, opts), capture_output=True,
                                     text=True, check=False)
                what = " ".join(f":{k}: {v}".rstrip() for k, v in opts.items())
                problem = None
                if run.returncode or "warning:" in run.stderr or "error:" in run.stderr:
                    problem = run.stderr.strip().splitlines()[:1] or [f"exit {run.returncode}"]
                    problem = problem[0]
                elif not run.stdout.strip():
                    problem = "kernel-doc printed nothing"
                if problem:
                    failures.append(f"docs: {where}:{n}: {path} {what}: {problem}")
    for line in failures:
        print(line)
    print(f"docs: {checked} kernel-doc directive(s) on project files, {len(failures)} failed")
    return 1 if failures or not checked else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[3], file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
