"""Markdown to HTML.

- ``render_page``: page bodies, read as Jekyll's kramdown read them (see ``kramdown.py``);
  raw HTML passed through, sanitized by an allow-list, or escaped; comments dropped.
- ``render_inline`` / ``inline_text``: data fields (site.yaml values, data lists, BibTeX
  titles): links, emphasis, strong and code only, raw HTML escaped, unsafe links as text.
- ``unsafe_urls``: the unsafe link targets in a Markdown text, for readers to report.

Parsers are built once, on first use, and shared.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from html.parser import HTMLParser
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .embeds import defer_iframes, placeholder, video_embed
from .highlight import highlight_code
from .kramdown import VOID_ELEMENTS, default_attr_filter, kramdown_plugin, line_text, tag_names
from .mathml import to_mathml
from .urls import is_safe_url

RAW_HTML_MODES = ("passthrough", "sanitize", "escape")

#: Invisible characters no data field keeps (nor a sanitized page): NUL and the other C0
#: and C1 controls but tab and newlines (XML forbids them, HTML parsers drop or replace
#: them), the bidirectional embeddings, overrides and isolates U+202A-U+202E and
#: U+2066-U+2069 (they make the text after them read backwards: "gpj.exe"), and the
#: non-characters U+FFFE, U+FFFF.
UNSAFE_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)


def strip_unsafe_chars(text: str) -> str:
    """`text` without the characters of `UNSAFE_CHARS`."""
    return UNSAFE_CHARS.sub("", text) if UNSAFE_CHARS.search(text) else text


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """A rendered page body."""

    html: str
    headings: tuple[tuple[int, str, str], ...]  # (level, id, text)
    links: tuple[str, ...]  # every href/src (and srcset URL) in the HTML, in order


# --------------------------------------------------------------------------- sanitizer

ALLOWED_TAGS = tag_names(
    "a abbr acronym address article aside b bdi bdo big blockquote br caption center cite "
    "code col colgroup dd del details dfn div dl dt em figcaption figure font footer h1 h2 "
    "h3 h4 h5 h6 header hr i img ins kbd li main mark nav ol p picture pre q rp rt ruby s "
    "samp section small source span strike strong sub summary sup table tbody td tfoot th "
    "thead time tr tt u ul var wbr"
)
#: Dropped together with everything inside them.
DROPPED_WITH_CONTENT = tag_names(
    "script style iframe object embed applet frame frameset noscript noembed noframes "
    "template xmp plaintext title textarea select form svg math"
)
ALLOWED_ATTRS = tag_names(
    "href src srcset sizes alt title width height align valign color face size class id "
    "lang dir target rel start reversed type colspan rowspan scope headers border "
    "cellpadding cellspacing datetime cite open loading decoding"
)
_URL_ATTRS = frozenset({"href", "src", "cite", "srcset"})
_COMMENT_RE = re.compile(r"<!--(?:-?>|.*?-->|.*\Z)", re.DOTALL)


def allowed_attribute(name: str, value: str) -> bool:
    """The sanitizer's attribute policy (also applied to kramdown IALs when sanitizing)."""
    return name.lower() in ALLOWED_ATTRS and default_attr_filter(name, value)


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._dropping: list[str] = []

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self._dropping:
            if tag == self._dropping[-1] and not closed:
                self._dropping.append(tag)
            return
        if tag in DROPPED_WITH_CONTENT:
            if not closed and tag not in VOID_ELEMENTS:
                self._dropping.append(tag)
            return
        if tag not in ALLOWED_TAGS:
            return
        parts = [tag]
        for name, value in attrs:
            if value is not None and name in _URL_ATTRS:
                value = value.strip(" \t\n\r\f")  # as browsers do
            if allowed_attribute(name, value or ""):
                parts.append(name if value is None else f'{name}="{html.escape(value)}"')
        self.out.append("<" + " ".join(parts) + (" />" if closed else ">"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, tag in VOID_ELEMENTS)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, True)

    def handle_endtag(self, tag: str) -> None:
        if self._dropping:
            if tag == self._dropping[-1]:
                self._dropping.pop()
        elif tag in ALLOWED_TAGS and tag not in VOID_ELEMENTS:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self.out.append(escapeHtml(data))


