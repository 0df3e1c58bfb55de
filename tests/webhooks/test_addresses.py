"""The SSRF guard on its own: which URLs pass, which addresses are refused."""

from __future__ import annotations

import pytest

from app.webhooks.addresses import RefusedAddress, resolve

REFUSED = [
    "127.0.0.1",
    "127.8.9.10",
    "0.0.0.0",  # noqa: S104 - the address under test
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "100.64.0.1",  # shared address space (carrier NAT)
    "169.254.169.254",  # cloud metadata
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "[::]",
    "[::1]",
    "[fe80::1]",
    "[fc00::1]",
    "[ff02::1]",
    "[2001:db8::1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:10.0.0.1]",
    "[64:ff9b::7f00:1]",  # NAT64 of 127.0.0.1
    "[2002:7f00:1::1]",  # 6to4 of 127.0.0.1
    "localhost",
]
PUBLIC = ["93.184.216.34", "[2606:2800:220:1:248:1893:25c8:1946]", "8.8.8.8"]


@pytest.mark.parametrize("host", REFUSED)
def test_non_public_addresses_are_refused(host: str) -> None:
    with pytest.raises(RefusedAddress, match="non-public"):
        resolve(f"https://{host}/hooks", allow_private=False)


@pytest.mark.parametrize("host", [*REFUSED[:3], "localhost"])
def test_the_setting_allows_them(host: str) -> None:
    target = resolve(f"http://{host}:8080/hooks", allow_private=True)
    assert target.port == 8080 and target.scheme == "http"


@pytest.mark.parametrize("host", PUBLIC)
def test_public_addresses_pass_and_are_the_address_connected_to(host: str) -> None:
    target = resolve(f"https://{host}/a/b?c=d", allow_private=False)
    assert target.address == host.strip("[]")
    assert target.port == 443 and target.path == "/a/b?c=d"


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://93.184.216.34/hooks", "https"),
        ("ftp://93.184.216.34/hooks", "https"),
        ("https:///hooks", "host"),
        ("https://u:p@93.184.216.34/", "user name"),
        ("https://93.184.216.34/#frag", "fragment"),
        ("https://93.184.216.34:99999/", "valid"),
        ("https://93.184.216.34/a b", "spaces"),
        ("https://no-such-host.invalid/", "resolve"),
    ],
)
def test_malformed_urls_are_refused(url: str, why: str) -> None:
    with pytest.raises(RefusedAddress, match=why):
        resolve(url, allow_private=False)
