"""The SSRF guard: which URLs an endpoint may have, and which address to connect to.

An admin types the URL, but the *server* makes the request, from inside its
network: without a guard, an endpoint could point at ``http://127.0.0.1``,
the cloud metadata service (``169.254.169.254``) or a private host, and the
delivery log would report what answered. So the host is resolved and every
address it resolves to must be public: private, loopback, link-local,
multicast, reserved, unspecified and other non-global addresses are refused
(IPv4 and IPv6, with the IPv4 address inside mapped, 6to4, Teredo and
NAT64 IPv6 addresses checked too). The check runs when the
endpoint is saved (a located 422 on ``url``) and again before every
delivery, and the delivery connects to the very address that was checked,
so a DNS answer that changes in between (DNS rebinding) cannot swap it.

``STEPWISE_WEBHOOKS_ALLOW_PRIVATE`` turns the address check off (and allows
plain ``http``), for tests and closed networks.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.webhooks.models import MAX_URL_LENGTH

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedAddress(ValueError):
    """The URL or the address it resolves to may not receive webhooks (the message says why)."""


@dataclass(frozen=True)
class Target:
    """Where one delivery goes: the URL's parts and the checked address to connect to."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo, NAT64), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _non_public(ip: IPAddress) -> bool:
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None and _non_public(inner):
            return True
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def parse(url: str, *, allow_private: bool) -> tuple[str, str, int, str]:
    """``(scheme, host, port, path?query)`` of a well-formed endpoint URL, or RefusedAddress."""
    if len(url) > MAX_URL_LENGTH:
        raise RefusedAddress(f"must be at most {MAX_URL_LENGTH} characters")
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise RefusedAddress("must not contain spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise RefusedAddress("is not a valid URL") from None
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes:
        raise RefusedAddress("must start with https://")
    if not parts.hostname:
        raise RefusedAddress("must name a host")
    if parts.username is not None or parts.password is not None:
        raise RefusedAddress("must not contain a user name or password")
    if parts.fragment:
        raise RefusedAddress("must not contain a #fragment")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    default = 443 if parts.scheme == "https" else 80
    return parts.scheme, parts.hostname, port or default, path


def resolve(url: str, *, allow_private: bool) -> Target:
    """Check ``url`` and resolve its host; the first address, once all of them passed."""
    scheme, host, port, path = parse(url, allow_private=allow_private)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise RefusedAddress("names a host that does not resolve") from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise RefusedAddress("names a host that does not resolve")
    if not allow_private:
        for text in addresses:
            if _non_public(ipaddress.ip_address(text.split("%", 1)[0])):
                raise RefusedAddress(
                    "resolves to a private, loopback or otherwise non-public address"
                )
    return Target(scheme=scheme, host=host, port=port, path=path, address=addresses[0])