def sanitize_html(fragment: str) -> str:
    """Allow-listed tags and attributes only; no scripts, styles, frames, forms, event
    handlers, ``style`` attributes, comments or unsafe URLs; text re-escaped."""
    parser = _Sanitizer()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out)


# ------------------------------------------------------------- headings, typography, math

_TYPO_RE = re.compile(r"---|--|\.\.\.")
_TYPO = {"---": "\u2014", "--": "\u2013", "...": "\u2026"}
_HEADER_ID_RE = re.compile(r"[\t ]\{#([A-Za-z][\w:-]*)\}[\t ]*\Z", re.ASCII)


def header_ids(state: StateCore) -> None:
    """Before inline parsing: ``# Title {#custom-id}`` sets the heading's id."""
    for i, token in enumerate(state.tokens):
        if token.type == "heading_open" and (
            m := _HEADER_ID_RE.search(state.tokens[i + 1].content)
        ):
            token.attrSet("id", m.group(1))
            state.tokens[i + 1].content = state.tokens[i + 1].content[: m.start()].rstrip()


def _is_word(ch: str) -> bool:
    """Ruby's \\p{Word} (letters, marks, Nd/Nl digits, connectors) plus '-', space, tab."""
    if ch in "- \t\u200c\u200d":
        return True
    category = unicodedata.category(ch)
    return category[0] in "LM" or category in ("Nd", "Nl", "Pc")


def gfm_header_id(text: str) -> str:
    """kramdown-parser-gfm's id: lowercase, keep word characters (Unicode letters, marks,
    digits, _), '-', spaces and tabs; spaces and tabs become '-'."""
    return "".join(ch for ch in text.lower() if _is_word(ch)).replace(" ", "-").replace("\t", "-")


def heading_text(inline: Token) -> str:
    """The heading's raw text as kramdown sees it: text and code spans, no markup or HTML."""
    return "".join(
        child.content for child in inline.children or () if child.type in ("text", "code_inline")
    )


def heading_ids(state: StateCore) -> None:
    """After inline parsing: ids for headings that have none; text kept in meta."""
    counter: dict[str, int] = {}
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        token.meta["text"] = text = heading_text(tokens[i + 1])
        if token.attrGet("id"):
            continue
        base = gfm_header_id(text) or "section"
        seen = counter.get(base, -1) + 1
        counter[base] = seen
        token.attrSet("id", f"{base}-{seen}" if seen else base)


def _typographic_symbol(m: re.Match[str]) -> str:
    return _TYPO[m.group(0)]


def typography(state: StateCore) -> None:
    """kramdown's typographic symbols: --- em dash, -- en dash, ... ellipsis."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        autolink = 0
        for token in block.children:
            if token.type == "text" and not autolink:
                token.content = _TYPO_RE.sub(_typographic_symbol, token.content)
            elif token.type == "link_open" and token.info == "auto":
                autolink += 1
            elif token.type == "link_close" and autolink:
                autolink -= 1


def math_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``$$ ... $$`` alone between blank lines is display math (kramdown: ``\\[...\\]``)."""
    if state.is_code_block(start):
        return False
    first = line_text(state, start)
    if not first.startswith("$$"):
        return False
    line, body = start, first[2:]
    while not body.rstrip().endswith("$$") or (line == start and len(first.strip()) < 4):
        line += 1
        if line >= end or state.isEmpty(line):
            return False
        body += "\n" + line_text(state, line)
    if line + 1 < end and not state.isEmpty(line + 1):
        return False
    if not silent:
        token = state.push("kd_math_block", "math", 0)
        token.content, token.map = body.rstrip()[:-2].strip(), [start, line + 1]
        state.line = line + 1
    return True


