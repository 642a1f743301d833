"""`scholarsite import academicpages`: an academicpages (Jekyll) site folder -> a site folder.

`_config.yml` author block -> profile; `_pages/about.md` -> bio and sections (as the Jekyll
importer reads pages); `_publications/*` -> BibTeX; `_talks/*` -> data/talks.yaml;
`_teaching/*` -> data/teaching.yaml.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import Diagnostic, UserError
from ..model import SourceLocation
from .bibentry import BibEntry, escape_text, make_key
from .collection import local_link, markdown_files, paragraphs, report_skipped, year_month
from .draft import DataItem, SiteDraft
from .frontmatter import Document, plain, read_document, shown_path
from .identifiers import find_arxiv, find_doi
from .inline import LINK, html_to_markdown
from .jekyll import finish, read_config, read_page
from .liquid import resolve_liquid
from .report import ImportReport
from .sitefolder import write_site

__all__ = ["import_academicpages", "publication_entry"]

_CITATION = re.compile(
    r"^(?P<authors>.*?)\s*\((?P<year>\d{4})[^)]*\)\.?\s*[\"“](?P<title>.+?)"
    r"[.,]?[\"”]\.?\s*(?P<rest>.*)$",
    re.S,
)
_DOWNLOAD = re.compile(r"^\s*\[(?:download|get)\b[^\]]*\]\([^)]*\)\s*$", re.I)
_RECOMMENDED = re.compile(r"^\s*(?:recommended citation|citation)\s*:", re.I)
_PREPRINT = re.compile(r"arxiv|biorxiv|medrxiv|ssrn|preprint|under review", re.I)
_JOURNALISH = re.compile(r"\b(?:Journal|Transactions|Letters|Review|Magazine)\b")
_CATEGORY_TYPES = {
    "manuscripts": "article",
    "conferences": "inproceedings",
    "books": "book",
    "journals": "article",
    "preprints": "misc",
    "theses": "phdthesis",
}


def _authors_from_citation(citation: str) -> str:
    """The author list of an academicpages `citation` ("Last, F., Other, G. (2009). ...")."""
    m = _CITATION.match(citation)
    if not m:
        return ""
    text = m.group("authors").strip().replace(" & ", ", ").replace(" and ", ", ")
    if text.endswith(".") and not re.search(r"\b[A-Z]\.$", text):
        text = text[:-1]
    parts = [p.strip() for p in text.split(",") if p.strip()]
    initials = re.compile(r"^(?:[A-Z][a-z]?\.\s*-?)+$|^[A-Z]{1,3}$")
    if len(parts) % 2 == 0 and all(initials.match(p) for p in parts[1::2]):
        return " and ".join(
            f"{escape_text(a)}, {escape_text(b)}"
            for a, b in zip(parts[::2], parts[1::2], strict=True)
        )
    return " and ".join(escape_text(p) for p in parts)


def _str(data: dict, key: str) -> str:
    value = data.get(key)
    return str(value).strip() if value not in (None, "", False) else ""


def publication_entry(
    doc: Document, root: Path, draft: SiteDraft, report: ImportReport, taken: set[str], cfg: dict
) -> BibEntry | None:
    """One `_publications/*.md` file as a BibTeX entry."""
    fm = plain(doc.data)
    at = SourceLocation(doc.path, 1)
    site_url = str(cfg.get("url") or "")
    title = _str(fm, "title")
    if not title:
        report.doubt(at, "publication without a title: skipped")
        return None
    fields: dict[str, str] = {"title": escape_text(html.unescape(title))}
    citation = html_to_markdown(html.unescape(_str(fm, "citation")))
    authors = fm.get("authors")
    if isinstance(authors, list):
        fields["author"] = " and ".join(escape_text(str(a)) for a in authors)
    elif isinstance(authors, str) and authors.strip():
        fields["author"] = escape_text(authors.replace(", and ", " and ").replace(", ", " and "))
    elif citation and (names := _authors_from_citation(citation)):
        fields["author"] = names
        report.doubt(at, "authors read from the citation text", names)
    venue = html_to_markdown(html.unescape(_str(fm, "venue")))
    category = _str(fm, "category").lower()
    preprint = bool(_PREPRINT.search(venue)) or category == "preprints"
    entry_type = _CATEGORY_TYPES.get(category) or (
        "article" if _JOURNALISH.search(venue) or not venue or preprint else "inproceedings"
    )
    if preprint:
        fields["status"] = "preprint"
    if venue:
        name = {"article": "journal", "book": "publisher", "phdthesis": "school"}.get(
            entry_type, "booktitle"
        )
        fields[name] = escape_text(venue)
    year, month = year_month(fm.get("date"))
    if year:
        fields["year"] = year
    if month:
        fields["month"] = month
    body = paragraphs(resolve_liquid(doc.body, doc.body_line, doc.path, cfg, fm, report))
    abstract = [p for p in body if not _DOWNLOAD.match(p) and not _RECOMMENDED.match(p)]
    excerpt = html_to_markdown(resolve_liquid(_str(fm, "excerpt"), 1, doc.path, cfg, fm, report))
    if abstract:
        fields["abstract"] = escape_text("\n\n".join(abstract))
    elif excerpt:
        fields["abstract"] = escape_text(excerpt)
    if excerpt and abstract and excerpt not in fields["abstract"]:
        fields["excerpt"] = escape_text(excerpt)
    links: list[tuple[str, str]] = []
    for key, name in (
        ("paperurl", "pdf"),
        ("pdf", "pdf"),
        ("slidesurl", "slides"),
        ("videourl", "video"),
        ("posterurl", "poster"),
        ("codeurl", "code"),
        ("code", "code"),
        ("bibtexurl", "BibTeX"),
        ("url", "url"),
    ):
        url = _str(fm, key)
        if not url:
            continue
        url = local_link(url, root, site_url, draft, report, at)
        if name == "pdf" and not urlsplit(url).path.lower().endswith(".pdf"):
            name = "url"
        if name.islower() and name not in fields:
            fields[name] = url
        else:
            links.append((name if not name.islower() else name.title(), url))
    for p in body:
        for m in LINK.finditer(p):
            url = local_link(m.group(2), root, site_url, draft, report, at)
            if _DOWNLOAD.match(p) and url not in fields.values():
                links.append(("Paper", url))
    if links:
        fields["links"] = ", ".join(f"{label} = {url}" for label, url in links)
    doi = _str(fm, "doi") or find_doi(" ".join(fields.get(k, "") for k in ("url", "pdf")))
    if doi:
        fields["doi"] = doi
    arxiv = _str(fm, "arxiv") or find_arxiv(fields.get("pdf", "") + " " + fields.get("url", ""))
    if arxiv and "arxiv.org" not in fields.get("pdf", "") + fields.get("url", ""):
        fields["arxiv"] = arxiv
    permalink = _str(fm, "permalink")
    if permalink:
        fields["redirect_from"] = "/" + permalink.lstrip("/")
    key = make_key(fields, taken)
    taken.add(key.casefold())
    comments = [f"citation: {citation}"] if citation else []
    return BibEntry(entry_type, key, fields, at, comments)


def _talk(
    doc: Document, root: Path, draft: SiteDraft, report: ImportReport, site_url: str, section: str
) -> DataItem | None:
    fm = plain(doc.data)
    at = SourceLocation(doc.path, 1)
    title = _str(fm, "title")
    if not title:
        report.doubt(at, f"{section} item without a title: skipped")
        return None
    fields: dict[str, object] = {"title": title}
    kind = _str(fm, "type")
    if kind and kind.lower() not in ("talk", section.rstrip("s")):
        fields["role"] = kind
    if venue := _str(fm, "venue"):
        fields["org" if section == "teaching" else "event"] = venue
    if date := _str(fm, "date"):
        fields["date"] = date
    if location := _str(fm, "location"):
        fields["location"] = location
    for key, name in (("slidesurl", "slides"), ("videourl", "video"), ("talk_url", "url")):
        if url := _str(fm, key):
            fields[name] = local_link(url, root, site_url, draft, report, at)
    details = []
    for p in paragraphs(doc.body):
        m = LINK.fullmatch(p.strip())
        if m and "url" not in fields:
            fields["url"] = local_link(m.group(2), root, site_url, draft, report, at)
            if m.group(1).strip().lower() not in ("more information here", "link", "more info"):
                details.append(p)
        else:
            details.append(p)
    if details:
        fields["details"] = details
    permalink = _str(fm, "permalink")
    if permalink:
        redirects = draft.about_front.setdefault("redirect_from", [])
        redirects.append("/" + permalink.lstrip("/"))  # type: ignore[union-attr]
        report.record(at, "old address (redirected to the home page)", "about.md", permalink)
    return DataItem(fields, at)


def import_academicpages(root: Path, into: Path) -> ImportReport:
    """Import an academicpages site folder into the site folder `into`."""
    shown = shown_path(root)
    if not root.is_dir():
        raise UserError(
            [
                Diagnostic(
                    SourceLocation(shown),
                    "no such folder",
                    "pass the folder of the academicpages site",
                )
            ]
        )
    report = ImportReport("academicpages", shown, str(into))
    draft = SiteDraft(source_root=root)
    config = next((root / n for n in ("_config.yml", "_config.yaml") if (root / n).is_file()), None)
    cfg = read_config(config, draft, report) if config else {}
    if config is None:
        report.doubt(SourceLocation(shown), "no _config.yml: no profile was imported")
    site_url = str(cfg.get("url") or "")
    about = next(
        (
            p
            for p in (root / "_pages/about.md", root / "about.md", root / "index.md")
            if p.is_file()
        ),
        None,
    )
    pubs = (
        report.guard(str(about), lambda: read_page(about, draft, report, cfg, root))
        if about
        else None
    ) or []
    taken = {e.key.casefold() for e in draft.entries}
    for path in markdown_files(root / "_publications", report):
        doc = read_document(path, shown_path(path))
        report.extend_problems(doc.problems)
        entry = report.guard(
            doc.path, lambda doc=doc: publication_entry(doc, root, draft, report, taken, cfg)
        )
        if entry is not None:
            draft.entries.append(entry)
            report.record(
                entry.source,
                "publication",
                f"publications.bib @{entry.key}",
                str(plain(doc.data).get("title", "")),
            )
    for folder, section in (("_talks", "talks"), ("_teaching", "teaching")):
        for path in markdown_files(root / folder, report):
            doc = read_document(path, shown_path(path))
            report.extend_problems(doc.problems)
            item = report.guard(
                doc.path,
                lambda doc=doc, section=section: _talk(doc, root, draft, report, site_url, section),
            )
            if item is not None:
                draft.add_item(section, item)
                report.record(
                    item.source,
                    f"{section} item",
                    f"data/{section}.yaml",
                    str(item.fields["title"]),
                )
    order = list(draft.settings.get("sections") or [])
    if order:
        present = {"publications": bool(draft.entries), **{k: True for k in draft.sections}}
        order += [
            n for n in ("publications", "talks", "teaching") if present.get(n) and n not in order
        ]
        draft.settings["sections"] = order
    report_skipped(root, ("_posts", "_portfolio", "_drafts"), report)
    finish(draft, pubs, report, shown)
    write_site(draft, into, report)
    return report
