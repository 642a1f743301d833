"""Incremental rebuilds: exactly the outputs an edit reaches are rendered again, and the
result is byte-identical to a clean build, whatever the sequence of edits."""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scholarsite.build import build, load_site, render_site
from scholarsite.errors import UserError
from scholarsite.incremental import Incremental
from scholarsite.theme import BUILTIN_THEMES

THEME_TEMPLATES = BUILTIN_THEMES / "default" / "templates"
EXAMPLES = int(os.environ.get("SCHOLARSITE_PROPERTY_EXAMPLES", "25"))

# -- a small site, described as data ----------------------------------------------------

PUB_KEYS = ("alpha2020", "beta2021", "gamma2022", "delta2023")
TITLES = ("A Study of Things", "S$^4$-Tuning: *Fast* Models", "Über {BERT} Probing", "Graphs")
AUTHORS = (
    "Lovelace, Ada and Babbage, Charles",
    "Babbage, Charles* and Lovelace, Ada*",
    "Somerville, Mary",
)
PAGES = ("about", "projects", "teaching", "news/first-post", "news/second-post")
EDU_ITEMS = ("PhD, University of London", "BSc, Cambridge", "Visiting, ETH Zürich")


def site_yaml(title: str, languages: tuple[str, ...]) -> str:
    return textwrap.dedent(
        f"""\
        title: {title}
        base_url: https://ada.example.org/
        languages: [{", ".join(languages)}]
        owner_names: [Ada Lovelace]
        profile:
          name: Ada Lovelace
          email: ada@example.org
        """
    )


def bib_entry(key: str, title: str, year: int | None, authors: str, selected: bool) -> str:
    lines = [f"@inproceedings{{{key},", f"  title = {{{title}}},", f"  author = {{{authors}}},"]
    lines.append("  booktitle = {Proceedings of Things},")
    if year:
        lines.append(f"  year = {{{year}}},")
    if selected:
        lines.append("  selected = {true},")
    return "\n".join([*lines, "}", ""])


def page_md(slug: str, title: str, body: str, nav: bool, published: bool) -> str:
    front = [f"title: {title}", f"nav: {'true' if nav else 'false'}"]
    if slug.startswith("news/"):
        front.append(f"date: 2024-0{len(slug) % 9 + 1}-01")
    if not published:
        front.append("published: false")
    return "---\n" + "\n".join(front) + "\n---\n" + body + "\n"


