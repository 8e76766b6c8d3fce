#!/usr/bin/env python3
"""Count KUnit leaf cases in kunit.py's JSON: prints 'PASSED FAILED SKIPPED'.

Each parameter of a parameterized test is one case. A missing or empty file
prints '0 0 0'. With --failed, prints instead one line per case that did not
pass or skip, as 'suite.case' (parameters as 'suite.case.param').
"""
import json
import sys


def walk(group, counts, failed, path):
    for case in group.get("test_cases", []):
        status = case.get("status")
        key = {"PASS": 0, "SKIP": 2}.get(status, 1)
        counts[key] += 1
        if key == 1:
            failed.append(".".join(path + [case.get("name", "?")]))
    for sub in group.get("sub_groups", []):
        walk(sub, counts, failed, path + [sub.get("name", "?")])


def main(argv):
    want_failed = "--failed" in argv
    path = [a for a in argv if a != "--failed"][0]
    counts, failed = [0, 0, 0], []
    try:
        with open(path) as f:
            walk(json.load(f), counts, failed, [])
    except (OSError, ValueError):
        pass
    if want_failed:
        for name in failed:
            print(name)
    else:
        print(*counts)


if __name__ == "__main__":
    main(sys.argv[1:])
