#!/usr/bin/env python3
"""Count KUnit leaf cases in kunit.py's JSON: prints 'PASSED FAILED SKIPPED'.

Each parameter of a parameterized test is one case. A missing or empty file
prints '0 0 0'.
"""
import json
import sys


def walk(group, counts):
    for case in group.get("test_cases", []):
        status = case.get("status")
        key = {"PASS": 0, "SKIP": 2}.get(status, 1)
        counts[key] += 1
    for sub in group.get("sub_groups", []):
        walk(sub, counts)


def main(path):
    counts = [0, 0, 0]
    try:
        with open(path) as f:
            walk(json.load(f), counts)
    except (OSError, ValueError):
        pass
    print(*counts)


if __name__ == "__main__":
    main(sys.argv[1])
