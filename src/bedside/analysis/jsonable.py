"""Turn analysis results into JSON-ready values (for ``--json`` and the JSON API).

Dataclasses become dicts of their fields, tuples become lists, dates become ISO 8601
strings, NaN and infinities become ``None`` (JSON has no NaN), NumPy scalars become
Python numbers. Numbers are never rounded.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

import numpy as np


def to_jsonable(value: Any) -> Any:
    """A JSON-serialisable copy of ``value`` (see the module docstring for the rules)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return to_jsonable(value.value)
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(to_jsonable(k)): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [to_jsonable(v) for v in value]
    return value
