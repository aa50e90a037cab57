"""Every raw response kept, content-addressed, before anything parses it; and replay from it.

Layout of an archive directory:
    objects/<sha[:2]>/<sha256>   the body bytes (paths come from hashes only: no URL reaches the filesystem)
    responses.jsonl             one line per response: url, final_url, status, headers, fetched_at, sha256,
                                size, redirects (the hops between url and final_url)

Bodies are written to a temporary file, fsynced and renamed; then the index line is appended, flushed
and fsynced before the crawler moves on, so a killed crawl keeps everything it fetched and never indexes
a body that is not on disk. A torn last line (the process died mid-write) is skipped on reading.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path

import httpx


@dataclass(frozen=True)
class Record:
    url: str
    final_url: str
    status: int
    sha256: str
    size: int
    fetched_at: str
    headers: dict[str, str] = field(default_factory=dict)
    redirects: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


_RECORD_FIELDS = frozenset(f.name for f in fields(Record))


class Archive:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self._index: dict[str, Record] | None = None

    @property
    def index_path(self) -> Path:
        return self.root / "responses.jsonl"

    def _object_path(self, sha: str) -> Path:
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise ValueError(f"not a sha256 hex digest: {sha!r}")
        return self.root / "objects" / sha[:2] / sha

    def put(
        self,
        url: str,
        final_url: str,
        status: int,
        headers: dict[str, str],
        body: bytes,
        fetched_at: str | None = None,
        redirects: list[str] | None = None,
    ) -> Record:
        sha = hashlib.sha256(body).hexdigest()
        path = self._object_path(sha)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{sha}.{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                fh.write(body)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        rec = Record(
            url=url,
            final_url=final_url,
            status=status,
            sha256=sha,
            size=len(body),
            fetched_at=fetched_at or datetime.now(UTC).isoformat(timespec="seconds"),
            headers={k.lower(): v for k, v in headers.items()},
            redirects=list(redirects or []),
        )
        self.root.mkdir(parents=True, exist_ok=True)
        line = (json.dumps(asdict(rec), ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        with open(self.index_path, "a+b") as fh:
            # A process killed mid-append leaves a torn last line without its newline: end it first, or
            # this record is glued onto it and skipped with it on reading.
            end = fh.seek(0, os.SEEK_END)
            if end:
                fh.seek(end - 1)
                if fh.read(1) != b"\n":
                    line = b"\n" + line
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        if self._index is not None:
            self._add(rec)
        return rec

    def _add(self, rec: Record) -> None:
        assert self._index is not None
        self._index[rec.url] = rec
        self._index[rec.final_url] = rec

    def records(self) -> Iterator[Record]:
        if not self.index_path.exists():
            return
        with open(self.index_path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    raw = json.loads(line)
                    yield Record(**{k: v for k, v in raw.items() if k in _RECORD_FIELDS})
                except (ValueError, TypeError, AttributeError):
                    continue  # a torn line from a killed process

    def latest_by_url(self) -> dict[str, Record]:
        """The last response recorded for each requested URL (what `vaxnews reextract` re-reads)."""
        out: dict[str, Record] = {}
        for rec in self.records():
            out[rec.url] = rec
        return out

    def latest(self, url: str) -> Record | None:
        if self._index is None:
            self._index = {}
            for rec in self.records():
                self._add(rec)
        return self._index.get(url)

    def body(self, sha: str) -> bytes:
        return self._object_path(sha).read_bytes()

    def has(self, sha: str) -> bool:
        return self._object_path(sha).exists()


# A replayed response carries the time it was originally fetched, so a replayed crawl records the same
# fetched_at as the recording and re-runs give identical `pages` rows.
REPLAY_FETCHED_AT = "x-vaxnews-fetched-at"


class ReplayTransport(httpx.BaseTransport):
    """Serve recorded responses from an archive: offline runs and reproducible tests.

    Unknown URLs get a 404 marked `x-vaxnews-replay: missing`, so a replayed crawl records them as failed
    instead of silently reaching the network. Conditional requests are answered like a server would:
    304 when If-None-Match / If-Modified-Since match the recorded ETag / Last-Modified.
    """

    # The Fetcher does not wait between requests to a replayed host: nobody is there to be polite to.
    offline = True

    def __init__(self, archive: Archive) -> None:
        self.archive = archive

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        rec = self.archive.latest(str(request.url))
        if rec is None:
            return httpx.Response(404, headers={"x-vaxnews-replay": "missing"}, request=request)
        headers = {
            k: v
            for k, v in rec.headers.items()
            if k not in {"content-encoding", "transfer-encoding", "content-length"}
        }
        if str(request.url) != rec.final_url and rec.status < 300:
            # The recording followed redirects: replay the hop so the client sees the final URL.
            return httpx.Response(301, headers={"location": rec.final_url}, request=request)
        etag, modified = rec.headers.get("etag"), rec.headers.get("last-modified")
        if (etag and request.headers.get("if-none-match") == etag) or (
            modified and request.headers.get("if-modified-since") == modified
        ):
            return httpx.Response(
                304, headers={"etag": etag or "", REPLAY_FETCHED_AT: rec.fetched_at}, request=request
            )
        headers[REPLAY_FETCHED_AT] = rec.fetched_at
        return httpx.Response(
            rec.status, headers=headers, content=self.archive.body(rec.sha256), request=request
        )
