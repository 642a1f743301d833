"""What templates see: plain dicts and pre-escaped Markup built from the Site."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from .i18n import localize, strings
from .markdown import inline_text, render_inline
from .model import ROLE_SYMBOLS, Author, Entry, Profile, Publication, Site, Text
from .urls import prefix_root_urls

#: Author lists longer than this are shortened on list pages (complete on landing pages).
LIST_AUTHOR_LIMIT = 25


@dataclass(frozen=True, slots=True)
class Urls:
    """Site URLs under `base_url` (which may carry a path, e.g. /repo/)."""

    base_url: str
    prefix: str = ""

    @property
    def base_path(self) -> str:
        return _split_base(self.base_url)[1]

    def url(self, path: str) -> str:
        """A root-relative link to a site path, e.g. /publications/ -> /repo/publications/."""
        if "://" in path or path.startswith(("mailto:", "tel:", "#", "//")):
            return path
        return self.base_path + (self.prefix + path.lstrip("/")).lstrip("/")

    def static(self, path: str) -> str:
        """A link to a file of the output shared by all languages (assets, images): never
        under the language prefix, e.g. img/me.jpg -> /repo/img/me.jpg."""
        if "://" in path or path.startswith(("mailto:", "tel:", "#", "//")):
            return path
        return self.base_path + path.lstrip("/")

    def link(self, url: str) -> str:
        """A link the user wrote: a root-relative one (/cv.pdf) goes under the base path
        (/repo/cv.pdf); relative, absolute and //host links stay as written."""
        return self.static(url) if url.startswith("/") and not url.startswith("//") else url

    def inline(self, text: str) -> Markup:
        """Inline Markdown as HTML, its root-relative links under the base path."""
        return Markup(prefix_root_urls(render_inline(text), self.base_path))

    def absolute(self, path: str) -> str:
        """The canonical absolute URL (relative when base_url has no host)."""
        return _split_base(self.base_url)[0] + self.url(path)


@functools.cache
def _split_base(base_url: str) -> tuple[str, str]:
    """("https://host" or "" without a host, the path or "/") of a base_url."""
    parts = urlsplit(base_url)
    return (f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""), parts.path or "/"


@dataclass(frozen=True, slots=True)
class Lang:
    """The language one rendering pass is for."""

    code: str
    default: str
    urls: Urls

    def t(self, text: Text) -> str:
        """Resolve a per-language text field."""
        return localize(text, self.code, self.default)

    def md(self, text: Text) -> Markup:
        """A text field as inline HTML."""
        return self.urls.inline(self.t(text))

    def plain(self, text: Text) -> str:
        """A text field as plain text (for titles and meta tags)."""
        return inline_text(self.t(text))


def role_legend(roles: Iterable[str], lang: str) -> list[dict[str, str]]:
    """Legend lines for the roles used, in the fixed order * † ‡."""
    used = set(roles)
    s = strings(lang)
    return [
        {"role": role, "symbol": sym, "label": s[f"role_{role}"]}
        for role, sym in ROLE_SYMBOLS.items()
        if role in used
    ]


def author_html(author: Author) -> str:
    """One author: escaped name, `<strong class="owner">` for the owner, role marks."""
    name = str(escape(author.display))
    if author.is_owner:
        name = f'<strong class="owner">{name}</strong>'
    for role, sym in ROLE_SYMBOLS.items():
        if role in author.roles:
            name += f'<sup class="role role-{role}">{sym}</sup>'
    return name


def authors_html(authors: tuple[Author, ...], lang: str, limit: int | None = None) -> Markup:
    """The author list; with `limit`, long lists keep the first names and the owner."""
    if limit is None or len(authors) <= limit:
        return Markup(", ".join(author_html(a) for a in authors))
    head = list(authors[: limit - 1])
    owner_tail = [a for a in authors[limit - 1 :] if a.is_owner]
    shown = head + owner_tail[:1]
    more = len(authors) - len(shown)
    text = ", ".join(author_html(a) for a in shown)
    label = strings(lang)["and_more"].format(n=more)
    return Markup(f'{text}, <span class="more">{escape(label)}</span>')


def publication_view(pub: Publication, lang: Lang, limit: int | None = LIST_AUTHOR_LIMIT) -> dict:
    """One publication as templates see it."""
    return {
        "key": pub.key,
        "slug": pub.slug,
        "url": lang.urls.url(f"/publications/{pub.slug}/"),
        "title": lang.urls.inline(pub.title),
        "title_text": inline_text(pub.title),
        "authors": authors_html(pub.authors, lang.code, limit),
        "author_names": [a.display for a in pub.authors],
        "year": pub.year,
        "venue": pub.venue,
        "abbr": pub.abbr,
        "award": pub.award,
        "note": lang.urls.inline(pub.note) if pub.note else "",
        "status": pub.status or ("" if pub.year else "preprint"),
        "selected": pub.selected,
        "abstract": pub.abstract,
        "type": pub.entry_type,
        "doi": pub.doi,
        "arxiv": pub.arxiv,
        "preview": lang.urls.static(pub.preview) if pub.preview else "",
        "links": [
            {
                "label": ln.label,
                "url": lang.urls.static(ln.url) if ln.url.startswith("/") else ln.url,
                "kind": ln.kind,
            }
            for ln in pub.links
        ],
        "roles": sorted(pub.roles_used),
    }


