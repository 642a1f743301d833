"""Themes: the contract (every template of every theme renders the example under
StrictUndefined), typed options with located errors, `extends`, and site overrides."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest

from scholarsite.build import build, load_site
from scholarsite.errors import UserError
from scholarsite.outputs.environment import make_environment
from scholarsite.theme import (
    FONT_STACKS,
    available_themes,
    contrast_ratio,
    load_theme,
)

from .conftest import EXAMPLE

NOTES_PAGE = """---
title: Notes
nav: true
---
A page with $x^2$ math, `code` and a [link](/publications/).
"""


def _templates(theme_name: str) -> set[str]:
    """Every template name the theme and its parents provide."""
    theme = load_theme(theme_name, EXAMPLE, _diags())
    names: set[str] = set()
    for folder in theme.template_dirs:
        names |= {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    return names


def _diags():
    from scholarsite.errors import Diagnostics

    return Diagnostics()


def _example_copy(tmp_path: Path, **settings: str) -> Path:
    import shutil

    dest = tmp_path / "site"
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns("_site", ".scholarsite-cache"))
    (dest / "content" / "notes.md").write_text(NOTES_PAGE, "utf-8")
    text = (dest / "site.yaml").read_text("utf-8")
    for key, value in settings.items():
        text = re.sub(rf"(?m)^{key}:.*$", f"{key}: {value}", text)
        if f"\n{key}: {value}" not in text:
            text += f"\n{key}: {value}\n"
    (dest / "site.yaml").write_text(text, "utf-8")
    return dest


def test_there_are_two_builtin_themes():
    assert {"default", "classic"} <= set(available_themes())


def test_templates_use_strict_undefined():
    _, theme, _ = load_site(EXAMPLE)
    env = make_environment(theme)
    assert env.undefined is jinja2.StrictUndefined and env.autoescape
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ nope }}").render()


@pytest.mark.parametrize("theme", ["default", "classic"])
def test_every_template_of_every_theme_renders_the_example(theme, tmp_path, monkeypatch):
    loaded: set[str] = set()
    original = jinja2.FileSystemLoader.get_source

    def recording(self, environment, name):
        loaded.add(name)
        return original(self, environment, name)

    monkeypatch.setattr(jinja2.FileSystemLoader, "get_source", recording)
    for i, style in enumerate(("default", "apa")):  # apa: the CSL reference partial
        site = _example_copy(tmp_path / f"v{i}", theme=theme, reference_style=style)
        build(site, tmp_path / f"out{i}")  # a template error raises UserError
        html = (tmp_path / f"out{i}" / "notes" / "index.html").read_text("utf-8")
        assert "<math" in html and "Notes" in html
    missing = _templates(theme) - loaded
    assert missing == set(), f"templates never rendered: {sorted(missing)}"


def test_classic_extends_default_and_changes_only_what_it_needs(tmp_path):
    out = tmp_path / "out"
    build(_example_copy(tmp_path, theme="classic"), out)
    home = (out / "index.html").read_text("utf-8")
    assert 'href="/assets/style.css"' in home and 'href="/assets/classic.css"' in home
    assert home.index("style.css") < home.index("classic.css")
    assert "--accent:#0061b5" in home and "pubs-compact" in home
    assert 'class="intro"' in home and '<hr class="small">' in home
    assert home.count("<hr>") >= 6  # rules between the sections
    assert '<blockquote class="motto">' in home and 'class="portrait"' in home
    classic = Path(load_theme("classic", EXAMPLE, _diags()).template_dirs[0])
    assert sorted(p.name for p in classic.rglob("*.html")) == ["home.html"]
    # the publications page comes from the default theme, in the classic look
    pubs = (out / "publications" / "index.html").read_text("utf-8")
    assert "classic.css" in pubs and '<li class="pub" id="xu2022contrastive"' in pubs


def test_theme_options_reach_the_page(build_site):
    read = build_site(
        {
            "site.yaml": """
                title: Ada
                theme_options:
                  accent: "#7A2B8F"
                  font: serif
                  pub_style: compact
            """
        }
    )
    html = read("index.html")
    style = re.search(r"<style>(.*?)</style>", html).group(1)
    assert "--accent:#7a2b8f" in style and "--accent-dark:#8ab4f8" in style
    assert f"--font:{FONT_STACKS['serif']}" in style
    assert "&#34;" not in style and "&quot;" not in style  # font names keep their quotes
    assert 'class="page-home pubs-compact"' in html


def test_a_custom_font_list_is_accepted(build_site):
    read = build_site(
        {"site.yaml": "title: Ada\ntheme_options: {font: '\"Source Serif 4\", Georgia, serif'}\n"}
    )
    assert '--font:"Source Serif 4", Georgia, serif' in read("index.html")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            "acent: '#123456'",
            "site.yaml:3:3: error: unknown theme option 'acent' for theme 'default'\n"
            "  hint: did you mean 'accent'?",
        ),
        (
            "accent: blue",
            "site.yaml:3:3: error: theme option 'accent' must be a hex colour, not 'blue'\n"
            "  hint: write it as #rrggbb, e.g. #2456a6",
        ),
        (
            "pub_style: detailled",
            "site.yaml:3:3: error: theme option 'pub_style' must be one of detailed, compact, "
            "not 'detailled'\n  hint: did you mean 'detailed'?",
        ),
        (
            "font: 'Comic; color: red'",
            "site.yaml:3:3: error: theme option 'font' must be one of system, serif, humanist, "
            "geometric, mono or a CSS font-family list, not 'Comic; color: red'",
        ),
        (
            "native_lang: Chinese",
            "site.yaml:3:3: error: theme option 'native_lang' must be a language code, "
            "not 'Chinese'\n  hint: e.g. zh, ja, de, pt-BR",
        ),
    ],
)
def test_bad_theme_options_are_located_errors(make_site, tmp_path, options, message):
    root = make_site({"site.yaml": f"title: Ada\ntheme_options:\n  {options}\n"})
    with pytest.raises(UserError) as err:
        build(root, tmp_path / "out")
    assert message in str(err.value)
    assert not (tmp_path / "out").exists()


def test_a_low_contrast_accent_is_a_warning(build_site):
    read = build_site({"site.yaml": "title: Ada\ntheme_options:\n  accent: '#ffcc00'\n"})
    warnings = [str(w) for w in read.report.warnings]
    assert any(
        w.startswith("site.yaml:3:3: warning: theme option 'accent' #ffcc00 has a contrast "
                     "ratio of 1.5:1 against the background #ffffff") for w in warnings
    ), warnings


def test_every_builtin_default_colour_meets_wcag_aa():
    for name in available_themes():
        theme = load_theme(name, EXAMPLE, _diags())
        for key, spec in theme.specs.items():
            if spec.type == "color" and spec.contrast:
                ratio = contrast_ratio(str(theme.options[key]), spec.contrast)
                assert ratio >= 4.5, (name, key, theme.options[key], ratio)
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert contrast_ratio("#777", "#777") == 1.0


def test_a_site_theme_extends_a_builtin_one_and_site_templates_win(build_site):
    read = build_site(
        {
            "site.yaml": "title: Ada\ntheme: mine\ntheme_options: {stripe: true}\n",
            "themes/mine/theme.yaml": """
                name: mine
                extends: classic
                stylesheets: [mine.css]
                options:
                  stripe: {type: boolean, default: false}
                  accent: "#114477"
            """,
            "themes/mine/static/mine.css": "body { border-top: 4px solid var(--accent); }\n",
            "themes/mine/templates/404.html": (
                '{% extends "base.html" %}{% block main %}<p class="mine">'
                "{{ options.stripe }}</p>{% endblock %}"
            ),
            "templates/partials/legend.html": '<p class="site-legend">legend</p>',
        }
    )
    html = read("404.html")
    assert '<p class="mine">True</p>' in html
    for css in ("style.css", "classic.css", "mine.css"):
        assert f'href="/assets/{css}"' in html
    assert "--accent:#114477" in html
    assert read("assets/mine.css").startswith("body")
    assert '<p class="site-legend">legend</p>' in read("publications/index.html")


def test_theme_yaml_mistakes_are_reported(make_site, tmp_path):
    root = make_site(
        {
            "site.yaml": "title: Ada\ntheme: broken\n",
            "themes/broken/theme.yaml": """
                name: broken
                extends: default
                colours: [red]
                options:
                  size: {type: number, default: 3}
            """,
        }
    )
    with pytest.raises(UserError) as err:
        build(root, tmp_path / "out")
    text = str(err.value)
    assert "themes/broken/theme.yaml:3:1: error: unknown key 'colours' in theme.yaml" in text
    assert (
        "themes/broken/theme.yaml:5:10: error: unknown option type 'number' for 'size'\n"
        "  hint: types: boolean, choice, color, font, language, string"
    ) in text


def test_an_unknown_theme_names_the_available_ones(make_site, tmp_path):
    root = make_site({"site.yaml": "title: Ada\ntheme: clasic\n"})
    with pytest.raises(UserError) as err:
        build(root, tmp_path / "out")
    assert "site.yaml:2:1: error: unknown theme 'clasic'" in str(err.value)
    assert "available: classic, default" in str(err.value)
