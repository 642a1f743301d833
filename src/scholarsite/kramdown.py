"""kramdown (Jekyll 4, GFM input) compatibility rules for markdown-it.

``kramdown_plugin(md)`` makes CommonMark read a Jekyll page as kramdown did:

- ``\\\\`` at a line end is a hard break;
- a block HTML element at a line start ends at its matching closing tag (the next line is
  Markdown again); its content is raw unless it carries ``markdown="1"``; inline HTML
  elements parse their content on their own (``**A**<sup>*</sup>, B<sup>*</sup>`` keeps
  its ``*`` out of emphasis), raw-content ones (``<code>``, ``<font>``...) stay raw;
- HTML comments produce no tokens (the renderer drops inline ones);
- attribute lists: span IALs after links, images, emphasis and code, block IALs before or
  after a block, ALDs ``{:name: ...}`` and ``{::comment}`` extensions.

Heading ids, typographic symbols and math live with the page parser in ``markdown.py``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.html_re import attribute
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block import html_block as commonmark_html_block
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .urls import is_safe_url

AttrFilter = Callable[[str, str], bool]


def tag_names(text: str) -> frozenset[str]:
    """``"a b c"`` -> frozenset of names."""
    return frozenset(text.split())


#: kramdown's span-level HTML elements (everything else at a line start is block HTML).
SPAN_ELEMENTS = tag_names(
    "a abbr acronym b big bdo br button cite code del dfn em i img input ins kbd label "
    "mark option q rb rbc rp rt rtc ruby samp select small span strong sub sup textarea "
    "time tt u var"
)
#: Inline elements whose content kramdown parses as Markdown; other elements keep raw content.
SPAN_MODEL = tag_names(
    "a abbr acronym b bdo big button cite caption del dfn dt em h1 h2 h3 h4 h5 h6 i ins "
    "label legend optgroup p q rb rbc rp rt rtc ruby select small span strong sub sup th "
    "tt"
)
BLOCK_MODEL = tag_names(
    "address applet article aside blockquote body dd details div dl fieldset figure "
    "figcaption footer form header hgroup iframe li main map menu nav noscript object "
    "section summary td"
)
VOID_ELEMENTS = tag_names(
    "area base br col command embed hr img input keygen link meta param source track wbr"
)
_COMMONMARK_RAW = frozenset({"script", "pre", "style", "textarea"})

_OPEN_TAG_RE = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)" + attribute + r"*\s*(/?)>")
_TAG_START_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)")
_MARKDOWN_ATTR_RE = re.compile(r"""\s+markdown\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")

_IAL_BODY = r"((?:\\\}|[^}])+)"
_BLOCK_IAL_RE = re.compile(r"\{:(?![:/])" + _IAL_BODY + r"\}[ \t]*$")
_ALD_RE = re.compile(r"\{:(\w[\w-]*):" + _IAL_BODY + r"\}[ \t]*$", re.ASCII)
_EXT_RE = re.compile(r"\{::(\w+)([^}]*?)(/)?\}[ \t]*$")
_SPAN_IAL_RE = re.compile(r"\{:" + _IAL_BODY + r"\}")
_ALD_ITEM_RE = re.compile(
    r"""(?:\A|\s)(?:(\w[\w-]*)=("|')((?:\\\}|[^}])*?)\2|(\w[\w-]*)"""
    r"""|((?:#[A-Za-z][\w:-]*|\.[^\s.#]+)+))(?=\s|\Z)""",
    re.ASCII,
)
_ID_OR_CLASS_RE = re.compile(r"#([A-Za-z][\w:-]*)|\.([^\s.#]+)", re.ASCII)
_ATTR_NAME_RE = re.compile(r"[A-Za-z_][\w.-]*\Z", re.ASCII)
_URL_ATTRS = frozenset({"href", "src", "srcset", "action", "formaction", "cite", "poster"})
_CLOSERS = frozenset({"link_close", "em_close", "strong_close", "s_close"})


# --------------------------------------------------------------------------- attributes


def parse_attribute_list(text: str) -> tuple[dict[str, str], list[str]]:
    """kramdown's IAL/ALD grammar: ``.class #id key="value" ref`` -> (attributes, refs)."""
    attrs: dict[str, str] = {}
    refs: list[str] = []
    for m in _ALD_ITEM_RE.finditer(text):
        key, quote, value, ref, id_class = m.groups()
        if key:
            attrs[key] = re.sub(r"\\(\}|" + quote + ")", r"\1", value)
        elif ref:
            refs.append(ref)
        elif id_class:
            for id_, cls in _ID_OR_CLASS_RE.findall(id_class):
                if cls:
                    attrs["class"] = f"{attrs.get('class', '')} {cls}".lstrip()
                else:
                    attrs["id"] = id_
    return attrs, refs


