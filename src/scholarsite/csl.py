"""Reference styles: publications as CSL-JSON, formatted by citeproc-py in a CSL style.

`csl_item(pub)` is one publication as a CSL-JSON item (also the `cite.json` export).
`ReferenceFormatter(style)` formats publications as HTML in one of the CSL styles shipped
in `styles/` (or a `.csl` file of the site) and keeps our own marks: the owner as
`<strong class="owner">` and role marks as `<sup class="role role-equal">*</sup>`, whatever
name order, initials or et-al rule the style applies.

How the marks survive: each marked author's name parts carry four private-use characters
(before the given name, around the family name, after the suffix); citeproc-py moves them
with the name, and afterwards the span from the first to the last of them is the rendered
name, widened to whole HTML elements, wrapped and cleaned of the markers.

citeproc-py takes milliseconds per reference, so every formatted reference is kept by
(style, locale, CSL item with marks): in memory, and in `store` (the build cache, which
persists them in `.scholarsite-cache/`) when one is given.
"""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Protocol

from markupsafe import Markup

from .markdown import inline_text
from .model import ROLE_SYMBOLS, Author, Publication
from .names import split_names

__all__ = [
    "DEFAULT_STYLE",
    "STYLES",
    "ReferenceFormatter",
    "csl_item",
    "csl_locale",
    "csl_type",
    "is_preprint",
    "resolve_style",
    "style_names",
]

STYLES_DIR = Path(__file__).parent / "styles"
DEFAULT_STYLE = "default"
#: `reference_style` values -> the CSL file shipped in styles/ (checked by eye, see tests).
STYLES: Mapping[str, str] = MappingProxyType(
    {
        "apa": "apa.csl",
        "ieee": "ieee.csl",
        "chicago": "chicago-author-date.csl",
        "acm": "association-for-computing-machinery.csl",
    }
)
_ALIASES = {
    "apa7": "apa",
    "chicago-author-date": "chicago",
    "association-for-computing-machinery": "acm",
}
#: BibTeX entry type -> CSL type.
_TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "book": "book",
    "manual": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "masterthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "unpublished": "manuscript",
    "misc": "article",
    "online": "webpage",
    "patent": "patent",
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_LOCALES = {"en": "en-US", "zh": "zh-CN", "de": "de-DE", "fr": "fr-FR", "es": "es-ES"}
_PREPRINT_SERVER = re.compile(r"^\s*(arxiv|corr|biorxiv|medrxiv|ssrn)\b", re.I)
_CSL_NS = {"cs": "http://purl.org/net/xbiblio/csl"}
_MARK_BASE = 0xF0000  # Supplementary Private Use Area-A: never in real text
_MARK_RE = re.compile("[\U000f0000-\U000ffffd]")
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_MEMORY: OrderedDict[str, str] = OrderedDict()
_MEMORY_SIZE = 50_000


class ReferenceStore(Protocol):
    """Where formatted references persist between builds (the build cache has this API)."""

    def get(self, key: str) -> object | None: ...

    def put(self, key: str, value: object) -> None: ...


def style_names() -> tuple[str, ...]:
    """Every value `reference_style` accepts besides a path to a .csl file."""
    return (DEFAULT_STYLE, *STYLES)


def resolve_style(name: str, root: Path | None = None) -> Path | None:
    """The CSL file of a style name (or of a site-relative `.csl` path); None if unknown."""
    name = name.strip()
    if name.endswith(".csl"):
        path = (root or Path(".")) / name
        return path if path.is_file() else None
    key = _ALIASES.get(name.lower(), name.lower())
    return STYLES_DIR / STYLES[key] if key in STYLES else None


def csl_locale(lang: str) -> str:
    """The citeproc-py locale for a site language code (en -> en-US)."""
    if "-" in lang:
        return lang
    return _LOCALES.get(lang, "en-US")


