"""Read every source file into records: the `parse` stage of the pipeline."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .cache import digest, register
from .errors import Diagnostic, Diagnostics
from .markdown import UNSAFE_CHARS
from .model import Config, Entry, Page, Publication, SourceLocation
from .readers.bibtex import RawEntry, parse_bibtex
from .readers.config import read_config
from .readers.data import read_section
from .readers.pages import read_page
from .readers.publications import to_publication
from .source import SourceFile


@dataclass
class Parsed:
    """The records read from one site folder, before resolution."""

    config: Config
    publications: list[Publication] = field(default_factory=list)
    sections: dict[str, tuple[Entry, ...]] = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)
    static_files: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)


def read_text(root: Path, rel: str, diags: Diagnostics) -> str | None:
    """A source file as text; a non-UTF-8 file is an error naming the likely encoding."""
    return decode_text((root / rel).read_bytes(), rel, diags)


def decode_text(data: bytes, rel: str, diags: Diagnostics) -> str | None:
    """The bytes of source file `rel` as text (see `read_text`)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = _guess_encoding(data)
        diags.error(
            SourceLocation(rel, line, col),
            f"file is not UTF-8 (byte 0x{data[exc.start]:02x}; it looks like {guess})",
            f"re-save it as UTF-8, e.g. iconv -f {guess} -t utf-8",
        )
        return None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        if _utf16_shape(data):
            message, hint = "file is not UTF-8 (it looks like utf-16)", "re-save it as UTF-8"
        else:
            message, hint = "file contains a NUL byte", "is it a binary file? remove the NUL"
        diags.error(SourceLocation(rel, line, 1), message, hint)
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _guess_encoding(data: bytes) -> str:
    """The likely encoding of non-UTF-8 bytes, for the error message.

    Any byte string decodes as gb18030 or cp1252, so each candidate must also look like
    its script: kana for Shift-JIS, GB2312 pairs of CJK characters for GB18030, whole words
    of non-ASCII letters for Cyrillic cp1251; otherwise Western cp1252 (or latin-1)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_shape(data):
        return "utf-16"
    sjis = _decoded(data, "shift_jis")
    if sjis and _share(sjis, lambda c: "\u3040" <= c <= "\u30ff") >= 0.1:
        return "shift_jis"
    runs = [len(r) for r in re.findall(rb"[\x80-\xff]+", data)]
    gb = _decoded(data, "gb18030")
    cjk = gb and _share(gb, lambda c: "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef")
    if cjk and cjk > 0.9 and all(r % 2 == 0 for r in runs):  # two high bytes a character
        return "gb18030"
    if runs and sum(runs) / len(runs) >= 3 and _decoded(data, "cp1251"):
        return "cp1251"
    return "cp1252" if _decoded(data, "cp1252") else "latin-1"


def _utf16_shape(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: mostly ASCII with a NUL byte every other byte."""
    sample = data[:400]
    return len(sample) >= 4 and (
        sample[1::2].count(0) > 0.7 * len(sample[1::2])
        or sample[0::2].count(0) > 0.7 * len(sample[0::2])
    )


def _decoded(data: bytes, encoding: str) -> str:
    """The non-ASCII characters of `data` decoded with `encoding`, or "" if it fails."""
    try:
        return "".join(c for c in data.decode(encoding) if c >= "\x80")
    except UnicodeDecodeError:
        return ""


def _share(text: str, test: Callable[[str], bool]) -> float:
    return sum(map(test, text)) / len(text)


def load_config(root: Path, diags: Diagnostics) -> Config:
    """Read and validate site.yaml (a missing one is an error with a hint)."""
    for name in ("site.yaml", "site.yml"):
        if (root / name).is_file():
            text = read_text(root, name, diags)
            return read_config(text or "", name, diags) if text is not None else Config()
    diags.error(
        SourceLocation("site.yaml"),
        f"no site.yaml in {root}",
        "is this a site folder? 'scholarsite new DIR' creates one",
    )
    return Config()


@dataclass(frozen=True, slots=True)
class BibItem:
    """One entry of a `.bib` file: its key, where it starts, and what it gave."""

    key: str
    location: SourceLocation
    publication: Publication | None
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True)
class FileResult:
    """What one source file gave, before the files are put together (cacheable plain data).

    `records` holds the Entry items of a data list, the Page of a page, the BibItem of each
    entry of a bibliography; static files and templates have none.
    """

    rel: str
    kind: str
    records: tuple = ()
    diagnostics: tuple[Diagnostic, ...] = ()


register(BibItem, FileResult)


class RecordCache(Protocol):
    """Where parsed records are kept between reads in one process (see `cache.Cache`)."""

    def key(self, *parts: str) -> str: ...
    def get(self, key: str) -> object | None: ...
    def put(self, key: str, value: object, *, persist: bool = True) -> None: ...


