"""Fetching a feed document over HTTP, hardened: timeouts, a size cap after decompression,
conditional GET, redirects re-checked by the SSRF guard. Runs outside any DB transaction."""

import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx
from django.conf import settings

from workflows.netguard import UnsafeURLError, resolve_public_url

MAX_REDIRECTS = 3
USER_AGENT = "recruitment-tracker/1.0 (vacancy feed sync)"


class FetchError(Exception):
    """The document could not be fetched; `code` says why (nothing is changed by the sync)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class FetchResult:
    """A fetched document (or `not_modified`), with the validators for the next conditional GET."""

    not_modified: bool
    content: bytes
    etag: str
    last_modified: str
    url: str


def _decoder(encoding: str) -> "zlib._Decompress | None":
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    raise FetchError("bad_encoding", f"unsupported Content-Encoding {encoding!r}")


def _read_capped(response: httpx.Response, *, max_bytes: int, deadline: float) -> bytes:
    """The decoded body, refusing more than `max_bytes` AFTER decompression (a small gzip can
    expand a thousandfold), and giving up at the total deadline."""
    decoder = _decoder(response.headers.get("content-encoding", ""))
    parts: list[bytes] = []
    size = 0
    for raw in response.iter_raw():
        if time.monotonic() > deadline:
            raise FetchError("timeout", "the total time limit passed")
        pending = raw
        while pending:
            if decoder is None:
                chunk, pending = pending, b""
            else:
                # max_length bounds what one call may expand to; the rest stays in the decoder.
                chunk = decoder.decompress(pending, max_bytes - size + 1)
                pending = decoder.unconsumed_tail
            size += len(chunk)
            if size > max_bytes:
                raise FetchError("too_large", f"more than {max_bytes} bytes")
            parts.append(chunk)
    if decoder is not None:
        tail = decoder.flush()
        size += len(tail)
        if size > max_bytes:
            raise FetchError("too_large", f"more than {max_bytes} bytes")
        parts.append(tail)
    return b"".join(parts)


def fetch_document(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    max_bytes: int | None = None,
    total_timeout: float | None = None,
    client: httpx.Client | None = None,
) -> FetchResult:
    """GET `url` safely. Raises FetchError with a code (unsafe_url, http_<status>, too_large,
    timeout, connect_error, too_many_redirects, bad_encoding); never returns a partial body."""
    max_bytes = max_bytes or settings.FEED_MAX_BYTES
    deadline = time.monotonic() + (total_timeout or settings.FEED_TOTAL_TIMEOUT_SECONDS)
    timeout = httpx.Timeout(
        settings.FEED_READ_TIMEOUT_SECONDS, connect=settings.FEED_CONNECT_TIMEOUT_SECONDS
    )
    owned = client is None
    client = client or httpx.Client(follow_redirects=False, timeout=timeout)
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    try:
        for _ in range(MAX_REDIRECTS + 1):
            try:
                target = resolve_public_url(current)
            except UnsafeURLError as error:
                raise FetchError("unsafe_url", error.detail) from None
            default_port = 443 if target.scheme == "https" else 80
            host = target.host if target.port == default_port else f"{target.host}:{target.port}"
            try:
                with client.stream(
                    "GET",
                    target.pinned_url(),
                    headers={**headers, "Host": host},
                    extensions={"sni_hostname": target.host},
                ) as response:
                    if response.is_redirect and "location" in response.headers:
                        current = urljoin(current, response.headers["location"])
                        continue
                    if response.status_code == 304:
                        return FetchResult(True, b"", etag, last_modified, current)
                    if response.status_code >= 400:
                        raise FetchError(f"http_{response.status_code}")
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > max_bytes:
                        raise FetchError("too_large", f"declared {declared} bytes")
                    content = _read_capped(response, max_bytes=max_bytes, deadline=deadline)
                    return FetchResult(
                        False,
                        content,
                        response.headers.get("etag", ""),
                        response.headers.get("last-modified", ""),
                        current,
                    )
            except httpx.TimeoutException:
                raise FetchError("timeout") from None
            except zlib.error:
                raise FetchError("bad_encoding", "the compressed body is corrupt") from None
            except httpx.HTTPError as error:
                raise FetchError("connect_error", type(error).__name__) from None
        raise FetchError("too_many_redirects", f"more than {MAX_REDIRECTS}")
    finally:
        if owned:
            client.close()
