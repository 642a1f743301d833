"""The build cache: costly records (CSL-formatted references) and output manifests in
`.scholarsite-cache/`; parsed records in memory only (reading 5,000 BibTeX entries back
from disk took longer than parsing them again).

The folder sits beside the site folder's `_site/`, never inside an output folder. Every key
is a hash of file *contents* (never a modification time), salted with the hash of
`site.yaml` and the tool's fingerprint (its version, Python's, and the hash of its own code
and built-in themes), so an edit, an upgrade or another site can never hit a stale entry.
An output folder's manifest, which only says whether the folder is untouched since the
last build, compares each file's inode, size and modification time, as git does.

Values are plain data: records are encoded to JSON (tuples as arrays, other containers and
dataclasses as tagged objects, only classes registered here) and every file carries the hash
of its own body. A cache that is unreadable, truncated, from another tool version or of an
unknown shape is ignored and rewritten, never trusted. Nothing here imports Jinja2, Markdown
or YAML: a build with nothing to do needs only this module, `source` and `write`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import operator
import os
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

from . import __version__, model
from .errors import Diagnostic
from .source import discover

CACHE_DIR = ".scholarsite-cache"
FORMAT = 1
RECORDS_FILE = "records.json"
_PACKAGE = Path(__file__).resolve().parent


def digest(*parts: bytes | str) -> str:
    """A short, stable content hash of `parts` (BLAKE2b, 128 bits, hex)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@cache
def tool_fingerprint() -> str:
    """The version, the Python version and a hash of the package's code and themes.

    Editing the tool's own code (an editable install) changes it, so a cache is never
    shared between two versions of the code.
    """
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{__version__}|{sys.version}|{FORMAT}".encode())
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            h.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
            h.update(path.read_bytes())
    return h.hexdigest()


# -- codec: records <-> plain JSON data ------------------------------------------------------

_CLASSES: dict[str, type] = {}


def register(*classes: type) -> None:
    """Allow dataclasses to be stored in the cache (by class name)."""
    for cls in classes:
        if not dataclasses.is_dataclass(cls):
            raise TypeError(f"{cls.__name__} is not a dataclass")
        _CLASSES[cls.__name__] = cls


register(
    model.SourceLocation,
    model.Link,
    model.Author,
    model.Publication,
    model.Entry,
    model.Page,
    model.Profile,
    model.Config,
    Diagnostic,
)


class CacheFormatError(ValueError):
    """Stored data that this version cannot decode: the entry is ignored."""


def encode(value: object) -> object:
    """A record as plain JSON data; raises TypeError for what cannot be stored."""
    fast = _FAST.get(type(value))
    if fast is not None:  # the common exact types, without the checks below
        return fast(value)
    return _encode(value)


def _encode(value: object) -> object:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, tuple):
        return [encode(v) for v in value]
    if isinstance(value, list):
        return {"L": [encode(v) for v in value]}
    if isinstance(value, MappingProxyType):
        return {"M": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, dict):
        return {"D": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, frozenset):
        return {"F": sorted((encode(v) for v in value), key=repr)}
    cls = type(value)
    if dataclasses.is_dataclass(value) and _CLASSES.get(cls.__name__) is cls:
        _FAST[cls] = _record_encoder(cls)
        return _FAST[cls](value)
    raise TypeError(f"cannot cache a {cls.__name__}")


def _plain(value: object) -> object:
    return value


def _record_encoder(cls: type):
    """`encode` for one registered dataclass: {"C": name, "v": [field values]}."""
    name, names = cls.__name__, [f.name for f in _fields(cls)]
    get = operator.attrgetter(*names)
    values = get if len(names) > 1 else (lambda value: (get(value),))

    def encode_record(value: object) -> object:
        got = values(value)
        return {"C": name, "v": [v if type(v) in _SCALARS else encode(v) for v in got]}

    return encode_record


def _encode_sequence(value: tuple) -> list:
    return [v if type(v) in _SCALARS else encode(v) for v in value]


def _encode_pairs(value: Mapping) -> list:
    return [
        [k, v] if type(k) is str and type(v) is str else [encode(k), encode(v)]
        for k, v in value.items()
    ]


#: Types that are their own JSON (checked by exact type: a subclass may differ).
_SCALARS = frozenset({str, int, float, bool, type(None)})

