"""Write a SiteDraft as a site folder: a complete new one, or merged into an existing one
(nothing the user wrote is overwritten; what differs is reported)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from ..errors import Diagnostic, Diagnostics, UserError
from ..model import SourceLocation
from ..readers.yamlfile import load_yaml
from .bibmerge import merge_bibtex
from .draft import DataItem, SiteDraft
from .emitter import Commented, dump_document
from .frontmatter import plain
from .inline import plain_text
from .report import ImportReport
from .safety import clean_draft

__all__ = ["make_folder", "write_site", "write_text"]


SETTINGS_ORDER = (
    "title",
    "base_url",
    "language",
    "languages",
    "theme",
    "theme_options",
    "reference_style",
    "owner_names",
    "raw_html",
    "sections",
    "description",
    "footer",
)
PROFILE_ORDER = (
    "name",
    "native_name",
    "photo",
    "motto",
    "position",
    "affiliation",
    "affiliation_url",
    "email",
    "notices",
    "interests",
    "links",
)


def _ordered(data: dict[str, object], order: tuple[str, ...]) -> dict[str, object]:
    out = {k: data[k] for k in order if k in data}
    out.update((k, v) for k, v in data.items() if k not in out)
    return out


def _commented(draft: SiteDraft, prefix: str, data: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    order = PROFILE_ORDER if prefix else SETTINGS_ORDER
    for key, value in _ordered(data, order).items():
        before = draft.comments.get(prefix + key, [])
        out[key] = Commented(value, before) if before else value
    return out


def site_yaml(draft: SiteDraft) -> str:
    """The text of a new site.yaml."""
    data = _commented(draft, "", draft.settings)
    if draft.profile:
        profile = _commented(draft, "profile.", draft.profile)
        data["profile"] = Commented(profile, draft.comments.get("profile", []))
    return dump_document(data, header=draft.comments.get("", []))


def _item_key(fields: dict[str, object]) -> tuple[str, ...]:
    return tuple(
        plain_text(str(fields.get(k, ""))).casefold() for k in ("title", "org", "start", "date")
    )


def data_yaml(draft: SiteDraft, section: str, items: list[DataItem]) -> str:
    """The text of a new data/<section>.yaml."""
    values = [Commented(i.fields, i.before, i.after) for i in items]
    header = draft.section_headers.get(section, [])
    return dump_document(values, header=header, footer=draft.section_footers.get(section, []))


def _merge_data(text: str, path: str, draft: SiteDraft, section: str, report: ImportReport) -> str:
    diags = Diagnostics()
    existing = plain(load_yaml(text, path, diags)) if text.strip() else []
    if existing is None or not isinstance(existing, list):
        report.doubt(SourceLocation(path), "not a list; the imported items were not added")
        return text
    have = {_item_key(e) for e in existing if isinstance(e, dict)}
    have |= {(plain_text(e).casefold(), "", "", "") for e in existing if isinstance(e, str)}
    new = [i for i in draft.sections[section] if _item_key(i.fields) not in have]
    for item in draft.sections[section]:
        if item not in new:
            report.keep(item.source, "already in the site, not added", path)
    if not new:
        return text
    if not existing and not text.lstrip().startswith("-"):
        return data_yaml(draft, section, new)
    if re.search(r"^\s*\[", text, re.M) and not re.search(r"^-", text, re.M):
        report.doubt(SourceLocation(path), "written as a flow list; imported items not added")
        return text
    addition = dump_document([Commented(i.fields, i.before, i.after) for i in new])
    return text.rstrip("\n") + "\n\n" + addition


def _merge_site_yaml(text: str, draft: SiteDraft, report: ImportReport) -> str:
    """Add the settings and profile fields site.yaml lacks; report the ones that differ."""
    diags = Diagnostics()
    existing = plain(load_yaml(text, "site.yaml", diags))
    if not isinstance(existing, dict):
        report.doubt(SourceLocation("site.yaml"), "not a map of settings; left unchanged")
        return text
    where = SourceLocation("site.yaml")
    top = {k: v for k, v in draft.settings.items() if k not in existing}
    for key, value in draft.settings.items():
        if key in existing and existing[key] != value:
            report.doubt(where, f"kept {key} = {existing[key]!r}; imported {value!r}")
    profile = existing.get("profile")
    add_profile: dict[str, object] = {}
    if draft.profile and not isinstance(profile, dict):
        top["profile"] = _commented(draft, "profile.", draft.profile)
    elif draft.profile:
        for key, value in draft.profile.items():
            if key not in profile:
                add_profile[key] = value
            elif profile[key] != value:
                report.doubt(where, f"kept profile.{key} = {profile[key]!r}; imported {value!r}")
    if add_profile:
        m = re.search(r"^profile:[ \t]*(#.*)?\n((?:[ \t]*(?:#.*)?\n)*)([ \t]+)\S", text, re.M)
        if m is None:
            report.doubt(
                where, "profile is not a block map; new fields not added: " + ", ".join(add_profile)
            )
        else:
            lines = dump_document(_commented(draft, "profile.", add_profile)).splitlines()
            block = "".join(f"{m.group(3)}{line}\n" for line in lines)
            at = m.start(3)
            text = text[:at] + block + text[at:]
    if top:
        text = text.rstrip("\n") + "\n" + dump_document(_commented(draft, "", top))
    return text


def _page_text(front: dict[str, object], body: str, comments: list[str]) -> str:
    head = dump_document(front) if front else ""
    extra = "".join(line + "\n" for line in comments)
    return f"---\n{head}{extra}---\n{body.strip()}\n" if (head or extra) else body.strip() + "\n"


def write_site(draft: SiteDraft, into: Path, report: ImportReport) -> None:
    """Write (or merge) the draft into the folder `into`; all texts are made first."""
    clean_draft(draft, report)
    make_folder(into)
    new_site = not (into / "site.yaml").exists() and not (into / "site.yml").exists()
    report.new_site = new_site
    files: dict[str, str] = {}
    if new_site:
        files["site.yaml"] = site_yaml(draft)
    else:
        name = "site.yaml" if (into / "site.yaml").exists() else "site.yml"
        old = (into / name).read_text(encoding="utf-8")
        files[name] = _merge_site_yaml(old, draft, report)
    for section, items in draft.sections.items():
        rel = f"data/{section}.yaml"
        path = into / rel
        if path.exists():
            old = path.read_text(encoding="utf-8")
            files[rel] = _merge_data(old, rel, draft, section, report)
        elif items or draft.section_footers.get(section):
            files[rel] = data_yaml(draft, section, items)
    bib = into / "publications.bib"
    old_bib = bib.read_text(encoding="utf-8") if bib.exists() else ""
    if draft.entries or bib.exists():
        header = "" if old_bib else f"% Imported by scholarsite from {report.source}\n\n"
        text, merge = merge_bibtex(old_bib, draft.entries)
        files["publications.bib"] = header + text if text.strip() else old_bib
        where = SourceLocation("publications.bib")
        for line in merge.lines():
            if not line.startswith("added @"):
                report.doubt(where, line)
        report.extend_problems(merge.problems)
    about = _page_text(draft.about_front, draft.about_body, draft.about_comments)
    pages = dict(draft.pages)
    if draft.about_body.strip() or draft.about_front:
        pages["about.md"] = about
    for rel, text in pages.items():
        target = into / "content" / rel
        if target.exists() and target.read_text(encoding="utf-8") != text:
            alt = rel.rsplit(".", 1)[0] + ".imported.md"
            report.doubt(
                SourceLocation(f"content/{rel}"),
                "exists and differs; the imported "
                f"page was written to content/{alt} as a draft (published: false)",
            )
            if text.startswith("---\n"):
                text = text.replace("---\n", "---\npublished: false\n", 1)
            else:
                text = f"---\npublished: false\n---\n{text}"
            rel = alt
        elif target.exists():
            continue
        files[f"content/{rel}"] = text
    _write(into, files, report)
    for rel, source in draft.static.items():
        target = into / "static" / rel
        if not _within(target, into / "static") or (
            draft.source_root is not None and not _within(source, draft.source_root)
        ):
            report.doubt(
                SourceLocation(f"static/{rel}"),
                "not copied: the file lies outside the imported site ('..' or a symlink)",
                str(source),
            )
            continue
        if target.exists():
            report.unchanged.append(f"static/{rel}")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        report.files.append(f"static/{rel}")


def _within(path: Path, folder: Path) -> bool:
    """Is the real path of `path` (symlinks followed) inside the real path of `folder`?"""
    return os.path.realpath(path).startswith(os.path.realpath(folder) + os.sep)


def make_folder(into: Path) -> None:
    """Create the target folder, or say why it cannot be (a UserError, no traceback)."""
    try:
        into.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(
            [
                Diagnostic(
                    SourceLocation(str(into)),
                    f"cannot create the folder: {exc.strerror}",
                    "pass another --into folder",
                )
            ]
        ) from None


def write_text(path: Path, text: str) -> None:
    """Write a file atomically (a sibling temporary file renamed over it)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp-import")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise UserError(
            [
                Diagnostic(
                    SourceLocation(str(path)),
                    f"cannot write: {exc.strerror}",
                    "check the permissions of the --into folder",
                )
            ]
        ) from None


def _write(into: Path, files: dict[str, str], report: ImportReport) -> None:
    for rel, text in files.items():
        path = into / rel
        if path.exists() and path.read_text(encoding="utf-8") == text:
            report.unchanged.append(rel)
            continue
        write_text(path, text)
        report.files.append(rel)
