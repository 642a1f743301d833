"""A Jekyll/academicpages `_config.yml` (title, url, `author:` block) -> settings and profile."""

from __future__ import annotations

import re
from pathlib import Path

from ..model import SourceLocation
from .draft import SiteDraft
from .emitter import comment_lines
from .inline import find_email
from .report import ImportReport

__all__ = ["SOCIAL_URLS", "apply_config", "profile_links", "set_language"]

#: Handle keys of author blocks -> URL template ("{}" is the handle).
SOCIAL_URLS: dict[str, tuple[str, str]] = {
    "github": ("github", "https://github.com/{}"),
    "googlescholar": ("scholar", "{}"),
    "google_scholar": ("scholar", "https://scholar.google.com/citations?user={}"),
    "scholar": ("scholar", "{}"),
    "orcid": ("orcid", "https://orcid.org/{}"),
    "dblp": ("dblp", "{}"),
    "twitter": ("twitter", "https://twitter.com/{}"),
    "x": ("x", "https://x.com/{}"),
    "linkedin": ("linkedin", "https://www.linkedin.com/in/{}"),
    "researchgate": ("researchgate", "https://www.researchgate.net/profile/{}"),
    "semantic_scholar": ("semantic_scholar", "{}"),
    "semantic": ("semantic_scholar", "{}"),
    "gitlab": ("gitlab", "https://gitlab.com/{}"),
    "youtube": ("youtube", "https://www.youtube.com/{}"),
    "zhihu": ("zhihu", "https://www.zhihu.com/people/{}"),
    "huggingface": ("huggingface", "https://huggingface.co/{}"),
    "openreview": ("openreview", "{}"),
    "mastodon": ("mastodon", "{}"),
    "bluesky": ("bluesky", "https://bsky.app/profile/{}"),
    "uri": ("homepage", "{}"),
    "website": ("homepage", "{}"),
    "pubmed": ("pubmed", "{}"),
    "impactstory": ("impactstory", "https://impactstory.org/{}"),
    "stackoverflow": ("stackoverflow", "https://stackoverflow.com/users/{}"),
    "kaggle": ("kaggle", "https://www.kaggle.com/{}"),
    "weibo": ("weibo", "https://weibo.com/{}"),
    "wikipedia": ("wikipedia", "https://en.wikipedia.org/wiki/{}"),
}
_PROFILE_KEYS = {
    "name": "name",
    "bio": "position",
    "employer": "affiliation",
    "email": "email",
    "avatar": "photo",
}


def _url(template: str, handle: str) -> str:
    if handle.startswith(("http://", "https://")):
        return handle
    if handle.startswith("www."):
        return "https://" + handle
    if template == "{}":
        return "https://orcid.org/" + handle if handle.count("-") == 3 else ""
    return template.format(handle.lstrip("@"))


def profile_links(block: dict, draft: SiteDraft, report: ImportReport, at: SourceLocation) -> None:
    """Social handles and URLs of an author block -> profile.links."""
    for key, value in block.items():
        if key in _PROFILE_KEYS or value in (None, "", False) or not isinstance(value, str):
            continue
        target = SOCIAL_URLS.get(key.lower())
        if target is None:
            if value.startswith(("http://", "https://")):
                target = (key.lower(), "{}")
            else:
                continue
        url = _url(target[1], value.strip())
        if url:
            draft.profile.setdefault("links", {}).setdefault(target[0], url)
            report.record(at, f"author.{key}", f"site.yaml profile.links.{target[0]}", url)


def set_language(code: str, draft: SiteDraft, report: ImportReport, at: SourceLocation) -> None:
    """A page or site language other than English becomes the site's language."""
    code = code.strip().replace("_", "-")
    valid = re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", code) is not None
    if valid and not code.startswith("en") and "language" not in draft.settings:
        draft.settings["language"] = code
        report.record(at, "language", "site.yaml language", code)


def apply_config(cfg: dict, draft: SiteDraft, report: ImportReport, shown: str, root: Path) -> None:
    """Settings and profile from a Jekyll `_config.yml` (already parsed)."""
    at = SourceLocation(shown)
    if isinstance(cfg.get("title"), str) and cfg["title"].strip():
        draft.settings["title"] = cfg["title"].strip()
        report.record(at, "title", "site.yaml title", cfg["title"])
    set_language(str(cfg.get("lang") or cfg.get("locale") or ""), draft, report, at)
    if isinstance(cfg.get("description"), str) and cfg["description"].strip():
        draft.settings["description"] = cfg["description"].strip()
    url = cfg.get("url")
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        base = url.rstrip("/") + "/" + str(cfg.get("baseurl") or "").strip("/")
        draft.settings["base_url"] = base.rstrip("/") + "/"
        report.record(at, "url + baseurl", "site.yaml base_url", draft.settings["base_url"])
    author = cfg.get("author")
    if isinstance(author, str) and author.strip():
        draft.set_profile("name", author.strip())
    if not isinstance(author, dict):
        return
    for key, field in _PROFILE_KEYS.items():
        value = author.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        value = value.strip()
        if field == "photo":
            value = _photo(value, draft, report, at, root)
            if not value:
                continue
        if field == "email":
            value = find_email(value)[0] or value
        if draft.set_profile(field, value):
            report.record(at, f"author.{key}", f"site.yaml profile.{field}", value)
    for key in ("location", "pronouns", "timezone"):
        if isinstance(author.get(key), str) and author[key].strip():
            draft.comment("profile", comment_lines(f"{key}: {author[key]} (from {shown})"))
            report.keep(
                at, f"author.{key} (site.yaml has no such field)", "a YAML comment", author[key]
            )
    profile_links(author, draft, report, at)


def _photo(
    value: str, draft: SiteDraft, report: ImportReport, at: SourceLocation, root: Path
) -> str:
    """The avatar as a static file path (copied when found); "" for remote images."""
    if value.startswith(("http://", "https://", "//")):
        report.doubt(at, "avatar is on another site; not used as the photo", value)
        return ""
    rel = value.lstrip("/")
    for candidate in (
        root / rel,
        root / "images" / rel,
        root / "assets" / "img" / rel,
        root / "static" / rel,
    ):
        if candidate.is_file():
            dest = candidate.relative_to(root).as_posix().removeprefix("static/")
            draft.static[dest] = candidate
            return dest
    report.doubt(at, "avatar file not found; copy it into static/", value)
    return rel
