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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ..errors import Diagnostic
from ..model import SourceLocation

__all__ = ["MONTHS", "RawEntry", "parse_bibtex", "write_entry"]

_MONTH_NAMES = (
    "January February March April May June July August September October November December"
)
MONTHS: dict[str, str] = {name[:3].lower(): name for name in _MONTH_NAMES.split()}
"""The predefined month macros: `jan` -> "January", ..."""


@dataclass(frozen=True)
class RawEntry:
    """One BibTeX entry as written: values expanded but not LaTeX-decoded."""

    entry_type: str
    key: str
    fields: dict[str, str]
    field_locations: Mapping[str, SourceLocation]
    location: SourceLocation
    raw: str


class _FieldLocations(Mapping[str, SourceLocation]):
    """Where each field name of an entry starts, worked out from its offset in the entry's
    text when asked: most locations are never needed (only diagnostics name them)."""

    __slots__ = ("_offsets", "_raw", "_start")

    def __init__(self, offsets: dict[str, int], raw: str, start: SourceLocation) -> None:
        self._offsets, self._raw, self._start = offsets, raw, start

    def __getitem__(self, name: str) -> SourceLocation:
        offset, raw, start = self._offsets[name], self._raw, self._start
        newline = raw.rfind("\n", 0, offset)
        if newline < 0:
            return SourceLocation(start.path, start.line, start.col + offset)
        return SourceLocation(start.path, start.line + raw.count("\n", 0, offset), offset - newline)

    def __iter__(self) -> Iterator[str]:
        return iter(self._offsets)

    def __len__(self) -> int:
        return len(self._offsets)

    def __contains__(self, name: object) -> bool:
        return name in self._offsets

    def __repr__(self) -> str:
        return repr(dict(self.items()))


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
_WS_COMMENTS = re.compile(r"(?:\s++|%[^\n]*+)*+")  # possessive: no backtracking blow-up
_KEY = re.compile(r"[^\s,{}()=\"#%]*")
_NAME = re.compile(r"[^\s=,{}()\"#%@]+")
_NUMBER = re.compile(r"[0-9]+")
_MACRO = re.compile(r"[^\s\"#%'(),={}0-9][^\s\"#%'(),={}]*")
_ENTRY_AHEAD = r"\n[ \t]*@[A-Za-z][A-Za-z0-9_-]*[ \t]*[{(]"
_BRACE_SCAN = re.compile(r"[{}]|" + _ENTRY_AHEAD)
_QUOTE_SCAN = re.compile(r'\\"|[{}"]|' + _ENTRY_AHEAD)
_SKIP_SCAN = re.compile(r"[{}()]|" + _ENTRY_AHEAD)
_ENTRY_AT = re.compile(r"@[A-Za-z][A-Za-z0-9_-]*[ \t]*[{(]")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_STRAY = re.compile(r"^[ \t]*([A-Za-z][^\s=,{}()\"#%@]*[ \t]*=|\}[ \t]*$)", re.M)
_REST_OF_LINE = re.compile(r"[ \t]*([^\n]*)")
_CLOSE = {"{": "}", "(": ")"}
_BLANK = " \t\n\r\f\v"
_FAST_HEAD = re.compile(r"(?:\s++|%[^\n]*+)*+([^\s=,{}()\"#%@]++)\s*+=\s*")
_FAST_LIMIT = 1 << 14
# the commonest field of all, `name = {value}` and its ',' or closing delimiter, in one
# match; a value holding '{' is not one (`[^}]` is read much faster than `[^{}]`), nor a
# long one (a '{' never closed must not make each field read to the end of the file)
_FAST_FIELD = re.compile(
    r"(?:\s++|%[^\n]*+)*+([^\s=,{}()\"#%@]++)\s*+=\s*+\{([^}]{0,4096}+)\}\s*+([,)}])"
)
_WORD = re.compile(r"[0-9]+(?![^\s,#})])|[A-Za-z_][^\s\"#%'(),={}]*")


def _clean(value: str) -> str:
    """Collapse whitespace runs to one space and trim (non-breaking spaces are kept)."""
    common = "\n" in value or "  " in value or "\t" in value or "\r" in value
    if common or "\f" in value or "\v" in value:
        value = _SPACES.sub(" ", value)
    return value.strip(_BLANK)


def _balanced(text: str, start: int, end: int) -> bool:
    """Are the braces of text[start:end] balanced (never closing more than opened)?"""
    find = text.find
    depth, i = 0, start
    while True:
        closing = find("}", i, end)
        opening = find("{", i, end if closing < 0 else closing)
        if opening >= 0:
            depth, i = depth + 1, opening + 1
        elif closing >= 0:
            depth, i = depth - 1, closing + 1
            if depth < 0:
                return False
        else:
            return depth == 0


