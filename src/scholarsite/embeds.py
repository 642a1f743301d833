"""Third-party embeds that load only on click.

A video link alone in a paragraph (YouTube, Vimeo, Bilibili) and any `<iframe>` from
another site become a placeholder: a plain link to the content (it works without
JavaScript), which the site's script turns into the iframe when clicked. Until then the
page makes no request to the other site.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

from .i18n import strings
from .urls import is_safe_url

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_VIMEO_ID = re.compile(r"^\d{4,12}$")
_BILIBILI_ID = re.compile(r"^BV[A-Za-z0-9]{8,12}$")
_IFRAME = re.compile(
    r"<iframe\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>(?:(.*?)</iframe\s*>)?", re.I | re.S
)
_LONE_CLOSE = re.compile(r"</iframe\s*>", re.I)
_ATTR = re.compile(r"""([A-Za-z_:][\w:.-]*)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


def video_embed(url: str) -> tuple[str, str, str] | None:
    """(embed URL, page URL, host) for a YouTube, Vimeo or Bilibili video URL, else None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    path = parts.path.strip("/").split("/")
    if host in ("youtube.com", "youtube-nocookie.com", "youtu.be"):
        if host == "youtu.be":
            vid = path[0]
        elif path[0] in ("embed", "shorts", "live") and len(path) > 1:
            vid = path[1]
        else:
            vid = (parse_qs(parts.query).get("v") or [""])[0]
        if _YOUTUBE_ID.match(vid):
            return (
                f"https://www.youtube-nocookie.com/embed/{vid}?autoplay=1",
                f"https://www.youtube.com/watch?v={vid}",
                "youtube.com",
            )
    if host in ("vimeo.com", "player.vimeo.com"):
        vid = path[-1] if path else ""
        if _VIMEO_ID.match(vid):
            return (
                f"https://player.vimeo.com/video/{vid}?autoplay=1&dnt=1",
                f"https://vimeo.com/{vid}",
                "vimeo.com",
            )
    if host in ("bilibili.com", "player.bilibili.com"):
        vid = path[1] if len(path) > 1 and path[0] == "video" else ""
        vid = vid or (parse_qs(parts.query).get("bvid") or [""])[0]
        if _BILIBILI_ID.match(vid):
            return (
                f"https://player.bilibili.com/player.html?bvid={vid}&autoplay=1",
                f"https://www.bilibili.com/video/{vid}",
                "bilibili.com",
            )
    return None


def placeholder(
    embed: str, link: str, host: str, lang: str, *, video: bool = True, title: str = ""
) -> str:
    """The click-to-load block: a link to `link` that the script swaps for an iframe."""
    t = strings(lang)
    label = (t["embed_play"] if video else t["embed_load"]).format(host=host)
    e = html.escape
    return (
        f'<figure class="embed{" embed-video" if video else ""}" data-embed="{e(embed)}"'
        f' data-embed-title="{e(title or label)}">'
        f'<a class="embed-open" href="{e(link)}">'
        f'<span class="embed-play" aria-hidden="true"></span>'
        f'<span class="embed-label">{e(label)}</span></a>'
        f'<figcaption class="embed-note">{e(t["embed_note"].format(host=host))}</figcaption>'
        "</figure>\n"
    )


def defer_iframes(fragment: str, lang: str) -> str:
    """Every `<iframe>` from another site in an HTML fragment -> a click-to-load block."""
    if "<iframe" not in fragment.lower():
        return fragment
    changed = False

    def swap(m: re.Match[str]) -> str:
        nonlocal changed
        attrs = _attrs(m.group(1))
        src = attrs.get("src", "").strip()
        if src.startswith("//"):
            src = "https:" + src
        if not src.lower().startswith(("http://", "https://")) or not is_safe_url(src):
            return m.group(0)
        changed = True
        video = video_embed(src)
        if video:
            embed, link, host = video
            return placeholder(embed, link, host, lang, title=attrs.get("title", ""))
        host = urlsplit(src).netloc.lower().removeprefix("www.")
        return placeholder(src, src, host, lang, video=False, title=attrs.get("title", ""))

    out = _IFRAME.sub(swap, fragment)
    return _LONE_CLOSE.sub("", out) if changed else out


def _attrs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR.finditer(text):
        value = next((g for g in m.groups()[1:] if g is not None), "")
        out.setdefault(m.group(1).lower(), html.unescape(value))
    return out
