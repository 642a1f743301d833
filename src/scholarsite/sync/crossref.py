"""DOIs: Crossref's REST API first, doi.org content negotiation for the others.

Followed: the Crossref REST API documentation (`GET https://api.crossref.org/works/{doi}`
answers `{"status": "ok", "message-type": "work", "message": {...}}` with `type`, `title`
[list], `author` [{given, family, sequence} or {name}], `container-title` [list],
`published` / `published-print` / `issued` `{"date-parts": [[y, m, d]]}`, `volume`,
`issue`, `page`, `publisher`, `DOI`, `URL`; etiquette: a User-Agent naming the tool and a
mailto) and Crossref's and DataCite's content negotiation documentation (`GET
https://doi.org/{doi}` with `Accept: application/x-bibtex` redirects to the registration
agency, which answers BibTeX). DOIs of other agencies (DataCite: Zenodo, arXiv) are not in
the REST API (404), so they go through content negotiation.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ..importers.bibentry import BibEntry
from .entries import bib_entries, name_field, plain_field, rekey
from .http import FetchError, Http

__all__ = ["API", "RESOLVER", "doi_of", "entry_from_work", "fetch_dois"]

API = "https://api.crossref.org"
RESOLVER = "https://doi.org"

_DOI = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.I)
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

#: Crossref work types -> (BibTeX type, field for container-title).
TYPES: dict[str, tuple[str, str]] = {
    "journal-article": ("article", "journal"),
    "proceedings-article": ("inproceedings", "booktitle"),
    "book-chapter": ("incollection", "booktitle"),
    "book-part": ("incollection", "booktitle"),
    "book-section": ("incollection", "booktitle"),
    "book": ("book", "series"),
    "monograph": ("book", "series"),
    "edited-book": ("book", "series"),
    "dissertation": ("phdthesis", "school"),
    "report": ("techreport", "institution"),
    "posted-content": ("misc", "howpublished"),
    "dataset": ("misc", "howpublished"),
}


def doi_of(text: str) -> str | None:
    """A bare, lowercase DOI from `10.x/y`, `doi:10.x/y` or a doi.org URL; None if not one."""
    m = _DOI.match(text.strip())
    return m.group(1).rstrip(".,;").lower() if m else None


def _first(value: object) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value or "")


def _date(work: dict) -> tuple[str, str]:
    for key in ("published-print", "published", "issued", "published-online", "created"):
        parts = (work.get(key) or {}).get("date-parts") or [[]]
        first = parts[0] if parts else []
        if first and first[0]:
            month = _MONTHS[int(first[1]) - 1] if len(first) > 1 and first[1] else ""
            return str(first[0]), month
    return "", ""


def entry_from_work(work: dict) -> BibEntry:
    """A Crossref `message` (one work) as a BibTeX entry."""
    entry_type, container = TYPES.get(str(work.get("type", "")), ("misc", "howpublished"))
    fields: dict[str, str] = {}
    title = plain_field(_first(work.get("title")))
    subtitle = plain_field(_first(work.get("subtitle")))
    fields["title"] = f"{title}: {subtitle}" if subtitle and subtitle not in title else title
    people = [
        (a.get("given", ""), a.get("family", "") or a.get("name", ""))
        for a in work.get("author") or []
        if isinstance(a, dict)
    ]
    if people:
        fields["author"] = name_field(people)
    venue = plain_field(_first(work.get("container-title")))
    if venue:
        fields[container] = venue
    year, month = _date(work)
    for name, value in (
        ("volume", work.get("volume")),
        ("number", work.get("issue")),
        ("pages", str(work.get("page") or "").replace("-", "--")),
        ("year", year),
        ("month", month),
        ("publisher", work.get("publisher")),
    ):
        if value:
            fields[name] = plain_field(str(value))
    doi = str(work.get("DOI") or "").lower()
    if doi:
        fields["doi"] = doi
    return BibEntry(entry_type, "crossref", fields)


def _from_crossref(doi: str, http: Http, api: str) -> BibEntry | None:
    url = f"{api}/works/{quote(doi, safe='/:;()')}"
    try:
        data = http.get(url, accept="application/json", what=f"DOI {doi}").json()
    except FetchError as exc:
        if exc.exit_code == 2:
            return None  # not a Crossref DOI: ask doi.org
        raise
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict):
        raise FetchError(url, "unexpected answer from Crossref (no 'message')", "retry later")
    return entry_from_work(message)


def _from_resolver(doi: str, http: Http, resolver: str) -> BibEntry:
    url = f"{resolver}/{quote(doi, safe='/:;()')}"
    answer = http.get(url, accept="application/x-bibtex; charset=utf-8", what=f"DOI {doi}")
    entries, _ = bib_entries(answer.text(), url)
    if not entries:
        raise FetchError(url, f"no BibTeX for DOI {doi}", "check the DOI at https://doi.org/")
    entry = entries[0]
    fields = {k.lower(): v for k, v in entry.fields.items()}
    fields["doi"] = doi
    if re.match(r"https?://(dx\.)?doi\.org/", fields.get("url", ""), re.I):
        del fields["url"]  # the doi field makes that link
    return BibEntry(entry.entry_type.lower(), entry.key, fields, entry.source)


def fetch_dois(
    dois: list[str], http: Http, *, api: str = API, resolver: str = RESOLVER
) -> list[BibEntry]:
    """One entry per DOI (in the order given)."""
    out = []
    for doi in dois:
        entry = _from_crossref(doi, http, api)
        out.append(entry if entry is not None else _from_resolver(doi, http, resolver))
    return rekey(out)
