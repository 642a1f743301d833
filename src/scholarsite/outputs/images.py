"""Responsive images: the profile photo and publication thumbnails, resized with Pillow.

Each raster image (JPEG, PNG, WebP, TIFF...) under `static/` that the site shows is written
as WebP at a few widths, and as AVIF too when this Pillow can encode it; templates get a
`srcset`, the AVIF `<source>` and the intrinsic `width`/`height` (no layout shift). EXIF
orientation is applied and metadata (camera, GPS) is dropped. SVG and GIF files are used
as they are, with their size read from the file. Encoded images are kept in memory by
content hash, so a rebuild of an unchanged photo costs nothing.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from ..errors import Diagnostics
from ..model import Site, SourceLocation
from ..views import Urls
from .output import Output

if TYPE_CHECKING:
    from PIL import Image

# Pillow is imported when a site shows a raster image (not for SVG photos, not at start-up)

#: Widths (px) written per kind of image: 1x, 1.5x and 2x of the largest displayed size.
WIDTHS: Mapping[str, tuple[int, ...]] = MappingProxyType(
    {"photo": (160, 240, 320, 480), "thumb": (160, 240, 320)}
)
RASTER = frozenset({".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".bmp", ".avif"})
AS_IS = frozenset({".svg", ".gif"})
OUT_DIR = "assets/img"
WEBP_QUALITY = 80
AVIF_QUALITY = 55

_ENCODED: dict[tuple[str, int, str], bytes] = {}
_SVG_LEN = re.compile(r"""\b(width|height)\s*=\s*["']\s*([\d.]+)\s*(?:px)?\s*["']""")
_SVG_VIEWBOX = re.compile(
    r"""\bviewBox\s*=\s*["']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)"""
)


def avif_supported() -> bool:
    """Whether this Pillow can write AVIF."""
    from PIL import features

    try:
        return bool(features.check("avif"))
    except Exception:  # pragma: no cover - very old Pillow
        return False


@dataclass(frozen=True, slots=True)
class Variant:
    """One resized file."""

    path: str  # output path, e.g. assets/img/photo-1a2b3c4d-320.webp
    width: int
    height: int
    mime: str


@dataclass(frozen=True, slots=True)
class Picture:
    """An image as pages show it: the file, its size and its resized variants."""

    path: str  # the output path of the original (static file)
    width: int = 0
    height: int = 0
    variants: tuple[Variant, ...] = ()
    source: Path | None = None
    digest: str = ""

    def view(self, urls: Urls) -> dict:
        """What templates get: src, srcset, AVIF sources, width and height."""
        if not self.variants:
            return {
                "src": urls.static(self.path),
                "srcset": "",
                "sources": [],
                "width": self.width or None,
                "height": self.height or None,
            }
        webp = [v for v in self.variants if v.mime == "image/webp"]
        fallback = webp[min(len(webp) - 1, 2)]  # 2x of a small display, 1x of a large one
        sources = []
        for mime in ("image/avif",):
            chosen = [v for v in self.variants if v.mime == mime]
            if chosen:
                sources.append({"type": mime, "srcset": _srcset(chosen, urls)})
        return {
            "src": urls.static(fallback.path),
            "srcset": _srcset(webp, urls),
            "sources": sources,
            "width": fallback.width,
            "height": fallback.height,
        }


def _srcset(variants: list[Variant], urls: Urls) -> str:
    return ", ".join(f"{urls.static(v.path)} {v.width}w" for v in variants)


class ImagePlan:
    """The pictures a site shows, keyed by their site path (``img/me.jpg``)."""

    def __init__(self, pictures: Mapping[str, Picture]) -> None:
        self.pictures = MappingProxyType(dict(pictures))

    def view(self, site_path: str, urls: Urls) -> dict | None:
        """The template view of the image at `site_path`; None for remote URLs."""
        key = _key(site_path)
        if key is None:
            return None
        pic = self.pictures.get(key) or Picture(key)
        return pic.view(urls)

    def outputs(self) -> Iterator[Output]:
        """Every resized file (encoded now, or taken from the in-memory cache)."""
        for pic in self.pictures.values():
            if not pic.variants or pic.source is None:
                continue
            image: Image.Image | None = None
            for v in pic.variants:
                key = (pic.digest, v.width, v.mime)
                data = _ENCODED.get(key)
                if data is None:
                    if image is None:
                        image = _open(pic.source)
                    data = _encode(image, v.width, v.height, v.mime)
                    _ENCODED[key] = data
                yield Output(v.path, data)


def plan_images(site: Site, diags: Diagnostics | None = None) -> ImagePlan:
    """Find the photo and the publication thumbnails, read their sizes, name variants."""
    root = Path(site.root)
    wanted: dict[str, tuple[str, SourceLocation]] = {}
    photo = site.config.profile.photo
    if photo:
        where = site.config.key_locations.get("profile.photo", site.config.location)
        wanted.setdefault(photo, ("photo", where))
    for pub in site.publications:
        if pub.preview:
            wanted.setdefault(pub.preview, ("thumb", pub.location))
    pictures: dict[str, Picture] = {}
    for site_path, (kind, where) in wanted.items():
        key = _key(site_path)
        if key is None:
            if diags is not None:
                diags.warning(
                    where,
                    f"remote image not shown: {site_path[:80]}",
                    "pages make no third-party requests: save the image under static/ "
                    "and give its path",
                )
            continue
        source = root / "static" / key
        real, real_root = os.path.realpath(source), os.path.realpath(root)
        if not real.startswith(real_root + os.sep):  # "../", or a symlink leading out
            if diags is not None:
                diags.error(
                    where,
                    f"image path {site_path[:80]!r} leads outside the site folder",
                    "put the image under static/ and give its path from there, e.g. img/me.jpg",
                )
            continue
        if not source.is_file():
            if diags is not None:
                diags.warning(
                    where,
                    f"image not found: static/{key}",
                    "put the file under static/ or fix the path",
                )
            continue
        pictures[key] = _picture(key, source, WIDTHS[kind])
    return ImagePlan(pictures)


def _key(site_path: str) -> str | None:
    """``/img/me.jpg`` and ``img/me.jpg`` -> ``img/me.jpg``; None for remote URLs."""
    if "://" in site_path or site_path.startswith(("//", "data:")):
        return None
    return site_path.split("?", 1)[0].split("#", 1)[0].lstrip("/") or None


def _picture(key: str, source: Path, widths: tuple[int, ...]) -> Picture:
    suffix = source.suffix.lower()
    data = source.read_bytes()
    if suffix == ".svg":
        w, h = _svg_size(data)
        return Picture(key, w, h)
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as im:
            size = ImageOps.exif_transpose(im).size if _rotated(im) else im.size
    except Exception:
        return Picture(key)
    if suffix in AS_IS or suffix not in RASTER:
        return Picture(key, *size)
    digest = hashlib.sha256(data).hexdigest()[:10]
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(key).stem).strip("-") or "image"
    full_w, full_h = size
    chosen = sorted({min(w, full_w) for w in widths})
    mimes = ["image/webp"] + (["image/avif"] if avif_supported() else [])
    variants = []
    for mime in mimes:
        ext = mime.split("/")[1]
        for w in chosen:
            h = max(1, round(full_h * w / full_w))
            variants.append(Variant(f"{OUT_DIR}/{stem}-{digest}-{w}.{ext}", w, h, mime))
    return Picture(key, full_w, full_h, tuple(variants), source, digest)


