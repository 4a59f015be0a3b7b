"""``bedside serve`` in server mode: TLS with a generated certificate, and what is refused.

Everything here stays on 127.0.0.1: no test sends traffic to another address.
"""

from __future__ import annotations

import hashlib
import json
import os
import ssl
import stat
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bedside.web.tls import CERT_FILE, KEY_FILE, ensure_certificate, fingerprint_of
from tests.browser.conftest import _wait_until_listening, free_port
from tests.conftest import Cli


def test_the_generated_certificate_is_private_and_covers_the_names(tmp_path: Path) -> None:
    from cryptography import x509

    made = ensure_certificate(tmp_path / "tls", ["bedside-box", "192.168.1.20"])
    assert stat.S_IMODE((tmp_path / "tls" / KEY_FILE).stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "tls").stat().st_mode) == 0o700
    cert = x509.load_pem_x509_certificate(made.cert.read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert set(san.get_values_for_type(x509.DNSName)) == {"localhost", "bedside-box"}
    assert {str(a) for a in san.get_values_for_type(x509.IPAddress)} == {
        "127.0.0.1",
        "::1",
        "192.168.1.20",
    }
    der = ssl.PEM_cert_to_DER_cert(made.cert.read_text())
    assert made.fingerprint == hashlib.sha256(der).digest().hex(":").upper()
    assert fingerprint_of(cert) == made.fingerprint
    again = ensure_certificate(tmp_path / "tls", ["192.168.1.20"])
    assert again.fingerprint == made.fingerprint  # kept while it covers what is needed
    moved = ensure_certificate(tmp_path / "tls", ["192.168.1.21"])
    assert moved.fingerprint != made.fingerprint  # a new address needs a new certificate
    later = datetime.now(UTC) + timedelta(days=380)
    assert ensure_certificate(tmp_path / "tls", [], now=later).fingerprint != moved.fingerprint


def test_serve_refuses_unsafe_ways_to_listen(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    local = cli("serve", "--host", "0.0.0.0", ok=False)
    assert local.code == 2 and "BEDSIDE_MODE=server" in local.stderr
    lan = cli("serve", "--host", "192.168.1.5", ok=False)
    assert "refusing to listen on 192.168.1.5" in lan.stderr
    monkeypatch.setenv("BEDSIDE_MODE", "server")
    half = cli("serve", "--host", "0.0.0.0", "--tls-cert", "c.pem", ok=False)
    assert "--tls-cert and --tls-key go together" in half.stderr
    both = cli("serve", "--behind-proxy", "--tls", ok=False)
    assert "--behind-proxy: the proxy does TLS" in both.stderr
    monkeypatch.setenv("BEDSIDE_MODE", "local")
    workers = cli("serve", "--workers", "2", ok=False)
    assert "--workers: several workers are for server mode" in workers.stderr
    monkeypatch.setenv("BEDSIDE_MODE", "cloud")
    assert "mode 'cloud' is unknown" in cli("user", "list", ok=False).stderr


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    """``BEDSIDE_MODE=server bedside serve --tls`` on 127.0.0.1, with one participant."""
    port = free_port()
    db = tmp_path / "server.db"
    env = {**os.environ, "BEDSIDE_DATA_DIR": str(tmp_path / "data"), "BEDSIDE_MODE": "server"}
    env.pop("BEDSIDE_DATABASE_URL", None)
    base = [sys.executable, "-m", "bedside", "--db", str(db)]
    subprocess.run(
        [*base, "user", "add", "ann@example.org"],
        input="ann's long password\n",
        text=True,
        env=env,
        check=True,
        capture_output=True,
    )
    process = subprocess.Popen(
        [*base, "serve", "--tls", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        _wait_until_listening(port, process)
        assert process.stdout is not None
        printed = [process.stdout.readline() for _ in range(5)]
        announced = next(line for line in printed if "fingerprint is" in line)
        # kept in the private data directory, like the web secret (never beside --db)
        tls = tmp_path / "data" / "tls"
        yield f"https://127.0.0.1:{port}", announced.split()[-1], tls / CERT_FILE

    finally:
        process.terminate()
        try:
            output = process.communicate(timeout=10)[0]
        except subprocess.TimeoutExpired:
            process.kill()
            output = process.communicate()[0]
        assert "Traceback" not in output


def test_server_mode_over_https_with_the_generated_certificate(
    tls_server: tuple[str, str, Path],
) -> None:
    url, fingerprint, cert_path = tls_server
    port = url.rsplit(":", 1)[1]
    context = ssl.create_default_context(cafile=str(cert_path))  # trust exactly this certificate
    served = ssl.get_server_certificate(("127.0.0.1", int(port)))
    fingerprint = hashlib.sha256(ssl.PEM_cert_to_DER_cert(served)).hexdigest().upper()
    assert (
        fingerprint
        == hashlib.sha256(ssl.PEM_cert_to_DER_cert(cert_path.read_text())).hexdigest().upper()
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), NoRedirect())
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(f"{url}/", timeout=10)
    assert redirect.value.code == 303 and redirect.value.headers["location"] == "/signin"
    redirect.value.close()
    body = json.dumps({"email": "ann@example.org", "password": "ann's long password"}).encode()
    request = urllib.request.Request(
        f"{url}/api/v1/session",
        data=body,
        headers={"content-type": "application/json"},
        method="POST",
    )
    with opener.open(request, timeout=10) as response:
        assert response.status == 200
        cookie = response.headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_db_upgrade_migrates_before_a_deploy(cli: Cli) -> None:
    from bedside.storage.database import SCHEMA_HEAD

    assert f"schema revision {SCHEMA_HEAD}" in cli("db", "upgrade").stdout
    assert f"schema revision {SCHEMA_HEAD}" in cli("db", "upgrade").stdout


def test_the_host_check_accepts_configured_names_and_the_machines_addresses() -> None:
    from bedside.web.security import allowed_hosts

    hosts = allowed_hosts("0.0.0.0", 8765, ["bedside.example.org", "192.168.1.5", "fe80::1"])
    assert {"127.0.0.1:8765", "localhost:8765", "192.168.1.5:8765"} <= hosts
    assert {"bedside.example.org", "bedside.example.org:8765", "[fe80::1]:8765"} <= hosts
    assert "evil.example:8765" not in hosts and "0.0.0.0:8765" not in hosts
