"""Feeds for machines: the Atom feed of news, `sitemap.xml` and `robots.txt`.

The Atom feed (`/atom.xml`) holds the news posts (`content/news/*.md`) and the items of
`data/news.yaml`, newest first (the newest `feed_limit`, 20 unless site.yaml says
otherwise); its `updated` time is the newest entry's date, never the
clock, so the same input gives the same bytes. Sitemaps need absolute URLs: without a host
in `base_url` there is no `sitemap.xml`.
"""

from __future__ import annotations

import functools
import hashlib
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from ..deps import Job, TrackedSite
from ..errors import Diagnostics
from ..markdown import inline_text, render_inline, render_page
from ..model import Entry, Page, Site
from ..urls import prefix_root_urls
from ..views import Lang, Urls
from .output import Output

__all__ = [
    "FeedEntry",
    "FeedFiles",
    "atom_feed",
    "feed_entries",
    "html_page_paths",
    "parse_date",
    "robots_txt",
    "sitemap",
]

ATOM_NS = "http://www.w3.org/2005/Atom"


def escape(text: str) -> str:
    """XML character data (as `xml.sax.saxutils.escape`, whose module imports the
    HTTP client and SSL: 10 ms of start-up)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """A quoted XML attribute value (as `xml.sax.saxutils.quoteattr`)."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ISO = re.compile(
    r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"(Z|[+-]\d{2}:?\d{2})?)?)?)?$"
)
_MONTH_YEAR = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]{3,9})\.?,?\s+(?:(\d{1,2}),?\s+)?(\d{4})$")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of the feed, ready to print."""

    id: str
    title: str
    updated: str  # RFC 3339
    link: str
    html: str  # the content, as HTML


def parse_date(text: str) -> str:
    """An RFC 3339 timestamp for "2024-05-01", "2024-05", "2024", "2024-05-01 10:30",
    "May 2024", "1 May 2024", "May 1, 2024"; "" when the text is no date."""
    text = text.strip()
    m = _ISO.match(text)
    if m:
        year, month, day, hour, minute, second, zone = m.groups()
        parts = (int(year), int(month or 1), int(day or 1))
        clock = (int(hour or 0), int(minute or 0), int(second or 0))
        zone = zone or "Z"
        if zone != "Z" and ":" not in zone:
            zone = zone[:3] + ":" + zone[3:]
    else:
        m = _MONTH_YEAR.match(text)
        if not m or m.group(2)[:3].lower() not in _MONTHS:
            return ""
        day = m.group(1) or m.group(3) or "1"
        parts = (int(m.group(4)), _MONTHS.index(m.group(2)[:3].lower()) + 1, int(day))
        clock, zone = (0, 0, 0), "Z"
    try:
        datetime(*parts, *clock)
    except ValueError:
        return ""
    y, mo, d = parts
    h, mi, s = clock
    return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{zone}"


def _entry_id(lang: Lang, path: str, salt: str = "") -> str:
    """An absolute URL as the id when base_url has a host; else a stable urn:uuid."""
    url = lang.urls.absolute(path)
    if "://" in url:
        return url + (f"#{salt}" if salt else "")
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, url + "#" + salt))


def _post_entry(page: Page, site: Site, lang: Lang, when: str) -> FeedEntry:
    body = render_page(page.body, raw_html=site.config.raw_html).html
    body = prefix_root_urls(body, lang.urls.base_path)
    return FeedEntry(
        id=_entry_id(lang, page.url),
        title=lang.plain(page.title) or page.slug,
        updated=when,
        link=lang.urls.absolute(page.url),
        html=body,
    )


def _item_entry(entry: Entry, lang: Lang, date: str, when: str) -> FeedEntry:
    title_md = lang.t(entry.title) or lang.t(entry.org)
    parts = [f"<p>{render_inline(title_md)}</p>"] if title_md else []
    parts += [f"<p>{render_inline(lang.t(d))}</p>" for d in entry.details]
    body = prefix_root_urls("\n".join(parts), lang.urls.base_path)
    digest = hashlib.sha1(f"{date}\n{title_md}".encode()).hexdigest()[:12]
    link = entry.url if "://" in entry.url else lang.urls.absolute(entry.url or "/news/")
    return FeedEntry(
        id=_entry_id(lang, "/news/", f"item-{digest}"),
        title=inline_text(title_md) or date,
        updated=when,
        link=link,
        html=body,
    )


def _undated(diags: Diagnostics, where, date: str) -> None:
    diags.warning(
        where,
        f"news date {date!r} is not a date; the item is left out of atom.xml"
        if date
        else "news item has no date; it is left out of atom.xml",
        "write the date as 2024-05-01 (or 2024-05, May 2024)",
    )


