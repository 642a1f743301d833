"""Property tests: every reader (YAML data, site.yaml, front matter, Markdown, BibTeX, bytes
of any encoding), the whole read pipeline and the dev server's path handling, fed arbitrary
and mutated input. The only outcomes allowed: a result, or diagnostics / a UserError whose
every diagnostic names the file and a line inside it. Never another exception, never a hang
(each example runs under a time limit).

Example counts come from the hypothesis profile (tests/conftest.py): 300 per test in CI
("ci", CI=true), 100 locally ("dev"), 3,000 with HYPOTHESIS_PROFILE=soak. Failing cases
found are kept as plain tests in tests/test_regressions.py.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scholarsite.errors import Diagnostic, Diagnostics, UserError
from scholarsite.markdown import inline_text, link_targets, render_inline, render_page, unsafe_urls
from scholarsite.parse import decode_text
from scholarsite.readers.bibtex import parse_bibtex
from scholarsite.readers.config import read_config
from scholarsite.readers.data import read_section
from scholarsite.readers.pages import read_page
from scholarsite.readers.publications import to_publication
from scholarsite.urls import is_safe_url

from .conftest import EXAMPLE, SEED

#: Seconds one example may take before it counts as a hang.
TIME_LIMIT = 10.0
#: Whole-pipeline properties write a site folder per example: a third of the examples.
PIPELINE = settings(max_examples=max(10, settings().max_examples // 3))


class Hang(BaseException):
    """An example ran past TIME_LIMIT (a BaseException: `except Exception` can't eat it)."""


@contextmanager
def time_limit(seconds: float = TIME_LIMIT) -> Iterator[None]:
    def on_alarm(signum, frame):
        raise Hang(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")


def assert_located(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...], path: str, text: str):
    """Every diagnostic names `path` and a line of `text` (YAML counts \\r, NEL, LS, PS as
    line breaks too, so the bound allows for them)."""
    last = len(_LINE_BREAKS.split(text)) + 1
    for d in diagnostics:
        assert d.location.path == path, str(d)
        assert 1 <= d.location.line <= last, str(d)
        assert d.severity in ("error", "warning"), str(d)
        assert d.message.strip(), str(d)


def run_reader(call: Callable[[Diagnostics], object], path: str, text: str) -> object:
    """Call a reader; only a result or located diagnostics may come out."""
    diags = Diagnostics()
    try:
        with time_limit():
            result = call(diags)
    except UserError as exc:
        assert_located(exc.diagnostics, path, text)
        return None
    assert_located(diags.items, path, text)
    return result


# -- inputs --------------------------------------------------------------------------------


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def _dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


SEED_CONFIGS = [
    _read(EXAMPLE / "site.yaml"),
    _dedent("""
        title: {en: Ada, zh: 阿达}
        base_url: https://u.github.io/repo/
        languages: [en, zh]
        raw_html: sanitize
        owner_names: [Ada Lovelace, "Lovelace, A."]
        theme_options: {accent: "#123456"}
        profile:
          name: Ada Lovelace
          links: {github: "https://github.com/ada", orcid: https://orcid.org/0000}
          notices: ["**Hiring!** [apply](mailto:ada@example.org)"]
    """),
]
SEED_DATA = [_read(p) for p in sorted((EXAMPLE / "data").glob("*.yaml"))] + [
    _dedent("""
        - org: "[Peking University](https://pku.edu.cn)"
          title: M.S. in *Computer Science*
          start: Sep. 2020
          end: Jun. 2023 (expected)
          years: [2019, 2020]
          details:
            - "GPA: 3.8/4.0, rank <b>1</b>"
            - {en: English, zh: 中文}
        - Best Paper Award &amp; more
        - &anchor {title: x, url: /files/cv.pdf}
        - *anchor
        - <<: *anchor
          note: merged
    """)
]
SEED_PAGES = [
    _read(SEED),
    _dedent("""
        ---
        title: "Post: *one*"
        date: 2023-05-01
        permalink: /news/one/
        tags: [a, b]
        published: true
        lang: en
        ---
        # Heading {#custom}

        Text with **bold**<sup>*</sup>, a [link](https://x.org){:target="_blank"} and $$x^2$$.

        <div align=center markdown="1">*inside*</div>

        | a | b |
        |---|---|
        | 1 | 2 |

        [^1]: a footnote
    """),
]
SEED_BIBS = [
    _read(EXAMPLE / "publications.bib"),
    _dedent(r"""
        @string{acl = "Proceedings of " # "ACL"}
        @inproceedings{Xu:2022/ACL-Short,
          author = {Xu, Runxin* and M{\"u}ller, J{\"o}rg and {Research Team Foo} and others},
          author+an = {1=equal; 2=corresponding},
          title = {S$^4$-Tuning: {\LaTeX} \textsuperscript{4} and \emph{more}},
          booktitle = acl,
          year = 2022, month = jun,
          links = {Report = https://x.org/r, Youtube = https://youtu.be/x},
          doi = {https://doi.org/10.1000/x}, eprint = {2201.00001}, archiveprefix = {arXiv},
        }
        @comment{ not an entry }
        @misc(noyear, title = "Quoted \"title\"", note = {Win the first place})
    """),
]

#: Pieces that break parsers: syntax of each format, markup, odd Unicode, control bytes.
NASTY = [
    "\n", "\n\n", "\t", " ", "  ", "{", "}", "[", "]", "(", ")", ":", ": ", "- ", "? ", "#",
    "&a ", "*a", "!!python/object/apply:os.system ['x']", "!!binary", "'", '"', "\\", "\\\\",
    "%", "@", "@article{", ",", "=", "<", ">", "`", "```", "$", "$$", "^", "~", "|", "---\n",
    "...\n", "<script>alert(1)</script>", "<!--", "-->", "]]>", "{{ x }}", "{% if %}",
    "\u202e", "\x00", "\x01", "\x1b", "\x7f", "\ufeff", "\r", "\r\n", "\x85", "\u2028",
    "\U0001f600", "é", "e\u0301", "𝔘", "中文", "\ufffd", "<<: *a", "&#106;avascript:",
    "javascript:alert(1)", "[x](javascript:alert(1))", "{:.cls}", "\\url{", "#", "author+an",
    "9" * 30, "-" * 5, "\\" + "{" * 3,
]  # fmt: skip


@st.composite
def mutated(draw, seeds: list[str]) -> str:
    """A seed file with a few random edits: insert, delete, replace, duplicate, swap lines,
    truncate, re-indent."""
    text = draw(st.sampled_from([s for s in seeds if s] or [""]))
    piece = st.one_of(st.sampled_from(NASTY), st.text(max_size=8))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "dup", "swap", "cut", "indent"]))
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 40)))
        if op == "insert":
            text = text[:i] + draw(piece) + text[i:]
        elif op == "delete":
            text = text[:i] + text[j:]
        elif op == "replace":
            text = text[:i] + draw(piece) + text[j:]
        elif op == "dup":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "cut":
            text = text[:i]
        else:
            lines = text.split("\n")
            k = draw(st.integers(0, max(0, len(lines) - 1)))
            if op == "swap" and len(lines) > 1:
                m = draw(st.integers(0, len(lines) - 1))
                lines[k], lines[m] = lines[m], lines[k]
            elif op == "indent":
                lines[k] = draw(st.sampled_from([" ", "  ", "\t", "    - "])) + lines[k]
            text = "\n".join(lines)
    return text


