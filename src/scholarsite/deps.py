"""Dependency recording: which inputs each output read while it was rendered.

Outputs are rendered by `Job`s. While a job runs, every read it makes of the site goes
through a `TrackedSite`, which records a *key* per read:

- ``config``: the settings and profile (site.yaml);
- ``pubs`` / ``pages`` / ``sections`` / ``static``: which records exist, in which order;
- ``pub.<field>:<key>``, ``page.<field>:<path>``: one field of one record (records are
  handed out as read-only proxies that record each attribute read); ``pub:<key>`` and
  ``page:<path>``: whether the record exists (a lookup by key);
- ``section:<name>``: one data list; ``site.<name>``: any other attribute of the Site;
- ``template:<name>``: a template loaded by name (recorded by the Jinja environment);
- ``file:<path>``: the content of a file under the site folder (images, for instance).

A shared computation (one publication's list item, the navigation of a language) is wrapped
in `Recorder.memo`: it runs once, and every job that uses it gets its keys too. After an
edit, `changed_keys` compares the old and the new Site on exactly the recorded keys; the jobs
whose keys changed are rendered again, every other output is kept. Nothing is declared by
hand, so what is rebuilt follows from what was read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

from .model import Config, Site

MISSING = object()


class Recorder:
    """Collects read keys into frames (one per job or memo) and keeps memoized values.

    A frame that uses a memo records one key for it, ``memo:<key>``, not the keys the memo
    read: a page that uses the navigation (which read every page's title) carries one key,
    not thousands. `expand` turns changed keys into the memos they reach.
    """

    def __init__(self, *, tracking: bool = True) -> None:
        self.tracking = tracking
        self.memos: dict[Any, tuple[object, frozenset[str]]] = {}
        #: memo ref -> every key that memo ever read (kept when the value is dropped, so
        #: the jobs that used it can still be found; grown, never shrunk, until `clear`)
        self.memo_keys: dict[str, frozenset[str]] = {}
        self._frames: list[set[str]] = []
        self._added: list[Any] = []

    def read(self, key: str) -> None:
        """Record that the running job read `key`."""
        if self._frames:
            self._frames[-1].add(key)

    @contextmanager
    def frame(self) -> Iterator[set[str]]:
        """Collect the keys read inside the block (they also count for the outer frame)."""
        keys: set[str] = set()
        self._frames.append(keys)
        try:
            yield keys
        finally:
            self._frames.pop()
            if self._frames:
                self._frames[-1].update(keys)

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """`compute()` once per key; the frame using it records `memo_ref(key)`."""
        hit = self.memos.get(key)
        if not self.tracking:  # a build: nothing is rendered again, nothing to record
            if hit is None:
                value = compute()
                _check_plain(key, value)
                hit = self.memos[key] = (value, frozenset())
            return hit[0]
        ref = memo_ref(key)
        if hit is None:
            keys: set[str] = set()
            self._frames.append(keys)
            try:
                value = compute()
            finally:
                self._frames.pop()
            _check_plain(key, value)
            hit = self.memos[key] = (value, frozenset(keys))
            self.memo_keys[ref] = self.memo_keys.get(ref, frozenset()) | hit[1]
            self._added.append(key)
        if self._frames:
            self._frames[-1].add(ref)
        return hit[0]

    def expand(self, changed: set[str]) -> set[str]:
        """`changed` and the refs of every memo that read any of it, directly or through
        another memo."""
        out = set(changed)
        while True:
            more = {
                r for r, keys in self.memo_keys.items() if r not in out and not keys.isdisjoint(out)
            }
            if not more:
                return out
            out |= more

    def invalidate(self, changed: set[str]) -> set[str]:
        """Drop the memoized values that read any of `changed` (directly or through another
        memo); returns `changed` with their refs, what the jobs' keys are compared with."""
        dirty = self.expand(changed)
        for key in [k for k in self.memos if memo_ref(k) in dirty]:
            del self.memos[key]
        return dirty

    def clear(self) -> None:
        """Forget every memo (everything changed)."""
        self.memos.clear()
        self.memo_keys.clear()

    def commit(self) -> None:
        """Keep the memoized values of the last attempt."""
        self._added.clear()

    def rollback(self) -> None:
        """Forget the values memoized since the last commit (a failed rebuild)."""
        for key in self._added:
            self.memos.pop(key, None)
        self._added.clear()


def memo_ref(key: Any) -> str:
    """The key a frame records for using the memo `key`."""
    return f"memo:{key!r}"


def _check_plain(key: Any, value: object) -> None:
    """Memoized values outlive the site they were computed from: never keep a record."""
    items = value.values() if isinstance(value, dict) else value
    if isinstance(value, TrackedRecord) or (
        isinstance(value, (list, tuple, dict, set, frozenset))
        and any(isinstance(v, TrackedRecord) for v in items)
    ):
        raise TypeError(f"memo {key!r}: keep plain values (keys, text), not records")


class TrackedRecord:
    """A read-only stand-in for a model record that records each attribute read."""

    __slots__ = ("_ident", "_kind", "_read", "_record")

    def __init__(self, record: object, kind: str, ident: str, read: Callable[[str], None]) -> None:
        object.__setattr__(self, "_record", record)
        object.__setattr__(self, "_kind", kind)
        object.__setattr__(self, "_ident", ident)
        object.__setattr__(self, "_read", read)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._record, name)
        self._read(f"{self._kind}.{name}:{self._ident}")
        return value

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self._record).__name__} records are read-only")

    def __repr__(self) -> str:
        return f"<tracked {self._record!r}>"


