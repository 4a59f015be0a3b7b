"""Apple Health ``export.zip`` / ``export.xml``, streamed with constant memory.

What is read:

* ``HKCategoryTypeIdentifierSleepAnalysis`` → :class:`SleepSegment` (iOS 16+ stages
  ``AsleepCore/Deep/REM``, ``Awake``, ``InBed``, ``AsleepUnspecified`` and the legacy
  ``Asleep``; the numeric codes 0-5 some tools write are accepted too), with the
  ``HKTimeZone`` metadata as ``zone`` and the written offset as ``offset_min``;
* heart rate, resting heart rate, HRV (SDNN) and respiratory rate → :class:`Sample`;
* ``Workout`` → :class:`Workout` (energy from ``totalEnergyBurned`` or, since iOS 16, the
  ``WorkoutStatistics`` of active energy);
* ``HKCategoryTypeIdentifierMindfulSession`` → :class:`MindfulSession`.

Everything else (step counts, energy, ``ActivitySummary``, ``Correlation`` …) is counted in
``stats.ignored`` by type. Records nested in a ``Correlation`` repeat top-level records (the
export's DTD says so) and are skipped.

**Times.** Apple writes every date with the phone's UTC offset *at export time*, so a January
night exported in summer reads ``+0200`` in Amsterdam. The written time is still the right
instant, so the instant is kept as written; ``HKTimeZone`` (when present) tells the zone for
local dates. Records whose written offset differs from their zone's offset at that instant are
counted and reported in ``stats.notes``.

**Speed.** ``lxml.etree.iterparse`` with a tag filter, every element cleared and processed
siblings deleted as we go; the fixed-format dates go through :func:`apple_instant` (cached by
hour) instead of ``strptime``. Heart-rate samples dominate real exports, so the per-record path
for them is a handful of attribute reads and one object.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar, cast

from lxml import etree

from bedside.importers.base import (
    Batch,
    ImportFileError,
    ImportStats,
    MindfulSession,
    Progress,
    Record,
    Sample,
    SampleKind,
    SampleRow,
    SleepSegment,
    Stage,
    Workout,
)
from bedside.importers.streams import STREAM_ERRORS, XmlCleaner, open_input, peek, zip_names
from bedside.importers.timeparse import (
    APPLE_HOUR_EPOCHS,
    APPLE_HOURS,
    MINUTE_SECOND,
    MINUTE_SECOND_S,
    TimeFormatError,
    apple_instant,
    apple_offset_min,
    load_zone,
)

_T = TypeVar("_T")
SOURCE = "apple-health"
SLEEP_TYPE = "HKCategoryTypeIdentifierSleepAnalysis"
MINDFUL_TYPE = "HKCategoryTypeIdentifierMindfulSession"
SAMPLE_TYPES: dict[str, SampleKind] = {
    "HKQuantityTypeIdentifierHeartRate": "heart_rate",
    "HKQuantityTypeIdentifierRestingHeartRate": "resting_heart_rate",
    "HKQuantityTypeIdentifierHeartRateVariabilitySDNN": "hrv_sdnn",
    "HKQuantityTypeIdentifierRespiratoryRate": "respiratory_rate",
}
SLEEP_VALUES: dict[str, Stage] = {
    "HKCategoryValueSleepAnalysisInBed": "in_bed",
    "HKCategoryValueSleepAnalysisAsleep": "asleep_unspecified",
    "HKCategoryValueSleepAnalysisAsleepUnspecified": "asleep_unspecified",
    "HKCategoryValueSleepAnalysisAwake": "awake",
    "HKCategoryValueSleepAnalysisAsleepCore": "core",
    "HKCategoryValueSleepAnalysisAsleepDeep": "deep",
    "HKCategoryValueSleepAnalysisAsleepREM": "rem",
    "0": "in_bed",
    "1": "asleep_unspecified",
    "2": "awake",
    "3": "core",
    "4": "deep",
    "5": "rem",
}
_TAGS = ("Record", "Workout", "ActivitySummary", "Correlation")
_PARSER_OPTIONS: dict[str, Any] = {
    "events": ("end",),
    "tag": _TAGS,
    "resolve_entities": False,
    "load_dtd": False,
    "no_network": True,
    "huge_tree": False,  # keep libxml2's limits: no 10 MB text nodes, no 256-deep trees
}
ENTITIES_MESSAGE = (
    "the file declares XML entities, which Apple Health exports never use; Bedside does not "
    "expand them (a crafted file?), so nothing was imported"
)
_TYPE_PREFIX = re.compile(r"^HK(?:Quantity|Category|Correlation|Data)TypeIdentifier")
_DEVICE_FIELD = re.compile(r"(?:^|, )(name|hardware):(.*?)(?=, [A-Za-z]+:|>?$)")
_DURATION_MIN = {"min": 1.0, "s": 1 / 60, "sec": 1 / 60, "hr": 60.0, "h": 60.0}
_ENERGY_KCAL = {"kcal": 1.0, "Cal": 1.0, "cal": 0.001, "kJ": 1 / 4.184, "J": 1 / 4184}


# Samples are built in the hot loop without the frozen dataclass __init__ (which goes through
# object.__setattr__ once per field): the slot descriptors' own __set__ gives the same frozen,
# slotted object about twice as fast.
def _slot_setter(name: str) -> Callable[[object, object], None]:
    return cast(Callable[[object, object], None], vars(Sample)[name].__set__)


_SET_KIND, _SET_TIME, _SET_VALUE = _slot_setter("kind"), _slot_setter("time"), _slot_setter("value")
_SET_SOURCE, _SET_NAME = _slot_setter("source"), _slot_setter("source_name")
_new = object.__new__


def pick_export_member(names: list[str]) -> str | None:
    """Choose ``…/export.xml`` in an export zip (never ``export_cda.xml`` or macOS junk)."""
    candidates = [
        n
        for n in names
        if not n.startswith("__MACOSX/") and (n == "export.xml" or n.endswith("/export.xml"))
    ]
    candidates.sort(key=lambda n: (n.count("/"), n != "apple_health_export/export.xml"))
    return candidates[0] if candidates else None


class AppleHealthImporter:
    """Importer for Apple Health exports (zip or xml)."""

    name = "apple-health"

    def sniff(self, path: Path) -> bool:
        """True for a zip holding ``export.xml`` or an XML file whose root is ``HealthData``.

        The file must start like XML (``<``, after a byte-order mark and white space), so a
        text that merely mentions ``<HealthData`` (a README, a CSV) is not taken for an export.
        """
        if path.is_dir():
            return False
        if path.suffix.lower() == ".zip":
            return pick_export_member(zip_names(path)) is not None
        head = peek(path, 1 << 20)
        starts_like_xml = head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")
        return starts_like_xml and b"<HealthData" in head

    def iter_records(
        self,
        path: Path,
        progress: Progress | None = None,
        stats: ImportStats | None = None,
    ) -> Iterator[Record]:
        """Stream the records of an export (see the module docstring)."""
        stats = stats if stats is not None else ImportStats()
        with open_input(path, progress, pick_export_member) as stream:
            parser = _Parser(path, stats)
            yield from parser.run(XmlCleaner(stream), parser.records)

    def iter_batches(
        self,
        path: Path,
        progress: Progress | None = None,
        stats: ImportStats | None = None,
        size: int = 8_000,
    ) -> Iterator[Batch]:
        """The same records in batches: samples as plain :data:`SampleRow` tuples, the rest as
        records. Cheaper per record than :meth:`iter_records` (no ``Sample`` object, no
        datetime): this is what the parsing child process of a large import sends.
        """
        stats = stats if stats is not None else ImportStats()
        with open_input(path, progress, pick_export_member) as stream:
            parser = _Parser(path, stats)
            yield from parser.run(XmlCleaner(stream), lambda context: parser.batches(context, size))


class _Parser:
    """One pass over one export; keeps the counters the summary needs."""

    def __init__(self, path: Path, stats: ImportStats) -> None:
        self.path = path
        self.stats = stats
        self.ignored: Counter[str] = Counter()
        self.zone_mismatches = 0
        self.bad_zones: set[str] = set()

    def run(self, source: XmlCleaner, loop: Callable[[Any], Iterator[_T]]) -> Iterator[_T]:
        """Run ``loop`` (:meth:`records` or :meth:`batches`) over the file, errors translated."""
        context = etree.iterparse(source, **_PARSER_OPTIONS)
        try:
            yield from loop(context)
        except etree.XMLSyntaxError as exc:
            line = exc.position[0] if exc.position and exc.position[0] > 0 else None
            truncated = source.at_end and not source.ends_with(b"</HealthData>")
            message = _xml_message(exc, truncated)
            if source.declared_entities:
                message = ENTITIES_MESSAGE
            raise ImportFileError(self.path, message, line=line) from None
        except STREAM_ERRORS as exc:
            where = f" after {source.consumed:,} bytes of XML" if source.consumed else ""
            raise ImportFileError(
                self.path, f"the file is truncated or corrupt{where} ({exc})", line=None
            ) from None
        root = context.root
        if root is None or root.tag != "HealthData":
            tag = "none" if root is None else root.tag
            raise ImportFileError(
                self.path, f"not an Apple Health export (root element is {tag}, not HealthData)"
            )
        self._finish()

    def records(self, context: Any) -> Iterator[Record]:
        # The hot path: heart rate (and the other samples) are most of a real export. Names
        # are bound locally and apple_instant() and Sample() are inlined (same results).
        sample_types = SAMPLE_TYPES
        hours, minute_second = APPLE_HOURS, MINUTE_SECOND
        new, set_kind, set_time, set_value = _new, _SET_KIND, _SET_TIME, _SET_VALUE
        set_source, set_name = _SET_SOURCE, _SET_NAME
        root = None
        elem = None
        try:
            for _event, elem in context:
                if root is None:
                    root = elem.getroottree().getroot()
                parent = elem.getparent()
                get = elem.get
                type_ = get("type")
                kind = sample_types.get(type_)
                if parent is not root:
                    pass  # a Record inside a Correlation: a copy of a top-level record
                elif kind is not None:
                    when = get("startDate")
                    sample = new(Sample)
                    set_kind(sample, kind)
                    set_time(sample, hours[when[:13] + when[19:]] + minute_second[when[14:19]])
                    set_value(sample, float(get("value")))
                    set_source(sample, SOURCE)
                    set_name(sample, get("sourceName"))
                    yield sample
                else:
                    record = self._other(elem, type_)
                    if record is not None:
                        yield record
                elem.clear(keep_tail=False)
                while elem.getprevious() is not None:
                    del parent[0]
        except (TimeFormatError, TypeError, ValueError, KeyError) as exc:
            raise self._unreadable(elem, exc) from None

    def batches(self, context: Any, size: int) -> Iterator[Batch]:
        """Like :meth:`records`, with samples as tuples, gathered in batches of ``size``.

        A batch also ends after ``size // 8`` other records (each far larger than a row), so
        the stretch of an export that holds years of sleep stages never makes one huge batch.
        """
        others_limit = max(size // 8, 1)
        # One string object per source name, so a batch pickles each name once (a memo
        # reference per row after that) and the rows the parent holds share it.
        intern = cast(Callable[[str | None, str | None], str], {}.setdefault)
        sample_types = SAMPLE_TYPES
        hours, minute_second = APPLE_HOUR_EPOCHS, MINUTE_SECOND_S
        rows: list[SampleRow] = []
        others: list[Record] = []
        append = rows.append
        root = None
        elem = None
        try:
            for _event, elem in context:
                if root is None:
                    root = elem.getroottree().getroot()
                parent = elem.getparent()
                get = elem.get
                type_ = get("type")
                kind = sample_types.get(type_)
                if parent is not root:
                    pass  # a Record inside a Correlation: a copy of a top-level record
                elif kind is not None:
                    when = get("startDate")
                    name = get("sourceName")
                    append(
                        (
                            kind,
                            hours[when[:13] + when[19:]] + minute_second[when[14:19]],
                            float(get("value")),
                            intern(name, name),
                        )
                    )
                    if len(rows) >= size:
                        yield rows, others
                        rows, others = [], []
                        append = rows.append
                else:
                    record = self._other(elem, type_)
                    if record is not None:
                        others.append(record)
                        if len(others) >= others_limit:  # a run of sleep stages, workouts …
                            yield rows, others
                            rows, others = [], []
                            append = rows.append
                elem.clear(keep_tail=False)
                while elem.getprevious() is not None:
                    del parent[0]
        except (TimeFormatError, TypeError, ValueError, KeyError) as exc:
            raise self._unreadable(elem, exc) from None
        yield rows, others

    def _unreadable(self, elem: Any, exc: Exception) -> ImportFileError:
        line = elem.sourceline if elem is not None else None
        what = elem.get("type") or elem.tag if elem is not None else "record"
        detail = f"bad time {exc}" if isinstance(exc, KeyError) else str(exc)
        return ImportFileError(self.path, f"unreadable {what}: {detail}", line=line)

    def _other(self, elem: Any, type_: str | None) -> Record | None:
        """Everything but the four sample types: rare, so clarity over speed here."""
        if type_ == SLEEP_TYPE:
            return self._sleep(elem)
        if type_ == MINDFUL_TYPE:
            return self._mindful(elem)
        tag = elem.tag
        if tag == "Workout":
            return self._workout(elem)
        self.ignored[type_ or tag] += 1
        return None

    def _sleep(self, elem: Any) -> SleepSegment | None:
        value = elem.get("value")
        stage = SLEEP_VALUES.get(value)
        if stage is None:
            self.ignored[f"SleepAnalysis value {value}"] += 1
            return None
        start_text = elem.get("startDate")
        start = apple_instant(start_text)
        written = apple_offset_min(start_text)
        zone = self._zone(elem, start, written)
        return SleepSegment(
            start=start,
            end=apple_instant(elem.get("endDate")),
            stage=stage,
            source=SOURCE,
            source_name=elem.get("sourceName"),
            device=device_label(elem.get("device")),
            zone=zone,
            offset_min=written,
        )

    def _mindful(self, elem: Any) -> MindfulSession:
        start = apple_instant(elem.get("startDate"))
        return MindfulSession(
            start=start,
            end=apple_instant(elem.get("endDate")),
            source=SOURCE,
            source_name=elem.get("sourceName"),
            zone=self._zone(elem, start, apple_offset_min(elem.get("startDate"))),
        )

    def _workout(self, elem: Any) -> Workout:
        start = apple_instant(elem.get("startDate"))
        end = apple_instant(elem.get("endDate"))
        duration = elem.get("duration")
        if duration is None:
            minutes = (end - start).total_seconds() / 60
        else:
            minutes = float(duration) * _DURATION_MIN.get(elem.get("durationUnit") or "min", 1.0)
        activity = (elem.get("workoutActivityType") or "Other").removeprefix(
            "HKWorkoutActivityType"
        )
        return Workout(
            activity=activity,
            start=start,
            end=end,
            duration_min=minutes,
            energy_kcal=_workout_energy(elem),
            source=SOURCE,
            source_name=elem.get("sourceName"),
            zone=self._zone(elem, start, apple_offset_min(elem.get("startDate"))),
        )

    def _zone(self, elem: Any, start: datetime, written_offset: int) -> str | None:
        """The ``HKTimeZone`` of a record, checked against the written offset."""
        name: str | None = None
        for child in elem.iterchildren("MetadataEntry"):
            if child.get("key") == "HKTimeZone":
                name = child.get("value")
                break
        if name is None:
            return None
        zone = load_zone(name)
        if zone is None:
            self.bad_zones.add(name)
            return None
        actual = start.astimezone(zone).utcoffset() or timedelta(0)
        if int(actual.total_seconds() // 60) != written_offset:
            self.zone_mismatches += 1
        return name

    def _finish(self) -> None:
        for type_, count in self.ignored.items():
            self.stats.ignored[_TYPE_PREFIX.sub("", type_)] += count
        if self.zone_mismatches:
            n = self.zone_mismatches
            self.stats.notes.append(
                f"{n:,} record{'s were' if n != 1 else ' was'} written with a UTC offset that "
                "differs from its HKTimeZone (Apple writes dates with the offset at export time); "
                "the instants were kept as written and the zone is used for local dates"
            )
        if self.bad_zones:
            names = ", ".join(sorted(self.bad_zones))
            self.stats.notes.append(f"unknown HKTimeZone values ignored: {names}")


def _workout_energy(elem: Any) -> float | None:
    total = elem.get("totalEnergyBurned")
    if total is not None:
        return float(total) * _ENERGY_KCAL.get(elem.get("totalEnergyBurnedUnit") or "kcal", 1.0)
    for child in elem.iterchildren("WorkoutStatistics"):
        if child.get("type") == "HKQuantityTypeIdentifierActiveEnergyBurned":
            value = child.get("sum")
            if value is not None:
                return float(value) * _ENERGY_KCAL.get(child.get("unit") or "kcal", 1.0)
    return None


def device_label(device: str | None) -> str | None:
    """Shorten Apple's ``<<HKDevice: 0x…>, name:Apple Watch, …, hardware:Watch6,7, …>``.

    Returns e.g. ``"Apple Watch (Watch6,7)"``; the memory address, which changes from record
    to record, is dropped.
    """
    if not device:
        return None
    fields: dict[str, str] = dict(_DEVICE_FIELD.findall(device))
    name = fields.get("name", "").strip()
    hardware = fields.get("hardware", "").strip()
    if name and hardware:
        return f"{name} ({hardware})"
    return name or hardware or None


def _xml_message(exc: etree.XMLSyntaxError, truncated: bool) -> str:
    text = " ".join(str(exc.msg or exc).split("\n", 1)[0].split())
    if "limit exceeded" in text.lower():
        return (
            "a value or an element nesting far larger than any Apple Health export holds "
            "(libxml2's size limits exceeded); nothing was imported"
        )
    if "Document is empty" in text or "Start tag expected" in text:
        return f"not an XML file, so not an Apple Health export ({text})"
    if truncated or "Premature end" in text or "not finished" in text:
        return f"the XML ends too early; the export is probably truncated ({text})"
    return f"malformed XML: {text}"