_FAST: dict[type, object] = {
    str: _plain,
    int: _plain,
    float: _plain,
    bool: _plain,
    type(None): _plain,
    tuple: _encode_sequence,
    list: lambda value: {"L": _encode_sequence(value)},
    dict: lambda value: {"D": _encode_pairs(value)},
    MappingProxyType: lambda value: {"M": _encode_pairs(value)},
    frozenset: lambda value: {"F": sorted((encode(v) for v in value), key=repr) if value else []},
}


def decode(data: object) -> object:
    """The record that `encode` gave `data`; raises CacheFormatError on anything else."""
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return tuple(decode(v) for v in data)
    if not isinstance(data, dict) or len(data) not in (1, 2):
        raise CacheFormatError("unexpected value")
    if "C" in data:
        cls = _CLASSES.get(data["C"])  # type: ignore[arg-type]
        values = data.get("v")
        fields = _fields(cls) if cls is not None else ()
        if cls is None or not isinstance(values, list) or len(values) != len(fields):
            raise CacheFormatError(f"unknown record {data['C']!r}")
        return cls(*(decode(v) for v in values))
    ((tag, body),) = data.items()
    if not isinstance(body, list):
        raise CacheFormatError("unexpected container")
    if tag == "L":
        return [decode(v) for v in body]
    if tag == "F":
        return frozenset(decode(v) for v in body)
    if tag in ("D", "M"):
        pairs = {_pair_key(p): decode(p[1]) for p in body}
        return MappingProxyType(pairs) if tag == "M" else pairs
    raise CacheFormatError(f"unknown tag {tag!r}")


def _pair_key(pair: object) -> object:
    if not isinstance(pair, list) or len(pair) != 2:
        raise CacheFormatError("bad mapping item")
    key = decode(pair[0])
    hash(key)
    return key


@cache
def _fields(cls: type) -> tuple[dataclasses.Field, ...]:
    fields = tuple(f for f in dataclasses.fields(cls) if f.init)
    if len(fields) != len(dataclasses.fields(cls)):
        raise TypeError(f"{cls.__name__} has fields that are not constructor arguments")
    return fields


# -- files on disk ------------------------------------------------------------------------------


def _read_json(path: Path) -> dict | None:
    """The body of a cache file written by `_write_json`, or None when it is not trustworthy."""
    try:
        raw = path.read_bytes()
        head, _, body = raw.partition(b"\n")
        del raw  # a large cache: one copy of its bytes at a time
        header = json.loads(head)
        if (
            not isinstance(header, dict)
            or header.get("format") != FORMAT
            or header.get("tool") != tool_fingerprint()
            or header.get("digest") != digest(body)
        ):
            return None
        data = json.loads(body)
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _write_json(path: Path, data: dict) -> None:
    """Write atomically (temporary file + rename); a failure leaves no cache, never a bad one.

    The body is ASCII JSON: as text, one byte a character (a single wider character makes
    a Python string of the whole body take two or four bytes for each)."""
    body = json.dumps(data, separators=(",", ":")).encode("ascii")
    header = json.dumps({"format": FORMAT, "tool": tool_fingerprint(), "digest": digest(body)})
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(header.encode() + b"\n")
            fh.write(body)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


#: Room for the first line of a records file, written last (it holds the body's hash).
HEADER_WIDTH = 200


