"""Responsive images: WebP/AVIF variants, sizes, EXIF handled, markup with width/height."""

from __future__ import annotations

import io
import re

from PIL import Image

from scholarsite.outputs.images import avif_supported


def _jpeg(size=(1200, 800), exif=None) -> bytes:
    im = Image.new("RGB", size, (200, 80, 40))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90, exif=exif or Image.Exif())
    return buf.getvalue()


def _photo_site(photo: bytes, name: str = "img/me.jpg", **extra) -> dict:
    files = {
        "site.yaml": f"""
            title: Ada
            profile: {{name: Ada, photo: {name}}}
        """,
        f"static/{name}": photo,
    }
    files.update(extra)
    return files


def test_the_photo_becomes_webp_and_avif_at_several_widths(build_site):
    read = build_site(_photo_site(_jpeg()))
    html = read("index.html")
    img = re.search(r"<img class=\"photo\"[^>]*>", html).group(0)
    assert 'width="320" height="213"' in img and 'fetchpriority="high"' in img
    assert "loading=" not in img
    srcset = re.search(r'srcset="([^"]+)"', img).group(1)
    widths = [int(w) for w in re.findall(r" (\d+)w", srcset)]
    assert widths == [160, 240, 320, 480]
    first = srcset.split(",")[0].split()[0]
    assert re.fullmatch(r"/assets/img/me-[0-9a-f]{10}-160\.webp", first)
    data = (read.out / first.lstrip("/")).read_bytes()
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "WEBP" and im.size == (160, 107)
    if avif_supported():
        source = re.search(r'<source type="image/avif" srcset="([^"]+)"', html).group(1)
        avif = (read.out / source.split(",")[-1].split()[0].lstrip("/")).read_bytes()
        with Image.open(io.BytesIO(avif)) as im:
            assert im.format == "AVIF" and im.size == (480, 320)
    assert (read.out / "img" / "me.jpg").is_file()  # the original is still published


def test_a_small_image_is_not_enlarged(build_site):
    read = build_site(_photo_site(_jpeg((200, 200))))
    img = re.search(r"<img class=\"photo\"[^>]*>", read("index.html")).group(0)
    assert re.findall(r" (\d+)w", img) == ["160", "200"]


def test_exif_orientation_is_applied_and_metadata_dropped(build_site):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90°: the stored 600x400 image is shown 400x600
    exif[0x010F] = "SecretCam"  # camera make
    read = build_site(_photo_site(_jpeg((600, 400), exif)))
    img = re.search(r"<img class=\"photo\"[^>]*>", read("index.html")).group(0)
    assert 'width="320" height="480"' in img
    src = re.search(r' src="([^"]+)"', img).group(1)
    data = (read.out / src.lstrip("/")).read_bytes()
    with Image.open(io.BytesIO(data)) as im:
        assert im.size == (320, 480)
        assert not im.getexif()
    assert b"SecretCam" not in data


def test_svg_and_missing_images(build_site):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 200"></svg>'
    read = build_site(_photo_site(svg, "img/me.svg"))
    img = re.search(r"<img class=\"photo\"[^>]*>", read("index.html")).group(0)
    assert 'src="/img/me.svg"' in img and 'width="300" height="200"' in img
    assert "srcset" not in img
    files = _photo_site(b"", "img/me.png")
    del files["static/img/me.png"]
    read = build_site(files)
    assert any("image not found: static/img/me.png" in str(w) for w in read.report.warnings)


def test_publication_thumbnails_are_lazy_and_sized(build_site):
    files = {
        "site.yaml": "title: Ada\nowner_names: [Ada Lovelace]\n",
        "static/img/fig.jpg": _jpeg((800, 600)),
        "publications.bib": """
            @article{a1, title = {One}, author = {Lovelace, Ada}, year = {2020},
                     journal = {J}, preview = {img/fig.jpg}}
            @article{a2, title = {Two}, author = {Lovelace, Ada}, year = {2021},
                     journal = {J}, preview = {https://example.org/remote.png}}
        """,
    }
    read = build_site(files)
    html = read("publications/index.html")
    items = re.findall(r'<li class="pub" id="(a\d)".*?</li>', html, re.S)
    assert items == ["a2", "a1"]
    a1 = re.search(r'<li class="pub" id="a1".*?</li>', html, re.S).group(0)
    assert 'class="pub-media"' in a1 and 'loading="lazy"' in a1 and 'decoding="async"' in a1
    assert 'width="320" height="240"' in a1
    a2 = re.search(r'<li class="pub" id="a2".*?</li>', html, re.S).group(0)
    assert "remote.png" not in a2 and "pub-media" not in a2  # no third-party request
    assert any("remote image not shown: https://example.org/remote.png" in str(w)
               for w in read.report.warnings)
    compact = build_site({**files, "site.yaml": files["site.yaml"]
                          + "theme_options: {pub_style: compact}\n"})
    assert "pub-media" not in compact("publications/index.html")


def test_images_are_encoded_once_per_content(build_site, monkeypatch):
    from scholarsite.outputs import images

    calls = []
    original = images._encode
    monkeypatch.setattr(images, "_encode", lambda *a: calls.append(a) or original(*a))
    photo = _jpeg((333, 222))
    build_site(_photo_site(photo))
    first = len(calls)
    assert first > 0
    build_site(_photo_site(photo))
    assert len(calls) == first  # the second build took them from memory
