"""The example site is the seed page, complete: every URL, title, owner mark, legend."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from scholarsite.build import build

from .conftest import EXAMPLE, SEED, write_site
from .fixtures.seed_facts import PUBLICATIONS, SEED_URLS
from .htmltext import urls, visible_text


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example") / "_site"
    build(EXAMPLE, out)
    return out


def _all_html(out: Path) -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted(out.rglob("*.html")))


def test_seed_has_61_distinct_urls():
    text = SEED.read_text("utf-8")
    found = set(re.findall(r"https?://[^\s)\]\"'>]+", text))
    assert len(found) == 61
    assert sorted(found) == sorted(SEED_URLS)


def test_every_seed_url_is_in_the_built_site(built):
    site_urls = set()
    for page in built.rglob("*.html"):
        site_urls.update(urls(page.read_text("utf-8")))
    missing = [u for u in SEED_URLS if u not in site_urls]
    assert missing == []


def test_all_18_titles_with_owner_marked_and_equal_roles(built):
    html = (built / "publications" / "index.html").read_text("utf-8")
    items = re.findall(
        r'<li class="pub" id="[^"]+".*?</li>\s*(?=<li class="pub"|</ol>)', html, re.S
    )
    assert len(items) == 18
    text = visible_text(html)
    for pub in PUBLICATIONS:
        assert pub["title_text"] in text, pub["title_text"]
    for item in items:
        assert '<strong class="owner">Runxin Xu</strong>' in item
    for pub in PUBLICATIONS:
        item = next(i for i in items if pub["title_text"] in visible_text(i))
        for name in pub["equal"]:
            marked = f'<strong class="owner">{name}</strong>' if name == "Runxin Xu" else name
            assert marked + '<sup class="role role-equal">*</sup>' in item, (
                name,
                pub["title_text"],
            )
        if pub["oral"]:
            assert '<span class="award">Oral</span>' in item
    assert "Equal contribution" in text


def test_home_page_has_every_section_and_notices(built):
    html = (built / "index.html").read_text("utf-8")
    text = visible_text(html)
    for heading in (
        "Education",
        "Experience",
        "Selected Publications",
        "Honors & Awards",
        "Teaching",
        "Contact",
    ):
        assert heading in text
    assert (
        "What doesn’t kill you makes you stronger." in text
        or "What doesn't kill you makes you stronger." in text
    )
    assert "I am actively seeking for engineer or researcher position" in text
    assert (
        unicodedata.normalize("NFKC", "请注意：本页面内容还在建设中，所有信息均不可靠，请退出。")
        in text
    )
    assert "Weiyai Luo" in text and "罗巍耀" in text
    assert "runxinxu AT gmail DOT com" in text
    assert "runxinxu@gmail.com" not in html


def test_seed_page_dropped_into_content_renders_like_jekyll(tmp_path):
    root = write_site(tmp_path / "s", {"site.yaml": "title: Seed\nprofile: {name: Seed}\n"})
    (root / "content").mkdir()
    shutil.copy(SEED, root / "content" / "seed.md")
    build(root, tmp_path / "out")
    html = (tmp_path / "out" / "seed" / "index.html").read_text("utf-8")
    body = html[html.index('<article class="prose">') :]
    for hid in (
        "education",
        "experience",
        "publications-and-manuscripts",
        "hornors--awards",
        "teaching-experience",
        "contact-me",
    ):
        assert f'id="{hid}"' in body
    assert body.count("<br />") == len(re.findall(r"\\\\\s*$", SEED.read_text(), re.M))
    assert "<strong>Runxin Xu</strong><sup>*</sup>, Fuli Luo<sup>*</sup>" in body
    assert '<font color="red"' in body or "<font color=red" in body
    assert '<a href="https://icl.pku.edu.cn/">Institute of Computational Linguistics</a>' in body
    assert "Academic Services" not in body and "Reviewer: EACL2021" not in body
    assert "National scholarship, *December 2021*" not in body and "<!--" not in body
    seed_urls = set(urls(body))
    assert set(SEED_URLS) <= seed_urls
