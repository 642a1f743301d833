"""LaTeX as written in BibTeX values, to Unicode text with inline Markdown.

`latex_to_text` handles what bibliographies use: accents (`{\\"u}`, `\\'e`, `\\c{c}`),
special letters (`\\ss`, `\\o`, `\\l`), escapes (`\\&`, `\\%`), ties and dashes,
`\\textit`/`\\emph` (-> `*x*`), `\\textbf` (-> `**x**`), super/subscripts in text and math
(Unicode when every character has one), `\\url`, and protective braces. Other commands
fall back to pylatexenc. Values without any LaTeX are returned unchanged, fast.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

__all__ = ["latex_to_text", "subscript", "superscript"]

_PLAIN = re.compile(r"[^\\{}$~`'\-^_]+")
_WORD = re.compile(r"[A-Za-z]+")
_SPACES = re.compile(r"[ \t\n\r]*")
_MATH_END = re.compile(r"(?<!\\)\$")
_STYLE = re.compile(
    r"\\(em|it|itshape|sl|slshape|bf|bfseries|sc|scshape|tt|rm|sf|normalfont|upshape)"
    r"(?![A-Za-z])[ \t\n]*"
)
_URL_ESCAPE = re.compile(r"\\([_%&#$~])")

_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
    "t": "\u0361",
}
_BARE_ACCENT = {"\u0303": "~", "\u0302": "^", "\u0301": "´", "\u0308": "¨", "\u0300": "`"}

# Letters: a space after them is eaten, as TeX does ("Stra\ss e" -> "Straße").
_LETTERS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
    "dj": "đ",
    "DJ": "Đ",
    "SS": "SS",
}
_SYMBOLS = {
    "LaTeX": "LaTeX",
    "LaTeXe": "LaTeX2ε",
    "TeX": "TeX",
    "BibTeX": "BibTeX",
    "XeTeX": "XeTeX",
    "dag": "†",
    "dagger": "†",
    "ddag": "‡",
    "ddagger": "‡",
    "textdagger": "†",
    "textdaggerdbl": "‡",
    "ast": "∗",
    "textasteriskcentered": "∗",
    "S": "§",
    "P": "¶",
    "copyright": "©",
    "textcopyright": "©",
    "textregistered": "®",
    "texttrademark": "™",
    "ldots": "…",
    "dots": "…",
    "textellipsis": "…",
    "textendash": "–",
    "textemdash": "—",
    "textquoteleft": "‘",
    "textquoteright": "’",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "guillemotleft": "«",
    "guillemotright": "»",
    "textbackslash": "\\",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "textbullet": "•",
    "textdegree": "°",
    "textunderscore": "_",
    "euro": "€",
    "texteuro": "€",
    "pounds": "£",
    "times": "×",
    "pm": "±",
    "quad": " ",
    "qquad": " ",
    "newline": " ",
    "par": " ",
    "relax": "",
    "protect": "",
    "xspace": "",
    "em": "",
    "it": "",
    "bf": "",
    "sc": "",
    "rm": "",
    "sf": "",
    "tt": "",
    "sl": "",
    "itshape": "",
    "bfseries": "",
    "scshape": "",
    "normalfont": "",
}
_CONTROL_SYMBOLS = {
    "&": "&",
    "%": "%",
    "_": "_",
    "$": "$",
    "#": "#",
    "{": "{",
    "}": "}",
    " ": " ",
    "\n": " ",
    "\t": " ",
    ",": "\u2009",
    ";": " ",
    ":": " ",
    "!": "",
    "-": "",
    "/": "",
    "@": "",
    "\\": " ",
}
_ITALIC = {"textit", "emph", "textsl", "mathit"}
_BOLD = {"textbf", "mathbf", "boldsymbol"}
_PLAIN_ARG = {
    "textrm",
    "textsf",
    "texttt",
    "textsc",
    "textup",
    "textmd",
    "textnormal",
    "mbox",
    "hbox",
    "text",
    "mathrm",
    "mathsf",
    "mathtt",
    "ensuremath",
    "MakeUppercase",
    "MakeLowercase",
    "uppercase",
    "lowercase",
    "NoCaseChange",
}
_DROP_ARG = {"noopsort", "cite", "citep", "citet", "ref", "label", "footnote", "index"}

_SUP = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVW",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ",
        strict=True,
    )
)
_SUB = dict(
    zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True)
)


def _script(text: str, table: dict[str, str], mark: str) -> str:
    if text and all(c in table for c in text):
        return "".join(table[c] for c in text)
    if text and not any(c.isalnum() for c in text):
        return text  # symbols such as * † ‡ have no superscript form: print them plainly
    return mark + text if text else ""


def superscript(text: str) -> str:
    """`text` in Unicode superscript when every character has one, else `^text`."""
    return _script(text, _SUP, "^")


def subscript(text: str) -> str:
    """`text` in Unicode subscript when every character has one, else `_text`."""
    return _script(text, _SUB, "_")


def _wrap(text: str, mark: str) -> str:
    """Inline-Markdown emphasis that stays valid around leading/trailing spaces."""
    core = text.strip()
    if not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{core}{mark}{trail}"


def _accent(mark: str, base: str) -> str:
    if not base:
        return _BARE_ACCENT.get(mark, "")
    first = {"ı": "i", "ȷ": "j"}.get(base[0], base[0])
    return unicodedata.normalize("NFC", first + mark) + base[1:]


@lru_cache(maxsize=1)
def _pylatexenc() -> Any:
    from pylatexenc.latex2text import LatexNodes2Text  # imported only when needed

    return LatexNodes2Text()


def _fallback(snippet: str) -> str:
    """Leftover commands: ask pylatexenc; on any trouble drop the backslash."""
    try:
        return _pylatexenc().latex_to_text(snippet)
    except Exception:
        return snippet.lstrip("\\")


class _Converter:
    """A recursive reader of one value: text mode, groups, commands and math."""

    def __init__(self, s: str) -> None:
        self.s = s
        self.n = len(s)

    def seq(self, i: int, stop: str, math: bool) -> tuple[str, int]:
        """Convert from `i` up to the unmatched `stop` ('}' or '$'; '' for the end)."""
        s, n = self.s, self.n
        out: list[str] = []
        while i < n:
            c = s[i]
            if c == stop:
                return "".join(out), i + 1
            if c == "{":
                text, i = self.group(i + 1, math)
                out.append(text)
            elif c == "}":
                i += 1
            elif c == "\\":
                text, i = self.command(i, math)
                out.append(text)
            elif c == "$":
                if math:  # a '$' closing an outer math while in a group: stop here
                    return "".join(out), i
                m = _MATH_END.search(s, i + 1)
                if m is None:
                    out.append("$")
                    i += 1
                else:
                    text, _ = self.seq(i + 1, "$", True)
                    out.append(text)
                    i = m.end()
            elif c == "~":
                out.append("\xa0")
                i += 1
            elif math and c in "^_":
                arg, i = self.arg(i + 1, True)
                out.append(superscript(arg) if c == "^" else subscript(arg))
            elif c == "-" and not math:
                j = i
                while j < n and s[j] == "-":
                    j += 1
                run = j - i
                out.append("—" * (run // 3) + ("–" if run % 3 == 2 else "-" * (run % 3)))
                i = j
            elif c == "`" and not math:
                if s.startswith("``", i):
                    out.append("“")
                    i += 2
                else:
                    out.append("‘")
                    i += 1
            elif c == "'" and s.startswith("''", i) and not math:
                out.append("”")
                i += 2
            else:
                m = _PLAIN.match(s, i)
                if m is None:
                    out.append(c)
                    i += 1
                else:
                    out.append(m.group())
                    i = m.end()
        return "".join(out), i

    def group(self, i: int, math: bool) -> tuple[str, int]:
        """A `{...}` group (after its `{`), honouring `{\\em ...}`, `{\\bf ...}`."""
        m = _STYLE.match(self.s, i)
        if m is None:
            return self.seq(i, "}", math)
        text, i = self.seq(m.end(), "}", math)
        style = m.group(1)
        if style in ("em", "it", "itshape", "sl", "slshape"):
            return _wrap(text, "*"), i
        if style in ("bf", "bfseries"):
            return _wrap(text, "**"), i
        return text, i

    def arg(self, i: int, math: bool) -> tuple[str, int]:
        """One macro argument: a group, a command or a single character."""
        i = _SPACES.match(self.s, i).end()
        if i >= self.n:
            return "", i
        c = self.s[i]
        if c == "{":
            return self.seq(i + 1, "}", math)
        if c == "\\":
            return self.command(i, math)
        if c in "}$":
            return "", i
        return c, i + 1

    def raw_arg(self, i: int) -> tuple[str, int]:
        """A group's source text, unconverted (for URLs)."""
        i = _SPACES.match(self.s, i).end()
        if i >= self.n or self.s[i] != "{":
            return "", i
        depth, j = 0, i
        while j < self.n:
            if self.s[j] == "{":
                depth += 1
            elif self.s[j] == "}":
                depth -= 1
                if depth == 0:
                    return self.s[i + 1 : j], j + 1
            j += 1
        return self.s[i + 1 :], self.n

    def command(self, i: int, math: bool) -> tuple[str, int]:
        """A command starting at the backslash at `i`."""
        s = self.s
        if i + 1 >= self.n:
            return "", self.n
        c = s[i + 1]
        m = _WORD.match(s, i + 1)
        if m is None:
            if c in _ACCENTS:
                base, j = self.arg(i + 2, math)
                return _accent(_ACCENTS[c], base), j
            return _CONTROL_SYMBOLS.get(c, c), i + 2
        name, j = m.group(), m.end()
        if name in _LETTERS:
            return _LETTERS[name], _SPACES.match(s, j).end()
        if name in _ACCENTS:
            base, j = self.arg(j, math)
            return _accent(_ACCENTS[name], base), j
        if name in _SYMBOLS:
            return _SYMBOLS[name], j
        if name in _ITALIC or name in _BOLD:
            text, j = self.arg(j, math)
            return _wrap(text, "*" if name in _ITALIC else "**"), j
        if name in _PLAIN_ARG:
            return self.arg(j, math)
        if name in _DROP_ARG:
            _, j = self.raw_arg(j)
            return "", j
        if name == "textsuperscript" or name == "textsubscript":
            text, j = self.arg(j, math)
            return (superscript(text) if name == "textsuperscript" else subscript(text)), j
        if name == "url":
            url, j = self.raw_arg(j)
            return _URL_ESCAPE.sub(r"\1", url), j
        if name == "href":
            _, j = self.raw_arg(j)
            return self.arg(j, math)
        # unknown: hand the command and its adjacent arguments to pylatexenc
        k = j
        while k < self.n and s[k] in "{[":
            if s[k] == "{":
                _, k = self.raw_arg(k)
            else:
                end = s.find("]", k)
                if end < 0:
                    break
                k = end + 1
        return _fallback(s[i:k]), k


