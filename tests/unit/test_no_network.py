"""Outbound network is blocked for the test run; loopback and unix sockets still work.

No packet leaves the machine here: a UDP ``connect`` only records the peer, and the lookups
refused are refused before any resolver is asked.
"""

from __future__ import annotations

import socket

import pytest

from tests.conftest import OutboundNetworkError


@pytest.mark.parametrize("host", ["192.0.2.1", "2001:db8::1", "10.1.2.3"])
def test_connecting_elsewhere_fails_the_test(host: str) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as sock, pytest.raises(OutboundNetworkError):
        sock.connect((host, 9))


def test_sending_elsewhere_fails_the_test() -> None:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock,
        pytest.raises(OutboundNetworkError),
    ):
        sock.sendto(b"x", ("192.0.2.1", 9))


def test_name_lookups_elsewhere_fail_the_test() -> None:
    with pytest.raises(OutboundNetworkError):
        socket.getaddrinfo("example.invalid", 443)


def test_loopback_still_works() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(("localhost", server.getsockname()[1]), timeout=5):
            pass
    assert socket.getaddrinfo("127.0.0.1", 80)
