"""Jekyll's Liquid left in a page: values filled in from _config.yml and front matter where
known, the rest turned into HTML comments (kept, not rendered) and reported."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..model import SourceLocation
from .report import ImportReport

__all__ = ["resolve_liquid"]

_OUTPUT = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}")
_TAG = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}")
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.S)
_URL_FILTER = re.compile(r"^[\"']([^\"']*)[\"']\s*\|\s*(?:relative_url|absolute_url|prepend:.*)$")
_PATH = re.compile(r"^(site|page)\.([\w.\-]+)(?:\s*\|.*)?$")
_COMMENTED_TAGS = {
    "if",
    "elsif",
    "else",
    "endif",
    "unless",
    "endunless",
    "for",
    "endfor",
    "case",
    "when",
    "endcase",
    "assign",
    "capture",
    "endcapture",
    "include",
    "include_relative",
    "comment",
    "endcomment",
    "cite",
    "bibliography",
}


def _lookup(data: Mapping[str, object], dotted: str) -> object:
    value: object = data
    for part in dotted.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def resolve_liquid(
    body: str,
    first_line: int,
    path: str,
    site: Mapping[str, object],
    page: Mapping[str, object],
    report: ImportReport,
) -> str:
    """The body with `{{ site.x }}`/`{{ page.x }}` filled in and other Liquid commented out.

    Line numbers do not change (every replacement stays on its line).
    """
    raw_spans: list[tuple[int, int]] = [m.span(1) for m in _RAW.finditer(body)]

    def in_raw(pos: int) -> bool:
        return any(a <= pos < b for a, b in raw_spans)

    def line_of(pos: int) -> SourceLocation:
        return SourceLocation(path, first_line + body.count("\n", 0, pos))

    def output(m: re.Match[str]) -> str:
        if in_raw(m.start()):
            return m.group(0)
        expr = m.group(1)
        if um := _URL_FILTER.match(expr):
            report.record(line_of(m.start()), "Liquid URL filled in", um.group(1), m.group(0))
            return um.group(1)
        if pm := _PATH.match(expr):
            if pm.group(2) == "baseurl":
                return ""
            value = _lookup(site if pm.group(1) == "site" else page, pm.group(2))
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                report.record(line_of(m.start()), "Liquid value filled in", str(value), m.group(0))
                return str(value)
        report.doubt(line_of(m.start()), "Liquid expression kept as an HTML comment", m.group(0))
        return f"<!-- {m.group(0)} -->"

    def tag(m: re.Match[str]) -> str:
        if in_raw(m.start()) or m.group(1) in ("raw", "endraw"):
            return "" if m.group(1) in ("raw", "endraw") else m.group(0)
        what = "Liquid tag kept as an HTML comment"
        if m.group(1) not in _COMMENTED_TAGS:
            what += " (unknown tag)"
        report.doubt(line_of(m.start()), what, m.group(0))
        return f"<!-- {m.group(0)} -->"

    body = _OUTPUT.sub(output, body)
    raw_spans = [m.span(1) for m in _RAW.finditer(body)]
    return _TAG.sub(tag, body)