def unwrap(record: Any) -> Any:
    """The model record behind a tracked one (itself otherwise)."""
    return record._record if isinstance(record, TrackedRecord) else record


class TrackedSections(Mapping):
    """`site.sections` whose reads are recorded per section."""

    def __init__(self, sections: Mapping[str, tuple], read: Callable[[str], None]) -> None:
        self._sections = sections
        self._read = read

    def __getitem__(self, name: str) -> tuple:
        self._read(f"section:{name}")
        return self._sections[name]

    def __iter__(self) -> Iterator[str]:
        self._read("sections")
        return iter(self._sections)

    def __len__(self) -> int:
        self._read("sections")
        return len(self._sections)

    def __contains__(self, name: object) -> bool:
        self._read(f"section:{name}")
        return name in self._sections


def page_id(page: Any) -> str:
    """The identity of a page across rebuilds: its source file."""
    return page.location.path


class TrackedSite:
    """What outputs render from: the Site's fields, with every read recorded.

    With a recorder that is not tracking, records are handed out as they are.
    """

    def __init__(self, site: Site, recorder: Recorder | None = None) -> None:
        self.site = site
        self.recorder = recorder if recorder is not None else Recorder(tracking=False)
        self._read = self.recorder.read
        self._pubs: tuple | None = None
        self._pages: tuple | None = None
        self._by_key: dict[str, Any] | None = None
        self._by_page: dict[str, Any] | None = None

    def _wrap(self, record: Any, kind: str, ident: str) -> Any:
        if not self.recorder.tracking:
            return record
        return TrackedRecord(record, kind, ident, self._read)

    @property
    def config(self) -> Config:
        self._read("config")
        return self.site.config

    @property
    def publications(self) -> tuple:
        self._read("pubs")
        if self._pubs is None:
            self._pubs = tuple(self._wrap(p, "pub", p.key) for p in self.site.publications)
        return self._pubs

    @property
    def pages(self) -> tuple:
        self._read("pages")
        if self._pages is None:
            self._pages = tuple(self._wrap(p, "page", page_id(p)) for p in self.site.pages)
        return self._pages

    @property
    def sections(self) -> Mapping[str, tuple]:
        return TrackedSections(self.site.sections, self._read)

    @property
    def static_files(self) -> tuple[str, ...]:
        self._read("static")
        return self.site.static_files

    @property
    def root(self) -> str:
        return self.site.root

    def publication(self, key: str) -> Any:
        """The publication with BibTeX key `key` (None when there is none)."""
        self._read(f"pub:{key}")
        if self._by_key is None:
            self._by_key = {p.key: p for p in self.site.publications}
        pub = self._by_key.get(key)
        return None if pub is None else self._wrap(pub, "pub", key)

    def page(self, ident: str) -> Any:
        """The page read from source file `ident` (None when there is none)."""
        self._read(f"page:{ident}")
        if self._by_page is None:
            self._by_page = {page_id(p): p for p in self.site.pages}
        page = self._by_page.get(ident)
        return None if page is None else self._wrap(page, "page", ident)

    def uses_file(self, rel: str) -> None:
        """Record that the running job depends on the content of site file `rel`."""
        self._read(f"file:{rel}")

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """A value shared between jobs; see `Recorder.memo`."""
        return self.recorder.memo(key, compute)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.site, name)
        self._read(f"site.{name}")
        return value


