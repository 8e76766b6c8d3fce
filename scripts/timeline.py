#!/usr/bin/env python3
"""Turn the scheduler's trace events in a kernel log into a timeline.

Usage: timeline.py LOG OUTDIR [--expect-jobs N] [--expect-deps N]

LOG is a console log of a KUnit run booted with the gpu_scheduler events
printed to the console ("trace_event=gpu_scheduler tp_printk", see
scripts/timeline.sh). Each record is a printk line such as

  [    1.234567] drm_sched_job_queue: dev=, fence=12:1, ring=mock, ...

in the print formats of the uAPI events (gpu_scheduler_trace.h). A job is
named by its finished fence (context:seqno); its entity by that context
(every entity has a finished-fence context of its own); its ring by the
ring= field. KTAP lines name the suite and case a record belongs to.

Writes OUTDIR/timeline.json (Chrome trace-event format, which the Perfetto
UI and chrome://tracing open) and OUTDIR/timeline.svg (one lane per entity
and per ring, a bar per job from queue through run to done, an arrow per
dependency between two jobs of the trace, unfinished jobs in red), and
prints one summary line. With --expect-*, exits 1 when the counts differ.
"""
import argparse
import json
import os
import re
import sys
from xml.sax.saxutils import escape

RECORD = re.compile(
    r"\[\s*(?P<ts>\d+\.\d+)\]\s+(?P<event>drm_sched_job_(?:queue|run|done|add_dep|unschedulable)):"
    r" (?P<body>.*)$")
FENCE = re.compile(r"fence=(\d+):(\d+)")
RING = re.compile(r", ring=([^,]*),")
SUITE = re.compile(r"^(?:\[[ \d.]+\])?\s*# Subtest: (\S+)")
CASE_END = re.compile(r"^(?:\[[ \d.]+\])?\s*(?:not )?ok \d+ (\S+)")


class Job:
    def __init__(self, fence):
        self.fence = fence
        self.case = ""
        self.ring = None
        self.queue = self.run = self.done = None
        self.deps = []          # fences this job depends on
        self.waits = []         # fences it waited on, unsignalled


def parse(lines):
    """Returns ({fence: Job}, records seen)."""
    jobs, records = {}, 0
    suite, pending = "", []   # jobs of the case still running
    for line in lines:
        m = SUITE.match(line)
        if m:
            suite = m.group(1)
            continue
        m = CASE_END.match(line)
        if m and not RECORD.search(line):
            for job in pending:
                job.case = f"{suite}.{m.group(1)}"
            pending = []
            continue
        m = RECORD.search(line)
        if not m:
            continue
        fences = FENCE.findall(m.group("body"))
        if not fences:
            continue
        records += 1
        ts = float(m.group("ts")) * 1e6   # microseconds
        key = "%s:%s" % fences[0]
        job = jobs.get(key)
        if job is None:
            job = jobs[key] = Job(key)
            pending.append(job)
        event = m.group("event")
        if event in ("drm_sched_job_queue", "drm_sched_job_run"):
            ring = RING.search(m.group("body"))
            if ring:
                job.ring = ring.group(1)
            if event.endswith("queue"):
                job.queue = ts if job.queue is None else job.queue
            else:
                job.run = ts if job.run is None else job.run
        elif event == "drm_sched_job_done":
            job.done = ts if job.done is None else job.done
        elif len(fences) > 1:
            # A record may be printed twice, once per trace instance.
            dep = "%s:%s" % fences[1]
            seen = job.deps if event.endswith("add_dep") else job.waits
            if dep not in seen:
                seen.append(dep)
    return jobs, records


def entity_of(fence):
    return "entity " + fence.split(":")[0]


def chrome_trace(jobs):
    """The jobs as Chrome trace events: one process per kind of lane."""
    events, tids = [], {}

    def lane(pid, name):
        key = (pid, name)
        if key not in tids:
            tids[key] = len(tids) + 1
            events.append({"ph": "M", "name": "thread_name", "pid": pid,
                           "tid": tids[key], "args": {"name": name}})
        return tids[key]

    events.append({"ph": "M", "name": "process_name", "pid": 1,
                   "args": {"name": "entities"}})
    events.append({"ph": "M", "name": "process_name", "pid": 2,
                   "args": {"name": "rings"}})
    flow = 0
    for job in jobs.values():
        start = job.queue if job.queue is not None else job.run
        if start is None:
            continue
        end = job.done if job.done is not None else (job.run or start)
        args = {"fence": job.fence, "case": job.case, "ring": job.ring,
                "finished": job.done is not None}
        tid = lane(1, entity_of(job.fence))
        events.append({"ph": "X", "name": "job " + job.fence, "cat": "job",
                       "pid": 1, "tid": tid, "ts": start,
                       "dur": max(end - start, 0.001), "args": args})
        if job.run is not None and job.ring is not None:
            events.append({"ph": "X", "name": "run " + job.fence, "cat": "run",
                           "pid": 2, "tid": lane(2, "ring " + job.ring),
                           "ts": job.run,
                           "dur": max(end - job.run, 0.001), "args": args})
        for dep in job.deps:
            src = jobs.get(dep)
            if src is None or src.done is None:
                continue
            # On the same ring a job only waits until its dependency runs.
            sx = src.run if src.ring == job.ring and src.run is not None else src.done
            flow += 1
            events.append({"ph": "s", "name": "dependency", "cat": "dep",
                           "id": flow, "pid": 1,
                           "tid": lane(1, entity_of(src.fence)), "ts": sx})
            events.append({"ph": "f", "bp": "e", "name": "dependency",
                           "cat": "dep", "id": flow, "pid": 1, "tid": tid,
                           "ts": max(job.run or start, sx)})
    return {"traceEvents": events, "displayTimeUnit": "ns"}


