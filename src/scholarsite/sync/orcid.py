"""ORCID: a researcher's public works from the ORCID public API v3.0.

Followed: the ORCID API v3.0 documentation and its JSON (`GET
https://pub.orcid.org/v3.0/<iD>/works` with `Accept: application/json` answers `{"group":
[{"external-ids": ..., "work-summary": [{"put-code", "title": {"title": {"value"}},
"type", "publication-date": {"year": {"value"}, ...}, "journal-title": {"value"},
"external-ids": {"external-id": [{"external-id-type": "doi", "external-id-value",
"external-id-relationship": "self"}]}, "display-index"}, ...]}]}`; the bulk read `GET
/v3.0/<iD>/works/<put-code>,<put-code>,...` (at most 100) answers `{"bulk": [{"work":
{..., "citation": {"citation-type": "bibtex", "citation-value"}, "contributors":
{"contributor": [{"credit-name": {"value"}, "contributor-attributes":
{"contributor-sequence", "contributor-role"}}]}}} | {"error": {...}}]}`; errors are JSON
with `response-code`, `developer-message`, `user-message`), and the iD checksum (ISO 7064
MOD 11-2, as ORCID documents it).

For each work (one per group: the summary the owner preferred), the entry is, in order of
preference: the work's BibTeX citation; else its DOI through Crossref/doi.org; else one
made from ORCID's own fields.
"""

from __future__ import annotations

import re

from ..importers.bibentry import BibEntry
from .crossref import fetch_dois
from .entries import bib_entries, plain_field, rekey
from .http import FetchError, Http

__all__ = ["API", "fetch_orcid", "orcid_of"]

API = "https://pub.orcid.org/v3.0"
BULK = 100

_ORCID = re.compile(
    r"^(?:https?://(?:www\.|sandbox\.)?orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])/?$", re.I
)
#: ORCID work types -> (BibTeX type, field for journal-title).
TYPES: dict[str, tuple[str, str]] = {
    "journal-article": ("article", "journal"),
    "conference-paper": ("inproceedings", "booktitle"),
    "book-chapter": ("incollection", "booktitle"),
    "book": ("book", "publisher"),
    "dissertation-thesis": ("phdthesis", "school"),
    "dissertation": ("phdthesis", "school"),
    "preprint": ("misc", "howpublished"),
    "report": ("techreport", "institution"),
}


def orcid_of(text: str) -> str | None:
    """An ORCID iD (`0000-0002-1825-0097`, also as a URL) whose checksum is right."""
    m = _ORCID.match(text.strip())
    if not m:
        return None
    ident = m.group(1).upper()
    digits = ident.replace("-", "")
    total = 0
    for ch in digits[:-1]:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    return ident if digits[-1] == ("X" if check == 10 else str(check)) else None


def _value(node: object, *path: str) -> str:
    for key in path:
        if not isinstance(node, dict):
            return ""
        node = node.get(key)
    return str(node) if node is not None and not isinstance(node, (dict, list)) else ""


def _ids(work: dict) -> dict[str, str]:
    out: dict[str, str] = {}
    for ext in (work.get("external-ids") or {}).get("external-id") or []:
        if ext.get("external-id-relationship", "self") != "self":
            continue
        kind = str(ext.get("external-id-type", "")).lower()
        out.setdefault(kind, str(ext.get("external-id-value", "")).strip())
    return out


def _preferred(group: dict) -> dict | None:
    summaries = [s for s in group.get("work-summary") or [] if isinstance(s, dict)]
    if not summaries:
        return None
    return max(summaries, key=lambda s: int(str(s.get("display-index") or 0) or 0))


def _from_fields(work: dict) -> BibEntry:
    entry_type, container = TYPES.get(str(work.get("type", "")), ("misc", "howpublished"))
    fields = {"title": plain_field(_value(work, "title", "title", "value"))}
    people = []
    for c in (work.get("contributors") or {}).get("contributor") or []:
        role = _value(c, "contributor-attributes", "contributor-role")
        if role in ("", "author") and _value(c, "credit-name", "value"):
            people.append(("", _value(c, "credit-name", "value")))
    if people:
        fields["author"] = " and ".join(plain_field(name) for _, name in people)
    venue = _value(work, "journal-title", "value")
    if venue:
        fields[container] = plain_field(venue)
    year = _value(work, "publication-date", "year", "value")
    if year:
        fields["year"] = year
    ids = _ids(work)
    if ids.get("doi"):
        fields["doi"] = ids["doi"].lower()
    if ids.get("arxiv"):
        fields["eprint"] = re.sub(r"^arxiv:", "", ids["arxiv"], flags=re.I)
        fields["archiveprefix"] = "arXiv"
    url = _value(work, "url", "value")
    if url and not fields.get("doi"):
        fields["url"] = url
    return BibEntry(entry_type, "orcid", fields)


def _citation(work: dict, source: str) -> BibEntry | None:
    citation = work.get("citation") or {}
    if str(citation.get("citation-type", "")).lower() != "bibtex":
        return None
    entries, _ = bib_entries(str(citation.get("citation-value") or ""), source)
    if not entries or not entries[0].fields.get("title"):
        return None
    entry = entries[0]
    fields = {k.lower(): v for k, v in entry.fields.items()}
    doi = _ids(work).get("doi")
    if doi and "doi" not in fields:
        fields["doi"] = doi.lower()
    return BibEntry(entry.entry_type.lower(), entry.key, fields)


def fetch_orcid(
    orcid: str, http: Http, api: str = API, *, doi_api: str = "", resolver: str = ""
) -> list[BibEntry]:
    """Every public work of one ORCID record."""
    url = f"{api}/{orcid}/works"
    data = http.get(url, accept="application/json", what=f"ORCID record {orcid}").json()
    if not isinstance(data, dict):
        raise FetchError(url, "unexpected answer from ORCID", "retry later")
    summaries = [s for g in data.get("group") or [] if (s := _preferred(g)) is not None]
    codes = [str(s["put-code"]) for s in summaries if s.get("put-code") is not None]
    works: dict[str, dict] = {}
    for start in range(0, len(codes), BULK):
        batch = ",".join(codes[start : start + BULK])
        bulk_url = f"{api}/{orcid}/works/{batch}"
        answer = http.get(bulk_url, accept="application/json", what="the works").json()
        for item in (answer or {}).get("bulk") or []:
            work = item.get("work") if isinstance(item, dict) else None
            if isinstance(work, dict) and work.get("put-code") is not None:
                works[str(work["put-code"])] = work
    entries: list[BibEntry] = []
    by_doi: list[tuple[int, str]] = []
    for summary in summaries:
        work = works.get(str(summary.get("put-code")), summary)
        entry = _citation(work, f"{url}#{summary.get('put-code')}")
        doi = _ids(work).get("doi", "").lower()
        if entry is None and doi:
            by_doi.append((len(entries), doi))
        entries.append(entry or _from_fields(work))
    for index, doi in by_doi:
        try:
            sources = {k: v for k, v in (("api", doi_api), ("resolver", resolver)) if v}
            entries[index] = fetch_dois([doi], http, **sources)[0]
        except FetchError as exc:
            if exc.exit_code != 2:
                raise  # the service is down: say so rather than sync half a record
            # an unknown DOI: keep the entry made from ORCID's fields
    return rekey(entries)