def default_attr_filter(name: str, value: str) -> bool:
    """Attributes an IAL may set: valid names, no event handlers, no unsafe URLs."""
    name = name.lower()
    if not _ATTR_NAME_RE.match(name) or name.startswith("on"):
        return False
    if name == "srcset":
        return all(is_safe_url(c.split()[0]) for c in value.split(",") if c.strip())
    return name not in _URL_ATTRS or is_safe_url(value)


def _apply_attrs(token: Token, ial: tuple[dict[str, str], list[str]], env: dict) -> None:
    attrs, refs = ial
    allowed: AttrFilter = env.get("kramdown_attr_filter", default_attr_filter)
    merged: dict[str, str] = {}
    for ref in refs:  # attribute list definitions first, the IAL's own values win
        merged.update(env.get("kramdown_alds", {}).get(ref, ({}, []))[0])
    merged.update(attrs)
    for name, value in merged.items():
        if not allowed(name, value):
            continue
        if name == "class" and token.attrGet("class"):
            value = f"{token.attrGet('class')} {value}"
        token.attrSet(name, value)


# --------------------------------------------------------------------------- block rules


def line_text(state: StateBlock, line: int) -> str:
    """A source line without its indentation (inside the current container)."""
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _outdented(state: StateBlock, line: int) -> bool:
    return state.sCount[line] < state.blkIndent and not state.isEmpty(line)


def _push_paragraph(state: StateBlock, text: str, line: int) -> None:
    token = state.push("paragraph_open", "p", 1)
    token.map = [line, line + 1]
    token = state.push("inline", "", 0)
    token.content, token.map, token.children = text, [line, line + 1], []
    state.push("paragraph_close", "p", -1)


@lru_cache(maxsize=256)
def _element_re(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"""<(/?){re.escape(name)}(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*?(/?)>""", re.I
    )


@lru_cache(maxsize=128)
def _pairs(src: str, name: str) -> dict[int, tuple[int, int]]:
    """Offset of each opening `name` tag in `src` -> (start, end) of its matching closing
    tag (nesting counted). One pass per text and name keeps unclosed tags linear."""
    pairs: dict[int, tuple[int, int]] = {}
    stack: list[int] = []
    for m in _element_re(name).finditer(src):
        if m.group(1):
            if stack:
                pairs[stack.pop()] = (m.start(), m.end())
        elif not m.group(2):
            stack.append(m.start())
    return pairs


def _find_close(state: StateBlock, start: int, end: int, name: str) -> tuple[int, int, int] | None:
    """(line, start col, end col) of the closing tag matching the element opened at the
    start of line `start`, if it is inside the current container."""
    offset = state.bMarks[start] + state.tShift[start]
    pair = _pairs(state.src, name).get(offset)
    if pair is None:
        return None
    line = bisect_right(state.bMarks, pair[0], start, end) - 1
    if pair[1] > state.eMarks[line] or any(
        _outdented(state, i) for i in range(start + 1, line + 1)
    ):
        return None
    first = state.bMarks[line] + state.tShift[line]
    return line, pair[0] - first, pair[1] - first


def _comment_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """An HTML comment at a line start: dropped; text after ``-->`` is a paragraph."""
    line, col = start, 4
    while line < end and not (line > start and _outdented(state, line)):
        found = line_text(state, line).find("-->", col if line == start else 0)
        if found >= 0:
            break
        line += 1
    else:
        found = -1
    if silent:  # a one-line comment stays inside the paragraph (the renderer drops it)
        return not (found >= 0 and line == start)
    rest = line_text(state, line)[found + 3 :] if found >= 0 else ""
    while rest.lstrip().startswith("<!--") and "-->" in rest:
        rest = rest[rest.index("-->") + 3 :]
    if rest.strip():
        _push_paragraph(state, rest.strip(), line)
    state.line = line + 1 if found >= 0 else line
    return True


