"""Zip members inflate in a thread ahead of the parser, and a large export.zip goes to a child."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from importer_helpers import SAMPLES

from bedside.importers import parallel
from bedside.importers.apple import AppleHealthImporter
from bedside.importers.streams import STREAM_ERRORS, ReadAhead


class CountingStream(io.BytesIO):
    """A real in-memory stream that remembers how much was read from it."""

    taken = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.taken += len(data)
        return data


def test_read_ahead_returns_the_stream_in_order_in_any_read_sizes() -> None:
    data = bytes(range(256)) * 5_000  # 1.28 MB
    stream = ReadAhead(io.BytesIO(data), chunk=100_000, ahead=2)
    parts = [stream.read(size) for size in (1, 65_536, 300_000, 7)]
    rest = stream.read()
    assert b"".join([*parts, rest]) == data
    assert stream.read(10) == b""
    stream.close()


def test_read_ahead_stays_a_few_chunks_ahead() -> None:
    raw = CountingStream(b"x" * 5_000_000)
    stream = ReadAhead(raw, chunk=100_000, ahead=3)
    assert len(stream.read(100_000)) == 100_000
    time.sleep(0.3)  # plenty of time to run far ahead, if it could
    assert raw.taken <= 100_000 * (1 + 3 + 1)
    stream.close()
    assert raw.closed


def test_read_ahead_raises_the_streams_error_where_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    text = (SAMPLES / "synthetic" / "apple-watch-iphone-dst.xml").read_bytes()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("apple_health_export/export.xml", text * 20)
    data = bytearray(path.read_bytes())
    middle = data.index(b"export.xml") + 200
    data[middle : middle + 64] = bytes(64)  # corrupt the deflate stream
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        stream = ReadAhead(archive.open("apple_health_export/export.xml"), chunk=4_096)
        with pytest.raises(STREAM_ERRORS):
            while stream.read(4_096):
                pass
        stream.close()


def test_a_small_zip_of_a_large_export_is_parsed_in_a_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size that counts is the export unpacked: a zip compresses it about 20 times."""
    text = (SAMPLES / "synthetic" / "apple-watch-iphone-dst.xml").read_bytes()
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("apple_health_export/export.xml", text + b" " * 400_000)
    assert path.stat().st_size < 100_000
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 200_000)
    child = parallel.ChildParse.head_start(AppleHealthImporter.name, path)
    assert child is not None
    child.close()
    plain = tmp_path / "export.xml"
    plain.write_bytes(text)
    assert parallel.ChildParse.head_start(AppleHealthImporter.name, plain) is None
