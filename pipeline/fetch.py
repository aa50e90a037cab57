"""A polite HTTP client: robots.txt, one request at a time per host, a per-host delay, bounded retries.

Every response body is archived before it is returned. The transport is pluggable (httpx): live network,
or `ReplayTransport` over an archive for offline runs and tests.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

import httpx
from protego import Protego

from pipeline.archive import REPLAY_FETCHED_AT, Archive, Record
from pipeline.config import Settings

State = Literal["fetched", "not_modified", "skipped", "failed"]
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
ALLOWED_TYPES = (
    "text/html",
    "application/xhtml",
    "application/xml",
    "text/xml",
    "application/rss",
    "application/atom",
)


@dataclass(frozen=True)
class FetchResult:
    url: str
    state: State
    status: int | None = None
    reason: str | None = None
    final_url: str | None = None
    record: Record | None = None


class Fetcher:
    def __init__(
        self,
        settings: Settings,
        archive: Archive,
        transport: httpx.BaseTransport | None = None,
        *,
        delay: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.archive = archive
        self.delay = settings.delay_seconds if delay is None else delay
        self._sleep, self._clock = sleep, clock
        self._last: dict[str, float] = {}
        self._host_delay: dict[str, float] = {}
        self._robots: dict[str, Protego | None] = {}
        self.client = httpx.Client(
            transport=transport,
            headers={"User-Agent": settings.user_agent},
            timeout=settings.timeout_seconds,
            follow_redirects=True,
            max_redirects=5,
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- politeness -----------------------------------------------------------------------------------
    def _wait_turn(self, host: str) -> None:
        gap = self._host_delay.get(host, self.delay)
        last = self._last.get(host)
        if last is not None:
            remaining = last + gap - self._clock()
            if remaining > 0:
                self._sleep(remaining)
        self._last[host] = self._clock()

    def robots(self, url: str) -> Protego | None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            rules = None
            try:
                self._wait_turn(parts.netloc)
                resp = self.client.get(origin + "/robots.txt")
                if resp.status_code == 200:
                    rules = Protego.parse(resp.text)
                    delay = rules.crawl_delay(self.settings.user_agent)
                    if delay:
                        self._host_delay[parts.netloc] = max(self.delay, float(delay))
            except httpx.HTTPError:
                rules = None  # unreachable robots.txt: treat as no restrictions, like major crawlers
            self._robots[origin] = rules
        return self._robots[origin]

    def allowed(self, url: str) -> bool:
        rules = self.robots(url)
        return rules is None or rules.can_fetch(url, self.settings.user_agent)

    # -- fetching ---------------------------------------------------------------------------------------
    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        if urlsplit(url).scheme not in ("http", "https"):
            return FetchResult(url, "skipped", reason="not an http(s) URL")
        if not self.allowed(url):
            return FetchResult(url, "skipped", reason="disallowed by robots.txt")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = urlsplit(url).netloc
        last_error = "no attempt made"
        for attempt in range(self.settings.max_retries + 1):
            self._wait_turn(host)
            try:
                result = self._get(url, headers)
            except httpx.TooManyRedirects:
                return FetchResult(url, "failed", reason="too many redirects (redirect loop?)")
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                last_error = f"{type(exc).__name__}: {exc}"
                self._backoff(host, attempt, None)
                continue
            if isinstance(result, FetchResult):
                return result
            response, body = result
            if response.status_code in RETRY_STATUSES and attempt < self.settings.max_retries:
                last_error = f"HTTP {response.status_code}"
                self._backoff(host, attempt, response.headers.get("retry-after"))
                continue
            return self._finish(url, response, body)
        return FetchResult(
            url, "failed", reason=f"gave up after {self.settings.max_retries + 1} attempts: {last_error}"
        )

    def _get(self, url: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes] | FetchResult:
        with self.client.stream("GET", url, headers=headers) as response:
            ctype = response.headers.get("content-type", "").lower()
            if response.status_code == 200 and ctype and not ctype.startswith(ALLOWED_TYPES):
                return FetchResult(
                    url, "skipped", response.status_code, f"content type {ctype}", str(response.url)
                )
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.settings.max_body_bytes:
                return FetchResult(
                    url, "skipped", response.status_code, f"body of {declared} bytes is over the limit"
                )
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.settings.max_body_bytes:
                    return FetchResult(url, "skipped", response.status_code, "body over the size limit")
                chunks.append(chunk)
            return response, b"".join(chunks)

    def _finish(self, url: str, response: httpx.Response, body: bytes) -> FetchResult:
        final = str(response.url)
        status = response.status_code
        if status == 304:
            return FetchResult(url, "not_modified", status, final_url=final)
        if response.headers.get("x-vaxnews-replay") == "missing":
            return FetchResult(url, "failed", status, "not in the replay archive", final)
        headers = dict(response.headers)
        fetched_at = headers.pop(REPLAY_FETCHED_AT, None)
        record = self.archive.put(url, final, status, headers, body, fetched_at)
        if status >= 400:
            return FetchResult(url, "failed", status, f"HTTP {status}", final, record)
        return FetchResult(url, "fetched", status, final_url=final, record=record)

    def _backoff(self, host: str, attempt: int, retry_after: str | None) -> None:
        """Exponential backoff, honouring Retry-After; the host's delay only grows while it errs."""
        wait = min(60.0, max(self.delay, 0.5) * 2**attempt)
        parsed = _retry_after_seconds(retry_after)
        if parsed is not None:
            wait = max(wait, min(parsed, 300.0))
        self._host_delay[host] = max(self._host_delay.get(host, self.delay), wait)
        self._sleep(wait)


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
