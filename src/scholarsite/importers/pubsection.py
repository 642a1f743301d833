"""A Publications section of a page -> publication drafts (paragraphs, numbered or bulleted
lists, HTML cards); what does not read as a publication is handed back."""

from __future__ import annotations

import re

from ..model import SourceLocation
from .blocks import Block, list_items
from .draft import SiteDraft
from .inline import html_to_markdown
from .publist import PubDraft, is_legend, parse_publication, split_lines
from .report import ImportReport

__all__ = ["read_publications"]

_UNIT = re.compile(
    r"(?=<(?:li|tr)\b)|(?=<div\b[^>]*class\s*=\s*[\"'][^\"']*"
    r"(?:pub|paper|publication|entry|item|card)[^\"']*[\"'])",
    re.I,
)
_BLOCK_TAG = re.compile(
    r"</?(?:td|th|tr|div|p|li|ul|ol|table|tbody|thead|span\s+class=\S*)"
    r"\b[^>]*>|<br\s*/?>",
    re.I,
)
_IMG = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]+)[^>]*>", re.I)


def _card_lines(html: str) -> tuple[list[str], str]:
    """The text lines of one HTML card, and its image (a preview) if any."""
    image = ""
    if m := _IMG.search(html):
        image = m.group(1)
    html = _IMG.sub("", html)
    parts = _BLOCK_TAG.split(html)
    lines = [html_to_markdown(p) for p in parts]
    return [ln for ln in lines if ln.strip()], image


def _cards(block: Block, path: str, report: ImportReport) -> list[PubDraft] | None:
    """Publications of an HTML block; None unless every card reads as one."""
    units = [u for u in _UNIT.split(block.text) if re.sub(r"<[^>]+>", "", u).strip()]
    pubs = []
    for unit in units:
        line = block.line + block.text[: block.text.find(unit)].count("\n")
        lines, image = _card_lines(unit)
        pub = parse_publication(lines, SourceLocation(path, line))
        if pub is None:
            return None
        if image and not image.startswith(("http://", "https://", "//")):
            pub.preview = image.lstrip("/")
        elif image:
            pub.doubts.append(f"image on another site not kept as the preview: {image}")
        pubs.append(pub)
    return pubs or None


def read_publications(
    blocks: list[Block], draft: SiteDraft, report: ImportReport, path: str
) -> tuple[list[PubDraft], list[Block]]:
    """Publication drafts of a section and the blocks left as Markdown."""
    pubs: list[PubDraft] = []
    left: list[Block] = []
    pending: list[str] = []

    def add(pub: PubDraft | None) -> bool:
        nonlocal pending
        if pub is None:
            return False
        pub.comments = list(pending)
        pending = []
        pubs.append(pub)
        return True

    for block in blocks:
        at = SourceLocation(path, block.line)
        if block.kind in ("blank", "hr"):
            continue
        if block.kind == "comment":
            pending.extend(block.lines)
            continue
        if block.kind == "heading":
            report.doubt(
                at, "sub-heading dropped (publications are grouped by the theme)", block.title
            )
            continue
        if block.kind == "para" and is_legend(block.lines[0]) and len(block.lines) == 1:
            report.record(at, "legend line", "printed by the theme when a role is used", block.text)
            continue
        if block.kind == "para" and add(parse_publication(split_lines(block.text), at)):
            continue
        if block.kind == "list":
            kept: list[str] = []
            for line, text, more in list_items(block):
                lines = split_lines("\n".join([text, *more]))
                if not add(parse_publication(lines, SourceLocation(path, line))):
                    kept.extend([f"- {text}", *more])
            if kept:
                left.append(Block("list", kept, block.line))
            continue
        if block.kind == "html" and (cards := _cards(block, path, report)):
            for pub in cards:
                add(pub)
            continue
        if pending:
            left.append(Block("comment", pending, block.line))
            pending = []
        left.append(block)
    if pending and pubs:  # after the last publication: kept, as a comment, in the .bib
        pubs[-1].comments.extend(pending)
    elif pending:
        left.append(Block("comment", pending, 0))
    return pubs, left
