"""BibTeX entries made or read by importers: normalising, keys, identity, escaping."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..latex import latex_to_text
from ..model import SourceLocation
from ..names import name_key, split_names
from ..readers.bibtex import RawEntry, write_entry
from .identifiers import arxiv_id, doi_of, title_key

__all__ = [
    "BibEntry",
    "Identity",
    "escape_text",
    "from_raw",
    "identity",
    "is_preprint",
    "make_key",
    "normalise",
    "same_paper",
    "to_bibtex",
]

#: Fields that say where and when a paper appeared: a preprint's never replace a venue's.
VENUE_FIELDS = frozenset(
    {
        "booktitle",
        "journal",
        "journaltitle",
        "volume",
        "number",
        "pages",
        "publisher",
        "address",
        "organization",
        "school",
        "institution",
        "series",
        "editor",
        "year",
        "month",
        "date",
        "status",
        "howpublished",
        "type",
        "issn",
        "isbn",
        "edition",
    }
)
#: Fields of exports that only describe the exporting database.
DROPPED_FIELDS = frozenset({"timestamp", "biburl", "bibsource", "file", "added-at", "interhash"})
FIELD_ORDER = (
    "title",
    "author",
    "author+an",
    "editor",
    "booktitle",
    "journal",
    "volume",
    "number",
    "pages",
    "year",
    "month",
    "publisher",
    "address",
    "school",
    "institution",
    "howpublished",
    "abbr",
    "award",
    "status",
    "selected",
    "note",
    "doi",
)
PREPRINT_VENUE = re.compile(r"arxiv|corr\b|biorxiv|medrxiv|ssrn|preprint|openreview", re.I)
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "on",
        "of",
        "in",
        "for",
        "to",
        "and",
        "with",
        "from",
        "via",
        "by",
        "at",
        "towards",
        "toward",
        "is",
        "are",
        "do",
        "does",
    ]
)
_ESCAPES = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\~{}",
    "^": r"\^{}",
}


@dataclass
class BibEntry:
    """One entry in BibTeX form (values as they go between the braces)."""

    entry_type: str
    key: str
    fields: dict[str, str]
    source: SourceLocation | None = None
    #: Comment lines written before the entry (without the leading `%`).
    comments: list[str] = field(default_factory=list)


def escape_text(text: str) -> str:
    """Plain/Markdown text as a BibTeX value that decodes back to the same text."""
    return "".join(_ESCAPES.get(c, c) for c in text)


def from_raw(raw: RawEntry) -> BibEntry:
    """A parsed entry as a BibEntry (values kept as written)."""
    return BibEntry(raw.entry_type, raw.key, dict(raw.fields), raw.location)


def normalise(entry: BibEntry) -> tuple[BibEntry, list[str]]:
    """Clean an incoming entry: lowercase type, no empty or database-only fields, a bare DOI,
    fields in the usual order. Returns the entry and the names of the dropped fields."""
    dropped: list[str] = []
    fields: dict[str, str] = {}
    for name, value in entry.fields.items():
        name = name.lower()
        value = " ".join(value.split())
        if name in DROPPED_FIELDS or not value:
            dropped.append(name)
            continue
        if name == "doi":
            value = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", value, flags=re.I)
        fields.setdefault(name, value)
    ordered = {n: fields[n] for n in FIELD_ORDER if n in fields}
    ordered.update((n, v) for n, v in fields.items() if n not in ordered)
    clean = BibEntry(entry.entry_type.lower(), entry.key, ordered, entry.source, entry.comments)
    return clean, dropped


def is_preprint(entry_type: str, fields: Mapping[str, str]) -> bool:
    """Is this entry a preprint (status, arXiv-like venue, or no venue but an arXiv id)?"""
    if fields.get("status", "").strip().lower() == "preprint":
        return True
    venue = " ".join(
        fields.get(n, "") for n in ("journal", "booktitle", "howpublished", "publisher")
    )
    if venue.strip():
        return bool(PREPRINT_VENUE.search(venue))
    return entry_type.lower() in ("misc", "unpublished", "online", "article") and bool(
        arxiv_id(fields)
    )


@dataclass(frozen=True)
class Identity:
    """What tells two entries apart."""

    doi: str
    arxiv: str
    title: str
    year: str
    preprint: bool
    lastnames: frozenset[str]


def identity(entry_type: str, fields: Mapping[str, str]) -> Identity:
    """The identity of one entry (DOI, arXiv id, normalised title, year, authors)."""
    doi = doi_of(fields.get("doi", ""))
    arxiv = arxiv_id(fields)
    if doi.startswith("10.48550/arxiv."):
        arxiv = arxiv or doi.split("arxiv.", 1)[1]
        doi = ""
    year = re.search(r"\d{4}", fields.get("year", "") or fields.get("date", ""))
    try:
        names = split_names(fields.get("author", ""))
    except Exception:  # a broken author list must not stop a merge
        names = []
    lastnames = frozenset(name_key(a.last) for a in names if a.last)
    return Identity(
        doi=doi,
        arxiv=re.sub(r"v\d+$", "", arxiv),
        title=title_key(fields.get("title", "")),
        year=year.group() if year else "",
        preprint=is_preprint(entry_type, fields),
        lastnames=lastnames,
    )


def same_paper(a: Identity, b: Identity) -> bool:
    """Same DOI, same arXiv id, or same title and year (a preprint may differ in year)."""
    if a.doi and a.doi == b.doi:
        return True
    if a.arxiv and a.arxiv == b.arxiv:
        return True
    if (a.doi and b.doi) or (a.arxiv and b.arxiv):
        return False  # both identified, differently
    if len(a.title) < 8 or a.title != b.title:
        return False
    if a.lastnames and b.lastnames and not a.lastnames & b.lastnames:
        return False
    return a.year == b.year or a.preprint or b.preprint or not a.year or not b.year


def _ascii_word(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", text.lower())


def make_key(fields: Mapping[str, str], taken: Iterable[str] = ()) -> str:
    """A Google-Scholar-style key: first author's last name, year, first title word."""
    authors = split_names(fields.get("author", ""))
    last = _ascii_word(authors[0].last) if authors and authors[0].last else ""
    year = re.search(r"\d{4}", fields.get("year", "") or fields.get("date", ""))
    if not year:
        arxiv = arxiv_id(fields)
        year = re.match(r"(\d{2})\d{2}\.", arxiv)
        year_text = "20" + year.group(1) if year else ""
    else:
        year_text = year.group()
    words = latex_to_text(fields.get("title", "")).split()
    word = next(
        (
            _ascii_word(w)
            for w in words
            if w.lower().strip(":,.") not in _STOPWORDS and _ascii_word(w)
        ),
        "",
    )
    key = f"{last or 'pub'}{year_text}{word}"
    return unique_key(key, taken)


def unique_key(key: str, taken: Iterable[str]) -> str:
    """`key`, or `key` + a, b, c... when it is taken (case-insensitively)."""
    used = {k.casefold() for k in taken}
    if key.casefold() not in used:
        return key
    for suffix in "abcdefghijklmnopqrstuvwxyz":
        if (key + suffix).casefold() not in used:
            return key + suffix
    n = 2
    while f"{key}-{n}".casefold() in used:
        n += 1
    return f"{key}-{n}"


_FIELD_LINE = re.compile(r"^  (\S+) = ", re.M)


def to_bibtex(entry: BibEntry) -> str:
    """The entry as BibTeX text, one field per line with the `=` aligned, after its
    comment lines."""
    head = "".join(f"% {line}".rstrip() + "\n" for line in entry.comments)
    text = write_entry(entry.entry_type, entry.key, entry.fields)
    width = max((len(m.group(1)) for m in _FIELD_LINE.finditer(text)), default=0)
    text = _FIELD_LINE.sub(lambda m: f"  {m.group(1).ljust(width)} = ", text)
    if text.endswith(",\n}\n"):
        text = text[: -len(",\n}\n")] + "\n}\n"
    return head + text
