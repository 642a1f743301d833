"""Slugs: the URL-safe names of publications and pages."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["slugify"]

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lowercase ASCII `[a-z0-9-]`: accents are stripped (NFKD), other non-ASCII is dropped,
    every other run of characters becomes one `-`; an empty result is `"entry"`.

    >>> slugify("Xu:2022/ACL-Short")
    'xu-2022-acl-short'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-") or "entry"
