"""A small YAML emitter for the files importers write: readable Unicode, safe quoting,
comments next to the values they belong to."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import yaml

__all__ = ["Commented", "comment_lines", "dump_document", "scalar"]

_PLAIN_START = set("-?:,[]{}#&*!|>'\"%@`~ ")
_FLOW_UNSAFE = set(",[]{}")
#: List keys always written one item per line (lines of text).
BLOCK_LISTS = frozenset({"details", "notices", "interests", "redirect_from", "links"})


@dataclass
class Commented:
    """A value with YAML comment lines written before it (and optionally after)."""

    value: object
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)


def comment_lines(text: str) -> list[str]:
    """Text (e.g. an HTML comment) as YAML comment lines, verbatim."""
    return [("# " + line).rstrip() for line in text.splitlines()] or ["#"]


def _plain_ok(s: str, flow: bool) -> bool:
    if not s or s != s.strip() or "\n" in s or "\r" in s or "\t" in s:
        return False
    if s[0] in _PLAIN_START or ": " in s or " #" in s or s.endswith(":"):
        return False
    if flow and any(c in _FLOW_UNSAFE for c in s):
        return False
    if any(ord(c) < 32 or c in "\u2028\u2029\ufeff\x85" for c in s):
        return False
    try:
        return yaml.safe_load(s) == s
    except yaml.YAMLError:
        return False


def scalar(value: object, flow: bool = False) -> str:
    """One scalar in YAML: plain when that reads back identically, else double-quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    s = str(value)
    if _plain_ok(s, flow):
        return s
    return json.dumps(s, ensure_ascii=False)


def _is_scalar(v: object) -> bool:
    return v is None or isinstance(v, (str, int, float, bool))


def _flow_list(key: str, items: Sequence[object]) -> str | None:
    if key in BLOCK_LISTS or not items or not all(_is_scalar(i) for i in items):
        return None
    text = "[" + ", ".join(scalar(i, flow=True) for i in items) + "]"
    return text if len(text) <= 80 else None


def _unwrap(value: object) -> tuple[object, list[str], list[str]]:
    if isinstance(value, Commented):
        return value.value, value.before, value.after
    return value, [], []


def _mapping(data: Mapping[str, object], indent: int, first_prefix: str = "") -> list[str]:
    """Lines of a block mapping; the first line may carry a `- ` prefix."""
    pad = " " * indent
    out: list[str] = []
    for i, (key, raw) in enumerate(data.items()):
        value, before, after = _unwrap(raw)
        lead = first_prefix if i == 0 and first_prefix else pad
        out.extend(pad + c for c in before)
        out.extend(_entry(scalar(str(key)), value, lead, indent))
        out.extend(pad + c for c in after)
    return out


def _entry(k: str, value: object, lead: str, indent: int) -> list[str]:
    if isinstance(value, Mapping):
        if not value:
            return [f"{lead}{k}: {{}}"]
        return [f"{lead}{k}:", *_mapping(value, indent + 2)]
    if isinstance(value, (list, tuple)):
        if not value:
            return [f"{lead}{k}: []"]
        flow = _flow_list(k, value)
        if flow is not None:
            return [f"{lead}{k}: {flow}"]
        return [f"{lead}{k}:", *_sequence(value, indent + 2)]
    return [f"{lead}{k}: {scalar(value)}"]


def _sequence(items: Sequence[object], indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for raw in items:
        value, before, after = _unwrap(raw)
        out.extend(pad + c for c in before)
        if isinstance(value, Mapping) and value:
            out.extend(_mapping(value, indent + 2, first_prefix=pad + "- "))
        elif isinstance(value, (list, tuple)) and value:
            out.append(pad + "-")
            out.extend(_sequence(value, indent + 2))
        elif isinstance(value, Mapping):
            out.append(pad + "- {}")
        else:
            out.append(pad + "- " + scalar(value))
        out.extend(pad + c for c in after)
    return out


def dump_document(value: object, header: Sequence[str] = (), footer: Sequence[str] = ()) -> str:
    """A whole YAML file: optional header comments, a mapping or a list, footer comments.

    A list of mappings gets a blank line between items, as people write data lists.
    """
    lines: list[str] = list(header)
    if isinstance(value, Mapping):
        lines.extend(_mapping(value, 0))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            if i and isinstance(_unwrap(item)[0], Mapping):
                lines.append("")
            lines.extend(_sequence([item], 0))
    elif value is not None:
        lines.append(scalar(value))
    if footer:
        if lines:
            lines.append("")
        lines.extend(footer)
    return "\n".join(lines) + "\n" if lines else ""
