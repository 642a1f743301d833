"""LaTeX math to MathML, on the server: no script, no font download, browsers draw it.

`latex2mathml` does the conversion; its output is then rebuilt through an allow-list
(MathML elements and presentation attributes only, text re-escaped), because the converter
passes `\\text{<script>}` and `\\href{javascript:...}` through as written.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser


def convert(latex: str, display: str = "inline") -> str:
    """latex2mathml's converter, imported on first use (30 ms: only pages with math)."""
    from latex2mathml.converter import convert as latex2mathml

    return latex2mathml(latex, display=display)


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


MATHML_TAGS = _names(
    "math maction menclose merror mfenced mfrac mi mmultiscripts mn mo mover mpadded "
    "mphantom mprescripts mroot mrow ms mspace msqrt mstyle msub msubsup msup mtable mtd "
    "mtext mtr munder munderover none semantics annotation"
)
MATHML_ATTRS = _names(
    "display mathvariant stretchy fence separator lspace rspace accent accentunder "
    "columnalign columnspacing columnlines rowalign rowspacing rowlines frame framespacing "
    "displaystyle scriptlevel minsize maxsize movablelimits symmetric largeop width height "
    "depth linethickness notation form open close separators align voffset mathcolor "
    "mathbackground mathsize encoding"
)
_SAFE_VALUE = re.compile(r"^[\w .,:%#+-]*$")


class _Rebuild(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if tag not in MATHML_TAGS:
            return
        parts = [tag]
        for name, value in attrs:
            if name in MATHML_ATTRS and value is not None and _SAFE_VALUE.match(value):
                parts.append(f'{name}="{html.escape(value)}"')
        self.out.append("<" + " ".join(parts) + (" />" if closed else ">"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, True)

    def handle_endtag(self, tag: str) -> None:
        if tag in MATHML_TAGS:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))


def _clean(markup: str) -> str:
    parser = _Rebuild()
    parser.feed(markup)
    parser.close()
    return "".join(parser.out)


@lru_cache(maxsize=4096)
def to_mathml(latex: str, display: bool = False) -> str | None:
    """`latex` as a `<math>` element (display="block" or "inline"), None when it cannot
    be converted. The TeX source is kept in `alttext` for copy and assistive technology."""
    try:
        markup = convert(latex, display="block" if display else "inline")
    except Exception:  # the converter raises many kinds of errors on bad input
        return None
    body = _clean(markup)
    if not body.startswith("<math"):
        return None
    alt = html.escape(" ".join(latex.split()))
    return body.replace("<math", f'<math alttext="{alt}"', 1)
