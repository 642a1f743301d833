"""`scholarsite serve` from the command line: bind address, port in use, Ctrl-C, terminal
errors with path:line."""

from __future__ import annotations

import http.client
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from scholarsite.cli import main
from scholarsite.errors import Diagnostic
from scholarsite.model import SourceLocation
from scholarsite.serve import server as server_module

BIB = "@misc{k1, title = {First Title}, author = {Lovelace, Ada}, year = {2020}}\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_default_bind_address_is_this_machine_only(make_site):
    serve = main.commands["serve"]
    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"
    root = make_site({})
    preview = server_module.Preview(root)
    server = server_module.start_server(preview, port=0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


def test_another_host_only_when_asked_and_with_a_warning(make_site, monkeypatch):
    bound: list[str] = []

    def fake_start(preview, host="127.0.0.1", port=8000):
        bound.append(host)
        raise server_module.ServeError([Diagnostic(SourceLocation(host), "stop here")])

    monkeypatch.setattr(server_module, "start_server", fake_start)
    root = make_site({})
    result = CliRunner().invoke(main, ["serve", str(root), "--host", "0.0.0.0"])
    assert bound == ["0.0.0.0"]
    assert "warning: serving on 0.0.0.0: other machines" in result.output
    result = CliRunner().invoke(main, ["serve", str(root)])
    assert bound[-1] == "127.0.0.1" and "warning" not in result.output


def test_port_in_use_is_a_clear_message_and_exit_code_3(make_site):
    root = make_site({})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", str(root), "--port", str(port)])
    assert result.exit_code == 3
    assert f"port {port} is already in use" in result.output
    assert f"--port {port + 1}" in result.output
    assert "Traceback" not in result.output and "nothing was written" not in result.output


class Running:
    """`scholarsite serve` in a subprocess, its output lines collected by a thread."""

    def __init__(self, root: Path, port: int, *args: str, **env: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **env}
        command = [sys.executable, "-m", "scholarsite.cli", "serve", str(root)]
        self.proc = subprocess.Popen(
            [*command, "--port", str(port), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"{text!r} not printed; output so far:\n{''.join(self.seen)}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def fetch(port: int, path: str) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    body = conn.getresponse().read()
    conn.close()
    return body


def test_serve_rebuilds_reports_errors_with_path_line_and_stops_on_ctrl_c(make_site, tmp_path):
    root = make_site({"publications.bib": BIB, "data/awards.yaml": "- title: Prize\n"})
    port = free_port()
    opened = tmp_path / "opened.txt"
    fake_browser = tmp_path / "browser.py"
    fake_browser.write_text(f"import sys\nopen({str(opened)!r}, 'w').write(sys.argv[1])\n")
    run = Running(root, port, "--open", BROWSER=f"{sys.executable} {fake_browser} %s")
    try:
        run.wait_for(f"on http://127.0.0.1:{port}/")
        deadline = time.monotonic() + 10
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert opened.read_text() == f"http://127.0.0.1:{port}/"  # --open
        assert b"First Title" in fetch(port, "/publications/k1/")

        bib = root / "publications.bib"
        bib.write_text(BIB.replace("First Title", "Second Title"))
        run.wait_for("publications.bib (bibliography)")
        assert b"Second Title" in fetch(port, "/publications/k1/")

        (root / "data" / "awards.yaml").write_text("- title: [Prize\n")
        run.wait_for("error(s), serving the last good site")
        run.wait_for("data/awards.yaml:2:")
        assert b"Second Title" in fetch(port, "/publications/k1/")

        run.proc.send_signal(signal.SIGINT)
        assert run.proc.wait(15) == 0
        run.wait_for("Stopped.")
        assert "Traceback" not in "".join(run.seen)
        assert not (root / "_site").exists()
    finally:
        run.stop()


@pytest.mark.parametrize("bad", ["site.yaml"])
def test_serve_starts_even_when_the_site_has_errors(make_site, bad):
    root = make_site({bad: "title: [unclosed\n"})
    port = free_port()
    run = Running(root, port)
    try:
        run.wait_for("site.yaml:")
        run.wait_for(f"on http://127.0.0.1:{port}/")
        body = fetch(port, "/")
        assert b"The site has errors" in body and b"data-scholarsite-version" in body
        (root / "site.yaml").write_text("title: Fixed\n")
        run.wait_for("site.yaml (site settings)")
        assert b"Fixed" in fetch(port, "/")
        run.proc.send_signal(signal.SIGINT)
        assert run.proc.wait(15) == 0
    finally:
        run.stop()
