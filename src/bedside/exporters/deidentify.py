"""De-identify participants' rows for a study export (pure: rows in, rows out).

* people are their study ids (``P123456``), rows are renumbered per person;
* instants become local wall-clock times and every date and time moves by the person's
  secret whole-week offset, so weekdays and times of day are kept; zones are dropped;
* free text (notes, comments, product names, places, devices) and links to other tables are
  dropped: only numbers, dates, times, yes/no and coded values are kept;
* coded values used by fewer than :data:`MIN_PEOPLE` people become ``other``, and amounts are
  rounded to :data:`AMOUNT_STEP`, so rare values do not single anyone out;
* rows outside the study's dates, or logged after a person withdrew, are left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

STUDY_ID = "study_id"
#: Text columns that hold codes Bedside defines, never words a person typed.
CODED_TEXT = frozenset({"unit", "muscle_group", "reason", "source", "kind"})
#: Columns dropped even though their type would be kept.
DROPPED = frozenset({"created_at", "updated_at", "started_at", "finished_at", "file_size"})
ROUNDED = frozenset({"amount", "grams", "grams_per_capsule"})
AMOUNT_STEP = 0.5
MIN_PEOPLE = 3
OTHER = "other"
INSTANT = "instant"
DATE = "date"
KEPT_KINDS = ("integer", "number", "boolean")


@dataclass(frozen=True)
class Participant:
    """One participant's rows (backup-document form: ISO strings) and how to shift them."""

    study_code: str
    offset_days: int
    timezone: str
    withdrawn_at: datetime | None
    entities: Mapping[str, Sequence[Mapping[str, Any]]]


@dataclass(frozen=True)
class Table:
    """One exported table: its name and ``(column, data-dictionary type)`` pairs."""

    name: str
    columns: Sequence[tuple[str, str]]

    def kept(self) -> list[tuple[str, str]]:
        """The columns a study may see, ``study_id`` first."""
        out = [(STUDY_ID, "text")]
        for name, kind in self.columns:
            if _keeps(name, kind):
                out.append((name, "local time (shifted)" if kind.startswith(INSTANT) else kind))
        return out


def _keeps(name: str, kind: str) -> bool:
    if name in DROPPED or (name.endswith("_id") and name != STUDY_ID):
        return False
    if name == "id" or kind.startswith((INSTANT, DATE)) or kind in KEPT_KINDS:
        return True
    return kind == "text" and name in CODED_TEXT


def deidentify(
    tables: Sequence[Table], people: Sequence[Participant], first: date, last: date
) -> dict[str, list[dict[str, Any]]]:
    """Rows per table, de-identified, for nights ``first`` to ``last``."""
    out: dict[str, list[dict[str, Any]]] = {}
    for table in tables:
        kinds = dict(table.columns)
        kept = [name for name, _ in table.kept()]
        rows: list[dict[str, Any]] = []
        for person in people:
            position = 0
            for raw in person.entities.get(table.name, ()):
                if not _in_study(raw, kinds, person, first, last):
                    continue
                position += 1
                rows.append(_row(raw, kinds, kept, person, position))
        out[table.name] = _coarsened(rows, [c for c in kept if c in CODED_TEXT])
    return out


def _in_study(
    raw: Mapping[str, Any], kinds: Mapping[str, str], person: Participant, first: date, last: date
) -> bool:
    night = raw.get("night") or raw.get("day")
    if isinstance(night, str) and not first <= date.fromisoformat(night) <= last:
        return False
    if person.withdrawn_at is None:
        return True
    for name, kind in kinds.items():
        value = raw.get(name)
        timed = name not in DROPPED and kind.startswith(INSTANT) and isinstance(value, str)
        if timed and datetime.fromisoformat(str(value)) > person.withdrawn_at:
            return False
    return True


def _row(
    raw: Mapping[str, Any],
    kinds: Mapping[str, str],
    kept: Sequence[str],
    person: Participant,
    position: int,
) -> dict[str, Any]:
    zone = ZoneInfo(str(raw.get("tz") or person.timezone))
    shift = timedelta(days=person.offset_days)
    row: dict[str, Any] = {STUDY_ID: person.study_code, "id": position}
    for name in kept:
        if name in (STUDY_ID, "id"):
            continue
        value, kind = raw.get(name), kinds[name]
        if value is None:
            row[name] = None
        elif kind.startswith(INSTANT):
            local = datetime.fromisoformat(str(value)).astimezone(zone).replace(tzinfo=None)
            row[name] = (local + shift).isoformat(timespec="minutes")
        elif kind.startswith(DATE):
            row[name] = (date.fromisoformat(str(value)) + shift).isoformat()
        elif name in ROUNDED and isinstance(value, int | float):
            row[name] = round(value / AMOUNT_STEP) * AMOUNT_STEP
        else:
            row[name] = value
    return row


def shift_night(night: date, offset_days: int) -> str:
    """A night moved by the person's secret whole-week offset (weekday kept), as ISO text."""
    return (night + timedelta(days=offset_days)).isoformat()


def _coarsened(rows: list[dict[str, Any]], coded: Sequence[str]) -> list[dict[str, Any]]:
    """Coded values that fewer than MIN_PEOPLE people used become ``other``."""
    for column in coded:
        users: dict[Any, set[str]] = {}
        for row in rows:
            users.setdefault(row.get(column), set()).add(row[STUDY_ID])
        rare = {
            value for value, who in users.items() if value is not None and len(who) < MIN_PEOPLE
        }
        for row in rows:
            if row.get(column) in rare:
                row[column] = OTHER
    return rows
