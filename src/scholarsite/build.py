"""The build: load_config -> discover -> parse -> resolve -> plan -> render -> write.

`build` first hashes its inputs: when they match (by content) what the last build wrote
into the same output folder, and that folder is untouched, it stops there. The stages are
imported when a build runs them, so that check loads no Jinja2, Markdown or YAML.

Outputs are registered in `plan_site`: each kind of output gives `Job`s (see `deps`); a
job reads the site while it runs, which records what it depends on, so `serve` re-renders
only the jobs an edit reaches. An output class that yields `Output`s from `render()` can
be registered as one job with `Job(name, Cls(site, theme, diags).render)`.
"""

from __future__ import annotations

import functools
import gc
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .cache import Cache, input_stamp
from .deps import Job, TrackedSite
from .errors import Diagnostic, Diagnostics, UserError
from .model import Site, SourceLocation
from .outputs.output import Output
from .source import discover, site_folder
from .write import NewTree, check_not_site, clean_stale

if TYPE_CHECKING:
    from .theme import Theme

T = TypeVar("T")


@dataclass
class BuildReport:
    """What a build did: files written, warnings, time per stage."""

    out_dir: Path
    files: int = 0
    warnings: list[Diagnostic] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    up_to_date: bool = False  # nothing changed since the last build: nothing was written
    workers: int = 1  # processes that rendered

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


class _Clock:
    def __init__(self, report: BuildReport) -> None:
        self.report = report
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.timings[stage] = self.report.timings.get(stage, 0.0) + now - self.last
        self.last = now


def load_site(
    root: Path, *, drafts: bool = False, cache: Cache | None = None
) -> tuple[Site, Theme, list[Diagnostic]]:
    """Read and resolve a site folder; raises UserError with every problem found.

    With a `cache`, files already parsed (same content, same site.yaml) are not parsed again.
    """
    from .parse import load_config, parse  # the stages load when used: see the module doc
    from .resolve import resolve
    from .theme import load_theme

    diags = Diagnostics()
    config = load_config(root, diags)
    sources = discover(root)
    if cache is not None:
        cache.set_config(config_bytes(root))
    parsed = parse(root, config, sources, diags, cache=cache)
    site = resolve(parsed, str(root), diags, drafts=drafts)
    theme = load_theme(config.theme, root, diags, config)
    diags.raise_if_errors()
    return site, theme, diags.warnings


def config_bytes(root: Path) -> bytes:
    """The settings file as written (it salts every cached record)."""
    for name in ("site.yaml", "site.yml"):
        if (root / name).is_file():
            return (root / name).read_bytes()
    return b""


def plan_site(
    site: TrackedSite,
    theme: Theme,
    diags: Diagnostics,
    *,
    env: Any = None,
    store: Any = None,
    pdf: bool = True,
    cite: bool = True,
) -> list[Job]:
    """Every render job of the site, in output order. Register new kinds of output here.

    `env` is a Jinja2 environment to reuse (`serve` keeps one between edits); `store` keeps
    formatted references between builds (the build's `Cache`). `pdf` and `cite` off leave
    out cv.pdf and the cite exports (the pages still link them).
    """
    from .outputs.cite import CiteFiles
    from .outputs.cv import CvFiles
    from .outputs.feeds import FeedFiles
    from .outputs.html import HtmlPages
    from .outputs.images import plan_images
    from .outputs.redirects import RedirectFiles

    images = plan_images(site.site, diags)
    jobs = list(HtmlPages(site, theme, diags, images, env=env, store=store).jobs())
    pages = [job.key for job in jobs]
    if cite:
        jobs += CiteFiles(site).jobs()  # cite.bib|ris|json, publications.bib
    jobs += FeedFiles(site, diags, pages).jobs()  # atom.xml, sitemap.xml, robots.txt
    if pdf:
        jobs += CvFiles(site, theme, diags).jobs()  # cv.pdf
    jobs += RedirectFiles(site, diags).jobs()  # old permalinks -> new URLs
    jobs.append(Job("images", images.outputs, volatile=True))
    jobs.append(Job("static", lambda: _static_outputs(site, theme), volatile=True))
    return jobs


def render_site(
    site: Site, theme: Theme, *, store: Cache | None = None, pdf: bool = True, cite: bool = True
) -> tuple[list[Output], list[Diagnostic]]:
    """Render every output of the site in memory; raises UserError on template errors.

    `store` keeps costly results (CSL-formatted references) between builds."""
    diags = Diagnostics()
    jobs = plan_site(TrackedSite(site), theme, diags, store=store, pdf=pdf, cite=cite)
    outputs = [out for job in jobs for out in job()]
    diags.raise_if_errors()
    return outputs, diags.warnings


