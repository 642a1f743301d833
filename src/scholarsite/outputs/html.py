"""HTML pages: home, publications, landing pages, Markdown pages, news, 404."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..csl import DEFAULT_STYLE, ReferenceFormatter, style_names
from ..deps import Job, TrackedSite, page_id
from ..errors import Diagnostics, did_you_mean
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
from .cite import cite_box, to_bibtex
from .cv import cv_publications, cv_sections
from .environment import make_environment
from .images import ImagePlan, plan_images
from .jsonld import person, scholarly_article, script
from .meta import page_meta
from .output import Output
from .search import facet_options, pub_facets

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


class HtmlPages:
    """Renders every HTML page of a Site with one theme, one `Job` per page.

    Jobs read the site while they run (through a `TrackedSite`, so each page's reads are
    recorded); values shared by pages (list items, navigation) go through `site.memo`.
    """

    def __init__(
        self,
        site: Site | TrackedSite,
        theme: Theme,
        diags: Diagnostics,
        images: ImagePlan | None = None,
        *,
        env: jinja2.Environment | None = None,
        store: Any = None,
    ) -> None:
        self.site = site if isinstance(site, TrackedSite) else TrackedSite(site)
        self.store = store  # keeps CSL-formatted references between builds
        self._formatters: dict[str, ReferenceFormatter | None] = {}
        self.theme = theme
        self.diags = diags
        self.images = images if images is not None else plan_images(self.site.site)
        self.env = env if env is not None else make_environment(theme, self.site.recorder)
        self.options = dict(theme.options)  # theme defaults + site.yaml, validated
        self.env.globals.update(
            options=self.options,
            theme_style=Markup(theme.style),
            stylesheets=theme.stylesheets,
        )

    # -- entry point -------------------------------------------------------
    def render(self) -> Iterator[Output]:
        """Yield every page, for each language (extra languages under /<lang>/)."""
        for job in self.jobs():
            yield from job()

    def jobs(self) -> Iterator[Job]:
        """One job per page, for each language; the jobs read the site when they run."""
        cfg = self.site.site.config
        for code in cfg.languages:
            prefix = "" if code == cfg.language else f"{code}/"
            yield Job(f"{prefix}index.html", self._home, (code,))
            yield Job(f"{prefix}publications/index.html", self._publications, (code,))
            yield Job(f"{prefix}cv/index.html", self._cv, (code,))
            for pub in self.site.site.publications:
                out = f"{prefix}publications/{pub.slug}/index.html"
                yield Job(out, self._landing, (code, pub.key))
            pages = self._pages_for(code)
            for page in pages:
                if page.url != "/":
                    out = f"{prefix}{page.url.strip('/')}/index.html"
                    yield Job(out, self._content_page, (code, page_id(page)))
            if any(p.layout == "post" for p in pages) or self.site.site.sections.get("news"):
                yield Job(f"{prefix}news/index.html", self._news, (code,))
            if not prefix:
                yield Job("404.html", self._not_found, (code,))

    # -- jobs: one page each ---------------------------------------------------
    def _home(self, code: str) -> Iterator[Output]:
        lang, prefix = self._lang(code)
        site = self.site
        pubs = list(site.publications)
        about = next((p for p in self._pages_for(code) if p.url == "/"), None)
        yield self._page(
            "home.html",
            f"{prefix}index.html",
            self._common(code),
            "/",
            page={
                "title": lang.plain(site.config.title),
                "kind": "home",
                "body": self._body(about, lang.code) if about else Markup(""),
            },
            sections=self._home_sections(lang, pubs),
            jsonld=[script(person(site, lang))],
        )

    def _publications(self, code: str) -> Iterator[Output]:
        lang, prefix = self._lang(code)
        pubs = list(self.site.publications)
        groups = _year_groups(pubs, strings(lang.code)["preprints"])
        yield self._page(
            "publications.html",
            f"{prefix}publications/index.html",
            self._common(code),
            "/publications/",
            page={"title": strings(lang.code)["publications"], "kind": "publications"},
            groups=[
                {"label": label, "id": gid, "items": [self._item(code, p) for p in group]}
                for label, gid, group in groups
            ],
            legend=role_legend(_roles(pubs), lang.code),
            facets=facet_options(pubs, strings(lang.code)["preprints"]),
            search={"bundle": lang.urls.static("/pagefind/"), "base": lang.urls.static("/")},
        )

    def _cv(self, code: str) -> Iterator[Output]:
        """The CV as a page: the sections of cv.pdf, all publications, a link to the PDF."""
        lang, prefix = self._lang(code)
        t = strings(lang.code)
        sections = []
        for name in cv_sections(self.site):
            title = t.get(name, name.replace("_", " ").title())
            section = {"name": name, "kind": "entries", "title": title}
            if name == "publications":
                pubs = cv_publications(self.site.publications)
                section["kind"] = "publications"
                section["items"] = [self._item(code, p) for p in pubs]
                section["legend"] = role_legend(_roles(pubs), lang.code)
            else:
                section["items"] = [entry_view(e, lang) for e in self.site.sections[name]]
            sections.append(section)
        yield self._page(
            "cv.html",
            f"{prefix}cv/index.html",
            self._common(code),
            "/cv/",
            page={"title": t["cv"], "kind": "cv"},
            sections=sections,
            pdf_url=lang.urls.static("/cv.pdf"),
        )

    def _landing(self, code: str, key: str) -> Iterator[Output]:
        lang, prefix = self._lang(code)
        pub = self.site.publication(key)
        full = self._pub_view(pub, lang, limit=None)
        title, path = full["title_text"], f"/publications/{pub.slug}/"
        yield self._page(
            "publication.html",
            f"{prefix}publications/{pub.slug}/index.html",
            self._common(code),
            f"/publications/{pub.slug}/",
            page={"title": full["title_text"], "kind": "publication"},
            pub=full,
            legend=role_legend(pub.roles_used, lang.code),
            head_meta=page_meta(
                self.site, lang, kind="publication", title=title, path=path, pub=pub
            ),
            jsonld=[script(scholarly_article(pub, self.site, lang))],
            cite={
                **cite_box(pub, lang.urls, self.site.memo(("bibtex", key), lambda: to_bibtex(pub))),
                "reference": self._reference(code, pub) or "",
            },
        )

    def _content_page(self, code: str, ident: str) -> Iterator[Output]:
        lang, prefix = self._lang(code)
        page = self.site.page(ident)
        template = "post.html" if page.layout == "post" else "page.html"
        yield self._page(
            template,
            f"{prefix}{page.url.strip('/')}/index.html",
            self._common(code),
            page.url,
            page={
                "title": lang.plain(page.title) or page.slug,
                "kind": page.layout,
                "subtitle": lang.md(page.subtitle) if page.subtitle else "",
                "date": page.date,
                "body": self._body(page, lang.code),
            },
        )

    def _news(self, code: str) -> Iterator[Output]:
        lang, prefix = self._lang(code)
        pages = self._pages_for(code)
        posts = sorted((p for p in pages if p.layout == "post"), key=lambda p: p.date, reverse=True)
        news_items = [entry_view(e, lang) for e in self.site.sections.get("news", ())]
        yield self._page(
            "news.html",
            f"{prefix}news/index.html",
            self._common(code),
            "/news/",
            page={"title": strings(lang.code)["news"], "kind": "news"},
            posts=[
                {"title": lang.plain(p.title), "url": lang.urls.url(p.url), "date": p.date}
                for p in posts
            ],
            items=news_items,
        )

    def _not_found(self, code: str) -> Iterator[Output]:
        lang, _ = self._lang(code)
        yield self._page(
            "404.html",
            "404.html",
            self._common(code),
            "/404.html",
            page={"title": strings(lang.code)["not_found"], "kind": "404"},
        )

    # -- pieces ------------------------------------------------------------
    def _lang(self, code: str) -> tuple[Lang, str]:
        """The language pass `code` and its URL prefix ("" for the default language)."""
        cfg = self.site.config
        prefix = "" if code == cfg.language else f"{code}/"
        return Lang(code, cfg.language, Urls(cfg.base_url, prefix)), prefix

    def _item(self, code: str, pub: Publication) -> Markup:
        """A publication as a list item (shared by the home and publications pages)."""

        def compute() -> Markup:
            lang, _ = self._lang(code)
            view = {**self._pub_view(pub, lang), **pub_facets(pub)}
            view["reference"] = self._reference(code, pub)
            partial = "partials/pub-csl.html" if view["reference"] else "partials/pub.html"
            item = self.env.get_template(partial).module.pub_item  # type: ignore[attr-defined]
            return Markup(item(view))

        return self.site.memo(("pub_item", code, pub.key), compute)

    def _reference(self, code: str, pub: Publication) -> Markup | None:
        """The paper in the site's CSL `reference_style` (None for the default style)."""
        style = self.site.config.reference_style
        if style == DEFAULT_STYLE:
            return None
        if code not in self._formatters:
            try:
                root = Path(self.site.root)
                fmt = ReferenceFormatter(style, lang=code, root=root, store=self.store)
            except ValueError:
                fmt = None
                self.diags.error(
                    self.site.config.location,
                    f"unknown reference_style {style!r}",
                    did_you_mean(style, style_names())
                    or f"use one of {', '.join(style_names())}, or a path to a .csl file",
                )
            self._formatters[code] = fmt
        fmt = self._formatters[code]
        return fmt.format(pub) if fmt is not None else None

    def _image(self, site_path: str, urls: Urls) -> dict | None:
        """An image view; the page then depends on the image file's content."""
        self.site.uses_file("static/" + site_path.lstrip("/"))
        return self.images.view(site_path, urls)

    def _pub_view(self, pub: Publication, lang: Lang, **kw) -> dict:
        view = publication_view(pub, lang, **kw)
        view["thumb"] = self._image(pub.preview, lang.urls) if pub.preview else None
        return view

    def _common(self, code: str) -> dict:
        """What every page of language `code` gets (navigation, profile...), computed once."""
        return self.site.memo(("common", code), lambda: self._compute_common(code))

    def _compute_common(self, code: str) -> dict:
        site = self.site
        lang, _ = self._lang(code)
        nav = [
            {"title": strings(lang.code)["home"], "url": lang.urls.url("/"), "path": "/"},
            {
                "title": strings(lang.code)["publications"],
                "url": lang.urls.url("/publications/"),
                "path": "/publications/",
            },
            {"title": strings(lang.code)["cv"], "url": lang.urls.url("/cv/"), "path": "/cv/"},
        ]
        for page in self._pages_for(lang.code):
            if page.front_matter.get("nav"):
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
            "profile": self._profile(lang),
            "t": strings(lang.code),
            "nav": nav,
            "nav_paths": frozenset(item["path"] for item in nav),
            "fragment": self._fragment(code),
            "options": self.options,
            "lang": lang.code,
            "asset": lambda path: lang.urls.static("/assets/" + path),
            "url": lang.urls.url,
            "_lang": lang,
        }

    def _fragment(self, code: str) -> Callable[..., Markup]:
        """The templates' `{% call fragment(name, key...) %}...{% endcall %}`: the block is
        rendered once per language and key, and reused by every page. It may show only
        what every page of the language gets (site, profile, t, nav, options, asset,
        url...) and its key: it depends on what those depend on, and a template edit
        (a new environment, a new token) renders it again."""
        token = self.env.globals.setdefault("fragment_token", object())

        def fragment(*key: Any, caller: Callable[[], str]) -> Markup:
            def compute() -> Markup:
                self._common(code)  # records what the values every page gets were read from
                return Markup(caller())

            return self.site.memo(("fragment", token, code, key), compute)

        return fragment

    def _profile(self, lang: Lang) -> dict:
        profile = self.site.config.profile
        view = profile_view(profile, lang)
        view["image"] = self._image(profile.photo, lang.urls) if profile.photo else None
        return view

    def _page(self, template: str, out: str, common: dict, path: str, **ctx) -> Output:
        lang: Lang = common["_lang"]
        cfg = self.site.config
        alternates = self._alternates(path) if len(cfg.languages) > 1 else []
        if "head_meta" not in ctx:  # OpenGraph and Twitter cards on every page
            title = ctx["page"]["title"]
            kind = ctx["page"]["kind"]
            url = self._canonical(lang, path)
            meta = page_meta(self.site, lang, kind=kind, title=title, path=path, url=url)
            ctx["head_meta"] = meta
        ctx.setdefault("jsonld", [])
        try:
            html = self.env.get_template(template).render(
                **common,
                **ctx,
                path=path,
                canonical=self._canonical(lang, path),
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

    def _alternates(self, path: str) -> list[dict]:
        """This page in every language, for the switcher (`url`: the page, or that
        language's home where it has no such page) and hreflang (`translated`: the
        language has its own version, not a copy of the default language's)."""
        cfg = self.site.config
        content = self._content_urls(None)
        out = []
        for code in cfg.languages:
            urls = Urls(cfg.base_url, "" if code == cfg.language else f"{code}/")
            has = path not in content or path in self._content_urls(code)
            has = has and path != "/404.html"  # only the default language has a 404 page
            target = path if has else "/"
            out.append(
                {
                    "lang": code,
                    "name": LANGUAGE_NAMES.get(code, code),
                    "url": urls.url(target),
                    "href": urls.absolute(target),
                    "translated": has and (path not in content or self._is_own(path, code)),
                }
            )
        return out

    def _is_own(self, path: str, code: str) -> bool:
        """Does language `code` have its own page at `path` (not the default's copy)?"""
        return any(p.url == path and self._page_lang(p) == code for p in self._pages_for(code))

    def _canonical(self, lang: Lang, path: str) -> str:
        """The page's address; an untranslated copy points at the original."""
        cfg = self.site.config
        copy = lang.code != cfg.language and path in self._content_urls(lang.code)
        if copy and not self._is_own(path, lang.code):
            return Urls(cfg.base_url).absolute(path)
        return lang.urls.absolute(path)

    def _body(self, page: Page, lang: str = "") -> Markup:
        own = self._page_lang(page)
        rendered = render_page(page.body, raw_html=self.site.config.raw_html, lang=own)
        base_path = Urls(self.site.config.base_url).base_path
        html = prefix_root_urls(rendered.html, base_path)
        if lang and own != lang:  # not translated yet: say which language it is in
            html = f'<div lang="{own}">\n{html}</div>\n'
        return Markup(html)

    def _page_lang(self, page: Page) -> str:
        return page.lang or self.site.config.language

    def _content_urls(self, code: str | None) -> frozenset[str]:
        """URLs of the content pages of language `code` (None: of any language)."""

        def compute() -> frozenset[str]:
            pages = self.site.pages if code is None else self._pages_for(code)
            return frozenset(p.url for p in pages)

        return self.site.memo(("content_urls", code), compute)

    def _pages_for(self, code: str) -> list[Page]:
        """The pages of language `code`: its own, plus the default language's pages that
        have no translation yet (a page only written in another language is left out)."""

        def compute() -> tuple[str, ...]:
            default = self.site.config.language
            chosen: dict[str, Page] = {}
            for page in self.site.pages:
                own = self._page_lang(page)
                if own == code or (own == default and page.url not in chosen):
                    chosen[page.url] = page
            return tuple(page_id(p) for p in sorted(chosen.values(), key=lambda p: p.url))

        return [self.site.page(ident) for ident in self.site.memo(("pages_for", code), compute)]

    def _home_sections(self, lang: Lang, pubs: list[Publication]) -> list[dict]:
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
                        "items": [self._item(lang.code, p) for p in chosen],
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
