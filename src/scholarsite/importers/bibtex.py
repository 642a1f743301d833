"""`scholarsite import bibtex`: merge an export (Google Scholar, DBLP, ACL Anthology,
Zotero...) into the site's `publications.bib`."""

from __future__ import annotations

from pathlib import Path

from ..errors import Diagnostic, UserError
from ..model import SourceLocation
from ..readers.bibtex import parse_bibtex
from .bibentry import BibEntry, from_raw, make_key
from .bibmerge import MergeReport, merge_bibtex
from .frontmatter import read_text, shown_path
from .report import ImportReport
from .safety import clean_entry
from .sitefolder import make_folder, write_text

__all__ = ["import_bibtex", "read_export"]


def read_export(path: Path, shown: str, report: ImportReport) -> list[BibEntry]:
    """The entries of an export; malformed ones are reported (path:line) and skipped.

    Database keys such as DBLP's `DBLP:conf/acl/XuLLC21` become short keys (`xu2021document`).
    """
    text, problems = read_text(path, shown)
    entries, more = parse_bibtex(text, shown)
    report.extend_problems(problems + more)
    out: list[BibEntry] = []
    taken: set[str] = set()
    for raw in entries:
        entry = from_raw(raw)
        if ":" in entry.key or "/" in entry.key:
            new = make_key(entry.fields, taken | {e.key.casefold() for e in out})
            report.record(raw.location, f"key {entry.key!r} shortened", new)
            entry.key = new
        taken.add(entry.key.casefold())
        out.append(clean_entry(entry, report))
    return out


def _report_merge(merge: MergeReport, report: ImportReport, entries: list[BibEntry]) -> None:
    where = SourceLocation("publications.bib")
    by_key = {e.key: e for e in entries}
    for key in merge.added:
        source = by_key.get(key)
        at = source.source if source and source.source else where
        report.record(
            at,
            "entry",
            f"publications.bib @{key}",
            source.fields.get("title", "") if source else "",
        )
    for key, fields in merge.enriched:
        report.record(
            where,
            f"@{key} already present: added {', '.join(fields)}",
            "publications.bib (the rest of the entry is unchanged)",
        )
    for key in merge.unchanged:
        report.keep(where, f"@{key} already present, nothing new", "publications.bib")
    for kept, copy in merge.combined:
        report.doubt(where, f"'{copy}' and '{kept}' are one paper: merged into '{kept}'")
    for old, new in merge.renamed:
        report.doubt(where, f"key '{old}' is taken by another paper: written as '{new}'")
    for c in merge.conflicts:
        report.doubt(where, f"@{c.key} {c.field}: kept {c.kept!r}, the export has {c.incoming!r}")
    for note in merge.notes:
        report.doubt(where, note)
    for key, dropped in merge.dropped_fields.items():
        report.keep(where, f"@{key}: database fields dropped ({', '.join(dropped)})", "nowhere")


def import_bibtex(file: Path, into: Path) -> ImportReport:
    """Merge the BibTeX file `file` into `into`/publications.bib."""
    shown = shown_path(file)
    if not file.is_file():
        raise UserError(
            [
                Diagnostic(
                    SourceLocation(shown),
                    "no such file",
                    "pass a .bib file exported from Google Scholar, DBLP...",
                )
            ]
        )
    report = ImportReport("bibtex", shown, str(into))
    report.new_site = False
    entries = read_export(file, shown, report)
    target = into / "publications.bib"
    make_folder(into)
    if not (into / "site.yaml").exists():
        report.doubt(SourceLocation(str(into)), "no site.yaml here: is this the site folder?")
    existing = target.read_text(encoding="utf-8") if target.exists() else ""
    text, merge = merge_bibtex(existing, entries, path="publications.bib")
    report.extend_problems(merge.problems)
    _report_merge(merge, report, entries)
    if text != existing:
        write_text(target, text)
        report.files.append("publications.bib")
    else:
        report.unchanged.append("publications.bib")
    return report
