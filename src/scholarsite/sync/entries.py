"""What every sync source shares: BibTeX text to entries, clean keys, a plain-text field."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from ..errors import Diagnostic
from ..importers.bibentry import BibEntry, escape_text, from_raw, make_key
from ..readers.bibtex import parse_bibtex

__all__ = ["bib_entries", "name_field", "plain_field", "rekey"]

_TAG = re.compile(r"<[^>]+>")


def bib_entries(text: str, source: str) -> tuple[list[BibEntry], list[Diagnostic]]:
    """The entries of a BibTeX answer (`source` names it in diagnostics)."""
    raws, diags = parse_bibtex(text, source)
    return [from_raw(raw) for raw in raws], diags


def plain_field(text: str) -> str:
    """Text from JSON or XML (may hold JATS/HTML tags and entities) as a BibTeX value."""
    text = html.unescape(_TAG.sub("", text))
    return escape_text(" ".join(text.split()))


def name_field(names: Iterable[tuple[str, str]]) -> str:
    """An author field from (given, family) pairs; a family-only name is kept whole."""
    out = []
    for given, family in names:
        given, family = " ".join(given.split()), " ".join(family.split())
        if family and given:
            out.append(f"{escape_text(family)}, {escape_text(given)}")
        elif family or given:
            out.append("{" + escape_text(family or given) + "}")
    return " and ".join(out)


def rekey(entries: list[BibEntry]) -> list[BibEntry]:
    """Give each entry a Google-Scholar-style key (lovelace1843notes), unique in the batch.
    Service keys (`DBLP:conf/x/Y22`, `Xu_2022`) are neither readable nor stable."""
    taken: set[str] = set()
    out = []
    for e in entries:
        key = make_key(e.fields, taken)
        taken.add(key)
        out.append(BibEntry(e.entry_type, key, e.fields, e.source, e.comments))
    return out
