"""URL safety, joining and base-path rewriting."""

from __future__ import annotations

import pytest

from scholarsite.urls import is_safe_url, join_url, prefix_root_urls


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b=c#d",
        "http://example.org",
        "HTTPS://EXAMPLE.ORG",
        "mailto:ada@example.org",
        "tel:+44-20-0000",
        "/publications/",
        "cv.pdf",
        "../img/photo.jpeg",
        "#education",
        "//cdn.example.org/x.js",
        "?page=2",
        "",
        "/a:b",
        "https://example.org/?next=javascript:alert(1)",
    ],
)
def test_safe_urls(url: str) -> None:
    assert is_safe_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "data:image/png;base64,iVBORw0KGgo=",
        "file:///etc/passwd",
        " javascript:alert(1)",
        "\x01javascript:alert(1)",
        "\tjavascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;avascript:alert(1)",
        "&#0000106avascript:alert(1)",
        "javascript&colon;alert(1)",
        "&amp;#106;avascript:alert(1)",
        "%6Aavascript:alert(1)",
        "java%09script:alert(1)",
        "\u00a0javascript:alert(1)",
        "chrome://settings",
    ],
)
def test_unsafe_urls(url: str) -> None:
    assert not is_safe_url(url)


@pytest.mark.parametrize(
    ("base", "path", "expected"),
    [
        ("/", "/cv/", "/cv/"),
        ("/", "cv/", "/cv/"),
        ("", "cv/", "/cv/"),
        ("/repo/", "/cv/", "/repo/cv/"),
        ("/repo", "cv/", "/repo/cv/"),
        ("/repo/", "", "/repo/"),
        (
            "https://u.github.io/repo/",
            "/publications/x/",
            "https://u.github.io/repo/publications/x/",
        ),
        ("/repo/", "https://example.org/", "https://example.org/"),
        ("/repo/", "//cdn.example.org/a", "//cdn.example.org/a"),
        ("/repo/", "#top", "#top"),
        ("/repo/", "mailto:a@b.c", "mailto:a@b.c"),
    ],
)
def test_join_url(base: str, path: str, expected: str) -> None:
    assert join_url(base, path) == expected


def test_prefix_root_urls_rewrites_root_relative_attributes() -> None:
    html = (
        '<a href="/cv/">CV</a> <img src="/img/a.jpg" alt="/not/a/link">'
        "<a href='/pubs/'>P</a> <img src=/img/b.png> "
        '<img srcset="/img/a.jpg 1x, /img/a@2x.jpg 2x, https://x.org/c.jpg 3x">'
    )
    out = prefix_root_urls(html, "/repo/")
    assert '<a href="/repo/cv/">' in out
    assert 'src="/repo/img/a.jpg" alt="/not/a/link"' in out
    assert "<a href='/repo/pubs/'>" in out
    assert "<img src=/repo/img/b.png>" in out
    assert 'srcset="/repo/img/a.jpg 1x, /repo/img/a@2x.jpg 2x, https://x.org/c.jpg 3x"' in out


def test_prefix_root_urls_leaves_other_urls_and_text_alone() -> None:
    html = (
        '<a href="//cdn.example.org/x">a</a><a href="https://e.org/x">b</a>'
        '<a href="rel/x">c</a><a href="#top">d</a><a href="mailto:a@b.c">e</a>'
        '<p title="a > b" data-src="/keep">text href="/x" and src=/y</p>'
        "<pre><code>&lt;a href=&quot;/code&quot;&gt;</code></pre>"
    )
    assert prefix_root_urls(html, "/repo/") == html


def test_prefix_root_urls_handles_gt_in_quoted_attributes_and_case() -> None:
    out = prefix_root_urls('<A TITLE="a > b" HREF="/x">x</A>', "/repo")
    assert out == '<A TITLE="a > b" HREF="/repo/x">x</A>'


@pytest.mark.parametrize("base", ["/", "", "https://u.github.io/", "https://u.github.io"])
def test_prefix_root_urls_is_a_noop_at_the_root(base: str) -> None:
    html = '<a href="/cv/">CV</a>'
    assert prefix_root_urls(html, base) == html


def test_prefix_root_urls_accepts_a_full_base_url() -> None:
    assert prefix_root_urls('<a href="/cv/">', "https://u.github.io/repo/") == (
        '<a href="/repo/cv/">'
    )
