"""Code highlighting with Pygments: short token classes, coloured by the theme's CSS
(one palette per colour scheme), so a page carries no inline styles."""

from __future__ import annotations

from functools import cache, lru_cache

# Pygments is imported when a page has a code block with a language (not at start-up)


@cache
def _formatter():
    from pygments.formatters.html import HtmlFormatter

    return HtmlFormatter(nowrap=True)


@lru_cache(maxsize=256)
def _lexer(name: str):
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(name, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def highlight_code(code: str, lang: str, attrs: str = "") -> str:
    """Token spans for `code` in language `lang` (markdown-it's `highlight` hook); ""
    for no or an unknown language, which leaves the block to markdown-it's escaping."""
    name = (lang or "").strip().split()[0].lower() if (lang or "").strip() else ""
    if not name:
        return ""
    lexer = _lexer(name)
    if lexer is None:
        return ""
    from pygments import highlight

    return highlight(code, lexer, _formatter())
