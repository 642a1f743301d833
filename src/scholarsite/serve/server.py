"""Preview server: builds the site in memory, serves it on 127.0.0.1, reloads on edits.

Nothing is written into the site's `_site/`: outputs live in memory (static files are read
from the site folder when asked for). Requests are looked up in the output map by path, so
no URL can reach a file outside the site: `..` segments, encoded or not, NUL bytes and
backslashes are refused, and a static file whose real path (symlinks followed) leaves the
site folder or the theme is never sent. Unknown paths get the site's 404 page.
"""

from __future__ import annotations

import errno
import http.server
import mimetypes
import os
import socket
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import click

from ..cache import Cache
from ..errors import Diagnostic, UserError
from ..incremental import Incremental, Outcome
from ..model import SourceLocation
from ..source import site_folder
from .reload import EVENTS_PATH, KEEPALIVE_SECONDS, Broadcaster, inject
from .watch import Change, Watcher

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
RELOAD_WAIT = 0.5  # seconds the other pages wait for the shown ones to reload
TEXT_TYPES = {".bib": "text/plain", ".ris": "text/plain", ".md": "text/plain"}
ERROR_PAGE = (
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>Build error</title></head>"
    "<body><h1>The site has errors</h1><p>Fix them and this page reloads.</p></body></html>"
)


class ServeError(UserError):
    """A problem of the machine, not of the site (port taken, address not available)."""

    exit_code = 3


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    location: str = ""


def split_request_path(url: str) -> list[str] | None:
    """The path segments of a request, decoded once; None for a path that tries to leave
    the site (`..`, NUL, backslash) or is not UTF-8."""
    raw = urlsplit(url).path
    try:
        path = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\x00" in path or "\\" in path or not path.startswith("/"):
        return None
    parts = path.split("/")
    if any(p in ("..", ".") for p in parts):
        return None
    return parts


