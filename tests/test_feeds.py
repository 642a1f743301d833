"""The Atom feed (well-formed, valid by RFC 4287's rules), sitemap.xml, robots.txt, 404."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from lxml import etree

from scholarsite.build import build
from scholarsite.errors import UserError
from scholarsite.outputs.feeds import parse_date

from .conftest import EXAMPLE

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
FEED_CHILDREN = {
    "author", "category", "contributor", "generator", "icon", "id", "link", "logo", "rights",
    "subtitle", "title", "updated", "entry",
}  # fmt: skip
ENTRY_CHILDREN = {
    "author", "category", "content", "contributor", "id", "link", "published", "rights",
    "source", "summary", "title", "updated",
}  # fmt: skip


def check_atom(data: bytes) -> etree._Element:
    """Parse (well-formedness) and check the rules of RFC 4287 that a feed can break."""
    root = etree.fromstring(data)
    assert root.tag == A + "feed"

    def one(parent, name):
        found = parent.findall(A + name)
        assert len(found) == 1, f"{parent.tag} needs exactly one atom:{name}"
        return found[0]

    def check_children(parent, allowed):
        for child in parent:
            if child.tag.startswith(A):
                assert child.tag[len(A) :] in allowed, f"atom:{child.tag} not allowed here"

    def check_person(person):
        assert len(person.findall(A + "name")) == 1, "a person construct needs one name"

    def check_links(parent):
        alternates = set()
        for link in parent.findall(A + "link"):
            assert link.get("href"), "atom:link needs href"
            if link.get("rel", "alternate") == "alternate":
                key = (link.get("type"), link.get("hreflang"))
                assert key not in alternates, "two alternate links of one type and language"
                alternates.add(key)
        return alternates

    check_children(root, FEED_CHILDREN)
    assert IRI.match(one(root, "id").text)
    assert one(root, "title").text
    assert RFC3339.match(one(root, "updated").text)
    check_links(root)
    assert any(link.get("rel") == "self" for link in root.findall(A + "link"))
    feed_authors = root.findall(A + "author")
    for person in feed_authors:
        check_person(person)
    entries = root.findall(A + "entry")
    for entry in entries:
        check_children(entry, ENTRY_CHILDREN)
        assert IRI.match(one(entry, "id").text)
        assert one(entry, "title").text
        assert RFC3339.match(one(entry, "updated").text)
        alternates = check_links(entry)
        contents = entry.findall(A + "content")
        assert len(contents) <= 1
        if not contents:
            assert alternates, "an entry without content needs an alternate link"
        for content in contents:
            assert content.get("type", "text") in ("text", "html", "xhtml")
        assert feed_authors or entry.findall(A + "author"), "every entry needs an author"
    ids = [one(e, "id").text for e in entries]
    assert len(set(ids)) == len(ids), "entry ids must be unique"
    return root


NEWS_SITE = {
    "site.yaml": """
        title: Ada Lovelace
        base_url: https://ada.example.org/notes/
        profile: {name: Ada Lovelace}
    """,
    "content/news/engine.md": """
        ---
        title: On the <Engine> & its notes
        date: 2024-05-03
        ---
        See [my notes](/publications/) and **this**.
    """,
    "content/news/old.md": """
        ---
        title: An old post
        date: 2023-01-02 10:30
        ---
        Old.
    """,
    "data/news.yaml": """
        - date: 2024-06
          title: "Gave a talk at [the Royal Society](https://royalsociety.org/)."
        - date: May 1, 2024
          title: A dated item, written the long way
        - date: sometime
          title: An item without a usable date
    """,
}


def test_atom_feed_is_valid_and_newest_first(build_site):
    read = build_site(NEWS_SITE, search=False)
    data = (read.out / "atom.xml").read_bytes()
    root = check_atom(data)
    titles = [e.findtext(A + "title") for e in root.findall(A + "entry")]
    assert titles == [
        "Gave a talk at the Royal Society.",
        "On the <Engine> & its notes",
        "A dated item, written the long way",
        "An old post",
    ]
    assert root.findtext(A + "updated") == "2024-06-01T00:00:00Z"
    post = root.findall(A + "entry")[1]
    assert post.findtext(A + "id") == "https://ada.example.org/notes/news/engine/"
    assert post.find(A + "link").get("href") == "https://ada.example.org/notes/news/engine/"
    content = post.findtext(A + "content")
    assert '<a href="/notes/publications/">my notes</a>' in content  # under base_url's path
    assert "<strong>this</strong>" in content
    self_link = [link for link in root.findall(A + "link") if link.get("rel") == "self"]
    assert self_link[0].get("href") == "https://ada.example.org/notes/atom.xml"
    warnings = [str(w) for w in read.report.warnings]
    assert any(
        w.startswith("data/news.yaml:5:3") and "'sometime' is not a date" in w for w in warnings
    ), warnings


def _with(line: str) -> str:
    """NEWS_SITE's site.yaml with one more setting (on line 3)."""
    return NEWS_SITE["site.yaml"].replace("profile:", f"{line}\n        profile:")


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        ("2", ["Gave a talk at the Royal Society.", "On the <Engine> & its notes"]),
        ("0", None),  # all four
    ],
)
def test_feed_limit_keeps_the_newest(build_site, limit, expected):
    read = build_site(
        {**NEWS_SITE, "site.yaml": _with(f"feed_limit: {limit}")},
        search=False,
    )
    root = check_atom((read.out / "atom.xml").read_bytes())
    titles = [e.findtext(A + "title") for e in root.findall(A + "entry")]
    assert titles == (expected or [
        "Gave a talk at the Royal Society.",
        "On the <Engine> & its notes",
        "A dated item, written the long way",
        "An old post",
    ])  # fmt: skip
    # the left-out and the undated items are still checked
    assert any("'sometime' is not a date" in str(w) for w in read.report.warnings)


