"""Markdown rendering: the kramdown-compatible page renderer and the inline field renderer.

The seed page is compared with what Jekyll 4.3 (kramdown, GFM input) made of it. Accepted
differences, none of them visible as text: kramdown keeps HTML comments (we drop them, by
contract), normalises raw HTML attributes (``align=center`` -> ``align="center"``, ``<img>``
-> ``<img />``), indents list items and puts blank lines between blocks; the block elements
and the visible text of each are the same.
"""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scholarsite.kramdown import tag_names
from scholarsite.markdown import (
    ALLOWED_TAGS,
    RenderedPage,
    _render_inline,
    inline_text,
    render_inline,
    render_page,
    unsafe_urls,
)
from scholarsite.mathml import MATHML_ATTRS, MATHML_TAGS
from scholarsite.urls import is_safe_url

SEED_DIR = Path(__file__).parent / "fixtures" / "seed"
BLOCK_TAGS = tag_names(
    "p li h1 h2 h3 h4 h5 h6 blockquote div ul ol hr table tr td th pre dl dt dd font"
)


def seed_body() -> str:
    text = (SEED_DIR / "about.md").read_text(encoding="utf-8")
    return text.split("---\n", 2)[2]  # drop the front matter


class _Blocks(HTMLParser):
    """(block tag, visible text) per block element, whitespace collapsed; comments ignored."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[str, str]] = []
        self.urls: list[str] = []
        self._text: list[str] = []
        self._tag = ""

    def _flush(self, tag: str) -> None:
        text = re.sub(r"\s+", " ", "".join(self._text)).strip()
        if text:
            self.blocks.append((self._tag, text))
        self._text, self._tag = [], tag

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v or "" for k, v in attrs if k in ("href", "src")]
        if tag in BLOCK_TAGS:
            self._flush(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self._flush(self._tag)

    def handle_data(self, data: str) -> None:
        self._text.append(data)


def blocks(html: str) -> _Blocks:
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser._flush("")
    return parser


@pytest.fixture(scope="module")
def seed() -> RenderedPage:
    return render_page(seed_body())


@pytest.fixture(scope="module")
def jekyll() -> str:
    return (SEED_DIR / "about.jekyll.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the seed page


def test_seed_headings_and_ids_match_jekyll(seed: RenderedPage, jekyll: str) -> None:
    expected = re.findall(r'<h(\d) id="([^"]+)">(.*?)</h\1>', jekyll)
    assert [(int(level), id_) for level, id_, _ in expected] == [
        (level, id_) for level, id_, _ in seed.headings
    ]
    assert ("hornors--awards", "Hornors & Awards") in [(h[1], h[2]) for h in seed.headings]
    for level, id_, text in expected:
        assert f'<h{level} id="{id_}">{text}</h{level}>' in seed.html


def test_seed_lists_links_and_images_match_jekyll(seed: RenderedPage, jekyll: str) -> None:
    assert seed.html.count("<li>") == jekyll.count("<li>") == 22
    ours, theirs = blocks(seed.html).urls, blocks(jekyll).urls  # comments are not parsed
    assert set(ours) == set(theirs)
    assert ours == list(seed.links)
    assert "/img/photo2mini.jpeg" in seed.links
    assert "/img/photo2.jpeg" not in seed.html  # only inside a comment
    assert unsafe_urls(seed_body()) == []


def test_seed_line_breaks_are_kramdown_hard_breaks(seed: RenderedPage, jekyll: str) -> None:
    backslash_line_ends = sum(
        1 for line in seed_body().splitlines() if line.rstrip(" ").endswith("\\\\")
    )
    assert backslash_line_ends == 37
    assert seed.html.count("<br />") == backslash_line_ends == jekyll.count("<br />")
    assert "\\<br" not in seed.html and "\\\n" not in seed.html


def test_seed_equal_contribution_marks_do_not_become_emphasis(seed: RenderedPage) -> None:
    expected = seed_body().count("**Runxin Xu**<sup>*</sup>")
    assert expected == 6
    assert seed.html.count("<strong>Runxin Xu</strong><sup>*</sup>") == expected
    assert "<strong>Runxin Xu</strong><sup>*</sup>, Fuli Luo<sup>*</sup>," in seed.html
    assert "<sup><em>" not in seed.html and "</em></sup>" not in seed.html


def test_seed_raw_html_blocks_pass_through(seed: RenderedPage) -> None:
    assert '<div align=center>\n<img src="/img/photo2mini.jpeg" height="290" width="450">' in (
        seed.html
    )
    assert "<font color=red ><b> I am actively seeking" in seed.html
    assert "(A@B,A=runxinxu,B=gmail.com)" in seed.html


def test_seed_paragraph_after_closing_div_is_markdown(seed: RenderedPage) -> None:
    paragraph = re.search(r"<p>请注意.*?</p>", seed.html, re.DOTALL)
    assert paragraph is not None
    assert '<a href="https://icl.pku.edu.cn/">Institute of Computational Linguistics</a>' in (
        paragraph.group(0)
    )
    assert "](" not in paragraph.group(0)


def test_seed_commented_out_sections_are_absent(seed: RenderedPage) -> None:
    for hidden in (
        "Academic Services",
        "Reviewer: EACL2021",
        "National scholarship, *December 2021*",
        "National scholarship, <em>December 2021</em>",
        "December 2017",
        "<!--",
        "-->",
    ):
        assert hidden not in seed.html
    assert "National scholarship.  <em>2018</em>" in seed.html  # the visible list stays


def test_seed_visible_text_and_blocks_match_jekyll(seed: RenderedPage, jekyll: str) -> None:
    ours, theirs = blocks(seed.html).blocks, blocks(jekyll).blocks
    assert len(ours) == len(theirs) == 57
    assert ours == theirs  # same block elements, same text (quotes, dashes included)
    assert ("p", "What doesn’t kill you makes you stronger.") in ours
    assert ("p", "ByteDance Search, *December. 2021 – Now *") in ours


# --------------------------------------------------------------------------- kramdown rules


def html(text: str, **kwargs: str) -> str:
    return render_page(text, **kwargs).html


def test_backslash_line_end_is_a_hard_break_outside_code() -> None:
    assert html("one \\\\\ntwo") == "<p>one <br />\ntwo</p>\n"
    assert html("`x \\\\`\ny") == "<p><code>x \\\\</code>\ny</p>\n"
    assert html("```\na \\\\\nb\n```") == "<pre><code>a \\\\\nb\n</code></pre>\n"
    assert html("last \\\\") == "<p>last \\</p>\n"  # not before a newline: an escape
    assert html("a \\\\\\\\\nb") == "<p>a \\<br />\nb</p>\n"


def test_emphasis_characters_inside_sup_and_sub_stay_literal() -> None:
    assert html("**Runxin Xu**<sup>*</sup>, Fuli Luo<sup>*</sup>") == (
        "<p><strong>Runxin Xu</strong><sup>*</sup>, Fuli Luo<sup>*</sup></p>\n"
    )
    assert html("A<sub>_</sub>b<sub>_</sub>") == "<p>A<sub>_</sub>b<sub>_</sub></p>\n"
    assert html("x<sup>*a*</sup>") == "<p>x<sup><em>a</em></sup></p>\n"
    assert html("a <code>*b*</code> <u>*c*</u>") == "<p>a <code>*b*</code> <u>*c*</u></p>\n"


def test_block_html_ends_at_its_closing_tag_and_markdown_resumes() -> None:
    out = html('<div align=center>\n<img src="/a.jpg">\n</div>\nSee [x](https://x.org) *now*')
    assert out == (
        '<div align=center>\n<img src="/a.jpg">\n</div>\n'
        '<p>See <a href="https://x.org">x</a> <em>now</em></p>\n'
    )


def test_block_html_content_is_raw_even_across_blank_lines() -> None:
    out = html("<div>\n<div>\n\n*raw*\n</div>\n\n*raw too*\n</div>\n*md*")
    assert "*raw*" in out and "*raw too*" in out
    assert out.endswith("</div>\n<p><em>md</em></p>\n")


def test_block_html_with_markdown_attribute_parses_its_content() -> None:
    out = html('<div class="x" markdown="1">\n*md* [a](/a)\n</div>\nafter')
    assert out == '<div class="x">\n<p><em>md</em> <a href="/a">a</a></p>\n</div>\n<p>after</p>\n'
    assert html('<p markdown="1">*x*</p>') == "<p><em>x</em></p>\n"


def test_block_html_text_after_closing_tag_is_a_paragraph() -> None:
    out = html("<font color=red>Note:</font> see [here](/x)")
    assert out == '<font color=red>Note:</font>\n<p>see <a href="/x">here</a></p>\n'


def test_unclosed_block_html_falls_back_to_commonmark() -> None:
    assert html("<div>\n*x*\n\n*y*") == "<div>\n*x*\n<p><em>y</em></p>\n"


def test_span_html_at_line_start_is_a_paragraph() -> None:
    assert html('<img src="/a.png">\nSome *text*') == (
        '<p><img src="/a.png">\nSome <em>text</em></p>\n'
    )


def test_block_html_inside_a_blockquote() -> None:
    out = html("> <div>\n> *raw*\n> </div>\n> *md*")
    assert out == "<blockquote>\n<div>\n*raw*\n</div>\n<p><em>md</em></p>\n</blockquote>\n"


def test_span_ial_sets_attributes_on_the_preceding_element() -> None:
    assert html('[x](https://a.org){:target="_blank"}') == (
        '<p><a href="https://a.org" target="_blank">x</a></p>\n'
    )
    out = html('[x](/a){: .btn .big #go data-k="v \\} w" onclick="evil()" onLoad="x"}')
    assert out == '<p><a href="/a" class="btn big" id="go" data-k="v } w">x</a></p>\n'
    out = html('*e*{: .c} **s**{:.s} `c`{: .k} ![a](/a.png){: width="50"} ~~d~~{: .x}')
    assert out == (
        '<p><em class="c">e</em> <strong class="s">s</strong> <code class="k">c</code> '
        '<img src="/a.png" alt="a" width="50" /> <del class="x">d</del></p>\n'
    )


def test_span_ial_edge_cases() -> None:
    assert html("text{: .c}") == "<p>text{: .c}</p>\n"  # after plain text: literal
    assert html("[x](/a) {: .c}") == '<p><a href="/a">x</a> {: .c}</p>\n'  # not adjacent
    assert html("{: .c} start") == "<p>{: .c} start</p>\n"
    assert html('[x](/a){: href="javascript:alert(1)"}') == '<p><a href="/a">x</a></p>\n'
    assert ":target" not in html('[x](/a){::target="_blank"}')
    assert "<code>{: .c}</code>" in html("`{: .c}`")


def test_block_ial_applies_to_the_block_before_or_after_it() -> None:
    assert html("Para\n{: .lead}") == '<p class="lead">Para</p>\n'
    assert html("{: .note}\nPara") == '<p class="note">Para</p>\n'
    assert html("- a\n- b\n{: .plain}") == '<ul class="plain">\n<li>a</li>\n<li>b</li>\n</ul>\n'
    assert html("# T\n{: #mine .h}") == '<h1 id="mine" class="h">T</h1>\n'
    assert html("| a |\n|---|\n| 1 |\n{: .table}").startswith('<table class="table">')
    assert html("Para\n\n{: .next}\n\nNext") == '<p>Para</p>\n<p class="next">Next</p>\n'
    assert html("> q\n{: .quote}").startswith('<blockquote class="quote">')


def test_attribute_list_definitions_and_extensions() -> None:
    assert html('{:hl: .hl title="T"}\nPara\n{: hl #p}') == (
        '<p class="hl" title="T" id="p">Para</p>\n'
    )
    assert html("{::comment}\nhidden *x*\n{:/comment}\nshown") == "<p>shown</p>\n"
    assert html('{::options parse_block_html="true" /}\nx') == "<p>x</p>\n"


def test_ials_never_emit_invalid_or_event_handler_attributes() -> None:
    for text in (
        '[x](/a){:target="_blank"}',
        '[x](/a){: onclick="a()" ONMOUSEOVER="b()"}',
        'Para\n{: onload="c()" .ok}',
    ):
        out = html(text)
        assert ":target" not in out
        assert not re.search(r"\son\w+=", out, re.I), out


def test_heading_ids_follow_kramdown_gfm() -> None:
    page = render_page(
        "# Hornors & Awards\n## Title\n## Title\n## Title\n### 2023 News\n"
        "### 中文 标题\n### `code` and *em* -- it's\n### ???\n# Custom {#mine}\n"
    )
    assert [h[1] for h in page.headings] == [
        "hornors--awards",
        "title",
        "title-1",
        "title-2",
        "2023-news",
        "中文-标题",
        "code-and-em--its",
        "section",
        "mine",
    ]
    assert page.headings[0] == (1, "hornors--awards", "Hornors & Awards")
    assert page.headings[6][2] == "code and em – it’s"
    assert '<h1 id="mine">Custom</h1>' in page.html


def test_typographic_symbols_like_kramdown() -> None:
    assert html('a -- b --- c... it\'s "q"') == "<p>a – b — c… it’s “q”</p>\n"
    assert html("(c) (tm) (r) +- e.g.. x----y") == "<p>(c) (tm) (r) +- e.g.. x—-y</p>\n"
    assert html("`a -- b`") == "<p><code>a -- b</code></p>\n"
    assert html("a \\-\\- b") == "<p>a -- b</p>\n"


def test_html_comments_are_dropped_with_their_content() -> None:
    assert html("<!-- hidden -->\nshown") == "<p>shown</p>\n"
    assert html("Text <!-- hidden --> shown") == "<p>Text  shown</p>\n"
    out = html("Para\n<!--\n# Secret\n\n- *hidden* [x](/x)\n\n -->\n---\n\nEnd")
    assert out == "<p>Para</p>\n<hr />\n<p>End</p>\n"
    assert html("<!-- a --> after") == "<p>after</p>\n"
    assert html("- a\n<!-- - b -->\n- c") == "<ul>\n<li>a\n</li>\n<li>c</li>\n</ul>\n"
    assert html("<div>\n<!-- x -->\n</div>") == "<div>\n\n</div>\n"
    assert html("x\n\n<!-- never closed\n\n*y*") == "<p>x</p>\n"
    for mode in ("passthrough", "sanitize", "escape"):
        assert "hidden" not in html("a <!-- hidden -->\n\n<!--\nhidden\n-->", raw_html=mode)


def test_gfm_tables_and_strikethrough_on_linkify_off() -> None:
    out = html("| a | b |\n|---|:-:|\n| 1 | 2 |")
    assert (
        "<table>" in out and "<th>a</th>" in out and '<td style="text-align:center">2</td>' in out
    )
    assert html("~~gone~~") == "<p><del>gone</del></p>\n"
    assert html("see https://example.org") == "<p>see https://example.org</p>\n"


def test_math_is_mathml_and_dollar_amounts_stay_text() -> None:
    out = html("$$a_1 * b_2 * c$$ costs $5 or $10")
    assert out.startswith('<p><math alttext="a_1 * b_2 * c" display="inline"><mrow><msub>')
    assert out.endswith("</math> costs $5 or $10</p>\n") and "*" not in out.split("alttext")[0]
    assert html("\n$$\nx_i < y_i\n$$\n") == (
        '<div class="math-display"><math alttext="x_i &lt; y_i" display="block"><mrow>'
        "<msub><mi>x</mi><mi>i</mi></msub><mo>&lt;</mo><msub><mi>y</mi><mi>i</mi></msub>"
        "</mrow></math></div>\n"
    )


def test_links_are_collected_in_order() -> None:
    page = render_page('[a](/a) <img src="/b.png">\n\n![c](/c.png) <a href="https://d.org">d</a>')
    assert page.links == ("/a", "/b.png", "/c.png", "https://d.org")


def test_deeply_nested_inline_html_renders() -> None:
    out = html("<b>" * 400 + "*x*" + "</b>" * 400)
    assert out.count("<b>") == 400 and "x" in out


def test_rendered_page_is_frozen_and_modes_are_checked() -> None:
    page = render_page("x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.html = "y"  # type: ignore[misc]
    with pytest.raises(ValueError, match="raw_html"):
        render_page("x", raw_html="allow")


# --------------------------------------------------------------------------- raw_html modes

NASTY = (
    '<div onclick="x()" style="color:red" class="k" align="center">'
    '<script>alert("block")</script><img src="javascript:x" onerror="alert(1)" alt="a">'
    '<a href="JaVaScRiPt:alert(2)" title="t">l</a><a href="&#106;avascript:alert(3)">m</a>'
    '<style>p{color:red}</style><iframe src="https://evil.example">in</iframe>'
    '<form action="/x"><input name="q"></form><font color="red">ok</font></div>\n\n'
    'Text <b onmouseover="x()">b</b><script>alert("inline")</script>'
    ' <img src="data:image/svg+xml;base64,AAAA"> <sup>*</sup> [x](/y){: onclick="z" style="s" .c}'
)


def test_sanitize_keeps_formatting_and_drops_active_content() -> None:
    out = html(NASTY, raw_html="sanitize")
    for bad in (
        "<script",
        "alert",
        "onclick",
        "onerror",
        "onmouseover",
        "style",
        "<iframe",
        "evil.example",
        "<form",
        "<input",
        "javascript",
        "JaVaScRiPt",
        "data:",
    ):
        assert bad not in out, bad
    assert '<div class="k" align="center">' in out
    assert '<img alt="a" />' in out and '<a title="t">l</a>' in out
    assert '<font color="red">ok</font>' in out
    assert "Text <b>b</b>" in out and "<sup>*</sup>" in out
    assert '<a href="/y" class="c">x</a>' in out


def test_sanitize_keeps_safe_links_and_images() -> None:
    out = html(
        '<a href="https://x.org/?a=1&amp;b=2" target="_blank">x</a>\n<img src="/a.png" '
        'width="10" srcset="/a.png 1x, javascript:x 2x">',
        raw_html="sanitize",
    )
    assert '<a href="https://x.org/?a=1&amp;b=2" target="_blank">x</a>' in out
    assert '<img src="/a.png" width="10" />' in out


def test_passthrough_keeps_raw_html_as_written() -> None:
    out = html('<font color=red >hi</font>\n\n<span style="x">y</span> <script>s()</script>')
    assert "<font color=red >hi</font>" in out
    assert '<span style="x">y</span> <script>s()</script>' in out


def test_escape_mode_shows_raw_html_as_text() -> None:
    out = html("<div>\n<b>x</b>\n</div>\n\nA <b>bold</b> *md* <!-- c -->", raw_html="escape")
    assert "<b>" not in out and "<div>" not in out
    assert "&lt;b&gt;x&lt;/b&gt;" in out and "A &lt;b&gt;bold&lt;/b&gt; <em>md</em>" in out
    assert "c --" not in out and "&lt;!--" not in out


# --------------------------------------------------------------------------- inline fields


def test_render_inline_renders_links_emphasis_and_code_only() -> None:
    assert render_inline("*a* **b** `c` [d](https://d.org)") == (
        '<em>a</em> <strong>b</strong> <code>c</code> <a href="https://d.org">d</a>'
    )
    assert render_inline("![i](/i.png)") == '!<a href="/i.png">i</a>'
    assert render_inline("~~s~~ # h\n- l") == "~~s~~ # h\n- l"
    assert "<p>" not in render_inline("a\n\nb")


def test_render_inline_escapes_raw_html() -> None:
    assert render_inline("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert render_inline("*x* <img src=x onerror=alert(1)>") == (
        "<em>x</em> &lt;img src=x onerror=alert(1)&gt;"
    )
    assert render_inline("<https://x.org>") == "&lt;https://x.org&gt;"


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](&#x6a;avascript:alert(1))",
        "[x]( javascript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](file:///etc/passwd)",
        "[x](data:image/png;base64,iVBORw0KGgo=)",
        "[x](chrome://settings)",
        "[x][r]\n\n[r]: javascript:alert(1)",
    ],
)
def test_render_inline_refuses_unsafe_links(text: str) -> None:
    out = render_inline(text)
    assert "<a" not in out
    assert "[x]" in out
    assert len(unsafe_urls(text)) == 1  # and readers can report it


def test_render_inline_fast_path_agrees_with_the_parser() -> None:
    for text in ("Plain title", 'Tom\'s "book" > 3 < 4', "  spaced  ", "Ünïcode ✓ 中文", ""):
        assert render_inline(text) == _render_inline(text)
    assert render_inline("AT&T &amp; x") == "AT&amp;T &amp; x"


def test_inline_text_removes_markdown_and_does_not_escape() -> None:
    assert inline_text("*A* & **B** `c` [d](/d) <b>") == "A & B c d <b>"
    assert inline_text("S$^4$-Tuning") == "S$^4$-Tuning"
    assert inline_text("line\nbreak") == "line break"


def test_unsafe_urls_reports_targets_as_written() -> None:
    text = (
        "[a](javascript:x) [b](<JaVaScRiPt:y>) ![c](data:image/png;base64,xx) "
        "[d](&#106;avascript:z) <a href='vbscript:q'>e</a> [ok](/x) [ok2](https://o.org) "
        '<img src="/fine.png"> [a2](javascript:x)'
    )
    assert unsafe_urls(text) == [
        "javascript:x",
        "JaVaScRiPt:y",
        "data:image/png;base64,xx",
        "javascript:z",
        "vbscript:q",
    ]
    assert unsafe_urls("[fine](https://x.org) and *text*") == []
    assert unsafe_urls("`[code](javascript:x)`") == []


# --------------------------------------------------------------------------- properties

FRAGMENTS = [
    "<script>",
    "</script>",
    "<a href=",
    "javascript:alert(1)",
    "&#106;avascript:",
    "\n",
    "\n\n",
    '{: onclick="x"}',
    '{:target="_blank"}',
    "<!--",
    "-->",
    "**",
    "*",
    "_",
    "<sup>",
    "</sup>",
    "<div>",
    "</div>",
    '<div markdown="1">',
    "[x](",
    ")",
    '"',
    "'",
    " ",
    "onerror=",
    "<img src=x ",
    ">",
    "<",
    "`",
    "\\\\",
    "$$",
    "- ",
    "# ",
    "> ",
    "<style>",
    "<iframe src=",
    "data:text/html,",
    "JaVaScRiPt:",
    "<font color=red>",
    "</font>",
    "<b",
    ' style="x"',
    "{::comment}",
    "{:/}",
]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _tags(html_text: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(html_text)
    parser.close()
    return parser.tags


fragment_texts = st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(fragment_texts)
def test_sanitized_pages_only_hold_allowed_markup(text: str) -> None:
    out = render_page(text, raw_html="sanitize").html
    for tag, attrs in _tags(out):
        assert tag in ALLOWED_TAGS or tag in MATHML_TAGS, (tag, out)  # math: our own MathML
        for name, value in attrs:
            assert not name.startswith("on") and name != "style", (name, out)
            if tag in MATHML_TAGS:
                assert name in MATHML_ATTRS or name == "alttext", (name, out)
            if name in ("href", "src"):
                assert is_safe_url(value or ""), (value, out)


@settings(max_examples=300, deadline=None)
@given(fragment_texts)
def test_inline_fields_only_hold_links_emphasis_and_code(text: str) -> None:
    out = render_inline(text)
    for tag, attrs in _tags(out):
        assert tag in ("a", "em", "strong", "code"), (tag, out)
        assert [name for name, _ in attrs] in ([], ["href"], ["href", "title"]), out
        assert all(is_safe_url(v or "") for _, v in attrs), out


@settings(max_examples=200, deadline=None)
@given(fragment_texts, st.sampled_from(["passthrough", "sanitize", "escape"]))
def test_pages_render_any_input_without_comments(text: str, mode: str) -> None:
    out = render_page(text + "\n\n<!-- secret -->", raw_html=mode).html
    assert "<!--" not in out  # (inside a code block the comment is shown as code text)
    assert "secret" not in out or "<code" in out
