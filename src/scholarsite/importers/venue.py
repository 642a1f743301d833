"""Venue lines of hand-written publication lists: "AAAI2022 (Oral).", "ACL 2022",
"WMT@EMNLP2020.", "ACL2020, System Demonstrations.", "Preprint.", "*NeurIPS'21*"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .inline import html_to_markdown, strip_emphasis

__all__ = ["Venue", "parse_venue"]

_AWARD = re.compile(
    r"oral|spotlight|best\s+\w*\s*paper|outstanding|honou?rable\s+mention|award|highlight|"
    r"distinguished|nominee|nomination|contributed\s+talk|invited\s+talk|plenary|"
    r"最佳|口头报告",
    re.I,
)
_PREPRINT = re.compile(
    r"^(?:preprint|arxiv(?:\s+preprint)?|under\s+review|submitted|in\s+submission|"
    r"manuscript|working\s+paper|in\s+preparation|预印本|在投|投稿中)\b",
    re.I,
)
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?![\d.]\d)|[’'‘`]\s?(\d{2})\b")
_PAREN = re.compile(r"\s*[(\[（【]([^()\[\]（）【】]{1,60})[)\]）】]")
_BOLD_TAG = re.compile(r"\*\*([^*]{1,40})\*\*")
_JOURNAL_WORDS = re.compile(r"\b(?:Journal|Transactions|Letters|Magazine|Review)\b|学报|期刊|杂志")
_PROC = re.compile(r"^(?:in\s+)?(?:(?:the\s+)?proc(?:eedings|\.)?\s+(?:of\s+)?(?:the\s+)?)?", re.I)
JOURNALS = frozenset(
    [
        "TACL",
        "TPAMI",
        "PAMI",
        "JMLR",
        "TKDE",
        "TOIS",
        "TIST",
        "TASLP",
        "TALLIP",
        "IJCV",
        "TIP",
        "TNNLS",
        "TMLR",
        "AIJ",
        "JAIR",
        "CL",
        "NATURE",
        "SCIENCE",
        "PNAS",
        "CACM",
        "TOG",
        "TVCG",
        "TSE",
        "TOSEM",
        "TON",
        "TMC",
    ]
)
#: Known venues: abbreviation -> full booktitle ({n}: ordinal from the year, {y}: year).
PROCEEDINGS: dict[str, tuple[str, int]] = {
    "ACL": (
        "Proceedings of the {n} Annual Meeting of the Association for Computational Linguistics",
        1962,
    ),
    "NAACL": (
        "Proceedings of the {y} Conference of the North American Chapter of the "
        "Association for Computational Linguistics: Human Language Technologies",
        0,
    ),
    "EMNLP": (
        "Proceedings of the {y} Conference on Empirical Methods in Natural Language Processing",
        0,
    ),
    "AAAI": ("Proceedings of the AAAI Conference on Artificial Intelligence", 0),
    "CIKM": (
        "Proceedings of the {n} ACM International Conference on Information and "
        "Knowledge Management",
        1991,
    ),
    "ICML": ("Proceedings of the {n} International Conference on Machine Learning", 1983),
    "ICLR": ("International Conference on Learning Representations", 0),
    "NEURIPS": ("Advances in Neural Information Processing Systems", 0),
    "IJCAI": (
        "Proceedings of the {n} International Joint Conference on Artificial Intelligence",
        0,
    ),
    "SIGIR": (
        "Proceedings of the {n} International ACM SIGIR Conference on Research and "
        "Development in Information Retrieval",
        1977,
    ),
    "KDD": (
        "Proceedings of the {n} ACM SIGKDD Conference on Knowledge Discovery and Data Mining",
        1994,
    ),
    "CVPR": (
        "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition",
        0,
    ),
}


@dataclass
class Venue:
    """What a venue line says."""

    abbr: str = ""
    year: int | None = None
    name: str = ""  # the venue as printed, without year and tags
    award: str = ""
    status: str = ""
    journal: bool = False
    expanded: bool = False


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def full_name(abbr: str, year: int | None, rest: str) -> str:
    """The full booktitle of a known venue (rest appended after a colon), or ""."""
    known = PROCEEDINGS.get(abbr.upper())
    if known is None or year is None:
        return ""
    text, base = known
    if "{n}" in text and not base:
        return ""
    name = text.format(n=_ordinal(year - base) if base else "", y=year)
    return f"{name}: {rest}" if rest else name


def parse_venue(line: str) -> Venue:
    """Read one venue line; the result keeps the printed words."""
    text = strip_emphasis(html_to_markdown(line)).strip()
    text = text.rstrip(" .;,。").strip()
    venue = Venue()
    awards: list[str] = []

    def take(m: re.Match[str]) -> str:
        if _AWARD.search(m.group(1)):
            awards.append(m.group(1).strip())
            return ""
        return m.group(0)

    text = _PAREN.sub(take, text)
    text = _BOLD_TAG.sub(take, text).strip(" .;,")
    venue.award = ", ".join(awards)
    pm = _PREPRINT.match(text)
    if pm:
        venue.status = "preprint"
    ym = None
    for m in _YEAR.finditer(text):
        ym = m
    if ym is not None:
        venue.year = int(ym.group(1)) if ym.group(1) else 2000 + int(ym.group(2))
        before = text[: ym.start()].rstrip(" ,-–")
        after = text[ym.end() :].strip(" ,;:-–")
        short = _PROC.sub("", before)
        venue.abbr = short if _abbr_like(short) else ""
        venue.name = ", ".join(p for p in (before, after) if p)
        rest = after
    else:
        venue.name = text
        venue.abbr = text if (_abbr_like(text) or pm) else ""
        rest = ""
    if venue.status and ym is None:
        venue.abbr = venue.abbr or text
    first = venue.abbr.split("@")[-1].upper() if venue.abbr else ""
    venue.journal = bool(first in JOURNALS or _JOURNAL_WORDS.search(venue.name))
    expanded = full_name(first if "@" not in venue.abbr else "", venue.year, rest)
    if expanded:
        venue.name, venue.expanded = expanded, True
    return venue


def _abbr_like(text: str) -> bool:
    """A short venue name such as "ACL", "WMT@EMNLP", "Findings of EMNLP", "NeurIPS"."""
    words = text.split()
    if not words or len(words) > 4 or len(text) > 40:
        return False
    return any(sum(c.isupper() for c in w) >= 2 for w in words) or text.lower() == "preprint"
