"""A small, fast, line-precise BibTeX parser and writer.

`parse_bibtex` reads a whole `.bib` text into `RawEntry` records (field values with
`@string` macros expanded and `#` concatenated, LaTeX left as written) plus diagnostics.
It never raises: a malformed entry becomes a `Diagnostic` naming `path:line:col`, and
parsing resumes at the next `@` that starts a line.

Rules, close to BibTeX's own:
- entries start with `@` at the start of a line (leading blanks allowed) or right after
  the previous entry on the same line; other text between entries is ignored;
- `{...}` or `(...)` delimit an entry; values are `{...}`, `"..."`, numbers or macro
  names, joined with `#`; braces are counted everywhere, `\\"` does not end a quoted value;
- `@string`, `@preamble` and `@comment` are understood; `jan`..`dec` are predefined;
- `%` starts a comment where a field name is expected (BibTeX has no comments, but
  people write them);
- a duplicate field keeps the first value (error); a duplicate key (case-insensitive)
  drops the later entry (error); an undefined macro is kept as its name (warning).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import Diagnostic
from ..model import SourceLocation

__all__ = ["MONTHS", "RawEntry", "parse_bibtex", "write_entry"]

MONTHS: dict[str, str] = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}


@dataclass(frozen=True)
class RawEntry:
    """One BibTeX entry as written: values expanded but not LaTeX-decoded."""

    entry_type: str
    key: str
    fields: dict[str, str]
    field_locations: dict[str, SourceLocation]
    location: SourceLocation
    raw: str


class _Error(Exception):
    """A syntax error inside one entry; aborts that entry only."""

    def __init__(self, pos: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.pos = pos
        self.message = message
        self.hint = hint


_NEXT_AT = re.compile(r"^[ \t]*@", re.M)
_SAME_LINE_AT = re.compile(r"[ \t]*@")
_TYPE = re.compile(r"\s*([A-Za-z][A-Za-z0-9_-]*)\s*")
_WS = re.compile(r"\s*")
_WS_COMMENTS = re.compile(r"(?:\s+|%[^\n]*)*")
_KEY = re.compile(r"[^\s,{}()=\"#%]*")
_NAME = re.compile(r"[^\s=,{}()\"#%@]+")
_NUMBER = re.compile(r"[0-9]+")
_MACRO = re.compile(r"[^\s\"#%'(),={}0-9][^\s\"#%'(),={}]*")
_ENTRY_AHEAD = r"\n[ \t]*@[A-Za-z][A-Za-z0-9_-]*[ \t]*[{(]"
_BRACE_SCAN = re.compile(r"[{}]|" + _ENTRY_AHEAD)
_QUOTE_SCAN = re.compile(r'\\"|[{}"]|' + _ENTRY_AHEAD)
_SKIP_SCAN = re.compile(r"[{}()]|" + _ENTRY_AHEAD)
_ENTRY_AT = re.compile(r"@[A-Za-z][A-Za-z0-9_-]*[ \t]*[{(]")
_SPACES = re.compile(r"\s+")
_REST_OF_LINE = re.compile(r"[ \t]*([^\n]*)")
_CLOSE = {"{": "}", "(": ")"}
_FAST_HEAD = re.compile(r"(?:\s+|%[^\n]*)*([^\s=,{}()\"#%@]+)\s*=\s*")
_WORD = re.compile(r"[0-9]+(?![^\s,#})])|[A-Za-z_][^\s\"#%'(),={}]*")


def _clean(value: str) -> str:
    """Collapse whitespace runs to one space and trim."""
    if "\n" in value or "  " in value or "\t" in value or "\r" in value:
        value = _SPACES.sub(" ", value)
    return value.strip()


class _Parser:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.n = len(text)
        self._line_starts: list[int] | None = None
        self._pos, self._line, self._line_start = 0, 1, 0  # the last location asked for
        self.macros: dict[str, str] = dict(MONTHS)
        self.entries: list[RawEntry] = []
        self.diags: list[Diagnostic] = []
        self.keys: dict[str, SourceLocation] = {}
        self.kind = ""
        self.last_field: tuple[str, int] | None = None  # (name, position)

    # -- helpers -------------------------------------------------------------------
    def loc(self, pos: int) -> SourceLocation:
        """The 1-based line and column of `pos`; cheap for increasing positions."""
        text = self.text
        if pos >= self._pos:
            newlines = text.count("\n", self._pos, pos)
            if newlines:
                self._line += newlines
                self._line_start = text.rfind("\n", self._pos, pos) + 1
            self._pos = pos
            return SourceLocation(self.path, self._line, pos - self._line_start + 1)
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        line = bisect_right(self._line_starts, pos)
        return SourceLocation(self.path, line, pos - self._line_starts[line - 1] + 1)

    def report(self, pos: int, message: str, hint: str = "", severity: str = "error") -> None:
        self.diags.append(Diagnostic(self.loc(pos), message, hint, severity))

    def entry_ahead(self, pos: int) -> bool:
        """Does a new entry start at `pos` (an `@` that begins a line)?"""
        start = self.text.rfind("\n", 0, pos) + 1
        return (
            self.text[start:pos].strip(" \t") == "" and _ENTRY_AT.match(self.text, pos) is not None
        )

    def not_closed(self, at: int, key: str, pos: int, close: str) -> _Error:
        what = f"entry '{key}'" if key else "this entry"
        hint = f"add the missing '{close}' at its end"
        if self.last_field:
            name, line = self.last_field[0], self.loc(self.last_field[1]).line
            hint += f", or check the braces of field '{name}' (line {line})"
        if pos >= self.n:
            return _Error(at, f"{what} is not closed", hint)
        line = self.loc(pos).line
        return _Error(at, f"{what} is not closed before the next entry at line {line}", hint)

    # -- driver --------------------------------------------------------------------
    def run(self) -> None:
        text, pos, chained = self.text, 0, False
        while True:
            m = _SAME_LINE_AT.match(text, pos) if chained else None
            if m is None:
                m = _NEXT_AT.search(text, pos)
                if m is None:
                    return
            at = m.end() - 1
            self.kind, self.last_field = "", None
            try:
                pos = self.entry(at)
            except _Error as err:
                self.report(err.pos, err.message, err.hint)
                pos, chained = at + 1, False
                continue
            chained = True
            if self.kind != "comment" and _SAME_LINE_AT.match(text, pos) is None:
                rest = _REST_OF_LINE.match(text, pos).group(1).strip()
                if rest not in ("", ",", ";") and not rest.startswith("%"):
                    self.report(
                        text.index(rest[0], pos),
                        "text after the end of the entry is ignored",
                        "the entry probably has one '}' too many; check its last fields",
                        "warning",
                    )

    def entry(self, at: int) -> int:
        """Parse the entry whose `@` is at `at`; return the position after it."""
        text = self.text
        m = _TYPE.match(text, at + 1)
        if m is None:
            raise _Error(
                at,
                "expected an entry type after '@'",
                "write e.g. '@article{key, ...}'; remove the '@' if this line is a comment",
            )
        kind = self.kind = m.group(1).lower()
        pos = m.end()
        opener = text[pos] if pos < self.n else ""
        if kind == "comment":
            return self.skip_comment(pos) if opener in _CLOSE else pos
        if opener not in _CLOSE:
            raise _Error(
                pos if pos < self.n else at,
                f"expected '{{' or '(' after '@{m.group(1)}'",
                f"write '@{m.group(1)}{{key, field = {{value}}, ...}}'",
            )
        close = _CLOSE[opener]
        pos += 1
        if kind == "preamble":
            _, pos = self.value(pos, "@preamble", close, at, "")
            return self.expect_close(pos, close, at, "")
        if kind == "string":
            return self.string(pos, close, at)
        return self.regular(at, kind, pos, close)

    def skip_comment(self, pos: int) -> int:
        depth = 0
        for m in _SKIP_SCAN.finditer(self.text, pos):
            t = m.group()
            if t in "{(":
                depth += 1
            elif t in "})":
                depth -= 1
                if depth == 0:
                    return m.end()
            else:
                return m.start() + 1
        return pos

    def expect_close(self, pos: int, close: str, at: int, key: str) -> int:
        pos = _WS.match(self.text, pos).end()
        if pos < self.n and self.text[pos] == close:
            return pos + 1
        if pos >= self.n or self.entry_ahead(pos):
            raise self.not_closed(at, key, pos, close)
        raise _Error(pos, f"expected '{close}' here", f"end the entry with '{close}'")

    def string(self, pos: int, close: str, at: int) -> int:
        text = self.text
        while True:
            pos = _WS_COMMENTS.match(text, pos).end()
            if pos < self.n and text[pos] == close:
                return pos + 1
            m = _NAME.match(text, pos)
            if m is None:
                if pos >= self.n or self.entry_ahead(pos):
                    raise self.not_closed(at, "", pos, close)
                raise _Error(
                    pos, "expected a string name in @string", "write '@string{name = {value}}'"
                )
            name = m.group()
            pos = _WS.match(text, m.end()).end()
            if pos >= self.n or text[pos] != "=":
                raise _Error(
                    m.start(),
                    f"missing '=' after string name '{name}'",
                    f"write '@string{{{name} = {{value}}}}'",
                )
            value, pos = self.value(pos + 1, name, close, at, "")
            self.macros[name.lower()] = value
            pos = _WS.match(text, pos).end()
            if pos < self.n and text[pos] == ",":
                pos += 1
                continue
            return self.expect_close(pos, close, at, "")

    def regular(self, at: int, kind: str, pos: int, close: str) -> int:
        text, n = self.text, self.n
        pos = _WS.match(text, pos).end()
        m = _KEY.match(text, pos)
        key = m.group()
        pos = _WS.match(text, m.end()).end()
        nxt = text[pos] if pos < n else ""
        if not key or nxt == "=":
            raise _Error(
                at,
                f"@{kind} entry has no citation key",
                f"write '@{kind}{{key, title = ...}}': the key goes before the first comma",
            )
        if nxt not in (",", close):
            if pos >= n or self.entry_ahead(pos):
                raise self.not_closed(at, key, pos, close)
            raise _Error(
                pos,
                f"expected ',' after the key '{key}'",
                "a citation key cannot contain spaces, braces, quotes or '=', '#', '%'",
            )
        location = self.loc(at)
        fields: dict[str, str] = {}
        locations: dict[str, SourceLocation] = {}
        if nxt == ",":
            pos += 1
            macros, find = self.macros, text.find
            while True:
                m = _FAST_HEAD.match(text, pos)
                if m is not None:  # the common case: a simple value, found with str.find
                    start = m.end()
                    c = text[start] if start < n else ""
                    value, end = None, -1
                    if c == "{":
                        end = find("}", start + 1)
                        if end > 0 and find("{", start + 1, end) < 0:
                            value = text[start + 1 : end]
                    elif c == '"':
                        end = find('"', start + 1)
                        if (
                            end > 0
                            and find("{", start + 1, end) < 0
                            and find("}", start + 1, end) < 0
                            and find("\\", start + 1, end) < 0
                        ):
                            value = text[start + 1 : end]
                    else:
                        w = _WORD.match(text, start)
                        if w is not None:
                            end = w.end() - 1
                            word = w.group()
                            value = word if word[0].isdigit() else macros.get(word.lower())
                    if value is not None:
                        after = _WS.match(text, end + 1).end()
                        c = text[after] if after < n else ""
                        if c == "," or c == close:
                            value = _clean(value)
                            self.store(fields, locations, m.group(1), m.start(1), value, key)
                            if c == close:
                                pos = after
                                break
                            pos = after + 1
                            continue
                pos = _WS_COMMENTS.match(text, pos).end()
                if pos >= n:
                    raise self.not_closed(at, key, pos, close)
                c = text[pos]
                if c == close:
                    break
                if c == "@" and self.entry_ahead(pos):
                    raise self.not_closed(at, key, pos, close)
                m = _NAME.match(text, pos)
                if m is None:
                    raise _Error(
                        pos,
                        f"expected a field name in entry '{key}', found '{c}'",
                        "write fields as 'name = {value},'",
                    )
                name_pos = pos
                name = m.group()
                pos = _WS.match(text, m.end()).end()
                if pos >= n or text[pos] != "=":
                    raise _Error(
                        name_pos,
                        f"missing '=' after field '{name}' in entry '{key}'",
                        f"write '{name} = {{value}}'",
                    )
                value, pos = self.value(pos + 1, name.lower(), close, at, key)
                self.store(fields, locations, name, name_pos, value, key)
                pos = _WS.match(text, pos).end()
                if pos < n and text[pos] == ",":
                    pos += 1
                    continue
                if pos < n and text[pos] == close:
                    break
                if pos >= n or self.entry_ahead(pos):
                    raise self.not_closed(at, key, pos, close)
                raise _Error(
                    pos,
                    f"expected ',' or '{close}' after the value of field '{name.lower()}'",
                    f"add a ',' after the value of '{name.lower()}' "
                    f"(line {self.loc(name_pos).line})",
                )
        end = pos + 1
        folded = key.casefold()
        first_loc = self.keys.get(folded)
        if first_loc is not None:
            self.report(
                at,
                f"duplicate key '{key}' (first defined at {first_loc})",
                "rename one of the two entries or delete the copy; the first one is used",
            )
            return end
        self.keys[folded] = location
        self.entries.append(RawEntry(kind, key, fields, locations, location, text[at:end]))
        return end

    def store(
        self,
        fields: dict[str, str],
        locations: dict[str, SourceLocation],
        name: str,
        name_pos: int,
        value: str,
        key: str,
    ) -> None:
        """Record one field; a repeated name is an error and keeps the first value."""
        name = name.lower()
        self.last_field = (name, name_pos)
        if name in fields:
            first = locations[name]
            self.report(
                name_pos,
                f"duplicate field '{name}' in entry '{key}' (first at line {first.line})",
                f"delete one of the two '{name}' fields; the first one is used",
            )
            return
        fields[name] = value
        locations[name] = self.loc(name_pos)

    def value(self, pos: int, name: str, close: str, at: int, key: str) -> tuple[str, int]:
        """Parse `part # part # ...`; return the expanded, whitespace-collapsed value."""
        text, n = self.text, self.n
        parts: list[str] = []
        while True:
            pos = _WS.match(text, pos).end()
            c = text[pos] if pos < n else ""
            if c == "{":
                part, pos = self.delimited(pos, name, _BRACE_SCAN)
            elif c == '"':
                part, pos = self.delimited(pos, name, _QUOTE_SCAN)
            elif "0" <= c <= "9":
                m = _NUMBER.match(text, pos)
                part, pos = m.group(), m.end()
            else:
                m = _MACRO.match(text, pos) if c and c != "@" else None
                if m is None:
                    if not c or (c == "@" and self.entry_ahead(pos)):
                        raise self.not_closed(at, key, pos, close)
                    what = "a value after '#'" if parts else f"a value for field '{name}'"
                    raise _Error(
                        pos,
                        f"expected {what}",
                        "write the value in braces: {...}, in quotes, or as a number",
                    )
                part, pos = m.group(), m.end()
                expanded = self.macros.get(part.lower())
                if expanded is None:
                    self.report(
                        m.start(),
                        f"undefined string '{part}'",
                        f"put the value in braces ({{{part}}}) or define it with "
                        f"@string{{{part} = {{...}}}} before this entry",
                        "warning",
                    )
                else:
                    part = expanded
            parts.append(part)
            pos = _WS.match(text, pos).end()
            if pos < n and text[pos] == "#":
                pos += 1
                continue
            return _clean(parts[0] if len(parts) == 1 else "".join(parts)), pos

    def delimited(self, pos: int, name: str, scan: re.Pattern[str]) -> tuple[str, int]:
        """A `{...}` or `"..."` value starting at `pos`: (inner text, position after)."""
        quoted = self.text[pos] == '"'
        depth = 0 if quoted else 1
        for m in scan.finditer(self.text, pos + 1):
            t = m.group()
            if t == "{":
                depth += 1
            elif t == "}":
                depth -= 1
                if depth == 0 and not quoted:
                    return self.text[pos + 1 : m.start()], m.end()
                if depth < 0:
                    raise _Error(
                        m.start(),
                        f"unbalanced '}}' in the value of field '{name}'",
                        "remove the extra '}' or add the missing '{'",
                    )
            elif t == '"':
                if depth == 0:
                    return self.text[pos + 1 : m.start()], m.end()
            elif t != '\\"':
                line = self.loc(m.start() + 1).line
                raise _Error(
                    pos,
                    f"the value of field '{name}' is not closed before the next entry "
                    f"at line {line}",
                    "add the missing '}' (or '\"'), or remove an extra '{'",
                )
        end = '"' if quoted else "}"
        raise _Error(
            pos,
            f"the value of field '{name}' is not closed",
            f"add the missing '{end}', or remove an extra '{{'",
        )


def parse_bibtex(text: str, path: str) -> tuple[list[RawEntry], list[Diagnostic]]:
    """Parse BibTeX `text` read from `path`; never raises.

    Returns the entries in file order and the diagnostics (errors and warnings).
    """
    parser = _Parser(text, path)
    try:
        parser.run()
    except RecursionError:  # pragma: no cover - the parser is not recursive
        parser.report(0, "file too deeply nested to read")
    return parser.entries, parser.diags


# -- writing -------------------------------------------------------------------------

_VALID_TYPE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_VALID_KEY = re.compile(r"[^\s,{}()=\"#%]+\Z")
_VALID_NAME = re.compile(r"[^\s=,{}()\"#%@]+\Z")


def _balance(value: str) -> str:
    """Drop braces that have no partner: BibTeX cannot store them."""
    if "{" not in value and "}" not in value:
        return value
    drop: set[int] = set()
    stack: list[int] = []
    for i, c in enumerate(value):
        if c == "{":
            stack.append(i)
        elif c == "}":
            if stack:
                stack.pop()
            else:
                drop.add(i)
    drop.update(stack)
    if not drop:
        return value
    return "".join(c for i, c in enumerate(value) if i not in drop)


def write_entry(entry_type: str, key: str, fields: Mapping[str, str]) -> str:
    """Format one entry as clean BibTeX, fields in the given order, one per line.

    Values are written in braces with whitespace runs collapsed; braces without a partner
    are dropped. Field names are lowercased (the first of two names differing in case
    wins). Raises ValueError for a type, key or field name BibTeX cannot hold.
    """
    if not _VALID_TYPE.match(entry_type):
        raise ValueError(f"invalid BibTeX entry type: {entry_type!r}")
    if not _VALID_KEY.match(key):
        raise ValueError(f"invalid BibTeX key: {key!r}")
    lines = [f"@{entry_type.lower()}{{{key},"]
    seen: set[str] = set()
    for name, value in fields.items():
        if not _VALID_NAME.match(name):
            raise ValueError(f"invalid BibTeX field name: {name!r}")
        lower = name.lower()
        if lower in seen:
            continue
        seen.add(lower)
        clean = _balance(_SPACES.sub(" ", value).strip())
        lines.append(f"  {lower} = {{{clean}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"
