"""The SSRF guard refuses every spelling of a non-public address, names that resolve to one,
and redirects to either (feeds); webhooks are checked again at every delivery."""

import ipaddress

import httpx
import pytest

from workflows.feeds.fetch import FetchError, fetch_document
from workflows.netguard import UnsafeURLError, address_allowed, resolve_public_url

REFUSED = "The URL points to a private or reserved address."
PUBLIC = "93.184.215.14"


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
        "http://3232235777/feed",  # decimal 192.168.1.1
        "http://017700000001/feed",  # octal 127.0.0.1 in one number
        "http://0x7f000001/feed",  # hex 127.0.0.1 in one number
        "http://127.1/feed",  # short form
        "http://0300.0250.0.1/feed",  # octal 192.168.0.1
        "http://0xa9.0xfe.0xa9.0xfe/latest/meta-data/",  # hex metadata address
        "http://[::ffff:7f00:1]/feed",  # IPv4-mapped, hex spelling
        "http://[0:0:0:0:0:ffff:127.0.0.1]/feed",  # IPv4-mapped, long spelling
        "http://[::ffff:169.254.169.254]/feed",
        "http://[::ffff:0:7f00:1]/feed",  # IPv4-translated (SIIT)
        "http://[64:ff9b::7f00:1]/feed",  # NAT64 of 127.0.0.1
        "http://[64:ff9b::a9fe:a9fe]/feed",  # NAT64 of the metadata address
        "http://[2002:a00:1::1]/feed",  # 6to4 of 10.0.0.1
        "http://[::127.0.0.1]/feed",  # IPv4-compatible (deprecated)
        "http://[fec0::1]/feed",  # site-local (deprecated)
        "http://192.0.0.8/feed",  # IETF protocol assignments
    ],
)
def test_resolve_public_url_refuses_non_public_addresses(url, settings):
    settings.NETWORK_ALLOW_LOOPBACK = False

    with pytest.raises(UnsafeURLError) as error:
        resolve_public_url(url)

    assert (error.value.code, error.value.detail) == ("unsafe_url", REFUSED)


@pytest.mark.parametrize(
    "address",
    ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "64:ff9b::5db8:d70e",
     "2002:5db8:d70e::1", "::ffff:0:5db8:d70e"],
)  # fmt: skip
def test_address_allowed_lets_public_addresses_through_even_when_embedded(address):
    assert address_allowed(ipaddress.ip_address(address)) is True


@pytest.mark.parametrize(
    "answers",
    [
        ["10.0.0.5"],
        ["169.254.169.254"],
        ["127.0.0.1"],
        ["::1"],
        ["::ffff:192.168.0.10"],
        ["fd12:3456::1"],
        [PUBLIC, "10.0.0.5"],  # one private answer among public ones fails the name
    ],
)
def test_resolve_public_url_refuses_names_resolving_to_private_addresses(dns, answers, settings):
    settings.NETWORK_ALLOW_LOOPBACK = False
    dns["jobs.partner.example"] = answers

    with pytest.raises(UnsafeURLError) as error:
        resolve_public_url("https://jobs.partner.example/feed")

    assert (error.value.code, error.value.detail) == ("unsafe_url", REFUSED)


def test_resolve_public_url_pins_the_address_a_public_name_resolved_to(dns):
    dns["jobs.partner.example"] = [PUBLIC]

    resolved = resolve_public_url("https://jobs.partner.example/feed", allow_loopback=False)

    assert (resolved.host, str(resolved.address), resolved.pinned_url()) == (
        "jobs.partner.example",
        PUBLIC,
        f"https://{PUBLIC}:443/feed",
    )


@pytest.mark.parametrize(
    "location",
    [
        "http://10.0.0.1/x",
        "http://2130706433/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
        "http://internal.partner.example/x",  # a name that resolves to a private address
        "file:///etc/passwd",
    ],
)
def test_fetch_refuses_redirects_to_private_addresses_without_following(dns, settings, location):
    settings.NETWORK_ALLOW_LOOPBACK = False
    dns["jobs.partner.example"] = [PUBLIC]
    dns["internal.partner.example"] = ["10.20.30.40"]
    requested = []

    def remote(request):  # the remote server (a process edge): always redirects
        requested.append((str(request.url), request.headers["host"]))
        return httpx.Response(302, headers={"Location": location})

    with (
        httpx.Client(transport=httpx.MockTransport(remote)) as client,
        pytest.raises(FetchError) as error,
    ):
        fetch_document("https://jobs.partner.example/feed", client=client)

    assert (error.value.code, requested) == (
        "unsafe_url",
        [(f"https://{PUBLIC}/feed", "jobs.partner.example")],
    )


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
