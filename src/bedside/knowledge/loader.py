"""Read the packaged JSON data files into a validated :class:`Knowledge`.

Nothing is read at import time: :func:`load_knowledge` reads and validates on first call and
caches the result for the life of the process.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from bedside.knowledge.catalog import Knowledge

DATA_PACKAGE = "bedside.knowledge"
DATA_FILES = ("interactions.json", "conditions.json", "facts.json", "legal.json")
MEDICATIONS_FILE = "medications.json"


def read_data_file(name: str) -> Any:
    """Parse one packaged data file (``interactions.json``, ``legal.json`` ...)."""
    path = resources.files(DATA_PACKAGE).joinpath("data", name)
    return json.loads(path.read_text(encoding="utf-8"))


def build_knowledge(raw: dict[str, Any]) -> Knowledge:
    """Validate raw parsed data (the shape of the packaged files) into a Knowledge object.

    ``raw`` maps ``interactions``, ``conditions``, ``facts`` and ``legal`` to lists of records
    and ``medications`` to the medication table. Raises ``pydantic.ValidationError`` when a
    record is malformed, lacks sources, as_of or checked_on, or points at an unknown id.
    """
    return Knowledge.model_validate(raw)


@functools.cache
def load_knowledge() -> Knowledge:
    """Load, validate and cache every packaged record."""
    raw: dict[str, Any] = {
        name.removesuffix(".json"): read_data_file(name)["records"] for name in DATA_FILES
    }
    raw["medications"] = read_data_file(MEDICATIONS_FILE)
    return build_knowledge(raw)
