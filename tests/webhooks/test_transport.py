"""The POST goes to the checked address, whatever the name says; TLS still checks the name."""

from __future__ import annotations

import http.server
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.webhooks import transport
from app.webhooks.addresses import Target
from tests.fixtures.processes import free_port
from tests.fixtures.webhooks import Receiver

NAME = "hooks.example.test"


def test_the_connection_goes_to_the_checked_address_with_the_urls_host(
    receiver: Receiver,
) -> None:
    # The name does not resolve at all: only the pinned address is used.
    target = Target("http", "unresolvable.invalid", receiver.port, "/x?y=1", "127.0.0.1")
    status = transport.post(target, body=b"{}", headers={"webhook-id": "msg_1"})
    assert status == 200
    (request,) = receiver.requests
    assert request.path == "/x?y=1"
    assert request.headers["host"] == f"unresolvable.invalid:{receiver.port}"
    assert request.headers["content-type"] == "application/json"


def test_a_redirect_is_not_followed(receiver: Receiver) -> None:
    receiver.statuses = [307]
    target = Target("http", "127.0.0.1", receiver.port, "/", "127.0.0.1")
    assert transport.post(target, body=b"{}", headers={}) == 307
    assert len(receiver.requests) == 1


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", f"/CN={NAME}", "-addext", f"subjectAltName=DNS:{NAME}",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_port(certificate: tuple[Path, Path]) -> Iterator[int]:
    cert, key = certificate

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield port
    server.shutdown()
    server.server_close()


def _trusting(cert: Path) -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.load_verify_locations(cert)
    return context


def test_https_checks_the_certificate_against_the_urls_host(
    certificate: tuple[Path, Path], tls_port: int
) -> None:
    cert, _ = certificate
    good = Target("https", NAME, tls_port, "/", "127.0.0.1")
    assert transport.post(good, body=b"{}", headers={}, tls=_trusting(cert)) == 204
    wrong_name = Target("https", "other.example.test", tls_port, "/", "127.0.0.1")
    with pytest.raises(ssl.SSLCertVerificationError):
        transport.post(wrong_name, body=b"{}", headers={}, tls=_trusting(cert))
    with pytest.raises(ssl.SSLCertVerificationError):  # the system store does not trust it
        transport.post(good, body=b"{}", headers={})
