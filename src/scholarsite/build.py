"""The build: load_config -> discover -> parse -> resolve -> render -> write."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Diagnostic, Diagnostics, UserError
from .model import Site, SourceLocation
from .outputs.html import HtmlPages
from .outputs.output import Output
from .parse import load_config, parse
from .resolve import resolve
from .source import discover
from .theme import Theme, load_theme
from .write import clean_stale, write_tree


@dataclass
class BuildReport:
    """What a build did: files written, warnings, time per stage."""

    out_dir: Path
    files: int = 0
    warnings: list[Diagnostic] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

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


def load_site(root: Path, *, drafts: bool = False) -> tuple[Site, Theme, list[Diagnostic]]:
    """Read and resolve a site folder; raises UserError with every problem found."""
    diags = Diagnostics()
    config = load_config(root, diags)
    sources = discover(root)
    parsed = parse(root, config, sources, diags)
    site = resolve(parsed, str(root), diags, drafts=drafts)
    theme = load_theme(config.theme, root, diags)
    diags.raise_if_errors()
    return site, theme, diags.warnings


def render_site(site: Site, theme: Theme) -> tuple[list[Output], list[Diagnostic]]:
    """Render every output of the site in memory; raises UserError on template errors."""
    diags = Diagnostics()
    outputs = list(HtmlPages(site, theme, diags).render())
    outputs.extend(_static_outputs(site, theme))
    diags.raise_if_errors()
    return outputs, diags.warnings


def _static_outputs(site: Site, theme: Theme) -> Iterator[Output]:
    root = Path(site.root)
    for static_dir in theme.static_dirs:
        for path in sorted(static_dir.rglob("*")):
            if path.is_file():
                yield Output("assets/" + path.relative_to(static_dir).as_posix(), source=path)
    for rel in site.static_files:
        yield Output(rel.removeprefix("static/"), source=root / rel)


def build(
    site_dir: Path | str = ".",
    out_dir: Path | str | None = None,
    *,
    drafts: bool = False,
    force: bool = False,
) -> BuildReport:
    """Build the site folder into `out_dir` (default SITE_DIR/_site), atomically.

    Any error stops the build before anything is written; the previous output stays.
    """
    root = Path(site_dir)
    if not root.is_dir():
        raise UserError(
            [
                Diagnostic(
                    SourceLocation(str(root)),
                    "site folder not found",
                    "pass the folder that holds site.yaml",
                )
            ]
        )
    out = Path(out_dir) if out_dir is not None else root / "_site"
    report = BuildReport(out)
    clock = _Clock(report)
    site, theme, warnings = load_site(root, drafts=drafts)
    clock.lap("read")
    outputs, render_warnings = render_site(site, theme)
    clock.lap("render")
    clean_stale(out)
    report.files = write_tree(outputs, out, force=force)
    clock.lap("write")
    report.warnings = warnings + render_warnings
    return report