def html_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """kramdown block HTML: a non-span element at a line start runs to its matching close."""
    if state.is_code_block(start) or not state.md.options.get("html"):
        return False
    text = line_text(state, start)
    if not text.startswith("<"):
        return False
    if text.startswith("<!--"):
        return _comment_block(state, start, end, silent)
    m = _OPEN_TAG_RE.match(text)
    if not m:
        return False
    name = m.group(1).lower()
    if name in SPAN_ELEMENTS or name in _COMMONMARK_RAW:
        return False
    if m.group(2) or name in VOID_ELEMENTS:
        close = (start, m.end(), m.end())
    elif (close := _find_close(state, start, end, name)) is None:
        return False  # unclosed: CommonMark's html_block takes it
    if silent:
        return True
    close_line, close_start, close_end = close
    close_text = line_text(state, close_line)
    closing_tag = close_text[close_start:close_end] + "\n"
    mode = _MARKDOWN_ATTR_RE.search(m.group(0))  # kramdown's markdown="1|block|span|0"
    value = (mode.group(1) or mode.group(2) or mode.group(3) or "0") if mode else "0"
    if value in ("1", "block", "span") and close_end > close_start:
        open_tag = _MARKDOWN_ATTR_RE.sub("", m.group(0), count=1)
        if (
            (value == "block" or (value == "1" and name in BLOCK_MODEL))
            and not text[m.end() :].strip()
            and not close_text[:close_start].strip()
        ):
            state.push("html_block", "", 0).content = open_tag + "\n"
            line_max, state.lineMax = state.lineMax, close_line  # paragraphs look at lineMax
            state.md.block.tokenize(state, start + 1, close_line)
            state.lineMax = line_max
        else:
            lines = [line_text(state, i) for i in range(start, close_line + 1)]
            lines[-1] = lines[-1][:close_start]
            lines[0] = lines[0][m.end() :]
            state.push("html_block", "", 0).content = open_tag
            inline = state.push("inline", "", 0)
            inline.content, inline.children = "\n".join(lines).strip(), []
        state.push("html_block", "", 0).content = closing_tag
    else:
        token = state.push("html_block", "", 0)
        token.map = [start, close_line + 1]
        token.content = (
            state.getLines(start, close_line, state.blkIndent, True) + close_text[:close_end] + "\n"
        )
    if close_text[close_end:].strip():
        _push_paragraph(state, close_text[close_end:].strip(), close_line)
    state.line = close_line + 1
    return True


def _no_span_html_block(original: Callable[..., bool]) -> Callable[..., bool]:
    """CommonMark's html_block, minus lines starting with a span element (<img>, <b>...):
    kramdown reads those as a paragraph."""

    def rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        m = _TAG_START_RE.match(line_text(state, start))
        if m and m.group(1).lower() in SPAN_ELEMENTS and m.group(1).lower() != "textarea":
            return False
        return original(state, start, end, silent)

    return rule


