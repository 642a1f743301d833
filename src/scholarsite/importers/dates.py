"""Dates as people write them on homepages: "Sep. 2020 - Jun. 2023 (expected)", "2018",
"Fall 2020", "December. 2021 -- Now", "2019.09 至今". Kept as written, only split."""

from __future__ import annotations

import re

__all__ = ["leading_date", "split_range", "trailing_dates"]

_MONTH = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
    r"|(?:spring|summer|fall|autumn|winter)"
)
_YEAR = r"(?:19|20)\d{2}"
_NOW = r"(?:now|present|current|today|ongoing|至今|现在)"
_ONE = (
    rf"(?:(?:{_MONTH})\s*\.?\s*(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s*)?{_YEAR}"
    rf"|{_YEAR}(?:\s*[./年]\s*\d{{1,2}}(?!\d)(?:\s*[./月]\s*\d{{1,2}}(?!\d))?\s*[日月]?"
    rf"|-(?:0?[1-9]|1[0-2])(?!\d)(?:-\d{{1,2}}(?!\d))?|年)?"
    rf"|{_NOW})(?:\s*\((?:expected|anticipated|est\.?|预计)\))?"
)
_SEP = r"(?:-{1,3}|–|—|~|～|\bto\b|until|至(?!今)|(?=至今))"
_ITEM = rf"(?:{_ONE})(?:\s*{_SEP}\s*(?:{_ONE}))?"
_RANGE = re.compile(rf"^\s*({_ONE})\s*{_SEP}\s*({_ONE})\s*$", re.I)
_WRAPPED = rf"(?:\*\*|\*|_)\s*{_ITEM}\s*(?:\*\*|\*|_)|\(\s*{_ITEM}\s*\)"
_DATES_RUN = re.compile(
    rf"(?:[\s,;，、|]*(?:{_WRAPPED})|(?:\s*[,;，、|]\s*|\.\s+|\s{{2,}}|\t)(?:{_ITEM}))+"
    rf"[\s.,;，。]*$",
    re.I,
)
_DATE_ITEM = re.compile(_ITEM, re.I)
_LEADING = re.compile(
    rf"^\s*(?:(?:\*\*|\*|_|\[|\(|【)\s*({_ITEM})\s*(?:\*\*|\*|_|\]|\)|】)\s*[:：|,\-–—]?"
    rf"|({_ITEM})\s*(?:[:：|]|\s-|–|—))\s*",
    re.I,
)


def split_range(text: str) -> tuple[str, str] | None:
    """("Sep. 2020", "Jun. 2023 (expected)") for a range; None if `text` is not one."""
    m = _RANGE.match(text)
    if m is None:
        return None
    return m.group(1).strip(), m.group(2).strip()


def trailing_dates(text: str) -> tuple[str, list[str]]:
    """Split trailing dates off an item: "National scholarship.  *2018*, *2019*." ->
    ("National scholarship", ["2018", "2019"]). The rest keeps its inner text as written."""
    m = _DATES_RUN.search(text)
    if m is None or m.start() == 0:
        return text, []
    tail = m.group(0)
    if tail.count("(") != tail.count(")") or _unbalanced_emphasis(text[: m.start()]):
        return text, []
    found = [d.strip() for d in _DATE_ITEM.findall(tail)]
    rest = text[: m.start()].rstrip(" ,;:|-–—，。").rstrip()
    if rest.endswith(".") and not rest.endswith(".."):
        rest = rest[:-1]
    return rest, found


def _unbalanced_emphasis(text: str) -> bool:
    return text.count("**") % 2 == 1


def leading_date(text: str) -> tuple[str, str]:
    """Split a leading date: "*2022.05*: Paper accepted" -> ("2022.05", "Paper accepted")."""
    m = _LEADING.match(text)
    if m is None:
        return "", text
    return (m.group(1) or m.group(2)).strip(), text[m.end() :].strip()