def build_cv(site_dir: Path | str = ".", out: Path | str | None = None) -> BuildReport:
    """Typeset only `cv.pdf` (default SITE_DIR/_site/cv.pdf); errors stop it unwritten."""
    from .outputs.cv import cv_pdf

    root = Path(site_dir)
    target = Path(out) if out is not None else root / "_site" / "cv.pdf"
    report = BuildReport(target)
    clock = _Clock(report)
    site, theme, warnings = load_site(root)
    diags = Diagnostics()
    pdf = cv_pdf(TrackedSite(site), theme, diags)
    diags.raise_if_errors()
    if pdf is None or pdf.data is None:
        where = SourceLocation(str(root))
        raise UserError([Diagnostic(where, "the theme has no CV template (cv/cv.typ)")])
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(pdf.data)
    tmp.replace(target)
    report.files, report.warnings = 1, warnings + diags.warnings
    clock.lap("cv")
    return report


def index_site(outputs: list[Output], out: Path) -> tuple[list[Output], list[Diagnostic]]:
    """The search index of the rendered pages (the one in `out` is reused if unchanged)."""
    from .outputs.search import search_index

    diags = Diagnostics()
    bundle = search_index(outputs, diags, previous=out if out.is_dir() else None)
    return bundle, diags.warnings


def _static_outputs(site: Site | TrackedSite, theme: Theme) -> Iterator[Output]:
    root = Path(site.root)
    for static_dir in theme.static_dirs:
        for path in sorted(static_dir.rglob("*")):
            if path.is_file():
                yield Output("assets/" + path.relative_to(static_dir).as_posix(), source=path)
    for rel in site.static_files:
        yield Output(rel.removeprefix("static/"), source=root / rel)


def write_site(
    site: Site,
    theme: Theme,
    out: Path,
    report: BuildReport,
    clock: _Clock,
    *,
    cache: Cache,
    force: bool,
    search: bool,
    pdf: bool,
    cite: bool,
    workers: int | None,
    progress: Callable[[int, int], None] | None,
) -> Diagnostics:
    """Render the site into a new tree beside `out` (as jobs finish, on every core for a
    large site), add the search index, and swap the tree into place; an error removes the
    new tree unseen. Returns the diagnostics; sets `report.files` and `report.workers`."""
    from .workers import render_jobs

    for attempt in (workers, 1):  # serially again if two jobs wrote one path
        diags = Diagnostics()
        jobs = plan_site(TrackedSite(site), theme, diags, store=cache, pdf=pdf, cite=cite)
        with NewTree(out, force=force) as tree:
            done = render_jobs(
                jobs, tree.add, diags, workers=attempt, keep=search, store=cache, progress=progress
            )
            if done.clash:
                continue
            diags.raise_if_errors()
            clock.lap("render")
            report.files, report.workers = done.count, done.workers
            if search:
                bundle, search_warnings = index_site(done.outputs or [], out)
                for item in bundle:
                    tree.add(item)
                report.files += len(bundle)
                diags.extend(search_warnings)
                clock.lap("search")
            tree.commit()
            clock.lap("write")
            break
    return diags


def _cycle_collection_paused(func: Callable[..., T]) -> Callable[..., T]:
    """Run `func` with Python's cyclic garbage collector paused: a build's objects are
    freed by reference counting, while the collector's passes over a large site's records
    took 14 % of the build (measured)."""

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> T:
        paused = gc.isenabled()
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            if paused:
                gc.enable()

    return run


@_cycle_collection_paused
def build(
    site_dir: Path | str = ".",
    out_dir: Path | str | None = None,
    *,
    drafts: bool = False,
    force: bool = False,
    clean: bool = False,
    search: bool = True,
    pdf: bool = True,
    cite: bool = True,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BuildReport:
    """Build the site folder into `out_dir` (default SITE_DIR/_site), atomically.

    Any error stops the build before anything is written; the previous output stays.
    The cache (SITE_DIR/.scholarsite-cache) is used unless `clean`, and rewritten.
    `search` adds the pagefind index (seconds on big sites: `serve` leaves it out); `pdf`
    and `cite` off leave out cv.pdf and the cite exports. Large sites render on every core
    (`workers`: how many processes; 1 renders here alone); `progress(done, total)` is
    called as render jobs finish.
    """
    root = site_folder(site_dir)
    out = Path(out_dir) if out_dir is not None else root / "_site"
    check_not_site(out, root)
    report = BuildReport(out)
    clock = _Clock(report)
    cache = Cache.for_site(root, out, clean=clean)
    options = {"search": str(search), "pdf": str(pdf), "cite": str(cite)}
    stamp = input_stamp(root, drafts=drafts, extra=options)
    fresh = None if clean else cache.fresh_output(out, stamp)
    clock.lap("check")
    if fresh is not None:
        report.files, report.warnings = fresh
        report.up_to_date = True
        return report
    site, theme, warnings = load_site(root, drafts=drafts, cache=cache)
    clock.lap("read")
    clean_stale(out)
    diags = write_site(
        site, theme, out, report, clock, cache=cache, force=force, search=search,
        pdf=pdf, cite=cite, workers=workers, progress=progress,
    )  # fmt: skip
    report.warnings = warnings + diags.warnings
    cache.save()
    cache.record_output(out, stamp, report.files, report.warnings)
    clock.lap("cache")
    return report
