"""Fetching against a real HTTP server on 127.0.0.1 (loopback allowed for these tests only)."""

import gzip
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from workflows.feeds.fetch import FetchError, fetch_document

BODY = b"<rss><channel><title>jobs</title></channel></rss>"
BOMB = gzip.compress(b"\0" * (30 * 1024 * 1024))  # 30 MiB of zeros in about 30 KiB


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        routes = {
            "/feed": self._feed,
            "/gzip": lambda: self._send(200, gzip.compress(BODY), [("Content-Encoding", "gzip")]),
            "/bomb": lambda: self._send(200, BOMB, [("Content-Encoding", "gzip")]),
            "/forbidden": lambda: self._send(403, b"\x1f\x8b garbage"),
            "/to-private": lambda: self._send(302, headers=[("Location", "http://10.0.0.1/x")]),
            "/to-feed": lambda: self._send(301, headers=[("Location", "/feed")]),
            "/loop": lambda: self._send(302, headers=[("Location", "/loop")]),
        }
        routes.get(self.path, lambda: self._send(404))()

    def _feed(self):
        if self.headers.get("If-None-Match") == '"v1"':
            self._send(304)
        else:
            self._send(
                200, BODY, [("ETag", '"v1"'), ("Last-Modified", "Sat, 28 Nov 2026 01:00:00 GMT")]
            )


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def _allow_loopback(settings):
    settings.NETWORK_ALLOW_LOOPBACK = True


def test_fetch_document_returns_body_and_validators(server):
    result = fetch_document(f"{server}/feed")

    assert (result.not_modified, result.content, result.etag, result.last_modified) == (
        False,
        BODY,
        '"v1"',
        "Sat, 28 Nov 2026 01:00:00 GMT",
    )


def test_fetch_document_conditional_get_reports_not_modified(server):
    result = fetch_document(f"{server}/feed", etag='"v1"')

    assert (result.not_modified, result.content) == (True, b"")


def test_fetch_document_decompresses_gzip(server):
    assert fetch_document(f"{server}/gzip").content == BODY


def test_fetch_document_caps_size_after_decompression(server):
    with pytest.raises(FetchError) as error:
        fetch_document(f"{server}/bomb", max_bytes=1024 * 1024)

    assert error.value.code == "too_large"


def test_fetch_document_follows_a_checked_redirect(server):
    assert fetch_document(f"{server}/to-feed").url == f"{server}/feed"


@pytest.mark.parametrize(
    ("path", "code"),
    [("/to-private", "unsafe_url"), ("/loop", "too_many_redirects"), ("/forbidden", "http_403")],
)
def test_fetch_document_refuses_with_a_code(server, path, code):
    with pytest.raises(FetchError) as error:
        fetch_document(f"{server}{path}")

    assert error.value.code == code


def test_fetch_document_refuses_loopback_unless_allowed(server, settings):
    settings.NETWORK_ALLOW_LOOPBACK = False

    with pytest.raises(FetchError) as error:
        fetch_document(f"{server}/feed")

    assert error.value.code == "unsafe_url"
