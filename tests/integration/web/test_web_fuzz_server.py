"""Schemathesis over the whole API of a real ``bedside serve``: every phase, stateful included.

A bounded run (a few examples per operation, fixed seed) that fails on any 5xx, any response
that breaks the documented schema (status, media type, headers, body) and any request the
schema forbids that the API accepts (the checks are in ``schemathesis.toml``). The counts are
printed for the run's record.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytest.importorskip("schemathesis", reason="schemathesis is not installed")

pytestmark = pytest.mark.slow
EXAMPLES = 3
CONFIG = Path(__file__).with_name("schemathesis.toml")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bedside(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "bedside", *args], env=env, check=True, timeout=60)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A real server on a free loopback port, with a profile and one entry of each kind."""
    env = {**os.environ, "BEDSIDE_DATA_DIR": str(tmp_path / "data")}
    env.pop("BEDSIDE_DATABASE_URL", None)
    db = str(tmp_path / "fuzz.db")
    bedside("--db", db, "profile", "set", "--timezone", "America/New_York", env=env)
    bedside("--db", db, "product", "add", "--name", "P", "--lot", "L", env=env)
    bedside("--db", db, "dose", "add", "--amount", "1", "--product", "1", env=env)
    bedside("--db", db, "pain", "add", "--score", "3", env=env)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bedside", "--db", db, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/api/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_whole_api_against_a_real_server(server: str, tmp_path: Path) -> None:
    host = server.removeprefix("http://")
    command = [
        *(sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG)),
        *("run", f"{server}/api/openapi.json"),
        *("--header", f"Host: {host}"),
        *("--phases", "examples,coverage,fuzzing,stateful"),
        *("--max-examples", str(EXAMPLES), "--seed", "20261205"),
        *("--request-timeout", "20", "--no-color"),
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=240, cwd=tmp_path, check=False
    )
    output = result.stdout + result.stderr
    generated = re.search(r"(\d+) generated", output)
    print(f"schemathesis: {generated.group(1) if generated else '?'} requests generated")
    assert result.returncode == 0, output[-6000:]
    assert "Stateful" in output and generated is not None and int(generated.group(1)) > 500
