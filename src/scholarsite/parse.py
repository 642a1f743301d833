"""Read every source file into records: the `parse` stage of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import Diagnostics
from .model import Config, Entry, Page, Publication, SourceLocation
from .readers.bibtex import parse_bibtex
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
    data = (root / rel).read_bytes()
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
        diags.error(
            SourceLocation(rel, line, 1),
            "file contains a NUL byte",
            "is this a binary file? remove it or the NUL character",
        )
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _guess_encoding(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    for enc in ("gb18030", "shift_jis", "cp1252"):
        try:
            data.decode(enc)
            return enc
        except UnicodeDecodeError:
            continue
    return "latin-1"


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


def parse(root: Path, config: Config, sources: list[SourceFile], diags: Diagnostics) -> Parsed:
    """Read data lists, bibliographies and pages; gather all diagnostics."""
    parsed = Parsed(config=config)
    seen_keys: dict[str, SourceLocation] = {}
    for src in sources:
        if src.kind == "static":
            parsed.static_files.append(src.rel)
            continue
        if src.kind == "template":
            parsed.templates.append(src.rel)
            continue
        if src.kind == "config":
            continue
        text = read_text(root, src.rel, diags)
        if text is None:
            continue
        if src.kind == "data":
            name = src.rel.split("/")[-1].rsplit(".", 1)[0]
            parsed.sections[name] = read_section(name, text, src.rel, diags)
        elif src.kind == "bib":
            entries, problems = parse_bibtex(text, src.rel)
            diags.extend(problems)
            for raw in entries:
                if raw.key in seen_keys:
                    first = seen_keys[raw.key]
                    diags.error(
                        raw.location,
                        f"duplicate BibTeX key '{raw.key}' (first at {first})",
                        "give each entry its own key",
                    )
                    continue
                seen_keys[raw.key] = raw.location
                pub = to_publication(raw, diags)
                if pub is not None:
                    parsed.publications.append(pub)
        elif src.kind == "page":
            page = read_page(text, src.rel, src.rel.split("/", 1)[1], diags)
            if page is not None:
                parsed.pages.append(page)
    return parsed