def math_dollar(state: StateInline, silent: bool) -> bool:
    """``$...$`` is inline math, with Pandoc's rules so prices stay text: no space after the
    opening or before the closing ``$``, no digit right after it ("$5 or $10" is text)."""
    src, pos, end = state.src, state.pos, state.posMax
    if src[pos] != "$" or src.startswith("$$", pos) or pos + 1 >= end or src[pos + 1] in " \t\n":
        return False
    close = pos + 1
    while True:
        close = src.find("$", close, end)
        if close < 0:
            return False
        if src[close - 1] != "\\":
            break
        close += 1
    if src[close - 1] in " \t\n" or (close + 1 < end and src[close + 1].isdigit()):
        return False
    if not silent:
        state.push("kd_math_inline", "math", 0).content = src[pos + 1 : close]
    state.pos = close + 1
    return True


def video_paragraphs(state: StateCore) -> None:
    """A paragraph holding only a YouTube, Vimeo or Bilibili link -> a click-to-load embed."""
    tokens, out, i = state.tokens, [], 0
    while i < len(tokens):
        token = tokens[i]
        if (
            token.type == "paragraph_open"
            and not token.hidden
            and i + 2 < len(tokens)
            and tokens[i + 1].type == "inline"
            and tokens[i + 2].type == "paragraph_close"
        ):
            url = _lone_url(tokens[i + 1].children or [])
            video = video_embed(url) if url else None
            if video:
                embed = Token("scholarsite_embed", "", 0)
                embed.block, embed.map, embed.meta = True, token.map, {"video": video}
                out.append(embed)
                i += 3
                continue
        out.append(token)
        i += 1
    tokens[:] = out


def _lone_url(children: Sequence[Token]) -> str:
    if len(children) == 1 and children[0].type == "text":
        text = children[0].content.strip()
        return text if text.startswith(("http://", "https://")) and " " not in text else ""
    if [c.type for c in children] == ["link_open", "text", "link_close"]:
        href = str(children[0].attrGet("href") or "")
        return href if children[1].content.strip() in (href, href.rstrip("/")) else ""
    return ""


def math_inline(state: StateInline, silent: bool) -> bool:
    """``$$...$$`` in a paragraph is inline math (``\\(...\\)``); a single ``$`` is a dollar."""
    src, pos = state.src, state.pos
    if not src.startswith("$$", pos):
        return False
    close = src.find("$$", pos + 2, state.posMax)
    if close <= pos + 2:
        return False
    if not silent:
        state.push("kd_math_inline", "math", 0).content = src[pos + 2 : close]
    state.pos = close + 2
    return True


# --------------------------------------------------------------------------- page parser

Renderer = Any  # markdown-it's RendererHTML (its rules are called as methods)


def _render_html_block(self: Renderer, tokens: Sequence[Token], idx: int, options, env) -> str:
    content = _COMMENT_RE.sub("", tokens[idx].content)
    mode = env.get("raw_html", "passthrough")
    if mode == "sanitize":
        return sanitize_html(content)
    if mode == "escape":
        return f"<p>{escapeHtml(content.strip())}</p>\n" if content.strip() else ""
    return defer_iframes(content, env.get("lang", "en"))


def _render_html_inline(self: Renderer, tokens: Sequence[Token], idx: int, options, env) -> str:
    content = _COMMENT_RE.sub("", tokens[idx].content)
    mode = env.get("raw_html", "passthrough")
    if mode == "sanitize":
        return sanitize_html(content)
    if mode == "escape":
        return escapeHtml(content)
    return defer_iframes(content, env.get("lang", "en"))


def _render_del(self: Renderer, tokens: Sequence[Token], idx: int, options, env) -> str:
    tokens[idx].tag = "del"  # kramdown writes ~~x~~ as <del>
    return self.renderToken(tokens, idx, options, env)


