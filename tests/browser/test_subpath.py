"""A site published under a sub-path (https://user.github.io/repo/), served under /repo/:
every link, asset and search result resolves there."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from scholarsite.build import build

from ..conftest import EXAMPLE
from .conftest import ARTIFACTS, Served, copy_site

BASE = "https://user.github.io/repo/"


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if not value:
                continue
            if name in ("href", "src", "poster", "data-embed", "data-search-bundle"):
                self.refs.append(value)
            elif name in ("srcset",):
                self.refs += [c.split()[0] for c in value.split(",") if c.strip()]


@pytest.fixture(scope="module")
def subpath(tmp_path_factory):
    base = tmp_path_factory.mktemp("subpath")
    src = copy_site(EXAMPLE, base / "src", base_url=BASE)
    out = base / "out"
    build(src, out)
    served = Served(out, mount="/repo/")
    yield served
    served.close()


def _local(url: str, served: Served) -> str | None:
    """The URL to fetch locally for a link of the site, None for other sites."""
    if url.startswith(BASE):
        return served.url(url[len(BASE) :])
    if url.startswith(served.origin):
        return url
    return None


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_every_link_and_asset_resolves_under_the_sub_path(subpath: Served):
    out = subpath.out
    checked: dict[str, int] = {}
    broken: list[str] = []
    for html_file in sorted(out.rglob("*.html")):
        rel = html_file.relative_to(out).as_posix()
        page_url = subpath.url(rel.removesuffix("index.html"))
        parser = _Refs()
        parser.feed(html_file.read_text("utf-8"))
        for ref in parser.refs:
            if ref.startswith(("#", "mailto:", "tel:", "data:", "javascript:")):
                continue
            local = _local(urljoin(page_url, ref), subpath)
            if local is None:
                continue
            target = local.split("#", 1)[0]
            assert urlsplit(target).path.startswith("/repo/"), (rel, ref)
            if target not in checked:
                checked[target] = _status(target)
            if checked[target] != 200:
                broken.append(f"{rel}: {ref} -> {checked[target]}")
    assert broken == []
    assert len(checked) > 60  # pages, assets, images, cite files, feeds...
    canonical = (out / "index.html").read_text("utf-8")
    assert f'<link rel="canonical" href="{BASE}">' in canonical
    assert re.search(r'hreflang="zh" href="https://user\.github\.io/repo/zh/"', canonical)


def test_pages_load_every_request_under_the_sub_path(subpath: Served, visit):
    for path in ("", "publications/", "zh/", "publications/xu2022contrastive/"):
        v = visit(subpath.url(path))
        bad: list[str] = []
        v.page.on("response", lambda r, bad=bad: bad.append(f"{r.status} {r.url}")
                  if r.status >= 400 else None)
        v.page.reload(wait_until="networkidle")
        assert bad == [] and v.errors == [] and v.outside == [], path
        if path == "":
            v.page.screenshot(path=str(ARTIFACTS / "subpath-home-1280-light.png"))


def test_search_results_resolve_under_the_sub_path(subpath: Served, visit):
    if not (Path(subpath.out) / "pagefind").is_dir():
        pytest.fail("the build wrote no search index (pagefind/)", pytrace=False)
    v = visit(subpath.url("publications/"))
    page = v.page
    box = page.locator(".pub-search input")
    box.wait_for(state="visible", timeout=10000)
    box.fill("Contrastive Pruning")
    first = page.locator(".pub-search a[href]").first
    first.wait_for(state="visible", timeout=10000)
    href = first.get_attribute("href")
    assert href.startswith("/repo/"), href
    first.click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path.startswith("/repo/")
    assert "Contrastive Pruning" in page.locator("h1").inner_text()
    assert v.errors == [] and v.outside == []
