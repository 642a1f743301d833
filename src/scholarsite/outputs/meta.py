"""Meta tags: Google Scholar's Highwire Press `citation_*` tags, OpenGraph and Twitter cards.

Each function returns plain (attribute, key, content) or (name, content) pairs; the
templates escape and print them. URLs are absolute when `base_url` has a host (OpenGraph and
Google Scholar need absolute URLs), root-relative otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from markupsafe import Markup, escape

try:  # escaping to str without making a Markup per value: ten times faster
    from markupsafe import _escape_inner as _escaped
except ImportError:  # pragma: no cover - markupsafe before 3.0

    def _escaped(text: str) -> str:
        return str(escape(text))


from ..csl import is_preprint
from ..markdown import inline_text
from ..model import Author, Publication, Site
from ..views import Lang, Urls

__all__ = [
    "MetaTag",
    "citation_author",
    "citation_meta",
    "describe_publication",
    "file_url",
    "meta_tags",
    "page_meta",
    "social_meta",
]

#: Entry types whose venue is a conference, for citation_conference_title.
CONFERENCE_TYPES = frozenset({"inproceedings", "conference", "proceedings"})
THESIS_TYPES = frozenset({"phdthesis", "mastersthesis", "masterthesis", "thesis"})
_PAGES = re.compile(r"^\s*([^\s\-–—]+)\s*(?:-+|–|—)\s*([^\s\-–—]+)\s*$")
_DESCRIPTION_LIMIT = 300


class MetaTag(NamedTuple):
    """One `<meta>`: `<meta {attr}="{key}" content="{content}">` (a tuple: a page has
    thirty, and a frozen dataclass took four times as long to make)."""

    attr: str
    key: str
    content: str


def meta_tags(tags: Iterable[Any]) -> Markup:
    """`tags` (MetaTags, or mappings with attr, key and content) as escaped `<meta>`
    lines: the templates' `meta_tags` filter. One pass in Python costs a fifth of the
    template loop it replaces (which was a third of a landing page's rendering)."""
    lines = []
    for tag in tags:
        attr, key, content = (
            (tag.attr, tag.key, tag.content)
            if isinstance(tag, MetaTag)
            else (tag["attr"], tag["key"], tag["content"])
        )
        lines.append(f'<meta {_html(attr)}="{_html(key)}" content="{_html(content)}">\n')
    return Markup("".join(lines))


def _html(value: object) -> str:
    """`value` escaped as Jinja's autoescape does (Markup is taken as it is)."""
    if type(value) is str:
        return _escaped(value)
    html = getattr(value, "__html__", None)
    return html() if html is not None else _escaped(str(value))


def file_url(urls: Urls, url: str) -> str:
    """A link to a file (photo, PDF) as an absolute URL where base_url has a host; a site
    path is put under base_url (never under a language prefix)."""
    if "://" in url or url.startswith(("mailto:", "//")):
        return url
    parts = urlsplit(urls.base_url)
    path = urls.static("/" + url.lstrip("/"))
    return f"{parts.scheme}://{parts.netloc}{path}" if parts.netloc else path


def citation_author(author: Author) -> str:
    """An author as Google Scholar reads it best: "Last, First" (von and Jr kept)."""
    if author.literal:
        return author.last
    last = " ".join(filter(None, (author.von, author.last)))
    parts = (last, author.jr, author.first) if author.jr else (last, author.first)
    return ", ".join(filter(None, parts))


def split_pages(pages: str) -> tuple[str, str]:
    """("11547", "11555") from "11547--11555"; (pages, "") for a single page or article id."""
    m = _PAGES.match(pages)
    return (m.group(1), m.group(2)) if m else (pages.strip(), "")


def citation_meta(pub: Publication, urls: Urls) -> list[MetaTag]:
    """The `citation_*` tags of Google Scholar's inclusion guidelines for one paper."""
    f = pub.fields
    tags: list[tuple[str, str]] = [("citation_title", inline_text(pub.title))]
    tags += [("citation_author", citation_author(a)) for a in pub.authors if not a.is_others]
    if pub.year:
        month = _month_number(pub.month)
        tags.append(
            ("citation_publication_date", f"{pub.year}/{month:02d}" if month else str(pub.year))
        )
    kind = pub.entry_type.lower()
    venue = inline_text(f.get("venue") or f.get("booktitle") or f.get("journal") or "")
    if venue and not is_preprint(pub):
        if kind in CONFERENCE_TYPES:
            tags.append(("citation_conference_title", venue))
        elif kind in ("incollection", "inbook"):
            tags.append(("citation_inbook_title", venue))
        else:
            tags.append(("citation_journal_title", venue))
    for field, name in (
        ("volume", "citation_volume"),
        ("number", "citation_issue"),
        ("isbn", "citation_isbn"),
        ("issn", "citation_issn"),
        ("publisher", "citation_publisher"),
    ):
        if f.get(field):
            tags.append((name, f[field]))
    if f.get("pages"):
        first, last = split_pages(f["pages"])
        tags.append(("citation_firstpage", first))
        if last:
            tags.append(("citation_lastpage", last))
    if kind in THESIS_TYPES and f.get("school"):
        tags.append(("citation_dissertation_institution", f["school"]))
    if kind in ("techreport", "report") and f.get("institution"):
        tags.append(("citation_technical_report_institution", f["institution"]))
    pdf = next((ln.url for ln in pub.links if ln.kind == "pdf"), "")
    if pdf:
        tags.append(("citation_pdf_url", file_url(urls, pdf)))
    if pub.doi:
        tags.append(("citation_doi", pub.doi))
    if pub.arxiv:
        tags.append(("citation_arxiv_id", pub.arxiv))
    tags.append(("citation_abstract_html_url", urls.absolute(f"/publications/{pub.slug}/")))
    keywords = keywords_of(pub)
    if keywords:
        tags.append(("citation_keywords", "; ".join(keywords)))
    return [MetaTag("name", k, v) for k, v in tags if v]


def keywords_of(pub: Publication) -> list[str]:
    """The `keywords` (or `tags`) of an entry, split on , and ;."""
    text = pub.fields.get("keywords") or pub.fields.get("tags") or ""
    return [k.strip() for k in re.split(r"[,;]", text) if k.strip()]


def describe_publication(pub: Publication) -> str:
    """A one-paragraph description: the abstract, else authors, venue and year."""
    if pub.abstract:
        return _shorten(" ".join(pub.abstract.split()))
    names = ", ".join(a.display for a in pub.authors)
    where = ", ".join(p for p in (inline_text(pub.venue), str(pub.year or "")) if p)
    return _shorten(". ".join(p for p in (names, where) if p) + ".")


def social_meta(
    *,
    kind: str,
    title: str,
    description: str,
    url: str,
    site_name: str,
    image: str = "",
    locale: str = "",
    authors: Sequence[str] = (),
    published: str = "",
) -> list[MetaTag]:
    """OpenGraph (`property="og:*"`) and Twitter card (`name="twitter:*"`) tags.

    `url` and `image` are left out unless absolute (OpenGraph requires absolute URLs);
    SVG images are left out too (link previews do not show them)."""
    og_type = {"home": "profile", "publication": "article", "post": "article"}.get(kind, "website")
    tags = [
        MetaTag("property", "og:type", og_type),
        MetaTag("property", "og:title", title),
        MetaTag("property", "og:site_name", site_name),
    ]
    if description:
        tags.append(MetaTag("property", "og:description", _shorten(description)))
    if "://" in url:
        tags.append(MetaTag("property", "og:url", url))
    usable_image = "://" in image and not image.lower().endswith(".svg")
    if usable_image:
        tags.append(MetaTag("property", "og:image", image))
    if locale:
        tags.append(MetaTag("property", "og:locale", locale))
    if og_type == "article":
        tags += [MetaTag("property", "article:author", a) for a in authors]
        if published:
            tags.append(MetaTag("property", "article:published_time", published))
    tags.append(MetaTag("name", "twitter:card", "summary"))
    tags.append(MetaTag("name", "twitter:title", title))
    if description:
        tags.append(MetaTag("name", "twitter:description", _shorten(description)))
    if usable_image:
        tags.append(MetaTag("name", "twitter:image", image))
    return [t for t in tags if t.content]


def page_meta(
    site: Site,
    lang: Lang,
    *,
    kind: str,
    title: str,
    path: str,
    pub: Publication | None = None,
    url: str = "",
) -> list[MetaTag]:
    """Every meta tag of one page: OpenGraph and Twitter, and for a paper `citation_*`.
    `url` is the page's canonical URL (default: `path` under base_url and the language)."""
    cfg = site.config
    prof = cfg.profile
    if pub is not None:
        description = describe_publication(pub)
    else:
        who = ", ".join(p for p in (lang.plain(prof.position), lang.plain(prof.affiliation)) if p)
        description = lang.plain(cfg.description) or who
    tags = citation_meta(pub, lang.urls) if pub is not None else []
    return tags + social_meta(
        kind=kind,
        title=title,
        description=description,
        url=url or lang.urls.absolute(path),
        site_name=lang.plain(cfg.title),
        image=file_url(lang.urls, prof.photo) if prof.photo else "",
        locale=og_locale(lang.code),
        authors=[a.display for a in pub.authors if not a.is_others] if pub is not None else (),
        published=str(pub.year) if pub is not None and pub.year else "",
    )


def og_locale(lang: str) -> str:
    """OpenGraph's locale form: en -> en_US, zh -> zh_CN, pt-BR -> pt_BR."""
    defaults = {"en": "en_US", "zh": "zh_CN", "de": "de_DE", "fr": "fr_FR", "ja": "ja_JP"}
    if "-" in lang:
        a, b = lang.split("-", 1)
        return f"{a.lower()}_{b.upper()}"
    return defaults.get(lang, lang)


def _month_number(month: str) -> int:
    names = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    key = month.strip()[:3].lower()
    if key in names:
        return names.index(key) + 1
    return int(month) if month.isdigit() and 1 <= int(month) <= 12 else 0


def _shorten(text: str, limit: int = _DESCRIPTION_LIMIT) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[: cut if cut > 0 else limit - 1].rstrip(",;:") + "…"
