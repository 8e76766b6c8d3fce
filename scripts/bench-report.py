#!/usr/bin/env python3
"""Join the benchmark lines of two kernels into comparison rows.

Usage: bench-report.py OUT_DIR --base OUTPUT... --ours OUTPUT...

Each kernel prints lines 'bench <workload> n=<N> ns=<ns per op> [k=v ...]',
once per pass; a figure is the median over the passes given. Prints
'bench <workload> n=<N> base=<ns> ours=<ns> speedup=<base/ours>' per
workload and size, and writes OUT_DIR/bench.csv and OUT_DIR/bench.svg (cost
against N, log-log, base and ours).
"""
import argparse
import math
import re
import sys

LINE = re.compile(r'\bbench (\S+) n=(\d+) ns=(\d+)((?: \S+=\S+)*)')


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def parse(paths):
    """Median ns and median extras per (workload, n) over the files."""
    seen = {}
    for path in paths:
        with open(path, errors='replace') as f:
            for line in f:
                m = LINE.search(line)
                if m:
                    key = (m.group(1), int(m.group(2)))
                    extra = dict(kv.split('=', 1) for kv in m.group(4).split())
                    seen.setdefault(key, []).append((int(m.group(3)), extra))
    rows = {}
    for key, runs in seen.items():
        extra = {}
        for k in runs[0][1]:
            vals = [r[1][k] for r in runs if k in r[1]]
            if all(v.isdigit() for v in vals):
                extra[k] = str(median(int(v) for v in vals))
            else:
                extra[k] = vals[-1]
        rows[key] = (median(r[0] for r in runs), extra)
    return rows


def svg_plot(rows, path):
    workloads = sorted({w for w, _ in rows})
    panel_w, panel_h, cols = 360, 240, 3
    nrows = max(1, math.ceil(len(workloads) / cols))
    width, height = cols * panel_w, nrows * panel_h + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
           f'height="{height}" font-family="sans-serif" font-size="11">',
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="10" y="18" font-size="13">cost per op (ns) against N, '
           f'log-log: <tspan fill="#c0392b">base</tspan>, '
           f'<tspan fill="#2471a3">ours</tspan></text>']
    for i, w in enumerate(workloads):
        x0, y0 = (i % cols) * panel_w + 50, (i // cols) * panel_h + 50
        pw, ph = panel_w - 70, panel_h - 60
        pts = sorted((n, v) for (wl, n), v in rows.items() if wl == w)
        vals = [x for _, v in pts for x in v if x]
        ns = [n for n, _ in pts]
        if not vals:
            continue
        lx = (math.log10(min(ns)), math.log10(max(ns)) + 1e-9)
        ly = (math.log10(min(vals)) - 0.1, math.log10(max(vals)) + 0.1)

        def px(n):
            return x0 + (math.log10(n) - lx[0]) / (lx[1] - lx[0] or 1) * pw

        def py(v):
            return y0 + ph - (math.log10(v) - ly[0]) / (ly[1] - ly[0]) * ph
        out.append(f'<text x="{x0}" y="{y0 - 8}">{w}</text>')
        out.append(f'<rect x="{x0}" y="{y0}" width="{pw}" height="{ph}" '
                   f'fill="none" stroke="#999"/>')
        for n in ns:
            out.append(f'<text x="{px(n):.1f}" y="{y0 + ph + 14}" '
                       f'text-anchor="middle">{n}</text>')
        for e in range(math.ceil(ly[0]), math.floor(ly[1]) + 1):
            out.append(f'<text x="{x0 - 4}" y="{py(10 ** e) + 4:.1f}" '
                       f'text-anchor="end">1e{e}</text>')
        for k, colour in ((0, '#c0392b'), (1, '#2471a3')):
            line = [(px(n), py(v[k])) for n, v in pts if v[k]]
            if len(line) > 1:
                d = ' '.join(f'{x:.1f},{y:.1f}' for x, y in line)
                out.append(f'<polyline points="{d}" fill="none" '
                           f'stroke="{colour}" stroke-width="2"/>')
            for x, y in line:
                out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" '
                           f'fill="{colour}"/>')
    out.append('</svg>')
    with open(path, 'w') as f:
        f.write('\n'.join(out) + '\n')


def main():
    args = argparse.ArgumentParser(description='Compare benchmark passes.')
    args.add_argument('outdir')
    args.add_argument('--base', nargs='+', required=True)
    args.add_argument('--ours', nargs='+', required=True)
    opts = args.parse_args()
    base, ours, outdir = parse(opts.base), parse(opts.ours), opts.outdir
    keys = sorted(set(base) | set(ours), key=lambda k: (k[0], k[1]))
    if not keys:
        print('bench: no results (did the kernels run the suite?)')
        return 1
    csv = ['workload,n,base_ns,ours_ns,speedup,base_extra,ours_extra']
    plot = {}
    for w, n in keys:
        b, o = base.get((w, n)), ours.get((w, n))
        bns = b[0] if b else None
        ons = o[0] if o else None
        speed = f'{bns / ons:.2f}' if bns and ons else '-'
        print(f'bench {w} n={n} base={bns if bns is not None else "-"} '
              f'ours={ons if ons is not None else "-"} speedup={speed}')
        extra = ' '.join(f'{k}={v}' for k, v in
                         sorted({**(b[1] if b else {}), **(o[1] if o else {})}.items()))
        if extra:
            print(f'      {w} n={n} base: '
                  f'{" ".join(f"{k}={v}" for k, v in (b[1] if b else {}).items()) or "-"}'
                  f'  ours: {" ".join(f"{k}={v}" for k, v in (o[1] if o else {}).items()) or "-"}')
        csv.append(','.join([w, str(n), str(bns or ''), str(ons or ''),
                             speed if speed != '-' else '',
                             ' '.join(f'{k}={v}' for k, v in (b[1] if b else {}).items()),
                             ' '.join(f'{k}={v}' for k, v in (o[1] if o else {}).items())]))
        plot[(w, n)] = (bns or 0, ons or 0)
    with open(f'{outdir}/bench.csv', 'w') as f:
        f.write('\n'.join(csv) + '\n')
    svg_plot(plot, f'{outdir}/bench.svg')
    return 0


if __name__ == '__main__':
    sys.exit(main())
