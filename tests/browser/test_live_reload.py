"""Live reload in headless chromium: a page under `serve` reloads with an edited title;
broken YAML shows the error overlay (with path:line) over the last good page; the fix
clears it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from scholarsite.serve.server import Preview, start_server
from scholarsite.serve.watch import Watcher

from ..conftest import MINIMAL_SITE, write_site

BIB = """@inproceedings{lovelace1843,
  title = {Notes on the Engine},
  author = {Lovelace, Ada and Babbage, Charles},
  booktitle = {Scientific Memoirs},
  year = {1843},
}
"""
AWARDS = "- title: Royal Medal\n  date: 1843\n"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A site served by the preview server with the file watcher running."""
    root = write_site(
        tmp_path / "site",
        {**MINIMAL_SITE, "publications.bib": BIB, "data/awards.yaml": AWARDS},
    )
    preview = Preview(root, drafts=True)
    assert preview.rebuild().ok
    server = start_server(preview, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    watcher = Watcher(root, preview.on_change)
    watcher.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        watcher.stop()
        preview.broadcaster.close()
        server.shutdown()
        server.server_close()


def test_edit_reloads_page_and_errors_show_in_an_overlay(browser, live):
    from playwright.sync_api import expect

    root, origin = live
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{origin}/publications/lovelace1843/", wait_until="load")
    title = page.locator("h1").first
    expect(title).to_have_text("Notes on the Engine")
    page.evaluate("window.__before_reload = true")

    bib = root / "publications.bib"
    bib.write_text(BIB.replace("Notes on the Engine", "Sketch of the Engine"))
    expect(title).to_have_text("Sketch of the Engine", timeout=15_000)
    assert page.evaluate("window.__before_reload === undefined")  # a reload, not a patch

    awards = root / "data" / "awards.yaml"
    awards.write_text("- title: [Royal Medal\n  date: 1843\n")
    overlay = page.locator("#scholarsite-error-overlay")
    expect(overlay).to_be_visible(timeout=15_000)
    expect(overlay).to_contain_text("data/awards.yaml:")
    expect(overlay).to_contain_text("YAML syntax error")
    expect(title).to_have_text("Sketch of the Engine")  # the last good page stays

    other = context.new_page()  # a page opened while the site is broken shows it too
    other.goto(f"{origin}/", wait_until="load")
    expect(other.locator("#scholarsite-error-overlay")).to_contain_text("data/awards.yaml:")

    awards.write_text(AWARDS)
    expect(overlay).to_have_count(0, timeout=15_000)
    expect(other.locator("#scholarsite-error-overlay")).to_have_count(0, timeout=15_000)
    expect(title).to_have_text("Sketch of the Engine")
    assert problems == []
    context.close()
