"""Data sections of a hand-written page (education, experience, awards, teaching, talks,
service, news, projects) -> data list items; what does not fit is handed back."""

from __future__ import annotations

import re

from ..model import SourceLocation
from .blocks import Block, list_items, sub_items
from .dates import leading_date, split_range, trailing_dates
from .draft import DataItem
from .emitter import comment_lines

__all__ = ["parse_section"]

_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_ORG_FORMS = (
    re.compile(r"\s*\[\s*\*\*(.+?)\*\*\s*\]\(\s*([^)\s]+)\s*\)"),
    re.compile(r"\s*\*\*\s*\[(.+?)\]\(\s*([^)\s]+)\s*\)\s*\*\*"),
    re.compile(r"\s*<(?:b|strong)>\s*\[(.+?)\]\(\s*([^)\s]+)\s*\)\s*</(?:b|strong)>", re.I),
    re.compile(r"\s*\*\*(.+?)\*\*()"),
    re.compile(r"\s*<(?:b|strong)>(.+?)</(?:b|strong)>()", re.I),
    re.compile(r"\s*\[([^\[\]]+)\]\(\s*([^)\s]+)\s*\)"),
)
_ROLE_WORDS = re.compile(
    r"^(?:head |senior |lead )?(?:teaching assistant|ta|instructor|lecturer|grader|tutor|"
    r"co-instructor|guest lecturer|teaching fellow|助教|主讲|讲师)$",
    re.I,
)
_DEGREE = re.compile(
    r"\b(?:ph\.?\s?d|b\.?\s?sc?|m\.?\s?sc?|b\.?\s?a|m\.?\s?a|b\.?\s?eng|m\.?\s?eng|mba|"
    r"master|bachelor|doctor|postdoc|diploma)\b|博士|硕士|学士|本科",
    re.I,
)
_HEAD_START = re.compile(r"^\s*(?:\[\s*\*\*|\*\*|<b>|<strong>)", re.I)
_TIMED = ("education", "experience", "projects")


def _comments(text: str) -> tuple[str, list[str]]:
    """Inline HTML comments taken out of a text, as YAML comment lines."""
    found: list[str] = []
    for m in _COMMENT.finditer(text):
        found.extend(comment_lines(m.group(0)))
    return " ".join(_COMMENT.sub(" ", text).split()), found


def _dates(fields: dict[str, object], dates: list[str], awards: bool = False) -> None:
    """Put dates as start/end, date or years."""
    years = all(re.fullmatch(r"\d{4}", d) for d in dates)
    if not dates:
        return
    if len(dates) == 1 and (rng := split_range(dates[0])):
        fields["start"], fields["end"] = rng
    elif years and (awards or len(dates) > 2):
        fields["years"] = dates
    elif len(dates) == 1:
        fields["date"] = dates[0]
    elif len(dates) == 2:
        fields["start"], fields["end"] = dates
    else:
        fields["date"] = ", ".join(dates)


def _split_top(text: str) -> list[str]:
    """Split at commas outside (), [] and links."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in "([":
            depth += 1
        elif c in ")]":
            depth = max(depth - 1, 0)
        elif c in ",，" and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def head_fields(text: str, section: str) -> dict[str, object] | None:
    """An item head such as `[**Org**](url), *Sep. 2020 - Jun. 2023*` as fields."""
    rest, dates = trailing_dates(text)
    fields: dict[str, object] = {}
    for form in _ORG_FORMS:
        m = form.match(rest)
        if m:
            fields["org"] = m.group(1).strip()
            if m.group(2):
                fields["url"] = m.group(2)
            remainder = rest[m.end() :].strip(" ,;:|-–—，、；：")
            break
    else:
        parts = _split_top(rest)
        if not parts:
            return None
        if len(parts) > 1 and _DEGREE.search(parts[0]) and not _DEGREE.search(parts[1]):
            parts = [parts[1], parts[0], *parts[2:]]  # "Ph.D in X, University" -> org first
        fields["org"], remainder = parts[0], ", ".join(parts[1:])
    if remainder:
        fields["role" if section == "experience" else "title"] = remainder
    _dates(fields, dates)
    return fields


def _is_head(text: str) -> bool:
    if "\n" in text.strip() or len(text) > 250:
        return False
    return bool(_HEAD_START.match(text)) or bool(trailing_dates(text)[1])


def line_fields(section: str, text: str) -> dict[str, object] | None:
    """One list line of a section as item fields; None when it has no text."""
    if section in ("education", "experience"):
        return head_fields(text, section)
    fields: dict[str, object] = {}
    if section in ("news", "talks", "service", "projects"):
        date, rest = leading_date(text)
        if date:
            fields["date"] = date
            text = rest
    rest, dates = trailing_dates(text) if "date" not in fields else (text, [])
    if section == "teaching":
        parts = _split_top(rest)
        roles = [p for p in parts[1:] if _ROLE_WORDS.match(p)]
        if roles:
            fields["role"] = roles[0]
            parts = [p for p in parts if p is not roles[0]]
        rest = ", ".join(parts)
    if not rest.strip():
        return None
    fields = {"title": rest.strip(), **fields}
    _dates(fields, dates, awards=section == "awards")
    return fields


def parse_section(
    section: str, blocks: list[Block], path: str
) -> tuple[list[DataItem], list[Block], list[str]]:
    """Items of one section, the blocks left as Markdown, and trailing comment lines."""
    items: list[DataItem] = []
    leftovers: list[Block] = []
    pending: list[str] = []
    current: DataItem | None = None

    def new_item(fields: dict[str, object] | None, line: int, extra: list[str]) -> DataItem | None:
        nonlocal pending
        if not fields:
            return None
        item = DataItem(fields, SourceLocation(path, line), before=pending + extra)
        pending = []
        items.append(item)
        return item

    for block in blocks:
        if block.kind in ("blank", "hr"):
            continue
        if block.kind == "comment":
            pending.extend(comment_lines(block.text))
            continue
        if block.kind == "heading" and section in _TIMED:
            current = new_item(head_fields(block.title, section), block.line, []) or current
            continue
        if block.kind == "para":
            text, extra = _comments(block.lines[0])
            if section in _TIMED and _is_head(text):
                current = new_item(head_fields(text, section), block.line, extra)
                if current is not None and len(block.lines) > 1:
                    details = current.fields.setdefault("details", [])
                    details.extend(ln.strip() for ln in block.lines[1:] if ln.strip())
                continue
            if current is not None and section in _TIMED:
                text, extra = _comments(block.text)
                current.fields.setdefault("details", []).append(text)
                current.after.extend(extra)
                continue
            leftovers.append(block)
            continue
        if block.kind == "list":
            entries = list_items(block)
            heads = all(_is_head(t) for _, t, _ in entries)
            if section in _TIMED and current is not None and not heads:
                for _, text, more in entries:
                    clean, extra = _comments(" ".join([text, *(m.strip() for m in more)]))
                    current.fields.setdefault("details", []).append(clean)
                    current.after.extend(extra)
                continue
            kept: list[str] = []
            for line, text, more in entries:
                clean, extra = _comments(text)
                item = new_item(line_fields(section, clean), line, extra)
                if item is None:
                    kept.extend([f"- {text}", *more])
                    continue
                details = sub_items(more)
                if details:
                    item.fields.setdefault("details", []).extend(details)
                current = item if section in _TIMED else None
            if kept:
                leftovers.append(Block("list", kept, block.line))
            continue
        leftovers.append(block)
    return items, leftovers, pending
