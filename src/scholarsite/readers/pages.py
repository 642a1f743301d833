"""`content/**/*.md` -> Page records (front matter checked, body kept as Markdown)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from ..errors import Diagnostics
from ..model import Page, SourceLocation
from ..slug import slugify
from . import schema as s
from .yamlfile import YMap, load_yaml, split_front_matter

FRONT_MATTER: Mapping[str, s.Checker] = {
    "title": s.text,
    "subtitle": s.text,
    "permalink": s.string,
    "published": s.boolean,
    "date": s.string,
    "lang": s.string,
    "layout": s.string,
    "description": s.text,
    "nav": s.boolean,
    "weight": s.string,
    "tags": s.listof(s.string),
    "slug": s.string,
    "redirect_from": s.listof(s.string),
    "author": s.text,
    "image": s.url,
    "excerpt": s.text,
    "categories": s.listof(s.string),
}
_SAFE_PERMALINK = re.compile(r"^/?([A-Za-z0-9._~-]+/)*[A-Za-z0-9._~-]*/?$")


def read_page(text: str, path: str, rel: str, diags: Diagnostics) -> Page | None:
    """Read one Markdown page; `rel` is its path under content/ (e.g. "news/x.md")."""
    fm_text, body, body_line = split_front_matter(text)
    if fm_text is None and text.startswith("---\n"):
        diags.error(
            SourceLocation(path, 1, 1),
            "front matter is not closed",
            "end the front matter with a line '---'",
        )
        return None
    fm: YMap = YMap(SourceLocation(path, 1, 1))
    if fm_text is not None and fm_text.strip():
        data = load_yaml(fm_text, path, diags, line_offset=1)
        if isinstance(data, YMap):
            fm = data
        elif data is not None:
            diags.error(
                SourceLocation(path, 2, 1),
                "front matter must be a map of keys",
                "e.g. 'title: About Me'",
            )
    s.check_keys(fm, FRONT_MATTER, "front matter", diags)
    values = s.read_fields(fm, FRONT_MATTER, "", diags)

    stem = rel.rsplit(".", 1)[0]
    parts = stem.split("/")
    slug_name = values.get("slug") or parts[-1]
    slug = "/".join([*(slugify(p) for p in parts[:-1]), slugify(str(slug_name))])
    url = f"/{slug}/"
    permalink = values.get("permalink")
    if permalink:
        if not _SAFE_PERMALINK.match(permalink) or ".." in permalink.split("/"):
            diags.error(
                fm.where("permalink"),
                f"permalink {permalink!r} is not a site path",
                "use letters, digits, '-', '_', '.' and '/', e.g. /about/",
            )
        else:
            url = "/" + permalink.strip("/") + "/" if permalink.strip("/") else "/"
    if rel == "about.md" or (len(parts) == 1 and parts[0] in ("index", "_index")):
        url = "/"
    title = values.get("title") or ""
    front = {k: v for k, v in values.items() if k not in ("title", "subtitle")}
    return Page(
        slug=slug,
        title=title,
        body=body,
        url=url,
        subtitle=values.get("subtitle") or "",
        date=values.get("date") or "",
        lang=values.get("lang") or "",
        layout=values.get("layout") or ("post" if parts[0] == "news" else "page"),
        published=values.get("published", True),
        front_matter=MappingProxyType(front),
        body_line=body_line,
        location=SourceLocation(path, 1, 1),
    )
