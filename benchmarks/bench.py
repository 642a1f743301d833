"""Build-speed benchmark: scholarsite against Hugo and Jekyll, same sites, same run.

    python benchmarks/bench.py [--sizes S,M,L] [--runs N] [--quick] [--with-jekyll-l]

For each size (benchmarks/gen_site.py makes the three equivalent sites) every tool is timed
as a whole process over N runs after a warm-up, runs of the tools interleaved, for:

- clean: a fresh output folder (scholarsite `--clean`: its cache is ignored and rewritten;
  Jekyll's `.jekyll-cache` removed);
- no change: the same build again over the previous output;
- one edit: after `gen_site.edit_one_publication` changed one publication's title.

Sites and outputs live on a tmpfs (/dev/shm): this VM's disk is erratic. Peak memory is
the largest process's maximum RSS (`wait4`), and the whole process tree's PSS sampled every
10 ms. The timed scholarsite build makes what the Hugo and Jekyll sites make (pages and
feeds: `--no-search --no-pdf --no-cite`); the search index, the CV PDF, the cite exports and
image resizing are rows of their own, as are start-up (`--help`) and the in-process rebuild
after one edit. Results: benchmarks/results/bench.md (a Markdown table) and bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import gen_site  # noqa: E402

SIZES = ("S", "M", "L")
TOOLS = ("scholarsite", "hugo", "jekyll")
SCENARIOS = ("clean", "nochange", "edit")
SCENARIO_NAMES = {
    "clean": "clean build",
    "nochange": "no-change rebuild",
    "edit": "rebuild after one edit",
}
#: What the timed scholarsite build makes: the pages and feeds the other two tools make.
SS_FLAGS = ("--no-search", "--no-pdf", "--no-cite")


# -- running and measuring ----------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    rss_kb: int  # the largest process's peak RSS (wait4)
    tree_kb: int  # the process tree's PSS, sampled (0 when not sampled)
    output: str = ""


class TreeSampler(threading.Thread):
    """Polls the RSS of a process and its descendants (from /proc) every `interval` s."""

    def __init__(self, pid: int, interval: float = 0.01) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kb = pid, interval, 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.peak_kb = max(self.peak_kb, _tree_pss_kb(self.pid))
            self.stopped.wait(self.interval)


def _tree_pss_kb(pid: int) -> int:
    """The proportional set size of a process and its descendants: memory shared by forked
    processes (copy-on-write) counted once, unlike a sum of RSS."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


def run_timed(cmd: list[str], env: dict[str, str], *, sample: bool = False) -> Run:
    """Run `cmd` to completion: wall time, peak RSS; raises on a non-zero exit."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        sampler = TreeSampler(proc.pid) if sample and os.path.isdir("/proc") else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if sampler:
            sampler.stopped.set()
            sampler.join()
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}:\n{text[-3000:]}")
    return Run(seconds, usage.ru_maxrss, sampler.peak_kb if sampler else 0, text)


def tool_env(workdir: Path) -> dict[str, str]:
    """The environment of the timed tools: Python keeps compiled bytecode (as after a normal
    install; this sandbox sets PYTHONDONTWRITEBYTECODE), in the work folder, not the repo."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    env["NO_COLOR"] = "1"
    return env


def scholarsite_exe() -> str:
    exe = Path(sys.executable).parent / "scholarsite"
    return str(exe) if exe.exists() else (shutil.which("scholarsite") or "scholarsite")


# -- results ------------------------------------------------------------------------------------


@dataclass
class Row:
    size: str
    scenario: str
    tool: str
    command: str
    runs: list[float] = field(default_factory=list)
    rss_mb: float = 0.0
    tree_pss_mb: float = 0.0
    note: str = ""
    skipped: bool = False

    @property
    def median(self) -> float | None:
        return statistics.median(self.runs) if self.runs else None

    def as_dict(self, hugo: float | None, jekyll: float | None) -> dict:
        data = asdict(self)
        med = self.median
        data.update(
            median=med,
            min=min(self.runs) if self.runs else None,
            max=max(self.runs) if self.runs else None,
            ratio_vs_hugo=(med / hugo) if med is not None and hugo else None,
            speedup_vs_jekyll=(jekyll / med) if med and jekyll else None,
        )
        return data


