"""File watching for `serve`: changes under the site folder, each classified by kind."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..source import IGNORED_DIRS, classify

#: Folders whose files the build reads; a change there that is no file of a known kind
#: (a folder renamed or removed) makes the server look at every file again.
SOURCE_DIRS = ("data", "bib", "content", "templates", "static", "themes")

#: How each kind of change is named in the terminal.
KIND_LABELS = {
    "config": "site settings",
    "data": "data list",
    "bib": "bibliography",
    "page": "page",
    "template": "template",
    "static": "static file",
    "theme": "theme",
    "folder": "folder",
}

#: Milliseconds to wait for more events of one save (editors write, rename, chmod...).
STEP_MS = 10
DEBOUNCE_MS = 400


@dataclass(frozen=True, slots=True)
class Change:
    """One changed file: its path relative to the site folder, its kind, what happened."""

    path: str
    kind: str
    action: str  # "added", "modified" or "deleted"

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def classify_change(rel: str) -> str | None:
    """The kind of a changed site-relative path, or None when no build reads it."""
    kind = classify(rel)
    if kind is not None:
        return kind
    parts = rel.split("/")
    if parts[0] in IGNORED_DIRS or any(p.startswith(".") for p in parts):
        return None
    if parts[0] == "themes" and len(parts) > 2:
        return "theme"
    if parts[0] in SOURCE_DIRS and not parts[-1].endswith("~"):
        return "folder"
    return None


def relative(root: Path, path: str | Path) -> str | None:
    """`path` relative to `root` with '/' separators, or None when it is outside."""
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    except ValueError:
        return None
    if rel == "." or rel.startswith(".."):
        return None
    return rel.replace(os.sep, "/")


def classify_changes(
    root: Path, events: Iterable[tuple[object, str]], ignore: Iterable[Path] = ()
) -> list[Change]:
    """watchfiles events -> the Changes a build cares about, sorted by path."""
    ignored = [os.path.abspath(p) for p in ignore]
    found: dict[str, Change] = {}
    for change, path in events:
        full = os.path.abspath(path)
        if any(full == p or full.startswith(p + os.sep) for p in ignored):
            continue
        rel = relative(root, full)
        kind = classify_change(rel) if rel is not None else None
        if rel is None or kind is None:
            continue
        action = getattr(change, "name", str(change))
        found[rel] = Change(rel, kind, action)
    return [found[k] for k in sorted(found)]


class Watcher:
    """Watches `root` in a thread and calls `on_change` with each batch of Changes."""

    def __init__(
        self,
        root: Path,
        on_change: Callable[[list[Change]], None],
        *,
        ignore: Iterable[Path] = (),
    ) -> None:
        self.root = Path(root)
        self.on_change = on_change
        self.ignore = tuple(Path(p) for p in ignore)
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="scholarsite-watch", daemon=True)

    def start(self) -> None:
        """Start watching (returns once the watcher is running)."""
        self._thread.start()
        self._ready.wait(5)

    def stop(self) -> None:
        """Stop watching and wait for the thread to end."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)

    def _accept(self, change: object, path: str) -> bool:
        rel = relative(self.root, path)
        return rel is not None and classify_change(rel) is not None

    def _run(self) -> None:
        import watchfiles

        watcher = watchfiles.watch(
            self.root,
            watch_filter=self._accept,
            debounce=DEBOUNCE_MS,
            step=STEP_MS,
            stop_event=self._stop,
            rust_timeout=200,
            yield_on_timeout=True,
            raise_interrupt=False,
        )
        for events in watcher:
            self._ready.set()
            if self._stop.is_set():
                break
            changes = classify_changes(self.root, events, self.ignore)
            if changes:
                self.on_change(changes)