def block_ial(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A line holding an IAL ``{: .c}``, an ALD ``{:name: .c}`` or an extension
    (``{::comment}...{:/comment}``, ``{::options .../}``, ``{::nomarkdown}...``)."""
    if state.is_code_block(start):
        return False
    text = line_text(state, start)
    if not text.startswith("{:"):
        return False
    ext = _EXT_RE.match(text)
    if ext and ext.group(1) in ("comment", "nomarkdown", "options"):
        if silent:
            return True
        last = start
        if ext.group(1) != "options" and not ext.group(3):
            closing = ("{:/}", "{:/" + ext.group(1) + "}")
            last += 1
            while last < end and line_text(state, last).strip() not in closing:
                last += 1
        if ext.group(1) == "nomarkdown":
            content = state.getLines(start + 1, min(last, end), state.blkIndent, True)
            state.push("html_block", "", 0).content = content
        state.line = min(last + 1, end)
        return True
    ald = _ALD_RE.match(text)
    ial = None if ald else _BLOCK_IAL_RE.match(text)
    if not (ald or ial):
        return False
    if silent:
        return True
    if ald:
        state.env.setdefault("kramdown_alds", {})[ald.group(1)] = parse_attribute_list(ald[2])
    else:
        token = state.push("kd_ial", "", 0)
        token.hidden = True
        token.map = [start, start + 1]
        token.meta = {
            "ial": parse_attribute_list(ial.group(1)),
            "after_blank": start == 0 or state.isEmpty(start - 1),
        }
    state.line = start + 1
    return True


# --------------------------------------------------------------------------- inline rules


def hard_break(state: StateInline, silent: bool) -> bool:
    """kramdown: two backslashes right before a newline are a <br />."""
    pos = state.pos
    if not state.src.startswith("\\\\\n", pos):
        return False
    if not silent:
        state.push("hardbreak", "br", 0)
    pos += 3
    while pos < state.posMax and state.src[pos] in " \t":
        pos += 1
    state.pos = pos
    return True


def html_span(state: StateInline, silent: bool) -> bool:
    """An inline HTML element with its closing tag: content parsed on its own (span model)
    or kept raw (kramdown's raw-content elements: code, kbd, font, script...)."""
    src, pos = state.src, state.pos
    if src[pos] != "<" or not state.md.options.get("html"):
        return False
    m = _OPEN_TAG_RE.match(src, pos, state.posMax)
    if not m or m.group(2) or m.group(1).lower() in VOID_ELEMENTS:
        return False
    name = m.group(1).lower()
    close = _pairs(src, name).get(pos)
    if close is None or close[1] > state.posMax:
        return False
    nesting = state.env.get("kramdown_span_nesting", 0)
    if not silent:
        if name in SPAN_MODEL and nesting < 20:  # deeper: raw, to keep recursion bounded
            state.push("html_inline", "", 0).content = m.group(0)
            state.env["kramdown_span_nesting"] = nesting + 1
            try:
                inner = state.md.inline.parse(src[m.end() : close[0]], state.md, state.env, [])
            finally:
                state.env["kramdown_span_nesting"] = nesting
            state.tokens.extend(inner)
            state.tokens_meta.extend([None] * len(inner))
            state.push("html_inline", "", 0).content = src[close[0] : close[1]]
        else:
            state.push("html_inline", "", 0).content = src[pos : close[1]]
    state.pos = close[1]
    return True


def span_ial(state: StateInline, silent: bool) -> bool:
    """``{:...}`` right after an element; applied (or turned back into text) afterwards."""
    if silent or state.src[state.pos] != "{" or not state.tokens or state.pending:
        return False
    m = _SPAN_IAL_RE.match(state.src, state.pos, state.posMax)
    if not m:
        return False
    token = state.push("kd_span_ial", "", 0)
    token.content, token.meta = m.group(0), {"ial": parse_attribute_list(m.group(1))}
    state.pos = m.end()
    return True


def _matching_open(tokens: list[Token], close_index: int) -> Token | None:
    close = tokens[close_index]
    wanted = close.type[: -len("_close")] + "_open"
    for token in reversed(tokens[:close_index]):
        if token.type == wanted and token.level == close.level:
            return token
    return None


def apply_span_ials(state: StateInline) -> None:
    """ruler2: put each span IAL's attributes on the element before it."""
    if not any(t.type == "kd_span_ial" for t in state.tokens):
        return
    out: list[Token] = []
    for token in state.tokens:
        if token.type != "kd_span_ial":
            out.append(token)
            continue
        while out and out[-1].type == "text" and not out[-1].content:
            out.pop()  # what is left of a `**` delimiter
        prev = out[-1] if out else None
        target = None
        if prev is not None and prev.type in ("image", "code_inline", "kd_math_inline"):
            target = prev
        elif prev is not None and prev.type in _CLOSERS:
            target = _matching_open(out, len(out) - 1)
        if target is None:
            token.type = "text"  # kramdown: an IAL after plain text is plain text
            out.append(token)
        else:
            _apply_attrs(target, token.meta["ial"], state.env)
    state.tokens[:] = out


# --------------------------------------------------------------------------- core rules


def apply_block_ials(state: StateCore) -> None:
    """A block IAL right after a block (no blank line) applies to it, otherwise to the next
    block at the same level."""
    tokens = state.tokens
    if not any(t.type == "kd_ial" for t in tokens):
        return
    out: list[Token] = []
    pending: dict[int, list] = {}
    for token in tokens:
        if token.type == "kd_ial":
            prev = out[-1] if out else None
            target = None
            if prev is not None and not token.meta["after_blank"] and prev.level == token.level:
                target = prev if prev.nesting == 0 else _matching_open(out, len(out) - 1)
            if target is not None and target.type not in ("html_block", "inline", "kd_ial"):
                _apply_attrs(target, token.meta["ial"], state.env)
            else:
                pending.setdefault(token.level, []).append(token.meta["ial"])
            continue
        if pending.get(token.level) and token.nesting >= 0 and token.type != "html_block":
            for ial in pending.pop(token.level):
                _apply_attrs(token, ial, state.env)
        out.append(token)
    tokens[:] = out


def kramdown_plugin(md: MarkdownIt) -> None:
    """Install the compatibility rules on `md` (which must have html enabled for HTML rules)."""
    md.block.ruler.before(
        "html_block", "kd_html_block", html_block, {"alt": ["paragraph", "reference", "blockquote"]}
    )
    md.block.ruler.at("html_block", _no_span_html_block(commonmark_html_block))
    md.block.ruler.before(
        "table", "kd_ial", block_ial, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
    md.inline.ruler.before("escape", "kd_hard_break", hard_break)
    md.inline.ruler.before("html_inline", "kd_html_span", html_span)
    md.inline.ruler.before("emphasis", "kd_span_ial", span_ial)
    md.inline.ruler2.push("kd_span_ial", apply_span_ials)
    md.core.ruler.after("block", "kd_block_ial", apply_block_ials)