def _render_math(self: Renderer, tokens: Sequence[Token], idx: int, options, env) -> str:
    """Math as MathML (drawn by the browser, no script); TeX that cannot be converted is
    kept as kramdown writes it, ``\\(...\\)`` / ``\\[...\\]``."""
    token = tokens[idx]
    block = token.type == "kd_math_block"
    mathml = to_mathml(token.content, display=block)
    if mathml is None:
        text = escapeHtml(token.content)
        return f"\\[{text}\\]\n" if block else f"\\({text}\\)"
    return f'<div class="math-display">{mathml}</div>\n' if block else mathml


def _render_embed(self: Renderer, tokens: Sequence[Token], idx: int, options, env) -> str:
    embed, link, host = tokens[idx].meta["video"]
    return placeholder(embed, link, host, env.get("lang", "en"))


def _configure_page_parser(md: MarkdownIt) -> MarkdownIt:
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(deflist_plugin).use(kramdown_plugin)
    md.block.ruler.before("paragraph", "kd_math_block", math_block)
    md.inline.ruler.before("escape", "kd_math_inline", math_inline)
    md.inline.ruler.after("kd_math_inline", "kd_math_dollar", math_dollar)
    md.core.ruler.before("inline", "kd_header_id", header_ids)
    md.core.ruler.after("inline", "kd_typography", typography)
    md.core.ruler.push("kd_heading_ids", heading_ids)
    md.disable("replacements")  # kramdown leaves (c), +-, ?.... alone
    md.enable("smartquotes")
    md.options["typographer"] = True
    return md


@cache
def _page_md() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": True, "linkify": False})
    _configure_page_parser(md)
    md.validateLink = is_safe_url  # type: ignore[method-assign]
    md.add_render_rule("html_block", _render_html_block)
    md.add_render_rule("html_inline", _render_html_inline)
    md.add_render_rule("s_open", _render_del)
    md.add_render_rule("s_close", _render_del)
    md.add_render_rule("kd_math_inline", _render_math)
    md.add_render_rule("kd_math_block", _render_math)
    md.core.ruler.push("scholarsite_embeds", video_paragraphs)
    md.add_render_rule("scholarsite_embed", _render_embed)
    md.options["highlight"] = highlight_code
    return md


@cache
def _scan_md() -> MarkdownIt:
    """The page parser accepting any link target, as written: for unsafe_urls."""
    md = _configure_page_parser(MarkdownIt("commonmark", {"html": True}))
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    return md


