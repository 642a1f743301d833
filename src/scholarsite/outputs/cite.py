"""Cite exports: BibTeX, RIS and CSL-JSON for each paper, and the whole list as one .bib.

Files (under base_url): `/publications/<slug>/cite.bib`, `cite.ris`, `cite.json` and
`/publications.bib`. The BibTeX is normalised: standard fields only (the owner's own fields
such as `abbr`, `award`, `selected`, `pdf`, `code`, `links`, `author+an` are stripped),
in a fixed order, authors without role marks, a bare DOI, `eprint` for an arXiv id. Values
keep their LaTeX as written (`{BERT}` stays protected from re-casing).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping

from ..csl import csl_item, is_preprint
from ..deps import Job, TrackedSite
from ..markdown import inline_text
from ..model import EXPORTED_FIELDS, Author, Publication, Site
from ..views import Urls
from .meta import keywords_of, split_pages
from .output import Output

__all__ = [
    "BIBTEX_FIELDS",
    "CiteFiles",
    "cite_box",
    "cite_files",
    "cite_urls",
    "to_bibtex",
    "to_csl_json",
    "to_ris",
]

#: The standard fields kept in exports, in this order.
BIBTEX_FIELDS = EXPORTED_FIELDS  # the fields of cite.bib, in this order
_RIS_TYPES = {
    "article": "JOUR",
    "inproceedings": "CPAPER",
    "conference": "CPAPER",
    "proceedings": "CONF",
    "book": "BOOK",
    "inbook": "CHAP",
    "incollection": "CHAP",
    "phdthesis": "THES",
    "mastersthesis": "THES",
    "masterthesis": "THES",
    "thesis": "THES",
    "techreport": "RPRT",
    "report": "RPRT",
    "unpublished": "UNPB",
    "manual": "BOOK",
    "patent": "PAT",
}
_SPECIAL = str.maketrans({"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "$": r"\$"})


def cite_urls(slug: str) -> dict[str, str]:
    """Site paths of one paper's exports."""
    base = f"/publications/{slug}/"
    return {"bibtex": base + "cite.bib", "ris": base + "cite.ris", "json": base + "cite.json"}


class CiteFiles:
    """The export files as render jobs: one per paper, one for `publications.bib`."""

    def __init__(self, site: Site | TrackedSite) -> None:
        self.site = site if isinstance(site, TrackedSite) else TrackedSite(site)

    def jobs(self) -> Iterator[Job]:
        pubs = self.site.site.publications
        for pub in pubs:
            yield Job(f"publications/{pub.slug}/cite.*", self._paper, (pub.key,))
        if pubs:
            yield Job("publications.bib", self._all)

    def _bibtex(self, pub: Publication) -> str:
        return self.site.memo(("bibtex", pub.key), lambda: to_bibtex(pub))

    def _paper(self, key: str) -> Iterator[Output]:
        pub = self.site.publication(key)
        paths = cite_urls(pub.slug)
        yield Output.text(paths["bibtex"].lstrip("/"), self._bibtex(pub))
        yield Output.text(paths["ris"].lstrip("/"), to_ris(pub))
        yield Output.text(paths["json"].lstrip("/"), to_csl_json(pub))

    def _all(self) -> Iterator[Output]:
        entries = [self._bibtex(pub) for pub in self.site.publications]
        yield Output.text("publications.bib", "\n".join(entries))


def cite_box(pub: Publication, urls: Urls, bibtex: str) -> dict[str, str]:
    """What a landing page's cite box shows: the BibTeX and links to the three files
    (the files are shared by all languages: no language prefix)."""
    paths = cite_urls(pub.slug)
    return {
        "bibtex": bibtex,
        "bibtex_url": urls.static(paths["bibtex"]),
        "ris": urls.static(paths["ris"]),
        "json": urls.static(paths["json"]),
    }


def cite_files(site: Site | TrackedSite) -> Iterator[Output]:
    """Every export file of the site."""
    for job in CiteFiles(site).jobs():
        yield from job()


# -- BibTeX ----------------------------------------------------------------------------


