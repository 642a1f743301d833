"""`content/**/*.md` -> Page records (front matter checked, body kept as Markdown)."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from types import MappingProxyType

from ..errors import Diagnostics
from ..i18n import LANGUAGE_NAMES
from ..markdown import link_targets
from ..model import Page, SourceLocation
from ..slug import slugify
from ..urls import is_safe_url
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
#: Where a link target can start in Markdown or raw HTML: `](url`, `]: url`, `<scheme:`
#: and href/src/srcset attributes (as `markdown.unsafe_urls` reads them). Each needs a
#: mark in the text ("](", "]:", "<", "=").
_LINKISH_PARTS = (
    ("](", r"""\]\(\s*<?([^)\s>]*)"""),
    ("]:", r"""^[ ]{0,3}\[[^\]]+\]:\s*<?(\S*)"""),
    ("<", r"""<([A-Za-z][A-Za-z0-9+.\-]*:[^\s>]*)>"""),
    ("=", r"""[\s"'](?:href|src|srcset)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"""),
)
_LINKISH_BY_MARKS: dict[tuple[bool, ...], re.Pattern[str] | None] = {}


def _linkish(body: str) -> re.Pattern[str] | None:
    """The link-target pattern with only the parts whose mark `body` holds (they find the
    same matches as all parts together; one part alone is found much faster), or None."""
    present = tuple(mark in body for mark, _ in _LINKISH_PARTS)
    if present not in _LINKISH_BY_MARKS:
        parts = [part for (_, part), there in zip(_LINKISH_PARTS, present, strict=True) if there]
        pattern = re.compile("|".join(parts), re.I | re.M) if parts else None
        _LINKISH_BY_MARKS[present] = pattern
    return _LINKISH_BY_MARKS[present]


_SAFE_PERMALINK = re.compile(r"^/?([A-Za-z0-9._~-]+/)*[A-Za-z0-9._~-]*/?$")


def check_body_links(body: str, body_line: int, path: str, diags: Diagnostics) -> None:
    """An error for each javascript:, vbscript:, data: (or other unsafe) link target of a
    page body, at its line: in passthrough mode raw HTML would carry it to the page."""
    linkish = _linkish(body)
    found = linkish.finditer(body) if linkish is not None else ()
    candidates = (next(g for g in m.groups() if g is not None) for m in found)
    if all(is_safe_url(html.unescape(c).replace("\\", "")) for c in candidates):
        return  # the common case: one regex pass, no second Markdown parse
    lines = body.split("\n")
    for block_line, url in dict.fromkeys(link_targets(body)):
        if is_safe_url(url):
            continue
        needle = url if any(url in ln for ln in lines) else url.split(":", 1)[-1][:20]
        order = [*range(block_line, len(lines)), *range(block_line)]  # [r]: defs come later
        at = next((i for i in order if needle in lines[i]), block_line)
        diags.error(
            SourceLocation(path, body_line + at, 1),
            f"unsafe link {url[:60]!r}",
            "only http(s), mailto, tel and relative links are allowed",
        )


def read_page(
    text: str, path: str, rel: str, diags: Diagnostics, languages: tuple[str, ...] = ()
) -> Page | None:
    """Read one Markdown page; `rel` is its path under content/ (e.g. "news/x.md").

    A translation is named for its language before the extension: `about.zh.md` is the
    Chinese `about.md` (same URL, under /zh/). `lang: zh` in the front matter does the
    same for a page that exists in one language only. `languages` are the site's."""
    fm_text, body, body_line = split_front_matter(text)
    if fm_text is None and text.startswith("---\n"):
        diags.error(
            SourceLocation(path, 1, 1),
            "front matter is not closed",
            "end the front matter with a line '---'",
        )
        return None
    check_body_links(body, body_line, path, diags)
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
    lang = values.get("lang") or ""
    suffix = stem.rsplit(".", 1)[1] if "." in stem.rsplit("/", 1)[-1] else ""
    if suffix and (suffix in languages or suffix in LANGUAGE_NAMES):
        stem = stem[: -len(suffix) - 1]
        if lang and lang != suffix:
            diags.error(
                fm.where("lang"),
                f"front matter says lang: {lang} but the file name says '{suffix}'",
                f"rename the file or set lang: {suffix}",
            )
        lang = suffix
    if lang and languages and lang not in languages:
        diags.warning(
            fm.where("lang") if "lang" in fm else SourceLocation(path, 1, 1),
            f"page is in '{lang}', which is not one of the site's languages; it is not built",
            f"add {lang} to 'languages' in site.yaml: languages: [{', '.join(languages)}, {lang}]",
        )
        return None
    if lang == (languages[0] if languages else ""):
        lang = ""  # the default language
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
    if stem == "about" or (len(parts) == 1 and parts[0] in ("index", "_index")):
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
        lang=lang,
        layout=values.get("layout") or ("post" if parts[0] == "news" else "page"),
        published=values.get("published", True),
        front_matter=MappingProxyType(front),
        body_line=body_line,
        location=SourceLocation(path, 1, 1),
    )
