"""A large export.zip is parsed in a child process, judged by its size unpacked."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from importer_helpers import SAMPLES

from bedside.importers import parallel
from bedside.importers.apple import AppleHealthImporter


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
