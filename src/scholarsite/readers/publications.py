"""A parsed BibTeX entry (`RawEntry`) -> a decoded, enriched `Publication`."""

from __future__ import annotations

import dataclasses
import re
from types import MappingProxyType
from urllib.parse import quote

from ..errors import Diagnostics
from ..latex import latex_to_text
from ..markdown import UNSAFE_CHARS, strip_unsafe_chars, unsafe_urls
from ..model import EXPORTED_FIELDS, Author, Link, Publication
from ..names import apply_annotations, parse_annotations, split_names
from ..slug import slugify
from ..urls import is_safe_url
from .bibtex import MONTHS, RawEntry
from .schema import clean_text

__all__ = ["LINK_FIELDS", "URL_FIELDS", "decode_url", "parse_links", "to_publication"]

#: Link fields in display order, with their labels; arxiv, doi, url and `links` follow.
LINK_FIELDS: tuple[tuple[str, str], ...] = (
    ("pdf", "PDF"),
    ("code", "Code"),
    ("slides", "Slides"),
    ("poster", "Poster"),
    ("video", "Video"),
    ("talk", "Talk"),
    ("website", "Website"),
)
#: Fields holding URLs or identifiers: decoded as URLs, never as LaTeX text.
URL_FIELDS = frozenset(
    {name for name, _ in LINK_FIELDS}
    | {"url", "preview", "doi", "eprint", "arxiv", "links", "file", "html", "biburl"}
)
VENUE_FIELDS = (
    "booktitle",
    "journal",
    "journaltitle",
    "school",
    "institution",
    "publisher",
    "howpublished",
)
_UNSAFE_HINT = "only http(s) and mailto links, relative paths and #anchors are allowed"