def is_preprint(pub: Publication) -> bool:
    """A preprint: by `status`, by having neither year nor status, or by its venue (arXiv,
    CoRR, bioRxiv, medRxiv, SSRN: "journal = {arXiv preprint arXiv:2106.11148}")."""
    if pub.status:
        return pub.status == "preprint"
    venue = pub.fields.get("journal") or pub.fields.get("venue") or ""
    return not pub.year or bool(_PREPRINT_SERVER.match(venue))


def csl_type(pub: Publication) -> str:
    """The CSL type of a publication; preprints are `article`."""
    if is_preprint(pub):
        return "article"
    return _TYPES.get(pub.entry_type.lower(), "article")


def _name(author: Author) -> dict[str, str]:
    if author.literal:
        return {"literal": author.last}
    out = {"family": author.last}
    if author.first:
        out["given"] = author.first
    if author.von:
        out["non-dropping-particle"] = author.von
    if author.jr:
        out["suffix"] = author.jr
    return out


def csl_item(pub: Publication, *, abstract: bool = True) -> dict[str, object]:
    """One publication as a CSL-JSON item (https://citeproc-js.readthedocs.io/)."""
    f = pub.fields
    kind = csl_type(pub)
    item: dict[str, object] = {"id": pub.key, "type": kind, "title": inline_text(pub.title)}
    authors = [_name(a) for a in pub.authors if not a.is_others]
    if authors:
        item["author"] = authors
    editors = [_name(a) for a in split_names(f.get("editor", "")) if not a.is_others]
    if editors:
        item["editor"] = editors
    container = f.get("venue") or next(
        (f[k] for k in ("booktitle", "journal", "journaltitle") if f.get(k)), ""
    )
    publisher = next((f[k] for k in ("publisher", "school", "institution") if f.get(k)), "")
    if kind == "article" and _PREPRINT_SERVER.match(container):
        # "journal = {arXiv preprint}" names the server, the way CSL writes a preprint.
        publisher, container = publisher or "arXiv", ""
        if pub.arxiv:
            item["number"] = f"arXiv:{pub.arxiv}"
    if container:
        item["container-title"] = inline_text(container)
    if publisher:
        item["publisher"] = publisher
    simple = {
        "volume": "volume",
        "edition": "edition",
        "series": "collection-title",
        "address": "publisher-place",
        "isbn": "ISBN",
        "issn": "ISSN",
    }
    for field, key in simple.items():
        if f.get(field):
            item[key] = f[field]
    if f.get("number") and "number" not in item:
        item["issue" if kind == "article-journal" else "number"] = f["number"]
    if f.get("pages"):
        item["page"] = re.sub(r"\s*[-–—]+\s*", "-", f["pages"])
    if pub.entry_type.lower() in ("phdthesis", "mastersthesis", "masterthesis"):
        item["genre"] = "PhD thesis" if pub.entry_type.lower() == "phdthesis" else "Master's thesis"
    if pub.year:
        parts = [pub.year]
        month = pub.month[:3].lower()
        if month in _MONTHS:
            parts.append(_MONTHS.index(month) + 1)
        item["issued"] = {"date-parts": [parts]}
    if pub.doi:
        item["DOI"] = pub.doi
    url = f.get("url") or (f"https://arxiv.org/abs/{pub.arxiv}" if pub.arxiv else "")
    if url:
        item["URL"] = url
    if abstract and pub.abstract:
        item["abstract"] = pub.abstract
    return item


def _markers(index: int) -> tuple[str, str, str, str]:
    """Before-given, family-start, family-end and after-suffix markers of author `index`."""
    base = _MARK_BASE + 4 * index
    return chr(base), chr(base + 1), chr(base + 2), chr(base + 3)


