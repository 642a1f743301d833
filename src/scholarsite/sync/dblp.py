"""DBLP: a person's whole bibliography from `https://dblp.org/pid/<PID>.bib`.

Followed: the dblp FAQ ("How can I fetch all publications of one specific author?":
`https://dblp.org/pid/<pid>.xml` / `.bib`) and the BibTeX dblp serves (standard format:
`DBLP:`-prefixed keys, `timestamp`/`biburl`/`bibsource` fields, CoRR preprints as
`@article` with `journal = {CoRR}`, `eprinttype = {arXiv}`, `eprint = {...}`, homonym
numbers such as "Wei Wang 0001" in names).
"""

from __future__ import annotations

import re

from ..importers.bibentry import BibEntry
from .entries import bib_entries, rekey
from .http import FetchError, Http

__all__ = ["BASE", "fetch_dblp", "parse_dblp", "pid_of"]

BASE = "https://dblp.org"

_PID = re.compile(r"^(?:[a-z]/[A-Za-z0-9_=-]+|\d+/\d+(?:-\d+)?)$")
_PID_URL = re.compile(
    r"dblp\.(?:org|uni-trier\.de)/pid/([^?#]+?)(?:\.(?:html|bib|xml))?/?(?:[?#].*)?$"
)
_HOMONYM = re.compile(r"\s+\d{4}(?=\s+and\s|\s*$)")
_URL_OF_DOI = re.compile(r"^https?://(?:dx\.)?doi\.org/", re.I)


def pid_of(text: str) -> str | None:
    """A dblp person id (`140/6685`, `h/GeoffreyEHinton`) from itself or its page URL."""
    text = text.strip()
    m = _PID_URL.search(text)
    pid = m.group(1) if m else text
    return pid if _PID.match(pid) else None


def parse_dblp(text: str, source: str) -> list[BibEntry]:
    """dblp BibTeX -> clean entries: readable keys, no homonym numbers, no URL that only
    repeats the DOI, DOIs in lowercase (they are case-insensitive; dblp upper-cases them)."""
    entries, _ = bib_entries(text, source)
    out = []
    for e in entries:
        fields = dict(e.fields)
        if "title" in fields:  # dblp writes the $ of math as {\textdollar} and ^ as {\^{}}
            title = fields["title"].replace("{\\textdollar}", "$").replace("{\\^{}}", "^")
            fields["title"] = title.replace("{\\_}", "_") if "$" in title else title
        for name in ("author", "editor"):
            if name in fields:
                fields[name] = _HOMONYM.sub("", " ".join(fields[name].split()))
        if "doi" in fields:
            fields["doi"] = fields["doi"].strip().lower()
            if _URL_OF_DOI.sub("", fields.get("url", "")).lower() == fields["doi"]:
                del fields["url"]
            if fields["doi"].startswith("10.48550/arxiv.") and fields.get("eprint"):
                del fields["doi"]  # arXiv's DOI of a CoRR entry: the eprint says it
        out.append(BibEntry(e.entry_type, e.key, fields, e.source))
    return rekey(out)


def fetch_dblp(pid: str, http: Http, base: str = BASE) -> list[BibEntry]:
    """Every publication of one dblp person."""
    url = f"{base}/pid/{pid}.bib"
    answer = http.get(
        url, accept="application/x-bibtex, text/plain;q=0.5", what=f"dblp person {pid}"
    )
    text = answer.text()
    if not text.lstrip().startswith(("@", "%")) and text.strip():
        hint = "check the person id: the end of the address of its dblp page"
        raise FetchError(url, "dblp did not answer with BibTeX", hint)
    return parse_dblp(text, url)