def pack(spans):
    """Rows for (key, start, end) spans, so that no two in a row overlap."""
    rows, where = [], {}
    for key, start, end in sorted(spans, key=lambda sp: sp[1]):
        for i, last in enumerate(rows):
            if last <= start:
                rows[i] = end
                break
        else:
            i = len(rows)
            rows.append(end)
        where[key] = i
    return where, max(len(rows), 1)


def svg(jobs):
    """A plain SVG timeline; times relative to the first record."""
    shown = [j for j in jobs.values() if j.queue is not None or j.run is not None]
    if not shown:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">' \
               '<text x="10" y="25">no scheduler events</text></svg>\n'
    t0 = min(j.queue if j.queue is not None else j.run for j in shown)
    t1 = max(max(t for t in (j.queue, j.run, j.done) if t is not None) for j in shown)

    def span(job, ring):
        start = job.run if ring else (job.queue if job.queue is not None else job.run)
        return start, job.done if job.done is not None else t1

    # Lanes: one per entity and per ring; overlapping jobs get rows of their own.
    lanes = {}
    for job in shown:
        lanes.setdefault(entity_of(job.fence), []).append((job.fence, *span(job, False)))
        if job.ring is not None and job.run is not None:
            lanes.setdefault("ring " + job.ring, []).append((job.fence, *span(job, True)))
    row_h, gap, left, width = 14, 10, 150, 1000
    top, layout = 30, {}
    for name, spans in lanes.items():
        where, nrows = pack(spans)
        layout[name] = (top, where)
        top += nrows * row_h + gap
    scale = (width - left - 20) / max(t1 - t0, 1.0)
    x = lambda t: left + (t - t0) * scale  # noqa: E731

    def y(name, fence):
        base, where = layout[name]
        return base + row_h * where[fence]

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{top + 10}" '
           'font-family="monospace" font-size="11">',
           '<defs><marker id="a" markerWidth="8" markerHeight="8" refX="8" refY="4" '
           'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker></defs>',
           f'<text x="10" y="16">DRM scheduler timeline: {len(shown)} jobs, '
           f'{t1 - t0:.0f} us; grey queued, green running, red never done</text>']
    for name, (base, _) in layout.items():
        out.append(f'<text x="10" y="{base + 11}">{escape(name)}</text>')
        out.append(f'<line x1="{left}" x2="{width - 20}" y1="{base - gap / 2}" '
                   f'y2="{base - gap / 2}" stroke="#eee"/>')
    for job in shown:
        start, end = span(job, False)
        run = job.run if job.run is not None else end
        colour = "#4a7" if job.done is not None else "#c33"
        title = escape(f"{job.fence} {job.case}"
                       f"{'' if job.done is not None else ' (never done)'}")
        ey = y(entity_of(job.fence), job.fence)
        out.append(f'<g><title>{title}</title>'
                   f'<rect x="{x(start):.1f}" y="{ey + 3}" width="{max(x(run) - x(start), 1):.1f}" '
                   f'height="8" fill="#bbb"/>'
                   f'<rect x="{x(run):.1f}" y="{ey + 1}" width="{max(x(end) - x(run), 1):.1f}" '
                   f'height="12" fill="{colour}"/></g>')
        if job.ring is not None and job.run is not None:
            ry = y("ring " + job.ring, job.fence)
            out.append(f'<rect x="{x(run):.1f}" y="{ry + 1}" '
                       f'width="{max(x(end) - x(run), 1):.1f}" height="12" '
                       f'fill="{colour}" opacity="0.7"><title>{title}</title></rect>')
        for dep in job.deps:
            src = jobs.get(dep)
            if src is None or src.done is None or src not in shown:
                continue
            # On the same ring a job only waits until its dependency runs.
            sx = src.run if src.ring == job.ring and src.run is not None else src.done
            sy = y(entity_of(src.fence), src.fence) + 7
            out.append(f'<line x1="{x(sx):.1f}" y1="{sy}" x2="{x(run):.1f}" '
                       f'y2="{ey + 7}" stroke="#555" marker-end="url(#a)"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("log")
    ap.add_argument("outdir")
    ap.add_argument("--expect-jobs", type=int)
    ap.add_argument("--expect-deps", type=int)
    opts = ap.parse_args(argv[1:])

    with open(opts.log, errors="replace") as f:
        jobs, records = parse(f.read().splitlines())
    os.makedirs(opts.outdir, exist_ok=True)
    trace = chrome_trace(jobs)
    with open(os.path.join(opts.outdir, "timeline.json"), "w") as f:
        json.dump(trace, f, indent=1)
    with open(os.path.join(opts.outdir, "timeline.svg"), "w") as f:
        f.write(svg(jobs))

    deps = sum(len(j.deps) for j in jobs.values())
    unfinished = sum(1 for j in jobs.values() if j.done is None)
    print(f"timeline: {records} records, {len(jobs)} jobs, {deps} dependencies, "
          f"{unfinished} never done; {opts.outdir}/timeline.json, "
          f"{opts.outdir}/timeline.svg")
    bad = False
    if opts.expect_jobs is not None and len(jobs) != opts.expect_jobs:
        print(f"timeline: {len(jobs)} jobs, expected {opts.expect_jobs}")
        bad = True
    if opts.expect_deps is not None and deps != opts.expect_deps:
        print(f"timeline: {deps} dependencies, expected {opts.expect_deps}")
        bad = True
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