def date_range(entry: Entry) -> str:
    """ "Sep. 2020 – Jun. 2023", a single date, or the years joined."""
    if entry.start or entry.end:
        return " – ".join(p for p in (entry.start, entry.end) if p)
    if entry.date:
        return entry.date
    return ", ".join(entry.years)


def entry_view(entry: Entry, lang: Lang) -> dict:
    """One data item as templates see it."""
    return {
        "title": lang.md(entry.title) if entry.title else "",
        "org": lang.md(entry.org) if entry.org else "",
        "url": lang.urls.link(entry.url),
        "role": lang.md(entry.role) if entry.role else "",
        "location": lang.t(entry.location_name),
        "dates": date_range(entry),
        "start": entry.start,
        "end": entry.end,
        "date": entry.date,
        "years": list(entry.years),
        "details": [lang.md(d) for d in entry.details],
        "extra": {
            k: (lang.md(v) if isinstance(v, (str, Mapping)) else v) for k, v in entry.extra.items()
        },
    }


def email_view(email: str) -> dict[str, str]:
    """An address people read and scrapers don't: text "user AT host DOT org" + reversed parts."""
    if "@" not in email:
        return {"text": email, "user": "", "domain": ""}
    user, domain = email.rsplit("@", 1)
    text = f"{user} AT {domain.replace('.', ' DOT ')}"
    return {"text": text, "user": user[::-1], "domain": domain[::-1]}


LINK_LABELS: Mapping[str, str] = {
    "github": "GitHub",
    "scholar": "Google Scholar",
    "orcid": "ORCID",
    "dblp": "DBLP",
    "linkedin": "LinkedIn",
    "twitter": "Twitter",
    "x": "X",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "semantic_scholar": "Semantic Scholar",
    "researchgate": "ResearchGate",
    "cv": "CV",
    "homepage": "Homepage",
    "gitlab": "GitLab",
    "zhihu": "Zhihu",
    "youtube": "YouTube",
    "huggingface": "Hugging Face",
    "openreview": "OpenReview",
}


def profile_view(profile: Profile, lang: Lang) -> dict:
    """The owner as templates see them."""
    name = lang.t(profile.name)
    native, native_lang = profile.native_name, ""
    if native and native == name:  # e.g. the Chinese page: show the default-language name
        other = localize(profile.name, lang.default, lang.default)
        native, native_lang = (other, lang.default) if other != name else ("", "")
    return {
        "name": name,
        "native_name": native,
        "native_lang": native_lang,
        "photo": lang.urls.static(profile.photo) if profile.photo else "",
        "motto": lang.md(profile.motto) if profile.motto else "",
        "position": lang.md(profile.position) if profile.position else "",
        "affiliation": lang.md(profile.affiliation) if profile.affiliation else "",
        "affiliation_url": lang.urls.link(profile.affiliation_url),
        "email": email_view(profile.email) if profile.email else None,
        "notices": [lang.md(n) for n in profile.notices],
        "interests": [lang.md(i) for i in profile.interests],
        "links": [
            {
                "key": k,
                "label": LINK_LABELS.get(k, k.replace("_", " ").title()),
                "url": lang.urls.link(v),
            }
            for k, v in profile.links.items()
            if v
        ],
    }


def default_description(profile: Profile, lang: Lang) -> str:
    """ "Name, position, affiliation": the meta description when site.yaml has none."""
    parts = (profile.name, profile.position, profile.affiliation)
    return ", ".join(text for text in (lang.plain(p) for p in parts) if text)


def site_view(site: Site, lang: Lang) -> dict:
    """Site-wide values every template gets as `site`."""
    cfg = site.config
    return {
        "title": lang.plain(cfg.title),
        "description": lang.plain(cfg.description) or default_description(cfg.profile, lang),
        "footer": lang.md(cfg.footer) if cfg.footer else "",
        "base_url": cfg.base_url,
        "lang": lang.code,
        "languages": list(cfg.languages),
        "options": dict(cfg.theme_options),
        "has_news": bool(site.sections.get("news"))
        or any(p.slug.startswith("news/") for p in site.pages),
        "home_url": lang.urls.url("/"),
    }
