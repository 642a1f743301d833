"""Preview server: builds into a private folder and serves it on 127.0.0.1."""

from __future__ import annotations

import errno
import http.server
import mimetypes
import shutil
import socket
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import click

from ..build import build
from ..errors import Diagnostic, UserError
from ..model import SourceLocation

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def resolve_request_path(root: Path, url_path: str) -> Path | None:
    """Map a URL path to a file under `root`, or None when it is not one of ours.

    Decodes percent-escapes once, refuses NUL bytes, backslashes, `..` segments and
    anything whose real path (symlinks followed) leaves `root`.
    """
    path = unquote(urlsplit(url_path).path)
    if "\x00" in path or "\\" in path:
        return None
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    real_root = root.resolve()
    candidate = real_root.joinpath(*parts) if parts else real_root
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if real != real_root and real_root not in real.parents:
        return None
    if real.is_dir():
        real = real / "index.html"
        if not real.is_file():
            return None
    return real if real.is_file() else None


class PreviewHandler(http.server.BaseHTTPRequestHandler):
    """GET/HEAD of the built files; the site's 404 page for anything else."""

    server_version = "scholarsite"
    root: Path

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _respond(self, send_body: bool) -> None:
        root = self.server.root  # type: ignore[attr-defined]
        target = resolve_request_path(root, self.path)
        status = 200
        if target is None:
            path = unquote(urlsplit(self.path).path)
            if not path.endswith("/") and resolve_request_path(root, path + "/") is not None:
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.end_headers()
                return
            status = 404
            target = root / "404.html"
        body = target.read_bytes() if target.is_file() else b"Not found"
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in ("application/javascript", "image/svg+xml"):
            ctype += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


class PreviewServer(http.server.ThreadingHTTPServer):
    """A threading HTTP server that knows the folder it serves."""

    daemon_threads = True

    def __init__(self, root: Path, host: str, port: int) -> None:
        self.root = root
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), PreviewHandler)


def start_server(root: Path, host: str = "127.0.0.1", port: int = 8000) -> PreviewServer:
    """Bind the server (raises UserError when the port is taken)."""
    try:
        return PreviewServer(root, host, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UserError(
                [
                    Diagnostic(
                        SourceLocation(f"{host}:{port}"),
                        f"port {port} is already in use",
                        f"stop the other server or use --port {port + 1}",
                    )
                ]
            ) from None
        raise UserError(
            [
                Diagnostic(
                    SourceLocation(f"{host}:{port}"),
                    f"cannot listen on {host}:{port}: {exc.strerror}",
                    "check --host",
                )
            ]
        ) from None


def run_server(
    site_dir: Path, *, host: str = "127.0.0.1", port: int = 8000, drafts: bool = True
) -> None:
    """Build into a private folder (never _site/) and serve it until Ctrl-C."""
    if host not in LOCAL_HOSTS:
        click.secho(
            f"warning: serving on {host}: other machines can see this preview.",
            fg="yellow",
            err=True,
        )
    private = Path(tempfile.mkdtemp(prefix="scholarsite-serve-"))
    out = private / "site"
    try:
        report = build(site_dir, out, drafts=drafts)
        for w in report.warnings:
            click.echo(str(w), err=True)
        server = start_server(out, host, port)
        shown = f"[{host}]" if ":" in host else host
        click.echo(f"Serving {site_dir} on http://{shown}:{port}/ (Ctrl-C to stop)")
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            thread.join()
        except KeyboardInterrupt:
            click.echo("\nStopped.")
        finally:
            server.shutdown()
            server.server_close()
    finally:
        shutil.rmtree(private, ignore_errors=True)