@lru_cache(maxsize=1 << 16)
def _convert(value: str) -> str:
    try:
        return _Converter(value).seq(0, "", False)[0]
    except RecursionError:
        return re.sub(r"[{}\\$]", "", value)


_NOT_ESCAPE = re.compile(r"\\(?![&%_#])")  # a backslash other than \& \% \_ \#
_DASH_RUN = re.compile(r"--+")


def _dashes(m: re.Match[str]) -> str:
    run = len(m.group())
    return "—" * (run // 3) + ("–" if run % 3 == 2 else "-" * (run % 3))


def _simple(value: str) -> str:
    """What `_convert` makes of a value whose only LaTeX is dashes, braces and the escapes
    \\& \\% \\_ \\# (no math, ties, quotes or commands), without reading it char by char."""
    if "--" in value:
        if value.count("{") > 64:
            return _convert(value)  # maybe nested too deep for it: its fallback keeps "--"
        value = _DASH_RUN.sub(_dashes, value)  # before the braces go: "-{}-" is two hyphens
    if "\\" in value:
        value = value.replace("\\", "")  # each escapes the next character
    if "{" in value or "}" in value:
        value = value.replace("{", "").replace("}", "")
    return value


def latex_to_text(value: str) -> str:
    """Decode the LaTeX of a BibTeX value to Unicode text with inline Markdown."""
    if "$" in value or "~" in value or "`" in value:
        return _convert(value)
    if "\\" in value:
        if _NOT_ESCAPE.search(value) or ("'" in value and "''" in value):
            return _convert(value)
        return _simple(value)  # only \\& \\% \\_ \\#, perhaps braces and dashes
    if "{" in value or "}" in value or "--" in value:
        return _convert(value) if "'" in value and "''" in value else _simple(value)
    return value  # memchr-fast: most values hold no LaTeX
