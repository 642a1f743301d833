"""arXiv: e-prints by id from the Atom API `http://export.arxiv.org/api/query?id_list=...`.

Followed: the arXiv API User's Manual (sections 3.3 "Outline of an Atom feed", 3.4
"Errors", 5.2 "Details of Atom Results Returned"): one `<entry>` per id with `<id>`
(`http://arxiv.org/abs/<id>v<n>`), `<published>`, `<title>`, `<summary>`, `<author><name>`,
`<arxiv:doi>`, `<arxiv:journal_ref>`, `<arxiv:comment>`, `<arxiv:primary_category term>`;
an error is an answer with status 200 whose single entry has the title "Error", an id
under `http://arxiv.org/api/errors#...` and the reason in `<summary>`; the terms of use
ask for no more than one request every three seconds.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

from ..importers.bibentry import BibEntry
from .entries import plain_field, rekey
from .http import FetchError, Http

__all__ = ["API", "arxiv_id_of", "fetch_arxiv", "parse_feed"]

API = "http://export.arxiv.org/api/query"
NS = {"atom": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}
BATCH = 100

_NEW = r"\d{4}\.\d{4,5}"
_OLD = r"[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}"
_ID = re.compile(
    rf"^(?:arxiv:\s*|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)?({_NEW}|{_OLD})"
    rf"(v\d+)?(?:\.pdf)?/?$",
    re.I,
)
_DOI_ARXIV = re.compile(rf"^10\.48550/arxiv\.({_NEW}|{_OLD})$", re.I)
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def arxiv_id_of(text: str) -> str | None:
    """An arXiv id without version from `2112.07198`, `arXiv:2112.07198v2`, an abs/pdf URL
    or an arXiv DOI (10.48550/arXiv.2112.07198); None when it is not one."""
    text = text.strip()
    m = _DOI_ARXIV.match(text) or _ID.match(text)
    return m.group(1) if m else None


def _text(node: ET.Element, path: str) -> str:
    found = node.find(path, NS)
    return " ".join((found.text or "").split()) if found is not None else ""


def parse_feed(xml: str, source: str) -> list[BibEntry]:
    """The entries of an Atom answer; FetchError when arXiv reports an error."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise FetchError(source, f"arXiv's answer is not Atom XML ({exc})", "retry later") from None
    out = []
    for node in root.findall("atom:entry", NS):
        ident = _text(node, "atom:id")
        if "/api/errors" in ident or _text(node, "atom:title") == "Error":
            raise FetchError(
                source,
                f"arXiv: {_text(node, 'atom:summary') or 'error'}",
                "write arXiv ids like 2112.07198 or hep-th/9901001",
                exit_code=2,
            )
        m = re.search(rf"/abs/({_NEW}|{_OLD})(v\d+)?$", ident)
        if not m:
            continue
        fields: dict[str, str] = {"title": plain_field(_text(node, "atom:title"))}
        names = [_text(a, "atom:name") for a in node.findall("atom:author", NS)]
        fields["author"] = " and ".join(plain_field(n) for n in names if n)
        published = _text(node, "atom:published")
        if len(published) >= 7:
            fields["year"] = published[:4]
            fields["month"] = _MONTHS[int(published[5:7]) - 1]
        fields["eprint"] = m.group(1)
        fields["archiveprefix"] = "arXiv"
        category = node.find("arxiv:primary_category", NS)
        if category is not None and category.get("term"):
            fields["primaryclass"] = category.get("term", "")
        doi = _text(node, "arxiv:doi")
        if doi:
            fields["doi"] = doi.lower()
        journal = _text(node, "arxiv:journal_ref")
        if journal:
            fields["note"] = plain_field(journal)
        summary = _text(node, "atom:summary")
        if summary:
            fields["abstract"] = plain_field(summary)
        out.append(BibEntry("misc", m.group(1), fields))
    return out


def fetch_arxiv(ids: list[str], http: Http, api: str = API) -> list[BibEntry]:
    """One entry per arXiv id; ids arXiv does not know are reported, not skipped."""
    entries: list[BibEntry] = []
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        query = urlencode({"id_list": ",".join(chunk), "max_results": len(chunk)})
        url = f"{api}?{query}"
        answer = http.get(url, accept="application/atom+xml", what="the e-prints")
        found = parse_feed(answer.text(), url)
        missing = sorted(set(chunk) - {e.key for e in found})
        if missing:
            raise FetchError(
                url,
                f"arXiv does not know {', '.join(missing)}",
                "check the ids on https://arxiv.org/abs/<id>",
                exit_code=2,
            )
        entries += found
    return rekey(entries)
