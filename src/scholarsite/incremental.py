"""Incremental rebuilds for `serve`: after an edit, only what it reaches is done again.

`Incremental.rebuild(paths)` re-reads the files that changed (by content hash; a file saved
unchanged costs nothing), parses only those (bibliography entries one by one), resolves the
site, and compares it with the last good one on the keys the outputs recorded while they
were rendered (see `deps`). The jobs whose keys changed are rendered again; every other
output, and every memoized piece (a publication's list item, the navigation), is kept.
A change of site.yaml or of the theme renders everything.

A rebuild with errors changes nothing: the last good outputs stay, and the errors are kept
for the browser overlay until a later rebuild succeeds. The outputs live in memory.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .build import config_bytes, plan_site
from .cache import Cache, digest
from .deps import Recorder, TrackedSite, changed_keys
from .errors import Diagnostic, Diagnostics
from .model import Config, Site, SourceLocation
from .outputs.environment import make_environment
from .outputs.output import Output
from .parse import FileResult, assemble, load_config, read_source
from .resolve import resolve
from .source import SourceFile, discover
from .theme import Theme, load_theme

#: Everything changed (a new config or theme): every job renders again.
EVERYTHING = "*"


@dataclass(frozen=True)
class Outcome:
    """What one rebuild did."""

    ok: bool
    changed: tuple[str, ...] = ()  # output paths whose content changed, appeared or went
    inputs: tuple[str, ...] = ()  # site files whose content changed
    rendered: tuple[str, ...] = ()  # keys of the jobs rendered again
    errors: tuple[Diagnostic, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    seconds: float = 0.0
    first_seconds: float | None = None  # when the pages in `first` were served


@dataclass(frozen=True)
class _Done:
    """A rendered job: what it is, what it read, what it gave."""

    identity: tuple
    keys: frozenset[str]
    outputs: tuple[Output, ...]
    diagnostics: tuple[Diagnostic, ...]


@dataclass
class _Good:
    """The last build without errors: what is being served."""

    site: Site
    theme: Theme
    env: Any
    jobs: dict[str, _Done]
    templates: dict[str, str | None] = field(default_factory=dict)


class Incremental:
    """Keeps a site's parsed files, rendered outputs and their dependencies in memory."""

    def __init__(self, root: Path, *, drafts: bool = True, cache: Cache | None = None) -> None:
        self.root = Path(root)
        self.drafts = drafts
        self.cache = cache if cache is not None else Cache(None)
        self.recorder = Recorder()
        self.outputs: dict[str, Output] = {}
        self.errors: tuple[Diagnostic, ...] = ()
        self.warnings: tuple[Diagnostic, ...] = ()
        self.version = 0  # goes up with every rebuild that changed an output
        self._digests: dict[str, str] = {}
        self._results: dict[str, FileResult] = {}
        self._config: Config | None = None
        self._config_diags: tuple[Diagnostic, ...] = ()
        self._good: _Good | None = None
        self._owner_marks: dict[int, tuple] = {}  # valid while site.yaml is unchanged
        self._theme: Theme | None = None
        self._theme_diags: tuple[Diagnostic, ...] = ()
        self._first_at: float | None = None  # when the pages shown first were served

    @property
    def site(self) -> Site | None:
        """The last good Site (None before the first successful build)."""
        return self._good.site if self._good is not None else None

    @property
    def theme(self) -> Theme | None:
        """The theme of the last good build."""
        return self._good.theme if self._good is not None else None

    # -- the rebuild ------------------------------------------------------------
    def rebuild(
        self,
        paths: Iterable[str | Path] | None = None,
        *,
        first: Collection[str] = (),
        on_first: Callable[[tuple[str, ...]], None] | None = None,
    ) -> Outcome:
        """Bring the outputs up to date after `paths` changed (None: look at every file).

        The jobs of the output paths in `first` (the pages browsers show) run before the
        others; as soon as they are done their outputs are served and `on_first` is called
        with those that changed, while the rest (a CV PDF, feeds...) renders.
        """
        start = time.perf_counter()
        self._first_at = None
        sources = discover(self.root)
        changed = self._read_changes(sources, paths)
        good = self._good
        # templates and the theme are looked at again when a path there (or any) changed
        looks = paths is None or any(
            rel.startswith(("templates/", "themes/", "site.y")) for rel in changed
        )
        templates = self._template_changes(good, good.theme) if good and looks else set()
        if good is not None and not changed and not templates and not self.errors:
            return Outcome(True, seconds=time.perf_counter() - start)

        diags = Diagnostics()
        config = self._load_config(changed)
        for src in sources:
            if src.rel in changed or src.rel not in self._results:
                self._results[src.rel] = read_source(self.root, src, config, self.cache)
        diags.extend(self._config_diags)
        parsed = assemble(config, (self._results[s.rel] for s in sources), diags)
        site = resolve(
            parsed, str(self.root), diags, drafts=self.drafts, owner_marks=self._owner_marks
        )
        if good is None or looks or self.errors:
            found = Diagnostics()
            self._theme = load_theme(config.theme, self.root, found, config)
            self._theme_diags = tuple(found.items)
        theme = self._theme
        diags.extend(self._theme_diags)
        if diags.errors:
            return self._fail(diags, changed, start)

        if (
            good is None
            or _other_than_templates(theme) != _other_than_templates(good.theme)
            or site.config != good.site.config
        ):
            dirty = {EVERYTHING}
        else:
            if theme.template_dirs != good.theme.template_dirs:  # e.g. templates/ was created
                templates = self._template_changes(good, theme)
            dirty = changed_keys(good.site, site) | templates
            dirty |= {f"file:{rel}" for rel in changed}
        if EVERYTHING in dirty:
            self.recorder.clear()
            env = make_environment(theme, self.recorder)
        else:
            dirty = self.recorder.invalidate(dirty)  # with the memos the changes reach
            fresh = templates or theme.template_dirs != good.theme.template_dirs
            env = make_environment(theme, self.recorder) if fresh else good.env

        shown = self.outputs
        try:
            jobs, rendered = self._render(site, theme, env, diags, dirty, good, first, on_first)
        except BaseException:
            self.recorder.rollback()
            self._unpublish(shown)
            raise
        if diags.errors:
            self.recorder.rollback()
            return self._fail(diags, changed, start, self._unpublish(shown))
        self.recorder.commit()
        good = _Good(site, theme, env, jobs)
        return self._commit(good, changed, paths, rendered, diags, start, looks)

    def _render(
        self,
        site: Site,
        theme: Theme,
        env: Any,
        diags: Diagnostics,
        dirty: set[str],
        good: _Good | None,
        first: Collection[str] = (),
        on_first: Callable[[tuple[str, ...]], None] | None = None,
    ) -> tuple[dict[str, _Done], list[str]]:
        """Run the jobs whose inputs changed (those in `first` first); keep the others."""
        tracked = TrackedSite(site, self.recorder)
        plan = plan_site(tracked, theme, diags, env=env)
        planned = len(diags.items)
        done: dict[str, _Done] = {}
        todo = []
        for job in plan:
            prev = good.jobs.get(job.key) if good is not None else None
            if (
                prev is None
                or job.volatile
                or EVERYTHING in dirty
                or prev.identity != job.identity
                or not prev.keys.isdisjoint(dirty)
            ):
                todo.append(job)
            else:
                done[job.key] = prev
        todo.sort(key=lambda job: job.key not in first)  # stable: plan order otherwise
        urgent = sum(1 for job in todo if job.key in first)
        for n, job in enumerate(todo):
            if n == urgent and urgent and on_first is not None and not diags.errors:
                self._publish_first([done[j.key] for j in todo[:urgent]], on_first)
            mark = len(diags.items)
            with self.recorder.frame() as keys:
                try:
                    outputs = tuple(job())
                except Exception as exc:  # a broken template must not stop the server
                    outputs = ()
                    diags.error(_where(exc, job.key), f"while rendering {job.key}: {exc}")
            done[job.key] = _Done(job.identity, frozenset(keys), outputs, tuple(diags.items[mark:]))
        jobs = {job.key: done[job.key] for job in plan}
        diags.items[planned:] = [d for done_job in jobs.values() for d in done_job.diagnostics]
        return jobs, [job.key for job in todo]

    def _publish_first(
        self, finished: list[_Done], on_first: Callable[[tuple[str, ...]], None]
    ) -> None:
        """Serve the pages rendered first while the others render."""
        outputs = dict(self.outputs)
        changed = []
        for done_job in finished:
            for out in done_job.outputs:
                if outputs.get(out.path) != out:
                    outputs[out.path] = out
                    changed.append(out.path)
        if changed:
            self.outputs = outputs
            self.version += 1
            self._first_at = time.perf_counter()
            on_first(tuple(changed))

    def _unpublish(self, shown: dict[str, Output]) -> tuple[str, ...]:
        """After a failed rebuild, serve again what was served before it began."""
        if self.outputs is shown:
            return ()
        back = tuple(p for p, out in self.outputs.items() if shown.get(p) != out)
        self.outputs = shown
        self.version += 1
        return back

    # -- steps --------------------------------------------------------------------
    def _read_changes(
        self, sources: list[SourceFile], paths: Iterable[str | Path] | None
    ) -> set[str]:
        """Site files (relative paths) whose content differs from the last look."""
        current = {src.rel for src in sources}
        given = {r for r in (self._relative(p) for p in paths or ()) if r is not None}
        if paths is None or not self._digests:
            look = current
        else:
            look = (given & current) | (current - self._digests.keys())
        changed = set(self._digests.keys() - current)
        for rel in changed:
            del self._digests[rel]
            self._results.pop(rel, None)
        changed |= {rel for rel in given if rel.startswith("themes/")}  # the site's own theme
        for rel in look:
            try:
                data = (self.root / rel).read_bytes()
            except OSError:
                data = b""
            dig = digest(data)
            if self._digests.get(rel) != dig:
                self._digests[rel] = dig
                changed.add(rel)
        return changed

    def _relative(self, path: str | Path) -> str | None:
        path = Path(path)
        if not path.is_absolute():
            return path.as_posix()
        try:
            rel = os.path.relpath(path, self.root.absolute())
        except ValueError:
            return None
        return None if rel.startswith("..") else rel.replace(os.sep, "/")

    def _load_config(self, changed: set[str]) -> Config:
        """site.yaml, read again when it changed (then every file is parsed again)."""
        if self._config is None or changed & {"site.yaml", "site.yml"}:
            diags = Diagnostics()
            self._config = load_config(self.root, diags)
            self._config_diags = tuple(diags.items)
            self.cache.set_config(config_bytes(self.root))
            self._results.clear()
            self._owner_marks.clear()
        return self._config

    def _template_changes(self, good: _Good, theme: Theme) -> set[str]:
        """`template:<name>` keys whose file (the first found in `theme`'s lookup order)
        is not the one the last good build used."""
        return {
            f"template:{name}"
            for name, fp in good.templates.items()
            if _template_fingerprint(theme, name) != fp
        }

    def _fail(
        self, diags: Diagnostics, changed: set[str], start: float, reverted: tuple[str, ...] = ()
    ) -> Outcome:
        self.errors = tuple(diags.errors)
        return Outcome(
            False,
            changed=reverted,
            inputs=tuple(sorted(changed)),
            errors=self.errors,
            warnings=tuple(diags.warnings),
            seconds=time.perf_counter() - start,
        )

    def _commit(
        self,
        good: _Good,
        changed: set[str],
        paths: Iterable[str | Path] | None,
        rendered: list[str],
        diags: Diagnostics,
        start: float,
        looks: bool,
    ) -> Outcome:
        known = self._good.templates if self._good is not None and not looks else {}
        names = set(self._good.templates) if self._good is not None else set()
        for key in rendered:
            names.update(_templates(good.jobs[key].keys))
        for keys in self.recorder.memo_keys.values():  # templates read inside memos
            names.update(_templates(keys))
        good.templates = {
            name: known[name] if name in known else _template_fingerprint(good.theme, name)
            for name in names
        }
        outputs = {out.path: out for done in good.jobs.values() for out in done.outputs}
        touched = {str(self.root.absolute() / rel) for rel in changed}
        touched |= {str(Path(p).absolute()) for p in paths or ()}
        differ = [
            path
            for path, out in outputs.items()
            if self.outputs.get(path) != out
            or (out.source is not None and str(Path(out.source).absolute()) in touched)
        ]
        differ += [path for path in self.outputs if path not in outputs]
        recovered = bool(self.errors)
        self.outputs, self._good = outputs, good
        self.errors, self.warnings = (), tuple(diags.warnings)
        if differ or recovered:
            self.version += 1
        return Outcome(
            True,
            changed=tuple(sorted(differ)),
            inputs=tuple(sorted(changed)),
            rendered=tuple(rendered),
            warnings=self.warnings,
            seconds=time.perf_counter() - start,
            first_seconds=None if self._first_at is None else self._first_at - start,
        )


def _other_than_templates(theme: Theme) -> Theme:
    """The theme without its template folders (those are followed name by name)."""
    return dataclasses.replace(theme, template_dirs=())


def _template_fingerprint(theme: Theme, name: str) -> str | None:
    """Which file a template name loads, and its content hash (None: no such template)."""
    for folder in theme.template_dirs:
        path = Path(folder) / name
        if path.is_file():
            return f"{path}|{digest(path.read_bytes())}"
    return None


def _where(exc: Exception, job: str) -> SourceLocation:
    """The template file and line of a rendering error, when the error knows them."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", None) or 0
    return SourceLocation(str(name), int(line), 1) if name else SourceLocation(job)


def _templates(keys: Iterable[str]) -> Iterator[str]:
    """The template names among recorded keys."""
    return (k[9:] for k in keys if k.startswith("template:"))
