"""Where a build's rendering time goes: each kind of page, in this process, one core.

    python benchmarks/render_time.py [S|M|L] [--repeat N]

Generates the benchmark site of that size (benchmarks/gen_site.py) into /dev/shm when it
is not there, reads it once, then runs every render job of a build (pages and feeds, as
the timed builds of bench.py) N times and prints, per kind of output, the best total and
the time per page. The numbers behind "where the time goes" in the notes of issue 7.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gen_site  # noqa: E402

from scholarsite.build import load_site, plan_site  # noqa: E402
from scholarsite.deps import TrackedSite  # noqa: E402
from scholarsite.errors import Diagnostics  # noqa: E402


def kind(path: str) -> str:
    """The kind of an output path: a landing page, a post, or the path itself."""
    parts = path.split("/")
    if len(parts) == 3 and parts[0] == "publications":
        return "landing page"
    if len(parts) == 3 and parts[0] == "news":
        return "news post"
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", nargs="?", default="L", choices=("S", "M", "L"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path("/dev/shm" if Path("/dev/shm").is_dir() else "/tmp") / f"render-time-{args.size}"
    if not (work / "scholarsite").is_dir():
        gen_site.generate(args.size, work)
    gc.disable()
    started = time.perf_counter()
    site, theme, _ = load_site(work / "scholarsite")
    print(f"read: {time.perf_counter() - started:.3f} s")
    best: dict[str, float] = {}
    count: Counter[str] = Counter()
    for _ in range(args.repeat):  # a new plan each time: nothing memoized carries over
        jobs = plan_site(TrackedSite(site), theme, Diagnostics(), pdf=False, cite=False)
        spent: Counter[str] = Counter()
        count.clear()
        for job in jobs:
            start = time.perf_counter()
            job()
            spent[kind(job.key)] += time.perf_counter() - start
            count[kind(job.key)] += 1
        for name, seconds in spent.items():
            best[name] = min(best.get(name, seconds), seconds)
    print(f"render, one core: {sum(best.values()):.3f} s")
    for name, seconds in sorted(best.items(), key=lambda kv: -kv[1])[:12]:
        each = seconds / count[name] * 1e6
        print(f"  {name:28} {seconds * 1000:9.1f} ms  {count[name]:5} x {each:8.0f} us")


if __name__ == "__main__":
    main()