# -- jobs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One unit of rendering: `run(*args)` returns the outputs of `key`.

    `args` identify what to render (keys, paths, language codes), never records: a job
    reads its records from the site while it runs, so the reads are recorded. A
    `volatile` job is cheap and reads outside the site (file listings); it always runs.
    """

    key: str
    run: Callable[..., Iterable[Any]]
    args: tuple = ()
    volatile: bool = False

    def __post_init__(self) -> None:
        for arg in self.args:
            if not isinstance(arg, (str, int, bool, type(None))):
                raise TypeError(f"job {self.key}: pass keys, not {type(arg).__name__} objects")

    @property
    def identity(self) -> tuple:
        """What the job does, comparable across rebuilds."""
        func = getattr(self.run, "__func__", self.run)
        return (getattr(func, "__qualname__", repr(func)), self.args)

    def __call__(self) -> list[Any]:
        return list(self.run(*self.args))


# -- what changed ------------------------------------------------------------------------------


#: Site fields with keys of their own; any other field read is recorded as ``site.<name>``.
_SITE_KEYS = frozenset({"config", "publications", "pages", "sections", "static_files", "root"})


def _differ(a: Any, b: Any) -> bool:
    if a is b:
        return False
    try:
        return bool(a != b)
    except Exception:  # values that do not compare: assume the worst
        return True


@cache
def _attributes(cls: type) -> tuple[str, ...]:
    """What a tracked record of class `cls` can be asked: its fields and properties."""
    names = [f.name for f in dataclasses.fields(cls)] if dataclasses.is_dataclass(cls) else []
    for klass in cls.__mro__:
        names += [n for n, v in vars(klass).items() if isinstance(v, property)]
    return tuple(dict.fromkeys(names))


def _record_keys(kind: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> set[str]:
    changed: set[str] = set()
    for ident in old.keys() | new.keys():
        a, b = old.get(ident, MISSING), new.get(ident, MISSING)
        if not _differ(a, b):
            continue
        if a is MISSING or b is MISSING:
            changed.add(f"{kind}:{ident}")
        for attr in _attributes(type(b if a is MISSING else a)):
            if a is MISSING or b is MISSING or _differ(getattr(a, attr), getattr(b, attr)):
                changed.add(f"{kind}.{attr}:{ident}")
    return changed


def changed_keys(old: Site, new: Site) -> set[str]:
    """Every key (see the module doc) whose value differs between `old` and `new`.

    Records are compared first (unchanged ones cost an identity or equality check), then
    field by field. ``template:`` and ``file:`` keys are left to the caller.
    """
    changed = _record_keys(
        "pub",
        {p.key: p for p in old.publications},
        {p.key: p for p in new.publications},
    )
    changed |= _record_keys(
        "page", {page_id(p): p for p in old.pages}, {page_id(p): p for p in new.pages}
    )
    if _differ(old.config, new.config):
        changed.add("config")
    if [p.key for p in old.publications] != [p.key for p in new.publications]:
        changed.add("pubs")
    if [page_id(p) for p in old.pages] != [page_id(p) for p in new.pages]:
        changed.add("pages")
    if list(old.sections) != list(new.sections):
        changed.add("sections")
    for name in old.sections.keys() | new.sections.keys():
        if _differ(old.sections.get(name), new.sections.get(name)):
            changed.add(f"section:{name}")
    if _differ(old.static_files, new.static_files):
        changed.add("static")
    for f in dataclasses.fields(Site):
        if f.name not in _SITE_KEYS and _differ(getattr(old, f.name), getattr(new, f.name)):
            changed.add(f"site.{f.name}")
    return changed
