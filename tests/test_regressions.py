"""Failing cases found by the property tests (tests/test_properties.py) and the hang probes,
kept as plain tests: each once ended in a traceback, a hang or a diagnostic without a line."""

from __future__ import annotations

import time

import pytest

from scholarsite.build import build
from scholarsite.errors import Diagnostics, UserError
from scholarsite.parse import decode_text
from scholarsite.readers.config import read_config
from scholarsite.readers.data import read_section
from scholarsite.readers.pages import read_page
from scholarsite.readers.yamlfile import load_yaml


def _messages(diags: Diagnostics) -> list[str]:
    return [str(d).split("\n")[0] for d in diags.items]


@pytest.mark.parametrize("text", ["\x08", "title: a\x01b", "a: b\nc: 中\x1f"])
def test_yaml_control_character_is_located(text):
    """hypothesis: text='\\x08' gave 'site.yaml: error: YAML error: ...' with no line."""
    diags = Diagnostics()
    assert read_config(text, "site.yaml", diags) is not None
    (d,) = diags.items
    where = text.index(next(c for c in text if ord(c) < 32 and c != "\n"))
    assert d.location.line == text.count("\n", 0, where) + 1
    assert "is not allowed in YAML" in d.message


@pytest.mark.parametrize(
    "text",
    [
        "=",
        "- =",
        "x: !!python/object/apply:os.system ['echo pwned']",
        "x: !!int abc",
        "x: !!float x",
    ],
)
def test_yaml_values_without_a_constructor_are_errors_not_tracebacks(text):
    """hypothesis: text='=' raised yaml.constructor.ConstructorError out of read_section."""
    diags = Diagnostics()
    read_section("education", text, "data/education.yaml", diags)
    assert diags.errors and all(d.location.line == 1 for d in diags.items), _messages(diags)


def test_impossible_dates_are_kept_as_written():
    """probe: `date: 2023-02-30` raised ValueError (day is out of range for month)."""
    diags = Diagnostics()
    (entry,) = read_section("news", "- title: T\n  date: 2023-02-30\n", "data/news.yaml", diags)
    assert entry.date == "2023-02-30" and diags.items == []


def test_yaml_alias_bomb_is_refused_quickly():
    """probe: 20 levels of doubled aliases never finished (2**20 copies, gigabytes)."""
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]", "b0: &b0 [*a, *a]"]
    lines += [f"b{i}: &b{i} [*b{i - 1}, *b{i - 1}]" for i in range(1, 30)]
    text = "\n".join(lines)
    diags = Diagnostics()
    started = time.perf_counter()
    assert load_yaml(text, "data/x.yaml", diags) is None
    assert time.perf_counter() - started < 2
    assert "too many values" in diags.items[0].message and diags.items[0].location.line >= 1


@pytest.mark.parametrize("text", ["a: &a [*a, 1]", "a: &a {b: *a}", "- &x [*x]"])
def test_recursive_yaml_alias_is_an_error(text):
    """probe: a self-referencing alias raised RecursionError."""
    diags = Diagnostics()
    assert load_yaml(text, "data/x.yaml", diags) is None
    assert "contains it" in diags.items[0].message


@pytest.mark.parametrize(
    ("text", "encoding", "guess"),
    [
        ("Ça va, naïve façade", "latin-1", "cp1252"),  # was "gb18030"
        ("日本語の履歴書です", "shift_jis", "shift_jis"),  # was "gb18030"
        ("Привет, как дела", "cp1251", "cp1251"),  # was "cp1252"
        ("title: Müller", "utf-16-le", "utf-16"),  # was "file contains a NUL byte"
    ],
)
def test_encoding_guesses(text, encoding, guess):
    diags = Diagnostics()
    assert decode_text(text.encode(encoding), "content/about.md", diags) is None
    assert f"looks like {guess}" in diags.items[0].message


def test_a_data_item_written_as_a_line_of_text_is_checked_like_a_title():
    """hostile: `- "[x](javascript:alert(1))"` and control characters bypassed the checks."""
    diags = Diagnostics()
    text = '- "[x](javascript:alert(1))"\n- "ok\\u202e"\n'
    entries = read_section("awards", text, "data/awards.yaml", diags)
    assert [d.location.line for d in diags.errors] == [1]
    assert entries[1].title == "ok"
    assert [d.location.line for d in diags.warnings] == [2]


def test_unsafe_link_in_a_page_body_is_an_error():
    """hostile: `<a href="javascript:...">` in a body went to the page in passthrough mode."""
    diags = Diagnostics()
    text = '---\ntitle: T\n---\nHello.\n\n<a href="javascript:alert(1)">x</a>\n'
    read_page(text, "content/t.md", "t.md", diags)
    assert [(d.location.line, d.severity) for d in diags.items] == [(6, "error")]


def test_404_page_links_only_to_pages_that_exist(make_site, tmp_path):
    """check: the 404 page's language switch linked to /zh/404.html, which is never built."""
    root = make_site(
        {
            "site.yaml": "title: T\nlanguages: [en, zh]\nprofile: {name: Ada}\n",
            "content/about.md": "Hi.\n",
            "content/about.zh.md": "你好。\n",
        }
    )
    build(root, tmp_path / "out", search=False)
    page = (tmp_path / "out" / "404.html").read_text(encoding="utf-8")
    assert "/zh/404.html" not in page and 'href="/zh/"' in page


def test_output_folder_may_not_be_the_site_folder(make_site):
    """crash suite: `build -o SITE_DIR --force` replaced the site folder with the output."""
    root = make_site({"content/about.md": "Hi.\n"})
    with pytest.raises(UserError):
        build(root, root, force=True)
    assert (root / "content" / "about.md").is_file()


def test_root_relative_links_in_data_fields_go_under_the_base_path(make_site, tmp_path):
    """check: with base_url https://u.github.io/repo/, links written /cv.pdf in site.yaml,
    data lists and BibTeX titles came out as href="/cv.pdf", outside the site."""
    from scholarsite.check import check_site

    root = make_site(
        {
            "site.yaml": """
                title: T
                base_url: https://u.github.io/repo/
                profile:
                  name: Ada Lovelace
                  notices: ["My [CV](/cv.pdf)"]
                  affiliation_url: /cv.pdf
                  links: {cv: /cv.pdf}
            """,
            "data/awards.yaml": "- title: See [the CV](/cv.pdf)\n  url: /cv.pdf\n",
            "publications.bib": "@misc{k, title = {A [CV](/cv.pdf)}, author = {Ada Lovelace},"
            " note = {[cv](/cv.pdf)}, journal = {J}, year = 2020}\n",
            "static/cv.pdf": b"%PDF-1.4\n",
        }
    )
    assert check_site(root).findings == []
    build(root, tmp_path / "out", search=False)
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'href="/cv.pdf"' not in html and 'href="/repo/cv.pdf"' in html
