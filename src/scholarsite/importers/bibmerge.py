"""Merge incoming BibTeX entries into a `publications.bib` without losing the user's work.

Rules: entries already in the file are kept byte for byte; a paper found again (same DOI,
arXiv id, or title + year) only gains the fields it lacks, and a differing value is reported
as a conflict, not written; a preprint and its published version become one entry keeping
both links (the venue's fields, plus the arXiv id); new papers are appended with unique keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..errors import Diagnostic
from ..latex import latex_to_text
from ..names import name_key, split_names
from ..readers.bibtex import RawEntry, parse_bibtex, write_entry
from .bibentry import (
    PREPRINT_VENUE,
    VENUE_FIELDS,
    BibEntry,
    Identity,
    identity,
    normalise,
    same_paper,
    to_bibtex,
    unique_key,
)

__all__ = ["Conflict", "MergeReport", "merge_bibtex"]

_KEY_IN_TEXT = re.compile(r"^[ \t]*@[A-Za-z]+[ \t]*[{(][ \t]*([^,\s{}()]+)", re.M)
_URLISH = frozenset({"url", "pdf", "code", "slides", "poster", "video", "talk", "website"})


class EntryLike(Protocol):
    entry_type: str
    key: str
    fields: dict[str, str]


@dataclass(frozen=True)
class Conflict:
    """A field whose incoming value differs from the one in the file (which was kept)."""

    key: str
    field: str
    kept: str
    incoming: str


@dataclass
class MergeReport:
    """What `merge_bibtex` did, entry by entry."""

    added: list[str] = field(default_factory=list)
    enriched: list[tuple[str, list[str]]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    combined: list[tuple[str, str]] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    rewritten: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dropped_fields: dict[str, list[str]] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.enriched or self.rewritten)

    def lines(self) -> list[str]:
        """Human-readable lines, one per event."""
        out = [f"added @{k}" for k in self.added]
        out += [f"kept '{a}', merged the copy '{b}' into it" for a, b in self.combined]
        out += [f"'{k}' already present: added {', '.join(f)}" for k, f in self.enriched]
        out += [f"'{k}' already present, nothing new" for k in self.unchanged]
        out += [f"key '{a}' is taken: written as '{b}'" for a, b in self.renamed]
        out += [f"'{k}' rewritten (update requested)" for k in self.rewritten]
        out += [
            f"conflict in '{c.key}' field {c.field}: kept {c.kept!r}, incoming {c.incoming!r}"
            for c in self.conflicts
        ]
        out += self.notes
        return out


def _names(value: str) -> list[str]:
    return [name_key(a.display) for a in split_names(value)]


def _same_value(name: str, a: str, b: str) -> bool:
    if name in ("author", "editor"):
        return _names(a) == _names(b)
    if name in _URLISH or name in ("doi", "arxiv", "eprint"):
        return a.strip().rstrip("/").lower() == b.strip().rstrip("/").lower()
    norm = [" ".join(latex_to_text(v).replace("{", "").replace("}", "").split()) for v in (a, b)]
    return norm[0].casefold() == norm[1].casefold()


def _both_preprint_venues(name: str, a: str, b: str) -> bool:
    """ "arXiv preprint" and "CoRR" say the same: not a conflict worth a line."""
    return name in VENUE_FIELDS and all(PREPRINT_VENUE.search(v) for v in (a, b))


def _combine(primary: BibEntry, other: BibEntry, report: MergeReport) -> BibEntry:
    """Merge two incoming copies of one paper; the published one leads."""
    p_id = identity(primary.entry_type, primary.fields)
    o_id = identity(other.entry_type, other.fields)
    if p_id.preprint and not o_id.preprint:
        primary, other, p_id, o_id = other, primary, o_id, p_id
    fields = dict(primary.fields)
    for name, value in other.fields.items():
        if o_id.preprint and not p_id.preprint and name in VENUE_FIELDS:
            continue
        if name == "url" and o_id.arxiv and o_id.arxiv in value and "url" in fields:
            continue  # the arXiv link survives as the arxiv field
        if name not in fields:
            fields[name] = value
        elif not _same_value(name, fields[name], value):
            report.notes.append(
                f"'{primary.key}' and '{other.key}' differ in {name}: kept {fields[name]!r}"
            )
    if o_id.arxiv and not p_id.arxiv:
        fields["arxiv"] = o_id.arxiv
    report.combined.append((primary.key, other.key))
    comments = primary.comments + other.comments
    return BibEntry(primary.entry_type, primary.key, fields, primary.source, comments)


def _group_incoming(entries: Iterable[BibEntry], report: MergeReport) -> list[BibEntry]:
    out: list[BibEntry] = []
    ids: list[Identity] = []
    for entry in entries:
        ident = identity(entry.entry_type, entry.fields)
        for i, seen in enumerate(ids):
            if same_paper(seen, ident):
                out[i] = _combine(out[i], entry, report)
                ids[i] = identity(out[i].entry_type, out[i].fields)
                break
        else:
            out.append(entry)
            ids.append(ident)
    return out


def _additions(
    raw: RawEntry, inc: BibEntry, report: MergeReport
) -> tuple[dict[str, str], list[Conflict]]:
    """Fields `inc` can add to the existing `raw`, and the values that differ."""
    r_id = identity(raw.entry_type, raw.fields)
    i_id = identity(inc.entry_type, inc.fields)
    add: dict[str, str] = {}
    conflicts: list[Conflict] = []
    for name, value in inc.fields.items():
        if i_id.preprint and not r_id.preprint and name in VENUE_FIELDS:
            continue
        if name == "url" and i_id.arxiv and i_id.arxiv in value and "url" in raw.fields:
            continue
        if name not in raw.fields:
            add[name] = value
        elif not _same_value(name, raw.fields[name], value) and not _both_preprint_venues(
            name, raw.fields[name], value
        ):
            conflicts.append(Conflict(raw.key, name, raw.fields[name], value))
    if i_id.arxiv and not r_id.arxiv and "arxiv" not in add:
        add["arxiv"] = i_id.arxiv
    if r_id.preprint and not i_id.preprint and VENUE_FIELDS & set(add):
        report.notes.append(
            f"'{raw.key}' is a preprint in the file and a published version was found: "
            "its venue fields were added; remove status/arXiv journal to list it by venue"
        )
    return add, conflicts


def _line_offsets(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _span(raw: RawEntry, starts: list[int]) -> tuple[int, int]:
    begin = starts[raw.location.line - 1] + raw.location.col - 1
    return begin, begin + len(raw.raw)


def _with_fields(raw_text: str, add: dict[str, str]) -> str:
    """The entry text with `add` appended before its closing brace, in the entry's own
    indentation, alignment and trailing-comma style."""
    body, close = raw_text[:-1].rstrip(), raw_text[-1]
    m = re.search(r"\n([ \t]+)([^\s=]+)([ \t]*)=", raw_text)
    indent = m.group(1) if m else "  "
    width = len(m.group(2)) + len(m.group(3)) - 1 if m and len(m.group(3)) > 1 else 0
    trailing = body.endswith(",")
    lines = [f"{indent}{name.ljust(width)} = {{{value}}}" for name, value in add.items()]
    joined = ",\n".join(lines) + ("," if trailing else "")
    return f"{body}{'' if trailing else ','}\n{joined}\n{close}"


def merge_bibtex(
    existing_text: str,
    incoming_entries: Sequence[EntryLike],
    *,
    path: str = "publications.bib",
    update_existing: bool = False,
) -> tuple[str, MergeReport]:
    """Merge `incoming_entries` into the BibTeX text `existing_text`.

    Returns the new text and a report. Existing entries keep their bytes unless
    `update_existing` is set, which rewrites conflicting fields (reported as rewritten).
    Incoming copies of one paper are combined first. Malformed existing text is kept
    as is; its problems are listed in the report.
    """
    report = MergeReport()
    existing, report.problems = parse_bibtex(existing_text, path)
    taken = {m.group(1).casefold() for m in _KEY_IN_TEXT.finditer(existing_text)}
    cleaned: list[BibEntry] = []
    for item in incoming_entries:
        comments = list(getattr(item, "comments", []))
        entry, dropped = normalise(BibEntry(item.entry_type, item.key, dict(item.fields)))
        entry.comments = comments
        if dropped:
            report.dropped_fields[entry.key] = dropped
        cleaned.append(entry)
    incoming = _group_incoming(cleaned, report)
    known = [(raw, identity(raw.entry_type, raw.fields)) for raw in existing]
    edits: dict[int, tuple[RawEntry, str]] = {}
    appended: list[str] = []
    for inc in incoming:
        i_id = identity(inc.entry_type, inc.fields)
        match = next((raw for raw, r_id in known if same_paper(r_id, i_id)), None)
        if match is None:
            key = unique_key(inc.key, taken) if inc.key else unique_key("entry", taken)
            if key != inc.key:
                report.renamed.append((inc.key, key))
            taken.add(key.casefold())
            inc = BibEntry(inc.entry_type, key, inc.fields, inc.source, inc.comments)
            appended.append(to_bibtex(inc))
            report.added.append(key)
            continue
        add, conflicts = _additions(match, inc, report)
        index = existing.index(match)
        if update_existing and conflicts:
            fields = dict(match.fields)
            fields.update({c.field: c.incoming for c in conflicts})
            fields.update(add)
            edits[index] = (match, write_entry(match.entry_type, match.key, fields).rstrip("\n"))
            report.rewritten.append(match.key)
        elif add:
            previous = edits.get(index, (match, match.raw))[1]
            edits[index] = (match, _with_fields(previous, add))
            report.enriched.append((match.key, list(add)))
            report.conflicts.extend(conflicts)
        else:
            report.unchanged.append(match.key)
            report.conflicts.extend(conflicts)
    text = _apply(existing_text, edits.values())
    if appended:
        if text and not text.endswith("\n"):
            text += "\n"
        if text.strip():
            text += "\n"
        text += "\n".join(appended)
    return text, report


def _apply(text: str, edits: Iterable[tuple[RawEntry, str]]) -> str:
    starts = _line_offsets(text)
    spans = sorted(((*_span(raw, starts), new) for raw, new in edits), reverse=True)
    for begin, end, new in spans:
        text = text[:begin] + new + text[end:]
    return text
