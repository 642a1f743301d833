"""Hostile input: script, attribute breakouts, `</title>`, `]]>`, template syntax, RTL
overrides and NUL in every field of data come out escaped and inert in every output file
(HTML, XML, JSON, text, PDF); so do page bodies under `raw_html: sanitize`. Dangerous link
schemes are refused with an error naming the place; paths leaving the site folder are
refused; non-UTF-8 files are named with an encoding guess."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from scholarsite.build import build
from scholarsite.errors import UserError

from .conftest import MINIMAL_SITE, write_site

#: Everything at once: script, attribute and element breakouts, CDATA end, Jinja syntax,
#: a right-to-left override and a NUL.
PAYLOAD = (
    '<script>alert(1)</script>" onerror="alert(2)" \'</title>]]>'
    "{{7*191}}{%if 1%}PWNED{%endif%}\u202eevil\x00end"
)
#: The same without NUL (a raw NUL byte makes a file unreadable: tested separately).
PAYLOAD_RAW = PAYLOAD.replace("\x00", "")
#: A URL that tries to break out of its attribute (its scheme is fine).
URL = 'https://example.org/?q="onmouseover="alert(3)"<script>alert(4)</script>'
#: A citation key BibTeX allows that is markup.
KEY = "pwn<script>alert`5`</script>'k"


def y(value: str) -> str:
    """A YAML double-quoted scalar (JSON escapes are YAML escapes)."""
    return json.dumps(value)


HOSTILE_SITE = {
    "site.yaml": f"""
        title: {y(PAYLOAD)}
        description: {y(PAYLOAD)}
        footer: {y(PAYLOAD)}
        base_url: https://ada.example.org/
        owner_names: [Ada Lovelace, {y(PAYLOAD)}]
        profile:
          name: {y(PAYLOAD)}
          native_name: {y(PAYLOAD)}
          motto: {y(PAYLOAD)}
          position: {y(PAYLOAD)}
          affiliation: {y(PAYLOAD)}
          affiliation_url: {y(URL)}
          email: {y("ada" + PAYLOAD.replace(" ", "") + "@example.org")}
          notices: [{y(PAYLOAD)}]
          interests: [{y(PAYLOAD)}]
          links: {{github: {y(URL)}, {y(PAYLOAD)}: {y(URL)}}}
    """,
    "data/education.yaml": f"""
        - title: {y(PAYLOAD)}
          org: {y(PAYLOAD)}
          url: {y(URL)}
          role: {y(PAYLOAD)}
          location: {y(PAYLOAD)}
          start: {y(PAYLOAD)}
          end: {y(PAYLOAD)}
          details: [{y(PAYLOAD)}, {y("**" + PAYLOAD + "**")}]
          description: {y(PAYLOAD)}
          note: {y(PAYLOAD)}
          venue: {y(PAYLOAD)}
          event: {y(PAYLOAD)}
          tags: [{y(PAYLOAD)}]
          icon: {y(PAYLOAD)}
          id: {y(PAYLOAD)}
        - {y(PAYLOAD)}
    """,
    "data/awards.yaml": f"""
        - title: {y(PAYLOAD)}
          years: [{y(PAYLOAD)}, "2020"]
    """,
    "data/news.yaml": f"""
        - title: {y(PAYLOAD)}
          date: {y(PAYLOAD)}
          details: [{y(PAYLOAD)}]
    """,
    "content/about.md": f"""
        ---
        title: {y(PAYLOAD)}
        subtitle: {y(PAYLOAD)}
        description: {y(PAYLOAD)}
        author: {y(PAYLOAD)}
        excerpt: {y(PAYLOAD)}
        tags: [{y(PAYLOAD)}]
        categories: [{y(PAYLOAD)}]
        ---
        I am Ada.
    """,
    "content/news/post.md": f"""
        ---
        title: {y(PAYLOAD)}
        date: {y(PAYLOAD)}
        description: {y(PAYLOAD)}
        nav: true
        ---
        A post.
    """,
    "publications.bib": f"""
        @inproceedings{{{KEY},
          title = {{{PAYLOAD_RAW}}},
          author = {{{PAYLOAD_RAW} and Ada Lovelace}},
          booktitle = {{{PAYLOAD_RAW}}},
          note = {{{PAYLOAD_RAW}}},
          abstract = {{{PAYLOAD_RAW}}},
          award = {{{PAYLOAD_RAW}}},
          abbr = {{{PAYLOAD_RAW}}},
          keywords = {{{PAYLOAD_RAW}}},
          publisher = {{{PAYLOAD_RAW}}},
          month = {{{PAYLOAD_RAW}}},
          year = {{2020}},
          url = {{{URL}}},
          links = {{Report{PAYLOAD_RAW.replace("=", "").replace(",", "")} = {URL}}},
          selected = {{true}},
        }}
        @article{{plain,
          title = {{{PAYLOAD_RAW}}},
          author = {{Ada Lovelace}},
          journal = {{{PAYLOAD_RAW}}},
        }}
    """,
}

#: Page bodies under `raw_html: sanitize`: raw HTML that tries every way to run script.
SANITIZED_BODY = f"""
{PAYLOAD_RAW}