def _raw_fields(pub: Publication) -> Mapping[str, str]:
    """The entry's field values as written (LaTeX kept)."""
    return {**pub.fields, **pub.bib_fields}


def _escape(text: str) -> str:
    return text.translate(_SPECIAL)


def _bib_name(author: Author) -> str:
    """`von Last, Jr, First` with LaTeX specials escaped; corporate names braced."""
    if author.literal:
        return "{" + _escape(author.last) + "}"
    last = " ".join(p for p in (author.von, author.last) if p)
    parts = [last, author.jr, author.first] if author.jr else [last, author.first]
    return _escape(", ".join(p for p in parts if p))


def _names(authors: tuple[Author, ...]) -> str:
    names = [_bib_name(a) for a in authors if not a.is_others]
    if any(a.is_others for a in authors):
        names.append("others")
    return " and ".join(names)


def to_bibtex(pub: Publication) -> str:
    """One normalised BibTeX entry."""
    raw = _raw_fields(pub)
    values: dict[str, str] = {}
    for name in BIBTEX_FIELDS:
        if name == "author":
            value = _names(pub.authors)
        elif name == "doi":
            value = pub.doi
        elif name == "url":
            value = pub.fields.get("url", "")
        elif name == "eprint":
            value = raw.get("eprint", "") or pub.arxiv
        elif name == "archiveprefix":
            value = raw.get("archiveprefix", "") or ("arXiv" if pub.arxiv else "")
        elif name == "editor":
            value = raw.get("editor", "")
        else:
            value = raw.get(name, "")
        value = " ".join(value.split())
        if value:
            values[name] = value
    lines = [f"@{pub.entry_type.lower()}{{{pub.key},"]
    width = max((len(n) for n in values), default=0)
    lines += [f"  {name.ljust(width)} = {{{value}}}," for name, value in values.items()]
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- RIS -------------------------------------------------------------------------------


def _ris_name(author: Author) -> str:
    if author.literal:
        return author.last
    last = " ".join(p for p in (author.von, author.last) if p)
    return ", ".join(p for p in (last, author.first, author.jr) if p)


def to_ris(pub: Publication) -> str:
    """One RIS record (CRLF line ends, as the format asks)."""
    f = pub.fields
    kind = "UNPB" if is_preprint(pub) else _RIS_TYPES.get(pub.entry_type.lower(), "GEN")
    tags: list[tuple[str, str]] = [("TY", kind)]
    tags += [("AU", _ris_name(a)) for a in pub.authors if not a.is_others]
    tags.append(("TI", inline_text(pub.title)))
    container = inline_text(f.get("booktitle") or f.get("journal") or f.get("venue") or "")
    if container:
        tags.append(("JO" if kind == "JOUR" else "T2", container))
    if pub.year:
        tags.append(("PY", str(pub.year)))
    for field, tag in (("volume", "VL"), ("number", "IS"), ("publisher", "PB"), ("address", "CY")):
        if f.get(field):
            tags.append((tag, f[field]))
    if f.get("pages"):
        first, last = split_pages(f["pages"])
        tags.append(("SP", first))
        if last:
            tags.append(("EP", last))
    for field in ("isbn", "issn"):
        if f.get(field):
            tags.append(("SN", f[field]))
    if pub.doi:
        tags.append(("DO", pub.doi))
    if f.get("url"):
        tags.append(("UR", f["url"]))
    if pub.arxiv:
        tags.append(("UR", f"https://arxiv.org/abs/{pub.arxiv}"))
    tags += [("KW", k) for k in keywords_of(pub)]
    if pub.abstract:
        tags.append(("AB", " ".join(pub.abstract.split())))
    tags.append(("ER", ""))
    return "".join(f"{tag}  - {_one_line(value)}".rstrip() + "\r\n" for tag, value in tags)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# -- CSL-JSON --------------------------------------------------------------------------


def to_csl_json(pub: Publication) -> str:
    """The paper as a CSL-JSON list of one item (what Zotero and citeproc read)."""
    return json.dumps([csl_item(pub)], ensure_ascii=False, indent=2) + "\n"
