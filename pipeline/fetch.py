"""A polite HTTP client: robots.txt, one request at a time per host, a per-host delay, bounded retries.

Politeness is kept per host (scheme://host:port is one host):

* robots.txt is read (protego) before the first request to a host; its Crawl-delay for our User-Agent
  raises the host's delay. A robots.txt that answers 4xx allows everything; one that cannot be read
  (5xx, network errors, after retries) disallows everything for this run (RFC 9309, section 2.3.1.4).
* At most one request is in flight per host, and the next one starts no sooner than `delay` seconds
  after the previous response ended (not after it started).
* 429/500/502/503/504, timeouts and connection errors are retried with exponential backoff, honouring
  Retry-After. While a host keeps erring its delay only grows: it shrinks again (halving) only after
  successful responses, so a struggling host is never hit faster.
* Redirects are followed one hop at a time (each hop is a request of its own, checked against robots.txt
  and subject to the delay), up to `max_redirects`; a loop is reported as such.
* Only HTML, XML and feeds are downloaded; other content types and bodies over `max_body_bytes` are
  skipped without reading the body; a response that drips for longer than `max_fetch_seconds` fails.

Every response with a body is archived (content-addressed) before it is returned. The transport is
pluggable (httpx): live network, or `ReplayTransport` over an archive for offline runs and tests.

`Fetcher.step(job)` makes exactly one request (robots.txt, a redirect hop, an attempt) so that a crawler
can interleave hosts while one host waits out its delay; `Fetcher.fetch(url)` runs a job to its end.
"""

from __future__ import annotations

import email.utils
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from pipeline.archive import REPLAY_FETCHED_AT, Archive, Record
from pipeline.config import Settings

State = Literal["fetched", "not_modified", "skipped", "failed", "seen"]
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ALLOWED_TYPES = (
    "text/html",
    "application/xhtml",
    "application/xml",
    "text/xml",
    "application/rss",
    "application/atom",
    "application/rdf",
)
# Served for sitemap.xml.gz files.
GZIP_TYPES = ("application/x-gzip", "application/gzip", "application/octet-stream")
ROBOTS_MAX_BYTES = 512_000  # RFC 9309: parse at least 500 KiB


class Interrupted(Exception):
    """The crawl was asked to stop (Ctrl-C) before the next request started."""


@dataclass(frozen=True)
class FetchResult:
    url: str
    state: State
    status: int | None = None
    reason: str | None = None
    final_url: str | None = None
    record: Record | None = None
    attempts: int = 0  # HTTP requests made for this URL (redirect hops and retries included)