<script>alert(1)</script><img src=x onerror="alert(2)"><svg onload=alert(3)><svg>
<a href="javascript:alert(4)">a</a> <a href=" jav&#x09;ascript:alert(5)">b</a>
<iframe src="https://evil.example/"></iframe><object data="x.swf"></object>
<style>body{{display:none}}</style><div style="background:url(javascript:x)">d</div>
<form action="https://evil.example/"><button formaction="javascript:alert(6)">f</button></form>
<math><mtext><script>alert(7)</script></mtext></math><base href="https://evil.example/">
<meta http-equiv="refresh" content="0;url=https://evil.example/">
<a href="data:text/html,&lt;script&gt;alert(8)&lt;/script&gt;">c</a>
<div markdown="1">[x](https://ok.example/){{: onclick="alert(9)"}}</div>
&#x202e;evil &#0; <!-- <script>alert(10)</script> -->
<noscript><p title="</noscript><img src=x onerror=alert(11)>"></noscript>
<title>t</title><textarea></textarea><plaintext>
"""


class _Scan(HTMLParser):
    """What of a page could act: scripts, event attributes, titles, unsafe URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict, str]] = []
        self.events: list[str] = []
        self.titles = 0
        self.bad_urls: list[str] = []
        self._script: dict | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        amap = dict(attrs)
        if tag == "script":
            self._script, self._text = amap, []
        if tag == "title":
            self.titles += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.events.append(f"<{tag} {name}={value!r}>")
            url_attr = name in ("href", "src", "action", "formaction") and value
            if url_attr and re.match(r"\s*(javascript|vbscript|data:text/html)", value, re.I):
                self.bad_urls.append(value)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._text.append(data)


def assert_html_inert(rel: str, text: str) -> None:
    scan = _Scan()
    scan.feed(text)
    scan.close()
    assert scan.events == [], rel
    assert scan.bad_urls == [], rel
    assert scan.titles <= 1, rel
    for attrs, body in scan.scripts:
        if attrs.get("type") == "application/ld+json":  # data: still JSON, no markup in it
            json.loads(body)
            assert "<" not in body, (rel, body)
        else:
            assert "alert" not in body and "alert" not in attrs.get("src", ""), (rel, body)
    assert "<script>alert" not in text, rel


def assert_text_inert(rel: str, text: str, liquid_comments: bool = False) -> None:
    assert "\x00" not in text, rel
    assert "1337" not in text, f"{rel}: template syntax was evaluated"
    for m in re.finditer("PWNED", text if not liquid_comments else ""):
        before = text[max(0, m.start() - 10) : m.start()]
        assert re.search(r"if\s*1", before), f"{rel}: {{% if %}} ran"


