"""The preview server: pages from memory with the reload script, the 404 page, redirects,
no way out of the site (traversal, encodings, symlinks), the event stream, the watcher."""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from scholarsite.build import build
from scholarsite.serve.reload import EVENTS_PATH, inject
from scholarsite.serve.server import Preview, split_request_path, start_server
from scholarsite.serve.watch import Change, Watcher, classify_change, classify_changes

MARK = b'<script type="module" data-scholarsite-version='

SECRET = "TOP-SECRET-do-not-serve"

SITE = {
    "publications.bib": """
        @inproceedings{xu2022s4,
          title = {S4-Tuning: A Simple Method},
          author = {Lovelace, Ada and Babbage, Charles},
          booktitle = {ACL}, year = {2022},
        }
    """,
    "data/education.yaml": """
        - title: PhD in Mathematics
          org: University of London
          date: 2020
    """,
    "content/about.md": "I study *engines*.\n",
    "static/files/real.txt": "real file\n",
}


@contextmanager
def serving(root: Path) -> Iterator[tuple[Preview, int]]:
    preview = Preview(root, drafts=True)
    assert preview.rebuild().ok
    server = start_server(preview, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield preview, server.server_address[1]
    finally:
        preview.broadcaster.close()
        server.shutdown()
        server.server_close()


def get(port: int, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path)  # sent as written: no client-side normalisation
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body


@pytest.fixture
def site(make_site, tmp_path: Path) -> Path:
    (tmp_path / "secret.txt").write_text(SECRET)
    return make_site(SITE)


def test_pages_come_with_the_reload_script_and_built_files_without(site, tmp_path):
    with serving(site) as (_, port):
        status, headers, body = get(port, "/publications/xu2022s4/")
        assert status == 200 and headers["content-type"].startswith("text/html")
        assert b"S4-Tuning: A Simple Method" in body
        assert MARK in body and b"new EventSource(" in body
        assert body.rindex(MARK) < body.rindex(b"</body>")
        status, headers, css = get(port, "/assets/style.css")
        assert status == 200 and b"scholarsite-version" not in css
    out = tmp_path / "out"
    build(site, out)
    for page in out.rglob("*"):
        if page.is_file():
            assert b"__scholarsite" not in page.read_bytes(), page


def test_serve_writes_nothing_into_the_site_output(site):
    with serving(site) as (preview, port):
        get(port, "/")
        (site / "content" / "about.md").write_text("Edited.\n")
        preview.rebuild([site / "content" / "about.md"])
        assert b"Edited." in get(port, "/")[2]
    assert not (site / "_site").exists()


def test_unknown_paths_get_the_site_404_page(site):
    with serving(site) as (_, port):
        status, _, body = get(port, "/no/such/page/")
        assert status == 404
        assert b"<html" in body and MARK in body
        status, _, head_body = get(port, "/nothing-here.png", method="HEAD")
        assert status == 404 and head_body == b""


def test_folders_without_slash_redirect(site):
    with serving(site) as (_, port):
        status, headers, _ = get(port, "/publications")
        assert status == 301 and headers["location"] == "/publications/"


def test_base_url_with_a_path_is_served_under_it(site):
    yaml = (
        (site / "site.yaml")
        .read_text()
        .replace("https://ada.example.org/", "https://ada.github.io/repo/")
    )
    (site / "site.yaml").write_text(yaml)
    with serving(site) as (_, port):
        status, headers, _ = get(port, "/")
        assert status == 301 and headers["location"] == "/repo/"
        status, _, body = get(port, "/repo/publications/")
        assert status == 200 and b'href="/repo/publications/xu2022s4/"' in body
        assert get(port, "/publications/")[0] == 404


TRAVERSALS = [
    "/../secret.txt",
    "/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/%2e%2e/secret.txt",
    "/..%2fsecret.txt",
    "/..%2F..%2Fsecret.txt",
    "/%2e%2e%2fsecret.txt",
    "/%252e%252e/secret.txt",
    "/%252e%252e%252fsecret.txt",
    "/files/..%5c..%5csecret.txt",
    "/files/..\\..\\secret.txt",
    "/.%2e/secret.txt",
    "/./../secret.txt",
    "//secret.txt",
    "/files/real.txt%00.html",
    "/%c0%ae%c0%ae/secret.txt",
    "/files/../../secret.txt",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_leaves_the_site(site, path):
    with serving(site) as (_, port):
        status, _, body = get(port, path)
        assert status in (301, 404), path
        assert SECRET.encode() not in body


def test_request_paths_are_decoded_once_and_checked():
    assert split_request_path("/a/b/") == ["", "a", "b", ""]
    assert split_request_path("/%E4%B8%AD/") == ["", "中", ""]
    assert split_request_path("/%2e%2e/x") is None
    assert split_request_path("/a%2f..%2fb") is None
    assert split_request_path("/%252e%252e/x") == ["", "%2e%2e", "x"]  # a name, not '..'
    assert split_request_path("/a%00b") is None
    assert split_request_path("/a%5cb") is None
    assert split_request_path("/%ff") is None


def test_symlinks_out_of_the_site_are_not_served(site, tmp_path):
    files = site / "static" / "files"
    (files / "alias.txt").symlink_to(files / "real.txt")
    (files / "swapped.txt").write_text("harmless\n")
    with serving(site) as (_, port):
        status, _, body = get(port, "/files/alias.txt")  # a link inside the site: fine
        assert status == 200 and body == b"real file\n"
        assert get(port, "/files/swapped.txt")[2] == b"harmless\n"
        (files / "swapped.txt").unlink()  # replaced by a link out, after the build
        (files / "swapped.txt").symlink_to(tmp_path / "secret.txt")
        status, _, body = get(port, "/files/swapped.txt")
        assert status == 404 and SECRET.encode() not in body


def test_inject_puts_the_script_before_the_last_body_end():
    html = b"<html><body><p>a</p><!-- </body> --></BODY></html>"
    out = inject(html, 7)
    assert out.startswith(b"<html><body><p>a</p><!-- </body> -->" + MARK + b'"7">')
    assert out.endswith(b"</script></BODY></html>")
    assert out.count(b"</script>") == 1  # the script's own text never closes the tag
    assert inject(b"<p>fragment</p>", 1).startswith(b"<p>fragment</p>" + MARK)


def read_event(resp: http.client.HTTPResponse) -> dict:
    """The next `state` event of an event stream."""
    data = None
    while True:
        line = resp.fp.readline().decode().rstrip("\n")
        if line.startswith("data: "):
            data = json.loads(line[6:])
        elif line == "" and data is not None:
            return data


def test_event_stream_tells_changes_and_errors(site):
    with serving(site) as (preview, port):
        version = preview.broadcaster.version
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", f"{EVENTS_PATH}?v={version}")
        resp = conn.getresponse()
        assert resp.getheader("Content-Type").startswith("text/event-stream")
        first = read_event(resp)
        assert first == {"version": version, "changed": [], "all": False, "errors": []}

        bib = site / "publications.bib"
        bib.write_text(bib.read_text().replace("A Simple Method", "A Better Method"))
        preview.rebuild([bib])
        state = read_event(resp)
        assert state["version"] == version + 1
        assert "/publications/xu2022s4/" in state["changed"]
        assert "/publications/" in state["changed"] and state["errors"] == []

        data = site / "data" / "education.yaml"
        good = data.read_text()
        data.write_text("- title: PhD\n  org: [University\n")
        preview.rebuild([data])
        state = read_event(resp)
        assert state["errors"] and re.match(
            r"data/education\.yaml:\d+:\d+: error: YAML", state["errors"][0]
        )
        assert b"A Better Method" in get(port, "/publications/xu2022s4/")[2]  # last good site

        data.write_text(good)
        preview.rebuild([data])
        state = read_event(resp)
        assert state["errors"] == []
        conn.close()


def test_a_page_that_missed_versions_learns_all_changes_since(site):
    with serving(site) as (preview, _):
        start = preview.broadcaster.version
        bib = site / "publications.bib"
        bib.write_text(bib.read_text().replace("A Simple Method", "Version Two"))
        preview.rebuild([bib])
        (site / "content" / "about.md").write_text("New bio.\n")
        preview.rebuild([site / "content" / "about.md"])
        state = preview.broadcaster.state_since(start)
        assert state.version == start + 2
        assert {"/publications/xu2022s4/", "/"} <= set(state.changed)
        assert preview.broadcaster.state_since(-5).all  # older than the history: reload


@pytest.mark.parametrize(
    ("rel", "kind"),
    [
        ("site.yaml", "config"),
        ("data/awards.yaml", "data"),
        ("publications.bib", "bib"),
        ("bib/dblp.bib", "bib"),
        ("content/about.md", "page"),
        ("content/news/a.md", "page"),
        ("templates/partials/pub.html", "template"),
        ("static/img/me.jpg", "static"),
        ("themes/mine/templates/base.html", "theme"),
        ("content/news", "folder"),
        ("_site/index.html", None),
        (".scholarsite-cache/records.json", None),
        ("content/.about.md.swp", None),
        (".git/index", None),
        ("notes.txt", None),
    ],
)
def test_changes_are_classified_by_kind(rel, kind):
    assert classify_change(rel) == kind


def test_watcher_events_become_sorted_changes(tmp_path):
    class Added:
        name = "added"

    events = [(Added(), str(tmp_path / "publications.bib")), (Added(), str(tmp_path / "x.txt"))]
    events.append((Added(), str(tmp_path / "data" / "talks.yaml")))
    events.append((Added(), "/elsewhere/site.yaml"))
    assert classify_changes(tmp_path, events) == [
        Change("data/talks.yaml", "data", "added"),
        Change("publications.bib", "bib", "added"),
    ]


def test_watcher_rebuilds_after_a_save(site):
    with serving(site) as (preview, port):
        batches: list[list[Change]] = []

        def on_change(changes: list[Change]) -> None:
            batches.append(changes)
            preview.on_change(changes)

        watcher = Watcher(site, on_change)
        watcher.start()
        try:
            bib = site / "publications.bib"
            bib.write_text(bib.read_text().replace("A Simple Method", "Watched Method"))
            deadline = time.monotonic() + 15
            while b"Watched Method" not in get(port, "/publications/xu2022s4/")[2]:
                assert time.monotonic() < deadline, f"no rebuild; batches: {batches}"
                time.sleep(0.05)
            assert any(c.kind == "bib" and c.path == "publications.bib" for b in batches for c in b)
        finally:
            watcher.stop()
