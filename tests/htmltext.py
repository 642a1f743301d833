"""Test helpers: visible text and links of an HTML page, with the stdlib parser."""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.urls: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)


def visible_text(html: str) -> str:
    """The page's visible text, whitespace folded, NFKC-normalised (⁴ -> 4)."""
    c = _Collector()
    c.feed(html)
    return unicodedata.normalize("NFKC", " ".join(" ".join(c.text).split()))


def urls(html: str) -> list[str]:
    """Every href/src of the page, in order."""
    c = _Collector()
    c.feed(html)
    return c.urls