_URL_MACRO = re.compile(r"\\url\s*\{([^{}]*)\}")
_URL_ESCAPE = re.compile(r"\\([_%&#$~])")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5}(?:v\d+)?|[a-z][a-z.\-]*(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)")
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/" + _ARXIV_ID.pattern, re.I)
_ARXIV_TEXT = re.compile(r"\barxiv:\s*" + _ARXIV_ID.pattern, re.I)
_ARXIV_PREFIX = re.compile(r"^(?:arxiv:\s*|https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/)", re.I)
_C0 = re.compile(r"[\x00-\x1f\x7f]")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_LINK_START = re.compile(r"(?:\A|[,;])(\s*)([^\s=,;{}/?&#:][^=,;{}/?&#:]*?)\s*=\s*")
_URL_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:|[/#.{]")
# ids that `quote` leaves as they are (its always-safe characters and `safe`)
_ARXIV_AS_IS = re.compile(r"[A-Za-z0-9_.~/-]*")
_DOI_AS_IS = re.compile(r"[A-Za-z0-9_.~/:;()\[\]-]*")


def decode_url(value: str) -> str:
    """A URL-like field value: `\\url{}` and outer braces removed, `\\_`-style escapes
    undone, no spaces at the ends. No other LaTeX decoding (`~` stays `~`)."""
    if "\\" not in value and "{" not in value:
        return value.strip()  # the common case: nothing to undo
    value = _URL_MACRO.sub(r"\1", value.strip().replace("\\~{}", "~"))
    while value.startswith("{") and value.endswith("}") and _balanced(value[1:-1]):
        value = value[1:-1].strip()
    return _URL_ESCAPE.sub(r"\1", value).strip()


def _balanced(text: str) -> bool:
    depth = 0
    for c in text:
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def parse_links(value: str) -> tuple[list[tuple[str, str]], str]:
    """Read `Report = https://..., Youtube = https://...` into [(label, url), ...].

    Items are separated by `,` or `;` followed by `Label =`; a separator inside a URL (no
    space after it, and no URL after the `=`) does not split. Returns the pairs and the
    text that could not be read ("" when all is well).
    """
    starts: list[tuple[int, int, str]] = []  # (separator position, value start, label)
    for m in _LINK_START.finditer(value):
        at_start = m.start() == 0
        if not at_start:
            spaced = bool(m.group(1))
            if not spaced and not _URL_LIKE.match(value, m.end()):
                continue
        elif value[: m.start(2)].strip():
            continue
        starts.append((m.start(), m.end(), m.group(2).strip()))
    if not starts:
        return [], value.strip()
    junk = [value[: starts[0][0]].strip()]
    pairs: list[tuple[str, str]] = []
    for i, (_, begin, label) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(value)
        url, _, extra = value[begin:end].strip(" ,;").partition(" ")  # URLs have no spaces
        junk.append(extra.strip(" ,;"))
        pairs.append((latex_to_text(label).strip(), decode_url(url.rstrip(",;"))))
    return pairs, " ".join(j for j in junk if j)


def _year(raw: RawEntry, fields: dict[str, str], diags: Diagnostics) -> int | None:
    text = fields.get("year", "").strip()
    source = "year"
    if not text:
        text, source = fields.get("date", "").strip()[:4], "date"
        if not text:
            return None
    m = _YEAR.search(text)
    if m is None:
        diags.warning(
            raw.field_locations.get(source, raw.location),
            f"{source} '{text}' is not a year",
            "write a four-digit year (year = {2023}), or remove it and set status = {preprint}",
        )
        return None
    return int(m.group(1))


def _month(fields: dict[str, str]) -> str:
    month = latex_to_text(fields.get("month", "")).strip()
    if not month:
        m = re.match(r"\d{4}-(\d{1,2})", fields.get("date", "").strip())
        month = m.group(1) if m else ""
    if month.isdigit() and 1 <= int(month) <= 12:
        return list(MONTHS.values())[int(month) - 1]
    return MONTHS.get(month.lower()[:3], month) if len(month) == 3 else month


def _arxiv(fields: dict[str, str]) -> str:
    explicit = fields.get("arxiv", "")
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    eprint = fields.get("eprint", "")
    looks_arxiv = prefix == "arxiv" or (not prefix and _ARXIV_ID.fullmatch(eprint))
    if not explicit and eprint and looks_arxiv:
        explicit = eprint
    if explicit:
        ident = _ARXIV_PREFIX.sub("", explicit.strip())
        return ident[:-4] if ident.lower().endswith(".pdf") else ident
    for name in ("url", "pdf"):
        m = _ARXIV_URL.search(fields.get(name, ""))
        if m:
            return m.group(1)
    for name in ("journal", "venue", "note", "howpublished"):
        m = _ARXIV_TEXT.search(fields.get(name, ""))
        if m:
            return m.group(1)
    return ""


def _authors(raw: RawEntry, diags: Diagnostics) -> tuple[Author, ...]:
    authors = split_names(raw.fields.get("author", ""))
    annotation = raw.fields.get("author+an", "")
    if annotation:
        loc = raw.field_locations.get("author+an", raw.location)
        parsed = parse_annotations(annotation)
        for index in sorted(parsed):
            if not 1 <= index <= len(authors):
                diags.warning(
                    loc,
                    f"annotation for author {index}, but the entry has {len(authors)} authors",
                    "author+an numbers authors from 1, e.g. author+an = {1=equal; 2=equal}",
                )
        authors = apply_annotations(authors, parsed)
    return tuple(authors)


def _links(
    raw: RawEntry, fields: dict[str, str], doi: str, arxiv: str, diags: Diagnostics
) -> tuple[Link, ...]:
    candidates: list[tuple[str, str, str, str]] = []  # (field, label, url, kind)
    get = fields.get
    for name, label in LINK_FIELDS:
        url = get(name)
        if url:
            candidates.append((name, label, url, name))
    if arxiv:
        ident = arxiv if _ARXIV_AS_IS.fullmatch(arxiv) else quote(arxiv)
        candidates.append(("arxiv", "arXiv", "https://arxiv.org/abs/" + ident, "arxiv"))
    if doi:
        ident = doi if _DOI_AS_IS.fullmatch(doi) else quote(doi, safe="/:;()[]")
        candidates.append(("doi", "DOI", "https://doi.org/" + ident, "doi"))
    if fields.get("url"):
        candidates.append(("url", "URL", fields["url"], "url"))
    if fields.get("links"):
        pairs, rest = parse_links(fields["links"])
        loc = raw.field_locations.get("links", raw.location)
        if rest:
            diags.warning(
                loc,
                f"cannot read links '{rest}'",
                "write links = {Label = https://..., Other label = https://...}",
            )
        for label, url in pairs:
            if not label or not url:
                diags.warning(
                    loc,
                    "a link in field 'links' has no label or no URL",
                    "write links = {Label = https://...}",
                )
                continue
            candidates.append(("links", label, url, "other"))
    links: list[Link] = []
    seen: set[str] = set()
    for name, label, url, kind in candidates:
        # an arXiv or DOI link is https: and a quoted id, safe as built
        if kind != "arxiv" and kind != "doi" and not is_safe_url(url):
            where = f" (link '{label}')" if name == "links" else ""
            diags.error(
                raw.field_locations.get(name, raw.location),
                f"unsafe URL in field '{name}'{where}",
                _UNSAFE_HINT,
            )
            continue
        if url in seen:
            continue
        seen.add(url)
        links.append(Link(label, url, kind))
    return tuple(links)


_KEPT_AS_WRITTEN = frozenset(EXPORTED_FIELDS) - {"author"}  # authors print from their parts


def _as_written(raw: RawEntry, fields: dict[str, str]) -> MappingProxyType:
    """The exported fields whose value as written differs from the decoded one."""
    return MappingProxyType(
        {k: v for k, v in raw.fields.items() if k in _KEPT_AS_WRITTEN and v != fields[k]}
    )


def to_publication(
    raw: RawEntry, diags: Diagnostics, *, safe_chars: bool = False
) -> Publication | None:
    """Decode and enrich one entry; problems go to `diags` (in source order). None when
    the entry has no title.

    `safe_chars`: the caller knows the entry holds no `UNSAFE_CHARS` (its whole file holds
    none, @string macros included), so they are not looked for again.
    """
    local = Diagnostics()
    pub = _publication(raw if safe_chars else _clean_fields(raw, local), local)
    diags.extend(sorted(local.items, key=lambda d: (d.location.line, d.location.col)))
    return pub


def _clean_fields(raw: RawEntry, diags: Diagnostics) -> RawEntry:
    """The entry without invisible control characters and bidi overrides in its fields
    (each removal a warning at the field)."""
    values = (raw.raw, *raw.fields.values())  # @string macros bring text from elsewhere
    if not any(UNSAFE_CHARS.search(v) for v in values):
        return raw
    fields = dict(raw.fields)
    for name, value in raw.fields.items():
        if name in URL_FIELDS and _C0.search(value):
            continue  # an unsafe URL: refused with an error below
        where = raw.field_locations.get(name, raw.location)
        fields[name] = clean_text(value, where, name, diags)
    return dataclasses.replace(raw, fields=fields, raw=strip_unsafe_chars(raw.raw))


def _publication(raw: RawEntry, diags: Diagnostics) -> Publication | None:
    fields = {
        name: decode_url(value) if name in URL_FIELDS else latex_to_text(value)
        for name, value in raw.fields.items()
    }
    for name, value in fields.items():  # inline Markdown and HTML in text fields
        if name not in URL_FIELDS and ("<" in value or ("]" in value and "](" in value)):
            for bad in unsafe_urls(value):
                diags.error(
                    raw.field_locations.get(name, raw.location),
                    f"unsafe link in field '{name}': {bad[:60]!r}",
                    _UNSAFE_HINT,
                )
    title = fields.get("title", "").strip()
    if not title:
        diags.error(
            raw.location,
            f"entry '{raw.key}' has no title",
            "add a field title = {...}",
        )
        return None
    doi = _DOI_PREFIX.sub("", fields.get("doi", "")).strip()
    arxiv = _arxiv(fields)
    venue = fields.get("venue", "")
    if not venue:
        venue = next((fields[f] for f in VENUE_FIELDS if fields.get(f)), "")
    preview = fields.get("preview", "")
    if preview and not is_safe_url(preview):
        diags.error(
            raw.field_locations.get("preview", raw.location),
            "unsafe URL in field 'preview'",
            _UNSAFE_HINT,
        )
        preview = ""
    return Publication(
        key=raw.key,
        slug=slugify(raw.key),
        entry_type=raw.entry_type,
        title=title,
        authors=_authors(raw, diags),
        year=_year(raw, fields, diags),
        month=_month(fields),
        venue=venue,
        abbr=fields.get("abbr", ""),
        award=fields.get("award", ""),
        note=fields.get("note", ""),
        selected=fields.get("selected", "").strip().lower() in ("true", "yes", "1"),
        status=fields.get("status", "").strip().lower(),
        preview=preview,
        abstract=fields.get("abstract", ""),
        doi=doi,
        arxiv=arxiv,
        links=_links(raw, fields, doi, arxiv, diags),
        fields=MappingProxyType(fields),
        bib_fields=_as_written(raw, fields),
        location=raw.location,
    )
