"""HTTP GET for the sync sources: urllib, a timeout, a polite User-Agent, retries.

Every failure becomes a `FetchError` (a `UserError`: shown as `URL: error: ...` with a
hint, no traceback). Status 429 and 5xx, timeouts and connection failures are retried
with exponential backoff (honouring `Retry-After`); a service that still fails is an
environment problem (exit code 3). 400/404/410 mean the identifier is wrong (exit 2).
"""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urlsplit

from ..errors import Diagnostic, UserError
from ..model import SourceLocation
from ..project import REPOSITORY, __version__

__all__ = ["FetchError", "Http", "Response", "user_agent"]

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
NOT_FOUND_STATUS = frozenset({400, 404, 410})
MAX_RETRY_AFTER = 60.0


class FetchError(UserError):
    """A request that failed for good; `exit_code` 3 (service) or 2 (wrong identifier)."""

    def __init__(self, url: str, message: str, hint: str = "", *, exit_code: int = 3) -> None:
        super().__init__([Diagnostic(SourceLocation(url), message, hint)])
        self.exit_code = exit_code
        self.url = url


@dataclass(frozen=True)
class Response:
    """A successful answer."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes

    def text(self) -> str:
        """The body decoded with the charset the server named (UTF-8 by default)."""
        msg = Message()
        msg["content-type"] = self.headers.get("content-type", "text/plain")
        charset = msg.get_content_charset() or "utf-8"
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")

    def json(self) -> object:
        """The body as JSON; a FetchError when it is not."""
        try:
            return json.loads(self.text())
        except ValueError as exc:
            raise FetchError(
                self.url, f"the answer is not JSON ({exc})", "retry later; the service may be down"
            ) from None


def user_agent(mailto: str = "") -> str:
    """`scholarsite/0.1.0 (+https://...; mailto:you@example.org)`: what Crossref's
    etiquette asks for, and what lets any service contact the user instead of blocking."""
    contact = f"; mailto:{mailto}" if mailto else ""
    return f"scholarsite/{__version__} (+{REPOSITORY}{contact})"


@dataclass
class Http:
    """A small, polite HTTP client. `opener` and `sleep` are injectable for tests."""

    mailto: str = ""
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0
    #: Seconds to keep between two requests to one host (arXiv asks for 3).
    intervals: Mapping[str, float] = field(default_factory=dict)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    opener: Callable[..., object] = urllib.request.urlopen
    requests: list[str] = field(default_factory=list)
    _last: dict[str, float] = field(default_factory=dict)

    def get(self, url: str, *, accept: str = "*/*", what: str = "the record") -> Response:
        """GET `url`; retries what can succeed later; raises FetchError otherwise."""
        headers = {"User-Agent": user_agent(self.mailto), "Accept": accept}
        attempt = 0
        while True:
            self._wait_turn(url)
            self.requests.append(url)
            try:
                return self._once(url, headers)
            except urllib.error.HTTPError as exc:
                status = exc.code
                retry_after = exc.headers.get("Retry-After") if exc.headers else None
                body = _read_quietly(exc)
                if status in RETRY_STATUS and attempt < self.retries:
                    self.sleep(self._delay(attempt, retry_after))
                    attempt += 1
                    continue
                raise self._status_error(url, status, exc.reason, body, what) from None
            except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
                if attempt < self.retries and not _hopeless(exc):
                    self.sleep(self._delay(attempt, None))
                    attempt += 1
                    continue
                raise self._network_error(url, exc) from None

    def _once(self, url: str, headers: Mapping[str, str]) -> Response:
        request = urllib.request.Request(url, headers=dict(headers))
        with self.opener(request, timeout=self.timeout) as answer:  # type: ignore[attr-defined]
            body = answer.read()
            status = getattr(answer, "status", 200)
            got = {k.lower(): v for k, v in answer.headers.items()}
            return Response(answer.geturl(), status, got, body)

    def _wait_turn(self, url: str) -> None:
        host = urlsplit(url).hostname or ""
        gap = self.intervals.get(host, 0.0)
        if gap and host in self._last:
            left = self._last[host] + gap - self.clock()
            if left > 0:
                self.sleep(left)
        self._last[host] = self.clock()

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        if retry_after:
            try:
                return min(max(float(retry_after), 0.0), MAX_RETRY_AFTER)
            except ValueError:
                pass  # an HTTP date: fall back to our own backoff
        return self.backoff * (2**attempt)

    def _status_error(
        self, url: str, status: int, reason: object, body: str, what: str
    ) -> FetchError:
        detail = f": {body}" if body else ""
        if status in NOT_FOUND_STATUS:
            return FetchError(
                url,
                f"HTTP {status} {reason}: {what} was not found{detail}",
                "check the identifier (copy it from the address of its page)",
                exit_code=2,
            )
        tries = f" after {self.retries + 1} tries" if status in RETRY_STATUS else ""
        return FetchError(
            url,
            f"HTTP {status} {reason}{tries}{detail}",
            "the service is busy or down; retry later",
        )

    def _network_error(self, url: str, exc: BaseException) -> FetchError:
        reason = getattr(exc, "reason", exc)
        if _hopeless(exc):
            return FetchError(
                url,
                f"cannot connect: {reason}",
                "the host name cannot be resolved: check your internet connection "
                "(and proxy settings: HTTPS_PROXY)",
            )
        if isinstance(reason, (TimeoutError, socket.timeout)) or "timed out" in str(reason):
            message = f"no answer within {self.timeout:g} s ({self.retries + 1} tries)"
            hint = "check your connection, or retry with a longer --timeout"
        else:
            message = f"cannot connect: {reason} ({self.retries + 1} tries)"
            hint = "check your internet connection (and proxy settings: HTTPS_PROXY)"
        return FetchError(url, message, hint)


def _hopeless(exc: BaseException) -> bool:
    """A failure a retry cannot mend: the host name does not resolve (offline, a typo)."""
    return isinstance(getattr(exc, "reason", None), socket.gaierror)


def _read_quietly(exc: urllib.error.HTTPError, limit: int = 300) -> str:
    """A short, one-line excerpt of an error body (services explain themselves there)."""
    try:
        raw = exc.read(limit * 4)
    except Exception:  # the error body is a courtesy: never fail on it
        return ""
    text = raw.decode("utf-8", errors="replace")
    if text.lstrip().startswith("<"):
        return ""  # an HTML error page says nothing a user can act on
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("user-message", "developer-message", "message", "error"):
            if isinstance(data.get(key), str):
                text = data[key]
                break
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
