"""Withings sleep: API ``v2/sleep`` responses (``getsummary`` and ``get``).

* ``action=getsummary``: ``body.series[]`` with ``startdate``/``enddate`` (epoch seconds),
  ``timezone`` (IANA), ``date`` (local wake date) and ``data`` (seconds:
  ``lightsleepduration``, ``deepsleepduration``, ``remsleepduration``, ``wakeupduration``,
  ``total_sleep_time``; counts: ``wakeupcount``) → :class:`SleepSummary`. Withings "light" is
  ``core``; without ``total_sleep_time`` the asleep time is light + deep + REM.
* ``action=get``: ``body.series[]`` of ``{startdate, enddate, state}`` (0 awake, 1 light,
  2 deep, 3 REM; REM only from the Aura) → :class:`SleepSegment` (no time zone in this file).

``status`` must be 0 (Withings' success code); anything else is reported as an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bedside.importers.base import (
    ImportFileError,
    ImportStats,
    Progress,
    Record,
    SleepSegment,
    SleepSummary,
    Stage,
)
from bedside.importers.jsondocs import iter_documents, minutes_from_seconds, number, sniff_json
from bedside.importers.timeparse import from_epoch_s, load_zone, offset_minutes

SOURCE = "withings"
SOURCE_NAME = "Withings"
STATES: dict[int, Stage] = {0: "awake", 1: "core", 2: "deep", 3: "rem"}
MODELS = {16: "Withings Activity tracker", 32: "Withings Aura"}
_MARKERS = (b'"series"', b'"startdate"')


class WithingsImporter:
    """Importer for Withings sleep API JSON (see the module docstring)."""

    name = "withings"

    def __init__(self, zone: str | None = None) -> None:
        self.zone = zone

    def sniff(self, path: Path) -> bool:
        """True for a Withings ``v2/sleep`` response (or a folder of them)."""
        return sniff_json(path, _MARKERS)

    def iter_records(
        self,
        path: Path,
        progress: Progress | None = None,
        stats: ImportStats | None = None,
    ) -> Iterator[Record]:
        """Stream summaries (getsummary) or stage segments (get)."""
        for file, document in iter_documents(path, _MARKERS, progress):
            body = _body(file, document)
            model = _model(body.get("model"))
            for item in body.get("series") or []:
                try:
                    record = _item(item, model)
                except (KeyError, TypeError, ValueError) as exc:
                    raise ImportFileError(file, f"unreadable sleep entry: {exc}") from None
                if record is not None:
                    yield record


def _body(file: Path, document: Any) -> dict[str, Any]:
    if not isinstance(document, dict) or not isinstance(document.get("body"), dict):
        raise ImportFileError(file, "not a Withings API response (no 'body')")
    status = document.get("status", 0)
    if status != 0:
        raise ImportFileError(file, f"the Withings response reports an error (status {status})")
    body: dict[str, Any] = document["body"]
    return body


def _model(value: Any) -> str:
    code = number(value)
    return MODELS.get(int(code), SOURCE_NAME) if code is not None else SOURCE_NAME


def _item(item: dict[str, Any], model: str) -> Record | None:
    start = from_epoch_s(float(item["startdate"]))
    end = from_epoch_s(float(item["enddate"]))
    name = _model(item["model"]) if "model" in item else model
    if "state" in item:
        stage = STATES.get(int(item["state"]))
        if stage is None:
            return None
        return SleepSegment(start, end, stage, SOURCE, name)
    data = item.get("data") or {}
    zone_name = item.get("timezone")
    zone = load_zone(zone_name)
    light = minutes_from_seconds(data.get("lightsleepduration"))
    deep = minutes_from_seconds(data.get("deepsleepduration"))
    rem = minutes_from_seconds(data.get("remsleepduration"))
    asleep = minutes_from_seconds(data.get("total_sleep_time"))
    if asleep is None and (light is not None or deep is not None):
        asleep = (light or 0.0) + (deep or 0.0) + (rem or 0.0)
    count = number(data.get("wakeupcount"))
    return SleepSummary(
        start=start,
        end=end,
        source=SOURCE,
        source_name=name,
        asleep_min=asleep,
        deep_min=deep,
        core_min=light,
        rem_min=rem,
        awake_min=minutes_from_seconds(data.get("wakeupduration")),
        awakenings=None if count is None else int(count),
        zone=zone_name if zone is not None else None,
        offset_min=offset_minutes(start.astimezone(zone)) if zone is not None else None,
        external_id=str(item.get("id") or "") or None,
    )
