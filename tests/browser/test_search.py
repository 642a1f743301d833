"""Search and filter on the publications page, in Debian's chromium: pagefind's index and UI
are the site's own files (no other origin is contacted); the year/type/venue filter works
offline; with JavaScript off neither shows and every paper is listed; copy-citation."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from scholarsite.build import build

from ..conftest import EXAMPLE
from .conftest import Served, copy_site


def open_page(browser, url: str, *, javascript: bool = True):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    origins: set[str] = set()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda req: origins.add(urlsplit(req.url).netloc))
    page.goto(url)
    return context, page, errors, origins


def search(page, word: str) -> list[str]:
    """Type `word` into the search box; the titles of the results, once all are shown."""
    box = page.locator("#pub-search input")
    box.wait_for(state="visible", timeout=10_000)
    box.fill(word)
    message = page.locator(".pagefind-ui__message")
    done = re.compile(rf"^\d+ results? for {re.escape(word)}")
    message.filter(has_text=done).wait_for(timeout=10_000)
    count = int(message.inner_text().split()[0])
    links = page.locator(".pagefind-ui__result-link")
    page.wait_for_function(
        f"document.querySelectorAll('.pagefind-ui__result-link').length === {min(count, 5)}"
    )
    return links.all_inner_texts()


def test_typing_a_word_shows_the_matching_publications(browser, sites):
    site = sites["default"]
    context, page, errors, origins = open_page(browser, site.url("/publications/"))
    titles = search(page, "pruning")
    assert sorted(titles) == [
        "From Dense to Sparse: Contrastive Pruning for Better Pre-trained Language Model "
        "Compression",
        "Probing Structured Pruning on Multilingual Pre-trained Models: Setting, Algorithm, "
        "and Efficiency",
    ]
    links = page.locator(".pagefind-ui__result-link").evaluate_all("els => els.map(e => e.href)")
    assert all(urlsplit(h).path.startswith("/publications/") for h in links), links
    # Pages are searched too: the news post that names the AMR paper.
    assert sorted(search(page, "AMR")) == [
        "A Two-Stream AMR-enhanced Model for Document-level Event Argument Extraction",
        "ATP: AMRize Then Parse! Enhancing AMR Parsing with PseudoAMRs",
        "Two oral papers at NAACL 2022",
    ]
    assert errors == []
    assert origins == {urlsplit(site.origin).netloc}, "only the site's own files are loaded"
    context.close()


def test_search_under_a_base_path_links_under_it(browser, tmp_path):
    src = copy_site(EXAMPLE, tmp_path / "src", base_url="/repo/")
    build(src, tmp_path / "out")
    served = Served(tmp_path / "out", mount="/repo/")
    try:
        context, page, errors, _ = open_page(browser, served.url("/publications/"))
        assert search(page, "Xiaomingbot") == ["Xiaomingbot: A Multilingual Robot News Reporter"]
        href = page.locator(".pagefind-ui__result-link").first.get_attribute("href")
        assert href == "/repo/publications/xu2020xiaomingbot/"
        page.locator(".pagefind-ui__result-link").first.click()
        page.wait_for_url("**/repo/publications/xu2020xiaomingbot/")
        assert errors == []
        context.close()
    finally:
        served.close()


def visible_keys(page) -> list[str]:
    return page.locator(".pub-list li.pub:visible").evaluate_all("els => els.map(e => e.id)")


def test_filter_by_year_type_and_venue_works_offline(browser, sites):
    context, page, errors, origins = open_page(browser, sites["default"].url("/publications/"))
    form = page.locator("form.pub-filter")
    assert form.is_visible() and form.locator("select").count() == 3  # no tags in the example
    assert len(visible_keys(page)) == 18
    form.locator("select[name=year]").select_option("2020")
    assert sorted(visible_keys(page)) == ["xu2020volctrans", "xu2020xiaomingbot", "zeng2020double"]
    assert page.locator("#preprints").is_hidden() and page.locator("#y2020").is_visible()
    assert form.locator(".pub-count").inner_text() == "3 / 18"
    form.locator("select[name=year]").select_option("")
    form.locator("select[name=kind]").select_option("preprint")
    assert sorted(visible_keys(page)) == ["huang2020adaptive", "wang2021explicit", "xu2022making"]
    form.locator("select[name=kind]").select_option("")
    form.locator("select[name=venue]").select_option("NAACL")
    form.locator("select[name=year]").select_option("2022")
    assert sorted(visible_keys(page)) == [
        "chen2022atp", "wang2022enhanced", "xu2022twostream", "zheng2022double",
    ]  # fmt: skip
    assert errors == []
    assert len(origins) == 1
    context.close()


def test_without_javascript_every_paper_is_listed_and_no_controls_show(browser, sites):
    context, page, _, _ = open_page(
        browser, sites["default"].url("/publications/"), javascript=False
    )
    assert len(visible_keys(page)) == 18
    assert page.locator("form.pub-filter").count() == 0  # inert inside its <template>
    assert page.locator("select").count() == 0
    assert page.locator("#pub-search").is_hidden()
    context.close()
    context, page, _, _ = open_page(
        browser, sites["default"].url("/publications/xu2021raise/"), javascript=False
    )
    assert page.locator("pre.cite-bibtex").is_visible()
    assert page.locator("button.copy-cite").is_hidden()
    assert page.locator("a[href$='cite.bib']").is_visible()
    context.close()


def test_copy_citation_copies_the_bibtex(browser, sites):
    site = sites["default"]
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.origin)
    page = context.new_page()
    page.goto(site.url("/publications/xu2021raise/"))
    button = page.locator("button.copy-cite")
    assert button.is_visible()
    button.click()
    page.wait_for_function("document.querySelector('button.copy-cite').textContent === 'Copied'")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@inproceedings{xu2021raise,")
    assert copied == page.locator("pre.cite-bibtex").inner_text()
    context.close()


@pytest.mark.parametrize("path", ["/publications/", "/cv/"])
def test_pages_make_no_page_errors(browser, sites, path):
    context, page, errors, _ = open_page(browser, sites["default"].url(path))
    page.wait_for_timeout(300)
    assert errors == []
    context.close()