def _write_records(path: Path, entries: Iterable[tuple[str, object]]) -> None:
    """`_write_json(path, {"entries": dict(entries)})`, streamed: a large site's records
    are never all in memory as JSON text. The header line is written last, in its place,
    padded with spaces (JSON allows them); readers see the same file shape."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # ASCII, as _write_json; records are trees (encode makes them), never circular
    dumps = json.JSONEncoder(separators=(",", ":"), check_circular=False).encode
    start = HEADER_WIDTH + 1
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "w+b") as fh:
            fh.write(b" " * HEADER_WIDTH + b"\n" + b'{"entries":{')
            batch: list[str] = []
            sep = b""
            for key, plain in entries:
                batch.append(f"{dumps(key)}:{dumps(plain)}")
                if len(batch) == 512:
                    fh.write(sep + ",".join(batch).encode("ascii"))
                    sep = b","
                    batch.clear()
            if batch:
                fh.write(sep + ",".join(batch).encode("ascii"))
            fh.write(b"}}")
            size = fh.tell() - start
            h = hashlib.blake2b(digest_size=16)  # as digest(body)
            h.update(size.to_bytes(8, "little"))
            fh.seek(start)
            while chunk := fh.read(1 << 20):
                h.update(chunk)
            header = json.dumps(
                {"format": FORMAT, "tool": tool_fingerprint(), "digest": h.hexdigest()}
            )
            fh.seek(0)
            fh.write(header.encode().ljust(HEADER_WIDTH))
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


class Cache:
    """Records by content key (written: costly ones; in memory: parsed ones), and what the
    last build of each output folder wrote.

    `Cache(None)` is a cache in memory only (nothing read, nothing written).
    """

    def __init__(self, folder: Path | None, *, load: bool = True) -> None:
        self.folder = folder
        self.salt = ""
        self._stored: dict[str, object] = {}  # key -> plain data, as read from disk
        self._values: dict[str, object] = {}  # key -> decoded record
        self._used: set[str] = set()
        self._memory: dict[str, object] = {}  # key -> record kept in this process only
        # read when a record is first asked for: a build with nothing to do never needs it
        self._unread = folder is not None and load

    def _load(self) -> None:
        self._unread = False
        data = _read_json(self.folder / RECORDS_FILE) if self.folder is not None else None
        entries = data.get("entries") if data else None
        if isinstance(entries, dict):
            for key in self._values:  # put since this cache was made: the newer value
                entries.pop(key, None)
            entries.update(self._stored)
            self._stored = entries

    @classmethod
    def for_site(cls, root: Path, out: Path | None = None, *, clean: bool = False) -> Cache:
        """The cache of a site folder, or one in memory when the folder is not usable
        (read-only, or inside the output folder). `clean` starts empty."""
        folder = (Path(root) / CACHE_DIR).absolute()
        usable = True
        if out is not None:
            out_abs = Path(out).absolute()
            usable = out_abs != folder and out_abs not in folder.parents
            usable = usable and folder not in out_abs.parents
        usable = usable and os.access(Path(root), os.W_OK)
        return cls(folder if usable else None, load=not clean)

    # -- parsed records -------------------------------------------------------
    def set_config(self, config_bytes: bytes) -> None:
        """Salt every record key with the site's settings (and the tool)."""
        self.salt = digest(tool_fingerprint(), config_bytes)

    def key(self, *parts: str) -> str:
        """The key of a record computed from `parts` (contents, not times)."""
        return digest(self.salt, *parts)

    def get(self, key: str) -> object | None:
        """The record stored under `key`, or None (also for an entry that does not decode)."""
        if key in self._memory:
            return self._memory[key]
        if key in self._values:
            self._used.add(key)
            return self._values[key]
        if self._unread:
            self._load()
        plain = self._stored.get(key)
        if plain is None:
            return None
        try:
            value = decode(plain)
        except (CacheFormatError, TypeError, ValueError, RecursionError):
            del self._stored[key]
            return None
        self._values[key] = value
        self._used.add(key)
        return value

    def put(self, key: str, value: object, *, persist: bool = True) -> None:
        """Keep `value` under `key`: written with the cache (encoded; skipped if it cannot
        be), or, not `persist`, for this process only: what is cheaper to compute again
        than to read back."""
        if not persist:
            self._memory[key] = value
            return
        self._values[key] = value
        self._stored.pop(key, None)
        self._used.add(key)

    def used(self) -> frozenset[str]:
        """The keys used so far (a forked worker sends back what it used after: `since`)."""
        return frozenset(self._used)

    def since(self, used: frozenset[str]) -> dict[str, object]:
        """The records used since `used()` gave `used`, by key."""
        return {key: self._values[key] for key in self._used - used if key in self._values}

    def merge(self, records: Mapping[str, object]) -> None:
        """Take in the records a forked worker used (see `since`), as if used here."""
        for key, value in records.items():
            self._values.setdefault(key, value)  # a key names one value: keep the first
            self._used.add(key)

    def save(self) -> None:
        """Write the records used by this build (older ones are dropped); each is encoded
        once and kept encoded for a later save."""
        if self.folder is None:
            return

        def entries() -> Iterator[tuple[str, object]]:
            for key in sorted(self._used):
                plain = self._stored.get(key)
                if plain is None:
                    try:
                        plain = self._stored[key] = encode(self._values[key])
                    except (TypeError, RecursionError):
                        continue
                yield key, plain

        _write_records(self.folder / RECORDS_FILE, entries())

    # -- output manifests -----------------------------------------------------
    def _manifest_path(self, out: Path) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / f"out-{digest(str(Path(out).absolute()))[:16]}.json"

    def fresh_output(self, out: Path, stamp: str) -> tuple[int, list[Diagnostic]] | None:
        """(file count, warnings) of the last build when `out` holds exactly what a build
        of inputs `stamp` wrote there (see `output_signatures`); None when a build is needed."""
        path = self._manifest_path(out)
        data = _read_json(path) if path is not None else None
        if not data or data.get("stamp") != stamp:
            return None
        files, count = data.get("files"), data.get("count")
        if not isinstance(files, dict) or not isinstance(count, int):
            return None
        if not _same_files(out, files):
            return None
        try:
            warnings = decode(data.get("warnings", []))
        except (CacheFormatError, TypeError, ValueError, RecursionError):
            return None
        if not isinstance(warnings, tuple) or not all(isinstance(w, Diagnostic) for w in warnings):
            return None
        return count, list(warnings)

    def record_output(
        self, out: Path, stamp: str, count: int, warnings: Iterable[Diagnostic]
    ) -> None:
        """Remember what this build wrote into `out` for the next one."""
        path = self._manifest_path(out)
        if path is None:
            return
        data = {
            "stamp": stamp,
            "count": count,
            "files": output_signatures(out),
            "warnings": encode(tuple(warnings)),
        }
        _write_json(path, data)