@dataclass
class Extra:
    size: str
    name: str
    how: str
    runs: list[float] = field(default_factory=list)
    rss_mb: float = 0.0
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.runs) if self.runs else None

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(
            median=self.median,
            min=min(self.runs) if self.runs else None,
            max=max(self.runs) if self.runs else None,
        )
        return data


# -- the benchmark ------------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work = Path(args.workdir)
        self.env = tool_env(self.work)
        self.rows: list[Row] = []
        self.extras: list[Extra] = []
        self.have = {t: t == "scholarsite" or shutil.which(t) is not None for t in TOOLS}
        self.exe = scholarsite_exe()

    def log(self, message: str) -> None:
        if not self.args.json_only:
            print(message, file=sys.stderr, flush=True)

    # commands
    def command(self, tool: str, size: str, scenario: str, extra: tuple[str, ...] = ()) -> list:
        site, out = self.site(size, tool), self.out(size, tool)
        if tool == "scholarsite":
            clean = ("--clean",) if scenario == "clean" else ()
            return [self.exe, "build", str(site), "-o", str(out), *SS_FLAGS, *clean, *extra]
        if tool == "hugo":
            return ["hugo", "--quiet", "-s", str(site), "-d", str(out)]
        return ["jekyll", "build", "--quiet", "-s", str(site), "-d", str(out)]

    def site(self, size: str, tool: str) -> Path:
        return self.work / size / tool

    def out(self, size: str, tool: str) -> Path:
        return self.work / f"out-{size}-{tool}"

    def prepare(self, tool: str, size: str, scenario: str) -> None:
        """Untimed: what the scenario needs before the timed run."""
        if scenario == "clean":
            shutil.rmtree(self.out(size, tool), ignore_errors=True)
            if tool == "jekyll":
                shutil.rmtree(self.site(size, tool) / ".jekyll-cache", ignore_errors=True)
        elif scenario == "edit":
            gen_site.edit_one_publication(self.work / size, tool)

    # one size
    def run_size(self, size: str) -> None:
        self.log(f"== size {size}: generating the sites")
        gen_site.generate(size, self.work / size)
        tools = [t for t in self.args.tools if t in TOOLS]
        active = []
        for tool in tools:
            row_note = ""
            if not self.have[tool]:
                row_note = f"{tool} is not installed: skipped"
            elif tool == "jekyll" and size == "L" and not self.args.with_jekyll_l:
                row_note = "skipped at L (about 33 s a run): --with-jekyll-l to include"
            if row_note:
                for scenario in SCENARIOS:
                    self.rows.append(Row(size, scenario, tool, "", note=row_note, skipped=True))
            else:
                active.append(tool)
        for scenario in SCENARIOS:
            rows = {}
            for tool in active:
                cmd = self.command(tool, size, scenario)
                rows[tool] = Row(size, scenario, tool, " ".join(_short(c) for c in cmd))
                self.prepare(tool, size, scenario)
                run_timed(cmd, self.env)  # warm-up
            for i in range(self.args.runs):
                for tool in active:
                    self.prepare(tool, size, scenario)
                    run = run_timed(self.command(tool, size, scenario), self.env)
                    row = rows[tool]
                    row.runs.append(run.seconds)
                    row.rss_mb = max(row.rss_mb, run.rss_kb / 1024)
                    self.log(f"  {size} {scenario:<8} {tool:<11} run {i + 1}: {run.seconds:.3f} s")
            for tool in active:  # memory: one more run, sampled (reading PSS costs time)
                self.prepare(tool, size, scenario)
                run = run_timed(self.command(tool, size, scenario), self.env, sample=True)
                rows[tool].tree_pss_mb = run.tree_kb / 1024
                rows[tool].note = NOTES.get((tool, scenario), "")
                self.rows.append(rows[tool])
        if "scholarsite" in active and not self.args.no_extras:
            self.run_extras(size)

    # rows of their own
    def run_extras(self, size: str) -> None:
        runs = self.args.runs
        site, out = self.site(size, "scholarsite"), self.work / f"extra-{size}"
        exe = self.exe

        def whole(name: str, how: str, cmd: Callable[[], list[str]], prep=None, note="") -> None:
            extra = Extra(size, name, how, note=note)
            for i in range(runs + 1):
                if prep:
                    prep()
                run = run_timed(cmd(), self.env)
                if i:  # the first run warms up
                    extra.runs.append(run.seconds)
                    extra.rss_mb = max(extra.rss_mb, run.rss_kb / 1024)
            self.extras.append(extra)
            self.log(f"  {size} {name}: {extra.median:.3f} s")

        def fresh() -> None:
            shutil.rmtree(out, ignore_errors=True)

        whole(
            "clean build, every output (no search)",
            "scholarsite build --clean --no-search (+ cv.pdf and cite exports)",
            lambda: [exe, "build", str(site), "-o", str(out), "--clean", "--no-search"],
            fresh,
        )
        whole(
            "CV PDF alone",
            "scholarsite cv SITE -o OUT/cv.pdf (whole process)",
            lambda: [exe, "cv", str(site), "-o", str(out / "cv.pdf")],
            fresh,
        )
        # the search index: a clean build with it, and its own stage from --timings
        search = Extra(
            size, "clean build with search index", "scholarsite build --clean (pagefind)"
        )
        stage = Extra(size, "search index alone (pagefind stage)", "the 'search' line of --timings")
        for i in range(min(runs, 3) + 1):
            fresh()
            flags = ["--clean", "--timings", "--no-pdf", "--no-cite"]
            run = run_timed([exe, "build", str(site), "-o", str(out), *flags], self.env)
            m = re.search(r"^\s*search\s+([\d.]+) ms", run.output, re.M)
            if i:
                search.runs.append(run.seconds)
                search.rss_mb = max(search.rss_mb, run.rss_kb / 1024)
                if m:
                    stage.runs.append(float(m.group(1)) / 1000)
        self.extras += [search, stage]
        self.log(f"  {size} search: {stage.median or 0:.3f} s")
        # in-process measurements: cite exports, image resizing, one edit
        cmd = [sys.executable, str(Path(__file__)), "--inprocess", size, "--runs", str(runs)]
        cmd += ["--workdir", str(self.work)]
        run = run_timed(cmd, self.env)
        for data in json.loads(run.output.strip().splitlines()[-1]):
            self.extras.append(Extra(**data))
            self.log(f"  {size} {data['name']}: {statistics.median(data['runs']):.3f} s")
        if size == self.args.sizes[0]:
            help_row = Extra(size, "start-up: scholarsite --help", "whole process")
            for i in range(max(runs, 10) + 1):
                run = run_timed([exe, "--help"], self.env)
                if i:
                    help_row.runs.append(run.seconds)
                    help_row.rss_mb = max(help_row.rss_mb, run.rss_kb / 1024)
            self.extras.append(help_row)

    def run(self) -> dict:
        started = time.time()
        load_before = os.getloadavg()
        for size in self.args.sizes:
            self.run_size(size)
        result = {
            "machine": machine_facts(self.exe, self.env),
            "settings": {
                "sizes": self.args.sizes,
                "runs": self.args.runs,
                "tools": self.args.tools,
                "with_jekyll_l": self.args.with_jekyll_l,
                "workdir": str(self.work),
                "tmpfs": _is_tmpfs(self.work),
                "scholarsite_flags": list(SS_FLAGS),
                "load_average_before": load_before,
                "load_average_after": os.getloadavg(),
                "seconds": round(time.time() - started, 1),
            },
            "rows": [],
            "extras": [e.as_dict() for e in self.extras],
        }
        for row in self.rows:
            hugo = self._median(row.size, row.scenario, "hugo")
            jekyll = self._median(row.size, row.scenario, "jekyll")
            result["rows"].append(row.as_dict(hugo, jekyll))
        result["targets"] = targets(result)
        return result

    def _median(self, size: str, scenario: str, tool: str) -> float | None:
        for row in self.rows:
            if (row.size, row.scenario, row.tool) == (size, scenario, tool):
                return row.median
        return None


