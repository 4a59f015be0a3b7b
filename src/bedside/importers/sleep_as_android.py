"""Sleep as Android backups: ``sleep-export*.zip`` (with ``sleep-export.csv``) or the bare CSV.

The CSV repeats its header before every record and the number of columns changes per record
(15 fixed columns, then one per actigraphy sample, then ``Event`` columns), so it is read as
header/data pairs: a row whose first field is ``Id`` is a header for the rows that follow.
Records are newest first; each becomes one :class:`SleepSummary`:

* start = ``Id`` (epoch milliseconds, a real instant); ``From``/``To`` are day-first local
  wall-clock times (``27. 11. 2020 7:38``) in the record's ``Tz``, rounded to the minute and
  ambiguous around DST, so ``To`` is used only for the end: end = the later of ``To`` (placed
  in ``Tz``) and start + ``Hours``;
* asleep minutes = ``Hours`` × 60 + ``LenAdjust`` (``LenAdjust`` ``"-1.0"`` marks a manual
  record and adds nothing; ``"-1"`` subtracts one minute);
* deep minutes = ``DeepSleep`` × asleep when ``DeepSleep`` is a fraction in 0..1 (``-1``
  manual, ``-2`` no hypnogram → unknown).

Very short test sessions (``Hours`` 0.010) are kept, not dropped. Ratings, comments, tags and
events are not imported here.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bedside.importers.base import ImportFileError, ImportStats, Progress, Record, SleepSummary
from bedside.importers.streams import csv_failure, find_member, open_lines, peek, zip_names
from bedside.importers.timeparse import from_epoch_ms, load_zone, local_to_utc, offset_minutes

SOURCE = "sleep-as-android"
SOURCE_NAME = "Sleep as Android"
MEMBER = "sleep-export.csv"
_LOCAL = re.compile(r"^\s*(\d{1,2})\. (\d{1,2})\. (\d{4}) (\d{1,2}):(\d{2})\s*$")
_HEADER = b"Id,Tz,From,To"
_CsvReader = Any  # the csv module's reader type is private


class SleepAsAndroidImporter:
    """Importer for Sleep as Android backups (see the module docstring)."""

    name = "sleep-as-android"

    def __init__(self, zone: str | None = None) -> None:
        self.zone = zone

    def sniff(self, path: Path) -> bool:
        """True for a zip holding ``sleep-export.csv`` or a CSV starting ``Id,Tz,From,To``."""
        if path.suffix.lower() == ".zip":
            return find_member(zip_names(path), MEMBER) is not None
        return peek(path, 64).lstrip(b"\xef\xbb\xbf").startswith(_HEADER)

    def iter_records(
        self,
        path: Path,
        progress: Progress | None = None,
        stats: ImportStats | None = None,
    ) -> Iterator[Record]:
        """Stream one summary per record of the diary."""
        member = MEMBER if path.suffix.lower() == ".zip" else None
        with open_lines(path, progress, member) as lines:
            reader = csv.reader(lines)
            try:
                yield from _records(path, reader)
            except csv.Error as exc:
                raise csv_failure(path, exc, reader.line_num) from None


def _records(path: Path, reader: _CsvReader) -> Iterator[Record]:
    """Header/data pairs → summaries (a row starting ``Id`` is the next record's header)."""
    header: list[str] | None = None
    for row in reader:
        if not row:
            continue
        if row[0] == "Id":
            header = row
            continue
        if header is None:
            message = "not a Sleep as Android export (no 'Id,Tz,…' header)"
            raise ImportFileError(path, message, line=reader.line_num)
        try:
            yield _record(dict(zip(header[:15], row[:15], strict=False)))
        except (KeyError, ValueError) as exc:
            raise ImportFileError(path, f"unreadable record: {exc}", line=reader.line_num) from None


def _record(fields: dict[str, str]) -> SleepSummary:
    start = from_epoch_ms(int(fields["Id"]))
    hours = float(fields["Hours"])
    zone = load_zone(fields.get("Tz"))
    end = start + timedelta(hours=hours)
    local_end = _parse_local(fields.get("To", ""))
    if zone is not None and local_end is not None:
        end = max(end, local_to_utc(local_end, zone, start))
    adjust_text = fields.get("LenAdjust", "0").strip()
    adjust = 0.0 if adjust_text in ("", "-1.0") else float(adjust_text)
    asleep = max(0.0, hours * 60 + adjust)
    deep_fraction = float(fields.get("DeepSleep") or -1)
    return SleepSummary(
        start=start,
        end=end,
        source=SOURCE,
        source_name=SOURCE_NAME,
        asleep_min=asleep,
        deep_min=asleep * deep_fraction if 0 <= deep_fraction <= 1 else None,
        zone=zone.key if zone is not None else None,
        offset_min=offset_minutes(start.astimezone(zone)) if zone is not None else None,
        external_id=fields["Id"],
    )


def _parse_local(text: str) -> datetime | None:
    """``27. 11. 2020 7:38`` (day first) → naive datetime, or None."""
    match = _LOCAL.match(text)
    if match is None:
        return None
    day, month, year, hour, minute = (int(g) for g in match.groups())
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:
        return None
