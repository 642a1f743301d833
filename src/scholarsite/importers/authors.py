"""Author lines of hand-written publication lists: bold owner, role marks, links."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..names import name_key
from .bibentry import escape_text
from .inline import LINK, html_to_markdown, strip_emphasis, unwrap_emphasis

__all__ = ["Marked", "bib_authors", "infer_owner", "looks_like_authors", "parse_authors"]

_SUP = re.compile(r"<sup>\s*(.*?)\s*</sup>|\$\^\{?([^$}]*)\}?\$", re.I)
_MARK_CHARS = {"*": "equal", "∗": "equal", "†": "corresponding", "‡": "advising"}
_TRAILING_MARK = re.compile(r"(\\\*|[*∗†‡]|\^\*)\s*$")
_SPLIT = re.compile(r"\s*(?:,|，|、|;|\band\b|&amp;|&)\s*(?![^<]*</sup>)")
_ETAL = re.compile(r"^(?:et\.?\s*al\.?|others|等)$", re.I)


@dataclass
class Marked:
    """One author as printed: the name, its roles, bold or not, any link."""

    name: str
    roles: set[str] = field(default_factory=set)
    bold: bool = False
    url: str = ""
    others: bool = False


def _roles(marks: str) -> set[str]:
    return {_MARK_CHARS[c] for c in marks if c in _MARK_CHARS}


def _one(raw: str) -> Marked | None:
    text = raw.strip()
    roles: set[str] = set()

    def sup(m: re.Match[str]) -> str:
        roles.update(_roles(m.group(1) or m.group(2) or ""))
        return ""

    text = _SUP.sub(sup, text)
    url = ""
    if m := LINK.search(text):
        url = m.group(2)
        text = text[: m.start()] + m.group(1) + text[m.end() :]
    bold = False
    for _ in range(6):
        text, b = unwrap_emphasis(text.strip())
        bold = bold or b
        m = _TRAILING_MARK.search(text)
        if m is None or m.start() == 0 or (text.endswith("**") and m.group(1) == "*"):
            break
        roles.update(_roles(m.group(1).replace("\\", "").replace("^", "")))
        text = text[: m.start()].rstrip()
    text = strip_emphasis(html_to_markdown(text)).strip(" .")
    if not text:
        return None
    if _ETAL.match(text):
        return Marked("others", others=True)
    return Marked(" ".join(text.split()), roles, bold, url)


def parse_authors(line: str) -> list[Marked]:
    """`**Runxin Xu**<sup>*</sup>, Fuli Luo<sup>*</sup>, ... Fei Huang.` -> Marked names."""
    text = line.strip().rstrip("\\").strip()
    text = re.sub(r"\s+et\.?\s*al\.?\s*$", ", et al.", text)
    if text.endswith(".") and not re.search(r"\b[A-Z]\.$", text):
        text = text[:-1]
    parts = _SPLIT.split(text)
    return [m for m in (_one(p) for p in parts if p.strip()) if m is not None]


def looks_like_authors(line: str) -> bool:
    """Does a line read as an author list (names separated by commas, marks, bold)?"""
    names = parse_authors(line)
    if not names or len(line) > 2000:
        return False
    if any(n.bold for n in names) and len(names) >= 1 and all(len(n.name) < 40 for n in names):
        return True
    short = [n for n in names if 1 <= len(n.name.split()) <= 4 and len(n.name) < 40]
    return len(names) >= 2 and len(short) == len(names)


def infer_owner(lists: list[list[Marked]]) -> tuple[str, int]:
    """The bold name that recurs most (as printed) and how many lists carry it."""
    counts: Counter[str] = Counter()
    printed: dict[str, str] = {}
    for names in lists:
        seen = set()
        for n in names:
            if n.bold and not n.others:
                key = name_key(n.name)
                if key not in seen:
                    counts[key] += 1
                    printed.setdefault(key, n.name)
                    seen.add(key)
    if not counts:
        return "", 0
    key, count = counts.most_common(1)[0]
    return printed[key], count


def bib_name(name: str) -> str:
    """A printed name as a BibTeX name: "Last, First" for plain capitalised names."""
    words = name.split()
    if " and " in f" {name.lower()} " or "," in name:
        return "{" + escape_text(name) + "}"
    if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
        return escape_text(f"{words[-1]}, {' '.join(words[:-1])}")
    return escape_text(name)


def bib_authors(names: list[Marked]) -> tuple[str, str]:
    """The `author` field and its `author+an` annotation ("" when no roles)."""
    author = " and ".join("others" if n.others else bib_name(n.name) for n in names)
    notes = []
    for i, n in enumerate(names, start=1):
        if n.roles:
            order = [r for r in ("equal", "corresponding", "advising") if r in n.roles]
            notes.append(f"{i}={','.join(order)}")
    return author, "; ".join(notes)