def assert_outputs_inert(out: Path, liquid_comments: bool = False) -> int:
    """Check every output file by kind; returns the number of files checked."""
    checked = 0
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        data = path.read_bytes()
        if rel.endswith(".pdf"):
            text = subprocess.run(
                ["pdftotext", "-q", str(path), "-"], capture_output=True, check=True, text=True
            ).stdout
            assert_text_inert(rel, text, liquid_comments)
        elif rel.endswith((".html", ".xml", ".json", ".txt", ".bib", ".ris")):
            text = data.decode("utf-8")
            assert_text_inert(rel, text, liquid_comments)
            if not rel.endswith((".bib", ".ris")):  # exports of the user's own entries
                assert "\u202e" not in text, f"{rel}: RTL override left in"
            if rel.endswith(".html"):
                assert_html_inert(rel, text)
            elif rel.endswith(".xml"):
                root = ET.fromstring(data)  # well-formed: ']]>' and '<' did not break it
                for el in root.iter():
                    if el.get("type") in ("html", "xhtml") and el.text:
                        assert_html_inert(f"{rel} <{el.tag}>", el.text)
            elif rel.endswith(".json"):
                json.loads(text)
        else:
            continue
        checked += 1
    return checked


def test_every_field_comes_out_escaped_and_inert(tmp_path):
    root = write_site(tmp_path / "site", HOSTILE_SITE)
    report = build(root, tmp_path / "out")
    checked = assert_outputs_inert(tmp_path / "out")
    assert checked >= 10
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    # visible as text, not dropped: the escaped payload is on the page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{7*191}}{%if 1%}PWNED{%endif%}" in html
    # each removed control character is reported where it was written
    warned = {d.location.path for d in report.warnings if "U+202E" in d.message}
    assert {"site.yaml", "data/education.yaml", "content/about.md", "publications.bib"} <= warned


def test_sanitized_page_bodies_are_inert(tmp_path):
    files = {
        "site.yaml": "title: T\nraw_html: sanitize\nprofile: {name: Ada}\n",
        "content/about.md": SANITIZED_BODY,
        "content/page.md": "---\ntitle: P\n---\n" + SANITIZED_BODY,
    }
    root = write_site(tmp_path / "site", files)
    with pytest.raises(UserError) as info:  # the javascript: links are named, with lines
        build(root, tmp_path / "out")
    found = {(d.location.path, d.location.line) for d in info.value.diagnostics}
    for rel in ("content/about.md", "content/page.md"):
        written = (root / rel).read_text(encoding="utf-8").split("\n")
        for needle in ("javascript:alert(4)", "data:text/html"):
            line = next(i + 1 for i, text in enumerate(written) if needle in text)
            assert (rel, line) in found, (rel, needle, found)
    refused = ("javascript", "data:text")
    body = "\n".join(ln for ln in SANITIZED_BODY.split("\n") if not any(r in ln for r in refused))
    files["content/about.md"] = body
    files["content/page.md"] = "---\ntitle: P\n---\n" + body
    root = write_site(tmp_path / "site2", files)
    build(root, tmp_path / "out")
    assert assert_outputs_inert(tmp_path / "out") >= 3
    page = (tmp_path / "out" / "page" / "index.html").read_text(encoding="utf-8")
    assert "<iframe" not in page and "<style>body" not in page and "<form" not in page
    assert "evil.example" not in page


# -- dangerous link schemes ------------------------------------------------------------------

BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "&#106;avascript:alert(1)",
    "java%0ascript:alert(1)",
]


