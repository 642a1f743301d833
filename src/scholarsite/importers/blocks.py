"""A Markdown body cut into top-level blocks (paragraphs, lists, headings, comments...),
each with its source lines and line number, so importers can classify and keep them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Block", "list_items", "split_blocks", "sub_items"]

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_HTML_HEADING = re.compile(r"^\s*<h([1-6])\b[^>]*>(.*?)</h\1>\s*$", re.I)
_HR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}>")
_ITEM = re.compile(r"^( {0,3})([-*+]|\d{1,9}[.)])([ \t]+|$)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIQUID = re.compile(r"^\s*(\{%.*?%\}|\{\{.*?\}\})(\s*(\{%.*?%\}|\{\{.*?\}\}))*\s*$")
_IAL = re.compile(r"^\s*\{:[^}]*\}\s*$")
_HTML_BLOCK = re.compile(
    r"^ {0,3}</?(div|p|table|center|section|figure|details|img|ul|ol|dl|iframe|video|blockquote"
    r"|h[1-6]|hr|br|article|aside|header|footer|nav|pre|script|style|object|embed|picture)\b",
    re.I,
)


@dataclass
class Block:
    """Consecutive source lines of one kind, starting at 1-based `line`."""

    kind: str  # blank comment heading hr quote list html para code liquid ial
    lines: list[str]
    line: int
    level: int = 0
    title: str = ""
    tags: set[str] = field(default_factory=set)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def end_line(self) -> int:
        return self.line + len(self.lines) - 1


def _comment_end(lines: list[str], i: int) -> tuple[int, str]:
    """Index of the line that closes the comment opened on line i, and text after `-->`."""
    start = lines[i].find("<!--")
    for j in range(i, len(lines)):
        pos = lines[j].find("-->", start + 4 if j == i else 0)
        if pos >= 0:
            return j, lines[j][pos + 3 :]
    return len(lines) - 1, ""


def _starts_block(line: str) -> bool:
    s = line.lstrip()
    return bool(
        s.startswith("<!--")
        or _ATX.match(line)
        or _HR.match(line)
        or _QUOTE.match(line)
        or _FENCE.match(line)
        or _HTML_HEADING.match(line)
        or _HTML_BLOCK.match(line)
        or _LIQUID.match(line)
    )


def split_blocks(body: str, first_line: int = 1) -> list[Block]:
    """Cut `body` into blocks; `first_line` is the file line of the body's first line."""
    lines = body.split("\n")
    blocks: list[Block] = []
    i, n = 0, len(lines)

    def add(kind: str, start: int, end: int, **kw: object) -> None:
        blocks.append(Block(kind, lines[start:end], first_line + start, **kw))  # type: ignore[arg-type]

    while i < n:
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            add("blank", i, i + 1)
            i += 1
        elif stripped.startswith("<!--") and line.lstrip() == line.lstrip(" "):
            j, rest = _comment_end(lines, i)
            if rest.strip():
                cut = len(lines[j]) - len(rest)
                lines[j : j + 1] = [lines[j][:cut], rest.strip()]
                n += 1
            add("comment", i, j + 1)
            i = j + 1
        elif m := _ATX.match(line):
            add("heading", i, i + 1, level=len(m.group(1)), title=(m.group(2) or "").strip())
            i += 1
        elif m := _HTML_HEADING.match(line):
            add("heading", i, i + 1, level=int(m.group(1)), title=m.group(2).strip())
            i += 1
        elif _HR.match(line):
            add("hr", i, i + 1)
            i += 1
        elif _FENCE.match(line):
            fence = _FENCE.match(line).group(1)
            j = i + 1
            while j < n and not lines[j].strip().startswith(fence):
                j += 1
            add("code", i, min(j + 1, n))
            i = j + 1
        elif _LIQUID.match(line):
            add("liquid", i, i + 1)
            i += 1
        elif _IAL.match(line):
            add("ial", i, i + 1)
            i += 1
        elif _QUOTE.match(line):
            j = i + 1
            while j < n and (
                _QUOTE.match(lines[j]) or (lines[j].strip() and not _starts_block(lines[j]))
            ):
                j += 1
            add("quote", i, j)
            i = j
        elif _ITEM.match(line):
            j = _list_end(lines, i)
            add("list", i, j)
            i = j
        elif m := _HTML_BLOCK.match(line):
            close = f"</{m.group(1).lower()}>"
            j = i + 1
            while j < n and lines[j].strip():
                j += 1
                if lines[j - 1].strip().lower() == close:
                    break  # kramdown too ends the HTML block with its closing tag
            add("html", i, j)
            i = j
        else:
            j = i + 1
            while j < n and lines[j].strip() and not _starts_block(lines[j]):
                if _ITEM.match(lines[j]) and not lines[j].startswith((" ", "\t")):
                    break
                if _SETEXT.match(lines[j]) and j == i + 1 and lines[j].strip()[0] == "=":
                    break
                j += 1
            if j < n and j == i + 1 and _SETEXT.match(lines[j]) and lines[j].strip()[0] == "=":
                add("heading", i, j + 1, level=1, title=line.strip())
                i = j + 1
                continue
            add("para", i, j)
            i = j
    return blocks


def _list_end(lines: list[str], i: int) -> int:
    """End (exclusive) of the list starting at line i: items, indented or lazy lines."""
    n = len(lines)
    j = i + 1
    while j < n:
        line = lines[j]
        if not line.strip():
            k = j
            while k < n and not lines[k].strip():
                k += 1
            if k < n and (lines[k].startswith(("  ", "\t")) or _ITEM.match(lines[k])):
                if lines[k].lstrip().startswith("<!--"):
                    return j
                j = k
                continue
            return j
        if _ITEM.match(line) or line.startswith(("  ", "\t")):
            j += 1
            continue
        if _starts_block(line):
            return j
        j += 1  # lazy continuation
    return j


def list_items(block: Block) -> list[tuple[int, str, list[str]]]:
    """Top-level items of a list block: (line, first-line text, continuation lines)."""
    items: list[tuple[int, str, list[str]]] = []
    for offset, line in enumerate(block.lines):
        m = _ITEM.match(line)
        if m and len(m.group(1)) <= 1 and not line.startswith("\t"):
            items.append((block.line + offset, line[m.end() :].strip(), []))
        elif items:
            items[-1][2].append(line)
    return items


def sub_items(lines: list[str]) -> list[str]:
    """The nested bullet texts of an item's continuation lines (deeper levels flattened)."""
    out: list[str] = []
    for line in lines:
        s = line.strip()
        if not s:
            continue
        m = _ITEM.match(s)
        if m and line[:1] in " \t":
            out.append(s[m.end() :].strip())
        elif out:
            out[-1] += " " + s
        else:
            out.append(s)
    return out
