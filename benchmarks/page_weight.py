"""Page weight of the example's home page, measured in chromium.

Builds the example site, serves it on 127.0.0.1 with a plain static server (no
compression, so the numbers are an upper bound: GitHub Pages and most hosts gzip HTML, CSS
and JS), loads the home page in Debian's chromium, and sums the bytes transferred (headers
and bodies, from the DevTools protocol). Targets: under 60 KB without the photo, under
150 KB in total, and no request to another host (so nothing third-party blocks rendering).

    .venv/bin/python benchmarks/page_weight.py [--site examples/about-me] [--width 1280]

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import shutil
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LIMIT_WITHOUT_PHOTO = 60 * 1024
LIMIT_TOTAL = 150 * 1024


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def measure(site: Path, width: int) -> dict:
    from playwright.sync_api import sync_playwright

    from scholarsite.build import build

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        build(site, out)
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            requests = _load(origin + "/", width, sync_playwright)
            for r in requests:  # what a gzipping host would send for the same bodies
                kind = r["type"] in ("Document", "Stylesheet", "Script", "Other")
                if urlsplit(r["url"]).hostname == "127.0.0.1" and kind:
                    with urllib.request.urlopen(r["url"], timeout=10) as resp:
                        r["gzip"] = len(gzip.compress(resp.read(), 9))
                else:
                    r["gzip"] = r["bytes"]
        finally:
            server.shutdown()
            server.server_close()
    photo = [r for r in requests if "/assets/img/photo-" in r["url"] or "/img/photo" in r["url"]]
    return {
        "requests": requests,
        "total": sum(r["bytes"] for r in requests),
        "photo": sum(r["bytes"] for r in photo),
        "gzip_total": sum(r["gzip"] for r in requests),
        "third_party": [r["url"] for r in requests if urlsplit(r["url"]).hostname != "127.0.0.1"],
    }


def _load(url: str, width: int, sync_playwright) -> list[dict]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": 900})
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        seen: dict[str, dict] = {}
        cdp.on(
            "Network.responseReceived",
            lambda e: seen.setdefault(
                e["requestId"], {"url": e["response"]["url"], "type": e.get("type", ""), "bytes": 0}
            ),
        )
        cdp.on(
            "Network.loadingFinished",
            lambda e: seen.get(e["requestId"], {}).__setitem__(
                "bytes", int(e["encodedDataLength"])
            ),
        )
        page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(300)
        browser.close()
    return [r for r in seen.values() if not r["url"].startswith("data:")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "examples" / "about-me")
    parser.add_argument("--width", type=int, default=1280)
    args = parser.parse_args()
    if shutil.which("chromium") is None:
        print("chromium not found: apt-get install chromium", file=sys.stderr)
        return 2
    m = measure(args.site, args.width)
    print(f"home page of {args.site} at {args.width} px, as transferred (no compression):")
    for r in sorted(m["requests"], key=lambda r: -r["bytes"]):
        path = urlsplit(r["url"]).path
        print(f"  {r['bytes']:>8,} B  {r['type']:<11} {path}   (gzip: {r['gzip']:,} B)")
    without = m["total"] - m["photo"]
    print(f"  {len(m['requests'])} requests, third-party: {len(m['third_party'])}")
    print(f"  total {m['total'] / 1024:.1f} KB (target < {LIMIT_TOTAL // 1024} KB)")
    limit = LIMIT_WITHOUT_PHOTO // 1024
    print(f"  without the photo {without / 1024:.1f} KB (target < {limit} KB)")
    print(f"  with gzip, as GitHub Pages serves it: {m['gzip_total'] / 1024:.1f} KB")
    ok = m["total"] < LIMIT_TOTAL and without < LIMIT_WITHOUT_PHOTO and not m["third_party"]
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