def _places(bad: str) -> list[tuple[str, dict[str, str], int]]:
    """(file, site files, line of the bad URL) for each place a link can be written."""
    q = y(bad)
    site = "title: T\nprofile:\n  name: Ada Lovelace\n"
    return [
        ("site.yaml", {"site.yaml": site + f"  links: {{github: {q}}}\n"}, 4),
        ("site.yaml", {"site.yaml": site + f"  affiliation_url: {q}\n"}, 4),
        ("site.yaml", {"site.yaml": site + f"  photo: {q}\n"}, 4),
        ("site.yaml", {"site.yaml": site + f"  motto: {y(f'[x]({bad})')}\n"}, 4),
        ("data/talks.yaml", {"data/talks.yaml": f"- title: T\n  url: {q}\n"}, 2),
        ("data/talks.yaml", {"data/talks.yaml": f"- title: {y(f'[x]({bad})')}\n"}, 1),
        ("data/talks.yaml", {"data/talks.yaml": f"- title: T\n  details: [{y(f'[x]({bad})')}]"}, 2),
        ("content/p.md", {"content/p.md": f"---\ntitle: P\nimage: {q}\n---\nx\n"}, 3),
        ("content/p.md", {"content/p.md": f"---\ntitle: P\n---\ntext\n\n[x]({bad})\n"}, 6),
        ("content/p.md", {"content/p.md": f'---\ntitle: P\n---\n\n<a href="{bad}">x</a>\n'}, 5),
        ("content/p.md", {"content/p.md": f"Text.\n\n[x]: {bad}\n\nSee [x].\n"}, 3),
        ("publications.bib", {"publications.bib": f"@misc{{k,\n title={{T}},\n url={{{bad}}}}}"},
         3),
        ("publications.bib", {"publications.bib": f"@misc{{k,\n title={{T}},\n pdf={{{bad}}}}}"},
         3),
        (
            "publications.bib",
            {"publications.bib": f"@misc{{k,\n title={{T}},\n links={{Video = {bad}}}}}"},
            3,
        ),
        (
            "publications.bib",
            {"publications.bib": f"@misc{{k,\n title={{T}},\n preview={{{bad}}}}}"},
            3,
        ),
        (
            "publications.bib",
            {"publications.bib": f"@misc{{k,\n title={{[x]({bad})}},\n year=2020}}"},
            2,
        ),
        (
            "publications.bib",
            {"publications.bib": f"@misc{{k,\n title={{T}},\n note={{<a href='{bad}'>x</a>}}}}"},
            3,
        ),
    ]  # fmt: skip


@pytest.mark.parametrize("bad", BAD_URLS)
def test_dangerous_links_are_refused_naming_the_place(make_site, tmp_path, bad):
    for i, (rel, files, line) in enumerate(_places(bad)):
        if ("%0a" in bad or "&#" in bad) and rel == "publications.bib" and "links=" in files[rel]:
            continue  # not a URL the links field can hold
        root = write_site(tmp_path / f"s{i}", {**MINIMAL_SITE, **files})
        with pytest.raises(UserError) as info:
            build(root, tmp_path / f"o{i}")
        where = [(d.location.path, d.location.line) for d in info.value.diagnostics]
        assert (rel, line) in where, (bad, rel, files[rel], where)
        assert any("unsafe" in d.message for d in info.value.diagnostics)
        assert not (tmp_path / f"o{i}").exists()


# -- paths leaving the site folder -----------------------------------------------------------


