"""Languages: per-language values and pages, /<lang>/ URLs, switcher, hreflang, strings."""

from __future__ import annotations

import re

import pytest

from scholarsite.build import build
from scholarsite.errors import UserError
from scholarsite.i18n import _STRINGS, strings

from .conftest import write_site

SITE = """
    title: {en: Ada Lovelace, zh: 艾达}
    base_url: https://ada.example.org/
    languages: [en, zh]
    profile:
      name: {en: Ada Lovelace, zh: 艾达·洛芙莱斯}
      native_name: 艾达·洛芙莱斯
      photo: img/me.svg
      position: {en: Analyst, zh: 分析师}
"""
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"></svg>'


def _site(**pages: str) -> dict[str, str]:
    files = {"site.yaml": SITE, "static/img/me.svg": SVG}
    files.update({f"content/{name}": text for name, text in pages.items()})
    return files


def test_every_language_has_every_interface_string():
    assert len(_STRINGS) >= 3 and {"en", "zh", "de"} <= set(_STRINGS)
    for lang, table in _STRINGS.items():
        assert set(table) == set(_STRINGS["en"]), lang
        for key, text in table.items():
            assert set(re.findall(r"{\w+}", text)) == set(
                re.findall(r"{\w+}", _STRINGS["en"][key])
            ), (lang, key)
    assert strings("zh-Hans")["publications"] == "论文"  # a region falls back to the language
    assert strings("xx")["publications"] == "Publications"


def test_a_translation_is_named_for_its_language(build_site):
    read = build_site(
        _site(
            **{
                "about.md": "I am Ada.",
                "about.zh.md": "---\ntitle: 关于\n---\n我是艾达。",
                "talks.md": "---\ntitle: Talks\nnav: true\n---\nEnglish only.",
                "jobs.md": "---\ntitle: 招聘\nlang: zh\nnav: true\n---\n只有中文。",
            }
        )
    )
    en, zh = read("index.html"), read("zh/index.html")
    assert '<html lang="en">' in en and '<html lang="zh">' in zh
    assert "I am Ada." in en and "我是艾达。" not in en
    assert "我是艾达。" in zh and "I am Ada." not in zh
    assert '<h1 class="name">艾达·洛芙莱斯 <span class="native-name" lang="en">Ada Lovelace' in zh
    assert '<span class="native-name" lang="zh">艾达·洛芙莱斯</span>' in en
    assert 'src="/img/me.svg"' in zh and 'href="/assets/style.css"' in zh  # shared files
    # an untranslated page is shown in its own language, marked as such
    talks_zh = read("zh/talks/index.html")
    assert '<div lang="en">\n<p>English only.</p>\n</div>' in talks_zh
    assert '<link rel="canonical" href="https://ada.example.org/talks/">' in talks_zh
    assert 'hreflang="zh"' not in talks_zh.split("</head>")[0]  # not a Chinese page
    assert 'hreflang="zh" href="https://ada.example.org/zh/talks/"' not in read("talks/index.html")
    assert '<a href="/zh/talks/" hreflang="zh" lang="zh">中文</a>' in read("talks/index.html")
    # a page in one language only exists in that language
    assert read("zh/jobs/index.html")
    assert not (read.out / "jobs").exists()
    assert "招聘" in zh and "招聘" not in en
    jobs = read("zh/jobs/index.html")
    assert "hreflang" not in jobs.split("</head>")[0].replace('hreflang="zh"', "")
    switch = re.search(r'<li class="langs">(.*?)</li>', jobs).group(1)
    assert 'href="/"' in switch  # the English switch goes to the English home


def test_hreflang_alternates_and_switcher(build_site):
    read = build_site(_site(**{"about.md": "Hi."}))
    head = read("publications/index.html").split("</head>")[0]
    assert '<link rel="alternate" hreflang="en" href="https://ada.example.org/publications/">' in (
        head
    )
    assert 'hreflang="zh" href="https://ada.example.org/zh/publications/"' in head
    assert 'hreflang="x-default" href="https://ada.example.org/publications/"' in head
    body = read("zh/publications/index.html")
    assert '<a href="/publications/" hreflang="en" lang="en">English</a>' in body
    assert "<title>论文 | 艾达</title>" in body


def test_page_language_mistakes(make_site, tmp_path):
    root = make_site(
        _site(
            **{
                "about.zh.md": "---\nlang: de\n---\nHallo",
                "cv.fr.md": "Bonjour",
            }
        )
    )
    with pytest.raises(UserError) as err:
        build(root, tmp_path / "out")
    text = str(err.value)
    assert "content/about.zh.md:2:1: error: front matter says lang: de but the file name " in text
    root2 = write_site(tmp_path / "s2", _site(**{"notes.fr.md": "Bonjour"}))
    report = build(root2, tmp_path / "out2")
    assert any(
        "content/notes.fr.md:1:1: warning: page is in 'fr', which is not one of the site's "
        "languages; it is not built" in str(w)
        for w in report.warnings
    )
    assert not (tmp_path / "out2" / "notes.fr").exists()
    assert not (tmp_path / "out2" / "notes").exists()


def test_two_translations_of_a_page_in_one_language_clash(make_site, tmp_path):
    root = make_site(_site(**{"about.zh.md": "一", "index.zh.md": "二"}))
    with pytest.raises(UserError) as err:
        build(root, tmp_path / "out")
    assert "page URL / is already used by content/about.zh.md" in str(err.value)


def test_a_dotted_name_that_is_no_language_stays_a_slug(build_site):
    read = build_site(_site(**{"notes.v2.md": "---\ntitle: V2\n---\nx"}))
    assert read("notes-v2/index.html") or read("notes.v2/index.html")