class ReferenceFormatter:
    """Formats publications in one CSL style as HTML, with owner and role marks kept."""

    def __init__(
        self,
        style: str,
        *,
        lang: str = "en",
        root: Path | None = None,
        store: ReferenceStore | None = None,
    ) -> None:
        path = resolve_style(style, root)
        if path is None:
            known = ", ".join(style_names())
            raise ValueError(f"unknown reference style {style!r} (known: {known}, or a .csl)")
        self.style = style
        self.path = path
        self.locale = csl_locale(lang)
        self.store = store
        digest = hashlib.sha256(path.read_bytes())
        digest.update(self.locale.encode())
        self._style_key = digest.hexdigest()
        self._csl = None
        self._artifacts = ""

    # -- public ----------------------------------------------------------------------
    def format(self, pub: Publication) -> Markup:
        """One publication as an HTML reference (cached by entry content and style)."""
        item, marked = self._marked_item(pub)
        key = self._key(item, marked)
        html = _MEMORY.get(key)  # formatted in this process
        stored = None
        if html is None and self.store is not None:
            stored = self.store.get("csl:" + key)
            html = stored if isinstance(stored, str) else None
        if html is None:
            html = self._render(item, marked)
            _remember(key, html)  # only what was formatted here: --clean trusts no file
        if self.store is not None and stored is None:
            self.store.put("csl:" + key, html)  # (a build's cache keeps what it used)
        return Markup(html)

    def format_all(self, pubs: Iterable[Publication]) -> dict[str, Markup]:
        """Every publication's reference, by BibTeX key."""
        return {p.key: self.format(p) for p in pubs}

    # -- internals -------------------------------------------------------------------
    def _marked_item(self, pub: Publication) -> tuple[dict, dict[int, Author]]:
        item = csl_item(pub, abstract=False)
        item["id"] = "ref"
        marked: dict[int, Author] = {}
        names = [a for a in pub.authors if not a.is_others]
        for i, author in enumerate(names):
            if author.is_owner or author.roles:
                marked[i] = author
        return item, marked

    def _key(self, item: dict, marked: dict[int, Author]) -> str:
        marks = {i: [a.is_owner, sorted(a.roles)] for i, a in marked.items()}
        payload = json.dumps([item, marks], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256((self._style_key + payload).encode()).hexdigest()

    def _load(self):
        if self._csl is None:
            from citeproc import CitationStylesStyle

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                style = CitationStylesStyle(str(self.path), locale=self.locale, validate=False)
            # Our lists number themselves: drop the style's "[1]" / "1." labels.
            expr = "//cs:text[@variable='citation-number'][not(ancestor::cs:citation)]"
            for el in style.root.xpath(expr, namespaces=_CSL_NS):
                el.getparent().remove(el)
            # A list of one's own papers names every author (the owner may be the 9th):
            # no "et al." truncation.
            for el in style.root.xpath("//cs:bibliography | //cs:name", namespaces=_CSL_NS):
                if el.tag.endswith("bibliography") or el.get("et-al-min"):
                    el.set("et-al-min", "100000")
                    el.set("et-al-use-first", "100000")
                    for attr in ("et-al-subsequent-min", "et-al-subsequent-use-first"):
                        el.attrib.pop(attr, None)
            marks = {
                str(el.get("initialize-with")).strip()
                for el in style.root.iter()
                if isinstance(el.tag, str) and el.get("initialize-with")
            }
            # Initials put "<mark> " before a given name that starts with a marker.
            longest_first = sorted((m for m in marks if m), key=len, reverse=True)
            self._artifacts = "|".join(re.escape(m + " ") for m in longest_first)
            self._csl = style
        return self._csl

    def _render(self, item: dict, marked: dict[int, Author]) -> str:
        from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter

        style = self._load()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            source = _source_class()([_with_marks(item, marked)])
            bib = CitationStylesBibliography(style, source, formatter.html)
            bib.register(Citation([CitationItem("ref")]))
            entries = bib.bibliography()
        html = "".join(str(part) for part in entries[0]) if entries else ""
        return self._finish(html, marked)

    def _finish(self, html: str, marked: dict[int, Author]) -> str:
        if marked:
            given = "".join(_markers(i)[0] for i in marked)
            prefix = f"(?:{self._artifacts})?" if self._artifacts else ""
            html = re.sub(f"{prefix}([{given}]) ?", r"\1", html)
        spans = []
        for i, author in marked.items():
            found = [html.find(m) for m in _markers(i)]
            found = [p for p in found if p >= 0]
            if found:
                spans.append((min(found), max(found) + 1, author))
        for start, end, author in sorted(spans, key=lambda s: s[0], reverse=True):
            start, end = _whole_elements(html, start, end)
            name = html[start:end]
            if author.is_owner:
                name = f'<strong class="owner">{name}</strong>'
            name += "".join(
                f'<sup class="role role-{role}">{sym}</sup>'
                for role, sym in ROLE_SYMBOLS.items()
                if role in author.roles
            )
            html = html[:start] + name + html[end:]
        html = _MARK_RE.sub("", html)
        # A name whose suffix was only our marker leaves its separator behind ("R., ").
        html = re.sub(r"(?:, | )(</strong>|<sup class=\"role)", r"\1", html)
        if self.locale.startswith("en-US"):
            html = _punctuation_in_quote(html)
        return " ".join(html.split())


def _remember(key: str, html: str) -> None:
    _MEMORY[key] = html
    _MEMORY.move_to_end(key)
    if len(_MEMORY) > _MEMORY_SIZE:
        _MEMORY.popitem(last=False)


def _with_marks(item: dict, marked: dict[int, Author]) -> dict:
    if not marked or "author" not in item:
        return item
    authors = [dict(a) for a in item["author"]]  # type: ignore[union-attr]
    for i in marked:
        authors[i]["_mark"] = i  # type: ignore[assignment]
    return {**item, "author": authors}


def _whole_elements(html: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) until every tag inside it is closed inside it."""
    for _ in range(20):
        open_tags: list[str] = []
        unmatched_close = False
        for m in _TAG_RE.finditer(html, start, end):
            closing, self_closing = m.group(1), m.group(3)
            if self_closing:
                continue
            if closing:
                if open_tags:
                    open_tags.pop()
                else:
                    unmatched_close = True
            else:
                open_tags.append(m.group(2))
        if unmatched_close:
            start = html.rfind("<", 0, start)
        elif open_tags:
            close = html.find("</", end)
            end = html.find(">", close) + 1
        else:
            break
    return start, end


def _punctuation_in_quote(html: str) -> str:
    """American usage (CSL `punctuation-in-quote`): “Title,” not “Title”, (citeproc-py
    does not apply it); a title ending in ? or ! takes no extra period or comma."""
    html = re.sub(r"([?!])”[.,]", r"\1”", html)
    return re.sub(r"”([.,])", r"\1”", html)


@cache
def _source_class():
    """A CSL-JSON source whose names may carry a `_mark` index (citeproc-py is imported
    on first use: it costs 30 ms, and most sites use the default style)."""
    from citeproc.source import Name
    from citeproc.source.json import CiteProcJSON

    class MarkedName(Name):
        """A name whose parts carry the markers of author `index`."""

        def __init__(self, index: int, **args) -> None:
            super().__init__(**args)
            object.__setattr__(self, "_index", index)

        def parts(self):
            given, family, dp, ndp, suffix = super().parts()
            g, fam_start, fam_end, end = _markers(self._index)
            family = f"{fam_start}{family or ''}{fam_end}"
            given = f"{g} {given}" if given else given
            return given, family, dp, ndp, (suffix or "") + end

    class MarkedSource(CiteProcJSON):
        def parse_names(self, json_data):
            names = []
            for data in json_data:
                data = dict(data)
                index = data.pop("_mark", None)
                names.append(Name(**data) if index is None else MarkedName(index, **data))
            return names

    return MarkedSource