class Preview:
    """The site being previewed: its incremental build, outputs and reload events."""

    def __init__(self, root: Path, *, drafts: bool = True, cache: Cache | None = None) -> None:
        self.root = Path(root)
        self.engine = Incremental(self.root, drafts=drafts, cache=cache)
        self.broadcaster = Broadcaster()
        self.lock = threading.Lock()
        self.mount = "/"
        self._allowed: tuple[str, ...] = (os.path.realpath(self.root),)
        self._viewers: Counter[str] = Counter()  # output path -> open pages showing it
        self._viewers_lock = threading.Condition()
        self._connects = 0  # event streams opened so far

    # -- building -------------------------------------------------------------------
    def rebuild(self, paths: list[str | Path] | None = None) -> Outcome:
        """Bring the site up to date and tell the browsers (the pages they show first)."""
        with self.lock:
            with self._viewers_lock:
                shown = {path for path, n in self._viewers.items() if n > 0}
            outcome = self.engine.rebuild(paths, first=shown, on_first=self._first_ready)
            site, theme = self.engine.site, self.engine.theme
            if site is not None and theme is not None:
                self.mount = _mount(site.config.base_url)
                dirs = [self.root, *theme.static_dirs]
                self._allowed = tuple(os.path.realpath(d) for d in dirs)
            urls = [self.url_of(p) for p in outcome.changed]
            errors = [str(d) for d in self.engine.errors]
            self.broadcaster.publish(self.engine.version, urls, errors)
        return outcome

    def _first_ready(self, changed: tuple[str, ...]) -> None:
        """The pages browsers show are rendered: let them reload before the rest renders
        (until each reloaded page opens its event stream again, at most RELOAD_WAIT)."""
        errors = [str(d) for d in self.engine.errors]
        with self._viewers_lock:
            # one reload per page shown (a closed stream is only noticed on its next write)
            target = self._connects + sum(1 for p in changed if self._viewers.get(p, 0) > 0)
        self.broadcaster.publish(self.engine.version, [self.url_of(p) for p in changed], errors)
        with self._viewers_lock:
            self._viewers_lock.wait_for(lambda: self._connects >= target, RELOAD_WAIT)

    def viewing(self, page_url: str | None, delta: int) -> str | None:
        """Count a page (by URL) that follows the event stream (+1) or stopped (-1)."""
        if not page_url:
            return None
        parts = split_request_path(urlsplit(page_url).path)
        path = "/".join(parts) if parts is not None else ""
        if not path.startswith(self.mount):
            return None
        rel = path[len(self.mount) :]
        rel = rel + "index.html" if rel == "" or rel.endswith("/") else rel
        with self._viewers_lock:
            self._viewers[rel] += delta
            if self._viewers[rel] <= 0:
                del self._viewers[rel]
            if delta > 0:
                self._connects += 1
                self._viewers_lock.notify_all()
        return rel

    def url_of(self, out_path: str) -> str:
        """The URL path of an output file (`a/index.html` -> `/a/`)."""
        if out_path == "index.html" or out_path.endswith("/index.html"):
            out_path = out_path[: -len("index.html")]
        return self.mount + out_path

    # -- answering ------------------------------------------------------------------
    def respond(self, url: str) -> Response:
        """The answer to a GET of `url` (without the reload script)."""
        parts = split_request_path(url)
        if parts is None:
            return self._not_found()
        path = "/".join(parts)
        if not path.startswith(self.mount):
            if path + "/" == self.mount or path == "/":
                return Response(301, location=self.mount)
            return self._not_found()
        rel = path[len(self.mount) :]
        outputs = self.engine.outputs
        if not outputs and self.engine.errors:
            return Response(503, ERROR_PAGE.encode(), "text/html; charset=utf-8")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        out = outputs.get(rel)
        if out is None:
            if f"{rel}/index.html" in outputs:
                return Response(301, location=path + "/")
            return self._not_found()
        body = out.data if out.data is not None else self._read_source(out.source)
        if body is None:
            return self._not_found()
        return Response(200, body, _content_type(rel))

    def _not_found(self) -> Response:
        page = self.engine.outputs.get("404.html")
        body = page.data if page is not None and page.data is not None else b"Not found"
        ctype = "text/html; charset=utf-8" if page is not None else "text/plain; charset=utf-8"
        return Response(404, body, ctype)

    def _read_source(self, source: Path | None) -> bytes | None:
        """A static file, only when its real path is inside the site or the theme."""
        if source is None:
            return None
        real = os.path.realpath(source)
        if not any(real == d or real.startswith(d + os.sep) for d in self._allowed):
            click.secho(
                f"warning: not serving {source}: it leads outside the site folder", fg="yellow"
            )
            return None
        try:
            with open(real, "rb") as fh:
                return fh.read()
        except OSError:
            return None

    # -- watching -------------------------------------------------------------------
    def on_change(self, changes: list[Change]) -> None:
        """A batch of file changes from the watcher: rebuild what they reach, report."""
        full = any(c.kind == "folder" for c in changes)
        paths = None if full else [self.root / c.path for c in changes]
        outcome = self.rebuild(paths)
        report(changes, outcome)


def _mount(base_url: str) -> str:
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def _content_type(rel: str) -> str:
    ext = os.path.splitext(rel)[1].lower()
    ctype = TEXT_TYPES.get(ext) or mimetypes.guess_type(rel)[0] or "application/octet-stream"
    textual = ctype.startswith("text/") or ctype.endswith(("+xml", "/xml", "/json"))
    if textual or ctype in ("application/javascript", "image/svg+xml"):
        ctype += "; charset=utf-8"
    return ctype


def report(changes: list[Change], outcome: Outcome) -> None:
    """One line per rebuild in the terminal; errors with their path:line:col."""
    what = ", ".join(f"{c.path} ({c.label})" for c in changes[:3])
    if len(changes) > 3:
        what += f" and {len(changes) - 3} more"
    stamp = time.strftime("%H:%M:%S")
    if not outcome.ok:
        click.secho(
            f"{stamp} {what}: {len(outcome.errors)} error(s), serving the last good site",
            fg="red",
            err=True,
        )
        for d in outcome.errors:
            click.echo(f"  {d}", err=True)
        return
    if not outcome.inputs and not outcome.changed:
        return
    pages = len(outcome.changed)
    shown = ""
    if outcome.first_seconds is not None:
        shown = (
            f"; the open page{'s' if pages != 1 else ''} in {outcome.first_seconds * 1000:.0f} ms"
        )
    click.echo(
        f"{stamp} {what}: {pages} file{'s' if pages != 1 else ''} changed "
        f"({len(outcome.rendered)} rendered) in {outcome.seconds * 1000:.0f} ms{shown}"
    )
    for d in outcome.warnings:
        if d.location.path in {c.path for c in changes}:
            click.secho(f"  {d}", fg="yellow", err=True)