def inputs(seeds: list[str]) -> st.SearchStrategy[str]:
    """Arbitrary text, text made of format syntax, and mutated seed files."""
    return st.one_of(
        st.text(max_size=300),
        st.lists(st.sampled_from(NASTY), max_size=40).map("".join),
        mutated(seeds),
    )


# -- readers ---------------------------------------------------------------------------------


@given(inputs(SEED_CONFIGS))
def test_site_yaml_reader(text):
    run_reader(lambda d: read_config(text, "site.yaml", d), "site.yaml", text)


@given(inputs(SEED_DATA), st.sampled_from(["education", "news", "talks", "x"]))
def test_data_list_reader(text, name):
    path = f"data/{name}.yaml"
    result = run_reader(lambda d: read_section(name, text, path, d), path, text)
    assert isinstance(result, tuple)


@given(inputs(SEED_PAGES), st.sampled_from(["about.md", "news/one.md", "a/b.zh.md"]))
def test_page_reader_front_matter(text, rel):
    path = f"content/{rel}"
    run_reader(lambda d: read_page(text, path, rel, d, ("en", "zh")), path, text)


@given(
    st.one_of(inputs(SEED_CONFIGS + SEED_DATA), st.text(max_size=200)),
    st.sampled_from(["", "title: T\n", "title: [unclosed\n"]),
)
def test_front_matter_with_any_yaml(front, before):
    text = f"---\n{before}{front}\n---\nBody [link](/x/)\n"
    run_reader(lambda d: read_page(text, "content/p.md", "p.md", d, ("en",)), "content/p.md", text)


