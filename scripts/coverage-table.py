#!/usr/bin/env python3
"""Print a per-file coverage table from an lcov tracefile.

usage: coverage-table.py TRACEFILE SRC [--min PCT]

One row per source file (path relative to SRC): lines, functions and
branches hit/found with percentages, then one row per directory and a total.
With --min, exits 1 when the total line coverage is below PCT.
"""
import argparse
import os
import sys


def parse(path):
    files = {}
    cur = None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith('SF:'):
                cur = files.setdefault(line[3:], [0] * 6)
            elif cur is None:
                continue
            else:
                key, _, val = line.partition(':')
                idx = {'LH': 0, 'LF': 1, 'FNH': 2, 'FNF': 3, 'BRH': 4, 'BRF': 5}.get(key)
                if idx is not None:
                    cur[idx] += int(val)
                elif line == 'end_of_record':
                    cur = None
    return files


def pct(hit, found):
    return 100.0 * hit / found if found else 100.0


def row(name, c):
    return (f'{name:<48} {c[0]:>5}/{c[1]:<5} {pct(c[0], c[1]):5.1f}%  '
            f'{c[2]:>4}/{c[3]:<4} {pct(c[2], c[3]):5.1f}%  '
            f'{c[4]:>5}/{c[5]:<5} {pct(c[4], c[5]):5.1f}%')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('tracefile')
    ap.add_argument('src')
    ap.add_argument('--min', type=float)
    a = ap.parse_args()
    files = parse(a.tracefile)
    if not files:
        print('coverage: the tracefile holds no production file', file=sys.stderr)
        return 1
    src = os.path.realpath(a.src)
    print(f'{"file":<48} {"lines":>13}  {"functions":>12}  {"branches":>13}')
    dirs = {}
    total = [0] * 6
    for path in sorted(files):
        rel = os.path.relpath(os.path.realpath(path), src)
        c = files[path]
        print(row(rel, c))
        d = dirs.setdefault(os.path.dirname(rel) + '/', [0] * 6)
        for i in range(6):
            d[i] += c[i]
            total[i] += c[i]
    for d in sorted(dirs):
        print(row(d, dirs[d]))
    print(row('total', total))
    if a.min is not None and pct(total[0], total[1]) < a.min:
        print(f'coverage: {pct(total[0], total[1]):.1f}% of lines, below {a.min}%',
              file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
