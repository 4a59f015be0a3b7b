"""Fixtures for the importer tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from importer_helpers import SAMPLES


@pytest.fixture
def samples() -> Path:
    """The folder of licensed sample files and Bedside's own fixtures."""
    folder: Path = SAMPLES
    return folder