@given(inputs(SEED_BIBS))
def test_bibtex_reader_and_publications(text):
    with time_limit():
        entries, problems = parse_bibtex(text, "publications.bib")
    assert_located(problems, "publications.bib", text)
    for raw in entries:
        assert raw.location.path == "publications.bib"
        run_reader(lambda d, raw=raw: to_publication(raw, d), "publications.bib", text)


@given(st.binary(max_size=300))
def test_any_bytes_decode_or_name_the_file(data):
    diags = Diagnostics()
    with time_limit():
        text = decode_text(data, "data/x.yaml", diags)
    if text is None:
        assert len(diags.items) == 1
        d = diags.items[0]
        assert d.location.path == "data/x.yaml" and d.location.line >= 1
        assert "UTF-8" in d.message or "NUL" in d.message
    else:
        assert diags.items == [] and "\x00" not in text


# -- Markdown ----------------------------------------------------------------------------------

_TAGS = ["script", "img", "a", "svg", "math", "style", "iframe", "div", "sup", "font", "p",
         "object", "embed", "form", "base", "meta", "link", "template", "noscript", "xmp",
         "textarea", "title", "details", "video", "source", "picture", "table", "td"]  # fmt: skip
_ATTRS = ["onerror", "onclick", "ONload", "href", "src", "style", "srcset", "formaction",
          "action", "xlink:href", "data", "poster", "background", "class", "id", "markdown",
          "target", "align", "color"]  # fmt: skip
_VALUES = ["javascript:alert(1)", "jav&#x09;ascript:alert(1)", " javascript:x", "JaVaScRiPt:x",
           "vbscript:msgbox", "data:text/html,<script>x</script>", "&#106;avascript:x",
           "java\nscript:x", "%6Aavascript:x", "https://ok.org/", "/ok/", "x", "1",
           "alert(1)", "\" onerror=\"alert(1)", "expression(alert(1))"]  # fmt: skip


@st.composite
def html_soup(draw) -> str:
    """Markdown mixed with tags and attributes that try to run script."""
    parts = []
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.integers(0, 5))
        if kind == 0:
            tag, attrs = draw(st.sampled_from(_TAGS)), []
            for _ in range(draw(st.integers(0, 3))):
                name, value = draw(st.sampled_from(_ATTRS)), draw(st.sampled_from(_VALUES))
                quote_ = draw(st.sampled_from(['"', "'", ""]))
                attrs.append(f"{name}={quote_}{value}{quote_}")
            end = draw(st.sampled_from([">", "/>", " >", ""]))
            parts.append(f"<{tag} {' '.join(attrs)}{end}")
        elif kind == 1:
            parts.append(f"</{draw(st.sampled_from(_TAGS))}>")
        elif kind == 2:
            parts.append(f"[t]({draw(st.sampled_from(_VALUES))})")
        elif kind == 3:
            parts.append(f"![i]({draw(st.sampled_from(_VALUES))})")
        elif kind == 4:
            parts.append(draw(st.sampled_from(NASTY)))
        else:
            parts.append(draw(st.text(max_size=10)))
    return "".join(parts)


class _Inert(HTMLParser):
    """Collects what would run script in a browser."""

    ACTIVE = frozenset({"script", "iframe", "object", "embed", "frame", "frameset", "base",
                        "form", "style", "link", "meta", "applet"})  # fmt: skip
    URL_ATTRS = frozenset({"href", "src", "action", "formaction", "xlink:href", "data",
                           "poster", "background", "cite"})  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.active: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.ACTIVE:
            self.active.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.active.append(f"{tag} {name}=")
            if value is None:
                continue
            if name in self.URL_ATTRS and not is_safe_url(value.strip()):
                self.active.append(f"{tag} {name}={value!r}")
            if name == "srcset" and not all(is_safe_url(c.strip()) for c in value.split(",")):
                self.active.append(f"{tag} srcset={value!r}")

    handle_startendtag = handle_starttag


def active_parts(html_text: str) -> list[str]:
    scan = _Inert()
    scan.feed(html_text)
    scan.close()
    return scan.active


