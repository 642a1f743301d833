"""URL helpers: is a link safe to emit, joining site paths, and moving root-relative links
under a base path (a site published at ``https://user.github.io/repo/``)."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urlsplit

#: Schemes a link may use; anything else with a scheme (javascript:, vbscript:, data:,
#: file:, ...) is refused. URLs without a scheme (relative paths, ``#frag``, ``//host``) pass.
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp", "ftps"})

_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_TAB_NEWLINE = str.maketrans("", "", "\t\n\r")
# Characters browsers ignore or strip before looking for a scheme.
_LEADING_JUNK = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f" + (
    "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f \x7f\u00a0\ufeff"
)


def _variants(url: str) -> list[str]:
    """The url as written plus its entity- and percent-decoded forms (decoded repeatedly, so
    ``&amp;#106;`` and ``%256A`` tricks are seen through)."""
    seen = [url]
    current = url
    for _ in range(4):
        decoded = unquote(html.unescape(current))
        if decoded == current:
            break
        seen.append(decoded)
        current = decoded
    return seen


def is_safe_url(url: str) -> bool:
    """True when ``url`` can be emitted as a link target: http(s), mailto, tel, ftp(s),
    relative paths and ``#fragment``. Refuses javascript:, vbscript:, data:, file: and any
    other scheme, also when hidden by leading whitespace or control characters, entity or
    percent encoding, or mixed case."""
    if not isinstance(url, str):
        return False
    if _CONTROL_RE.search(url):
        return False  # raw control characters have no place in a link
    for variant in _variants(url):
        if variant and variant[0] in _LEADING_JUNK:
            return False  # browsers strip these before looking for the scheme
        # ... and drop tabs and newlines anywhere: "java\tscript:" is javascript:
        match = _SCHEME_RE.match(variant.translate(_TAB_NEWLINE))
        if match and match.group(1).lower() not in SAFE_SCHEMES:
            return False
    return True


def join_url(base_path: str, path: str) -> str:
    """``path`` under ``base_path``: ``join_url("/repo/", "/cv/") == "/repo/cv/"``.

    Absolute URLs (with a scheme), protocol-relative ``//host`` URLs and ``#fragments`` are
    returned unchanged. ``base_path`` may also be a full URL (``https://u.github.io/repo/``).
    """
    if _SCHEME_RE.match(path) or path.startswith(("//", "#")):
        return path
    base = base_path or "/"
    if not base.endswith("/"):
        base += "/"
    return base + path.lstrip("/")


# A start tag, attribute values quoted or not ('>' may occur inside quotes).
_TAG_RE = re.compile(r"""<[A-Za-z][^\s/>]*(?:[^>"']|"[^"]*"|'[^']*')*>""")
_URL_ATTR_RE = re.compile(
    r"""(?<=[\s"'])(href|src|srcset|poster|action|formaction|data|cite)(\s*=\s*)"""
    r"""(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""",
    re.IGNORECASE,
)


def _base_of(base_path: str) -> str:
    if "://" in base_path:
        base_path = urlsplit(base_path).path
    return "/" + base_path.strip("/") if base_path.strip("/") else ""


def _prefix_one(url: str, prefix: str) -> str:
    stripped = url.lstrip()
    if stripped.startswith("/") and not stripped.startswith(("//", "/\\")):
        return url[: len(url) - len(stripped)] + prefix + stripped
    return url


def _prefix_srcset(value: str, prefix: str) -> str:
    return ",".join(_prefix_one(part, prefix) for part in value.split(","))


def prefix_root_urls(html_text: str, base_path: str) -> str:
    """Rewrite root-relative ``href``/``src``/``srcset`` (and ``poster``, ``action``...)
    values in start tags so they live under ``base_path``: with ``/repo/``, ``href="/cv/"``
    becomes ``href="/repo/cv/"``. Protocol-relative (``//host``), absolute and relative URLs
    are left alone; text outside tags is never touched. A no-op when ``base_path`` is ``/``.
    Not idempotent: apply it once, to HTML whose root-relative links are site paths."""
    prefix = _base_of(base_path)
    if not prefix or "/" not in html_text:
        return html_text

    def attr(m: re.Match[str]) -> str:
        name, eq = m.group(1), m.group(2)
        is_srcset = name.lower() == "srcset"
        for quote, value in (('"', m.group(3)), ("'", m.group(4)), ("", m.group(5))):
            if value is not None:
                new = _prefix_srcset(value, prefix) if is_srcset else _prefix_one(value, prefix)
                return f"{name}{eq}{quote}{new}{quote}"
        return m.group(0)  # pragma: no cover - one group always matches

    def tag(m: re.Match[str]) -> str:
        text = m.group(0)
        if "/" not in text[1:]:
            return text
        return _URL_ATTR_RE.sub(attr, text)

    return _TAG_RE.sub(tag, html_text)
