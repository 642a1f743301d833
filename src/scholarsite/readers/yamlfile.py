"""YAML with line marks: libyaml speed, duplicate-key checks, `path:line:col` errors."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

import yaml

from ..errors import Diagnostics
from ..model import SourceLocation

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YMap(dict):
    """A YAML mapping that remembers where each key and the mapping itself stand."""

    __slots__ = ("key_locations", "location")

    def __init__(self, location: SourceLocation) -> None:
        super().__init__()
        self.location = location
        self.key_locations: dict[str, SourceLocation] = {}

    def where(self, key: str) -> SourceLocation:
        """Location of `key`, or of the mapping when the key is absent."""
        return self.key_locations.get(key, self.location)


class YList(list):
    """A YAML sequence that remembers where each item starts."""

    __slots__ = ("item_locations", "location")

    def __init__(self, location: SourceLocation) -> None:
        super().__init__()
        self.location = location
        self.item_locations: list[SourceLocation] = []


def _loc(path: str, mark: yaml.Mark, line_offset: int) -> SourceLocation:
    return SourceLocation(path, mark.line + 1 + line_offset, mark.column + 1)


def load_yaml(text: str, path: str, diags: Diagnostics, *, line_offset: int = 0) -> object | None:
    """Parse one YAML document into plain values (YMap/YList keep locations).

    Syntax errors and duplicate keys are recorded in `diags`; a syntax error
    returns None. Dates are returned as ISO strings, so they print as written.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _loc(path, mark, line_offset) if mark else SourceLocation(path)
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        diags.error(where, f"YAML syntax error: {problem}", _yaml_hint(problem))
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow: no mark
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        pos = max(text.find(char), 0)
        line = text.count("\n", 0, pos) + 1 + line_offset
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        diags.error(
            SourceLocation(path, line, col),
            f"character U+{ord(char[:1] or '?'):04X} is not allowed in YAML ({exc.reason})",
            "remove it: it is invisible in most editors",
        )
        return None
    except yaml.YAMLError as exc:
        diags.error(SourceLocation(path, 1 + line_offset, 1), f"YAML error: {exc}")
        return None
    finally:
        loader.dispose()
    if node is None:
        return None
    try:
        # a file's own values number at most its length; aliases may repeat them 10 times
        return _convert(node, loader, path, line_offset, diags, _Limits(10 * len(text) + 1000))
    except _AliasBomb as exc:
        diags.error(
            _loc(path, exc.node.start_mark, line_offset),
            exc.message,
            "write the values out instead of nesting aliases (*name)",
        )
        return None


class _AliasBomb(Exception):
    """Aliases that expand without end: recursive, or exponentially many nodes."""

    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node = node
        self.message = message


@dataclass
class _Limits:
    """Nodes left to convert (aliases re-expand theirs), and the collections open now."""

    budget: int
    open: set[int] = field(default_factory=set)


def _convert(
    node: yaml.Node,
    loader: yaml.BaseLoader,
    path: str,
    off: int,
    diags: Diagnostics,
    limits: _Limits | None = None,
) -> object:
    limits = limits if limits is not None else _Limits(budget=10**6)
    limits.budget -= 1
    if limits.budget < 0:
        raise _AliasBomb(node, "YAML aliases expand to too many values")
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if id(node) in limits.open:
            raise _AliasBomb(node, "YAML alias refers to a value that contains it")
        limits.open.add(id(node))
        try:
            return _convert_collection(node, loader, path, off, diags, limits)
        finally:
            limits.open.discard(id(node))
    return _convert_scalar(node, loader, path, off, diags)


def _convert_collection(
    node: yaml.Node,
    loader: yaml.BaseLoader,
    path: str,
    off: int,
    diags: Diagnostics,
    limits: _Limits,
) -> object:
    if isinstance(node, yaml.MappingNode):
        out = YMap(_loc(path, node.start_mark, off))
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged = _convert(value_node, loader, path, off, diags, limits)
                for item in merged if isinstance(merged, list) else [merged]:
                    if isinstance(item, YMap):
                        for k, v in item.items():
                            out.setdefault(k, v)
                            out.key_locations.setdefault(k, item.where(k))
                continue
            key = _convert(key_node, loader, path, off, diags, limits)
            key = str(key) if not isinstance(key, (YMap, YList)) else repr(key)
            where = _loc(path, key_node.start_mark, off)
            if key in out:
                first = out.key_locations[key]
                diags.warning(
                    where,
                    f"duplicate key '{key}' (first at line {first.line}); the last one wins",
                    "remove one of the two",
                )
            out[key] = _convert(value_node, loader, path, off, diags, limits)
            out.key_locations[key] = where
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = YList(_loc(path, node.start_mark, off))
        for child in node.value:
            seq.append(_convert(child, loader, path, off, diags, limits))
            seq.item_locations.append(_loc(path, child.start_mark, off))
        return seq
    return None


def _convert_scalar(
    node: yaml.Node, loader: yaml.BaseLoader, path: str, off: int, diags: Diagnostics
) -> object:
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value  # dates are kept as written (and 2023-02-30 is not an error)
    try:
        value = loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:  # '=', !!python/..., !!int x
        problem = getattr(exc, "problem", None) or str(exc)
        diags.error(
            _loc(path, node.start_mark, off),
            f"YAML value cannot be read: {problem}",
            'quote the value ("...") to keep it as text',
        )
        return None
    if isinstance(value, (_dt.date, _dt.datetime)):
        return node.value
    return value


def _yaml_hint(problem: str) -> str:
    if "mapping values" in problem:
        return "a value containing ': ' must be quoted, e.g. title: \"A: B\""
    if "found character '\\t'" in problem:
        return "YAML does not allow tabs for indentation; use spaces"
    if "could not find expected ':'" in problem:
        return "each line of a mapping needs 'key: value'"
    if "did not find expected" in problem:
        return "check the indentation and that quotes and brackets are closed"
    return "check the indentation and quoting around this place"


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split `---` front matter from a Markdown text.

    Returns (front matter or None, body, 1-based line where the body starts).
    """
    if not text.startswith("---"):
        return None, text, 1
    first_nl = text.find("\n")
    if first_nl < 0 or text[:first_nl].strip() != "---":
        return None, text, 1
    pos = first_nl + 1
    line = 2
    while pos <= len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        if text[pos:end].rstrip() in ("---", "..."):
            body_start = end + 1 if nl >= 0 else end
            return text[first_nl + 1 : pos], text[body_start:], line + 1
        if nl < 0:
            break
        pos = nl + 1
        line += 1
    return None, text, 1