@given(st.one_of(inputs(SEED_PAGES), html_soup()), st.sampled_from(["passthrough", "escape"]))
def test_page_markdown_renders_anything(text, mode):
    with time_limit():
        out = render_page(text, raw_html=mode)
        link_targets(text)
        unsafe_urls(text)
    assert isinstance(out.html, str)
    if mode == "escape":
        assert active_parts(out.html) == [], out.html


@given(st.one_of(html_soup(), inputs(SEED_PAGES)))
def test_sanitized_page_bodies_are_inert(text):
    with time_limit():
        out = render_page(text, raw_html="sanitize").html
    assert active_parts(out) == [], out
    assert "\x00" not in out


@given(st.one_of(html_soup(), st.text(max_size=200), mutated(SEED_CONFIGS + SEED_DATA)))
def test_inline_markdown_of_data_fields_is_inert(text):
    with time_limit():
        html_out = render_inline(text)
        plain = inline_text(text)
    assert active_parts(html_out) == [], html_out
    assert "<" not in html_out.replace("<em>", "").replace("</em>", "").replace(
        "<strong>", ""
    ).replace("</strong>", "").replace("<code>", "").replace("</code>", "").replace(
        "</a>", ""
    ).replace("<a href=", "")
    assert isinstance(plain, str)


# -- the read pipeline, whole --------------------------------------------------------------------


@PIPELINE
@given(
    st.sampled_from(["site.yaml", "data/education.yaml", "content/about.md", "publications.bib"]),
    st.data(),
)
def test_whole_read_pipeline(which, data):
    from scholarsite.build import load_site

    seeds = {
        "site.yaml": SEED_CONFIGS,
        "data/education.yaml": SEED_DATA,
        "content/about.md": SEED_PAGES,
        "publications.bib": SEED_BIBS,
    }
    files = {
        "site.yaml": SEED_CONFIGS[1],
        "data/education.yaml": SEED_DATA[-1],
        "content/about.md": SEED_PAGES[1],
        "publications.bib": SEED_BIBS[1],
    }
    files[which] = data.draw(inputs(seeds[which]))
    root = Path(tempfile.mkdtemp(prefix="prop-site-"))
    try:
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            with time_limit(30):
                load_site(root)
        except UserError as exc:
            for d in exc.diagnostics:
                assert d.location.path in files, str(d)
                assert_located([d], d.location.path, files[d.location.path])
    finally:
        shutil.rmtree(root, ignore_errors=True)


# -- the dev server's path handling ---------------------------------------------------------------

SECRET = b"TOP-SECRET-OUTSIDE-THE-SITE"


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """A previewed site whose static folder holds files, a symlink inside, and symlinks
    leading out of the site folder."""
    from scholarsite.serve.server import Preview

    base = tmp_path_factory.mktemp("serve")
    root, outside = base / "site", base / "outside"
    (root / "static" / "a" / "b").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.txt").write_bytes(SECRET)
    (outside / "index.html").write_bytes(SECRET)
    (root / "site.yaml").write_text("title: T\nbase_url: https://x.org/repo/\n")
    (root / "static" / "a" / "b" / "c.txt").write_text("c")
    (root / "static" / "é ü.txt").write_text("unicode")
    # symlinked folders are not followed; a symlinked file leading out is a build error
    # (tests/test_hostile.py), so the links out of the site are folders and site-level files
    os.symlink(outside, root / "static" / "out-dir")
    os.symlink("../../../..", root / "static" / "a" / "b" / "up")
    os.symlink(outside / "secret.txt", root / "out-file")
    os.symlink(root / "static" / "a" / "b" / "c.txt", root / "static" / "in-link")
    server = Preview(root, cache=None)
    server.rebuild()
    assert server.respond("/repo/a/b/c.txt").status == 200
    assert server.respond("/repo/in-link").body == b"c"
    return server


_SEGMENTS = ["", ".", "..", "...", "%2e%2e", "%2E%2e", ".%2e", "%2e.", "..%2f", "%2f", "%5c",
             "..\\", "\\..", "%00", "%2500", "%252e%252e", "repo", "a", "b", "c.txt",
             "index.html", "out-dir", "out-file", "in-link", "up", "secret.txt", "é ü.txt",
             "%C3%A9%20%C3%BC.txt", "?x=../..", "#../..", ";", "~", "%", "%zz", "%c0%ae%c0%ae",
             "%ff", "\u2025", "．．", "404.html"]  # fmt: skip


