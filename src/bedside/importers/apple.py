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

**Speed.** An lxml *parser target* (:mod:`~bedside.importers.apple_target`) is fed the
export 1 MB at a time and told of each start tag with its attributes as a dict: no element
tree and no element objects, which makes the parse about as cheap as a bare ``iterparse``
that only counts records. What one chunk yields is handed on between chunks, so memory stays
flat. The fixed-format dates go through the hour caches of :mod:`~bedside.importers.timeparse`
instead of ``strptime``, and heart-rate samples, most of a real export, cost a handful of
dictionary reads and one object (or one row) each. A target is told no line numbers: the line
of an unreadable record is found on that error path only, by searching its start tag in the
text around it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from lxml import etree

from bedside.importers.apple_target import (
    MINDFUL_TYPE,
    SLEEP_TYPE,
    SOURCE,
    BadRecordError,
    BatchTarget,
    DoctypeError,
    Element,
    RecordTarget,
    Target,
    locate_offset,
)
from bedside.importers.base import (
    Batch,
    ImportFileError,
    ImportStats,
    MindfulSession,
    Progress,
    Record,
    SleepSegment,
    Stage,
    Workout,
)
from bedside.importers.streams import STREAM_ERRORS, XmlCleaner, open_input, peek, zip_names
from bedside.importers.timeparse import (
    apple_instant,
    apple_offset_min,
    load_zone,
)

_T = TypeVar("_T")
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
#: Bytes fed to the parser at a time; what one chunk holds is yielded after it.
_CHUNK = 1 << 20
_PARSER_OPTIONS: dict[str, Any] = {
    # A parser target is handed attribute values as libxml2 keeps them, "&amp;" as "&#38;"
    # unless entities are resolved; no entity can be declared (XmlCleaner blanks the
    # DOCTYPE and the target refuses one that reaches it), so only the five XML ones are.
    "resolve_entities": "internal",
    "load_dtd": False,
    "no_network": True,
    "huge_tree": False,  # keep libxml2's limits: no 10 MB text nodes, no 256-deep trees
}
ENTITIES_MESSAGE = (
    "the file declares XML entities, which Apple Health exports never use; Bedside does not "
    "expand them (a crafted file?), so nothing was imported"
)
DOCTYPE_MESSAGE = (
    "a document type declaration far from the start of the file, which Apple Health exports "
    "never have (a crafted file?); nothing was imported"
)
_TYPE_PREFIX = re.compile(r"^HK(?:Quantity|Category|Correlation|Data)TypeIdentifier")
_DEVICE_FIELD = re.compile(r"(?:^|, )(name|hardware):(.*?)(?=, [A-Za-z]+:|>?$)")
_DURATION_MIN = {"min": 1.0, "s": 1 / 60, "sec": 1 / 60, "hr": 60.0, "h": 60.0}
_ENERGY_KCAL = {"kcal": 1.0, "Cal": 1.0, "cal": 0.001, "kJ": 1 / 4.184, "J": 1 / 4184}


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
            yield from parser.run(XmlCleaner(stream), RecordTarget(parser))

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
            yield from parser.run(XmlCleaner(stream), BatchTarget(parser, size))


class _Parser:
    """One pass over one export; keeps the counters the summary needs."""

    def __init__(self, path: Path, stats: ImportStats) -> None:
        self.path = path
        self.stats = stats
        self.ignored: Counter[str] = Counter()
        self.zone_mismatches = 0
        self.bad_zones: set[str] = set()

    def run(self, source: XmlCleaner, target: Target[_T]) -> Iterator[_T]:
        """Feed the file to ``target`` chunk by chunk, yielding its output between chunks.

        Whatever the target built before an error is yielded before the error is raised (as
        a pull parser would have), with the error translated to :class:`ImportFileError`.
        """
        parser = etree.XMLParser(target=target, **_PARSER_OPTIONS)
        more = True
        while more:
            error: ImportFileError | None = None
            try:
                chunk = source.read(_CHUNK)
                target.next_chunk(chunk)
                if chunk:
                    parser.feed(chunk)
                else:
                    more = False
                    parser.close()
                    target.finish()
            except BadRecordError as bad:
                error = self._unreadable(bad)
            except DoctypeError:
                error = ImportFileError(self.path, DOCTYPE_MESSAGE)
            except (etree.XMLSyntaxError, *STREAM_ERRORS) as exc:
                error = self._broken(exc, source, target)
            yield from target.take()
            if error is not None:
                raise error
        if target.root_tag != "HealthData":
            tag = target.root_tag or "none"
            raise ImportFileError(
                self.path, f"not an Apple Health export (root element is {tag}, not HealthData)"
            )
        self._finish()

    def _broken(self, exc: Exception, source: XmlCleaner, target: Target[Any]) -> ImportFileError:
        """The error for a file that breaks off; a bad record read before the break comes first."""
        try:
            target.settle()
        except BadRecordError as bad:
            return self._unreadable(bad)
        if isinstance(exc, etree.XMLSyntaxError):
            return self._syntax_error(exc, source)
        where = f" after {source.consumed:,} bytes of XML" if source.consumed else ""
        return ImportFileError(
            self.path, f"the file is truncated or corrupt{where} ({exc})", line=None
        )

    def _syntax_error(self, exc: etree.XMLSyntaxError, source: XmlCleaner) -> ImportFileError:
        line = exc.position[0] if exc.position and exc.position[0] > 0 else None
        truncated = source.at_end and not source.ends_with(b"</HealthData>")
        message = _xml_message(exc, truncated)
        if source.declared_entities:
            message = ENTITIES_MESSAGE
        return ImportFileError(self.path, message, line=line)

    def _unreadable(self, bad: BadRecordError) -> ImportFileError:
        elem, exc = bad.element, bad.error
        what = elem.get("type") or elem.tag
        detail = f"bad time {exc}" if isinstance(exc, KeyError) else str(exc)
        return ImportFileError(self.path, f"unreadable {what}: {detail}", line=self._line(elem))

    def _line(self, elem: Element) -> int | None:
        """The line of ``elem``'s start tag: the file is read again up to it (error path)."""
        offset = locate_offset(elem)
        if offset is None:
            return None
        lines = 1
        with open_input(self.path, None, pick_export_member) as stream:
            source = XmlCleaner(stream)  # the same text lxml was fed (same line breaks)
            while offset > 0:
                chunk = source.read(min(offset, _CHUNK))
                if not chunk:
                    break
                lines += chunk.count(b"\n")
                offset -= len(chunk)
        return lines

    def record_of(self, elem: Any, type_: str | None) -> Record | None:
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
