"""The data model: frozen records passed between pipeline stages.

No I/O here, and nothing else from the package is imported: every other module
may depend on this one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

#: A text field: plain (inline-Markdown) text, or one text per language code.
Text = str | Mapping[str, str]

EMPTY_MAP: Mapping = MappingProxyType({})

ROLE_SYMBOLS: Mapping[str, str] = MappingProxyType(
    {"equal": "*", "corresponding": "†", "advising": "‡"}
)
"""Printed mark of each author role; the order is the legend's order."""

#: The BibTeX fields of a paper's citation export (cite.bib), in their order there.
EXPORTED_FIELDS: tuple[str, ...] = (
    "title", "author", "editor", "booktitle", "journal", "volume", "number", "pages",
    "chapter", "edition", "series", "year", "month", "publisher", "address", "organization",
    "school", "institution", "howpublished", "type", "isbn", "issn", "doi", "url", "eprint",
    "archiveprefix", "primaryclass",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """Where a record came from: path relative to the site folder, 1-based line/col."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{max(self.col, 1)}"


@dataclass(frozen=True, slots=True)
class Link:
    """A labelled link of a publication or a profile."""

    label: str
    url: str
    kind: str = "other"


@dataclass(frozen=True, slots=True)
class Author:
    """One name of an author list, split the BibTeX way."""

    first: str = ""
    von: str = ""
    last: str = ""
    jr: str = ""
    roles: frozenset[str] = frozenset()
    is_owner: bool = False
    is_others: bool = False
    literal: bool = False

    @property
    def display(self) -> str:
        """The name as a reader expects it: "First von Last, Jr"."""
        if self.is_others:
            return "et al."
        if self.literal:
            return self.last
        name = " ".join(filter(None, (self.first, self.von, self.last)))
        return f"{name}, {self.jr}" if self.jr else name

    @property
    def marks(self) -> str:
        """Role symbols, in legend order."""
        if not self.roles:
            return ""
        return "".join(sym for role, sym in ROLE_SYMBOLS.items() if role in self.roles)


@dataclass(frozen=True, slots=True)
class Publication:
    """One bibliography entry, decoded to Unicode and enriched."""

    key: str
    slug: str
    entry_type: str
    title: str
    authors: tuple[Author, ...] = ()
    year: int | None = None
    month: str = ""
    venue: str = ""
    abbr: str = ""
    award: str = ""
    note: str = ""
    selected: bool = False
    status: str = ""
    preview: str = ""
    abstract: str = ""
    doi: str = ""
    arxiv: str = ""
    links: tuple[Link, ...] = ()
    fields: Mapping[str, str] = field(default_factory=lambda: EMPTY_MAP)
    #: the values of EXPORTED_FIELDS (but author) as written, where they differ from
    #: `fields` (LaTeX kept, @string macros expanded): cite.bib prints them
    bib_fields: Mapping[str, str] = field(default_factory=lambda: EMPTY_MAP)
    location: SourceLocation = SourceLocation("")

    @property
    def roles_used(self) -> frozenset[str]:
        """Every role any author of this entry carries."""
        out: set[str] = set()
        for a in self.authors:
            out |= a.roles
        return frozenset(out)


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of a data section (education, experience, awards...)."""

    section: str
    title: Text = ""
    org: Text = ""
    url: str = ""
    role: Text = ""
    location_name: Text = ""
    start: str = ""
    end: str = ""
    date: str = ""
    years: tuple[str, ...] = ()
    details: tuple[Text, ...] = ()
    extra: Mapping[str, object] = field(default_factory=lambda: EMPTY_MAP)
    location: SourceLocation = SourceLocation("")


@dataclass(frozen=True, slots=True)
class Page:
    """A Markdown page of `content/`."""

    slug: str
    title: Text
    body: str
    url: str
    subtitle: Text = ""
    date: str = ""
    lang: str = ""
    layout: str = "page"
    published: bool = True
    front_matter: Mapping[str, object] = field(default_factory=lambda: EMPTY_MAP)
    body_line: int = 1
    location: SourceLocation = SourceLocation("")


@dataclass(frozen=True, slots=True)
class Profile:
    """The site owner."""

    name: Text = ""
    native_name: str = ""
    photo: str = ""
    motto: Text = ""
    position: Text = ""
    affiliation: Text = ""
    affiliation_url: str = ""
    email: str = ""
    notices: tuple[Text, ...] = ()
    interests: tuple[Text, ...] = ()
    links: Mapping[str, str] = field(default_factory=lambda: EMPTY_MAP)


@dataclass(frozen=True, slots=True)
class Config:
    """Validated `site.yaml`."""

    title: Text = ""
    base_url: str = "/"
    languages: tuple[str, ...] = ("en",)
    theme: str = "default"
    theme_options: Mapping[str, object] = field(default_factory=lambda: EMPTY_MAP)
    reference_style: str = "default"
    owner_names: tuple[str, ...] = ()
    raw_html: str = "passthrough"
    sections: tuple[str, ...] = ()
    profile: Profile = field(default_factory=Profile)
    description: Text = ""
    footer: Text = ""
    feed_limit: int = 20  # news items in atom.xml, newest first; 0: all
    location: SourceLocation = SourceLocation("site.yaml")
    #: Where some settings were written ("theme", "theme_options.accent", ...), for
    #: errors found after reading (theme option types are known only once the theme is).
    key_locations: Mapping[str, SourceLocation] = field(default_factory=lambda: EMPTY_MAP)

    @property
    def language(self) -> str:
        """The default language: the first of `languages`."""
        return self.languages[0]


@dataclass(frozen=True, slots=True)
class Site:
    """Everything a build renders, resolved and immutable."""

    config: Config
    publications: tuple[Publication, ...] = ()
    sections: Mapping[str, tuple[Entry, ...]] = field(default_factory=lambda: EMPTY_MAP)
    pages: tuple[Page, ...] = ()
    static_files: tuple[str, ...] = ()
    root: str = "."