def read_source(
    root: Path, src: SourceFile, config: Config, cache: RecordCache | None = None
) -> FileResult:
    """Read and parse one source file (from `cache` when its content was seen before)."""
    if src.kind == "static" and not _inside(root / src.rel, root):
        problem = Diagnostic(
            SourceLocation(src.rel),
            f"static file leads outside the site folder (to {os.path.realpath(root / src.rel)})",
            "copy the file into static/ instead of linking it: it would be published",
        )
        return FileResult(src.rel, src.kind, diagnostics=(problem,))
    if src.kind not in ("data", "bib", "page"):
        return FileResult(src.rel, src.kind)
    with open(os.path.join(root, src.rel), "rb", buffering=0) as fh:  # less overhead
        data = fh.read()
    key = cache.key("file", src.kind, src.rel, digest(data)) if cache is not None else ""
    if cache is not None:
        hit = cache.get(key)
        if isinstance(hit, FileResult):
            return hit
    diags = Diagnostics()
    text = decode_text(data, src.rel, diags)
    records: tuple = ()
    if text is not None and src.kind == "data":
        name = src.rel.split("/")[-1].rsplit(".", 1)[0]
        records = read_section(name, text, src.rel, diags)
    elif text is not None and src.kind == "bib":
        entries, problems = parse_bibtex(text, src.rel)
        diags.extend(problems)
        safe = _safe_chars(data, text)
        records = tuple(_bib_item(src.rel, raw, cache, safe) for raw in entries)
    elif text is not None and src.kind == "page":
        rel = src.rel.split("/", 1)[1]
        page = read_page(text, src.rel, rel, diags, config.languages)
        records = (page,) if page is not None else ()
    result = FileResult(src.rel, src.kind, records, tuple(diags.items))
    if cache is not None:
        cache.put(key, result, persist=False)  # see _bib_item
    return result


def _inside(path: Path, root: Path) -> bool:
    """Is the real path of `path` (symlinks followed) inside the real path of `root`?"""
    return os.path.realpath(path).startswith(os.path.realpath(root) + os.sep)


# Bytes that may start the UTF-8 form of an UNSAFE_CHARS character: C0 controls but tab,
# newline and CR, DEL, and the lead bytes of U+0080-U+009F, U+202A-U+202E, U+2066-U+2069,
# U+FFFE-U+FFFF.
_UNSAFE_BYTES = bytes([*range(9), 11, 12, *range(14, 32), 0x7F, 0xC2, 0xE2, 0xEF])
_OTHER_BYTES = bytes(b for b in range(256) if b not in _UNSAFE_BYTES)


def _safe_chars(data: bytes, text: str) -> bool:
    """Is `text` (decoded from the UTF-8 `data`) free of UNSAFE_CHARS? Mostly answered from
    the bytes, much faster than a regular expression."""
    return not data.translate(None, _OTHER_BYTES) or not UNSAFE_CHARS.search(text)


def _bib_item(
    rel: str, raw: RawEntry, cache: RecordCache | None, safe_chars: bool = False
) -> BibItem:
    """One entry, converted (or taken from `cache`: its key covers the text as written, its
    position and its fields with macros expanded).

    Parsed records are kept in memory only (`serve` converts just the entries an edit
    touched): read back from disk, 5,000 entries took longer to decode than to parse."""
    key = ""
    if cache is not None:
        fields = "\x00".join(f"{k}\x01{v}" for k, v in raw.fields.items())
        where = f"{raw.location.line}:{raw.location.col}"
        key = cache.key("bibentry", rel, where, raw.raw, fields)
        hit = cache.get(key)
        if isinstance(hit, BibItem):
            return hit
    diags = Diagnostics()
    pub = to_publication(raw, diags, safe_chars=safe_chars)
    item = BibItem(raw.key, raw.location, pub, tuple(diags.items))
    if cache is not None:
        cache.put(key, item, persist=False)
    return item


def assemble(config: Config, results: Iterable[FileResult], diags: Diagnostics) -> Parsed:
    """Put the files' records together (in path order): duplicate keys across files are
    errors here."""
    parsed = Parsed(config=config)
    seen_keys: dict[str, SourceLocation] = {}
    for result in results:
        diags.extend(result.diagnostics)
        if result.kind == "static":
            parsed.static_files.append(result.rel)
        elif result.kind == "template":
            parsed.templates.append(result.rel)
        elif result.kind == "data":
            name = result.rel.split("/")[-1].rsplit(".", 1)[0]
            parsed.sections[name] = result.records
        elif result.kind == "page":
            parsed.pages.extend(result.records)
        elif result.kind == "bib":
            for item in result.records:
                if item.key in seen_keys:
                    first = seen_keys[item.key]
                    diags.error(
                        item.location,
                        f"duplicate BibTeX key '{item.key}' (first at {first})",
                        "give each entry its own key",
                    )
                    continue
                seen_keys[item.key] = item.location
                diags.extend(item.diagnostics)
                if item.publication is not None:
                    parsed.publications.append(item.publication)
    return parsed


def parse(
    root: Path,
    config: Config,
    sources: list[SourceFile],
    diags: Diagnostics,
    *,
    cache: RecordCache | None = None,
) -> Parsed:
    """Read data lists, bibliographies and pages; gather all diagnostics."""
    return assemble(config, (read_source(root, src, config, cache) for src in sources), diags)