NOTES = {
    ("scholarsite", "clean"): "--clean: cache ignored, then rewritten",
    ("scholarsite", "nochange"): "inputs and output checked, nothing rendered",
    ("scholarsite", "edit"): "cache reused, every page rendered",
    ("hugo", "nochange"): "Hugo renders everything again",
    ("hugo", "edit"): "Hugo renders everything again",
    ("jekyll", "clean"): ".jekyll-cache removed",
    ("jekyll", "nochange"): "not --incremental: renders everything",
    ("jekyll", "edit"): "not --incremental: renders everything",
}


def _short(part: str) -> str:
    """A command part without the work folder (for the table)."""
    return re.sub(r"^.*/(out-|extra-)", r"\1", re.sub(r"^.*/([SML]/)", r"\1", part))


def _is_tmpfs(path: Path) -> bool:
    try:
        found = subprocess.run(["stat", "-f", "-c", "%T", str(path)], capture_output=True)
        return found.stdout.decode().strip() in ("tmpfs", "ramfs")
    except OSError:
        return False


# -- in-process measurements (run in a subprocess of their own) ---------------------------------


def inprocess(size: str, runs: int, work: Path) -> list[dict]:
    """Cite exports, image resizing and one edit, timed inside one Python process."""
    from scholarsite.build import build, load_site
    from scholarsite.cache import Cache
    from scholarsite.deps import TrackedSite
    from scholarsite.incremental import Incremental
    from scholarsite.outputs.cite import CiteFiles
    from scholarsite.outputs.images import plan_images
    from scholarsite.write import write_tree

    src = work / size / "scholarsite"
    results = []

    def timed(fn: Callable[[], object]) -> float:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start

    def rss_mb() -> float:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # cite exports: render the jobs and write them into a fresh folder
    site, _, _ = load_site(src)
    cite_out = work / f"cite-{size}"

    def cite() -> None:
        shutil.rmtree(cite_out, ignore_errors=True)
        tracked = TrackedSite(site)
        write_tree((o for job in CiteFiles(tracked).jobs() for o in job()), cite_out)

    cite()
    times = [timed(cite) for _ in range(runs)]
    n = len(site.publications)
    results.append(
        {
            "size": size,
            "name": "cite exports alone",
            "how": f"in-process: cite.bib/.ris/.json of {n} papers + publications.bib, written",
            "runs": times,
            "rss_mb": rss_mb(),
            "note": f"{3 * n + 1} files",
        }
    )

    # image resizing: a copy of the site with a large JPEG photo and 10 thumbnails
    img_site = work / f"img-{size}"
    shutil.rmtree(img_site, ignore_errors=True)
    shutil.copytree(src, img_site, ignore=shutil.ignore_patterns(".scholarsite-cache"))
    made = _raster_images(img_site)

    def resize() -> None:
        from scholarsite.outputs import images

        images._ENCODED.clear()  # its in-memory cache would make repeats free
        plan = plan_images(load_site(img_site)[0])
        for _ in plan.outputs():
            pass

    resize()
    times = [timed(resize) for _ in range(runs)]
    results.append(
        {
            "size": size,
            "name": "image resizing alone",
            "how": f"in-process: {made} (WebP, AVIF when available), site read included",
            "runs": times,
            "rss_mb": rss_mb(),
            "note": "the benchmark sites have only an SVG photo: this uses a copy with JPEGs",
        }
    )

    # one edit, in-process: the build API with its cache, and the engine of `serve`
    edit_site = work / f"edit-{size}"
    shutil.rmtree(edit_site, ignore_errors=True)
    shutil.copytree(src, edit_site, ignore=shutil.ignore_patterns(".scholarsite-cache"))
    edit_out = work / f"edit-out-{size}"
    shutil.rmtree(edit_out, ignore_errors=True)
    flags = {"search": False, "pdf": False, "cite": False}
    build(edit_site, edit_out, **flags)
    times = []
    for i in range(runs + 1):
        gen_site.edit_one_publication(edit_site, "scholarsite")
        seconds = timed(lambda: build(edit_site, edit_out, **flags))
        if i:
            times.append(seconds)
    results.append(
        {
            "size": size,
            "name": "one edit, in-process: build()",
            "how": "build(site, out) again in the same process after one title changed (cache on)",
            "runs": times,
            "rss_mb": rss_mb(),
            "note": "pages and feeds, as the timed builds",
        }
    )
    inc = Incremental(edit_site, drafts=False, cache=Cache.for_site(edit_site, edit_out))
    inc.rebuild()
    bib = edit_site / "publications.bib"
    times, rendered = [], 0
    for i in range(runs + 1):
        gen_site.edit_one_publication(edit_site, "scholarsite")
        start = time.perf_counter()
        outcome = inc.rebuild([bib])
        seconds = time.perf_counter() - start
        assert outcome.ok, outcome.errors
        if i:
            times.append(seconds)
            rendered = len(outcome.rendered)
    results.append(
        {
            "size": size,
            "name": "one edit, in-process: serve's incremental engine",
            "how": "Incremental.rebuild([publications.bib]): only the outputs the edit reaches",
            "runs": times,
            "rss_mb": rss_mb(),
            "note": f"{rendered} jobs rendered again (every output kind, cv.pdf included)",
        }
    )
    return results


