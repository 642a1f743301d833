"""A local stand-in for dblp, ORCID, Crossref, doi.org and arXiv: the recorded responses
of tests/fixtures/sync/ served on 127.0.0.1, with the sync sources pointed at it."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from scholarsite.sync import arxiv as arxiv_mod
from scholarsite.sync import crossref as crossref_mod
from scholarsite.sync import dblp as dblp_mod
from scholarsite.sync import orcid as orcid_mod

FIX = Path(__file__).parent / "fixtures" / "sync"
ORCID = "0000-0002-1825-0097"  # ORCID's documented test record (Josiah Carberry)
BIB = "application/x-bibtex; charset=utf-8"
JSON = "application/json;charset=UTF-8"
ATOM = "application/atom+xml; charset=utf-8"


def _file(rel: str, ctype: str, status: int = 200) -> tuple[int, str, bytes, dict]:
    return status, ctype, (FIX / rel).read_bytes(), {}


ROUTES = {
    "/dblp/pid/123/4567.bib": _file("dblp/person.bib", BIB),
    "/dblp/pid/999/9999.bib": _file("dblp/404.html", "text/html", 404),
    f"/orcid/v3.0/{ORCID}/works": _file("orcid/works.json", JSON),
    f"/orcid/v3.0/{ORCID}/works/1001,1002,1003": _file("orcid/bulk.json", JSON),
    "/orcid/v3.0/0000-0001-5109-3700/works": _file("orcid/404.json", JSON, 404),
    "/crossref/works/10.1609/aaai.v36i10.21408": _file("crossref/work.json", JSON),
    "/crossref/works/10.5281/zenodo.6418245": _file("crossref/404.txt", "text/plain", 404),
    "/crossref/works/10.9999/nowhere": _file("crossref/404.txt", "text/plain", 404),
    "/doi/10.5281/zenodo.6418245": (302, "text/html", b"", {"Location": "/datacite/zenodo"}),
    "/datacite/zenodo": _file("doi/datacite.bib", "application/x-bibtex"),
    "/doi/10.9999/nowhere": (404, "text/html", b"<html>DOI not found</html>", {}),
    "/arxiv/api/query?id_list=2112.07198%2C2205.00241&max_results=2": _file("arxiv/feed.xml", ATOM),
    "/arxiv/api/query?id_list=1234.12345&max_results=1": _file("arxiv/error.xml", ATOM),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        server = self.server
        server.seen.append((self.path, dict(self.headers)))  # type: ignore[attr-defined]
        if self.path.startswith("/slow/"):
            time.sleep(1.0)
        if self.path.startswith("/flaky"):
            server.flaky -= 1  # type: ignore[attr-defined]
            if server.flaky >= 0:  # type: ignore[attr-defined]
                return self._send(503, "text/plain", b"Service Unavailable", {})
            return self._send(200, "text/plain", b"ok", {})
        if self.path.startswith("/busy"):
            return self._send(429, "text/plain", b"Rate exceeded.", {"Retry-After": "7"})
        route = ROUTES.get(self.path)
        prefixes = server.prefixes  # type: ignore[attr-defined]
        if route is None:
            route = next((r for p, r in prefixes.items() if self.path.startswith(p)), None)
        if route is None:
            return self._send(404, "text/plain", b"no such route", {})
        self._send(*route)

    def _send(self, status: int, ctype: str, body: bytes, headers: dict) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout tests)

    def log_message(self, *args) -> None:
        pass


def start_services(monkeypatch, prefixes: dict | None = None) -> ThreadingHTTPServer:
    """A local server answering as the four services do; the sources point at it.
    `prefixes` maps a path prefix to an answer, for paths not in ROUTES."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.prefixes = prefixes or {}  # type: ignore[attr-defined]
    server.daemon_threads = True
    server.seen = []  # type: ignore[attr-defined]
    server.flaky = 0  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setattr(dblp_mod, "BASE", f"{url}/dblp")
    monkeypatch.setattr(orcid_mod, "API", f"{url}/orcid/v3.0")
    monkeypatch.setattr(crossref_mod, "API", f"{url}/crossref")
    monkeypatch.setattr(crossref_mod, "RESOLVER", f"{url}/doi")
    monkeypatch.setattr(arxiv_mod, "API", f"{url}/arxiv/api/query")
    server.url = url  # type: ignore[attr-defined]
    return server


def stop_services(server: ThreadingHTTPServer) -> None:
    server.shutdown()
    server.server_close()
