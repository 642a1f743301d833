"""Shared pieces of folder importers: the files of a collection, paragraphs of a body,
dates, and links to files of the old site (copied along)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..model import SourceLocation
from .draft import SiteDraft
from .report import ImportReport

__all__ = ["local_link", "markdown_files", "paragraphs", "report_skipped", "year_month"]

_TEXT_SUFFIXES = {".md", ".markdown", ".mdown", ".html", ".htm", ".txt", ""}
_BINARY = re.compile(rb"\x00")


def markdown_files(folder: Path, report: ImportReport) -> list[Path]:
    """The page files of a collection folder, sorted; files without `.md` are read too."""
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or any(
            p.startswith((".", "_")) for p in path.relative_to(folder).parts
        ):
            continue
        if path.suffix.lower() not in _TEXT_SUFFIXES:
            continue
        if path.suffix == "" or path.suffix.lower() == ".txt":
            if _BINARY.search(path.read_bytes()[:4096]):
                continue
            report.doubt(SourceLocation(str(path)), "no .md extension: read as Markdown")
        out.append(path)
    return out


def paragraphs(body: str) -> list[str]:
    """Blank-line separated paragraphs, whitespace-trimmed, empty ones dropped."""
    return [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]


def year_month(value: object) -> tuple[str, str]:
    """("2009", "10") of a date as YAML gives it (str, date or datetime)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return str(value.year), str(value.month)
    text = str(value or "").strip()
    m = re.match(r"(\d{4})(?:[-/.](\d{1,2}))?", text)
    if not m:
        return "", ""
    month = str(int(m.group(2))) if m.group(2) and 1 <= int(m.group(2)) <= 12 else ""
    return m.group(1), month


def local_link(
    url: str, root: Path, site_url: str, draft: SiteDraft, report: ImportReport, at: SourceLocation
) -> str:
    """A link to a file of the old site: the file is copied to static/ and the link becomes
    a site path. Links elsewhere are returned unchanged."""
    parts = urlsplit(url)
    own = site_url and parts.netloc and parts.netloc == urlsplit(site_url).netloc
    if parts.scheme and not own:
        return url
    path = unquote(parts.path).lstrip("/")
    if not path or path.endswith("/"):
        return url
    for base in (root, root / "static", root / "assets"):
        source = base / path
        if source.is_file() and root.resolve() in source.resolve().parents:
            rel = source.relative_to(base).as_posix()
            draft.static[rel] = source
            report.record(at, "file of the old site", f"static/{rel}", url)
            return "/" + rel
    if not parts.scheme:
        report.doubt(at, "link to a file that is not in the site folder", url)
        return "/" + url.lstrip("/")
    return url


def report_skipped(root: Path, folders: tuple[str, ...], report: ImportReport) -> None:
    """Say which folders of the old site this importer does not read (nothing silently)."""
    for rel in folders:
        folder = root / rel
        if folder.is_dir():
            count = sum(1 for p in folder.rglob("*") if p.is_file())
            report.doubt(SourceLocation(str(folder)), f"not imported ({count} files): copy by hand")