def _raster_images(root: Path) -> str:
    """Give the site a 2400x1600 JPEG photo and four 1600x1000 JPEG thumbnails."""
    import random

    from PIL import Image

    rng = random.Random(7)

    def jpeg(path: Path, w: int, h: int) -> None:
        img = Image.new("RGB", (w // 8, h // 8))
        img.putdata([(rng.randrange(256), rng.randrange(256), 128) for _ in range(w * h // 64)])
        path.parent.mkdir(parents=True, exist_ok=True)
        img.resize((w, h)).save(path, quality=90)

    jpeg(root / "static/img/photo.jpg", 2400, 1600)
    config = root / "site.yaml"
    config.write_text(
        re.sub(r"photo: .*", "photo: img/photo.jpg", config.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    bib = root / "publications.bib"
    text = bib.read_text(encoding="utf-8")
    keys = re.findall(r"^@\w+\{([^,\s]+),", text, re.M)[:4]
    for i, key in enumerate(keys):
        jpeg(root / f"static/img/thumb{i}.jpg", 1600, 1000)
        text = text.replace(f"{{{key},", f"{{{key},\n  preview = {{img/thumb{i}.jpg}},", 1)
    bib.write_text(text, encoding="utf-8")
    return f"one 2400x1600 photo and {len(keys)} 1600x1000 thumbnails"


# -- report -------------------------------------------------------------------------------------


def machine_facts(exe: str, env: dict[str, str]) -> dict:
    def out(cmd: list[str]) -> str:
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
            return (done.stdout or done.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.SubprocessError):
            return "not installed"

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    git = out(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "scholarsite": out([exe, "--version"]) + f" (git {git}{'+changes' if dirty else ''})",
        "hugo": out(["hugo", "version"]),
        "jekyll": out(["jekyll", "--version"]),
        "pagefind": out([sys.executable, "-m", "pagefind", "--version"]),
    }


def _row(result: dict, size: str, scenario: str, tool: str) -> dict | None:
    for row in result["rows"]:
        if (row["size"], row["scenario"], row["tool"]) == (size, scenario, tool):
            return row
    return None


def _extra(result: dict, size: str, prefix: str) -> dict | None:
    for extra in result["extras"]:
        if extra["size"] == size and extra["name"].startswith(prefix):
            return extra
    return None


def targets(result: dict) -> list[dict]:
    """The issue's targets, each with what was measured."""
    found = []

    def add(name: str, limit: float, value: float | None, unit: str, better: str = "<=") -> None:
        if value is None:
            found.append({"target": name, "limit": limit, "measured": None, "met": None})
            return
        met = value <= limit if better == "<=" else value >= limit
        found.append({"target": name, "limit": limit, "measured": value, "unit": unit, "met": met})

    def ratio(size: str, scenario: str, base_scenario: str = "") -> float | None:
        ours = _row(result, size, scenario, "scholarsite")
        hugo = _row(result, size, base_scenario or scenario, "hugo")
        if not ours or not hugo or ours["median"] is None or hugo["median"] is None:
            return None
        return ours["median"] / hugo["median"]

    def jekyll_speedup(size: str) -> float | None:
        ours, jek = (
            _row(result, size, "clean", "scholarsite"),
            _row(result, size, "clean", "jekyll"),
        )
        if not ours or not jek or ours["median"] is None or jek["median"] is None:
            return None
        return jek["median"] / ours["median"]

    sizes = result["settings"]["sizes"]
    if "M" in sizes:
        add("clean build at M, x Hugo", 1.0, ratio("M", "clean"), "x")
        add("clean build at M, times faster than Jekyll", 5.0, jekyll_speedup("M"), "x", ">=")
        add(
            "no-change rebuild at M, x Hugo's clean build",
            0.5,
            ratio("M", "nochange", "clean"),
            "x",
        )
        edit = _extra(result, "M", "one edit, in-process: build()")
        add("one edit at M in-process (build())", 0.1, edit and edit["median"], "s")
        edit = _extra(result, "M", "one edit, in-process: serve's")
        add("one edit at M in-process (serve's engine)", 0.1, edit and edit["median"], "s")
    if "L" in sizes:
        add("clean build at L, x Hugo", 0.7, ratio("L", "clean"), "x")
        add("clean build at L, x Hugo (stretch)", 0.5, ratio("L", "clean"), "x")
        if result["settings"]["with_jekyll_l"]:
            add("clean build at L, times faster than Jekyll", 10.0, jekyll_speedup("L"), "x", ">=")
        add(
            "no-change rebuild at L, x Hugo's clean build",
            0.2,
            ratio("L", "nochange", "clean"),
            "x",
        )
        rows = [r for r in result["rows"] if r["size"] == "L" and r["tool"] == "scholarsite"]
        peak = max((r["rss_mb"] for r in rows), default=None)
        add("peak memory at L (MB, largest process RSS)", 300.0, peak, "MB")
        peak = max((r["tree_pss_mb"] for r in rows), default=None)
        add("peak memory at L (MB, all processes, PSS)", 300.0, peak, "MB")
    start = _extra(result, sizes[0], "start-up")
    add("scholarsite --help (s)", 0.1, start and start["median"], "s")
    return found


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def markdown(result: dict) -> str:
    m, s = result["machine"], result["settings"]
    lines = [
        "# Build speed: scholarsite, Hugo, Jekyll",
        "",
        f"Command: `{s.get('command', 'make bench')}`",
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, Linux {m['kernel']}, "
        f"Python {m['python']}; {m['scholarsite']}; {m['hugo']}; {m['jekyll']}; "
        f"pagefind {m['pagefind']}.",
        f"Sites and outputs on {'a tmpfs' if s['tmpfs'] else 'NOT a tmpfs'} ({s['workdir']}); "
        f"{s['runs']} timed runs after a warm-up, the tools' runs interleaved; load average "
        f"{s['load_average_before'][0]:.1f} before, {s['load_average_after'][0]:.1f} after "
        f"({s['seconds']:.0f} s in all).",
        "",
        "Timed scholarsite build: `scholarsite build SITE -o OUT "
        + " ".join(s["scholarsite_flags"])
        + "` (the pages and feeds the Hugo and Jekyll sites also make), whole process.",
        "Memory: the largest process's peak RSS (`wait4`, as `/usr/bin/time -f %M`); in "
        "brackets the peak PSS of all its processes (forked workers share memory: PSS counts "
        "it once), sampled every 10 ms in one more, untimed run.",
        "",
        "| size | scenario | tool | median | min | max | × Hugo | peak RSS (PSS) | note |",
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in result["rows"]:
        if row["skipped"]:
            lines.append(
                f"| {row['size']} | {SCENARIO_NAMES[row['scenario']]} | {row['tool']} "
                f"| – | – | – | – | – | {row['note']} |"
            )
            continue
        ratio = f"{row['ratio_vs_hugo']:.2f}×" if row["ratio_vs_hugo"] is not None else "–"
        note = row["note"]
        if row["speedup_vs_jekyll"] and row["tool"] == "scholarsite":
            jekyll = f"Jekyll ÷ this: {row['speedup_vs_jekyll']:.1f}×"
            note = f"{note}; {jekyll}" if note else jekyll
        rss = f"{row['rss_mb']:.0f} ({row['tree_pss_mb']:.0f}) MB"
        lines.append(
            f"| {row['size']} | {SCENARIO_NAMES[row['scenario']]} | {row['tool']} "
            f"| {_fmt(row['median'])} | {_fmt(row['min'])} | {_fmt(row['max'])} | {ratio} "
            f"| {rss} | {note} |"
        )
    lines += [
        "",
        "Rows of their own (scholarsite):",
        "",
        "| size | what | how | median | min | max | peak RSS | note |",
        "|---|---|---|---:|---:|---:|---:|---|",
    ]
    for e in result["extras"]:
        rss = f"{e['rss_mb']:.0f} MB" if e["rss_mb"] else "–"
        lines.append(
            f"| {e['size']} | {e['name']} | {e['how']} | {_fmt(e['median'])} | {_fmt(e['min'])} "
            f"| {_fmt(e['max'])} | {rss} | {e['note']} |"
        )
    lines += [
        "",
        "Targets (issue 7):",
        "",
        "| target | limit | measured | met |",
        "|---|---:|---:|---|",
    ]
    for t in result["targets"]:
        if t["measured"] is None:
            lines.append(f"| {t['target']} | {t['limit']} | not measured | – |")
            continue
        unit = t.get("unit", "")
        value = f"{t['measured']:.3f} {unit}" if unit != "MB" else f"{t['measured']:.0f} MB"
        lines.append(f"| {t['target']} | {t['limit']} | {value} | {'yes' if t['met'] else 'NO'} |")
    return "\n".join(lines) + "\n"


# -- command line -------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default=None, help="comma-separated, of S,M,L (default: all)")
    p.add_argument("--runs", type=int, default=None, help="timed runs per row (default 5)")
    p.add_argument("--quick", action="store_true", help="2 runs, sizes S and M")
    p.add_argument("--tools", default=",".join(TOOLS), help="comma-separated (default: all)")
    p.add_argument("--with-jekyll-l", action="store_true", help="time Jekyll at L too (slow)")
    p.add_argument("--no-extras", action="store_true", help="skip the rows of their own")
    p.add_argument("--workdir", help="where sites and outputs go (default: a folder in /dev/shm)")
    p.add_argument("--results", default=str(HERE / "results"), help="where bench.md/json go")
    p.add_argument("--keep", action="store_true", help="keep the work folder")
    p.add_argument("--json-only", action="store_true", help="no progress on stderr")
    p.add_argument("--inprocess", metavar="SIZE", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    default_sizes = "S,M" if args.quick else ",".join(SIZES)
    args.sizes = [s.strip().upper() for s in (args.sizes or default_sizes).split(",") if s.strip()]
    if any(s not in SIZES for s in args.sizes):
        p.error(f"--sizes: each of {', '.join(SIZES)}")
    args.runs = args.runs or (2 if args.quick else 5)
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.inprocess:
        print(json.dumps(inprocess(args.inprocess, args.runs, Path(args.workdir))))
        return 0
    own = args.workdir is None
    if own:
        base = "/dev/shm" if os.path.isdir("/dev/shm") else None
        args.workdir = tempfile.mkdtemp(prefix="scholarsite-bench-", dir=base)
    try:
        result = Bench(args).run()
    finally:
        if own and not args.keep:
            shutil.rmtree(args.workdir, ignore_errors=True)
    shown = " ".join(sys.argv[1:] if argv is None else argv)
    result["settings"]["command"] = f"python benchmarks/bench.py {shown}".strip()
    results = Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    (results / "bench.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    table = markdown(result)
    (results / "bench.md").write_text(table, encoding="utf-8")
    if not args.json_only:
        print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
