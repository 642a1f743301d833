"""`scholarsite import hugo`: a Hugo Blox (wowchemy) site folder -> a site folder.

`content/publication(s)/*/index.md` front matter + the bundle's `cite.bib` -> BibTeX
(cite.bib's fields first, enriched with the front matter's links, notes and flags);
`content/authors/admin/_index.md` or `data/authors/me.yaml` -> profile.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Diagnostic, UserError
from ..model import SourceLocation
from ..names import name_key, split_names
from ..readers.bibtex import parse_bibtex
from .authors import Marked, bib_authors
from .bibentry import BibEntry, escape_text, make_key
from .collection import local_link, report_skipped, year_month
from .draft import SiteDraft
from .frontmatter import Document, plain, read_document, read_text, shown_path
from .hugoauthor import read_hugo_author
from .inline import strip_emphasis
from .jekyll import finish
from .report import ImportReport
from .sitefolder import write_site

__all__ = ["import_hugo"]

_TYPES = {
    "0": "misc",
    "1": "inproceedings",
    "2": "article",
    "3": "misc",
    "4": "techreport",
    "5": "book",
    "6": "incollection",
    "7": "phdthesis",
    "8": "misc",
    "paper-conference": "inproceedings",
    "article-journal": "article",
    "article": "misc",
    "report": "techreport",
    "book": "book",
    "chapter": "incollection",
    "thesis": "phdthesis",
    "patent": "misc",
    "manuscript": "unpublished",
}
_PREPRINT_TYPES = {"3", "article", "manuscript"}
_URL_FIELDS = {
    "url_pdf": "pdf",
    "url_code": "code",
    "url_slides": "slides",
    "url_video": "video",
    "url_poster": "poster",
    "url_project": "Project",
    "url_dataset": "Dataset",
    "url_source": "Source",
    "url_preprint": "Preprint",
}
_ROLE_NOTES = (
    ("equal", "equal"),
    ("co-first", "equal"),
    ("共同第一", "equal"),
    ("corresponding", "corresponding"),
    ("通讯", "corresponding"),
    ("advis", "advising"),
    ("共同指导", "advising"),
)
_OWNER_IDS = {"admin", "me"}
_IMAGES = ("featured.png", "featured.jpg", "featured.jpeg", "featured.webp")


def _bundles(root: Path) -> list[Path]:
    """Index files of publication bundles (and single-file publications)."""
    out: list[Path] = []
    for name in ("publication", "publications"):
        folder = root / "content" / name
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.is_dir():
                index = next(
                    (
                        path / n
                        for n in ("index.md", "index.markdown", "_index.md", "index")
                        if (path / n).is_file()
                    ),
                    None,
                )
                if index is not None:
                    out.append(index)
            elif path.is_file() and not path.name.startswith(("_", ".")):
                out.extend([path] if path.suffix in (".md", ".markdown", "") else [])
    return out


def _as_list(value: object) -> list[str]:
    """A list of names; a string (broken YAML read line by line) is split at commas."""
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    if isinstance(value, str):
        return [p.strip(" \"'") for p in value.strip("[] ").split(",") if p.strip(" \"'")]
    return []


def _roles(
    authors: list[str], notes: object, at: SourceLocation, report: ImportReport
) -> list[Marked]:
    marked = [Marked(a) for a in authors]
    for i, note in enumerate(notes if isinstance(notes, list) else []):
        text = str(note or "").lower()
        if i >= len(marked) or not text.strip():
            continue
        roles = {role for word, role in _ROLE_NOTES if word in text}
        marked[i].roles |= roles
        if not roles:
            report.doubt(at, f"author note {note!r} of {authors[i]} not kept")
    return marked


def _front_fields(
    fm: dict, owner: str, at: SourceLocation, report: ImportReport
) -> tuple[str, dict[str, str]]:
    types = fm.get("publication_types") or []
    kind = str(types[0] if isinstance(types, list) and types else types or "").strip()
    entry_type = _TYPES.get(kind, "misc")
    fields: dict[str, str] = {}
    if title := str(fm.get("title") or "").strip():
        fields["title"] = escape_text(title)
    authors = [owner if a in _OWNER_IDS and owner else a for a in _as_list(fm.get("authors"))]
    if _OWNER_IDS & set(authors):
        report.doubt(at, "author 'admin'/'me' kept as is: the owner's name is unknown")
    author, roles = bib_authors(_roles(authors, fm.get("author_notes"), at, report))
    if author:
        fields["author"] = author
    if roles:
        fields["author+an"] = roles
    venue = strip_emphasis(re.sub(r"^\s*In\s+", "", str(fm.get("publication") or ""))).strip()
    if venue:
        name = {
            "article": "journal",
            "book": "publisher",
            "phdthesis": "school",
            "techreport": "institution",
            "misc": "howpublished",
            "unpublished": "howpublished",
        }.get(entry_type, "booktitle")
        fields[name] = escape_text(venue)
    short = strip_emphasis(re.sub(r"^\s*In\s+", "", str(fm.get("publication_short") or "")))
    if short.strip():
        fields["abbr"] = escape_text(short.strip())
    year, month = year_month(fm.get("date"))
    if year:
        fields["year"] = year
    if month:
        fields["month"] = month
    if kind in _PREPRINT_TYPES:
        fields["status"] = "preprint"
    for key in ("abstract", "doi"):
        if value := str(fm.get(key) or "").strip():
            fields[key] = escape_text(value) if key == "abstract" else value
    if fm.get("featured") is True:
        fields["selected"] = "true"
    return entry_type, fields


def _links(
    fm: dict, root: Path, draft: SiteDraft, report: ImportReport, at: SourceLocation
) -> tuple[dict[str, str], list[str]]:
    fields: dict[str, str] = {}
    others: list[str] = []
    for key, name in _URL_FIELDS.items():
        url = str(fm.get(key) or "").strip()
        if not url:
            continue
        url = local_link(url, root / "static", "", draft, report, at)
        if name.islower():
            fields[name] = url
        else:
            others.append(f"{name} = {url}")
    for link in fm.get("links") or []:
        if isinstance(link, dict) and link.get("url"):
            label = re.sub(r"[=,;{}]", " ", str(link.get("name") or "Link")).strip()
            others.append(f"{label} = {str(link['url']).strip()}")
    if others:
        fields["links"] = ", ".join(others)
    return fields, others


def _cite_bib(index: Path, shown: str, report: ImportReport) -> tuple[str, str, dict] | None:
    bib = index.parent / "cite.bib"
    if index.name not in ("index.md", "index.markdown", "_index.md", "index") or not bib.is_file():
        return None
    text, problems = read_text(bib, f"{shown}/cite.bib")
    entries, more = parse_bibtex(text, f"{shown}/cite.bib")
    report.extend_problems(problems + more)
    if not entries:
        return None
    if len(entries) > 1:
        report.doubt(SourceLocation(f"{shown}/cite.bib"), "several entries: the first is used")
    return entries[0].entry_type, entries[0].key, dict(entries[0].fields)


def _entry(
    doc: Document,
    index: Path,
    root: Path,
    owner: str,
    draft: SiteDraft,
    report: ImportReport,
    taken: set[str],
) -> BibEntry | None:
    fm = plain(doc.data)
    at = SourceLocation(doc.path, 1)
    entry_type, fields = _front_fields(fm, owner, at, report)
    links, _ = _links(fm, root, draft, report, at)
    cite = _cite_bib(index, str(Path(doc.path).parent), report)
    key = ""
    if cite is not None:
        entry_type, key, bib = cite
        if "author+an" in fields and not _same_authors(bib.get("author", ""), fields["author"]):
            report.doubt(at, "author_notes not applied: cite.bib lists other authors")
            fields.pop("author+an")
        merged = dict(bib)
        for name, value in fields.items():
            merged.setdefault(name, value)
        fields = merged
    if not fields.get("title"):
        report.doubt(at, "publication without a title: skipped")
        return None
    for name, value in links.items():
        if name == "links" and fields.get("links"):
            fields["links"] += ", " + value
        else:
            fields.setdefault(name, value)
    image = next((index.parent / n for n in _IMAGES if (index.parent / n).is_file()), None)
    slug = index.parent.name if index.name.startswith(("index", "_index")) else index.stem
    if image is not None:
        rel = f"img/publications/{slug}{image.suffix}"
        draft.static[rel] = image
        fields.setdefault("preview", rel)
    fields["redirect_from"] = f"/publication/{slug}/"
    key = key or make_key(fields, taken)
    taken.add(key.casefold())
    comments = []
    if doc.body.strip():
        comments = [f"Page text of {doc.path}:", *doc.body.strip().splitlines()]
        report.keep(
            SourceLocation(doc.path, doc.body_line),
            "page text",
            f"a comment above @{key} in publications.bib",
            doc.body,
        )
    return BibEntry(entry_type, key, fields, at, comments)


def _same_authors(a: str, b: str) -> bool:
    def keys(v: str) -> list[str]:
        return [name_key(x.last) for x in split_names(v)]

    return keys(a) == keys(b)


def import_hugo(root: Path, into: Path) -> ImportReport:
    """Import a Hugo Blox site folder into the site folder `into`."""
    shown = shown_path(root)
    if not root.is_dir():
        raise UserError(
            [
                Diagnostic(
                    SourceLocation(shown), "no such folder", "pass the folder of the Hugo site"
                )
            ]
        )
    report = ImportReport("hugo", shown, str(into))
    draft = SiteDraft(source_root=root)
    owner = read_hugo_author(root, draft, report, shown)
    taken: set[str] = set()
    indexes = _bundles(root)
    if not indexes:
        report.doubt(SourceLocation(shown), "no content/publication(s)/ folder: no publications")
    for index in indexes:
        doc = read_document(index, shown_path(index))
        report.extend_problems(doc.problems)
        if not index.suffix:
            report.doubt(SourceLocation(doc.path), "no .md extension: read as Markdown")
        entry = report.guard(
            doc.path,
            lambda doc=doc, index=index: _entry(doc, index, root, owner, draft, report, taken),
        )
        if entry is not None:
            draft.entries.append(entry)
            report.record(
                entry.source,
                "publication",
                f"publications.bib @{entry.key}",
                entry.fields.get("title", ""),
            )
    if owner:
        names = [owner, *draft.settings.get("owner_names", [])]
        draft.settings["owner_names"] = list(dict.fromkeys(names))
        draft.settings["title"] = draft.profile.get("name") or owner
    report_skipped(root, ("content/post", "content/event", "content/project"), report)
    finish(draft, [], report, shown)
    write_site(draft, into, report)
    return report
