"""The SSRF guard shared by feed fetching and webhook delivery.

A user-registered URL may only reach public addresses: its host is resolved, every address is
checked (private, loopback, link-local/metadata, CGNAT, multicast, reserved, and the IPv4
address inside IPv4-mapped, 6to4, Teredo and NAT64 IPv6 addresses), and the request then goes
to the checked address itself, so DNS cannot answer differently between the check and the
connection.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from recruitment.exceptions import DomainValidationError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeURLError(DomainValidationError):
    """The URL's scheme or address is not allowed (HTTP 400 at registration)."""

    code = "unsafe_url"


@dataclass(frozen=True)
class ResolvedURL:
    """A URL whose host was checked, and the address to connect to."""

    url: str
    scheme: str
    host: str
    port: int
    address: IPAddress

    def pinned_url(self) -> str:
        """The URL with its host replaced by the checked address (Host header and SNI keep the
        name)."""
        parts = urlsplit(self.url)
        literal = f"[{self.address}]" if self.address.version == 6 else str(self.address)
        netloc = f"{literal}:{self.port}"
        return parts._replace(netloc=netloc).geturl()


# IPv6 prefixes that carry an IPv4 address in their last 32 bits (NAT64, SIIT): the packet
# ends up at that IPv4 address, so it is the one to judge.
EMBEDDING_IPV4 = (
    ipaddress.IPv6Network("64:ff9b::/96"),  # NAT64 well-known prefix (RFC 6052)
    ipaddress.IPv6Network("::ffff:0:0:0/96"),  # IPv4-translated (RFC 2765)
)
# Never public, although some Python versions call them global.
NEVER_PUBLIC = (
    ipaddress.IPv6Network("::/96"),  # IPv4-compatible, deprecated (RFC 4291)
    ipaddress.IPv6Network("fec0::/10"),  # site-local, deprecated (RFC 3879)
    ipaddress.IPv6Network("64:ff9b:1::/48"),  # NAT64 local use (RFC 8215)
    ipaddress.IPv4Network("192.0.0.0/24"),  # IETF protocol assignments (RFC 6890)
)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, 6to4, Teredo, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]  # the client behind the Teredo relay
    if any(address in network for network in EMBEDDING_IPV4):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_allowed(address: IPAddress, *, allow_loopback: bool = False) -> bool:
    """Whether an address is a public one (or loopback, where tests allow it)."""
    if isinstance(address, ipaddress.IPv6Address):
        address = _embedded_ipv4(address) or address
    if address.is_loopback:
        return allow_loopback
    if any(address in network for network in NEVER_PUBLIC if network.version == address.version):
        return False
    return address.is_global and not address.is_multicast


def resolve_public_url(url: str, *, allow_loopback: bool | None = None) -> ResolvedURL:
    """Check `url` and resolve its host to an address that may be contacted.

    Raises UnsafeURLError for other schemes, credentials in the URL, unresolvable hosts, and hosts
    with any non-public address (one bad address among several fails the whole name, as DNS may
    hand out either). `allow_loopback` defaults to the NETWORK_ALLOW_LOOPBACK setting (tests).
    """
    if allow_loopback is None:
        allow_loopback = settings.NETWORK_ALLOW_LOOPBACK
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURLError("Only http and https URLs with a host are allowed.")
    if parts.username or parts.password:
        raise UnsafeURLError("URLs must not carry credentials.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeURLError("The URL's port is not valid.") from None
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeURLError("The URL's host does not resolve.") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses or not all(
        address_allowed(address, allow_loopback=allow_loopback) for address in addresses
    ):
        raise UnsafeURLError("The URL points to a private or reserved address.")
    return ResolvedURL(
        url=url, scheme=parts.scheme, host=parts.hostname, port=port, address=addresses[0]
    )
