"""The SSRF guard refuses every spelling of a non-public address."""

import pytest

from workflows.netguard import UnsafeURLError, resolve_public_url


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/feed",
        "http://2130706433/feed",  # decimal 127.0.0.1
        "http://0177.0.0.1/feed",  # octal
        "http://0x7f.1/feed",  # hex, short form
        "http://[::1]/feed",
        "http://[::ffff:127.0.0.1]/feed",  # IPv4-mapped IPv6
        "http://[::ffff:10.0.0.1]/feed",
        "http://localhost/feed",  # a name that resolves to loopback
        "http://10.1.2.3/feed",
        "http://172.16.0.1/feed",
        "http://192.168.1.1/feed",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://100.64.0.1/feed",  # carrier-grade NAT
        "http://0.0.0.0/feed",
        "http://[fe80::1]/feed",
        "http://[fd00::1]/feed",
        "http://224.0.0.1/feed",
    ],
)
def test_resolve_public_url_refuses_non_public_addresses(url, settings):
    settings.NETWORK_ALLOW_LOOPBACK = False

    with pytest.raises(UnsafeURLError) as error:
        resolve_public_url(url)

    assert error.value.code == "unsafe_url"


@pytest.mark.parametrize(
    ("url", "detail"),
    [
        ("ftp://93.184.216.34/feed", "Only http and https URLs with a host are allowed."),
        ("file:///etc/passwd", "Only http and https URLs with a host are allowed."),
        ("http://user:secret@93.184.216.34/", "URLs must not carry credentials."),
        ("http://no-such-host.invalid/", "The URL's host does not resolve."),
    ],
)
def test_resolve_public_url_refuses_bad_urls_with_a_reason(url, detail):
    with pytest.raises(UnsafeURLError) as error:
        resolve_public_url(url, allow_loopback=False)

    assert error.value.detail == detail


def test_resolve_public_url_pins_the_checked_address():
    resolved = resolve_public_url("https://93.184.216.34:8443/jobs?page=2", allow_loopback=False)

    assert (resolved.host, resolved.port, resolved.pinned_url()) == (
        "93.184.216.34",
        8443,
        "https://93.184.216.34:8443/jobs?page=2",
    )


def test_resolve_public_url_allows_loopback_only_when_asked():
    resolved = resolve_public_url("http://localhost:8000/feed", allow_loopback=True)

    assert resolved.pinned_url() in (
        "http://127.0.0.1:8000/feed",
        "http://[::1]:8000/feed",
    )
