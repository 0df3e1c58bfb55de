"""One POST to one checked address: no redirects, a timeout, the body never read.

``http.client`` connects to :attr:`Target.address` (the address the SSRF
guard approved) while the ``Host`` header and, for HTTPS, the TLS server
name and certificate check use the URL's host name. Redirects are not
followed (a 3xx is a failed attempt like any other non-2xx), and the
response body is not read: only its status code is kept.
"""

from __future__ import annotations

import http.client
import socket
import ssl

from app.webhooks.addresses import Target

TIMEOUT_SECONDS = 10.0
USER_AGENT = "Stepwise-Webhooks/1.0"


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float, context: ssl.SSLContext):
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(
    target: Target,
    *,
    body: bytes,
    headers: dict[str, str],
    timeout: float = TIMEOUT_SECONDS,
    tls: ssl.SSLContext | None = None,
) -> int:
    """POST ``body`` and return the response's status code (OSError on network failures).

    ``tls`` defaults to the system's trust store with host name checks (tests
    pass a context that trusts their own certificate).
    """
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(target, timeout, tls or ssl.create_default_context())
    else:
        connection = _PinnedHTTPConnection(target, timeout)
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={
                **headers,
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
            },
        )
        response = connection.getresponse()
        return response.status
    finally:
        connection.close()