class PreviewHandler(http.server.BaseHTTPRequestHandler):
    """GET/HEAD of the site in memory, the reload script and the event stream."""

    server_version = "scholarsite"
    protocol_version = "HTTP/1.1"
    timeout = 60
    disable_nagle_algorithm = True  # else a body's last segment can wait 40 ms for an ACK
    server: PreviewServer

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _respond(self, send_body: bool) -> None:
        preview = self.server.preview
        path = urlsplit(self.path).path
        if path == EVENTS_PATH and send_body:
            self._events()
            return
        answer = preview.respond(self.path)
        body = answer.body
        if answer.content_type.startswith("text/html"):
            body = inject(body, preview.broadcaster.version)
        self.send_response(answer.status)
        if answer.location:
            self.send_header("Location", answer.location)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _events(self) -> None:
        """A Server-Sent Events stream of the site's state, until the server stops."""
        broadcaster = self.server.preview.broadcaster
        query = parse_qs(urlsplit(self.path).query)
        try:
            since = int(query.get("v", ["0"])[0])
        except ValueError:
            since = 0
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        state = broadcaster.state_since(since)
        page = self.server.preview.viewing(self.headers.get("Referer"), +1)
        try:
            self.wfile.write(b"retry: 500\n\n" + state.event())
            self.wfile.flush()
            while not broadcaster.closed:
                new = broadcaster.wait(state.version, state.errors, KEEPALIVE_SECONDS)
                if new is None:
                    if broadcaster.closed:
                        break
                    self.wfile.write(b": keepalive\n\n")
                else:
                    state = new
                    self.wfile.write(state.event())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError, OSError):
            return
        finally:
            if page is not None:
                self.server.preview.viewing(self.headers.get("Referer"), -1)

    def log_message(self, format: str, *args: object) -> None:
        return


class PreviewServer(http.server.ThreadingHTTPServer):
    """A threading HTTP server that serves one Preview."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, preview: Preview, host: str, port: int) -> None:
        self.preview = preview
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), PreviewHandler)


def start_server(preview: Preview, host: str = "127.0.0.1", port: int = 8000) -> PreviewServer:
    """Bind the server; a taken port or a bad address is a ServeError (exit code 3)."""
    try:
        return PreviewServer(preview, host, port)
    except OSError as exc:
        where = SourceLocation(f"{host}:{port}")
        if exc.errno == errno.EADDRINUSE:
            problem = Diagnostic(
                where,
                f"port {port} is already in use",
                f"stop the other server, or choose another port: --port {port + 1}",
            )
        else:
            problem = Diagnostic(
                where,
                f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                "check --host (127.0.0.1 serves this machine only)",
            )
        raise ServeError([problem]) from None


def run_server(
    site_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    drafts: bool = True,
    open_browser: bool = False,
) -> None:
    """Build `site_dir` in memory, serve it and rebuild on every edit, until Ctrl-C."""
    root = site_folder(site_dir)
    if host not in LOCAL_HOSTS:
        click.secho(
            f"warning: serving on {host}: other machines on the network can see this preview.",
            fg="yellow",
            err=True,
        )
    sys.setswitchinterval(0.001)  # answer the browser promptly while other pages render
    cache = Cache.for_site(root)
    preview = Preview(root, drafts=drafts, cache=cache)
    server = start_server(preview, host, port)
    outcome = preview.rebuild()
    if outcome.ok:
        cache.save()
        click.echo(f"Built {len(preview.engine.outputs)} files in {outcome.seconds * 1000:.0f} ms.")
    else:
        for d in outcome.errors:
            click.secho(str(d), fg="red", err=True)
        click.secho(
            "The site has errors; the browser shows them until they are fixed.", fg="red", err=True
        )
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{server.server_address[1]}{preview.mount}"
    watcher = Watcher(root, preview.on_change)
    thread = threading.Thread(target=server.serve_forever, name="scholarsite-http", daemon=True)
    try:
        thread.start()
        watcher.start()
        click.echo(f"Serving {root} on {url} (Ctrl-C to stop)")
        if open_browser:
            import webbrowser

            webbrowser.open(url)
        while thread.is_alive():
            thread.join(0.5)
    except KeyboardInterrupt:
        click.echo("\nStopping.")
    finally:
        watcher.stop()
        preview.broadcaster.close()
        server.shutdown()
        server.server_close()
    click.echo("Stopped.")
