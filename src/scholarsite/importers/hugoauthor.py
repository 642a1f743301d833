"""The owner of a Hugo Blox (wowchemy) site: `content/authors/admin/_index.md` or
`data/authors/me.yaml` -> profile, bio, education, experience, awards."""

from __future__ import annotations

from pathlib import Path

from ..model import SourceLocation
from .collection import local_link, year_month
from .draft import DataItem, SiteDraft
from .emitter import comment_lines
from .frontmatter import plain, read_document, read_yaml_file
from .inline import link_key
from .report import ImportReport

__all__ = ["read_hugo_author"]

_AVATARS = ("avatar.jpg", "avatar.jpeg", "avatar.png", "avatar.webp")


def _name(value: object) -> str:
    if isinstance(value, dict):
        return str(
            value.get("display")
            or " ".join(str(value.get(k, "")) for k in ("given", "family")).strip()
        )
    return str(value or "").strip()


def _date(value: object) -> str:
    year, month = year_month(value)
    return f"{year}-{int(month):02d}" if year and month else year


def _links(
    items: object, draft: SiteDraft, report: ImportReport, at: SourceLocation, root: Path
) -> None:
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        url = str(item.get("link") or item.get("url") or "").strip()
        icon = str(item.get("icon") or item.get("name") or "").split("/")[-1]
        if not url or url.startswith("#") or url.startswith("/#"):
            continue
        url = local_link(url, root / "static", "", draft, report, at)
        if url.startswith("mailto:"):
            draft.set_profile("email", url.removeprefix("mailto:"))
            continue
        key = link_key("scholar" if icon in ("graduation-cap", "google-scholar") else icon, url)
        draft.profile.setdefault("links", {}).setdefault(key, url)
        report.record(at, f"social link '{icon}'", f"site.yaml profile.links.{key}", url)


def _items(
    section: str,
    rows: object,
    spec: dict[str, str],
    draft: SiteDraft,
    at: SourceLocation,
    report: ImportReport,
) -> None:
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        fields: dict[str, object] = {}
        for ours, theirs in spec.items():
            value = row.get(theirs)
            if value in (None, ""):
                continue
            fields[ours] = _date(value) if ours in ("start", "end", "date") else str(value)
        if fields.get("title") or fields.get("org"):
            draft.add_item(section, DataItem(fields, at))
            report.record(
                at,
                f"{section} item",
                f"data/{section}.yaml",
                str(fields.get("title") or fields.get("org")),
            )


def _profile(
    data: dict, draft: SiteDraft, report: ImportReport, at: SourceLocation, root: Path
) -> None:
    name = _name(data.get("title") or data.get("name"))
    raw = data.get("name")
    if isinstance(raw, dict) and raw.get("given") and raw.get("family"):
        draft.settings["owner_names"] = [f"{raw['given']} {raw['family']}"]
    if draft.set_profile("name", name):
        report.record(at, "name", "site.yaml profile.name", name)
    role = data.get("role")
    if isinstance(role, str) and draft.set_profile("position", role.strip()):
        report.record(at, "role", "site.yaml profile.position", role)
    orgs = data.get("organizations") or data.get("affiliations")
    if isinstance(orgs, list) and orgs and isinstance(orgs[0], dict):
        draft.set_profile("affiliation", str(orgs[0].get("name", "")).strip())
        if orgs[0].get("url"):
            draft.set_profile("affiliation_url", str(orgs[0]["url"]))
        report.record(at, "organization", "site.yaml profile.affiliation", str(orgs[0].get("name")))
        for extra in orgs[1:]:
            report.doubt(at, "only the first organization is the affiliation", str(extra))
    if isinstance(data.get("interests"), list):
        draft.set_profile("interests", [str(i) for i in data["interests"]])
    if isinstance(data.get("email"), str):
        draft.set_profile("email", data["email"].strip())
    _links(data.get("social") or data.get("links"), draft, report, at, root)
    education = data.get("education")
    if isinstance(education, dict):
        _items(
            "education",
            education.get("courses"),
            {"title": "course", "org": "institution", "date": "year"},
            draft,
            at,
            report,
        )
    else:
        _items(
            "education",
            education,
            {"title": "area", "org": "institution", "start": "date_start", "end": "date_end"},
            draft,
            at,
            report,
        )
    _items(
        "experience",
        data.get("work") or data.get("experience"),
        {"title": "position", "org": "company_name", "start": "date_start", "end": "date_end"},
        draft,
        at,
        report,
    )
    _items(
        "awards",
        data.get("awards"),
        {"title": "title", "url": "url", "date": "date", "org": "awarder"},
        draft,
        at,
        report,
    )
    bio = data.get("bio")
    if isinstance(bio, str) and bio.strip():
        draft.comment("profile", comment_lines(f"Short bio ({at.path}): {bio.strip()}"))
        report.keep(at, "short bio", "a comment in site.yaml", bio)


def read_hugo_author(root: Path, draft: SiteDraft, report: ImportReport, shown: str) -> str:
    """Read the owner's profile; returns the owner's display name ("" when not found)."""
    folder = root / "content" / "authors" / "admin"
    page = next((folder / n for n in ("_index.md", "index.md") if (folder / n).is_file()), None)
    if page is not None:
        doc = read_document(page, f"{shown}/{page.relative_to(root).as_posix()}")
        report.extend_problems(doc.problems)
        at = SourceLocation(doc.path, 1)
        _profile(plain(doc.data), draft, report, at, root)
        if doc.body.strip():
            draft.about_body = doc.body.strip()
            report.keep(
                SourceLocation(doc.path, doc.body_line), "biography", "content/about.md", doc.body
            )
        avatar = next((folder / n for n in _AVATARS if (folder / n).is_file()), None)
        if avatar is not None:
            draft.static[f"img/{avatar.name}"] = avatar
            draft.set_profile("photo", f"img/{avatar.name}")
            report.record(at, "avatar", f"static/img/{avatar.name}")
        return str(draft.profile.get("name", ""))
    me = root / "data" / "authors" / "me.yaml"
    if me.is_file():
        data, problems = read_yaml_file(me, f"{shown}/data/authors/me.yaml")
        report.extend_problems(problems)
        if isinstance(data, dict):
            where = SourceLocation(f"{shown}/data/authors/me.yaml")
            _profile(plain(data), draft, report, where, root)
            bio = plain(data).get("bio")
            if isinstance(bio, str) and bio.strip() and not draft.about_body:
                draft.about_body = bio.strip()
        names = draft.settings.get("owner_names") or [draft.profile.get("name", "")]
        return str(names[0])
    report.doubt(
        SourceLocation(shown),
        "no content/authors/admin/_index.md or data/authors/me.yaml: no profile imported",
    )
    return ""