#: Files modified this close (ns) to the moment a manifest is made also get a content hash:
#: a second change within one tick of the file system's clock would keep the same times.
RACY_NS = 200_000_000


def can_fork() -> bool:
    """Can this system fork worker processes safely? (macOS libraries are not fork-safe;
    Windows has no fork.)"""
    return hasattr(os, "fork") and sys.platform != "darwin"


def output_signatures(out: Path) -> dict[str, list] | None:
    """path -> [inode, size, modification time (ns), content hash or ""] of every file
    under `out` (None when it is not a folder).

    The git way: a file rewritten or replaced gets another size, modification time or
    inode, so comparing them finds every change without reading 100 MB of pages; files
    written just before (see RACY_NS) are compared by content as well.
    """
    now = time.time_ns()
    found = _stat_tree(out)
    if found is None:
        return None
    signatures = {}
    for rel, (ino, size, mtime) in found.items():
        racy = mtime >= now - RACY_NS
        dig = _file_digest(os.path.join(out, rel)) if racy else ""
        if dig is None:
            return None
        signatures[rel] = [ino, size, mtime, dig]
    return signatures


def _same_files(out: Path, recorded: dict) -> bool:
    """Does `out` hold exactly the files of `recorded` (from `output_signatures`)?"""
    found = _stat_tree(out)
    if found is None or found.keys() != recorded.keys():
        return False
    for rel, (ino, size, mtime) in found.items():
        sig = recorded[rel]
        if not isinstance(sig, list) or len(sig) != 4 or sig[:3] != [ino, size, mtime]:
            return False
        if sig[3] and _file_digest(os.path.join(out, rel)) != sig[3]:
            return False
    return True


def _stat_tree(out: Path) -> dict[str, tuple[int, int, int]] | None:
    """path -> (inode, size, mtime ns) of every file under `out`, or None."""
    base = str(out)
    if not os.path.isdir(base) or os.path.islink(base):
        return None
    found: dict[str, tuple[int, int, int]] = {}
    todo = [("", base)]
    try:
        while todo:
            prefix, folder = todo.pop()
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        todo.append((prefix + entry.name + "/", entry.path))
                    else:
                        st = entry.stat(follow_symlinks=False)
                        found[prefix + entry.name] = (st.st_ino, st.st_size, st.st_mtime_ns)
    except OSError:
        return None
    return found


def _file_digest(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return digest(fh.read())
    except OSError:
        return None


def input_stamp(root: Path, *, drafts: bool, extra: Mapping[str, str] | None = None) -> str:
    """A hash of everything a build of `root` reads: every input file by content, the site's
    own themes, the build options and the tool fingerprint."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{tool_fingerprint()}|drafts={drafts}|{sorted((extra or {}).items())}".encode())
    rels = [src.rel for src in discover(root)]
    themes = root / "themes"
    if themes.is_dir():
        for dirpath, dirnames, filenames in os.walk(themes):
            dirnames.sort()
            for name in sorted(filenames):
                rels.append(os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/"))
    for rel in rels:
        h.update(rel.encode("utf-8", "surrogatepass") + b"\0")
        try:
            data = (root / rel).read_bytes()
        except OSError:
            data = b"\xff<unreadable>"
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()
