"""Math (server-side MathML), code highlighting (Pygments) and click-to-load embeds."""

from __future__ import annotations

import re

import pytest

from scholarsite.embeds import defer_iframes, video_embed
from scholarsite.markdown import render_page
from scholarsite.mathml import to_mathml


def html(text: str, **kw: str) -> str:
    return render_page(text, **kw).html


@pytest.mark.parametrize(
    ("text", "math"),
    [
        ("Euler $e^{i\\pi}+1=0$ holds.", True),
        ("costs $5 or $10", False),
        ("between $5 and 6 $ here", False),  # space before the closing $
        ("a $ x$ b", False),  # space after the opening $
        ("escaped \\$x$ here", False),
        ("code `$x$` here", False),
        ("kramdown $$x^2$$ math", True),
    ],
)
def test_dollar_math_follows_pandoc_rules(text: str, math: bool):
    assert ("<math" in html(text)) is math


def test_math_is_mathml_with_its_tex_kept():
    out = html("$\\frac{a}{b}$")
    assert '<math alttext="\\frac{a}{b}" display="inline"><mrow><mfrac>' in out
    assert "<mi>a</mi>" in out and "<mi>b</mi>" in out


@pytest.mark.parametrize(
    "tex",
    [
        "\\text{<script>alert(1)</script>}",
        "\\href{javascript:alert(1)}{x}",
        '\\color{red" onmouseover="x}{a}',
        "\\style{background:url(x)}{y}",
        "\\operatorname{<img src=x onerror=alert(1)>}",
    ],
)
@pytest.mark.parametrize("mode", ["passthrough", "sanitize", "escape"])
def test_math_cannot_carry_markup(tex: str, mode: str):
    out = re.sub(r'alttext="[^"<>]*"', "", html(f"$${tex}$$", raw_html=mode))  # text only
    assert "<math" in out
    for bad in ("<script", "<img", "href=", "onmouseover", "style=", "javascript:"):
        assert bad not in out, out


def test_unconvertible_math_stays_tex_text(monkeypatch):
    from scholarsite import mathml

    def broken(*a, **k):
        raise ValueError("nope")

    monkeypatch.setattr(mathml, "convert", broken)
    mathml.to_mathml.cache_clear()
    try:
        assert to_mathml("x^2") is None
        assert html("$$x < 2$$") == "\\[x &lt; 2\\]\n"  # alone: display math, as kramdown
        assert html("a $x < 2$ b") == "<p>a \\(x &lt; 2\\) b</p>\n"
    finally:
        mathml.to_mathml.cache_clear()


def test_fenced_code_is_highlighted_with_classes_only():
    out = html('```python\ndef f():\n    return "<s>"  # c\n```')
    assert out.startswith('<pre><code class="language-python"><span class="k">def</span>')
    assert '<span class="s2">"&lt;s&gt;"</span>' in out
    assert '<span class="c1"># c</span>' in out and "style=" not in out
    plain = html("```nosuchlanguage\n<b>x</b>\n```")
    assert plain == (
        '<pre><code class="language-nosuchlanguage">&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n'
    )
    assert "<span" not in html("```\nx = 1\n```")


@pytest.mark.parametrize(
    ("url", "embed", "host"),
    [
        ("https://www.youtube.com/watch?v=zNfaj_DV6-E",
         "https://www.youtube-nocookie.com/embed/zNfaj_DV6-E?autoplay=1", "youtube.com"),
        ("https://youtu.be/zNfaj_DV6-E", "https://www.youtube-nocookie.com/embed/zNfaj_DV6-E?autoplay=1",
         "youtube.com"),
        ("https://www.youtube.com/embed/zNfaj_DV6-E",
         "https://www.youtube-nocookie.com/embed/zNfaj_DV6-E?autoplay=1", "youtube.com"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?autoplay=1&dnt=1",
         "vimeo.com"),
        ("https://www.bilibili.com/video/BV1sf4y1N7Hq",
         "https://player.bilibili.com/player.html?bvid=BV1sf4y1N7Hq&autoplay=1", "bilibili.com"),
    ],
)
def test_video_links_are_recognised(url, embed, host):
    assert video_embed(url)[0] == embed and video_embed(url)[2] == host


@pytest.mark.parametrize(
    "url", ["https://example.org/watch?v=x", "javascript:alert(1)", "https://youtube.com/about"]
)
def test_other_links_are_not_videos(url):
    assert video_embed(url) is None


def test_a_lone_video_link_becomes_a_click_to_load_embed():
    out = html("https://www.youtube.com/watch?v=zNfaj_DV6-E")
    assert out.startswith('<figure class="embed embed-video" data-embed="https://www.youtube-no')
    assert '<a class="embed-open" href="https://www.youtube.com/watch?v=zNfaj_DV6-E">' in out
    assert "<iframe" not in out and "Play the video from youtube.com" in out
    assert "播放来自 youtube.com 的视频" in html("<https://youtu.be/zNfaj_DV6-E>", lang="zh")
    sentence = html("See https://www.youtube.com/watch?v=zNfaj_DV6-E for the talk.")
    assert "embed" not in sentence  # only a link standing alone is an embed
    listed = html("- https://www.youtube.com/watch?v=zNfaj_DV6-E")
    assert "embed" not in listed


def test_third_party_iframes_wait_for_a_click():
    out = html('<iframe width="560" height="315" src="https://www.youtube.com/embed/zNfaj_DV6-E"'
               ' title="Talk" frameborder="0" allowfullscreen></iframe>')
    assert "<iframe" not in out and 'data-embed-title="Talk"' in out
    other = html('<iframe src="https://docs.google.com/presentation/d/x/embed"></iframe>')
    assert 'data-embed="https://docs.google.com/presentation/d/x/embed"' in other
    assert "Show the content from docs.google.com" in other
    local = '<iframe src="/slides/talk.html"></iframe>'
    assert defer_iframes(local, "en") == local  # the site's own page loads as written
    assert "<iframe" not in html(local.replace("/slides", "https://x.org"), raw_html="sanitize")
    assert "embed" not in html('<iframe src="javascript:alert(1)"></iframe>', raw_html="escape")
