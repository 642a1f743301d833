"""Redirect pages for old permalinks (`redirect_from` in front matter or BibTeX).

Imported sites keep their old URLs working: each old path gets a tiny page with a
meta refresh and a canonical link to the new URL. A redirect never replaces a real page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import escape

from ..deps import Job, TrackedSite
from ..errors import Diagnostics
from ..views import Urls
from .output import Output

_SAFE_PATH = re.compile(r"^/?(?:[A-Za-z0-9._~-]+/)*[A-Za-z0-9._~-]*/?$")
_GENERATED = (
    "index.html",
    "404.html",
    "publications/index.html",
    "news/index.html",
    "cv/index.html",
)


def redirect_files(old: str) -> list[str]:
    """Output files that answer the old path `old` ("/a.html", "/b/", "/c")."""
    path = old.strip().lstrip("/")
    if not path or path.endswith("/"):
        return [path + "index.html"]
    if "." in path.rsplit("/", 1)[-1]:
        return [path]
    return [path + "/index.html", path + ".html"]


def redirect_html(target: str, canonical: str) -> str:
    """The redirect page itself: works without JavaScript, tells crawlers where to go."""
    t, c = escape(target, quote=True), escape(canonical, quote=True)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<title>Redirecting…</title>\n<link rel="canonical" href="{c}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={t}">\n</head>\n'
        f'<body><p>This page has moved to <a href="{t}">{t}</a>.</p></body>\n</html>\n'
    )


class RedirectFiles:
    """Redirect pages as one render job."""

    def __init__(self, site: TrackedSite, diags: Diagnostics) -> None:
        self.site = site
        self.diags = diags

    def jobs(self) -> Iterator[Job]:
        yield Job("redirects", self._render)

    def _wanted(self) -> Iterator[tuple[str, str, object]]:
        for page in self.site.pages:
            for old in page.front_matter.get("redirect_from", ()) or ():
                yield old, page.url, page.location
        for pub in self.site.publications:
            value = pub.fields.get("redirect_from", "")
            for old in (v.strip() for v in re.split(r"[,\s]+", value) if v.strip()):
                yield old, f"/publications/{pub.slug}/", pub.location

    def _render(self) -> Iterator[Output]:
        cfg = self.site.config
        urls = Urls(cfg.base_url)
        taken = set(_GENERATED)
        taken.update(p.url.strip("/") + "/index.html" for p in self.site.pages)
        taken.update(f"publications/{p.slug}/index.html" for p in self.site.publications)
        done: set[str] = set()
        for old, new, where in self._wanted():
            if not _SAFE_PATH.match(old) or ".." in old.split("/"):
                self.diags.warning(
                    where,
                    f"redirect_from {old!r} is not a site path; ignored",
                    "use a path like /old/page.html",
                )
                continue
            for rel in redirect_files(old):
                if rel in taken or rel in done or rel == new.strip("/") + "/index.html":
                    continue
                done.add(rel)
                yield Output.text(rel, redirect_html(urls.url(new), urls.absolute(new)))