@dataclass
class Job:
    """One URL being fetched: where it is now (after redirects) and how often it has been tried."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    current: str = ""
    hops: list[str] = field(default_factory=list)
    retries: int = 0
    requests: int = 0

    def __post_init__(self) -> None:
        self.current = self.current or self.url


@dataclass
class HostState:
    base_delay: float
    penalty: float = 0.0  # extra delay earned by errors; only successes shrink it
    next_at: float = 0.0  # clock time before which no request may start
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def delay(self) -> float:
        return max(self.base_delay, self.penalty)


@dataclass
class RobotsState:
    rules: Protego | None = None
    done: bool = False
    unavailable: str | None = None  # why robots.txt could not be read (then nothing is fetched)
    attempts: int = 0


_ENCODED_DOT = re.compile("%2e", re.IGNORECASE)


def _robots_allow(rules: Protego, url: str, agent: str) -> bool:
    """Rules apply to the path the server will see: httpx removes dot segments before sending and servers
    decode %2e, so "/open/../private/a" and "/open/%2e%2e/private/a" are "/private/a"."""
    return all(rules.can_fetch(u, agent) for u in _as_sent(url))


def _as_sent(url: str) -> set[str]:
    """The URL as given, as httpx will send it, and with encoded dots decoded then resolved."""
    out = {url}
    try:
        out.add(str(httpx.URL(url)))
        out.add(str(httpx.URL(_ENCODED_DOT.sub(".", url))))
    except (httpx.InvalidURL, ValueError):
        pass  # the request itself will fail with the reason
    return out


class Fetcher:
    def __init__(
        self,
        settings: Settings,
        archive: Archive,
        transport: httpx.BaseTransport | None = None,
        *,
        delay: float | None = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        stop: threading.Event | None = None,
    ) -> None:
        self.settings = settings
        self.archive = archive
        # A replayed archive has nobody to be polite to: no delays, no backoff waits.
        self.offline = bool(getattr(transport, "offline", False))
        self.delay = 0.0 if self.offline else (settings.delay_seconds if delay is None else delay)
        self.stop = stop or threading.Event()
        self._sleep = sleep or self._interruptible_sleep
        self._clock = clock
        self._hosts: dict[str, HostState] = {}
        self._robots: dict[str, RobotsState] = {}
        self.requests = 0  # HTTP requests made (robots.txt included)
        timeout = httpx.Timeout(settings.timeout_seconds, connect=min(settings.timeout_seconds, 10.0) or None)
        self.client = httpx.Client(
            transport=transport,
            headers={
                "User-Agent": settings.agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,"
                "application/rss+xml;q=0.9,application/atom+xml;q=0.9,*/*;q=0.1",
                "Accept-Language": "hi,en;q=0.5",
            },
            timeout=timeout,
            follow_redirects=False,
            max_redirects=settings.max_redirects,
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
            # No sessions: cookies are neither kept nor sent, every page is fetched as a stranger would.
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- politeness -----------------------------------------------------------------------------------
    def _interruptible_sleep(self, seconds: float) -> None:
        if self.stop.wait(seconds):
            raise Interrupted

    def host(self, url: str) -> HostState:
        key = urlsplit(url).netloc.lower()
        if key not in self._hosts:
            self._hosts[key] = HostState(base_delay=self.delay)
        return self._hosts[key]

    def ready_at(self, url: str) -> float:
        """Clock time at which the host of `url` may be asked again (the crawler serves the earliest)."""
        key = urlsplit(url).netloc.lower()
        state = self._hosts.get(key)
        return state.next_at if state else 0.0

    def now(self) -> float:
        return self._clock()

    def _wait_turn(self, host: HostState) -> None:
        if self.stop.is_set():
            raise Interrupted
        remaining = host.next_at - self._clock()
        if remaining > 0 and not self.offline:
            self._sleep(remaining)

    def _after_success(self, host: HostState) -> None:
        if host.penalty:
            host.penalty = host.penalty / 2 if host.penalty / 2 > host.base_delay else 0.0
        host.next_at = self._clock() + (0.0 if self.offline else host.delay)

    def _after_error(self, host: HostState, wait: float) -> None:
        """The host erred: its delay grows to at least `wait` and stays there until it recovers."""
        if self.offline:
            host.next_at = self._clock()
            return
        host.penalty = max(host.penalty, wait)
        host.next_at = self._clock() + max(host.delay, wait)

    def _backoff(self, host: HostState, retries: int, retry_after: float | None) -> None:
        wait = min(self.settings.max_backoff_seconds, self.settings.backoff_seconds * 2**retries)
        if retry_after is not None:
            wait = max(wait, retry_after)
        self._after_error(host, max(wait, host.base_delay))

    # -- robots.txt -----------------------------------------------------------------------------------
    def robots(self, url: str) -> Protego | None:
        """The parsed robots.txt of the URL's host (fetched on first use, blocking)."""
        origin = _origin(url)
        while not self._robots.get(origin, RobotsState()).done:
            self._fetch_robots(origin)
        return self._robots[origin].rules

    def allowed(self, url: str) -> bool:
        rules = self.robots(url)
        state = self._robots[_origin(url)]
        if state.unavailable is not None:
            return False
        return rules is None or _robots_allow(rules, url, self.settings.agent)

    def _fetch_robots(self, origin: str) -> None:
        """One attempt at robots.txt. Leaves the state not done when it should be retried."""
        state = self._robots.setdefault(origin, RobotsState())
        host = self.host(origin)
        with host.lock:
            self._wait_turn(host)
            state.attempts += 1
            self.requests += 1
            try:
                with self.client.stream("GET", origin + "/robots.txt", follow_redirects=True) as resp:
                    body = _read_capped(resp, ROBOTS_MAX_BYTES)
                    status = resp.status_code
            except (httpx.TimeoutException, httpx.TransportError, httpx.TooManyRedirects) as exc:
                if isinstance(exc, httpx.TooManyRedirects):
                    state.done = True  # RFC 9309: beyond 5 hops robots.txt counts as unavailable (4xx)
                    self._after_success(host)
                    return
                self._robots_error(state, host, f"{type(exc).__name__}")
                return
            if status in RETRY_STATUSES or status >= 500:
                self._robots_error(state, host, f"HTTP {status}")
                return
            self._after_success(host)
            state.done = True
            if status == 200:
                state.rules = Protego.parse(body.decode("utf-8", errors="replace"))
                crawl_delay = state.rules.crawl_delay(self.settings.agent)
                if crawl_delay and not self.offline:
                    host.base_delay = max(host.base_delay, float(crawl_delay))
                    host.next_at = max(host.next_at, self._clock() + host.base_delay)

    def _robots_error(self, state: RobotsState, host: HostState, what: str) -> None:
        if state.attempts > self.settings.max_retries:
            state.done = True
            state.unavailable = (
                f"robots.txt unavailable ({what} after {state.attempts} attempts): "
                "the host is treated as disallowed"
            )
        self._backoff(host, state.attempts - 1, None)

    # -- fetching ---------------------------------------------------------------------------------------
    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """Fetch one URL to its end (robots.txt, redirects, retries), waiting as politeness requires."""
        job = Job(url, etag, last_modified)
        while True:
            result = self.step(job)
            if result is not None:
                return result

    def step(self, job: Job) -> FetchResult | None:
        """Make the job's next request; return its result when it is final, None when the job goes on
        (robots.txt was read, a redirect was followed, a retry is due)."""
        url = job.current
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            return self._final(job, "skipped", reason="not an http(s) URL")
        origin = _origin(url)
        robots = self._robots.get(origin)
        if robots is None or not robots.done:
            self._fetch_robots(origin)
            return None
        if robots.unavailable:
            return self._final(job, "failed", reason=robots.unavailable)
        if robots.rules is not None and not _robots_allow(robots.rules, url, self.settings.agent):
            return self._final(job, "skipped", reason="disallowed by robots.txt")
        host = self.host(url)
        wait = host.next_at - self._clock()
        if wait > self.settings.max_retry_after_seconds and not self.offline:
            return self._final(
                job,
                "failed",
                reason=f"host asked for a pause of {wait:.0f} s (Retry-After); a later run retries",
            )
        with host.lock:
            self._wait_turn(host)
            job.requests += 1
            self.requests += 1
            return self._attempt(job, host)

    def _attempt(self, job: Job, host: HostState) -> FetchResult | None:
        headers = {}
        if job.etag:
            headers["If-None-Match"] = job.etag
        if job.last_modified:
            headers["If-Modified-Since"] = job.last_modified
        started = self._clock()
        try:
            with self.client.stream("GET", job.current, headers=headers) as response:
                return self._handle(job, host, response, started)
        except httpx.TimeoutException as exc:
            return self._retry(job, host, f"timeout ({type(exc).__name__})", None)
        except (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.InvalidURL) as exc:
            self._after_success(host)
            return self._final(job, "failed", reason=f"invalid request: {exc}")
        except httpx.DecodingError as exc:
            self._after_success(host)
            return self._final(job, "failed", reason=f"undecodable body: {exc}")
        except httpx.TransportError as exc:
            detail = str(exc) or type(exc).__name__
            return self._retry(job, host, f"connection error ({type(exc).__name__}: {detail})", None)

    def _handle(
        self, job: Job, host: HostState, response: httpx.Response, started: float
    ) -> FetchResult | None:
        status = response.status_code
        if status in REDIRECT_STATUSES and response.headers.get("location"):
            self._after_success(host)
            return self._redirect(job, urljoin(job.current, response.headers["location"]))
        if status == 304:
            self._after_success(host)
            return self._final(job, "not_modified", status)
        if status in RETRY_STATUSES:
            self._keep_error_body(job, response, started)
            retry_after = _retry_after_seconds(response.headers.get("retry-after"))
            if retry_after is not None and retry_after > self.settings.max_retry_after_seconds:
                self._after_error(host, retry_after)
                return self._final(
                    job,
                    "failed",
                    status,
                    f"HTTP {status} with Retry-After {retry_after:.0f} s, over the limit of "
                    f"{self.settings.max_retry_after_seconds:.0f} s; a later run retries",
                )
            return self._retry(job, host, f"HTTP {status}", retry_after, status)
        if response.headers.get("x-vaxnews-replay") == "missing":
            self._after_success(host)
            return self._final(job, "failed", status, "not in the replay archive")
        ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if 200 <= status < 300 and ctype and not _allowed_type(ctype, job.current):
            self._after_success(host)
            return self._final(job, "skipped", status, f"content type {ctype} is not HTML, XML or a feed")
        declared = response.headers.get("content-length", "")
        limit = self.settings.max_body_bytes
        if declared.isdigit() and int(declared) > limit:
            self._after_success(host)
            return self._final(
                job, "skipped", status, f"body of {declared} bytes is over the size limit of {limit}"
            )
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                self._after_success(host)
                return self._final(job, "skipped", status, f"body over the size limit of {limit} bytes")
            chunks.append(chunk)
            if self._clock() - started > self.settings.max_fetch_seconds:
                self._after_error(host, self.settings.backoff_seconds)
                return self._final(
                    job,
                    "failed",
                    status,
                    f"too slow: the response took over {self.settings.max_fetch_seconds:g} s",
                )
        self._after_success(host)
        return self._archive(job, response, b"".join(chunks))

    def _archive(self, job: Job, response: httpx.Response, body: bytes) -> FetchResult:
        status = response.status_code
        record = self._put(job, response, body)
        if status >= 400:
            return self._final(job, "failed", status, f"HTTP {status}", record)
        if status >= 300:
            return self._final(job, "failed", status, f"HTTP {status} without a usable Location", record)
        return self._final(job, "fetched", status, record=record)

    def _put(self, job: Job, response: httpx.Response, body: bytes) -> Record:
        headers = dict(response.headers)
        fetched_at = headers.pop(REPLAY_FETCHED_AT, None) or datetime.now(UTC).isoformat(timespec="seconds")
        return self.archive.put(
            job.url, job.current, response.status_code, headers, body, fetched_at, job.hops
        )

    def _keep_error_body(self, job: Job, response: httpx.Response, started: float) -> None:
        """Archive the body of a 429/5xx answer before it is retried or given up on: every response with
        a body is archived, 4xx/5xx alike (docs/crawling.md), and these were not. A body over the size
        limit or dripping past `max_fetch_seconds` is not kept; the retry logic goes on either way (a
        body cut by the network raises here, and is retried as a connection error or timeout)."""
        limit = self.settings.max_body_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit or self._clock() - started > self.settings.max_fetch_seconds:
                return
            chunks.append(chunk)
        if size:
            self._put(job, response, b"".join(chunks))

    def _redirect(self, job: Job, target: str) -> FetchResult | None:
        chain = [*job.hops, job.current]
        if target in chain:
            loop = " -> ".join([*chain[chain.index(target) :], target])
            return self._final(job, "failed", reason=f"redirect loop: {loop}")
        if len(chain) > self.settings.max_redirects:
            return self._final(
                job, "failed", reason=f"too many redirects (over {self.settings.max_redirects})"
            )
        job.hops = chain
        job.current = target
        job.retries = 0
        return None

    def _retry(
        self, job: Job, host: HostState, what: str, retry_after: float | None, status: int | None = None
    ) -> FetchResult | None:
        if job.retries >= self.settings.max_retries:
            self._after_error(host, self.settings.backoff_seconds * 2**job.retries)
            return self._final(job, "failed", status, f"{what} after {job.requests} attempts")
        self._backoff(host, job.retries, retry_after)
        job.retries += 1
        return None

    def _final(
        self,
        job: Job,
        state: State,
        status: int | None = None,
        reason: str | None = None,
        record: Record | None = None,
    ) -> FetchResult:
        return FetchResult(job.url, state, status, reason, job.current, record, job.requests)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _allowed_type(ctype: str, url: str) -> bool:
    if ctype.startswith(ALLOWED_TYPES) or ctype.endswith("+xml"):
        return True
    return ctype.startswith(GZIP_TYPES) and urlsplit(url).path.endswith(".gz")


def _read_capped(response: httpx.Response, limit: int) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]


def _retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP date (RFC 9110); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - time.time())