_TAG_RE = re.compile(r"""<[A-Za-z][^\s/>]*(?:[^>"']|"[^"]*"|'[^']*')*>""")
_LINK_ATTR_RE = re.compile(
    r"""[\s"'](href|src|srcset)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I
)


def _attr_urls(fragment: str) -> Iterator[str]:
    """href, src and srcset URLs of the start tags in an HTML fragment, in order."""
    for tag in _TAG_RE.finditer(fragment):
        text = tag.group(0)
        if "=" not in text:
            continue
        for m in _LINK_ATTR_RE.finditer(text):
            value = html.unescape(next(g for g in m.groups()[1:] if g is not None))
            if m.group(1).lower() == "srcset":
                yield from (c.split()[0] for c in value.split(",") if c.strip())
            else:
                yield value


def _walk(tokens: Sequence[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def render_page(text: str, *, raw_html: str = "passthrough", lang: str = "en") -> RenderedPage:
    """Render a page body (Markdown with raw HTML) as Jekyll's kramdown would.

    ``raw_html``: ``"passthrough"`` (as Jekyll does), ``"sanitize"`` (allow-list) or
    ``"escape"`` (raw HTML shown as text). HTML comments are always dropped. Beyond
    kramdown: ``$...$`` math and ``$$...$$`` become MathML, fenced code with a language is
    highlighted (Pygments classes), a lone video link and third-party iframes load on
    click (labels in ``lang``)."""
    if raw_html not in RAW_HTML_MODES:
        raise ValueError(f"raw_html must be one of {', '.join(RAW_HTML_MODES)}: {raw_html!r}")
    md = _page_md()
    env: dict[str, Any] = {"raw_html": raw_html, "lang": lang}
    if raw_html != "passthrough":
        env["kramdown_attr_filter"] = allowed_attribute
    tokens = md.parse(text, env)
    out = md.renderer.render(tokens, md.options, env)
    if raw_html != "passthrough":  # untrusted bodies: no bidi overrides or controls either
        out = strip_unsafe_chars(out)
    headings = tuple(
        (int(t.tag[1]), str(t.attrGet("id") or ""), t.meta.get("text", ""))
        for t in tokens
        if t.type == "heading_open"
    )
    return RenderedPage(out, headings, tuple(_attr_urls(out)))


# --------------------------------------------------------------------------- inline fields

# Characters that can make inline Markdown differ from escaped text.
_INLINE_SPECIAL = re.compile(r"[\\`*_\[\]&\n]")


def _render_break(self: Renderer, tokens: Sequence[Token], idx: int, options, env) -> str:
    return "\n"


@cache
def _inline_md() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False, "linkify": False})
    md.disable(["image", "autolink", "html_inline"])
    md.validateLink = is_safe_url  # type: ignore[method-assign]
    md.add_render_rule("hardbreak", _render_break)
    return md


@lru_cache(maxsize=16384)
def _render_inline(text: str) -> str:
    return _inline_md().renderInline(text)


def render_inline(text: str) -> str:
    """Inline Markdown of a data field as HTML: links (safe URLs only), emphasis, strong,
    code; everything else, raw HTML included, is escaped text. No paragraph wrapper."""
    if not _INLINE_SPECIAL.search(text):
        return escapeHtml(text)
    return _render_inline(text)


@lru_cache(maxsize=16384)
def _inline_text(text: str) -> str:
    parts: list[str] = []
    for token in _walk(_inline_md().parseInline(text)):
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def inline_text(text: str) -> str:
    """The text of an inline-Markdown field with the Markdown removed: plain text, NOT
    HTML-escaped (for <title>, meta tags, alt text; the template escapes it)."""
    if not _INLINE_SPECIAL.search(text):
        return text
    return _inline_text(text)


def unsafe_urls(text: str) -> list[str]:
    """The unsafe link targets (javascript:, data:, ... see ``is_safe_url``) of Markdown
    links, images and autolinks and of raw HTML href/src attributes in ``text``, as
    written (entities decoded), in order, each once."""
    found: list[str] = []
    for token in _walk(_scan_md().parse(text, {})):
        if token.type == "link_open":
            candidates: Iterator[str] | list[str] = [str(token.attrGet("href") or "")]
        elif token.type == "image":
            candidates = [str(token.attrGet("src") or "")]
        elif token.type in ("html_block", "html_inline"):
            candidates = _attr_urls(_COMMENT_RE.sub("", token.content))
        else:
            continue
        for url in candidates:
            if url not in found and not is_safe_url(url):
                found.append(url)
    return found


def link_targets(text: str) -> list[tuple[int, str]]:
    """Every link target in Markdown ``text`` (links, images, autolinks, reference links and
    raw HTML href/src/srcset), as written (entities decoded), in order, each with the 0-based
    line of the block it stands in (for ``scholarsite check``)."""
    found: list[tuple[int, str]] = []
    line = 0
    for block in _scan_md().parse(text, {}):
        if block.map:
            line = block.map[0]
        for token in _walk([block]):
            if token.type == "link_open":
                found.append((line, str(token.attrGet("href") or "")))
            elif token.type == "image":
                found.append((line, str(token.attrGet("src") or "")))
            elif token.type in ("html_block", "html_inline"):
                found.extend((line, u) for u in _attr_urls(_COMMENT_RE.sub("", token.content)))
    return found
