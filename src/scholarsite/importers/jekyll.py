"""`scholarsite import jekyll`: a hand-written Jekyll About page -> a site folder."""

from __future__ import annotations

from pathlib import Path

from ..errors import Diagnostic, UserError
from ..model import SourceLocation
from .authorblock import apply_config, set_language
from .bio import read_contact, read_preamble
from .blocks import Block, split_blocks
from .draft import SiteDraft
from .emitter import comment_lines
from .entries import parse_section
from .frontmatter import plain, read_document, read_yaml_file, shown_path
from .headings import section_of
from .inline import find_email
from .liquid import resolve_liquid
from .owner import settle_owner
from .publist import PubDraft
from .pubsection import read_publications
from .report import ImportReport
from .sitefolder import write_site

__all__ = ["import_jekyll"]

#: Front matter keys content/about.md carries over; the others become YAML comments.
PAGE_KEYS = ("title", "subtitle", "description", "date", "lang", "published", "redirect_from")
_ABOUT_HEADINGS = ("about", "about me", "biography", "bio", "关于我", "个人简介", "简介")


def _find_config(page: Path) -> Path | None:
    for folder in (page.parent, *page.parent.parents[:2]):
        for name in ("_config.yml", "_config.yaml"):
            if (folder / name).is_file():
                return folder / name
    return None


def _old_url(page: Path, front: dict, config: dict) -> str:
    """Where Jekyll served the page."""
    if isinstance(front.get("permalink"), str):
        return "/" + front["permalink"].strip().lstrip("/")
    stem = page.name.split(".", 1)[0]
    if stem == "index":
        return "/"
    if config.get("permalink") == "pretty" or not page.name.endswith((".md", ".markdown", ".html")):
        return f"/{stem}/"
    return f"/{stem}.html"


def _front_matter(
    page: Path, front: dict, config: dict, draft: SiteDraft, report: ImportReport, shown: str
) -> None:
    at = SourceLocation(shown, 1)
    for key in PAGE_KEYS:
        value = front.get(key)
        if value is None or value == "" or value == [] or (key == "published" and value is True):
            continue
        draft.about_front[key] = value
    listed = front.get("redirect_from") or []
    listed = [listed] if isinstance(listed, str) else listed
    redirects = [str(r) for r in listed if str(r).strip()]
    old = _old_url(page, front, config)
    if old not in ("/", *redirects):
        redirects.append(old)
        report.record(at, "old address", "content/about.md redirect_from", old)
    if redirects:
        draft.about_front["redirect_from"] = redirects
    for key, value in front.items():
        if key not in PAGE_KEYS and value is not None:
            note = f"{key}: {value} (Jekyll front matter, not used by scholarsite)"
            draft.about_comments.extend(comment_lines(note))
            report.keep(at, f"front matter key '{key}'", "a YAML comment in content/about.md")


def _asset(
    rel: str, root: Path, draft: SiteDraft, report: ImportReport, at: SourceLocation
) -> None:
    """Copy a file the page shows (photo, preview) from the Jekyll site into static/."""
    if rel in draft.static:
        return
    for folder in (root, *root.parents[:1]):
        if (folder / rel).is_file():
            draft.static[rel] = folder / rel
            return
    report.doubt(at, f"file not found: copy it to static/{rel}", rel)


def _photo_file(draft: SiteDraft, root: Path, report: ImportReport, shown: str) -> None:
    photo = draft.profile.get("photo")
    if isinstance(photo, str) and photo:
        _asset(photo, root, draft, report, SourceLocation(shown))


def _split_sections(
    blocks: list[Block],
) -> tuple[list[Block], list[tuple[Block, str, list[Block]]]]:
    preamble: list[Block] = []
    sections: list[tuple[Block, str, list[Block]]] = []
    level = 0
    for block in blocks:
        if block.kind == "heading":
            name = section_of(block.title)
            if block.title.strip().lower() in _ABOUT_HEADINGS:
                name = "about"
            if name or not sections or block.level <= level:
                sections.append((block, name, []))
                level = block.level
                continue
        (sections[-1][2] if sections else preamble).append(block)
    return preamble, sections


def _text(blocks: list[Block]) -> str:
    parts: list[str] = []
    for block in blocks:
        if block.kind != "blank":
            parts.append(block.text.strip("\n"))
    return "\n\n".join(parts)


def read_config(config: Path, draft: SiteDraft, report: ImportReport) -> dict:
    """Read a `_config.yml` into the draft; returns it as plain data (for Liquid)."""
    data, problems = read_yaml_file(config, shown_path(config))
    report.extend_problems(problems)
    cfg = plain(data) if isinstance(data, dict) else {}
    apply_config(cfg, draft, report, shown_path(config), config.parent)
    return cfg