def _nested_end(text: str, start: int, limit: int) -> int:
    """The index of the `}` closing the `{` at `start` before `limit`, or -1 (also when
    it takes long: a broken file must not make this quadratic)."""
    find = text.find
    depth, i = 0, start
    for _ in range(64):
        end = find("}", i, limit)
        if end < 0:
            return -1
        opening = find("{", i, end)
        if opening >= 0:
            depth, i = depth + 1, opening + 1
        else:
            depth, i = depth - 1, end + 1
            if depth == 0:
                return end
    return -1


class _Parser:
    def __init__(self, text: str, path: str) -> None:
        self.text, self.path, self.n = text, path, len(text)
        self._line_starts: list[int] | None = None
        self._pos, self._line, self._line_start = 0, 1, 0  # the last location asked for
        self.macros: dict[str, str] = dict(MONTHS)
        self.entries: list[RawEntry] = []
        self.diags: list[Diagnostic] = []
        self.keys: dict[str, SourceLocation] = {}
        # the entry being read: its '@', closing delimiter, type, key, fields
        self.at, self.close, self.kind, self.key = 0, "}", "", ""
        self.last_field: tuple[str, int] | None = None  # (name, position)
        self.fields: dict[str, str] = {}
        self.offsets: dict[str, int] = {}  # field name -> its position - self.at
        self.start = SourceLocation(path)  # where the entry starts

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
        line_start = self.text.rfind("\n", 0, pos) + 1
        blank = not self.text[line_start:pos].strip(" \t")
        return blank and _ENTRY_AT.match(self.text, pos) is not None

    def not_closed(self, pos: int) -> _Error:
        """The error for an entry running into the end of the file or the next entry."""
        what = f"entry '{self.key}'" if self.key else "this entry"
        hint = f"add the missing '{self.close}' at its end"
        if self.last_field:
            name, line = self.last_field[0], self.loc(self.last_field[1]).line
            hint += f", or check the braces of field '{name}' (line {line})"
        if pos >= self.n:
            return _Error(self.at, f"{what} is not closed", hint)
        line = self.loc(pos).line
        return _Error(self.at, f"{what} is not closed before the next entry at line {line}", hint)

    def run(self) -> None:
        text = self.text
        m = _NEXT_AT.search(text)
        while m is not None:
            self.at = m.end() - 1
            self.kind, self.key, self.last_field = "", "", None
            try:
                end = self.entry(self.at)
            except _Error as err:
                self.report(err.pos, err.message, err.hint)
                m = _NEXT_AT.search(text, self.at + 1)
                continue
            m = _SAME_LINE_AT.match(text, end)
            if m is None:
                m = _NEXT_AT.search(text, end)
                if self.kind != "comment":
                    self.check_gap(end, m.start() if m else self.n)

    def check_gap(self, start: int, stop: int) -> None:
        """Warn when the text after an entry looks like its lost end (an extra '}')."""
        rest = _REST_OF_LINE.match(self.text, start, stop)
        first = rest.group(1).strip() if rest else ""
        if first and first not in (",", ";") and not first.startswith("%"):
            pos = rest.start(1)
        else:
            stray = _STRAY.search(self.text, start, stop)
            if stray is None:
                return
            pos = stray.start(1)
        what = f"entry '{self.key}'" if self.key else "the entry"
        hint = f"{what} probably has one '}}' too many; check its last fields"
        self.report(pos, f"text after the end of {what} is ignored", hint, "warning")

    def entry(self, at: int) -> int:
        """Parse the entry whose `@` is at `at`; return the position after it."""
        text = self.text
        m = _TYPE.match(text, at + 1)
        if m is None:
            hint = "write e.g. '@article{key, ...}'; remove the '@' if this line is a comment"
            raise _Error(at, "expected an entry type after '@'", hint)
        kind = self.kind = m.group(1).lower()
        pos = m.end()
        opener = text[pos] if pos < self.n else ""
        if kind == "comment":
            return self.skip_comment(pos) if opener in _CLOSE else pos
        if opener not in _CLOSE:
            hint = f"write '@{m.group(1)}{{key, field = {{value}}, ...}}'"
            raise _Error(min(pos, self.n - 1), f"expected '{{' or '(' after '@{m.group(1)}'", hint)
        self.close = _CLOSE[opener]
        if kind == "preamble":
            _, pos = self.value(pos + 1, "@preamble")
            pos = _WS.match(text, pos).end()
            if pos < self.n and text[pos] == self.close:
                return pos + 1
            if pos >= self.n or self.entry_ahead(pos):
                raise self.not_closed(pos)
            raise _Error(pos, f"expected '{self.close}' here", f"end it with '{self.close}'")
        if kind == "string":
            return self.field_list(pos + 1)
        return self.regular(at, kind, pos + 1)

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

    def regular(self, at: int, kind: str, pos: int) -> int:
        text, n = self.text, self.n
        pos = _WS.match(text, pos).end()
        m = _KEY.match(text, pos)
        key = m.group()
        pos = _WS.match(text, m.end()).end()
        nxt = text[pos] if pos < n else ""
        if not key or nxt == "=":
            hint = f"write '@{kind}{{key, title = ...}}': the key goes before the first comma"
            raise _Error(at, f"@{kind} entry has no citation key", hint)
        if nxt != "," and nxt != self.close:
            if pos >= n or self.entry_ahead(pos):
                raise self.not_closed(pos)
            hint = "a citation key cannot contain spaces, braces, quotes or '=', '#', '%'"
            raise _Error(pos, f"expected ',' after the key '{key}'", hint)
        self.key = key
        location = self.start = self.loc(at)
        self.fields, self.offsets = {}, {}
        end = self.field_list(pos + 1) if nxt == "," else pos + 1
        folded = key.casefold()
        first = self.keys.get(folded)
        if first is not None:
            hint = "rename one of the two entries or delete the copy; the first one is used"
            self.report(at, f"duplicate key '{key}' (first defined at {first})", hint)
            return end
        self.keys[folded] = location
        raw = text[at:end]
        locations = _FieldLocations(self.offsets, raw, location)
        self.entries.append(RawEntry(kind, key, self.fields, locations, location, raw))
        return end

    def field_list(self, pos: int) -> int:
        """`name = value, ...` up to the closing delimiter (fields, or @string macros)."""
        text, n, close = self.text, self.n, self.close
        fast_value = self.fast_value if self.kind != "string" else None
        fields, offsets, at = self.fields, self.offsets, self.at
        while True:
            m = _FAST_FIELD.match(text, pos) if fast_value else None
            if m is not None:  # the commonest case, in one match
                name, value, c = m.group(1, 2, 3)
                simple = "{" not in value and not ("@" in value and "\n" in value)
                if simple and (c == "," or c == close):
                    name = name.lower()
                    name_pos = m.start(1)
                    self.last_field = (name, name_pos)
                    if name in fields:
                        self.store(name, name_pos, value)  # the duplicate's error
                    else:
                        fields[name] = _clean(value)
                        offsets[name] = name_pos - at
                    if c == close:
                        return m.end()
                    pos = m.end()
                    continue
            m = _FAST_HEAD.match(text, pos) if fast_value else None
            if m is not None:  # the common case: one simple value, found with str.find
                value, end = fast_value(m.end())
                if value is not None:
                    after = end + 1
                    c = text[after] if after < n else ""
                    if c != "," and c != close:
                        after = _WS.match(text, after).end()
                        c = text[after] if after < n else ""
                    if c == "," or c == close:
                        self.store(m.group(1), m.start(1), _clean(value))
                        if c == close:
                            return after + 1
                        pos = after + 1
                        continue
            pos = _WS_COMMENTS.match(text, pos).end()
            c = text[pos] if pos < n else ""
            if c == close:
                return pos + 1
            if not c or (c == "@" and self.entry_ahead(pos)):
                raise self.not_closed(pos)
            m = _NAME.match(text, pos)
            what = "string" if self.kind == "string" else "field"
            if m is None:
                where = f" in entry '{self.key}'" if self.key else ""
                hint = "write 'name = {value},'"
                raise _Error(pos, f"expected a {what} name{where}, found '{c}'", hint)
            name_pos, name = pos, m.group()
            pos = _WS.match(text, m.end()).end()
            if pos >= n or text[pos] != "=":
                where = f" in entry '{self.key}'" if self.key else ""
                hint = f"write '{name} = {{value}}'"
                raise _Error(name_pos, f"missing '=' after {what} '{name}'{where}", hint)
            value, pos = self.value(pos + 1, name.lower())
            self.store(name, name_pos, value)
            pos = _WS.match(text, pos).end()
            c = text[pos] if pos < n else ""
            if c == close:
                return pos + 1
            if c == ",":
                pos += 1
                continue
            if not c or self.entry_ahead(pos):
                raise self.not_closed(pos)
            line = self.loc(name_pos).line
            name = name.lower()
            hint = f"add a ',' after the value of '{name}' (line {line})"
            raise _Error(pos, f"expected ',' or '{close}' after the value of field '{name}'", hint)

    def fast_value(self, start: int) -> tuple[str | None, int]:
        """A single `{...}`, `"..."`, number or known macro at `start` whose end is easy
        to find: (value, index of its last character); (None, -1) to use `value()`."""
        text = self.text
        find = text.find
        c = text[start] if start < self.n else ""
        limit = start + _FAST_LIMIT  # longer values take the careful path
        if c == "{":
            end = find("}", start + 1, limit)
            if end < 0:
                return None, -1
            if find("{", start + 1, end) >= 0:
                end = _nested_end(text, start, limit)
                if end < 0:
                    return None, -1
        elif c == '"':
            end = find('"', start + 1, limit)
            if end < 0 or text[end - 1] == "\\":
                return None, -1
            braces = find("{", start + 1, end) >= 0 or find("}", start + 1, end) >= 0
            if braces and not _balanced(text, start + 1, end):
                return None, -1
        else:
            w = _WORD.match(text, start)
            if w is None:
                return None, -1
            word = w.group()
            return (word if word[0].isdigit() else self.macros.get(word.lower())), w.end() - 1
        if find("\n", start, end) >= 0 and find("@", start, end) >= 0:
            return None, -1  # it might swallow the next entry: let value() judge
        return text[start + 1 : end], end

    def store(self, name: str, name_pos: int, value: str) -> None:
        """Record one field (or macro); a repeated field is an error, the first wins."""
        name = name.lower()
        if self.kind == "string":
            self.macros[name] = value
            return
        self.last_field = (name, name_pos)
        if name in self.fields:
            first = self.at + self.offsets[name]
            line = self.start.line + self.text.count("\n", self.at, first)
            hint = f"delete one of the two '{name}' fields; the first one is used"
            msg = f"duplicate field '{name}' in entry '{self.key}' (first at line {line})"
            self.report(name_pos, msg, hint)
            return
        self.fields[name] = value
        self.offsets[name] = name_pos - self.at

    def value(self, pos: int, name: str) -> tuple[str, int]:
        """Parse `part # part # ...`; return the expanded, whitespace-collapsed value."""
        text, n = self.text, self.n
        parts: list[str] = []
        while True:
            pos = _WS.match(text, pos).end()
            c = text[pos] if pos < n else ""
            if c == "{" or c == '"':
                part, pos = self.delimited(pos, name)
            elif "0" <= c <= "9":
                m = _NUMBER.match(text, pos)
                part, pos = m.group(), m.end()
            else:
                m = _MACRO.match(text, pos) if c and c != "@" else None
                if m is None:
                    if not c or (c == "@" and self.entry_ahead(pos)):
                        raise self.not_closed(pos)
                    what = "a value after '#'" if parts else f"a value for field '{name}'"
                    hint = "write the value in braces: {...}, in quotes, or as a number"
                    raise _Error(pos, f"expected {what}", hint)
                part, pos = m.group(), m.end()
                expanded = self.macros.get(part.lower())
                if expanded is None:
                    hint = f"put the value in braces ({{{part}}}) or define it with "
                    hint += f"@string{{{part} = {{...}}}} before this entry"
                    self.report(m.start(), f"undefined string '{part}'", hint, "warning")
                else:
                    part = expanded
            parts.append(part)
            pos = _WS.match(text, pos).end()
            if pos < n and text[pos] == "#":
                pos += 1
                continue
            return _clean(parts[0] if len(parts) == 1 else "".join(parts)), pos

    def delimited(self, pos: int, name: str) -> tuple[str, int]:
        """A `{...}` or `"..."` value starting at `pos`: (inner text, position after)."""
        quoted = self.text[pos] == '"'
        depth = 0 if quoted else 1
        for m in (_QUOTE_SCAN if quoted else _BRACE_SCAN).finditer(self.text, pos + 1):
            t = m.group()
            if t == "{":
                depth += 1
            elif t == "}":
                depth -= 1
                if depth == 0 and not quoted:
                    return self.text[pos + 1 : m.start()], m.end()
                if depth < 0:
                    hint = "remove the extra '}' or add the missing '{'"
                    raise _Error(m.start(), f"unbalanced '}}' in the value of field '{name}'", hint)
            elif t == '"':
                if depth == 0:
                    return self.text[pos + 1 : m.start()], m.end()
            elif t != '\\"':
                line = self.loc(m.start() + 1).line
                msg = f"the value of field '{name}' is not closed before the next entry"
                hint = "add the missing '}' (or '\"'), or remove an extra '{'"
                raise _Error(pos, f"{msg} at line {line}", hint)
        closer = '"' if quoted else "}"
        hint = f"add the missing '{closer}', or remove an extra '{{'"
        raise _Error(pos, f"the value of field '{name}' is not closed", hint)


def parse_bibtex(text: str, path: str) -> tuple[list[RawEntry], list[Diagnostic]]:
    """Parse BibTeX `text` read from `path`; never raises.

    Returns the entries in file order and the diagnostics (errors and warnings).
    """
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark is not part of the first line's columns
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
        clean = _SPACES.sub(" ", _balance(value)).strip(_BLANK)
        lines.append(f"  {lower} = {{{clean}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"
