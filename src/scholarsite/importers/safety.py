"""Unsafe links (javascript:, data:...) found in imported data: dropped from link fields and
unwrapped in text fields, each one reported, so the imported site builds."""

from __future__ import annotations

import re

from ..markdown import UNSAFE_CHARS, strip_unsafe_chars, unsafe_urls
from ..model import SourceLocation
from ..readers.publications import URL_FIELDS, parse_links
from ..urls import is_safe_url
from .bibentry import BibEntry
from .draft import SiteDraft
from .report import ImportReport

__all__ = ["clean_draft", "clean_entry"]

#: Keys of site.yaml and data items that hold one URL.
URL_KEYS = frozenset(
    {"url", "photo", "affiliation_url", "slides", "video", "code", "image", "preview", "base_url"}
)


def _clean_text(text: str, where: SourceLocation, report: ImportReport) -> str:
    if UNSAFE_CHARS.search(text):
        codes = sorted({f"U+{ord(c):04X}" for c in UNSAFE_CHARS.findall(text)})
        report.doubt(where, "invisible control characters removed", ", ".join(codes))
        text = strip_unsafe_chars(text)
    if "](" not in text and "<" not in text and ":" not in text:
        return text
    for url in unsafe_urls(text):
        report.doubt(where, "unsafe link removed (its text is kept)", url)
        esc = re.escape(url)
        label = r"((?:[^\[\]]|\[[^\[\]]*\])*)"  # one level of [brackets]: [[PDF]](url)
        text = re.sub(rf"!?\[{label}\]\(\s*<?{esc}>?(?:\s+\"[^\"]*\")?\s*\)", r"\1", text)
        text = re.sub(rf"(href|src)\s*=\s*([\"']?){esc}\2", r'\1="#"', text)
        text = text.replace(f"<{url}>", "")
    return text


def _clean(value: object, key: str, where: SourceLocation, report: ImportReport) -> object:
    """The value without unsafe links; None when nothing is left of it."""
    if isinstance(value, dict):
        inner = {
            k: _clean(v, "url" if key == "links" else k, where, report) for k, v in value.items()
        }
        out = {k: v for k, v in inner.items() if v is not None}
        return out if out or not value else None
    if isinstance(value, list):
        kept = [v for v in (_clean(v, key, where, report) for v in value) if v is not None]
        return kept if kept or not value else None
    if not isinstance(value, str):
        return value
    if key in URL_KEYS:
        if is_safe_url(value):
            return value
        report.doubt(where, f"unsafe link dropped from '{key}'", value)
        return None
    return _clean_text(value, where, report)


def clean_draft(draft: SiteDraft, report: ImportReport) -> None:
    """Make every value of the draft safe to build (in place)."""
    where = SourceLocation("site.yaml")
    draft.settings = _clean(draft.settings, "", where, report) or {}  # type: ignore[assignment]
    draft.profile = _clean(draft.profile, "", where, report) or {}  # type: ignore[assignment]
    for items in draft.sections.values():
        for item in items:
            item.fields = _clean(item.fields, "", item.source, report) or {}  # type: ignore[assignment]
    for i, entry in enumerate(draft.entries):
        draft.entries[i] = clean_entry(entry, report)
    draft.about_body = _clean_text(draft.about_body, SourceLocation("content/about.md"), report)
    for rel, text in draft.pages.items():
        draft.pages[rel] = _clean_text(text, SourceLocation(f"content/{rel}"), report)


def clean_entry(entry: BibEntry, report: ImportReport) -> BibEntry:
    """The entry without unsafe links (reported)."""
    where = entry.source or SourceLocation("publications.bib")
    fields: dict[str, str] = {}
    for name, value in entry.fields.items():
        if name == "links":
            pairs, rest = parse_links(value)
            kept = []
            for label, url in pairs:
                if is_safe_url(url):
                    kept.append(f"{label} = {url}")
                else:
                    report.doubt(where, f"unsafe link '{label}' dropped", url)
            if kept or rest:
                fields[name] = ", ".join(kept) if kept else value
        elif name in URL_FIELDS and name not in ("doi", "eprint", "arxiv", "links"):
            if is_safe_url(value.strip().strip("{}")):
                fields[name] = value
            else:
                report.doubt(where, f"unsafe link dropped from field '{name}'", value)
        else:
            fields[name] = _clean_text(value, where, report)
    return BibEntry(entry.entry_type, entry.key, fields, entry.source, entry.comments)