class SiteState:
    """The files of the test site; each edit returns the paths it touched."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.title, self.languages = "Ada Lovelace", ("en",)
        self.pubs: dict[str, tuple] = {"alpha2020": (TITLES[0], 2020, AUTHORS[0], False)}
        self.education: list[str] = [EDU_ITEMS[0]]
        self.news: list[str] = []
        self.pages: dict[str, tuple] = {"about": ("About", "I study *things*.", False, True)}
        self.overrides: dict[str, str] = {}
        self.static: dict[str, str] = {"static/files/notes.txt": "v1"}

    def files(self) -> dict[str, str]:
        out = {"site.yaml": site_yaml(self.title, self.languages)}
        out["publications.bib"] = "".join(bib_entry(k, *v) for k, v in sorted(self.pubs.items()))
        out["data/education.yaml"] = "".join(
            f"- title: {t}\n  date: 2020\n" for t in self.education
        )
        if self.news:
            out["data/news.yaml"] = "".join(
                f"- title: {t}\n  date: 2024-01-0{i + 1}\n" for i, t in enumerate(self.news)
            )
        for slug, (title, body, nav, published) in self.pages.items():
            out[f"content/{slug}.md"] = page_md(slug, title, body, nav, published)
        for name, marker in self.overrides.items():
            source = (THEME_TEMPLATES / name).read_text(encoding="utf-8")
            out[f"templates/{name}"] = source + f"\n<!-- override {marker} -->\n"
        out.update(self.static)
        return out

    def write(self) -> list[Path]:
        """Write the files; returns the paths that changed on disk (added, changed, removed)."""
        wanted = self.files()
        touched = []
        for rel in ("site.yaml", "publications.bib", "data", "content", "templates", "static"):
            base = self.root / rel
            existing = (
                [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
            )
            for path in existing:
                if path.relative_to(self.root).as_posix() not in wanted:
                    path.unlink()
                    touched.append(path)
        for rel, text in wanted.items():
            path = self.root / rel
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                touched.append(path)
        return touched

    # -- edits: each takes draws from hypothesis -------------------------------------
    def apply(self, op: tuple) -> None:
        """op = (kind, which record, which action, a value); action 0 removes it."""
        kind, which, action, n = op
        if kind == "pub":
            key = PUB_KEYS[which % len(PUB_KEYS)]
            if action == 0 and key in self.pubs:
                del self.pubs[key]
                return
            title, year, authors, selected = self.pubs.get(
                key, (TITLES[0], 2021, AUTHORS[0], False)
            )
            if action in (1, 5):
                title = TITLES[n % len(TITLES)] if n % len(TITLES) else f"{TITLES[0]} {n}"
            elif action == 2:
                year = None if n % 4 == 0 else 2018 + n % 6
            elif action == 3:
                authors = AUTHORS[n % len(AUTHORS)]
            elif action == 4:
                selected = not selected
            self.pubs[key] = (title, year, authors, selected)
        elif kind == "data":
            items = self.education if which % 2 == 0 else self.news
            if action == 0 and items:
                items.pop(n % len(items))
            elif action in (1, 2) and items:
                items[n % len(items)] = f"{EDU_ITEMS[n % len(EDU_ITEMS)]} ({n})"
            else:
                items.append(EDU_ITEMS[n % len(EDU_ITEMS)])
        elif kind == "page":
            slug = PAGES[which % len(PAGES)]
            if action == 0 and slug in self.pages:
                del self.pages[slug]
                return
            title, body, nav, published = self.pages.get(slug, (slug.title(), "Text.", False, True))
            if action in (1, 5):
                body = f"Paragraph {n} with a [link](/publications/)."
            elif action == 2:
                title = f"Title {n}"
            elif action == 3:
                nav = not nav
            elif action == 4:
                published = not published
            self.pages[slug] = (title, body, nav, published)
        elif kind == "template":
            name = ("page.html", "partials/pub.html", "post.html")[which % 3]
            if action == 0 and name in self.overrides:
                del self.overrides[name]
            else:
                self.overrides[name] = str(n)
        elif kind == "static":
            rel = ("static/files/notes.txt", "static/files/more.txt")[which % 2]
            if action == 0 and rel in self.static:
                del self.static[rel]
            else:
                self.static[rel] = f"version {n}"
        elif kind == "config":
            if action % 2 == 0:
                self.title = ("Ada Lovelace", "Ada's Homepage")[n % 2]
            else:
                self.languages = ("en",) if n % 2 == 0 else ("en", "zh")


def clean_render(root: Path, *, drafts: bool = False) -> dict[str, bytes] | None:
    """Every output of a from-scratch build, or None when the site has errors."""
    try:
        site, theme, _ = load_site(root, drafts=drafts)
        outputs, _ = render_site(site, theme)
    except UserError:
        return None
    return {o.path: o.data if o.data is not None else Path(o.source).read_bytes() for o in outputs}


def engine_outputs(engine: Incremental) -> dict[str, bytes]:
    return {
        path: o.data if o.data is not None else Path(o.source).read_bytes()
        for path, o in engine.outputs.items()
    }


def assert_same(incremental: dict[str, bytes], clean: dict[str, bytes]) -> None:
    assert sorted(incremental) == sorted(clean)
    different = [p for p in clean if incremental[p] != clean[p]]
    assert different == []


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


OPS = st.tuples(
    st.sampled_from(["pub", "pub", "data", "page", "page", "template", "static", "config"]),
    st.integers(0, 3),  # which record
    st.integers(0, 5),  # what to do: 0 removes, the others add or edit
    st.integers(0, 50),  # a value
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(ops=st.lists(OPS, min_size=1, max_size=6))
def test_incremental_output_equals_clean_build_after_any_edits(ops):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        state = SiteState(root)
        state.write()
        build(root, Path(tmp) / "cached", search=False)  # fills the cache the last build reuses
        engine = Incremental(root, drafts=False)
        assert engine.rebuild().ok
        for op in ops:
            state.apply(op)
            touched = state.write()
            outcome = engine.rebuild(touched)
            clean = clean_render(root)
            if clean is None:
                assert not outcome.ok and engine.errors
                continue
            assert outcome.ok, outcome.errors
            assert_same(engine_outputs(engine), clean)
        if clean_render(root) is not None:
            build(root, Path(tmp) / "cached", search=False)  # pagefind's index is not stable
            build(root, Path(tmp) / "fresh", clean=True, search=False)
            assert tree(Path(tmp) / "cached") == tree(Path(tmp) / "fresh")


# -- what is re-rendered --------------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> SiteState:
    state = SiteState(tmp_path / "site")
    state.pubs["beta2021"] = (TITLES[3], 2021, AUTHORS[2], False)
    state.pages["projects"] = ("Projects", "Some projects.", True, True)
    state.pages["news/first-post"] = ("First", "A post.", False, True)
    state.write()
    return state


def edit(engine: Incremental, state: SiteState, op: tuple):
    state.apply(op)
    outcome = engine.rebuild(state.write())
    assert outcome.ok, outcome.errors
    assert_same(engine_outputs(engine), clean_render(state.root))
    return outcome


def test_publication_edit_renders_its_page_and_the_lists_only(site):
    engine = Incremental(site.root, drafts=False)
    engine.rebuild()
    outcome = edit(engine, site, ("pub", 0, 1, 2))  # alpha2020's title
    rendered = set(outcome.rendered)
    assert {
        "publications/alpha2020/index.html",
        "publications/index.html",
        "index.html",
    } <= rendered
    assert "publications/beta2021/index.html" not in rendered
    assert "projects/index.html" not in rendered and "news/first-post/index.html" not in rendered
    assert "publications/alpha2020/index.html" in outcome.changed
    assert "publications/beta2021/index.html" not in outcome.changed


def test_page_body_edit_renders_that_page_only(site):
    engine = Incremental(site.root, drafts=False)
    engine.rebuild()
    outcome = edit(engine, site, ("page", 1, 1, 4))  # projects: body
    html_jobs = {k for k in outcome.rendered if k.endswith(".html")}
    assert html_jobs == {"projects/index.html"}


def test_template_edit_renders_the_pages_using_it(site):
    engine = Incremental(site.root, drafts=False)
    engine.rebuild()
    outcome = edit(engine, site, ("template", 2, 1, 1))  # override post.html
    html_jobs = {k for k in outcome.rendered if k.endswith(".html")}
    assert html_jobs == {"news/first-post/index.html"}
    outcome = edit(engine, site, ("template", 1, 1, 1))  # override partials/pub.html
    html_jobs = {k for k in outcome.rendered if k.endswith(".html")}
    assert {"index.html", "publications/index.html"} <= html_jobs
    assert "projects/index.html" not in html_jobs


def test_config_edit_renders_everything(site):
    engine = Incremental(site.root, drafts=False)
    first = engine.rebuild()
    outcome = edit(engine, site, ("config", 0, 0, 1))
    assert set(outcome.rendered) == set(first.rendered)


def test_saving_without_change_renders_nothing(site):
    engine = Incremental(site.root, drafts=False)
    engine.rebuild()
    (site.root / "publications.bib").write_bytes((site.root / "publications.bib").read_bytes())
    outcome = engine.rebuild([site.root / "publications.bib"])
    assert outcome.ok and outcome.rendered == () and outcome.changed == ()


def test_bad_edit_keeps_last_good_outputs_until_fixed(site):
    engine = Incremental(site.root, drafts=False)
    engine.rebuild()
    before = engine_outputs(engine)
    data = site.root / "data" / "education.yaml"
    good = data.read_text()
    data.write_text("- title: [unclosed\n  date: 2020\n")
    outcome = engine.rebuild([data])
    assert not outcome.ok
    assert str(outcome.errors[0]).startswith("data/education.yaml:2:")
    assert engine_outputs(engine) == before
    assert engine.rebuild([data]).ok is False  # still broken: still the same outputs
    data.write_text(good)
    fixed = engine.rebuild([data])
    assert fixed.ok and engine.errors == ()
    assert_same(engine_outputs(engine), clean_render(site.root))


def test_broken_template_is_an_error_not_a_crash(site):
    engine = Incremental(site.root, drafts=False)
    engine.rebuild()
    before = engine_outputs(engine)
    (site.root / "templates").mkdir()
    (site.root / "templates" / "page.html").write_text(
        '{% extends "base.html" %}\n{% block main %}{{ }\n'
    )
    outcome = engine.rebuild([site.root / "templates" / "page.html"])
    assert not outcome.ok
    assert "page.html" in str(outcome.errors[0])
    assert engine_outputs(engine) == before
    shutil.rmtree(site.root / "templates")
    outcome = engine.rebuild([site.root / "templates" / "page.html"])
    assert outcome.ok
    assert_same(engine_outputs(engine), clean_render(site.root))


def test_drafts_are_built_when_asked(site):
    site.pages["teaching"] = ("Teaching", "Draft text.", False, False)
    site.write()
    engine = Incremental(site.root, drafts=True)
    engine.rebuild()
    assert "teaching/index.html" in engine.outputs
    assert_same(engine_outputs(engine), clean_render(site.root, drafts=True))


def test_a_site_theme_edit_is_seen(site):
    theme = site.root / "themes" / "mine"
    shutil.copytree(BUILTIN_THEMES / "default", theme)
    meta = theme / "theme.yaml"
    meta.write_text(meta.read_text().replace("name: default", "name: mine"))
    (site.root / "site.yaml").write_text(site_yaml(site.title, site.languages) + "theme: mine\n")
    engine = Incremental(site.root, drafts=False)
    assert engine.rebuild().ok
    meta.write_text(meta.read_text().replace('default: "#2456a6"', 'default: "#113355"'))
    outcome = engine.rebuild([meta])
    assert outcome.ok and "index.html" in outcome.changed
    assert b"#113355" in engine.outputs["index.html"].data
    css = theme / "static" / "style.css"
    css.write_text(css.read_text() + "\n/* edited */\n")
    outcome = engine.rebuild([css])
    assert outcome.changed == ("assets/style.css",)
    assert_same(engine_outputs(engine), clean_render(site.root))


def test_the_pages_shown_come_first_then_the_rest(site):
    engine = Incremental(site.root, drafts=False)
    engine.rebuild()
    landing = "publications/alpha2020/index.html"
    seen: list[tuple[tuple[str, ...], bytes, bytes]] = []

    def first_ready(changed: tuple[str, ...]) -> None:
        seen.append((changed, engine.outputs[landing].data, engine.outputs["cv/index.html"].data))

    before_cv = engine.outputs["cv/index.html"].data
    site.apply(("pub", 0, 1, 2))
    outcome = engine.rebuild(site.write(), first={landing}, on_first=first_ready)
    assert outcome.ok and outcome.rendered[0] == landing
    [(changed, page, cv)] = seen
    assert changed == (landing,)
    assert TITLES[2].split()[0].encode() in page  # the new title is served already...
    assert cv == before_cv  # ...while the CV still renders
    assert engine.outputs["cv/index.html"].data != before_cv
    assert_same(engine_outputs(engine), clean_render(site.root))


def test_a_later_error_takes_back_the_pages_shown_first(site):
    engine = Incremental(site.root, drafts=False)
    engine.rebuild()
    before = engine_outputs(engine)
    landing = "publications/alpha2020/index.html"
    site.apply(("pub", 0, 1, 2))
    touched = site.write()
    (site.root / "templates").mkdir()
    broken = site.root / "templates" / "cv.html"
    broken.write_text('{% extends "base.html" %}{% block main %}{{ nope( }}{% endblock %}\n')
    shown: list[bytes] = []
    outcome = engine.rebuild(
        [*touched, broken],
        first={landing},
        on_first=lambda changed: shown.append(engine.outputs[landing].data),
    )
    assert not outcome.ok and "cv.html" in str(outcome.errors[0])
    assert shown and shown[0] != before[landing]  # it was shown early...
    assert landing in outcome.changed  # ...and is taken back: the last good site again
    assert engine_outputs(engine) == before