def feed_entries(site: Site, lang: Lang, diags: Diagnostics) -> list[FeedEntry]:
    """The feed's entries, newest first (ties keep file order), at most
    `config.feed_limit` of them (0: all). Every undated item is a warning; only the
    entries kept are rendered."""
    dated: list[tuple[str, Callable[[], FeedEntry]]] = []
    for page in site.pages:
        if page.layout == "post" and (page.lang or site.config.language) == lang.code:
            when = parse_date(page.date)
            if not when:
                _undated(diags, page.location, page.date)
                continue
            dated.append((when, functools.partial(_post_entry, page, site, lang, when)))
    for item in site.sections.get("news", ()):
        date = item.date or item.start or (item.years[0] if item.years else "")
        when = parse_date(date)
        if not when:
            _undated(diags, item.location, date)
            continue
        dated.append((when, functools.partial(_item_entry, item, lang, date, when)))
    dated.sort(key=lambda pair: pair[0], reverse=True)
    limit = site.config.feed_limit
    return [make() for _, make in (dated[:limit] if limit else dated)]


def atom_feed(site: Site, lang: Lang, diags: Diagnostics) -> Output | None:
    """`atom.xml` (None when the site has no dated news)."""
    entries = feed_entries(site, lang, diags)
    if not entries:
        return None
    title = lang.plain(site.config.title)
    author = lang.plain(site.config.profile.name) or title
    self_url = lang.urls.absolute("/atom.xml")
    home = lang.urls.absolute("/")
    news = lang.urls.absolute("/news/")
    base = f" xml:base={quoteattr(home)}" if "://" in home else ""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM_NS}" xml:lang={quoteattr(lang.code)}{base}>',
        f"  <id>{escape(_entry_id(lang, '/atom.xml'))}</id>",
        f"  <title>{escape(title)}</title>",
        f"  <updated>{entries[0].updated}</updated>",
        f"  <author><name>{escape(author)}</name><uri>{escape(home)}</uri></author>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(self_url)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(news)}/>',
        '  <generator uri="https://pypi.org/project/scholarsite/">scholarsite</generator>',
    ]
    for e in entries:
        lines += [
            "  <entry>",
            f"    <id>{escape(e.id)}</id>",
            f"    <title>{escape(e.title)}</title>",
            f"    <updated>{e.updated}</updated>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(e.link)}/>',
            f'    <content type="html">{escape(e.html)}</content>',
            "  </entry>",
        ]
    lines.append("</feed>")
    return Output.text("atom.xml", "\n".join(lines) + "\n")


def sitemap(pages: Iterable[str], lang: Lang) -> Output | None:
    """`sitemap.xml` of the given site paths (None when base_url has no host)."""
    locs = sorted({lang.urls.absolute(p) for p in pages})
    if not locs or "://" not in locs[0]:
        return None
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    lines += [f"  <url><loc>{escape(loc)}</loc></url>" for loc in locs]
    lines.append("</urlset>")
    return Output.text("sitemap.xml", "\n".join(lines) + "\n")


def robots_txt(lang: Lang, has_sitemap: bool) -> Output:
    """`robots.txt`: everything may be crawled; the sitemap's absolute URL when there is one."""
    text = "User-agent: *\nAllow: /\n"
    if has_sitemap:
        text += f"\nSitemap: {lang.urls.absolute('/sitemap.xml')}\n"
    return Output.text("robots.txt", text)


def html_page_paths(outputs: Iterable[Output]) -> list[str]:
    """The site path of every HTML page among `outputs` (the 404 page excepted)."""
    paths = []
    for out in outputs:
        if out.path.endswith("index.html"):
            paths.append("/" + out.path.removesuffix("index.html"))
        elif out.path.endswith(".html") and out.path != "404.html":
            paths.append("/" + out.path)
    return paths


class FeedFiles:
    """`atom.xml`, `sitemap.xml` and `robots.txt` as render jobs; `pages` are the output
    paths of the site's HTML pages (for the sitemap)."""

    def __init__(self, site: Site | TrackedSite, diags: Diagnostics, pages: Iterable[str]) -> None:
        self.site = site if isinstance(site, TrackedSite) else TrackedSite(site)
        self.diags = diags
        self.pages = tuple(html_page_paths(Output(p) for p in pages))

    def _lang(self) -> Lang:
        cfg = self.site.config
        return Lang(cfg.language, cfg.language, Urls(cfg.base_url))

    def jobs(self) -> Iterator[Job]:
        yield Job("atom.xml", self._atom)
        yield Job("sitemap.xml", self._sitemap, self.pages)
        yield Job("robots.txt", self._robots)

    def _atom(self) -> Iterator[Output]:
        feed = atom_feed(self.site, self._lang(), self.diags)  # type: ignore[arg-type]
        if feed is not None:
            yield feed

    def _sitemap(self, *pages: str) -> Iterator[Output]:
        out = sitemap(pages, self._lang())  # None without a host in base_url
        if out is not None:
            yield out

    def _robots(self) -> Iterator[Output]:
        lang = self._lang()
        yield robots_txt(lang, "://" in lang.urls.absolute("/"))
