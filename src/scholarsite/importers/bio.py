"""The top of an About page and its Contact section -> the profile: motto, photo, notices,
name and native name, position, affiliation, interests, e-mail, links."""

from __future__ import annotations

import re

from ..model import SourceLocation
from .blocks import Block, list_items
from .draft import SiteDraft
from .emitter import comment_lines
from .inline import LINK, find_email, html_to_markdown, link_key, plain_text
from .report import ImportReport

__all__ = ["read_contact", "read_preamble", "read_profile_text"]

_IMG = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]+)[^>]*>", re.I)
_MD_IMG = re.compile(r"!\[[^\]]*\]\(\s*([^)\s]+)[^)]*\)")
_WRAPPER = re.compile(r"</?(?:div|center|p|figure|a)\b[^>]*>|<br\s*/?>", re.I)
_HIGHLIGHT = re.compile(
    r"^\s*<(font|span|mark|p|div)\b[^>]*?(?:color|background|class\s*=\s*[\"']?(?:notice|alert|"
    r"highlight|warning))[^>]*>.*</\1\s*>\s*$|^\s*<mark>.*</mark>\s*$",
    re.I | re.S,
)
_NOTE_PREFIX = re.compile(
    r"^\s*(?:\*\*)?(?:请注意|注意|注：|提示|公告|通知|note|notice|news|announcement|update|"
    r"important|⚠️?|📢|🔥|❗)\s*(?:\*\*)?\s*[:：!！]",
    re.I,
)
_I_AM = re.compile(
    r"\b(?:I am|I'm|I’m|My name is|This is)\s+((?:[A-Z][\w'’.\-]*)(?:\s+[A-Z][\w'’.\-]*){0,3})"
    r"\s*(?:[(（]\s*([^()（）]{1,30}?)\s*[)）])?"
)
_CN_NAME = re.compile(r"我是\s*([\u4e00-\u9fff·]{2,6})")
_POSITION = re.compile(
    r"^\s*,?\s*(?:currently\s+)?(?:a|an|the)\s+((?:[\w\-.]+\s+){0,5}?[\w\-.]+)\s+"
    r"(?:at|in|of|with|from)\s+(?:the\s+)?",
)
_INTERESTS = re.compile(
    r"research interests?\s+(?:\w+\s+){0,3}?(?:lies?|includes?|are|is|focus(?:es)?|centers?)\s+"
    r"(?:mainly\s+|primarily\s+|broadly\s+)?(?:in|on|around)?\s*(.+?)(?:\.\s|\.$|$)",
    re.I,
)
_INTEREST_SPLIT = re.compile(
    r"\s*,?\s*(?:especially|including|particularly|in particular|such as|e\.g\.,?)\s*"
    r"|\s*\(?\d\)\s*|\s*;\s*|\s*,\s*(?:and\s+)?"
)


def _is_notice(line: str) -> bool:
    return bool(_HIGHLIGHT.match(line) or _NOTE_PREFIX.match(line))


def _photo_only(block: Block) -> str:
    """The image path of an HTML block that holds nothing but one image."""
    text = block.text
    images = _IMG.findall(text) or _MD_IMG.findall(text)
    rest = _WRAPPER.sub("", _MD_IMG.sub("", _IMG.sub("", text))).strip()
    return images[0] if len(images) == 1 and not rest else ""


def read_profile_text(
    text: str, draft: SiteDraft, report: ImportReport, at: SourceLocation
) -> None:
    """Name, native name, position, affiliation and interests from a bio paragraph."""
    flat = plain_text(text)
    if (m := _I_AM.search(flat)) and draft.set_profile("name", m.group(1).rstrip(".,")):
        report.record(at, "profile.name from", "site.yaml", m.group(0))
        native = m.group(2) or ""
        if native and not native.isascii() and draft.set_profile("native_name", native):
            report.record(at, "profile.native_name", "site.yaml", native)
        after = flat[m.end() :]
        if pm := _POSITION.match(after):
            position = pm.group(1)
            if draft.set_profile("position", position[:1].upper() + position[1:]):
                report.record(at, "profile.position", "site.yaml", position)
            tail = text[text.find(pm.group(1)) + len(pm.group(1)) :] if pm.group(1) in text else ""
            lm = LINK.search(tail)
            if lm and tail[: lm.start()].strip().lower() in (
                "at",
                "at the",
                "in",
                "in the",
                "of",
                "of the",
                "with",
                "from",
            ):
                draft.set_profile("affiliation", lm.group(1))
                draft.set_profile("affiliation_url", lm.group(2))
                report.record(at, "profile.affiliation", "site.yaml", lm.group(1))
    elif (m := _CN_NAME.search(flat)) and draft.set_profile("name", m.group(1)):
        report.record(at, "profile.name from", "site.yaml", m.group(0))
    if (m := _INTERESTS.search(flat)) and "interests" not in draft.profile:
        items = [p.strip(" .") for p in _INTEREST_SPLIT.split(m.group(1)) if p and p.strip(" .")]
        items = [re.sub(r"^and\s+", "", p) for p in items if len(p) < 80]
        if items:
            draft.profile["interests"] = [p[:1].upper() + p[1:] for p in items]
            report.record(at, "profile.interests (the paragraph stays in the bio)", "site.yaml")