@st.composite
def url_paths(draw) -> str:
    segments = draw(st.lists(st.sampled_from(_SEGMENTS), max_size=8))
    lead = draw(st.sampled_from(["/", "/repo/", "//", "", "http://127.0.0.1:8000/", "/./"]))
    return lead + "/".join(segments)


# http.server hands the handler the request target decoded as Latin-1: any of those
# characters, and percent-escapes of any byte.
_REQUESTS = st.one_of(
    url_paths(),
    st.text(alphabet=st.characters(max_codepoint=255), max_size=60),
    st.binary(max_size=30).map(lambda b: "/repo/" + quote(b, safe="/")),
)


@given(_REQUESTS)
def test_dev_server_request_paths(url):
    from scholarsite.serve.server import split_request_path

    with time_limit():
        parts = split_request_path(url)
    if parts is not None:
        assert parts[0] == ""
        assert not any(p in (".", "..") or "\x00" in p or "\\" in p for p in parts), parts


@given(_REQUESTS)
def test_dev_server_never_serves_outside_the_site(preview, url):
    with time_limit():
        response = preview.respond(url)
    assert response.status in (200, 301, 404), (url, response.status)
    assert SECRET not in response.body, url
    if response.status == 301:
        assert response.location.startswith("/") and not response.location.startswith("//")


# -- importers -----------------------------------------------------------------------------------

IMPORT_FIXTURES = Path(__file__).parent / "fixtures" / "import"
_TEXT_SUFFIXES = (".md", ".yml", ".yaml", ".bib", ".toml", ".html", "")


def _text_files(folder: Path) -> list[str]:
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.suffix in _TEXT_SUFFIXES
    )


IMPORTERS = {
    "jekyll": [SEED.parent],
    "academicpages": sorted(p for p in (IMPORT_FIXTURES / "academicpages").iterdir() if p.is_dir()),
    "hugo": sorted(p for p in (IMPORT_FIXTURES / "hugo").iterdir() if p.is_dir()),
    "bibtex": [IMPORT_FIXTURES / "bibtex"],
}


def _run_importer(kind: str, source: Path, into: Path, chosen: str) -> object:
    if kind == "jekyll":
        from scholarsite.importers.jekyll import import_jekyll

        return import_jekyll(source / chosen, into)
    if kind == "academicpages":
        from scholarsite.importers.academicpages import import_academicpages

        return import_academicpages(source, into)
    if kind == "hugo":
        from scholarsite.importers.hugo import import_hugo

        return import_hugo(source, into)
    from scholarsite.importers.bibtex import import_bibtex

    return import_bibtex(source / chosen, into)


@PIPELINE
@given(st.sampled_from(sorted(IMPORTERS)), st.data())
def test_importers_on_mutated_input(kind, data):
    """Each importer, on a fixture with one file mutated (or replaced by arbitrary bytes):
    an import report or a UserError; then the imported site reads or fails cleanly."""
    from scholarsite.build import load_site

    fixture = data.draw(st.sampled_from(IMPORTERS[kind]))
    work = Path(tempfile.mkdtemp(prefix="prop-import-"))
    try:
        source = work / "source"
        shutil.copytree(fixture, source)
        files = _text_files(source)
        if kind == "jekyll":
            files = ["about.md"]
        chosen = data.draw(st.sampled_from(files))
        original = (source / chosen).read_text(encoding="utf-8", errors="replace")
        raw = data.draw(
            st.one_of(
                inputs([original]).map(lambda t: t.encode("utf-8", "surrogatepass")),
                st.binary(max_size=200),
            )
        )
        (source / chosen).write_bytes(raw)
        into = work / "into"
        if kind == "bibtex":  # merged into an existing site
            into.mkdir()
            (into / "site.yaml").write_text("title: T\nprofile: {name: Ada Lovelace}\n")
            shutil.copy(IMPORT_FIXTURES / "bibtex" / "existing.bib", into / "publications.bib")
        try:
            with time_limit(30):
                _run_importer(kind, source, into, chosen)
        except UserError as exc:
            assert all(d.message.strip() for d in exc.diagnostics)
            return
        written = [p for p in work.rglob("*") if p.is_file()]
        assert all(into in p.parents or source in p.parents for p in written), written
        try:
            with time_limit(30):
                load_site(into)
        except UserError as exc:
            for d in exc.diagnostics:
                assert (into / d.location.path).is_file() or d.location.path in (
                    "site.yaml",
                    str(into),
                ), str(d)
    finally:
        shutil.rmtree(work, ignore_errors=True)
