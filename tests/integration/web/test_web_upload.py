"""Uploads on the Import page: capped, streamed to one private temporary file, then deleted."""

from __future__ import annotations

import dataclasses
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bedside.services import imports as import_service
from bedside.settings import Settings
from bedside.web.app import create_app
from bedside.web.pages import imports as import_page
from tests.integration.web.conftest import BASE_URL, PROFILE, Web

SAMPLE = Path(__file__).parents[2] / "data" / "samples" / "synthetic" / "apple-watch-iphone-dst.xml"


@pytest.fixture
def small_cap(web_settings: Settings) -> Iterator[Web]:
    """The app with a 1 MiB upload cap and a profile."""
    settings = dataclasses.replace(web_settings, max_upload_bytes=1 << 20)
    with TestClient(create_app(settings), base_url=BASE_URL) as client:
        web = Web(client=client, settings=settings, clock=None)  # type: ignore[arg-type]
        assert web.api("PUT", "/api/v1/profile", json=PROFILE).status_code == 200
        yield web


def leftovers() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("bedside-import-*"))


def test_an_upload_over_the_cap_is_413_and_imports_nothing(small_cap: Web) -> None:
    before = leftovers()
    data = {"source": "csv", "csrf_token": small_cap.token()}
    body = b"kind,time,value\n" + b"heart_rate,2024-01-01T01:00:00+00:00,60\n" * 60_000
    assert len(body) > 2 << 20
    response = small_cap.client.post("/import", data=data, files={"file": ("hr.csv", body)})
    assert response.status_code == 413
    assert "larger than the upload limit (1 GiB)" not in response.text
    assert "upload limit (1 MiB)" in response.text and "bedside import" in response.text
    assert small_cap.api("GET", "/api/v1/sleep").json() == []
    assert leftovers() <= before


def test_an_upload_is_one_private_file(profiled: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, Any]] = []
    real = import_service.import_file

    def watching(scope: Any, source: str | None, path: Path, *args: Any) -> Any:
        seen.append(
            {
                "files": sorted(p.name for p in path.parent.iterdir()),
                "file_mode": stat.S_IMODE(path.stat().st_mode),
                "folder_mode": stat.S_IMODE(path.parent.stat().st_mode),
                "size": path.stat().st_size,
            }
        )
        return real(scope, source, path, *args)

    monkeypatch.setattr(import_page, "import_file", watching)
    assert profiled.api("PUT", "/api/v1/profile", json={"timezone": "America/Los_Angeles"})
    data = {"source": "auto", "csrf_token": profiled.token()}
    files = {"file": (SAMPLE.name, SAMPLE.read_bytes(), "text/xml")}
    done = profiled.client.post("/import", data=data, files=files)
    assert done.status_code == 200, done.text[:1000]
    assert seen == [
        {
            "files": ["upload.xml"],
            "file_mode": 0o600,
            "folder_mode": 0o700,
            "size": SAMPLE.stat().st_size,
        }
    ]


def test_upload_cap_comes_from_the_environment() -> None:
    from bedside.settings import DEFAULT_MAX_UPLOAD_BYTES, load_settings

    env = {"BEDSIDE_DATA_DIR": "data"}
    assert load_settings(environ=env).max_upload_bytes == DEFAULT_MAX_UPLOAD_BYTES == 4 << 30
    assert load_settings(environ={**env, "BEDSIDE_MAX_UPLOAD_MB": "300"}).max_upload_bytes == (
        300 << 20
    )
    assert load_settings(environ={**env, "BEDSIDE_MAX_UPLOAD_MB": "lots"}).max_upload_bytes == (
        4 << 30
    )


def test_a_streamed_upload_is_cut_off_at_the_cap(small_cap: Web) -> None:
    """No Content-Length (chunked): the body is counted as it arrives and refused past the cap."""
    boundary = "bedsideboundary"
    token = small_cap.token()

    def body() -> Iterator[bytes]:
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
            "Content-Type: text/csv\r\n\r\nkind,time,value\r\n"
        ).encode()
        for _ in range(300):
            yield b"heart_rate,2024-01-01T01:00:00+00:00,60\n" * 250
        yield f"\r\n--{boundary}--\r\n".encode()

    response = small_cap.client.post(
        "/import",
        content=body(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413
    assert "upload limit (1 MiB)" in response.text
