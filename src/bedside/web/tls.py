"""TLS for serving on the home network: a self-signed certificate, its fingerprint, addresses.

The certificate is made once, kept privately (key 0600 in a 0700 directory) and made again
only when it no longer covers the names it must (a new LAN address) or is about to expire.
People check its SHA-256 fingerprint on the phone before trusting it.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

CERT_FILE = "bedside-cert.pem"
KEY_FILE = "bedside-key.pem"
VALIDITY = timedelta(days=397)  # the longest that phones accept for a server certificate
RENEW_BEFORE = timedelta(days=30)
LOOPBACK = ("localhost", "127.0.0.1", "::1")
#: A documentation address (TEST-NET-1): a UDP "connect" to it picks the outgoing interface
#: without sending a single packet.
ROUTE_PROBE = ("192.0.2.1", 9)


@dataclass(frozen=True)
class Certificate:
    """Where a certificate and its key are, and its SHA-256 fingerprint (``AB:CD:...``)."""

    cert: Path
    key: Path
    fingerprint: str
    names: tuple[str, ...]


def is_ip(name: str) -> bool:
    """True for an IPv4 or IPv6 address (brackets allowed)."""
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def machine_names() -> list[str]:
    """This computer's host name (and ``NAME.local``) and its non-loopback addresses."""
    names: set[str] = set()
    host = socket.gethostname().lower()
    if host:
        names |= {host, host.split(".", 1)[0] + ".local"}
    try:
        for info in socket.getaddrinfo(host, None):
            names.add(str(info[4][0]).split("%", 1)[0])
    except OSError:
        pass
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(ROUTE_PROBE)
            names.add(str(probe.getsockname()[0]))
    except OSError:
        pass
    return sorted(n for n in names if not (is_ip(n) and ipaddress.ip_address(n).is_loopback))


def lan_address(names: list[str]) -> str | None:
    """The first private IPv4 address among ``names`` (what a phone at home can reach)."""
    for name in names:
        if is_ip(name):
            address = ipaddress.ip_address(name)
            if address.version == 4 and address.is_private and not address.is_loopback:
                return name
    return None


def ensure_certificate(
    directory: Path, names: list[str], now: datetime | None = None
) -> Certificate:
    """The self-signed certificate in ``directory`` covering ``names`` (made when needed)."""
    moment = now or datetime.now(UTC)
    wanted = tuple(dict.fromkeys([*LOOPBACK, *(n.strip("[]").lower() for n in names)]))
    cert_path, key_path = directory / CERT_FILE, directory / KEY_FILE
    existing = _load(cert_path)
    if existing is not None and key_path.exists():
        covered, expires, fingerprint = existing
        if set(wanted) <= covered and expires - RENEW_BEFORE > moment:
            return Certificate(cert_path, key_path, fingerprint, tuple(sorted(covered)))
    return _make(directory, wanted, moment)


def _load(path: Path) -> tuple[set[str], datetime, str] | None:
    from cryptography import x509

    try:
        cert = x509.load_pem_x509_certificate(path.read_bytes())
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (OSError, ValueError, x509.ExtensionNotFound):
        return None
    covered = {str(n).lower() for n in san.get_values_for_type(x509.DNSName)}
    covered |= {str(a) for a in san.get_values_for_type(x509.IPAddress)}
    return covered, cert.not_valid_after_utc, fingerprint_of(cert)


def fingerprint_of(cert: object) -> str:
    """SHA-256 of the certificate's DER bytes as ``AB:CD:...`` (what browsers show)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    assert isinstance(cert, x509.Certificate)
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def _make(directory: Path, names: tuple[str, ...], now: datetime) -> Certificate:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bedside on this computer")])
    alt: list[x509.GeneralName] = [
        x509.IPAddress(ipaddress.ip_address(n)) if is_ip(n) else x509.DNSName(n) for n in names
    ]
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(directory, 0o700)
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write_private(directory / KEY_FILE, key_bytes)
    _write_private(directory / CERT_FILE, cert.public_bytes(serialization.Encoding.PEM))
    return Certificate(directory / CERT_FILE, directory / KEY_FILE, fingerprint_of(cert), names)


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` readable by the owner only (0600), replacing the file atomically."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)