def read_preamble(
    blocks: list[Block], draft: SiteDraft, report: ImportReport, path: str
) -> list[Block]:
    """Take the profile out of the blocks before the first section; return what stays."""
    kept: list[Block] = []
    pending: list[Block] = []
    content_seen = False

    def attach(key: str) -> None:
        for c in pending:
            draft.comment(key, comment_lines(c.text))
            report.keep(SourceLocation(path, c.line), "HTML comment", f"site.yaml ({key})")
        pending.clear()

    def flush() -> None:
        kept.extend(pending)
        pending.clear()

    for block in blocks:
        at = SourceLocation(path, block.line)
        if block.kind == "comment":
            pending.append(block)
            continue
        if block.kind in ("blank", "hr"):
            continue
        if block.kind == "quote" and not content_seen and "motto" not in draft.profile:
            motto = " ".join(ln.lstrip(" >").strip() for ln in block.lines).strip()
            if motto and len(motto) <= 300:
                draft.profile["motto"] = motto
                attach("profile.motto")
                report.record(at, "blockquote", "site.yaml profile.motto", motto)
                content_seen = True
                continue
        content_seen = True
        if block.kind == "html" and (src := _photo_only(block)) and "photo" not in draft.profile:
            if src.startswith(("http://", "https://", "//")):
                report.doubt(at, "photo is on another site; kept in the bio", src)
            else:
                draft.profile["photo"] = src.lstrip("/")
                attach("profile.photo")
                report.record(at, "image", "site.yaml profile.photo", src)
                if re.search(r"\b(?:width|height|style|align)\s*=", block.text):
                    report.doubt(at, "photo size and alignment were not carried over", src)
                continue
        if block.kind == "para":
            rest: list[str] = []
            for line in block.lines:
                if _is_notice(line):
                    notice = html_to_markdown(line)
                    draft.profile.setdefault("notices", []).append(notice)
                    attach("profile.notices")
                    report.record(at, "highlighted line", "site.yaml profile.notices", notice)
                else:
                    rest.append(line)
            if not rest:
                continue
            block = Block("para", rest, block.line)
            read_profile_text(block.text, draft, report, at)
        flush()
        kept.append(block)
        report.keep(at, f"{block.kind}", "content/about.md", block.text)
    flush()
    return kept


def read_contact(
    blocks: list[Block], draft: SiteDraft, report: ImportReport, path: str
) -> list[Block]:
    """E-mail and links of a Contact section into the profile; return what stays."""
    kept: list[Block] = []
    for block in blocks:
        if block.kind in ("blank", "hr"):
            continue
        lines = (
            [(line, text) for line, text, _ in list_items(block)]
            if block.kind == "list"
            else [(block.line + i, ln) for i, ln in enumerate(block.lines)]
        )
        left: list[str] = []
        for line, text in lines:
            at = SourceLocation(path, line)
            rest = text
            email, written = find_email(text)
            if email:
                draft.set_profile("email", email)
                rest = rest.replace(written, "")
                report.record(at, "e-mail", "site.yaml profile.email", written)
            for m in LINK.finditer(text):
                if m.group(2).startswith("mailto:"):
                    continue
                key = link_key(m.group(1), m.group(2))
                draft.profile.setdefault("links", {}).setdefault(key, m.group(2))
                rest = rest.replace(m.group(0), "")
                report.record(at, f"link '{plain_text(m.group(1))}'", f"profile.links.{key}")
            label = re.match(r"^\s*([\w\s]{1,20})[:：]", rest)
            leftover = rest[label.end() :] if label else rest
            if leftover.strip(" ,;|/·-") or not (email or LINK.search(text)):
                left.append(f"- {text}" if block.kind == "list" else text)
            elif label:
                report.record(at, "contact label", "printed by the theme", label.group(1))
        if left:
            kept.append(Block(block.kind, left, block.line))
    return kept
