"""The browser suite: Debian's chromium driven by Playwright, sites served on 127.0.0.1.

When chromium is missing the suite is skipped with a message, except under CI=true,
where that is a failure. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from scholarsite.build import build

from ..conftest import EXAMPLE, ROOT, write_site

ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = (1280, 375)
SCHEMES = ("light", "dark")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IN_CI = os.environ.get("CI", "").lower() == "true"


def need(what: str, found: bool, how: str) -> None:
    """Skip locally, fail under CI=true, when a tool the suite needs is missing."""
    if found:
        return
    message = f"{what} not found: {how}"
    if IN_CI:
        pytest.fail(message + " (CI=true: the browser suite must run)", pytrace=False)
    pytest.skip(message)


# -- serving -------------------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    mount = "/"

    def translate_path(self, path: str) -> str:
        clean = urlsplit(path).path
        if not clean.startswith(self.mount):
            return str(Path(self.directory) / "__outside_the_mount__")
        return super().translate_path("/" + clean[len(self.mount) :])

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Served:
    """A built site served over HTTP on 127.0.0.1 (optionally under a sub-path)."""

    out: Path
    mount: str = "/"
    server: http.server.ThreadingHTTPServer | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        handler = type("Handler", (_Handler,), {"mount": self.mount})
        self.server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(self.out))
        )
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def origin(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.origin + self.mount.rstrip("/") + "/" + path.lstrip("/")

    def close(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def copy_site(src: Path, dest: Path, **settings: str) -> Path:
    """A copy of a site folder with top-level site.yaml settings replaced."""
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("_site", ".scholarsite-cache"))
    yaml = (dest / "site.yaml").read_text("utf-8")
    for key, value in settings.items():
        yaml, n = re.subn(rf"(?m)^{key}:.*$", f"{key}: {value}", yaml)
        if not n:
            yaml += f"\n{key}: {value}\n"
    (dest / "site.yaml").write_text(yaml, "utf-8")
    return dest


def page_kinds(out: Path) -> dict[str, str]:
    """One page per kind (the body's page-KIND class) and language: {"home": "/", ...}."""
    found: dict[str, str] = {}
    for html_file in sorted(out.rglob("*.html")):
        rel = html_file.relative_to(out).as_posix()
        head = html_file.read_text("utf-8", "replace")[:6000]
        kind = re.search(r'<body class="page-([\w-]+)', head)
        lang = re.search(r'<html lang="([\w-]+)"', head)
        if not kind or not lang:
            continue
        name = kind.group(1) if lang.group(1) == "en" else f"{kind.group(1)}-{lang.group(1)}"
        path = "/" + rel.removesuffix("index.html")
        found.setdefault(name, path)
    return found


# -- fixtures ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> str:
    path = shutil.which("chromium")
    need("chromium", path is not None, "install Debian's chromium (apt-get install chromium)")
    return str(path)


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> Iterator[dict[str, Served]]:
    """The example in both themes, and a site with the features the example lacks."""
    base = tmp_path_factory.mktemp("browser-sites")
    built = {
        "default": _build(EXAMPLE, base / "default"),
        "classic": _build(copy_site(EXAMPLE, base / "classic-src", theme="classic"),
                          base / "classic"),
        "features": _build(features_site(base / "features-src"), base / "features"),
    }
    served = {name: Served(out) for name, out in built.items()}
    yield served
    for s in served.values():
        s.close()


def _build(src: Path, out: Path) -> Path:
    build(src, out)
    return out


def features_site(root: Path) -> Path:
    """Pages, a post, news, math, code, embeds and publication thumbnails; en + de."""
    from PIL import Image, ImageDraw

    write_site(
        root,
        {
            "site.yaml": """
                title: Ada Lovelace
                base_url: /
                languages: [en, de]
                theme_options: {pub_style: detailed, accent: "#7a2b8f"}
                owner_names: [Ada Lovelace]
                profile:
                  name: Ada Lovelace
                  photo: img/ada.png
                  position: {en: Analyst, de: Analytikerin}
                  email: ada@example.org
                  links: {github: "https://github.com/ada"}
            """,
            "content/about.md": "I write notes on the *Analytical Engine*.\n",
            "content/about.de.md": "Ich schreibe über die *Analytische Maschine*.\n",
            "content/notes.md": """
                ---
                title: Notes
                nav: true
                ---
                Euler: $e^{i\\pi} + 1 = 0$, and a price of $5 or $10 stays text.

                $$
                \\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}
                $$

                ```python
                def bernoulli(n: int) -> float:
                    \"\"\"The n-th Bernoulli number.\"\"\"
                    return 0.0  # TODO
                ```

                https://www.youtube.com/watch?v=zNfaj_DV6-E

                <iframe src="https://www.openstreetmap.org/export/embed.html" title="Map"></iframe>
            """,
            "content/news/first-note.md": """
                ---
                title: The first note
                date: 2024-05-01
                ---
                Posted with `code` and $x^2$.
            """,
            "data/news.yaml": """
                - date: 2024-05-01
                  title: "Gave a talk at [the Royal Society](https://royalsociety.org/)."
            """,
            "publications.bib": """
                @inproceedings{lovelace1843notes,
                  title = {Notes on the Analytical Engine},
                  author = {Lovelace, Ada and Babbage, Charles},
                  booktitle = {Scientific Memoirs}, year = {1843}, abbr = {SciMem},
                  preview = {img/engine.png}, selected = {true},
                  pdf = {https://example.org/notes.pdf}
                }
                @article{lovelace1842sketch,
                  title = {Sketch of the Analytical Engine},
                  author = {Menabrea, Luigi and Lovelace, Ada},
                  journal = {Bibliothèque Universelle}, year = {1842},
                  preview = {img/sketch.jpg}
                }
            """,
        },
    )
    img = root / "static" / "img"
    img.mkdir(parents=True, exist_ok=True)
    for name, size, colour in (
        ("ada.png", (600, 600), (122, 43, 143)),
        ("engine.png", (800, 600), (36, 86, 166)),
        ("sketch.jpg", (640, 480), (180, 90, 40)),
    ):
        im = Image.new("RGB", size, (236, 238, 242))
        draw = ImageDraw.Draw(im)
        w, h = size
        draw.ellipse((w * 0.2, h * 0.15, w * 0.8, h * 0.85), fill=colour)
        draw.rectangle((0, h * 0.8, w, h), fill=(60, 66, 80))
        im.save(img / name)
    return root


@dataclass
class Visit:
    """One page in one browser context: what it logged and requested."""

    page: object
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


@pytest.fixture
def visit(browser) -> Iterator:
    """visit(url, width=1280, scheme="light") -> Visit, with external requests refused."""
    contexts = []

    def open_page(url: str, width: int = 1280, scheme: str = "light", init: str = "") -> Visit:
        ctx = browser.new_context(
            viewport={"width": width, "height": 900}, color_scheme=scheme, device_scale_factor=1
        )
        contexts.append(ctx)
        page = ctx.new_page()
        v = Visit(page)

        def route(r) -> None:
            host = urlsplit(r.request.url).hostname
            if host == "127.0.0.1":
                r.continue_()
            else:
                v.outside.append(r.request.url)
                r.abort()

        ctx.route("**/*", route)
        page.on("console", lambda m: v.errors.append(f"console: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: v.errors.append(f"pageerror: {e}"))
        if init:
            page.add_init_script(init)
        page.goto(url, wait_until="load")
        return v

    yield open_page
    for ctx in contexts:
        ctx.close()


def fonts_for(lang: str) -> bool:
    """Does fontconfig know a font covering `lang` (e.g. zh)?"""
    try:
        out = subprocess.run(
            ["fc-list", f":lang={lang}", "family"], capture_output=True, text=True, timeout=20
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.strip())
