"""schema.org JSON-LD: `Person` for the home page, `ScholarlyArticle` for each paper.

Only schema.org types and properties are used (tests check them against a list). Values
are plain text: inline Markdown is reduced to its text, and the e-mail address is left out
(the site shows it in a form scrapers do not read; JSON-LD would undo that).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from markupsafe import Markup

from ..csl import is_preprint
from ..markdown import inline_text
from ..model import Entry, Publication, Site
from ..views import Lang
from .meta import file_url, keywords_of, split_pages

__all__ = ["person", "scholarly_article", "script"]

CONTEXT = "https://schema.org"
#: Entry types published inside a book (proceedings, collections) rather than a periodical.
_IN_BOOK = frozenset({"inproceedings", "conference", "incollection", "inbook"})


def script(data: Mapping[str, object]) -> Markup:
    """JSON for a `<script type="application/ld+json">` body: `<`, `>` and `&` escaped
    so that no value can end the script element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def person(site: Site, lang: Lang) -> dict[str, object]:
    """The site owner: name, native name, position, affiliation, education, awards, links."""
    prof = site.config.profile
    home = lang.urls.absolute("/")
    data: dict[str, object] = {
        "@context": CONTEXT,
        "@type": "Person",
        "@id": home + "#person",
        "name": lang.plain(prof.name) or lang.plain(site.config.title),
        "url": home,
    }
    if prof.native_name:
        data["alternateName"] = prof.native_name
    if prof.position:
        data["jobTitle"] = lang.plain(prof.position)
    if prof.affiliation:
        org: dict[str, object] = {"@type": "Organization", "name": lang.plain(prof.affiliation)}
        if prof.affiliation_url:
            org["url"] = prof.affiliation_url
        data["affiliation"] = org
    if prof.photo:
        data["image"] = file_url(lang.urls, prof.photo)
    if prof.interests:
        data["knowsAbout"] = [lang.plain(i) for i in prof.interests]
    schools = [_school(e, lang) for e in site.sections.get("education", ())]
    if schools:
        data["alumniOf"] = schools
    awards = [_award(e, lang) for e in site.sections.get("awards", ())]
    if awards:
        data["award"] = [a for a in awards if a]
    links = [url for url in prof.links.values() if url and "://" in url]
    if links:
        data["sameAs"] = links
    return data


def _school(entry: Entry, lang: Lang) -> dict[str, object]:
    out: dict[str, object] = {
        "@type": "EducationalOrganization",
        "name": lang.plain(entry.org) or lang.plain(entry.title),
    }
    if entry.url:
        out["url"] = entry.url
    return out


def _award(entry: Entry, lang: Lang) -> str:
    title = lang.plain(entry.title) or lang.plain(entry.org)
    when = ", ".join(entry.years) or entry.date
    return f"{title} ({when})" if title and when else title


def scholarly_article(pub: Publication, site: Site, lang: Lang) -> dict[str, object]:
    """One paper: title, authors, date, venue, pages, identifiers and links."""
    f = pub.fields
    urls = lang.urls
    title = inline_text(pub.title)
    data: dict[str, object] = {
        "@context": CONTEXT,
        "@type": "ScholarlyArticle",
        "@id": urls.absolute(f"/publications/{pub.slug}/") + "#article",
        "headline": title,
        "name": title,
        "url": urls.absolute(f"/publications/{pub.slug}/"),
        "author": [
            _author(a.display, a.is_owner, urls.absolute("/"))
            for a in pub.authors
            if not a.is_others
        ],
    }
    if pub.year:
        data["datePublished"] = str(pub.year)
    venue = inline_text(f.get("venue") or f.get("booktitle") or f.get("journal") or "")
    if venue and not is_preprint(pub):
        kind = "Book" if pub.entry_type.lower() in _IN_BOOK else "Periodical"
        data["isPartOf"] = {"@type": kind, "name": venue}
    publisher = f.get("publisher") or ("arXiv" if pub.arxiv and is_preprint(pub) else "")
    if publisher:
        data["publisher"] = {"@type": "Organization", "name": publisher}
    if f.get("pages"):
        first, last = split_pages(f["pages"])
        data["pagination"] = f"{first}-{last}" if last else first
        data["pageStart"] = first
        if last:
            data["pageEnd"] = last
    if pub.abstract:
        data["abstract"] = pub.abstract
    keywords = keywords_of(pub)
    if keywords:
        data["keywords"] = keywords
    if pub.award:
        data["award"] = pub.award
    same = []
    if pub.doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": pub.doi}
        same.append("https://doi.org/" + pub.doi)
    if pub.arxiv:
        same.append("https://arxiv.org/abs/" + pub.arxiv)
    if same:
        data["sameAs"] = same
    pdf = next((ln.url for ln in pub.links if ln.kind == "pdf"), "")
    if pdf:
        data["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": file_url(urls, pdf),
            "encodingFormat": "application/pdf",
        }
    return data


def _author(name: str, is_owner: bool, home: str) -> dict[str, object]:
    out: dict[str, object] = {"@type": "Person", "name": name}
    if is_owner:
        out["@id"] = home + "#person"
    return out