def _rotated(im: Image.Image) -> bool:
    try:
        return im.getexif().get(0x0112, 1) in (5, 6, 7, 8)
    except Exception:
        return False


def _svg_size(data: bytes) -> tuple[int, int]:
    head = data[:2000].decode("utf-8", "replace")
    tag = head[head.find("<svg") :]
    tag = tag[: tag.find(">") + 1]
    lengths = {m.group(1): float(m.group(2)) for m in _SVG_LEN.finditer(tag)}
    if "width" in lengths and "height" in lengths:
        return round(lengths["width"]), round(lengths["height"])
    box = _SVG_VIEWBOX.search(tag)
    if box:
        return round(float(box.group(1))), round(float(box.group(2)))
    return 0, 0


def _open(source: Path) -> Image.Image:
    from PIL import Image, ImageOps

    with Image.open(source) as im:
        im = ImageOps.exif_transpose(im)
        im.load()
        if im.mode in ("P", "LA", "PA", "RGBa"):
            im = im.convert("RGBA")
        elif im.mode not in ("RGB", "RGBA"):
            im = im.convert("RGB")
        return im


def _encode(image: Image.Image, width: int, height: int, mime: str) -> bytes:
    from PIL import Image

    resized = (
        image
        if image.size == (width, height)
        else image.resize((width, height), Image.Resampling.LANCZOS)
    )
    buf = io.BytesIO()
    if mime == "image/avif":
        resized.save(buf, "AVIF", quality=AVIF_QUALITY, speed=8)
    else:
        resized.save(buf, "WEBP", quality=WEBP_QUALITY, method=4)
    return buf.getvalue()  # no EXIF/XMP is passed on: camera and GPS data stay private