def test_feed_limit_must_be_a_count(build_site):
    with pytest.raises(UserError) as err:
        build_site({**NEWS_SITE, "site.yaml": _with("feed_limit: many")})
    assert "site.yaml:3:1: error: 'feed_limit' must be a whole number" in str(err.value)


def test_atom_feed_is_the_same_bytes_every_build(build_site, tmp_path):
    read = build_site(NEWS_SITE, search=False)
    first = (read.out / "atom.xml").read_bytes()
    build(read.out.parent / "site", tmp_path / "again", search=False, clean=True)
    assert (tmp_path / "again" / "atom.xml").read_bytes() == first


def test_example_feed(tmp_path):
    build(EXAMPLE, tmp_path / "out", search=False)
    root = check_atom((tmp_path / "out" / "atom.xml").read_bytes())
    entries = root.findall(A + "entry")
    assert [e.findtext(A + "updated")[:10] for e in entries] == [
        "2022-07-10", "2021-12-01", "2021-03-01", "2020-09-01",
    ]  # fmt: skip
    # base_url has a host: ids and links are the absolute URLs of the posts.
    post = "https://runxinxu.github.io/news/naacl-2022/"
    assert entries[0].findtext(A + "id") == post
    assert entries[0].find(A + "link").get("href") == post


def test_no_news_no_feed(build_site):
    read = build_site({}, search=False)
    assert not (read.out / "atom.xml").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01", "2024-05-01T00:00:00Z"),
        ("2024-05", "2024-05-01T00:00:00Z"),
        ("2024", "2024-01-01T00:00:00Z"),
        ("2024-05-01 10:30", "2024-05-01T10:30:00Z"),
        ("2024-05-01T10:30:05+0800", "2024-05-01T10:30:05+08:00"),
        ("May 2024", "2024-05-01T00:00:00Z"),
        ("Sep. 2020", "2020-09-01T00:00:00Z"),
        ("1 May 2024", "2024-05-01T00:00:00Z"),
        ("May 3, 2024", "2024-05-03T00:00:00Z"),
        ("2024-02-30", ""),
        ("Now", ""),
        ("", ""),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_sitemap_and_robots_under_a_base_path(build_site):
    read = build_site(
        {
            "site.yaml": """
                title: Ada
                base_url: https://u.github.io/repo/
                languages: [en, de]
                profile: {name: Ada Lovelace}
            """,
            "content/teaching.md": "---\ntitle: Teaching\n---\nCourses.\n",
            "publications.bib": "@article{a1, title={One}, author={Lovelace, Ada}, year=2020}",
        },
        search=False,
    )
    root = etree.fromstring((read.out / "sitemap.xml").read_bytes())
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    assert root.tag == ns + "urlset"
    locs = [u.findtext(ns + "loc") for u in root.findall(ns + "url")]
    assert len(locs) == len(set(locs))
    for expected in ("", "publications/", "publications/a1/", "cv/", "teaching/", "de/",
                     "de/publications/a1/"):  # fmt: skip
        assert f"https://u.github.io/repo/{expected}" in locs
    assert all(urlsplit(u).path.startswith("/repo/") for u in locs)
    assert not any("404" in u for u in locs)
    # every sitemap URL is a page that was built
    for loc in locs:
        rel = urlsplit(loc).path.removeprefix("/repo/")
        assert (read.out / rel / "index.html").is_file(), loc
    robots = (read.out / "robots.txt").read_text("utf-8")
    assert robots.startswith("User-agent: *\n")
    assert "Sitemap: https://u.github.io/repo/sitemap.xml\n" in robots
    html = (read.out / "publications" / "a1" / "index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://u.github.io/repo/publications/a1/">' in html
    assert (read.out / "404.html").is_file()


def test_no_host_no_sitemap(build_site):
    read = build_site(
        {"site.yaml": "title: Ada\nbase_url: /\nprofile: {name: Ada}\n"}, search=False
    )
    assert not (read.out / "sitemap.xml").exists()
    assert "Sitemap:" not in (read.out / "robots.txt").read_text("utf-8")
    assert read.report.warnings == []
