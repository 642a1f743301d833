"""Hand-written publication lists -> BibTeX entries.

One publication is a paragraph (lines split by `\\\\`, `<br>` or newlines), a list item
(numbered or not) or an HTML card: title line with bracketed links, author line (bold
owner, `<sup>*</sup>`/`*`/`†`/`∗` marks), venue line ("AAAI2022 (Oral)."), and an optional
parenthesised note line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import SourceLocation
from .authors import Marked, bib_authors, looks_like_authors, parse_authors
from .bibentry import BibEntry, escape_text, make_key
from .identifiers import find_arxiv, first_doi
from .inline import LINK, html_to_markdown, unwrap_emphasis
from .venue import Venue, parse_venue

__all__ = ["PubDraft", "is_legend", "parse_publication", "split_lines", "to_entry"]

LINK_WORDS = frozenset(
    [
        "pdf",
        "paper",
        "code",
        "github",
        "slides",
        "slide",
        "poster",
        "video",
        "talk",
        "website",
        "project",
        "page",
        "arxiv",
        "doi",
        "bibtex",
        "bib",
        "blog",
        "demo",
        "dataset",
        "data",
        "html",
        "report",
        "url",
        "youtube",
        "bilibili",
        "openreview",
        "abstract",
        "supp",
        "supplementary",
        "appendix",
        "model",
        "models",
        "huggingface",
        "colab",
        "homepage",
        "media",
        "press",
        "news",
        "zhihu",
        "知乎",
        "代码",
        "论文",
        "视频",
        "幻灯片",
        "链接",
        "主页",
        "tweet",
        "twitter",
    ]
)
FIELD_OF_LABEL = {
    "pdf": "pdf",
    "code": "code",
    "slides": "slides",
    "poster": "poster",
    "video": "video",
    "talk": "talk",
    "website": "website",
}
_BRACKETED = re.compile(r"\\?\[\s*\[([^\[\]]+)\]\(\s*([^()\s]+)\s*\)\s*\\?\]")
_ESCAPED_LABEL = re.compile(r"\[\s*\\\[([^\[\]]+?)\\\]\s*\]\(\s*([^()\s]+)\s*\)")
_HTML_A = re.compile(
    r"\\?\[?\s*<a\b[^>]*?href\s*=\s*[\"']([^\"']+)[\"'][^>]*>\s*\\?\[?([^<\[\]]{1,40}?)\\?\]?"
    r"\s*</a\s*>\s*\\?\]?",
    re.I,
)
_NOTE = re.compile(r"^\s*[(（](.*)[)）]\s*\.?\s*$", re.S)
_LEGEND = re.compile(
    r"^\s*(?:<sup>\s*)?(?:\\\*|[*∗†‡#]|\^\*)(?:\s*</sup>)?\s*(?:means|denotes|indicates|stands"
    r"\s+for|represents|:|：|=|-)?\s*(?:equal(?:ly)?\s+contribut\w*|co-?first|"
    r"corresponding\s+author|equal\s+advising|共同第一作者|通讯作者)",
    re.I,
)
_SUP_TAG = re.compile(r"<(sup|sub)>(.*?)</\1>", re.I)
_TRAILING_SEPARATORS = re.compile(r"(?:\s*[|/·•]\s*)+$")


@dataclass
class PubDraft:
    """One publication as read from the page."""

    title: str
    source: SourceLocation
    authors: list[Marked] = field(default_factory=list)
    venue: Venue | None = None
    venue_line: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""
    url: str = ""
    preview: str = ""
    comments: list[str] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)


def is_legend(text: str) -> bool:
    """Is this the "<sup>*</sup> means equal contribution." line?"""
    return bool(_LEGEND.match(text.strip()))


def split_lines(text: str) -> list[str]:
    """Logical lines of one publication: split at newlines and `<br>`, `\\\\` removed."""
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    out = []
    for line in text.split("\n"):
        line = re.sub(r"\s*\\\\\s*$", "", line.rstrip()).strip()
        if line:
            out.append(line)
    return out


def extract_links(line: str) -> tuple[str, list[tuple[str, str]]]:
    """Take the labelled links out of a line: `\\[[PDF](url)\\]`, `[\\[code\\]](url)`,
    `<a href=url>[PDF]</a>`, `[Slides](url)`. Other links stay in the text."""
    found: list[tuple[int, str, str]] = []

    def take(m: re.Match[str], label: int, url: int) -> str:
        found.append((m.start(), m.group(label).strip(), m.group(url).strip()))
        return " "

    line = _BRACKETED.sub(lambda m: take(m, 1, 2), line)
    line = _ESCAPED_LABEL.sub(lambda m: take(m, 1, 2), line)
    line = _HTML_A.sub(lambda m: take(m, 2, 1) if _is_label(m.group(2)) else m.group(0), line)
    line = LINK.sub(lambda m: take(m, 1, 2) if _is_label(m.group(1)) else m.group(0), line)
    found.sort(key=lambda t: t[0])
    line = _TRAILING_SEPARATORS.sub("", " ".join(line.split()))
    return line, [(label, url) for _, label, url in found]


def _is_label(text: str) -> bool:
    words = re.sub(r"[^\w\s]", " ", text.lower()).split()
    return bool(words) and len(words) <= 3 and any(w in LINK_WORDS for w in words)


def _clean_title(text: str) -> tuple[str, str]:
    """The title without wrapping emphasis, quotes and its trailing period; and its link."""
    text = html_to_markdown(text) if "<" in text and "<sup" not in text.lower() else text
    url = ""
    m = LINK.fullmatch(text.strip().rstrip(".").strip())
    if m:
        text, url = m.group(1), m.group(2)
    text, _ = unwrap_emphasis(text.strip().rstrip(",").strip())
    text = text.strip()
    for q1, q2 in (('"', '"'), ("“", "”"), ("*", "*"), ("_", "_")):
        if len(text) > 2 and text.startswith(q1) and text.rstrip(".,").endswith(q2):
            text = text.rstrip(".,")[1:-1].strip()
    if m2 := LINK.fullmatch(text.rstrip(".")):
        text, url = m2.group(1), url or m2.group(2)
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    return text.rstrip(",").strip(), url


def _split_one_line(line: str) -> list[str]:
    """A one-line citation as title / authors / venue pieces (best effort)."""
    m = re.match(r"\s*(\*\*.+?\*\*|__.+?__|\".+?\"|“.+?”|\[[^\]]+\]\([^)]+\))[.,]?\s*(.*)$", line)
    if m:
        head, rest = m.group(1), m.group(2)
        parts = re.split(r"(?<=[^A-Z\s][.])\s+(?=\S)", rest, maxsplit=1)
        return [head, *[p for p in parts if p.strip()]]
    parts = re.split(r"(?<=[^A-Z\s][.])\s+(?=\S)", line)
    if len(parts) >= 3 and looks_like_authors(parts[0]):
        return [parts[1], parts[0], " ".join(parts[2:])]
    return parts


def parse_publication(lines: list[str], source: SourceLocation) -> PubDraft | None:
    """One publication from its logical lines; None when it does not read as one."""
    links: list[tuple[str, str]] = []
    text_lines: list[str] = []
    notes: list[str] = []
    for i, line in enumerate(lines):
        if i > 0 and _NOTE.match(line):
            notes.append(_NOTE.match(line).group(1).strip())
            continue
        line, found = extract_links(line)
        links.extend(found)
        if line.strip():
            text_lines.append(line.strip())
    if len(text_lines) == 1:
        text_lines = _split_one_line(text_lines[0])
    if not text_lines:
        return None
    title, title_url = _clean_title(text_lines[0])
    pub = PubDraft(title, source, links=links, url=title_url)
    rest = text_lines[1:]
    if rest and looks_like_authors(rest[0]):
        pub.authors = parse_authors(rest.pop(0))
    elif rest and len(rest) >= 2 and looks_like_authors(rest[1]):
        pub.doubts.append(f"line {rest[0]!r} before the authors was taken as part of the title")
        pub.title += " " + rest.pop(0)
        pub.authors = parse_authors(rest.pop(0))
    if rest:
        pub.venue_line = rest.pop(0)
        pub.venue = parse_venue(pub.venue_line)
    if rest:
        notes = [*rest, *notes]
        pub.doubts.append("extra lines were kept in the note: " + " / ".join(rest))
    pub.note = " ".join(notes)
    score = bool(pub.authors) + bool(pub.venue and (pub.venue.year or pub.venue.status))
    score += bool(links)
    if score < 2 or not pub.title:
        return None
    return pub


def title_to_bibtex(title: str) -> str:
    """A Markdown/HTML title as a BibTeX value: `S<sup>4</sup>` -> `S$^4$`."""
    out, pos = [], 0
    for m in _SUP_TAG.finditer(title):
        out.append(escape_text(title[pos : m.start()]))
        inner = escape_text(m.group(2))
        mark = "^" if m.group(1).lower() == "sup" else "_"
        if re.fullmatch(r"[A-Za-z0-9]", inner):
            out.append(f"${mark}{inner}$")
        elif re.fullmatch(r"[A-Za-z0-9+\-]+", inner):
            out.append(f"${mark}{{{inner}}}$")
        else:
            command = "textsuperscript" if mark == "^" else "textsubscript"
            out.append(f"\\{command}{{{inner}}}")
        pos = m.end()
    out.append(escape_text(title[pos:]))
    return "".join(out)


def _label(text: str) -> str:
    return re.sub(r"[=,;{}]", " ", text).strip() or "Link"


def to_entry(pub: PubDraft, taken: set[str]) -> BibEntry:
    """The BibTeX entry of one publication; its key is added to `taken`."""
    fields: dict[str, str] = {"title": title_to_bibtex(pub.title)}
    author, roles = bib_authors(pub.authors)
    if author:
        fields["author"] = author
    if roles:
        fields["author+an"] = roles
    venue = pub.venue or Venue()
    urls = [url for _, url in pub.links] + ([pub.url] if pub.url else [])
    arxiv = next((a for a in map(find_arxiv, urls) if a), "")
    if venue.status == "preprint":
        entry_type = "article" if arxiv or venue.name != venue.abbr else "misc"
        if venue.name and venue.name != venue.abbr:
            fields["journal"] = escape_text(venue.name)
        elif arxiv:
            fields["journal"] = "arXiv preprint"
    elif venue.journal:
        entry_type = "article"
        fields["journal"] = escape_text(venue.name)
    elif venue.name:
        entry_type = "inproceedings"
        fields["booktitle"] = escape_text(venue.name)
    else:
        entry_type = "misc"
    if venue.year:
        fields["year"] = str(venue.year)
    if venue.abbr:
        fields["abbr"] = escape_text(venue.abbr)
    if venue.award:
        fields["award"] = escape_text(venue.award)
    if venue.status:
        fields["status"] = venue.status
    if pub.note:
        fields["note"] = escape_text(pub.note)
    doi = first_doi(urls)
    if doi:
        fields["doi"] = doi
    if arxiv and not any(label == "arXiv" for label, _ in pub.links):
        fields["arxiv"] = arxiv  # the id of an arXiv link, for citations and merging
    other: list[str] = []
    for label, url in pub.links:
        name = FIELD_OF_LABEL.get(label.lower())
        if label == "arXiv" and url == f"https://arxiv.org/abs/{find_arxiv(url)}":
            name = "arxiv"  # printed by the site as "arXiv" with this very URL
            url = find_arxiv(url)
        if name and name not in fields:
            fields[name] = url
        else:
            other.append(f"{_label(label)} = {url}")
    if other:
        fields["links"] = ", ".join(other)
    if pub.url:
        fields["url"] = pub.url
    if pub.preview:
        fields["preview"] = pub.preview
    key = make_key(fields, taken)
    taken.add(key.casefold())
    return BibEntry(entry_type, key, fields, pub.source, list(pub.comments))