def _section(
    name: str,
    heading: Block,
    blocks: list[Block],
    draft: SiteDraft,
    report: ImportReport,
    shown: str,
    pubs: list[PubDraft],
) -> list[Block]:
    """Read one recognised section into the draft; return the blocks left as Markdown."""
    report.record(
        SourceLocation(shown, heading.line), f"heading {heading.title!r}", f"section '{name}'"
    )
    if name == "publications":
        found, left = read_publications(blocks, draft, report, shown)
        pubs.extend(found)
        return left
    if name == "contact":
        return read_contact(blocks, draft, report, shown)
    items, left, footer = parse_section(name, blocks, shown)
    for item in items:
        draft.add_item(name, item)
        what = str(item.fields.get("title") or item.fields.get("org"))
        report.record(item.source, f"{name} item", f"data/{name}.yaml", what)
    draft.section_footers.setdefault(name, []).extend(footer)
    header = draft.section_headers.setdefault(name, [])
    header.append(f"# {heading.title!r} in {shown} (line {heading.line}).")
    return left


def read_page(
    page: Path, draft: SiteDraft, report: ImportReport, cfg: dict, root: Path
) -> list[PubDraft]:
    """Read one Jekyll page into the draft: profile, sections, bio; returns its publications."""
    shown = shown_path(page)
    doc = read_document(page, shown)
    report.extend_problems(doc.problems)
    if not page.name.endswith((".md", ".markdown", ".html")):
        report.doubt(SourceLocation(shown), "the file has no .md extension; read as Markdown")
    front = plain(doc.data)
    _front_matter(page, front, cfg, draft, report, shown)
    set_language(str(front.get("lang") or ""), draft, report, SourceLocation(shown, 1))
    body = resolve_liquid(doc.body, doc.body_line, shown, cfg, front, report)
    preamble, sections = _split_sections(split_blocks(body, doc.body_line))
    kept = read_preamble(preamble, draft, report, shown)
    order: list[str] = list(draft.settings.get("sections") or [])
    pubs: list[PubDraft] = []
    for heading, name, blocks in sections:
        at = SourceLocation(shown, heading.line)
        if name == "about":
            kept.extend(read_preamble(blocks, draft, report, shown))
            report.keep(at, "heading", "dropped (the bio has no heading)", heading.title)
            continue
        if not name:
            if not order:  # before any known section: the bio may go on here
                blocks = read_preamble(blocks, draft, report, shown)
            kept.extend([heading, *blocks])
            report.keep(at, "section", "content/about.md", heading.title)
            continue
        left = _section(name, heading, blocks, draft, report, shown, pubs)
        if name not in order:
            order.append(name)
        if left:
            kept.extend([heading, *left])
            for b in left:
                report.keep(
                    SourceLocation(shown, b.line),
                    f"{b.kind} in section {name!r}",
                    "content/about.md",
                    b.text,
                )
    if "email" not in draft.profile:
        email, written = find_email(body)
        if email:
            draft.profile["email"] = email
            report.record(SourceLocation(shown), "e-mail", "site.yaml profile.email", written)
    _photo_file(draft, root, report, shown)
    for pub in pubs:
        if pub.preview:
            _asset(pub.preview, root, draft, report, pub.source)
    if order:
        draft.settings["sections"] = order
        headings = ", ".join(repr(h.title) for h, n, _ in sections if n and n != "about")
        draft.comment("sections", [f"# Home page order; the imported page's headings: {headings}"])
    draft.settings.setdefault("title", draft.profile.get("name") or front.get("title") or "Home")
    draft.about_body = (draft.about_body + "\n\n" + _text(kept)).strip()
    return pubs


def finish(draft: SiteDraft, pubs: list[PubDraft], report: ImportReport, shown: str) -> None:
    """Owner, entries, the contact section and the title, once everything is read."""
    settle_owner(draft, pubs, report, shown)
    order = list(draft.settings.get("sections") or [])
    has_contact = draft.profile.get("email") or draft.profile.get("links")
    if order and has_contact and "contact" not in order:
        draft.settings["sections"] = [*order, "contact"]
    if "title" not in draft.settings:
        draft.settings["title"] = draft.profile.get("name") or "Home"
        if not draft.profile.get("name"):
            report.doubt(
                SourceLocation(shown), "no name found: set title and profile.name in site.yaml"
            )


def import_jekyll(page: Path, into: Path, config: Path | None = None) -> ImportReport:
    """Import one Jekyll page (and its _config.yml) into the site folder `into`."""
    shown = shown_path(page)
    if not page.is_file():
        raise UserError(
            [
                Diagnostic(
                    SourceLocation(shown),
                    "no such file",
                    "pass the path of the page, e.g. about.md",
                )
            ]
        )
    if config is not None and not config.is_file():
        raise UserError(
            [
                Diagnostic(
                    SourceLocation(shown_path(config)),
                    "no such file",
                    "pass the site's _config.yml, or leave --config out",
                )
            ]
        )
    report = ImportReport("jekyll", shown, str(into))
    draft = SiteDraft()
    config = config or _find_config(page)
    cfg = read_config(config, draft, report) if config else {}
    root = config.parent if config else page.parent
    draft.source_root = root.parent if root.name.startswith("_") else root  # _pages/about.md
    pubs = report.guard(shown, lambda: read_page(page, draft, report, cfg, root)) or []
    finish(draft, pubs, report, shown)
    write_site(draft, into, report)
    return report