@pytest.mark.parametrize(
    "permalink",
    ["../../outside/", "/a/../../b/", "..", "%2e%2e/x/", "a\\..\\..\\b", "/a/b/../../../x/"],
)
def test_permalinks_that_leave_the_site_are_refused(make_site, tmp_path, permalink):
    root = make_site({"content/p.md": f"---\ntitle: P\npermalink: {y(permalink)}\n---\nx\n"})
    with pytest.raises(UserError) as info:
        build(root, tmp_path / "out")
    (d,) = [d for d in info.value.diagnostics if "permalink" in d.message]
    assert (d.location.path, d.location.line) == ("content/p.md", 3)
    assert not (tmp_path / "outside").exists()


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the site with a secret file and an image in it."""
    from PIL import Image

    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text("TOP SECRET")
    Image.new("RGB", (40, 30), "red").save(folder / "me.png")
    return folder


@pytest.mark.parametrize(
    ("rel", "text", "line"),
    [
        ("site.yaml", "  photo: ../../outside/me.png\n", 4),
        ("site.yaml", "  photo: /../../outside/me.png\n", 4),
        ("site.yaml", "  photo: img/../../../outside/me.png\n", 4),
        ("publications.bib", "@misc{k,\n title={T},\n preview={../../outside/me.png}}\n", 1),
    ],
)
def test_static_paths_that_leave_the_site_are_refused(
    make_site, tmp_path, outside, rel, text, line
):
    files = {"site.yaml": "title: T\nprofile:\n  name: Ada Lovelace\n"}
    files[rel] = files.get(rel, "") + text
    root = make_site(files, minimal=False)
    with pytest.raises(UserError) as info:
        build(root, tmp_path / "out")
    where = [(d.location.path, d.location.line) for d in info.value.diagnostics]
    assert (rel, line) in where, where
    assert not (tmp_path / "out").exists()


def test_static_symlinks_that_leave_the_site_are_refused(make_site, tmp_path, outside):
    root = make_site({"static/ok.txt": "ok"})
    (root / "static" / "docs").mkdir()
    os.symlink(outside / "secret.txt", root / "static" / "docs" / "secret.txt")
    os.symlink(root / "static" / "ok.txt", root / "static" / "inside.txt")  # stays inside
    with pytest.raises(UserError) as info:
        build(root, tmp_path / "out")
    (d,) = info.value.diagnostics
    assert d.location.path == "static/docs/secret.txt" and "outside the site" in d.message
    os.unlink(root / "static" / "docs" / "secret.txt")
    build(root, tmp_path / "out")
    assert (tmp_path / "out" / "inside.txt").read_text() == "ok"
    assert not any("SECRET" in p.read_text("utf-8", "replace") for p in _files(tmp_path / "out"))


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_site_folder_symlinked_elsewhere_still_builds(tmp_path):
    real = write_site(tmp_path / "real", {"site.yaml": "title: T\n", "static/a.txt": "a"})
    link = tmp_path / "link"
    os.symlink(real, link)
    build(link, tmp_path / "out")
    assert (tmp_path / "out" / "a.txt").read_text() == "a"


# -- files that are not UTF-8 -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding", "guess"),
    [
        ("Jörg Müller, café", "cp1252", "cp1252"),
        ("Ça va, naïve façade", "latin-1", "cp1252"),
        ("中文简历，教育经历", "gbk", "gb18030"),
        ("日本語の履歴書です", "shift_jis", "shift_jis"),
        ("Привет, как дела", "cp1251", "cp1251"),
        ("Müller", "utf-16", "utf-16"),
        ("Müller", "utf-16-le", "utf-16"),
    ],
)
@pytest.mark.parametrize(
    ("rel", "template"),
    [
        ("site.yaml", "title: T\nprofile:\n  name: {}\n"),
        ("data/awards.yaml", "- title: A\n- title: {}\n"),
        ("content/about.md", "---\ntitle: About\n---\nI am {}.\n"),
        ("publications.bib", "@misc{{k,\n title = {{{}}},\n}}\n"),
    ],
)
def test_non_utf8_files_are_named_with_an_encoding_guess(
    make_site, tmp_path, rel, template, text, encoding, guess
):
    files: dict[str, str | bytes] = {rel: template.format(text).encode(encoding)}
    root = make_site(files)
    with pytest.raises(UserError) as info:
        build(root, tmp_path / "out")
    (d,) = info.value.diagnostics
    assert d.location.path == rel and d.location.line >= 1
    assert "not UTF-8" in d.message and guess in d.message, str(d)
    if not encoding.startswith("utf-16"):  # the line of the first non-UTF-8 byte
        assert d.location.line == template.split("{}")[0].count("\n") + 1


def test_nul_bytes_in_a_file_are_named(make_site, tmp_path):
    root = make_site({"data/awards.yaml": b"- title: A\n- title: B\x00C\n"})
    with pytest.raises(UserError) as info:
        build(root, tmp_path / "out")
    (d,) = info.value.diagnostics
    assert (d.location.path, d.location.line) == ("data/awards.yaml", 2)
    assert "NUL" in d.message


def test_pdftotext_is_there_for_the_pdf_checks():
    assert shutil.which("pdftotext"), "install poppler-utils (.ci/run does)"


# -- sizes -----------------------------------------------------------------------------------


def test_3000_authors_are_shortened_on_list_pages_and_complete_on_the_landing_page(
    make_site, tmp_path
):
    from scholarsite.views import LIST_AUTHOR_LIMIT

    names = [f"Lastname{i:04d}, First{i}" for i in range(3000)]
    names[1500] = "Lovelace, Ada"
    root = make_site(
        {
            "publications.bib": "@article{big,\n  title = {Big},\n  journal = {J},\n"
            f"  year = 2024,\n  author = {{{' and '.join(names)}}},\n}}\n"
        }
    )
    build(root, tmp_path / "out", search=False)
    landing = (tmp_path / "out" / "publications" / "big" / "index.html").read_text("utf-8")
    assert len(set(re.findall(r"Lastname\d{4}", landing))) == 2999
    assert '<strong class="owner">Ada Lovelace</strong>' in landing
    for page in ("publications/index.html", "index.html"):
        html = (tmp_path / "out" / page).read_text("utf-8")
        item = html[html.index('id="big"') :]
        item = item[: item.index("</li>")]
        shown = re.findall(r"Lastname\d{4}", item)
        assert shown == [f"Lastname{i:04d}" for i in range(LIST_AUTHOR_LIMIT - 1)], page
        assert '<strong class="owner">Ada Lovelace</strong>' in item, page
        assert f"and {3000 - LIST_AUTHOR_LIMIT} more" in item, page


# -- importer and sync input -------------------------------------------------------------------

#: Hostile data as an importer meets it (no NUL: importers read text files).
IMP = PAYLOAD_RAW


def _imported_site_is_inert(into: Path, out: Path) -> None:
    """The imported site builds, its outputs are inert, no unsafe link was carried over.

    Imported page bodies are the owner's Markdown with raw HTML (passed through, as the old
    site did), so they are built with `raw_html: sanitize` here; every field is escaped in
    any mode. Liquid tags in imported bodies become HTML comments (`{% if %}` was the old
    site's template code), so text between them shows: `{{7*191}}` must stay unevaluated."""
    for path in _files(into):
        if path.suffix in (".yaml", ".md", ".bib"):
            text = path.read_text(encoding="utf-8")
            assert "javascript:" not in text.lower(), path
    with (into / "site.yaml").open("a", encoding="utf-8") as fh:
        fh.write("\nraw_html: sanitize\n")
    build(into, out, search=False)
    assert assert_outputs_inert(out, liquid_comments=True) >= 3


def test_jekyll_import_of_hostile_page(tmp_path):
    from scholarsite.importers.jekyll import import_jekyll

    page = write_site(
        tmp_path / "jekyll",
        {
            "about.md": f"""
                ---
                title: {y(IMP)}
                permalink: /about/
                ---
                I am Ada. {IMP} [bad](javascript:alert(1))

                ## Education
                - **{IMP}**, University of London, 1840 - 1842
                - [Evil school](javascript:alert(2)), 1838

                ## Publications
                - **Ada Lovelace**, Charles Babbage. {IMP}. *Scientific Memoirs*, 1843.
                  [[PDF]](javascript:alert(3)) [[code]](https://example.org/code)

                ## Honors and Awards
                - {IMP}, 1850
            """
        },
    )
    into = tmp_path / "site"
    report = import_jekyll(page / "about.md", into)
    doubts = [f"{d.source} {d.what}" for d in report.doubtful]
    assert any("unsafe link" in d for d in doubts), doubts
    _imported_site_is_inert(into, tmp_path / "out")


def test_academicpages_import_of_hostile_site(tmp_path):
    from scholarsite.importers.academicpages import import_academicpages

    source = write_site(
        tmp_path / "ap",
        {
            "_config.yml": f"""
                title: {y(IMP)}
                url: https://ada.github.io
                author:
                  name: {y(IMP)}
                  bio: {y(IMP)}
                  employer: {y(IMP)}
                  email: ada@example.org
                  uri: "javascript:alert(1)"
            """,
            "_pages/about.md": f"---\ntitle: {y(IMP)}\n---\n{IMP}\n",
            "_publications/2020-01-01-evil.md": f"""
                ---
                title: {y(IMP)}
                collection: publications
                date: 2020-01-01
                venue: {y(IMP)}
                paperurl: "javascript:alert(2)"
                slidesurl: "vbscript:msgbox(1)"
                citation: {y("Lovelace, A. (2020). " + IMP)}
                ---
                {IMP}
            """,
            "_talks/2020-talk.md": f"""
                ---
                title: {y(IMP)}
                collection: talks
                type: Talk
                venue: {y(IMP)}
                date: 2020-02-02
                location: {y(IMP)}
                talk_url: "data:text/html,<script>alert(3)</script>"
                ---
                {IMP}
            """,
        },
    )
    into = tmp_path / "site"
    import_academicpages(source, into)
    _imported_site_is_inert(into, tmp_path / "out")


def test_hugo_import_of_hostile_bundle(tmp_path):
    from scholarsite.importers.hugo import import_hugo

    source = write_site(
        tmp_path / "hugo",
        {
            "content/publication/evil/index.md": f"""
                ---
                title: {y(IMP)}
                authors: [admin, {y(IMP)}]
                date: "2021-01-01"
                publication: {y(IMP)}
                abstract: {y(IMP)}
                url_pdf: "javascript:alert(1)"
                url_code: "https://example.org/code"
                links:
                  - name: {y(IMP)}
                    url: "vbscript:msgbox(1)"
                ---
                {IMP}
            """,
            "content/authors/admin/_index.md": f"""
                ---
                title: {y(IMP)}
                role: {y(IMP)}
                bio: {y(IMP)}
                ---
                {IMP}
            """,
        },
    )
    into = tmp_path / "site"
    import_hugo(source, into)
    _imported_site_is_inert(into, tmp_path / "out")


def test_bibtex_import_of_hostile_entries(tmp_path):
    from scholarsite.importers.bibtex import import_bibtex

    bib = tmp_path / "scholar.bib"
    bib.write_text(
        f"@article{{{KEY},\n  title = {{{IMP}}},\n  author = {{{IMP} and Lovelace, Ada}},\n"
        f"  journal = {{{IMP}}},\n  year = {{2020}},\n  url = {{javascript:alert(1)}},\n"
        f"  note = {{[x](javascript:alert(2))}},\n}}\n",
        encoding="utf-8",
    )
    into = write_site(tmp_path / "site", MINIMAL_SITE)
    import_bibtex(bib, into)
    _imported_site_is_inert(into, tmp_path / "out")


def test_synced_records_are_escaped_and_inert(tmp_path):
    from scholarsite.sync.apply import apply_entries
    from scholarsite.sync.crossref import entry_from_work

    work = {
        "DOI": "10.1000/evil",
        "type": "journal-article",
        "title": [IMP],
        "container-title": [IMP],
        "author": [{"given": IMP, "family": "Evil"}, {"given": "Ada", "family": "Lovelace"}],
        "issued": {"date-parts": [[2022, 5]]},
        "abstract": f"<jats:p>{IMP}</jats:p>",
        "URL": "javascript:alert(1)",
        "link": [{"URL": "javascript:alert(2)", "content-type": "application/pdf"}],
    }
    into = write_site(tmp_path / "site", MINIMAL_SITE)
    apply_entries(into, "doi", [entry_from_work(work)])
    _imported_site_is_inert(into, tmp_path / "out")


# -- import targets leaving the folders --------------------------------------------------------


def _outside_untouched(tmp_path: Path, outside: Path, into: Path) -> None:
    """Nothing was written outside `into`, and no secret came into it."""
    for path in _files(into):
        assert b"TOP SECRET" not in path.read_bytes(), path
        assert not path.is_symlink(), path
    assert sorted(p.name for p in outside.iterdir()) == ["me.png", "secret.txt"]
    strays = [p for p in _files(tmp_path) if into not in p.parents and outside not in p.parents]
    return strays


@pytest.mark.parametrize(
    "photo",
    [
        "../outside/secret.txt",
        "/../outside/secret.txt",
        "img/../../outside/secret.txt",
        "%2e%2e/outside/secret.txt",
        "{outside}/secret.txt",
    ],
)
def test_jekyll_import_never_copies_files_from_outside_the_site(tmp_path, outside, photo):
    from scholarsite.importers.jekyll import import_jekyll

    source = tmp_path / "jekyll"
    before = {p for p in _files(tmp_path)}
    write_site(
        source,
        {"about.md": f'<img src="{photo.format(outside=outside)}">\n\nI am Ada.\n'},
    )
    into = tmp_path / "site"
    import_jekyll(source / "about.md", into)
    _outside_untouched(tmp_path, outside, into)
    new = {p for p in _files(tmp_path)} - before
    assert all(source in p.parents or into in p.parents for p in new), new


def test_symlinked_files_leading_out_of_an_imported_site_are_not_copied(tmp_path, outside):
    from scholarsite.importers.academicpages import import_academicpages
    from scholarsite.importers.hugo import import_hugo
    from scholarsite.importers.jekyll import import_jekyll

    jekyll = write_site(tmp_path / "jekyll", {"about.md": '<img src="/img/me.png">\n\nHi.\n'})
    (jekyll / "img").mkdir()
    os.symlink(outside / "secret.txt", jekyll / "img" / "me.png")
    import_jekyll(jekyll / "about.md", tmp_path / "s1")
    _outside_untouched(tmp_path, outside, tmp_path / "s1")

    ap = write_site(
        tmp_path / "ap",
        {
            "_config.yml": "author:\n  name: Ada\n  avatar: me.png\n",
            "_pages/about.md": "Hi [paper](/files/paper.pdf).\n",
        },
    )
    (ap / "images").mkdir()
    (ap / "files").mkdir()
    os.symlink(outside / "secret.txt", ap / "images" / "me.png")
    os.symlink(outside / "secret.txt", ap / "files" / "paper.pdf")
    import_academicpages(ap, tmp_path / "s2")
    _outside_untouched(tmp_path, outside, tmp_path / "s2")

    hugo = write_site(
        tmp_path / "hugo",
        {"content/publication/p/index.md": "---\ntitle: P\nauthors: [admin]\n---\n"},
    )
    os.symlink(outside / "secret.txt", hugo / "content" / "publication" / "p" / "featured.png")
    (hugo / "content" / "authors" / "admin").mkdir(parents=True)
    (hugo / "content" / "authors" / "admin" / "_index.md").write_text("---\ntitle: Ada\n---\n")
    os.symlink(outside / "secret.txt", hugo / "content" / "authors" / "admin" / "avatar.png")
    import_hugo(hugo, tmp_path / "s3")
    _outside_untouched(tmp_path, outside, tmp_path / "s3")
