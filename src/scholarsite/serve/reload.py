"""Live reload: the script the preview adds to each HTML page, and the events it follows.

Only the preview server adds the script (inline, marked `data-scholarsite-version`), to
each response: built files never contain it.
The page learns the site's version when it is served; the event stream (Server-Sent
Events) then tells it which pages changed since, and the current errors. The page reloads
when it changed itself (or a stylesheet, script or image did), and shows the errors in an
overlay, with `path:line:col`, until a rebuild succeeds.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

PREFIX = "/__scholarsite/"
EVENTS_PATH = PREFIX + "events"
KEEPALIVE_SECONDS = 10.0
HISTORY = 200  # versions whose changed pages are remembered

_BODY_END = re.compile(rb"</body\s*>", re.I)

CLIENT_JS = r"""(function () {
  "use strict";
  var me = document.querySelector("script[data-scholarsite-version]");
  var version = Number(me && me.dataset.scholarsiteVersion) || 0;
  var ID = "scholarsite-error-overlay";
  function here() { return location.pathname.replace(/index\.html$/, ""); }
  function showErrors(messages) {
    var box = document.getElementById(ID);
    if (!messages.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = ID;
      box.setAttribute("role", "alertdialog");
      box.setAttribute("aria-live", "assertive");
      box.setAttribute("aria-label", "Build error");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,20,24,.94);color:#fff;font:14px/1.5 ui-monospace,monospace;" +
        "padding:2rem;margin:0";
      document.documentElement.appendChild(box);
    }
    box.textContent = "";
    var h = document.createElement("p");
    h.style.cssText = "color:#ff8a80;font-weight:bold;margin:0 0 1rem";
    h.textContent = "scholarsite: the site has errors; showing the last good version.";
    var pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;margin:0";
    pre.textContent = messages.join("\n\n");
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.style.cssText = "position:absolute;top:1rem;right:1rem";
    close.onclick = function () { box.remove(); };
    box.append(h, pre, close);
  }
  function uses() {  // this page and the files it loads: stylesheets, scripts, images
    var found = {};
    found[here()] = true;
    function add(url) {
      try { found[new URL(url, location.href).pathname] = true; } catch (e) { /* skip */ }
    }
    document.querySelectorAll("link[href]").forEach(function (el) {
      if (/stylesheet|icon|preload|modulepreload/.test(el.rel)) add(el.href);
    });
    document.querySelectorAll("script[src],img[src],video[src],audio[src],iframe[src]")
      .forEach(function (el) { add(el.src); });
    document.querySelectorAll("img[srcset],source[srcset]").forEach(function (el) {
      el.getAttribute("srcset").split(",").forEach(function (part) {
        var url = part.trim().split(/\s+/)[0];
        if (url) add(url);
      });
    });
    return found;
  }
  function onState(state) {
    showErrors(state.errors || []);
    if (state.version <= version) return;
    var used = uses();
    var touches = state.all || (state.changed || []).some(function (url) { return used[url]; });
    if (touches) { location.reload(); } else { version = state.version; }
  }
  if (!window.EventSource) return;
  var source = new EventSource("__EVENTS__?v=" + version);
  source.addEventListener("state", function (e) { onState(JSON.parse(e.data)); });
  window.addEventListener("pagehide", function () { source.close(); });
})();
""".replace("__EVENTS__", EVENTS_PATH)
_TAG_HEAD = b'<script type="module" data-scholarsite-version="'
_TAG_TAIL = b'">' + CLIENT_JS.replace("</", "<\\/").encode() + b"</script>"


def inject(html: bytes, version: int) -> bytes:
    """An HTML page with the reload script added before `</body>` (or at the end): inline,
    as a module, so it neither blocks the page's parsing nor costs a request."""
    tag = _TAG_HEAD + str(int(version)).encode() + _TAG_TAIL
    ends = list(_BODY_END.finditer(html))
    if not ends:
        return html + tag
    at = ends[-1].start()
    return html[:at] + tag + html[at:]


@dataclass(frozen=True)
class State:
    """What a page is told: the version, what changed since its own, the errors."""

    version: int
    changed: tuple[str, ...]
    all: bool
    errors: tuple[str, ...]

    def event(self) -> bytes:
        data = {
            "version": self.version,
            "changed": list(self.changed),
            "all": self.all,
            "errors": list(self.errors),
        }
        return f"event: state\ndata: {json.dumps(data)}\n\n".encode()


class Broadcaster:
    """The site's version and errors, shared with every open event stream."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.version = 0
        self.errors: tuple[str, ...] = ()
        self._history: list[tuple[int, frozenset[str]]] = []
        self._closed = False

    def publish(self, version: int, changed: Iterable[str], errors: Iterable[str]) -> None:
        """A rebuild finished: `changed` are URL paths changed since the last version."""
        with self._cond:
            if version > self.version:
                self._history.append((version, frozenset(changed)))
                del self._history[:-HISTORY]
                self.version = version
            self.errors = tuple(errors)
            self._cond.notify_all()

    def close(self) -> None:
        """End every stream (the server is stopping)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed

    def state_since(self, version: int) -> State:
        """The state for a page that has seen `version`."""
        with self._cond:
            return self._state(version)

    def _state(self, since: int) -> State:
        known = self._history[0][0] - 1 if self._history else self.version
        changed: set[str] = set()
        for v, urls in self._history:
            if v > since:
                changed |= urls
        return State(self.version, tuple(sorted(changed)), since < known, self.errors)

    def wait(self, since: int, errors: tuple[str, ...], timeout: float) -> State | None:
        """Block until the version passes `since` or the errors differ from `errors`;
        None on timeout or when closed."""
        with self._cond:
            self._cond.wait_for(
                lambda: self._closed or self.version > since or self.errors != errors,
                timeout,
            )
            if self._closed or (self.version <= since and self.errors == errors):
                return None
            return self._state(since)
