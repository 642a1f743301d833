"""HTML pages: home, publications, landing pages, Markdown pages, news, 404."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..errors import Diagnostics
from ..i18n import LANGUAGE_NAMES, strings
from ..markdown import render_page
from ..model import Page, Publication, Site, SourceLocation
from ..theme import Theme
from ..urls import prefix_root_urls
from ..views import (
    Lang,
    Urls,
    entry_view,
    profile_view,
    publication_view,
    role_legend,
    site_view,
)
from .output import Output

DATA_SECTIONS_WITH_TITLES = (
    "education",
    "experience",
    "awards",
    "teaching",
    "talks",
    "service",
    "projects",
    "news",
)


def make_environment(theme: Theme) -> jinja2.Environment:
    """The Jinja2 environment: autoescape on, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    return env


class HtmlPages:
    """Renders every HTML page of a Site with one theme."""

    def __init__(self, site: Site, theme: Theme, diags: Diagnostics) -> None:
        self.site = site
        self.theme = theme
        self.diags = diags
        self.env = make_environment(theme)
        self.options = {**theme.options, **dict(site.config.theme_options)}

    # -- entry point -------------------------------------------------------
    def render(self) -> Iterator[Output]:
        """Yield every page, for each language (extra languages under /<lang>/)."""
        cfg = self.site.config
        for code in cfg.languages:
            prefix = "" if code == cfg.language else f"{code}/"
            lang = Lang(code, cfg.language, Urls(cfg.base_url, prefix))
            yield from self._render_language(lang, prefix)

    def _render_language(self, lang: Lang, prefix: str) -> Iterator[Output]:
        site = self.site
        pubs = [p for p in site.publications]
        views = {p.key: publication_view(p, lang) for p in pubs}
        item = self.env.get_template("partials/pub.html").module.pub_item  # type: ignore[attr-defined]
        rendered = {k: Markup(item(v)) for k, v in views.items()}
        common = self._common(lang)

        pages = [p for p in site.pages if self._page_lang(p) == lang.code]
        about = next((p for p in pages if p.url == "/"), None)
        home_sections = self._home_sections(lang, pubs, rendered)
        yield self._page(
            "home.html",
            f"{prefix}index.html",
            common,
            "/",
            page={
                "title": lang.plain(site.config.title),
                "kind": "home",
                "body": self._body(about) if about else Markup(""),
            },
            sections=home_sections,
        )
        groups = _year_groups(pubs, strings(lang.code)["preprints"])
        yield self._page(
            "publications.html",
            f"{prefix}publications/index.html",
            common,
            "/publications/",
            page={"title": strings(lang.code)["publications"], "kind": "publications"},
            groups=[
                {"label": label, "id": gid, "items": [rendered[p.key] for p in group]}
                for label, gid, group in groups
            ],
            legend=role_legend(_roles(pubs), lang.code),
        )
        for pub in pubs:
            full = publication_view(pub, lang, limit=None)
            yield self._page(
                "publication.html",
                f"{prefix}publications/{pub.slug}/index.html",
                common,
                f"/publications/{pub.slug}/",
                page={"title": full["title_text"], "kind": "publication"},
                pub=full,
                legend=role_legend(pub.roles_used, lang.code),
            )
        for page in pages:
            if page.url == "/":
                continue
            template = "post.html" if page.layout == "post" else "page.html"
            yield self._page(
                template,
                f"{prefix}{page.url.strip('/')}/index.html",
                common,
                page.url,
                page={
                    "title": lang.plain(page.title) or page.slug,
                    "kind": page.layout,
                    "subtitle": lang.md(page.subtitle) if page.subtitle else "",
                    "date": page.date,
                    "body": self._body(page),
                },
            )
        posts = sorted((p for p in pages if p.layout == "post"), key=lambda p: p.date, reverse=True)
        news_items = [entry_view(e, lang) for e in site.sections.get("news", ())]
        if posts or news_items:
            yield self._page(
                "news.html",
                f"{prefix}news/index.html",
                common,
                "/news/",
                page={"title": strings(lang.code)["news"], "kind": "news"},
                posts=[
                    {"title": lang.plain(p.title), "url": lang.urls.url(p.url), "date": p.date}
                    for p in posts
                ],
                items=news_items,
            )
        if not prefix:
            yield self._page(
                "404.html",
                "404.html",
                common,
                "/404.html",
                page={"title": strings(lang.code)["not_found"], "kind": "404"},
            )

    # -- pieces ------------------------------------------------------------
    def _common(self, lang: Lang) -> dict:
        site = self.site
        nav = [
            {"title": strings(lang.code)["home"], "url": lang.urls.url("/"), "path": "/"},
            {
                "title": strings(lang.code)["publications"],
                "url": lang.urls.url("/publications/"),
                "path": "/publications/",
            },
        ]
        for page in site.pages:
            if page.front_matter.get("nav") and self._page_lang(page) == lang.code:
                nav.append(
                    {
                        "title": lang.plain(page.title) or page.slug,
                        "url": lang.urls.url(page.url),
                        "path": page.url,
                    }
                )
        view = site_view(site, lang)
        if view["has_news"]:
            nav.insert(
                2,
                {
                    "title": strings(lang.code)["news"],
                    "url": lang.urls.url("/news/"),
                    "path": "/news/",
                },
            )
        return {
            "site": view,
            "profile": profile_view(site.config.profile, lang),
            "t": strings(lang.code),
            "nav": nav,
            "options": self.options,
            "lang": lang.code,
            "asset": lambda path: lang.urls.url("/assets/" + path),
            "url": lang.urls.url,
            "_lang": lang,
        }

    def _page(self, template: str, out: str, common: dict, path: str, **ctx) -> Output:
        lang: Lang = common["_lang"]
        cfg = self.site.config
        alternates = (
            [
                {
                    "lang": code,
                    "name": LANGUAGE_NAMES.get(code, code),
                    "url": Urls(cfg.base_url, "" if code == cfg.language else f"{code}/").url(path),
                    "href": Urls(cfg.base_url, "" if code == cfg.language else f"{code}/").absolute(
                        path
                    ),
                }
                for code in cfg.languages
            ]
            if len(cfg.languages) > 1
            else []
        )
        try:
            html = self.env.get_template(template).render(
                **common,
                **ctx,
                path=path,
                canonical=lang.urls.absolute(path),
                alternates=alternates,
            )
        except jinja2.TemplateSyntaxError as exc:
            self.diags.error(
                SourceLocation(exc.filename or template, exc.lineno or 0, 1),
                f"template syntax error: {exc.message}",
            )
            html = ""
        except jinja2.UndefinedError as exc:
            self.diags.error(
                SourceLocation(_template_path(template, self.theme)),
                f"template error while rendering {out}: {exc.message}",
                "a template uses a name that is not defined for this page",
            )
            html = ""
        return Output.text(out, html)

    def _body(self, page: Page) -> Markup:
        rendered = render_page(page.body, raw_html=self.site.config.raw_html)
        base_path = Urls(self.site.config.base_url).base_path
        return Markup(prefix_root_urls(rendered.html, base_path))

    def _page_lang(self, page: Page) -> str:
        return page.lang or self.site.config.language

    def _home_sections(self, lang: Lang, pubs: list[Publication], rendered: dict) -> list[dict]:
        site, t = self.site, strings(lang.code)
        names = list(site.config.sections)
        names += [n for n in sorted(site.sections) if n not in names]
        out = []
        for name in names:
            if name == "publications":
                chosen = [p for p in pubs if p.selected] or pubs
                if not chosen:
                    continue
                selected = len(chosen) < len(pubs)
                out.append(
                    {
                        "name": name,
                        "kind": "publications",
                        "title": t["selected_publications"] if selected else t["publications"],
                        "items": [rendered[p.key] for p in chosen],
                        "more": selected,
                        "legend": role_legend(_roles(chosen), lang.code),
                    }
                )
            elif name == "contact":
                prof = site.config.profile
                if prof.email or prof.links:
                    out.append({"name": name, "kind": "contact", "title": t["contact"]})
            elif site.sections.get(name):
                out.append(
                    {
                        "name": name,
                        "kind": "entries",
                        "title": t.get(name, name.replace("_", " ").title()),
                        "items": [entry_view(e, lang) for e in site.sections[name]],
                    }
                )
        return out


def _roles(pubs: list[Publication]) -> set[str]:
    roles: set[str] = set()
    for p in pubs:
        roles |= p.roles_used
    return roles


def _year_groups(pubs: list[Publication], preprint_label: str) -> list[tuple[str, str, list]]:
    """Preprints (no year) first, then years, newest first; file order within a group."""
    by_year: dict[int | None, list[Publication]] = {}
    for p in pubs:
        by_year.setdefault(p.year, []).append(p)
    groups = []
    if None in by_year:
        groups.append((preprint_label, "preprints", by_year.pop(None)))
    for year in sorted(by_year, reverse=True):
        groups.append((str(year), f"y{year}", by_year[year]))
    return groups


def _template_path(name: str, theme: Theme) -> str:
    for d in theme.template_dirs:
        if (Path(d) / name).is_file():
            return str(Path(d) / name)
    return name
