"""Merge fetched entries into the site's `publications.bib` (through the bibtex importer's
`merge_bibtex`: hand edits kept, preprint and published version merged, a report).

Entries the owner does not want back are named in `publications.bib` by comment lines
`% sync-ignore: <DOI, arXiv id or title>`; entries already kept in `bib/*.bib` are not
added again.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostic, UserError
from ..importers.bibentry import BibEntry, identity, same_paper
from ..importers.bibmerge import MergeReport, merge_bibtex
from ..importers.identifiers import arxiv_id, doi_of, title_key
from ..model import SourceLocation
from ..readers.bibtex import parse_bibtex

__all__ = ["SyncResult", "apply_entries", "ignored_ids"]

BIB = "publications.bib"
_IGNORE = re.compile(r"^[ \t]*%[ \t]*sync-ignore:[ \t]*(.+?)[ \t]*$", re.M | re.I)


@dataclass
class SyncResult:
    """What a sync found and did."""

    source: str
    path: Path
    fetched: int
    old_text: str
    new_text: str
    merge: MergeReport
    skipped: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def changed(self) -> bool:
        return self.new_text != self.old_text

    def diff(self) -> str:
        """The change to publications.bib as a unified diff."""
        lines = difflib.unified_diff(
            self.old_text.splitlines(keepends=True),
            self.new_text.splitlines(keepends=True),
            f"a/{BIB}",
            f"b/{BIB}",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)

    def lines(self) -> list[str]:
        """The report, one event a line."""
        return self.merge.lines() + self.skipped

    def summary(self) -> str:
        m = self.merge
        parts = [
            f"{len(m.added)} added",
            f"{len(m.enriched)} enriched",
            f"{len(m.unchanged)} unchanged",
        ]
        if m.conflicts:
            parts.append(f"{len(m.conflicts)} conflicts kept as written")
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        return f"{self.source}: {self.fetched} records; {BIB}: " + ", ".join(parts)


def ignored_ids(text: str) -> list[str]:
    """The identifiers of `% sync-ignore: ...` lines."""
    return [m.group(1) for m in _IGNORE.finditer(text)]


def _matches(entry: BibEntry, ignore: list[str]) -> str:
    doi = doi_of(entry.fields.get("doi", ""))
    arxiv = arxiv_id(entry.fields)
    title = title_key(entry.fields.get("title", ""))
    for item in ignore:
        low = item.lower().removeprefix("arxiv:").strip()
        if (doi and doi_of(item) == doi) or (arxiv and low == arxiv.lower()):
            return item
        if len(title) >= 8 and title_key(item) == title:
            return item
    return ""


def _elsewhere(root: Path) -> list[tuple[str, object]]:
    out = []
    for path in sorted((root / "bib").glob("*.bib")) if (root / "bib").is_dir() else []:
        rel = path.relative_to(root).as_posix()
        raws, _ = parse_bibtex(path.read_text(encoding="utf-8"), rel)
        out += [(rel, identity(r.entry_type, r.fields)) for r in raws]
    return out


def apply_entries(
    root: Path,
    source: str,
    entries: list[BibEntry],
    *,
    dry_run: bool = False,
    update_existing: bool = False,
) -> SyncResult:
    """Merge `entries` into ROOT/publications.bib; write it unless `dry_run`."""
    if not (root / "site.yaml").is_file() and not (root / "site.yml").is_file():
        raise UserError(
            [
                Diagnostic(
                    SourceLocation(str(root)),
                    "not a site folder (no site.yaml)",
                    "pass the site with --into, or create one: scholarsite new mysite",
                )
            ]
        )
    path = root / BIB
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    ignore = ignored_ids(old)
    others = _elsewhere(root)
    kept, skipped = [], []
    for entry in entries:
        hit = _matches(entry, ignore)
        if hit:
            skipped.append(f"'{entry.key}' skipped: sync-ignore: {hit}")
            continue
        ident = identity(entry.entry_type, entry.fields)
        where = next((rel for rel, other in others if same_paper(other, ident)), "")
        if where:
            skipped.append(f"'{entry.key}' skipped: already in {where}")
            continue
        kept.append(entry)
    new, report = merge_bibtex(old, kept, path=BIB, update_existing=update_existing)
    if new and not new.endswith("\n"):
        new += "\n"
    result = SyncResult(source, path, len(entries), old, new, report, skipped)
    if result.changed and not dry_run:
        tmp = path.with_name(f".{path.name}.sync-tmp")
        tmp.write_text(new, encoding="utf-8")
        os.replace(tmp, path)
        result.written = True
    return result
