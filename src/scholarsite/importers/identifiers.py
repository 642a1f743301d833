"""Identifiers of a paper found in links and fields: DOI, arXiv id, normalised title."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from ..latex import latex_to_text

__all__ = ["arxiv_id", "doi_of", "find_arxiv", "find_doi", "first_doi", "title_key"]

_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>{}]+)", re.I)
_DOI_URL = re.compile(
    r"(?:doi\.org/|/doi/(?:abs/|pdf/|full/|epdf/|book/)?)(10\.\d{4,9}/[^\s\"<>{}?#]+)", re.I
)
_ARXIV_NEW = r"\d{4}\.\d{4,5}"
_ARXIV_OLD = r"[a-z][a-z.\-]*(?:\.[A-Z]{2})?/\d{7}"
_ARXIV_URL = re.compile(rf"arxiv\.org/(?:abs|pdf|html)/({_ARXIV_NEW}|{_ARXIV_OLD})", re.I)
_ARXIV_TEXT = re.compile(rf"\barxiv(?:\s*preprint)?(?:\s*arxiv)?\s*[:/]?\s*({_ARXIV_NEW})", re.I)
_ARXIV_BARE = re.compile(rf"^(?:arxiv:\s*)?({_ARXIV_NEW}|{_ARXIV_OLD})(?:v\d+)?$", re.I)
_TRAILING = ".,;:)]"


def find_doi(text: str) -> str:
    """A DOI inside a URL (doi.org/..., .../doi/pdf/...) or text; "" when none."""
    m = _DOI_URL.search(text)
    if m is None and "doi" in text.lower():
        m = _DOI.search(text)
    return m.group(1).rstrip(_TRAILING) if m else ""


def doi_of(value: str) -> str:
    """A `doi` field value, normalised for comparison (prefix dropped, lowercase)."""
    value = value.strip()
    m = _DOI.search(value)
    return m.group(1).rstrip(_TRAILING).lower() if m else ""


def find_arxiv(text: str) -> str:
    """An arXiv id (no version) in a URL or text such as "arXiv preprint arXiv:2106.11148"."""
    m = _ARXIV_URL.search(text) or _ARXIV_TEXT.search(text)
    if m is None:
        return ""
    ident = m.group(1)
    return ident[:-4] if ident.lower().endswith(".pdf") else ident


def arxiv_id(fields: Mapping[str, str]) -> str:
    """The arXiv id of a BibTeX entry (arxiv/eprint fields, URLs, journal text), no version."""
    for name in ("arxiv", "eprint"):
        value = fields.get(name, "").strip()
        prefix = fields.get("archiveprefix", fields.get("eprinttype", "arxiv")).lower()
        if value and (name == "arxiv" or "arxiv" in prefix):
            m = _ARXIV_BARE.match(value) or _ARXIV_URL.search(value)
            if m:
                return m.group(1)
    for name in ("url", "pdf", "journal", "volume", "howpublished", "note", "booktitle"):
        found = find_arxiv(fields.get(name, ""))
        if found:
            return found
    return ""


_STOP = re.compile(r"[^\w]+", re.U)


def title_key(title: str) -> str:
    """A title for comparison: LaTeX decoded, accents and case folded, only letters/digits."""
    text = unicodedata.normalize("NFKD", latex_to_text(title))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return _STOP.sub("", text.replace("_", ""))


def first_doi(urls: Iterable[str]) -> str:
    """The first DOI found in any of `urls`."""
    for url in urls:
        found = find_doi(url)
        if found:
            return found
    return ""
