"""Inline Markdown and HTML of hand-written pages: links, emphasis, tags, e-mail addresses."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

__all__ = [
    "LINK",
    "find_email",
    "html_to_markdown",
    "link_key",
    "plain_text",
    "strip_emphasis",
    "unwrap_emphasis",
]

LINK = re.compile(
    r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?"
    r"(?:\s+\"[^\"]*\")?\s*\)"
)
HTML_LINK = re.compile(
    r"<a\b[^>]*?href\s*=\s*[\"']?([^\"'\s>]+)[\"']?[^>]*>(.*?)</a\s*>", re.I | re.S
)
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^>]*>")
_BOLD_TAG = re.compile(r"<(b|strong)\b[^>]*>\s*(.*?)\s*</\1\s*>", re.I | re.S)
_ITALIC_TAG = re.compile(r"<(i|em)\b[^>]*>\s*(.*?)\s*</\1\s*>", re.I | re.S)
_BR = re.compile(r"<br\s*/?>", re.I)
_KEEP_TAGS = {"sup", "sub"}
_EMPH = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\3(?![\w*])")

_OBFUSCATED_AB = re.compile(
    r"\b([A-Za-z])\s*@\s*([A-Za-z])\s*[,;，]\s*\1\s*=\s*([\w.+-]+)\s*[,;，]\s*\2\s*=\s*"
    r"([\w-]+(?:\.[\w-]+)+)"
)
_AT = r"(?:\s*[\[({<]\s*at\s*[\])}>]\s*|\s+AT\s+|\s*＠\s*|\s*\(@\)\s*)"
_DOT = r"(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+DOT\s+|\s+dot\s+|\.)"
_SPOKEN_DOT = r"(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+DOT\s+|\s+dot\s+)"
_SPELLED = re.compile(
    rf"([\w.+-]+)(?:{_AT}([\w-]+(?:{_DOT}[\w-]+)*{_DOT}[A-Za-z]{{2,}})"
    rf"|\s+at\s+([\w-]+(?:{_DOT}[\w-]+)*{_SPOKEN_DOT}[A-Za-z]{{2,}}))\b"
)
_PLAIN_EMAIL = re.compile(r"(?:mailto:)?([\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,})")
_DOT_WORD = re.compile(_DOT)

#: Hosts of profile links, as the keys of `profile.links`.
HOST_KEYS = (
    ("github.com", "github"),
    ("scholar.google", "scholar"),
    ("orcid.org", "orcid"),
    ("dblp.", "dblp"),
    ("linkedin.com", "linkedin"),
    ("twitter.com", "twitter"),
    ("x.com", "twitter"),
    ("semanticscholar.org", "semantic_scholar"),
    ("researchgate.net", "researchgate"),
    ("zhihu.com", "zhihu"),
    ("youtube.com", "youtube"),
    ("huggingface.co", "huggingface"),
    ("openreview.net", "openreview"),
    ("gitlab.com", "gitlab"),
    ("bsky.app", "bluesky"),
    ("mastodon", "mastodon"),
)


def html_to_markdown(text: str) -> str:
    """Inline HTML as inline Markdown: <b>/<strong> -> **, <i>/<em> -> *, <a> -> [](),
    <br> -> space; other tags (font, span, mark, u...) dropped, <sup>/<sub> kept."""
    text = HTML_LINK.sub(lambda m: f"[{m.group(2).strip()}]({m.group(1)})", text)
    for _ in range(3):  # nested tags
        text = _BOLD_TAG.sub(lambda m: f"**{m.group(2)}**", text)
        text = _ITALIC_TAG.sub(lambda m: f"*{m.group(2)}*", text)
    text = _BR.sub(" ", text)
    text = _TAG.sub(lambda m: m.group(0) if m.group(1).lower() in _KEEP_TAGS else "", text)
    return " ".join(text.split())


def strip_emphasis(text: str) -> str:
    """Remove `**`, `__`, `*`, `_` emphasis markers around words."""
    previous = None
    while previous != text:
        previous = text
        text = _EMPH.sub(lambda m: m.group(2) or m.group(4), text)
    return text


def unwrap_emphasis(text: str) -> tuple[str, bool]:
    """`**x**` / `<b>x</b>` / `<strong>x</strong>` / `<u>x</u>` -> (x, True); else (text, False)."""
    s = text.strip()
    for pattern in (
        r"\*\*(.+)\*\*",
        r"__(.+)__",
        r"<(?:b|strong|u)\b[^>]*>(.+)</(?:b|strong|u)\s*>",
    ):
        m = re.fullmatch(pattern, s, re.I | re.S)
        if m and "**" not in m.group(1):
            return m.group(1).strip(), True
    return text, False


def plain_text(text: str) -> str:
    """Visible text of inline Markdown/HTML (links -> their text, no emphasis, no tags)."""
    text = LINK.sub(lambda m: m.group(1), text)
    text = HTML_LINK.sub(lambda m: m.group(2), text)
    text = _TAG.sub("", text)
    text = strip_emphasis(text).replace("\\[", "[").replace("\\]", "]").replace("\\\\", "")
    return " ".join(html.unescape(text).split())


def find_email(text: str) -> tuple[str, str]:
    """The first e-mail address in `text`, obfuscated or not: (address, form as written)."""
    found: list[tuple[int, str, str]] = []
    if m := _OBFUSCATED_AB.search(text):
        found.append((m.start(), f"{m.group(3)}@{m.group(4)}", m.group(0)))
    if m := _SPELLED.search(text):
        domain = _DOT_WORD.sub(".", m.group(2) or m.group(3))
        found.append((m.start(), f"{m.group(1)}@{domain}", m.group(0)))
    if m := _PLAIN_EMAIL.search(text):
        ab = _OBFUSCATED_AB.search(text)
        if not (ab and ab.start() <= m.start() < ab.end()):
            found.append((m.start(), m.group(1), m.group(0)))
    if not found:
        return "", ""
    _, address, written = min(found)
    return address, written


def link_key(label: str, url: str) -> str:
    """The `profile.links` key of a link: by host, else the label as a key."""
    host = urlsplit(url).netloc.lower()
    for part, key in HOST_KEYS:
        if part in host:
            return key
    if url.lower().endswith(".pdf") and "cv" in label.lower():
        return "cv"
    key = re.sub(r"[^a-z0-9]+", "_", plain_text(label).lower()).strip("_")
    return key or "website"
